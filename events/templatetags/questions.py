"""Template tags for question pages: the options of radios, checkboxes and selects.

A question can have many options (93 device types, 202 specialties). Rendered by a template loop,
every option costs several escaped variables and tag nodes, which made those pages several times
slower than the rest; here each option is one f-string with every value escaped by the standard
library's `html.escape` (what Django's own `escape` calls). The markup is GOV.UK Frontend's.
Revealed follow-up questions ("Other" boxes) are still rendered by their template.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

REVEAL_TEMPLATE = "events/includes/reveal.html"


def _html(parts) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every value in the parts is escaped


@register.simple_tag
def select_options(choices) -> SafeString:
    """The <option>s of a select question."""
    return _html(
        f'<option value="{escape(choice.code)}"{" selected" if choice.checked else ""}>'
        f"{escape(choice.label)}</option>"
        for choice in choices
    )


@register.simple_tag(takes_context=True)
def choice_items(context, kind: str) -> SafeString:
    """The items of a radios (`kind` "radios") or checkboxes ("checkboxes") question, with their
    conditional reveals.

    Radios reveal with our own `data-app-reveal` (GOV.UK's data-aria-controls puts aria-expanded on
    radios, which ARIA does not allow: axe's aria-allowed-attr); app.mjs hides the reveal until its
    option is chosen, so it is shown without JavaScript. Checkboxes use GOV.UK's own behaviour.
    """
    checkboxes = kind == "checkboxes"
    input_type = "checkbox" if checkboxes else "radio"
    name = escape(context["question"].id)
    reveal_template = context.template.engine.get_template(REVEAL_TEMPLATE)
    parts = []
    for choice in context["choices"]:
        id_ = escape(choice.id)
        attributes = " checked" if choice.checked else ""
        if checkboxes and choice.exclusive:
            parts.append(f'<div class="govuk-checkboxes__divider">{escape(gettext("or"))}</div>')
            attributes += ' data-behaviour="exclusive"'
        if choice.reveals:
            attributes += (
                f' data-aria-controls="conditional-{id_}"'
                if checkboxes
                else f' data-app-reveal="conditional-{id_}"'
            )
        if choice.hint:
            attributes += f' aria-describedby="{id_}-item-hint"'
        parts.append(
            f'<div class="govuk-{kind}__item">'
            f'<input class="govuk-{kind}__input" id="{id_}" name="{name}" type="{input_type}"'
            f' value="{escape(choice.code)}"{attributes}>'
            f'<label class="govuk-label govuk-{kind}__label" for="{id_}">{escape(choice.label)}</label>'
        )
        if choice.hint:
            parts.append(
                f'<div id="{id_}-item-hint" class="govuk-hint govuk-{kind}__hint">{escape(choice.hint)}</div>'
            )
        parts.append("</div>")
        if choice.reveals:
            hidden = f" govuk-{kind}__conditional--hidden" if checkboxes and not choice.checked else ""
            parts.append(f'<div class="govuk-{kind}__conditional{hidden}" id="conditional-{id_}">')
            with context.push():
                for reveal in choice.reveals:
                    context["reveal"] = reveal
                    parts.append(reveal_template.render(context))
            parts.append("</div>")
    return _html(parts)
