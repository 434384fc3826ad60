"""``manage.py anonymise`` and ``manage.py anonymisation_evaluate`` end to end."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from anonymisation.pipeline import get_pipeline
from anonymisation.pipeline.evaluation import evaluate_file, format_report

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures" / "anonymisation" / "evaluation.jsonl"


@pytest.fixture(scope="module", autouse=True)
def pipeline():
    return get_pipeline()


def run(command, *args, stdin=None):
    stdout, stderr = StringIO(), StringIO()
    extra = {"stdin": stdin} if stdin is not None else {}
    call_command(command, *args, stdout=stdout, stderr=stderr, **extra)
    return stdout.getvalue(), stderr.getvalue()


def test_anonymise_redacts_each_line_in_order_and_reports_bad_lines():
    lines = [
        json.dumps({"id": 1, "text": "Nurse Adebayo rang 07700 900123."}),
        "not json",
        json.dumps({"id": "b", "text": "Mrs Lee has Parkinson's disease."}),
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": "x" * 100_001}),
        "",
        json.dumps({"id": 5, "text": "ناقش Dr Okafor 😀"}),
    ]
    stdout, stderr = run("anonymise", stdin=StringIO("\n".join(lines) + "\n"))
    out = [json.loads(line) for line in stdout.splitlines()]
    assert out[0] == {
        "id": 1,
        "redacted": "Nurse [PERSON 1] rang [PHONE NUMBER 1].",
        "entities": [
            {"type": "PERSON", "start": 6, "end": 13},
            {"type": "PHONE_NUMBER", "start": 19, "end": 31},
        ],
    }
    assert out[1] == {"id": None, "error": "line 2: not valid JSON (Expecting value)"}
    assert out[2]["redacted"] == "Mrs [PERSON 1] has Parkinson's disease."
    assert out[3] == {"id": 3, "error": "line 4: 'text' must be a string"}
    assert out[4] == {
        "id": 4,
        "error": "line 5: text is 100,001 characters long; the limit is 100,000 characters.",
    }
    assert out[5] == {
        "id": 5,
        "redacted": "ناقش Dr [PERSON 1] 😀",
        "entities": [{"type": "PERSON", "start": 8, "end": 14}],
    }
    assert "6 lines, 3 rejected" in stderr


def test_anonymise_batches_across_chunks():
    lines = "\n".join(json.dumps({"id": i, "text": f"Dr Okafor saw patient {i}."}) for i in range(7))
    stdout, _ = run("anonymise", "--chunk-size", "3", "--batch-size", "2", stdin=StringIO(lines))
    out = [json.loads(line) for line in stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(7))
    assert all(o["redacted"].startswith("Dr [PERSON 1] saw") for o in out)


def test_evaluate_on_a_30_line_sample(tmp_path):
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        "".join(SHIPPED.read_text(encoding="utf-8").splitlines(keepends=True)[:30]), encoding="utf-8"
    )
    stdout, _ = run("anonymisation_evaluate", str(sample))
    assert stdout.startswith("30 narratives")
    assert "PERSON" in stdout and "overall" in stdout and "keep spans wrongly redacted" in stdout

    report = evaluate_file(sample, get_pipeline())
    assert report.examples == 30
    assert report.overall.recall >= 0.95
    assert report.overall.precision >= 0.9
    assert report.keep_error_rate <= 0.02
    assert format_report(report) == stdout.rstrip("\n")


def test_evaluate_json_output(tmp_path):
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        json.dumps(
            {"text": "Call Dr Okafor.", "spans": [{"type": "PERSON", "start": 8, "end": 14}], "keep": []}
        )
        + "\n",
        encoding="utf-8",
    )
    stdout, _ = run("anonymisation_evaluate", str(sample), "--json")
    figures = json.loads(stdout)
    assert figures["counts"]["PERSON"]["recall"] == 1.0
    assert figures["counts"]["overall"]["precision"] == 1.0


def test_evaluate_reports_a_missing_file():
    with pytest.raises(CommandError, match="Cannot evaluate"):
        run("anonymisation_evaluate", "/nonexistent/evaluation.jsonl")


def test_evaluate_several_files_side_by_side(tmp_path):
    own = tmp_path / "own.jsonl"
    other = tmp_path / "other.jsonl"
    own.write_text(
        json.dumps(
            {
                "text": "Call Dr Okafor.",
                "spans": [{"type": "PERSON", "start": 8, "end": 14, "locale": "yo_NG"}],
                "keep": [],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    other.write_text(
        json.dumps(
            {
                "text": "kevin ames given Eliquis",
                "spans": [{"type": "PERSON", "start": 0, "end": 10, "origin": "english"}],
                "keep": [{"type": "DRUG", "start": 17, "end": 24}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    stdout, _ = run("anonymisation_evaluate", str(own), str(other))
    header = stdout.splitlines()[0]
    assert "own.jsonl" in header and "other.jsonl" in header
    assert "yo_NG" in stdout and "english" in stdout
    assert "whole-name coverage" in stdout and "DRUG" in stdout

    figures = json.loads(run("anonymisation_evaluate", str(own), str(other), "--json")[0])
    assert figures[str(other)]["person_recall_by_origin"] == {"english": 1.0}
    assert figures[str(other)]["whole_name_coverage"] == 1.0
    assert figures[str(other)]["keep_redacted_by_type"] == {}
