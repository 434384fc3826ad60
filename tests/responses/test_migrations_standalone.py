"""The responses app's migrations hold what they need: an applied migration must not change when the
app's code does, so none imports the app's modules (field classes from lfpse aside). Migration 0004's
copies of the tally still agree with figures.py today."""

import ast
import importlib
from pathlib import Path

import pytest

from events.responses import figures

MIGRATIONS = Path(__file__).resolve().parents[2] / "events" / "responses" / "migrations"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("path", sorted(MIGRATIONS.glob("0*.py")), ids=lambda path: path.name)
def test_no_migration_imports_the_apps_code(path):
    assert not [module for module in imported_modules(path) if module.startswith("events")], path.name
    assert "importlib" not in imported_modules(path), f"{path.name} loads another migration: copy it"


@pytest.mark.django_db
def test_the_copies_in_0004_agree_with_figures_today():
    from accounts.models import AccountType
    from events.responses import services
    from tests.events.test_organisation_support import member
    from tests.factories import make_hierarchy

    from .support import incident

    migration = importlib.import_module("events.responses.migrations.0004_decision_tally")
    assert " ".join(migration.TALLY_FROM_RESPONSES_SQL.split()) == " ".join(
        figures.TALLY_FROM_RESPONSES_SQL.split()
    )
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    response = services.response_decide(actor=decider, event=incident(recorder), kind="aar", rationale="r")
    assert migration.tally_key(response) == figures.tally_key(response)
