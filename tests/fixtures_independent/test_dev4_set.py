"""The fourth independent tuning set stays frozen and valid (its own folder, checksum and validator)."""

import hashlib
import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "fixtures" / "anonymisation" / "independent" / "dev4"


def test_dev4_matches_its_frozen_checksum():
    digest, name = (FOLDER / "SHA256SUMS").read_text().split()
    assert name == "dev4.jsonl"
    assert hashlib.sha256((FOLDER / name).read_bytes()).hexdigest() == digest


def test_dev4_passes_its_validator():
    script = str(FOLDER / "validate.py")
    result = subprocess.run(
        [sys.executable, script, str(FOLDER / "dev4.jsonl")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.strip().endswith("0 errors")
