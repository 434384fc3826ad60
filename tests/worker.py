"""A real Celery worker in a subprocess, bound to the test database and the test Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
from django.db import connection

from lfpse.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The URL of the database pytest-django created, so the worker sees what tests write."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        raise RuntimeError("A real worker needs PostgreSQL: set DATABASE_URL.")
    parsed = dj_database_url.parse(os.environ["DATABASE_URL"])
    host = settings["HOST"] or parsed["HOST"] or "127.0.0.1"
    user = settings["USER"] or parsed["USER"] or "postgres"
    port = settings["PORT"] or parsed["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


class WorkerProcess:
    def __init__(self, hostname: str = "tests@%h"):
        self.hostname = hostname
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "DJANGO_SETTINGS_MODULE": "lfpse.settings.test",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lfpse",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "-n",
                self.hostname,
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            self._wait_until_it_answers(timeout)
        except BaseException:
            self.stop()  # never leave a worker behind when the test session cannot use it
            raise

    def _wait_until_it_answers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The Celery worker exited with code {self.process.returncode}.")
            if celery_app.control.ping(timeout=0.5):
                return
        raise RuntimeError("The Celery worker did not answer a ping in time.")

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task without acknowledging or cleaning up anything."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
