"""CPU seconds per part of the load stack (bench/load/cpu.py), on processes of this test."""

import os
import subprocess
import sys

from bench.load import cpu


def test_a_part_counts_its_own_time_and_that_of_children_that_ended():
    before = cpu.snapshot({"tests": os.getpid()}, None)
    # A child that spins for a while and exits: reaped by us, its time is in "tests: exited".
    subprocess.run([sys.executable, "-c", "sum(range(30_000_000))"], check=True)
    sum(range(3_000_000))  # and some of our own
    spent = cpu.difference(before, cpu.snapshot({"tests": os.getpid()}, None))
    assert spent["tests: exited"] > 0.1
    assert spent["tests"] > 0
    assert spent["machine (all processes, both cores)"] >= spent["tests: exited"]
