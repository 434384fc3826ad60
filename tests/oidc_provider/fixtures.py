"""Run the test OpenID Connect provider (server.mjs, npm `oidc-provider`) and point Django at it.

In a test module:

    pytest_plugins = ["tests.oidc_provider.fixtures"]

    @pytest.mark.django_db(transaction=True)
    def test_sign_in(oidc_settings, live_server):
        provider = oidc_settings  # an OIDCTestProvider; Django's OIDC_* settings now point at it
        ...

Fixtures:
- ``oidc_provider`` (session): the provider, started once for the live server; its one confidential
  client's redirect URI is ``live_server.url + "/oidc/callback/"``; accounts are DEFAULT_ACCOUNTS.
- ``oidc_settings`` (function): sets OIDC_ENABLED and the OIDC_RP_* / OIDC_OP_* settings from the
  provider's discovery document (through pytest-django's ``settings``) and returns the provider.

For other accounts or clients, use the context manager directly:

    with run_oidc_provider(redirect_uris=[...], accounts=[{...}]) as provider: ...

Import the accounts, OIDCTestProvider and ``sign_in_with_requests`` from ``tests.oidc_provider``.
"""

import json
import os
import queue
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
import requests

from . import (
    CALLBACK_PATH,
    DEFAULT_ACCOUNTS,
    DEFAULT_CLIENT_ID,
    REPO_ROOT,
    SERVER_SCRIPT,
    OIDCTestProvider,
)

STARTUP_TIMEOUT_SECONDS = 30.0


class ProviderStartError(RuntimeError):
    """The test provider did not start; the message carries its stderr."""


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _stderr_text(stderr_file) -> str:
    stderr_file.flush()
    stderr_file.seek(0)
    return stderr_file.read().strip() or "(nothing on stderr)"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def run_oidc_provider(
    *,
    redirect_uris: Sequence[str],
    accounts: Sequence[dict] = DEFAULT_ACCOUNTS,
    client_id: str = DEFAULT_CLIENT_ID,
    client_secret: str | None = None,
    timeout: float = STARTUP_TIMEOUT_SECONDS,
) -> Iterator[OIDCTestProvider]:
    """Start server.mjs with node on a free port, yield it once READY, and stop it afterwards."""
    node = shutil.which("node")
    if node is None:
        raise ProviderStartError("The OIDC tests need Node.js (`node` on PATH) to run the test provider.")
    if not (REPO_ROOT / "node_modules" / "oidc-provider").is_dir():
        raise ProviderStartError(
            f"{REPO_ROOT / 'node_modules' / 'oidc-provider'} is missing: run `npm ci` in the repository root."
        )
    client_secret = client_secret or secrets.token_urlsafe(32)
    env = {
        **os.environ,
        "OIDC_PROVIDER_PORT": "0",
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": client_secret,
        "OIDC_REDIRECT_URIS": json.dumps(list(redirect_uris)),
        "OIDC_ACCOUNTS": json.dumps(list(accounts)),
        "NODE_ENV": "test",
    }
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as stderr_file:
        process = subprocess.Popen(
            [node, str(SERVER_SCRIPT)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            text=True,
            encoding="utf-8",
        )
        try:
            lines: queue.Queue = queue.Queue()
            threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
            issuer = _wait_until_ready(process, lines, stderr_file, timeout)
            try:
                response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
                response.raise_for_status()
                configuration = response.json()
            except requests.RequestException as error:
                raise ProviderStartError(
                    f"The test OIDC provider at {issuer} did not serve its discovery document: {error}\n"
                    f"stderr:\n{_stderr_text(stderr_file)}"
                ) from error
            yield OIDCTestProvider(
                issuer=issuer,
                client_id=client_id,
                client_secret=client_secret,
                redirect_uris=tuple(redirect_uris),
                accounts=tuple(dict(account) for account in accounts),
                configuration=configuration,
            )
        finally:
            _stop(process)


def _wait_until_ready(process: subprocess.Popen, lines: queue.Queue, stderr_file, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProviderStartError(
                f"The test OIDC provider ({SERVER_SCRIPT}) did not print READY within {timeout:.0f}s.\n"
                f"stderr:\n{_stderr_text(stderr_file)}"
            )
        try:
            line = lines.get(timeout=min(remaining, 0.5))
        except queue.Empty:
            continue
        if line is None:
            process.wait(timeout=5)
            raise ProviderStartError(
                f"The test OIDC provider ({SERVER_SCRIPT}) exited with status {process.returncode} "
                f"before it was ready.\nstderr:\n{_stderr_text(stderr_file)}"
            )
        if line.startswith("READY "):
            return line.split(maxsplit=1)[1].strip().rstrip("/")


@pytest.fixture(scope="session")
def oidc_provider(live_server) -> Iterator[OIDCTestProvider]:
    """The test provider, with the live server's callback as its client's redirect URI."""
    with run_oidc_provider(redirect_uris=[live_server.url + CALLBACK_PATH]) as provider:
        yield provider


@pytest.fixture
def oidc_settings(settings, oidc_provider: OIDCTestProvider) -> OIDCTestProvider:
    """Point Django's OIDC settings at the test provider for one test; returns the provider."""
    for name, value in oidc_provider.django_settings().items():
        setattr(settings, name, value)
    return oidc_provider
