from django.apps import AppConfig


class AnonymisationConfig(AppConfig):
    name = "anonymisation"
    verbose_name = "Anonymisation of free text"
