"""The DOT branching graph and the command that writes it."""

import ast
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.questionnaire import to_dot

from .helpers import QS

PACKAGE = Path(__file__).resolve().parents[3] / "events" / "questionnaire"


def test_the_graph_has_a_cluster_per_section_and_an_edge_per_branch():
    dot = to_dot(QS)
    assert dot.startswith('digraph "questionnaire_v5" {')
    assert dot.rstrip().endswith("}")
    assert dot.count("{") == dot.count("}")
    for section in QS.sections:
        assert f'subgraph "cluster_{section.id}"' in dot
    for question in QS.all_questions():
        assert f'"{question.id}" [' in dot
    assert '"DrugInvolvementFactors" -> "DrugUsedTooMuch" [label="DrugInvolvementFactors = 1 (' in dot
    medications = '[label="InvolvedAgents = 4 (Medications)", lhead="cluster_medications"]'
    assert f'"InvolvedAgents" -> "DrugsInvolved" {medications}' in dot
    assert '"PhysicalHarm" -> "PsychologicalHarm" [label="not PhysicalHarm = 1 (Fatal)"]' in dot
    assert '"anonymous recorder" -> "WhyAnonymous"' in dot
    assert '"InvolvedProcesses" -> "InvolvedProcessesOther" [label="4 (Other)", style=dashed]' in dot
    assert '"EventType" -> "RiskDescription" [label="event type is risk", lhead="cluster_risk"]' in dot


def test_every_edge_joins_known_nodes():
    dot = to_dot(QS)
    nodes = set(re.findall(r'^\s+"([^"]+)" \[', dot, re.MULTILINE))
    for source, target in re.findall(r'^\s+"([^"]+)" -> "([^"]+)"', dot, re.MULTILINE):
        assert source in nodes
        assert target in nodes


def test_the_command_writes_the_graph_to_a_file(tmp_path):
    output = tmp_path / "questionnaire.dot"
    stdout = StringIO()
    call_command("questionnaire_graph", "--version", "5", "--output", str(output), stdout=stdout)
    assert output.read_text(encoding="utf-8") == to_dot(QS)
    assert "Wrote the version 5 question graph" in stdout.getvalue()


def test_the_command_prints_the_latest_version_by_default():
    stdout = StringIO()
    call_command("questionnaire_graph", stdout=stdout)
    assert stdout.getvalue() == to_dot(QS)


def test_the_command_rejects_an_unknown_version():
    with pytest.raises(CommandError, match="No question set version 42"):
        call_command("questionnaire_graph", "--version", "42")


def test_the_engine_package_does_not_import_django():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "django" for name in names), path.name


def test_the_command_draws_the_statutory_question_set():
    stdout = StringIO()
    call_command("questionnaire_graph", "--question-set", "statutory", stdout=stdout)
    dot = stdout.getvalue()
    assert dot.startswith('digraph "statutory_v1" {')
    assert '"NeverEvent" -> "NeverEventType" [label="NeverEvent = y (Yes)"' in dot
