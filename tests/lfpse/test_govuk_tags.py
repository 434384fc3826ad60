"""`{% govuk %}` renders govuk-frontend-django's components, and the one error summary include takes
a form, (field id, message) pairs or one message."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string

from lfpse.templatetags import govuk


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_a_component_is_the_librarys_markup():
    ours = render('{% govuk "button" text="Save and continue" preventDoubleClick=True %}')
    library = render(
        "{% load govuk_frontend_django %}"
        '{% gds_component "button" text="Save and continue" preventDoubleClick=True %}'
    )
    assert squeeze(ours) == squeeze(library)
    assert 'data-prevent-double-click="true"' in ours


def test_each_macro_is_compiled_once():
    govuk._macro.cache_clear()
    for _ in range(3):
        render('{% govuk "inset-text" text=message %}', message="Hello")
    assert govuk._macro.cache_info().misses == 1 and govuk._macro.cache_info().hits == 2


def test_text_is_escaped_as_django_escapes_it_and_safe_html_is_kept():
    html = render('{% govuk "inset-text" text=message %}', message="Jo's <script>")
    assert "Jo&#x27;s &lt;script&gt;" in html
    assert "<b>bold</b>" in render(
        '{% govuk "inset-text" html=markup %}', markup=govuk.mark_safe("<b>bold</b>")
    )


def test_data_and_aria_parameters_become_attributes_and_unknown_ones_fail():
    html = render('{% govuk "tag" text="Reviewed" classes="govuk-tag--green" data_testid="status" %}')
    assert 'data-testid="status"' in html and "govuk-tag govuk-tag--green" in html
    with pytest.raises(TypeError):
        render('{% govuk "tag" txt="Reviewed" %}')


class NameForm(forms.Form):
    name = forms.CharField(error_messages={"required": "Enter a name"})
    email = forms.EmailField()

    def clean(self):
        raise forms.ValidationError("Something is wrong")


def summary(**context) -> str:
    return render_to_string("includes/error_summary.html", context)


def test_the_error_summary_of_a_form_links_each_error_to_its_field():
    form = NameForm({"email": "not an email"})
    form.is_valid()
    html = summary(form=form, first_field_id="id_name")
    assert 'data-module="govuk-error-summary"' in html and "There is a problem" in html
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert links == [
        ("#id_name", "Something is wrong"),
        ("#id_name", "Enter a name"),
        ("#id_email", "Enter a valid email address."),
    ]


def test_the_error_summary_of_pairs_a_dict_or_one_message():
    assert '<a href="#a">First</a>' in summary(errors=[("a", "First")])
    assert '<a href="#DutyOfCandour">Select one</a>' in summary(errors={"DutyOfCandour": "Select one"})
    assert '<a href="#submit">Answer every question</a>' in summary(
        error="Answer every question", target="submit"
    )
    one = summary(error="It was already decided")
    assert "It was already decided" in one and "<a " not in one


def test_no_errors_no_summary():
    form = forms.Form({})
    assert form.is_valid() and summary(form=form).strip() == ""
    assert summary().strip() == ""


def test_a_block_gives_the_component_its_rendered_body_as_html():
    html = render(
        '{% govuk_block "inset-text" data_testid="refusal" %}'
        'Ask <a href="{{ url }}">{{ name }}</a>{% endgovuk_block %}',
        url="/x",
        name="Jo's <team>",
    )
    assert 'class="govuk-inset-text"' in html and 'data-testid="refusal"' in html
    assert 'Ask <a href="/x">Jo&#x27;s &lt;team&gt;</a>' in html


def test_notification_banners_keep_one_title_id_each():
    from django.contrib.messages.storage.base import Message

    html = render_to_string(
        "includes/messages.html", {"messages": [Message(25, "Saved"), Message(20, "Note this")]}
    )
    assert 'id="notification-title-1"' in html and 'id="notification-title-2"' in html
    assert "govuk-notification-banner--success" in html and "Important" in html


def test_components_written_in_the_template_are_rendered_once_and_personal_text_every_time():
    govuk._rendered.cache_clear()
    for _ in range(3):
        render('{% govuk "tag" text="In progress" classes="govuk-tag--light-blue" %}')
        render('{% govuk "back-link" href=url %}', url="/events/")
    assert govuk._rendered.cache_info().misses == 2 and govuk._rendered.cache_info().hits == 4
    render('{% govuk "inset-text" text=name %}', name="Jo Bloggs")
    render('{% govuk "back-link" href=url %}', url="/events/?q=Jo+Bloggs")
    assert govuk._rendered.cache_info().currsize == 2
