"""The footer is rendered once per process (and per URL configuration), except with DEBUG on."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import include, path

from lfpse.templatetags import layout
from lfpse.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("prefix/", include(project_urlpatterns))]


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders of fragments, starting from an empty store."""
    monkeypatch.setattr(layout, "_rendered", {})
    calls = []
    real = layout.render_to_string

    def counting(name):
        calls.append(name)
        return real(name)

    monkeypatch.setattr(layout, "render_to_string", counting)
    return calls


def footer() -> str:
    return Template('{% load layout %}{% static_fragment "includes/footer.html" %}').render(Context())


@override_settings(DEBUG=False)
def test_the_footer_is_rendered_once_and_reused(renders):
    first, second = footer(), footer()
    assert first == second
    assert 'href="/help/cookies/"' in first
    assert renders == ["includes/footer.html"]


@override_settings(DEBUG=False)
def test_another_url_configuration_gets_its_own_footer(renders):
    plain = footer()
    with override_settings(ROOT_URLCONF=__name__):
        prefixed = footer()
    assert plain != prefixed
    assert 'href="/prefix/help/cookies/"' in prefixed
    assert len(renders) == 2


@override_settings(DEBUG=True)
def test_with_debug_on_every_page_renders_it_afresh(renders):
    footer(), footer()
    assert len(renders) == 2
