from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """Public statistics: quarterly releases of disclosure-controlled counts of patient safety events."""

    name = "events.publication"
    label = "publication"
    verbose_name = "Public statistics"
