from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """Patients and families record events without an account; every recorder hears what happened next."""

    name = "events.patients"
    label = "patients"
    verbose_name = "Patient and family reports, and feedback to recorders"

    def ready(self) -> None:
        from . import hooks

        hooks.connect()
