from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    """Events like this: similar-event search, duplicate warnings and emerging themes, on redacted text."""

    name = "events.similarity"
    label = "similarity"
    verbose_name = "Similar events"

    def ready(self) -> None:
        from . import hooks

        hooks.connect()
