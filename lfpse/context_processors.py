from django.conf import settings
from django.http import HttpRequest

from accounts.passwords import PASSWORD_RULE


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "feedback_email": settings.FEEDBACK_EMAIL,
        "helpdesk_email": settings.HELPDESK_EMAIL,
        "oidc_enabled": settings.OIDC_ENABLED,
        "password_rule": PASSWORD_RULE,
    }
