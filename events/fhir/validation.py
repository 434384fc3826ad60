"""Judging a submitted AdverseEvent with the same rules as the web form.

The FHIR values are turned into the form fields the web form would post and handed to the
questionnaire engine (`validate_answer`: types, codes, exclusive options, lengths, dates, ages, ODS
format), then the answers are walked as a `Journey`, which says which questions are asked: an answer
to one that is not asked is an error (`not-applicable`), and so is an asked, required question left
unanswered (`required`). Only what FHIR adds is checked here: value types, repeated single answers,
and whether an ODS code is an organisation this service knows.

Problems that follow from another one (the follow-ups of an agent whose code was invalid) are not
reported twice: a question whose condition reads an answer with a problem is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from events import statutory_questions
from events.questionnaire import EVENT_TYPE, STATUTORY, Journey, Kind, Question, QuestionSet, validate_answer
from events.questionnaire.display import DAYS_IN_MONTH, DAYS_IN_YEAR
from events.questionnaire.validation import AGE_UNITS
from organisations.selectors import organisation_by_code, organisations_by_code_prefetch

from .mapping import AGE_UNKNOWN, ORGANISATION_OTHER, read_types
from .outcome import ISSUE_TYPES, Issue, IssueCode, error, warning
from .reading import Found, Reading, Scope, read_adverse_event

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?$")
_STRUCTURAL = frozenset({"structure"})


@dataclass
class Submission:
    """A valid submission: the answers to store and what else the payload said."""

    version: str
    question_set: QuestionSet
    event_type: str
    answers: dict[str, Any]
    anonymous: bool
    data_sharing_opt_out: bool
    reference_number: str | None  # as sent (a client re-sending our own ReferenceNumber)
    warnings: list[Issue] = field(default_factory=list)
    organisation_codes: dict[str, str] = field(default_factory=dict)  # question id -> where it was sent
    # The statutory and national policy answers (adverse-event-governance), to store as the record's
    # StatutoryRequirements; None when the extension was not sent (the stored ones stay).
    statutory: dict[str, Any] | None = None


class SubmissionInvalid(Exception):
    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(issue.text for issue in issues if issue.is_error))
        self.issues = issues

    @property
    def status(self) -> int:
        """400 when the JSON is not a well-formed AdverseEvent, 422 when the answers break the rules."""
        structural = any(issue.is_error and ISSUE_TYPES[issue.code] in _STRUCTURAL for issue in self.issues)
        return 400 if structural else 422


def submission_validate(resource: dict, *, today: dt.date, base: str = "") -> Submission:
    """The answers a resource carries, or SubmissionInvalid listing every problem found."""
    reading = read_adverse_event(resource, base=base)
    if reading.version is None:
        raise SubmissionInvalid(reading.issues)
    return _Validator(reading, today).run()


class _Validator:
    def __init__(self, reading: Reading, today: dt.date):
        self.reading = reading
        self.qs: QuestionSet = reading.question_set
        self.today = today
        self.issues: list[Issue] = list(reading.issues)
        self.event_type = None
        self.failed: dict[int | None, set[str]] = {}  # scope (patient number or None) -> question ids
        self.gates = _gates(self.qs)
        self.organisation_codes: dict[str, str] = {}
        for number, scope in [(None, reading.top), *enumerate(reading.patients, 1)]:
            self.failed.setdefault(number, set()).update(scope.rejected)

    def organisations_prefetch(self) -> None:
        """The ODS codes sent, looked up in one query rather than one each (within an API request)."""
        codes = [
            found.value
            for scope in (self.reading.top, *self.reading.patients)
            for question in self.qs.all_questions()
            if question.kind == Kind.ORGANISATION
            for found in scope.answers.get(question.id, ())
            if isinstance(found.value, str) and found.value and found.value not in question.codes
        ]
        organisations_by_code_prefetch(codes)

    def problem(self, code: IssueCode, text: str, where: str | None, *, scope: int | None = None, key=None):
        self.issues.append(error(code, text, where))
        if key:
            self.failed.setdefault(scope, set()).add(key)

    def run(self) -> Submission:
        self.read_event_type()
        if self.event_type is None:
            raise SubmissionInvalid(self.issues)
        self.alias_description()
        self.organisations_prefetch()
        anonymous = self.flag("IsAnonymous")
        data_sharing_opt_out = self.flag("DataSharingOptOut")
        answers = self.typed(self.reading.top, None)
        answers[EVENT_TYPE] = self.event_type.code
        self.drop_today(answers)
        patients = [self.typed(patient, number) for number, patient in enumerate(self.reading.patients, 1)]
        repeat = self.qs.groups().get("patients")
        if patients and repeat:
            if len(patients) > repeat.max_items:
                extra = self.reading.patients[repeat.max_items]
                self.problem(
                    IssueCode.REPEATED, f"At most {repeat.max_items} patients may be sent", extra.where
                )
                patients = patients[: repeat.max_items]
            for number, patient in enumerate(patients, 1):
                if number < repeat.max_items:
                    patient[repeat.another] = "y" if number < len(patients) else "n"
            answers[repeat.group] = patients
        journey = Journey(self.qs, answers, anonymous=anonymous)
        kept = journey.prune()
        self.not_applicable(answers, kept)
        self.required(journey, kept)
        statutory = self.statutory()
        if any(issue.is_error for issue in self.issues):
            raise SubmissionInvalid(self.issues)
        if not journey.is_complete():  # every rule above passed, so this would be a bug: say so plainly
            raise SubmissionInvalid(
                [error(IssueCode.REQUIRED, "The answers are not complete", "AdverseEvent")]
            )
        return Submission(
            version=self.reading.version,
            question_set=self.qs,
            event_type=self.event_type.code,
            answers=kept,
            anonymous=anonymous,
            data_sharing_opt_out=data_sharing_opt_out,
            reference_number=self.reference_number(),
            warnings=[issue for issue in self.issues if not issue.is_error],
            organisation_codes=self.organisation_codes,
            statutory=statutory,
        )

    # -- the event type and the metadata -----------------------------------------------------------------
    def read_event_type(self) -> None:
        found = self.reading.event_type
        if found is None:
            element = self.reading.placements.elements.get(EVENT_TYPE, "type")
            if EVENT_TYPE not in self.reading.top.rejected:
                self.problem(
                    IssueCode.REQUIRED,
                    f"Give the event type in AdverseEvent.{element} "
                    f"(taxonomy version {self.reading.version})",
                    f"AdverseEvent.{element}",
                )
            return
        self.event_type = self.qs.event_type(found.value) if found.value.isdecimal() else None
        if self.event_type is None:
            codes = ", ".join(f"{et.code} ({et.name})" for et in self.qs.event_types)
            self.problem(
                IssueCode.UNKNOWN_CODE,
                f"{found.value!r} is not an event type; use one of {codes}",
                found.where,
            )

    def flag(self, name: str) -> bool:
        values = self.reading.top.extras.get(name, [])
        return bool(values[0].value) if values else False

    def reference_number(self) -> str | None:
        values = self.reading.top.extras.get("ReferenceNumber", [])
        return values[0].value if values else None

    def drop_today(self, answers: dict[str, Any]) -> None:
        """AdverseEvent.date is the event date, but vendors also send today's date when the event
        happened today; then it is no answer (the date recorded is the day of recording)."""
        if answers.get("IncidentOccurredToday") != "y" or "EventDate" not in answers:
            return
        sent = answers.pop("EventDate")
        if sent != self.today.isoformat():
            self.issues.append(
                warning(
                    IssueCode.IGNORED,
                    f"IncidentOccurredToday is 'y', so the date {sent} was ignored; today's date is recorded",
                    "AdverseEvent.date",
                )
            )

    # -- the statutory and national policy requirements (adverse-event-governance) ------------------
    def statutory(self) -> dict[str, Any] | None:
        """The governance answers, checked by the statutory question set exactly as the statutory
        screen checks them; problems (a code on a record that is not an incident, a follow-up whose
        question is not "yes", an unknown code) are errors naming the property."""
        sent = self.reading.other_answers.get(STATUTORY)
        if sent is None:
            return None
        places = self.reading.placements
        spec = next(spec for spec in places.extensions if spec.question_set == STATUTORY)
        qs = places.other_question_set(STATUTORY)
        holder = self.reading.top.homes.get(spec.name, "AdverseEvent")
        if not statutory_questions.applies_to(self.event_type.code):
            for name, values in sent.items():
                self.problem(
                    IssueCode.NOT_APPLICABLE,
                    f"{name} is a statutory or national policy requirement of incidents; "
                    f"{spec.name}-{self.reading.version} is not sent for "
                    f"{self.event_type.name.lower()} events",
                    values[0].where,
                    key=name,
                )
            return None
        fields: dict[str, Any] = {}
        ok = True
        for question in qs.all_questions():
            values = sent.get(question.id)
            national = spec.national_type(question)
            if values and not self.form_fields(
                question, values, fields, None, allowed=(national,) if national else None
            ):
                ok = False
        if not ok:
            return None
        result = statutory_questions.validate(fields, event_type=self.event_type.code)
        for field_error in result.errors:
            values = sent.get(field_error.key)
            where = values[0].where if values else f"{holder}.extension('{field_error.key}')"
            code = IssueCode.INVALID_VALUE if values else IssueCode.REQUIRED
            self.problem(code, f"{field_error.key}: {field_error.message}", where, key=field_error.key)
        if not result.ok:
            return None
        for name, values in sent.items():
            if name not in result.values:
                condition = qs.question(name).when
                reason = f"only asked when {condition.describe()}" if condition else "not asked"
                self.problem(IssueCode.NOT_APPLICABLE, f"{name} is {reason}", values[0].where, key=name)
        return result.values

    # -- each question's values --------------------------------------------------------------------------
    def typed(self, scope: Scope, number: int | None) -> dict[str, Any]:
        """Typed answers of one scope; problems with them recorded as issues."""
        values: dict[str, Any] = {}
        implied = self.implied(scope)
        for question in self.qs.questions():
            if question.id == EVENT_TYPE or not self.in_scope(question, number):
                continue
            sent = scope.answers.get(question.id)
            reveals = [reveal for reveal in question.reveals if reveal.id in scope.answers]
            if sent is None and question.id in implied:
                sent = [Found("Code", implied[question.id], None)]
            if sent is None:
                for reveal in reveals:
                    self.problem(
                        IssueCode.NOT_APPLICABLE,
                        f"{reveal.id} is only asked with {question.id}, which was not sent",
                        scope.answers[reveal.id][0].where,
                        scope=number,
                        key=reveal.id,
                    )
                continue
            result = self.validate(question, sent, scope, number)
            if result is not None:
                values.update(result)
        return values

    def in_scope(self, question: Question, number: int | None) -> bool:
        return (question.group is None) == (number is None)

    def implied(self, scope: Scope) -> dict[str, str]:
        """Escape answers a FHIR client gives by leaving a value out: an organisation that could not be
        found (only its ...Other name is sent), an unknown age (only the AgeBracket is sent)."""
        implied = {}
        for question in self.qs.questions():
            if question.kind == Kind.ORGANISATION and any(r.id in scope.answers for r in question.reveals):
                implied[question.id] = ORGANISATION_OTHER
            elif question.kind == Kind.AGE and any(
                (question.id, AGE_UNKNOWN) in _tested(self.qs.question(key)) for key in scope.answers
            ):
                implied[question.id] = AGE_UNKNOWN
        return implied

    def alias_description(self) -> None:
        """`description` is where every vendor puts the description; in this question set a risk's is
        RiskDescription and good care's WentWell (the questions tagged "description")."""
        top = self.reading.top
        if "Description" not in top.answers:
            return
        if self.asked_for_event_type(self.qs.question("Description")):
            return
        for question in self.qs.tagged("description"):
            if question.id not in top.answers and self.asked_for_event_type(question):
                top.answers[question.id] = top.answers.pop("Description")
                return

    def asked_for_event_type(self, question: Question) -> bool:
        section = self.qs.section(question.section_id)
        return all(
            types is None or self.event_type.key in types
            for types in (question.event_types, section.event_types)
        )

    def validate(self, question: Question, sent: list[Found], scope: Scope, number: int | None):
        fields: dict[str, Any] = {}
        ok = self.form_fields(question, sent, fields, number)
        for reveal in question.reveals:
            reveal_sent = scope.answers.get(reveal.id)
            if reveal_sent and self.form_fields(reveal, reveal_sent, fields, number) is False:
                ok = False
        if not ok:
            return None
        result = validate_answer(question, fields, event_type=self.event_type, today=self.today)
        for field_error in result.errors:
            key = field_error.key
            values = scope.answers.get(key) or (sent if key == question.id else None)
            if values and values[0].where:
                self.problem(
                    IssueCode.INVALID_VALUE,
                    f"{key}: {field_error.message}",
                    values[0].where,
                    scope=number,
                    key=key,
                )
            else:  # a required "Other" box left out
                where = self.reading.missing_where(key, scope)
                self.problem(
                    IssueCode.REQUIRED, f"{key}: {field_error.message}", where, scope=number, key=key
                )
        if not result.ok:
            return None
        for reveal in question.reveals:
            if reveal.id in scope.answers and reveal.id not in result.values:
                self.problem(
                    IssueCode.NOT_APPLICABLE,
                    f"{reveal.id} is only asked when {question.id} includes {reveal.opened_by}",
                    scope.answers[reveal.id][0].where,
                    scope=number,
                    key=reveal.id,
                )
        if question.kind == Kind.ORGANISATION:
            value = result.values.get(question.id)
            if value and value not in question.codes:
                if organisation_by_code(value) is None:
                    self.problem(
                        IssueCode.UNKNOWN_ORGANISATION,
                        f"{question.id}: {value} is not the ODS code of an organisation known here",
                        sent[0].where,
                        scope=number,
                        key=question.id,
                    )
                    return None
                if number is None:
                    self.organisation_codes[question.id] = sent[0].where
        return result.values

    def form_fields(
        self, question: Question, sent: list[Found], fields: dict, number: int | None, *, allowed=None
    ) -> bool:
        """Adds the form fields the web form would post for these values; False after a problem."""
        qid = question.id
        if allowed is None:
            spec = self.reading.placements.extension_of(qid)
            national = spec.national_type(question) if spec and not spec.question_set else None
            if national == "Boolean":
                allowed = (national,)
            elif national:
                allowed = (national, *read_types(question))
        allowed = allowed or read_types(question)
        for found in sent:
            if found.where is not None and found.type not in allowed:
                wanted = " or ".join(f"value{name}" for name in allowed)
                self.problem(
                    IssueCode.WRONG_TYPE,
                    f"{qid} must be sent as {wanted}",
                    found.where,
                    scope=number,
                    key=qid,
                )
                return False
        if question.kind != Kind.MULTIPLE_CHOICE and len(sent) > 1:
            self.problem(
                IssueCode.REPEATED,
                f"{qid} takes one answer; it was sent {len(sent)} times",
                sent[1].where,
                scope=number,
                key=qid,
            )
            return False
        found = sent[0]
        value = found.value
        kind = question.kind
        if kind in (Kind.SINGLE_CHOICE, Kind.SELECT, Kind.MULTIPLE_CHOICE):
            codes = [_code_of(item) for item in sent]
            for item, code in zip(sent, codes, strict=True):
                if code not in question.codes:
                    shown = ", ".join(question.codes) if len(question.codes) <= 20 else "its value set"
                    self.problem(
                        IssueCode.UNKNOWN_CODE,
                        f"{qid}: {code!r} is not one of {shown}",
                        item.where,
                        scope=number,
                        key=qid,
                    )
                    return False
            fields[qid] = codes if kind == Kind.MULTIPLE_CHOICE else codes[0]
        elif kind == Kind.DATE:
            match = _DATE.match(value)
            if not match:
                return self.bad_value(qid, f"{qid} must be a full date, like 2025-03-27", found, number)
            year, month, day = match.groups()
            fields.update({f"{qid}-year": year, f"{qid}-month": month, f"{qid}-day": day})
        elif kind == Kind.MONTH_YEAR:
            match = _MONTH_YEAR.match(value)
            if not match:
                return self.bad_value(qid, f"{qid} must be a year and month, like 2025-03", found, number)
            fields.update({f"{qid}-year": match.group(1), f"{qid}-month": match.group(2)})
        elif kind == Kind.TIME:
            match = _TIME.match(value)
            if not match:
                return self.bad_value(qid, f"{qid} must be a time, like 09:30:00", found, number)
            fields[qid] = f"{match.group(1)}:{match.group(2)}"
        elif kind == Kind.AGE:
            if isinstance(value, str):
                fields[f"{qid}-unit"] = value  # an escape code ("unknown"); the engine checks it
            else:
                unit = age_unit(value)
                if unit is None:
                    return self.bad_value(
                        qid,
                        f"{qid} must be 1-30 days, a multiple of {DAYS_IN_MONTH} below {DAYS_IN_YEAR}, or a "
                        f"multiple of {DAYS_IN_YEAR} up to 74,028 (months are {DAYS_IN_MONTH} days and years "
                        f"{DAYS_IN_YEAR})",
                        found,
                        number,
                    )
                fields.update({f"{qid}-value": str(value // AGE_UNITS[unit][0]), f"{qid}-unit": unit})
        elif kind == Kind.NUMBER:
            fields[qid] = str(value)
        else:  # text, organisation, reference
            fields[qid] = value
        return True

    def bad_value(self, qid: str, text: str, found: Found, number: int | None) -> bool:
        self.problem(IssueCode.INVALID_VALUE, text, found.where, scope=number, key=qid)
        return False

    # -- what the journey says --------------------------------------------------------------------------
    def not_applicable(self, answers: dict[str, Any], kept: dict[str, Any]) -> None:
        """Answers sent to questions that are not asked, given the other answers."""
        top = self.reading.top
        for key in answers:
            if key in self.qs.groups() or key == EVENT_TYPE or key in kept or self.uncertain(key, None):
                continue
            where = top.answers[key][0].where if key in top.answers else None
            self.problem(IssueCode.NOT_APPLICABLE, self.not_asked(key), where, key=key)
        for group, repeat in self.qs.groups().items():
            sent = answers.get(group, [])
            kept_items = kept.get(group, [])
            for number, item in enumerate(sent, 1):
                scope = self.reading.patients[number - 1]
                if number > len(kept_items):
                    self.problem(
                        IssueCode.NOT_APPLICABLE,
                        f"Patients are not recorded for {self.event_type.name.lower()} events",
                        scope.where,
                    )
                    continue
                for key in item:
                    if key == repeat.another or key in kept_items[number - 1] or self.uncertain(key, number):
                        continue
                    self.problem(
                        IssueCode.NOT_APPLICABLE,
                        self.not_asked(key),
                        scope.answers[key][0].where,
                        scope=number,
                        key=key,
                    )

    def not_asked(self, key: str) -> str:
        question = self.qs.question(key)
        if question.event_types is not None and self.event_type.key not in question.event_types:
            return f"{key} is not asked for {self.event_type.name.lower()} events"
        section = self.qs.section(question.section_id)
        if section.event_types is not None and self.event_type.key not in section.event_types:
            return f"{key} is not asked for {self.event_type.name.lower()} events"
        condition = question.when or section.when
        if condition is not None:
            return f"{key} is only asked when {condition.describe()}"
        return f"{key} is not asked, given the other answers"

    def required(self, journey: Journey, kept: dict[str, Any]) -> None:
        """Asked, required questions without an answer, with the engine's own messages."""
        for page in journey.pages():
            question = page.question
            if question.id == EVENT_TYPE or (page.item and question.id == page.section.repeat.another):
                continue
            if page.item is None:
                scope_answers, scope = kept, self.reading.top
            else:
                items = kept.get(page.section.repeat.group, [])
                scope_answers = items[page.item - 1] if page.item <= len(items) else {}
                patients = self.reading.patients
                scope = patients[page.item - 1] if page.item <= len(patients) else None
            if question.id in scope_answers or self.uncertain(question.id, page.item):
                continue
            if scope is not None and (question.id in scope.answers or question.id in scope.rejected):
                continue  # sent, but with a problem already reported
            result = validate_answer(question, {}, event_type=self.event_type, today=self.today)
            for field_error in result.errors:
                where = self.reading.missing_where(question.id, scope)
                what = "patient 1" if page.item and scope is None else None
                text = f"{question.id}: {field_error.message}" + (f" ({what} is required)" if what else "")
                self.problem(IssueCode.REQUIRED, text, where, scope=page.item, key=question.id)

    def uncertain(self, question_id: str, number: int | None, depth: int = 0) -> bool:
        """Whether a question's being asked depends on an answer that had a problem."""
        if depth > 50:
            return False
        for ref in self.gates.get(question_id, ()):
            ref_scope = number if self.qs.has_question(ref) and self.qs.question(ref).group else None
            if ref in self.failed.get(ref_scope, ()) or self.uncertain(ref, ref_scope, depth + 1):
                return True
        return False


def age_unit(days: int) -> str | None:
    """The unit an age in days is shown in (taxonomy §2.6), or None for a number no unit gives."""
    if not 1 <= days <= 74028:
        return None
    if days % DAYS_IN_YEAR == 0:
        return "years"
    if days < DAYS_IN_YEAR and days % DAYS_IN_MONTH == 0:
        return "months"
    if days <= 30:
        return "days"
    return None


def _code_of(found: Found) -> str:
    if found.type == "Boolean":
        return "y" if found.value else "n"
    return str(found.value).strip()


def _tested(question: Question) -> set[tuple[str, str]]:
    """(question id, code) for every code a question's condition tests."""
    if question.when is None:
        return set()
    return {(ref, code) for ref, codes in question.when.references() for code in codes}


def _reads(question: Question) -> set[str]:
    return {ref for ref, _ in question.when.references()} if question.when else set()


def _gates(qs: QuestionSet) -> dict[str, set[str]]:
    """For each answer key, the answers whose values decide whether it is asked."""
    gates: dict[str, set[str]] = {}
    for section in qs.sections:
        section_refs = {ref for ref, _ in section.when.references()} if section.when else set()
        for question in section.questions:
            refs = section_refs | _reads(question)
            gates[question.id] = refs
            for reveal in question.reveals:
                gates[reveal.id] = refs | {question.id}
    return gates
