"""The duplicate check at submission: the form's "Record submitted" page and the FHIR API.

The new revision is compared with the processed records of the same organisation within 48 hours by
the one duplicate rule (ranking.probable_duplicates). The warning names no other record and quotes no
text: the submitter may not be allowed to see the records it matched. The organisation's reviewers
see the flag, once redaction is complete, on the record page (where it is stored by the worker).
"""

from __future__ import annotations

from .profiles import profile_of_submission, profiles_of
from .ranking import probable_duplicates
from .services import CANDIDATE_LIMIT, duplicate_candidates
from .statistics import corpus_statistics

WARNING = (
    "This record may describe the same event as a record already made for this organisation within "
    "48 hours. It has been submitted; the organisation's reviewers will check whether it is the same "
    "event."
)


def duplicate_warning(revision) -> list[str]:
    """[WARNING] when the revision is probably a duplicate, else []."""
    candidates = profiles_of(duplicate_candidates(revision.event)[:CANDIDATE_LIMIT])
    if not candidates:
        return []
    query = profile_of_submission(revision)
    found = probable_duplicates(query, candidates, stats=corpus_statistics())
    return [WARNING] if found else []
