"""The hand-written similarity sets (dev3, dev4, dev5) stay frozen and valid (docs/adr/0020): each in its own
folder with its checksum and its writer's validator."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

SIMILARITY = Path(__file__).resolve().parents[2] / "fixtures" / "similarity"
SETS = ["dev3", "dev4", "dev5"]


@pytest.mark.parametrize("name", SETS)
def test_matches_its_frozen_checksum(name):
    folder = SIMILARITY / name
    digest, file_name = (folder / "SHA256SUMS").read_text().split()
    assert file_name == f"{name}.jsonl"
    assert hashlib.sha256((folder / file_name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("name", SETS)
def test_passes_its_validator(name):
    folder = SIMILARITY / name
    result = subprocess.run(
        [sys.executable, str(folder / "validate.py"), str(folder / f"{name}.jsonl")],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
