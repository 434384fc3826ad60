"""The independent tuning sets written after the first (dev3 to dev10b) stay frozen and valid:
each in its own folder with its checksum and its writer's validator (docs/adr/0012)."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

INDEPENDENT = Path(__file__).resolve().parents[2] / "fixtures" / "anonymisation" / "independent"
# The folder, and the arguments its validator takes (dev3's checks its own file when given none).
SETS = {
    "dev3": [],
    "dev4": ["dev4.jsonl"],
    "dev5": ["dev5.jsonl"],
    "dev6": ["dev6.jsonl"],
    "dev7": ["dev7.jsonl"],
    "dev8": ["dev8.jsonl"],
    "dev9a": ["dev9a.jsonl"],
    "dev9b": ["dev9b.jsonl"],
    "dev10a": ["dev10a.jsonl"],
    "dev10b": ["dev10b.jsonl"],
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_matches_its_frozen_checksum(name):
    folder = INDEPENDENT / name
    digest, file_name = (folder / "SHA256SUMS").read_text().split()
    assert file_name == f"{name}.jsonl"
    assert hashlib.sha256((folder / file_name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("name", sorted(SETS))
def test_passes_its_validator(name):
    folder = INDEPENDENT / name
    arguments = [str(folder / argument) for argument in SETS[name]]
    result = subprocess.run(
        [sys.executable, str(folder / "validate.py"), *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,  # dev9b's validator reads its file from where it is run
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
