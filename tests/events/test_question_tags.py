"""The option markup of radios, checkboxes and selects: GOV.UK's classes, states, and escaping."""

from django.template import Context, Template

from events.views.question_context import Choice, Reveal

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def render(source: str, **context) -> str:
    return Template("{% load questions %}" + source).render(Context(context))


def question(id_="Q"):
    return type("Question", (), {"id": id_})()


def test_select_options_mark_the_chosen_one_and_escape_everything():
    html = render(
        "{% select_options choices %}",
        choices=[Choice("1", "First", "", "Q", False), Choice('2"', HOSTILE, "", "Q-2", True)],
    )
    assert html == (
        '<option value="1">First</option>'
        '<option value="2&quot;" selected>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '
        "&#x27;quoted&#x27;</option>"
    )


def test_checkboxes_have_the_exclusive_divider_hints_and_a_hidden_reveal_until_checked():
    reveal = Reveal("QOther", "Give details", "", "typed <b>", None, False, 100)
    choices = [
        Choice("1", "One", "A hint", "Q", True),
        Choice("8", "Other", "", "Q-2", False, reveals=[reveal]),
        Choice("9", "None of the above", "", "Q-3", False, exclusive=True),
    ]
    html = render('{% choice_items "checkboxes" %}', choices=choices, question=question())
    assert (
        '<input class="govuk-checkboxes__input" id="Q" name="Q" type="checkbox" value="1" checked'
        ' aria-describedby="Q-item-hint">' in html
    )
    assert '<div id="Q-item-hint" class="govuk-hint govuk-checkboxes__hint">A hint</div>' in html
    assert 'data-aria-controls="conditional-Q-2"' in html
    assert (
        'class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" id="conditional-Q-2"'
        in html
    )
    assert 'value="typed &lt;b&gt;"' in html  # the reveal's own template escapes what was typed
    assert '<div class="govuk-checkboxes__divider">or</div><div class="govuk-checkboxes__item">' in html
    assert 'value="9" data-behaviour="exclusive"' in html


def test_radios_reveal_with_our_own_attribute_and_escape_labels():
    reveal = Reveal("QOther", "Give details", "", "", "Enter the details", False, None)
    choices = [Choice("1", HOSTILE, "", "Q", False), Choice("2", "Other", "", "Q-2", True, reveals=[reveal])]
    html = render('{% choice_items "radios" %}', choices=choices, question=question())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'type="radio" value="2" checked data-app-reveal="conditional-Q-2"' in html
    assert "aria-expanded" not in html and "data-aria-controls" not in html
    assert 'class="govuk-radios__conditional" id="conditional-Q-2"' in html
    assert "Enter the details" in html  # the reveal's error message
