from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    """Responding to patient safety incidents under PSIRF: response plans, decisions, learning
    responses, safety actions, engagement and oversight (docs/adr/0021)."""

    name = "events.responses"
    label = "responses"
    verbose_name = "Learning responses (PSIRF)"

    def ready(self) -> None:
        from events.fhir.profiles import capability_resource_register

        from .api import task_capability

        capability_resource_register(task_capability)
