"""`manage.py similar_events_evaluate FILE`: the service's own ranking and duplicate rule over a
labelled file, a TF-IDF baseline beside it, the summary as the last line, malformed lines named."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.similarity import evaluation, ranking, selectors, services, submission

SANITY = Path(__file__).resolve().parent / "data" / "sanity.jsonl"
LAST_LINE = re.compile(
    r"^recall_at_10=(\d\.\d{4}) duplicate_precision=(\d\.\d{4}) duplicate_recall=(\d\.\d{4})$"
)


def run(path: Path) -> list[str]:
    out = StringIO()
    call_command("similar_events_evaluate", str(path), stdout=out)
    return out.getvalue().strip().splitlines()


def test_the_command_prints_ours_beside_the_baseline_and_the_summary_last():
    lines = run(SANITY)
    assert lines[0].split() == ["measure", "ours", "TF-IDF"]
    assert any(line.startswith("duplicate precision") for line in lines)
    summary = LAST_LINE.match(lines[-1])
    assert summary, lines[-1]
    recall, precision, dup_recall = map(float, summary.groups())
    # The sanity file: both same-event pairs are found, the insulin record on another ward is not
    # taken for a duplicate, and every record with a partner finds one among ten.
    assert (recall, precision, dup_recall) == (1.0, 1.0, 1.0)


def test_the_figures_count_what_the_labels_say(tmp_path):
    """A file whose two duplicates are told in unrelated words: the ranking cannot pair them, so
    recall@10 stays 1.0 only because there are just two records; the duplicate rule misses them."""
    rows = [
        {"id": "a", "organisation": "RR8", "event_date": "2026-01-01", "event_type": "1",
         "text": "Insulin given twice by two nurses on ward 7.", "same_event": "g", "related": None},
        {"id": "b", "organisation": "RR8", "event_date": "2026-01-01", "event_type": "1",
         "text": "Sharps bin overflowing in the clinic corridor.", "same_event": "g", "related": None},
    ]  # fmt: skip
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows))
    recall, precision, dup_recall = map(float, LAST_LINE.match(run(path)[-1]).groups())
    assert recall == 1.0 and dup_recall == 0.0 and precision == 1.0  # nothing predicted: precision 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "x"', "line 2: not JSON"),
        ('["a list"]', "line 2: not a JSON object"),
        (
            '{"id": "x", "organisation": "RR8"}',
            "line 2: missing event_date, event_type, text, same_event, related",
        ),
        (
            '{"id": "x", "organisation": "RR8", "event_date": "1/2/2026", "event_type": "1", "text": "t",'
            ' "same_event": null, "related": null}',
            "line 2: event_date '1/2/2026' is not YYYY-MM-DD",
        ),
        (
            '{"id": "s1", "organisation": "RR8", "event_date": "2026-01-01", "event_type": "1", "text": "t",'
            ' "same_event": null, "related": null}',
            "line 2: id 's1' appears twice",
        ),
        (
            '{"id": "x", "organisation": "RR8", "event_date": "2026-01-01", "event_type": "1", "text": "",'
            ' "same_event": null, "related": null}',
            "line 2: text must be a non-empty string",
        ),
    ],
)
def test_a_malformed_line_is_named(tmp_path, content, message):
    first = SANITY.read_text().splitlines()[0]
    path = tmp_path / "bad.jsonl"
    path.write_text(first + "\n" + content + "\n")
    with pytest.raises(CommandError) as raised:
        run(path)
    assert str(raised.value).startswith(f"{path}, {message}")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "absent.jsonl")


def test_the_evaluation_and_the_service_call_the_same_ranking_and_duplicate_rule():
    """Not a copy: the command and the service import the very same functions."""
    assert evaluation.rank is ranking.rank is selectors.rank
    assert evaluation.probable_duplicate is ranking.probable_duplicate
    assert services.probable_duplicates is ranking.probable_duplicates
    assert submission.probable_duplicate is ranking.probable_duplicate  # stops at the first match
