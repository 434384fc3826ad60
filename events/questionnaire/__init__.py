"""The LFPSE question set as data, and the engine that walks it (pure Python: no Django here).

Each version of the question set is a YAML document in `versions/` (see the comment at the top of
`versions/v5.yaml`). Question ids are the taxonomy's property names; answers are a plain,
JSON-serialisable dict keyed by them. Repeated groups are lists of dicts under the group id:

    {"EventType": "1", "InvolvedAgents": ["4"], "DrugInvolvementFactors": ["1"],
     "patients": [{"AgeAtTimeOfIncidentDays": 18600, "PhysicalHarm": "4", ...}]}

Stored answer types: choices are codes (str; checkboxes a list in option order), dates
"YYYY-MM-DD", month-years "YYYY-MM", times "HH:MM", ages int days (years × 372, months × 31,
taxonomy §2.6), organisations ODS codes; an optional question the recorder skipped is None.

Everything is computed from the answers (plus whether the recorder is anonymous):

    qs = load_question_set(latest_version())
    journey = Journey(qs, answers, anonymous=False, organisation_name=lookup)
    journey.route()                           # visible page ids in order, "EventType" first
    journey.page("patients-1-PhysicalHarm")   # Page: question, section, item, text, hint, caption
    journey.next_page(page_id)                # next visible page, or REVIEW after the last
    journey.next_page(page_id, mode="section")  # ... or TASK_LIST at the end of its section
    journey.next_page(page_id, mode="change")   # next unanswered page of the section, or REVIEW
    journey.previous_page(page_id)            # Back: the previous page on the route taken
    result = journey.validate(page_id, request.POST)   # PageResult: .values or .errors + .data
    journey = journey.record(page_id, result.values)   # new Journey, stale answers pruned
    journey.task_list()                       # [TaskListItem(section_id, title, status, first_page)]
    journey.review()                          # [ReviewSection(section_id, title, rows)]
    journey.change_pages(page_id)             # pages a change opened in that section
    journey.prune()                           # answers without anything no longer visible
    journey.is_complete()                     # every visible required question answered
    journey.resume_page()                     # first page still needing an answer, or REVIEW
    journey.values(page_id)                   # stored answers of a page; form_data() → form fields
    journey.remove_item("patients", 2)        # new Journey without patient 2
    journey.visible("PsychologicalHarm", 1)   # is a question (or reveal) asked, for patient 1

Other question sets are documents of the same shape, read by the same engine: the statutory and
national policy requirements (`versions/statutory-v1.yaml`) are asked about a recorded event, so
their journey is told the record's type and the whole form is checked at once:

    qs = load_question_set(latest_version(STATUTORY), STATUTORY)
    result = Journey(qs, {}, event_type=record.event_type).validate_all(request.POST)

Change flow: after a Change link the web layer saves the page, then follows
`next_page(page, mode="change")` until REVIEW; the state lives in the answers, not the session.

`to_dot(qs)` draws the branching graph for reviewers (`manage.py questionnaire_graph`).
"""

from .checks import structural_problems
from .display import format_age, format_date, format_month_year, format_time
from .engine import (
    EVENT_TYPE,
    REVIEW,
    TASK_LIST,
    Journey,
    Page,
    PageNotFound,
    ReviewRow,
    ReviewSection,
    Status,
    TaskListItem,
    copy_answers,
)
from .graph import to_dot
from .loader import (
    QuestionSetError,
    available_versions,
    base_version,
    derived_versions,
    latest_version,
    load_question_set,
    parse_question_set,
    shipped_question_sets,
)
from .model import (
    PATIENT,
    QUESTION_SETS_SHIPPED,
    RECORDER,
    STATUTORY,
    EventType,
    Kind,
    Option,
    Question,
    QuestionSet,
    Repeat,
    Section,
    Wording,
)
from .validation import AGE_UNITS, FieldError, PageResult, days_from_age, form_data, validate_answer

__all__ = [
    "AGE_UNITS",
    "EVENT_TYPE",
    "PATIENT",
    "QUESTION_SETS_SHIPPED",
    "RECORDER",
    "REVIEW",
    "STATUTORY",
    "TASK_LIST",
    "EventType",
    "FieldError",
    "Journey",
    "Kind",
    "Option",
    "Page",
    "PageNotFound",
    "PageResult",
    "Question",
    "QuestionSet",
    "QuestionSetError",
    "Repeat",
    "ReviewRow",
    "ReviewSection",
    "Section",
    "Status",
    "TaskListItem",
    "Wording",
    "available_versions",
    "base_version",
    "copy_answers",
    "days_from_age",
    "derived_versions",
    "form_data",
    "format_age",
    "format_date",
    "format_month_year",
    "format_time",
    "latest_version",
    "load_question_set",
    "parse_question_set",
    "shipped_question_sets",
    "structural_problems",
    "to_dot",
    "validate_answer",
]
