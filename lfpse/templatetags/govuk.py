"""GOV.UK Frontend components from govuk-frontend-django, at the cost of a plain template.

    {% load govuk %}
    {% govuk "button" text="Save and continue" preventDoubleClick=True %}
    {% url "home" as back_url %}{% govuk "back-link" href=back_url %}
    {% govuk "inset-text" text=message data_testid="refusal" %}
    {% govuk_block "inset-text" %}Waiting for {{ name }}. <a href="{{ url }}">Cancel</a>{% endgovuk_block %}
    {% error_summary_items form=form first_field_id="id_email" as items %}

`govuk` builds the library's component (its dataclass checks the parameter names) and renders the
library's Jinja macro (govuk-frontend-jinja). The library's own tags (`gds_component`) build a new
Jinja environment and compile the macro on every render, about 50 ms a component here; these compile
each macro once per process (0.1 to 0.5 ms a render), and keep the HTML of components written wholly
in the template (docs/adr/0016). Parameters that are not the component's and start with `data_` or
`aria_` become HTML attributes (`data_testid` is `data-testid`).
Text is escaped as Django escapes it; values Django marked safe (`html=...` from `mark_safe`) are not.
"""

import dataclasses
import importlib
from functools import cache, lru_cache
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from jinja2 import Environment, PackageLoader, PrefixLoader, Template, select_autoescape

register = template.Library()

_ATTRIBUTE_PREFIXES = ("data_", "aria_")
_TEXT_KEYS = frozenset({"text", "titleText", "descriptionText"})


@cache
def _environment() -> Environment:
    loader = PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})
    return Environment(loader=loader, autoescape=select_autoescape(default_for_string=True, default=True))


@cache
def _component(name: str) -> type:
    module = importlib.import_module(f"govuk_frontend_django.components.{name.replace('-', '_')}")
    return module.COMPONENT


@cache
def _macro(component: type) -> Template:
    source = (
        f"{{%- from '{component._jinja2_template}' import {component._macro_name} -%}}"
        f"{{{{ {component._macro_name}(data) }}}}"
    )
    return _environment().from_string(source)


def _prepared(value: Any) -> Any:
    """The macros test `if params.x is defined`, so absent values are left out, not None. Text is
    escaped the way Django escapes the rest of the page (`&#x27;` for an apostrophe, where Jinja would
    write `&#39;`), and Jinja leaves what is already escaped alone."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {
            key: conditional_escape(item) if key in _TEXT_KEYS and isinstance(item, str) else _prepared(item)
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list | tuple):
        return [_prepared(item) for item in value]
    return value


def render_component(name: str, **params: Any) -> SafeString:
    """The HTML of one GOV.UK component, from the library's dataclass and macro."""
    attributes = dict(params.pop("attributes", None) or {})
    for key in [key for key in params if key.startswith(_ATTRIBUTE_PREFIXES)]:
        attributes[key.replace("_", "-")] = params.pop(key)
    if attributes:
        params["attributes"] = attributes
    component = _component(name)
    data = _prepared(component(**params))
    return mark_safe(_macro(component).render(data=data).strip())  # noqa: S308 - Jinja escaped the text


@lru_cache(maxsize=512)
def _rendered(name: str, params: tuple) -> SafeString:
    return render_component(name, **dict(params))


def _cacheable(key: str, value: Any) -> bool:
    """Text written in the template (Django marks literals safe), flags and links without a query:
    the same on every render and nobody's personal data, so their HTML can be kept. Anything else (a
    name, a message, a search in a query string) is rendered afresh."""
    if isinstance(value, SafeData | bool | int) or value is None:
        return True
    return key == "href" and isinstance(value, str) and "?" not in value


@register.simple_tag(name="govuk")
def govuk_component(name: str, **params: Any) -> SafeString:
    """A component with its parameters; one written wholly in the template (a "Continue" button, a
    status tag, a back link) is rendered once per process: a macro call costs about half a
    millisecond, and the task list shows a dozen tags."""
    if all(_cacheable(key, value) for key, value in params.items()):
        return _rendered(name, tuple(sorted(params.items())))
    return render_component(name, **params)


class _BlockNode(template.Node):
    def __init__(self, name: template.base.FilterExpression, params: dict, nodelist: template.NodeList):
        self.name, self.params, self.nodelist = name, params, nodelist

    def render(self, context) -> SafeString:
        params = {key: value.resolve(context) for key, value in self.params.items()}
        body = self.nodelist.render(context).strip()  # rendered (and escaped) by Django
        return render_component(self.name.resolve(context), html=mark_safe(body), **params)  # noqa: S308


@register.tag(name="govuk_block")
def govuk_block(parser, token) -> _BlockNode:
    """`{% govuk_block "inset-text" %}Text with {{ variables }} and <a href>links</a>{% endgovuk_block %}`:
    the component with the rendered body as its `html`."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("govuk_block needs a component name")
    name = parser.compile_filter(bits[1])
    params = template.base.token_kwargs(bits[2:], parser)
    if len(params) != len(bits) - 2:
        raise template.TemplateSyntaxError("govuk_block takes the component name, then name=value pairs")
    nodelist = parser.parse(("endgovuk_block",))
    parser.delete_first_token()
    return _BlockNode(name, params, nodelist)


@register.simple_tag
def error_summary_items(
    form=None, errors=None, error: str = "", target: str = "", first_field_id: str = ""
) -> list[dict[str, str]]:
    """The rows of templates/includes/error_summary.html, whichever way the page has its errors: a
    Django form (non-field errors link to `first_field_id`), (field id, message) pairs or a dict, or one
    message linking to `target` (no link without one)."""
    items: list[dict[str, str]] = []
    if getattr(form, "errors", None):  # an absent variable arrives as ""
        for message in form.non_field_errors():
            items.append({"href": f"#{first_field_id or 'main-content'}", "text": message})
        for field in form:
            for message in field.errors:
                items.append({"href": f"#{field.id_for_label or field.auto_id}", "text": message})
    pairs = errors.items() if isinstance(errors, dict) else errors or ()
    for field_id, message in pairs:
        items.append({"href": f"#{field_id}", "text": message})
    if error:
        items.append({"href": f"#{target}", "text": error} if target else {"text": error})
    return items
