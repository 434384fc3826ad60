"""The duplicate check at submission: the form's "Record submitted" page and the FHIR API (a new
record, POST, and a replacement of one, PUT).

The new revision is compared with the processed records of the same organisation within 48 hours by
the one duplicate rule (ranking.probable_duplicates). The warning names no other record and quotes no
text: the submitter may not be allowed to see the records it matched. The organisation's reviewers
see the flag, once redaction is complete, on the record page (where it is stored by the worker).

An updated record is not warned about a record its reviewers have already decided on (linked as the
same event or dismissed as a different one): that question has been answered.
"""

from __future__ import annotations

from itertools import chain

from django.db.models import Q

from .models import ClusterMember, DuplicateFlag, DuplicateStatus
from .profiles import coded_signals, profile_of_submission, stored_profiles
from .ranking import probable_duplicate, tuning
from .services import Patient, duplicate_candidate_rows
from .statistics import corpus_statistics

WARNING = (
    "This record may describe the same event as a record already made for this organisation within "
    "48 hours. It has been submitted; the organisation's reviewers will check whether it is the same "
    "event."
)


def duplicate_warning(revision) -> list[str]:
    """[WARNING] when the revision is probably a duplicate, else [].

    One match is enough to warn, so the candidates (nearest dates first) are compared one at a time
    until the first match: records sent in a batch by one system are often all alike, and comparing
    the rest, and explaining each match, changed nothing the submitter is told."""
    event = revision.event
    coded = coded_signals(revision.answers or {}, revision.question_set_version)
    # An update: leave out the pairs already decided.
    rows = duplicate_candidate_rows(
        event,
        leaving_out=already_decided_with(event) if revision.number > 1 else (),
        patient=Patient(coded["age_band"], coded["sex"]),
    )
    each = (candidate for candidate, _ in stored_profiles(rows))  # built one at a time, as compared
    first = next(each, None)
    if first is None:
        return []
    query = profile_of_submission(revision, coded=coded)
    stats, tune = corpus_statistics(), tuning()
    found = any(
        probable_duplicate(query, candidate, tune=tune, stats=stats) is not None
        for candidate in chain([first], each)
    )
    return [WARNING] if found else []


def already_decided_with(event) -> set[int]:
    """The records a reviewer has linked with this one as the same event or dismissed as different."""
    decided = set()
    for a, b in DuplicateFlag.objects.filter(
        Q(event=event) | Q(candidate=event), ~Q(status=DuplicateStatus.OPEN)
    ).values_list("event_id", "candidate_id"):
        decided.update((a, b))
    cluster = ClusterMember.objects.filter(event=event).values_list("cluster_id", flat=True).first()
    if cluster is not None:
        decided.update(ClusterMember.objects.filter(cluster_id=cluster).values_list("event_id", flat=True))
    decided.discard(event.pk)
    return decided
