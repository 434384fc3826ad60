"""The one merge behind both edit drafts of a submitted record (docs/adr/0008, docs/adr/0015).

A record's revision holds raw answers (encrypted) and, once the worker is done, redacted ones. Two
people change a submitted record, and neither may read the other's raw text:

- the recorder edits their record. Their draft starts from their own words wherever the latest
  answer is still what they last wrote, and from the redacted answer wherever someone else has
  changed it (`recorder_edit_answers` in events/services.py);
- an organisation user edits from the redacted answers. When they re-submit, the recorder's raw
  answer comes back wherever they left the redacted one as it was, so a record never decays into
  placeholders (`merged_answers` in events/organisation_services.py).

Both are the same walk: go through some answers key by key (and item by item inside repeated
groups such as patients); where an answer is unchanged from a reference, take it from one source,
elsewhere from another. Pure Python.
"""

from collections.abc import Mapping
from typing import Any

from events.questionnaire import copy_answers


class NotRedactedYet(Exception):
    """An answer must come from redacted answers that the worker has not produced yet."""


def is_answer_group(value: Any) -> bool:
    """A repeated group's answers (patients): a non-empty list of dicts."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def merge_answers(
    answers: Mapping[str, Any],
    *,
    unchanged_from: Mapping[str, Any],
    unchanged: Mapping[str, Any],
    changed: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """For every key of `answers`: `unchanged[key]` where the answer equals `unchanged_from[key]`,
    else `changed[key]`. Repeated groups present on every side are merged item by item (by
    position: nobody adds or removes items from under someone else's edit); an item that only
    `answers` has is compared with nothing, so it comes from `changed`.

    The recorder's edit:   merge_answers(latest raw, unchanged_from=their own last answers,
                                         unchanged=latest raw, changed=latest redacted)
    The organisation's:    merge_answers(edited, unchanged_from=latest redacted,
                                         unchanged=latest raw, changed=edited)

    `changed` is None while the redacted answers do not exist yet: any answer that would need them
    raises NotRedactedYet (the caller asks the user to try again in a few minutes).
    """
    merged: dict[str, Any] = {}
    for key, value in answers.items():
        if key in unchanged_from and key in unchanged and value == unchanged_from[key]:
            merged[key] = copy_answers(unchanged[key])
            continue
        if changed is None or key not in changed:
            raise NotRedactedYet(key)
        sides = (value, unchanged_from.get(key), unchanged.get(key), changed[key])
        if all(is_answer_group(side) for side in sides):
            merged[key] = _merge_items(*sides)
        else:
            merged[key] = copy_answers(changed[key])
    return merged


def _merge_items(items, unchanged_from, unchanged, changed) -> list[dict[str, Any]]:
    def item(side: list, number: int) -> dict[str, Any]:
        return side[number] if number < len(side) else {}

    return [
        merge_answers(
            answers,
            unchanged_from=item(unchanged_from, number),
            unchanged=item(unchanged, number),
            changed=changed[number] if number < len(changed) else None,
        )
        for number, answers in enumerate(items)
    ]
