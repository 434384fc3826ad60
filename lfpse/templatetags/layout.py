"""Template tags for the page layout.

`{% static_fragment "includes/footer.html" %}` renders a fragment that depends on nothing but the URL
configuration (the footer's links) once per process and reuses the HTML, so the seven reverses behind
the footer are not repeated on every page. With DEBUG on it renders every time, so template edits show.
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple[str, str, str, str], SafeString] = {}


@register.simple_tag
def static_fragment(template_name: str) -> SafeString:
    """A fragment that must not use the request, the user or any other per-request context."""
    if settings.DEBUG:
        return render_to_string(template_name)
    key = (template_name, str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix(), get_language())
    if key not in _rendered:
        _rendered[key] = render_to_string(template_name)
    return _rendered[key]
