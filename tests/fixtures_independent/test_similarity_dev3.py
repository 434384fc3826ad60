"""The hand-written similarity set dev3 stays frozen and valid (docs/adr/0020, third development set)."""

import hashlib
import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "fixtures" / "similarity" / "dev3"


def test_matches_its_frozen_checksum():
    digest, file_name = (FOLDER / "SHA256SUMS").read_text().split()
    assert file_name == "dev3.jsonl"
    assert hashlib.sha256((FOLDER / file_name).read_bytes()).hexdigest() == digest


def test_passes_its_validator():
    result = subprocess.run(
        [sys.executable, str(FOLDER / "validate.py"), str(FOLDER / "dev3.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
