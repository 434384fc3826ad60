"""The independent evaluation sets stay frozen and valid.

The checksums in SHA256SUMS were recorded when each set was committed; a changed file means the set is
no longer the one that was frozen. The validator is the generator's own checker, run as a script.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "fixtures" / "anonymisation" / "independent"


def test_sets_match_their_frozen_checksums():
    lines = (FOLDER / "SHA256SUMS").read_text().splitlines()
    recorded = {name: digest for digest, name in (line.split() for line in lines)}
    assert set(recorded) == {"dev.jsonl", "heldout.jsonl"}
    for name, digest in recorded.items():
        assert hashlib.sha256((FOLDER / name).read_bytes()).hexdigest() == digest, name


def test_sets_pass_the_validator():
    script = str(FOLDER / "generator" / "validate.py")
    result = subprocess.run([sys.executable, script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 problem(s)" in result.stdout
