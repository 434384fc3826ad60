from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    """Responding to patient safety incidents under PSIRF: response plans, decisions, learning
    responses, safety actions, engagement and oversight (docs/adr/0021)."""

    name = "events.responses"
    label = "responses"
    verbose_name = "Learning responses (PSIRF)"
