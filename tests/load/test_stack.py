"""The load stack's processes (bench/load/stack.py)."""

from __future__ import annotations

import importlib

import pytest

from bench.load import stack


@pytest.fixture
def niceness(monkeypatch):
    """The stack module as LOAD_WORKER_NICE sets it, and as it was after."""

    def reload(value: str):
        monkeypatch.setenv("LOAD_WORKER_NICE", value)
        return importlib.reload(stack)

    yield reload
    monkeypatch.delenv("LOAD_WORKER_NICE", raising=False)
    importlib.reload(stack)


def test_workers_run_as_the_web_by_default(tmp_path, niceness):
    command = niceness("0").Stack(directory=tmp_path).worker_command(2)
    assert command[:6] == [stack.PYTHON, "-m", "celery", "-A", "lfpse", "worker"]
    assert "worker2@%h" in command


def test_workers_run_niced_when_asked_and_nice_execs_the_worker_itself(tmp_path, niceness):
    command = niceness("10").Stack(directory=tmp_path).worker_command(1)
    assert command[:4] == ["nice", "-n", "10", stack.PYTHON]
    assert "worker1@%h" in command
