"""Security headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

The policy allows no inline script or style: every script is a file under /static/.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" in response.headers:
            return response  # already decided (never_cache, the outage page): no need to ask who it is
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages behind sign-in show patient safety data: never keep them in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
