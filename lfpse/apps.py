from django.apps import AppConfig


class LfpseConfig(AppConfig):
    name = "lfpse"
    verbose_name = "Record patient safety events"
