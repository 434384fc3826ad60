"""A production-like stack on this machine, with parts of its own that faults may kill (docs/adr/0022).

    .venv/bin/python bench/load/stack.py [--events 20000] [--seconds 600]

starts, in a temporary directory, and stops again by itself after --seconds (or Ctrl-C):

- its own PostgreSQL cluster (initdb from /usr/lib/postgresql/*/bin, port 25432) and its own
  redis-server (port 26379, append-only file on, as docker-compose.yml runs it), so that restarting
  them harms nobody else on the machine;
- the database migrated and filled by bench/events_load.py (--events records; the demo organisations
  and accounts come with it), and an API client for Leeds Teaching Hospitals (RR8) whose key is
  written to <dir>/api-key;
- gunicorn with lfpse.settings.production (gthread workers, port 8104), two Celery workers (solo pool) and beat.

TLS is not terminated here, so SECURE_SSL_REDIRECT is off; everything else is the production settings.
bench/load/run.py uses the same class to run the load, the faults and the reconciliation.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# Other ports for a second stack beside the first: LOAD_PG_PORT, LOAD_REDIS_PORT, LOAD_WEB_PORT.
# Below Linux's ephemeral range (32768-60999): a port in it can be held as the source port of any
# outgoing connection on the machine, and then PostgreSQL or Redis cannot listen on it.
PG_PORT = int(os.environ.get("LOAD_PG_PORT", "25432"))
REDIS_PORT = int(os.environ.get("LOAD_REDIS_PORT", "26379"))
WEB_PORT = int(os.environ.get("LOAD_WEB_PORT", "8104"))
# What a cached cluster holds (bench/load/run.py --cache): a new value when `prepare` changes.
PREPARED_AS = "with-vectors"
# The Celery workers' niceness: LOAD_WORKER_NICE=10 lets them yield the CPU to the web processes when
# both want it. Tried, not the default: runs with it did not differ from runs without by more than runs
# of one setting differ (docs/adr/0022, fourth session).
WORKER_NICE = int(os.environ.get("LOAD_WORKER_NICE", "0"))


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} not found under /usr/lib/postgresql/*/bin: install postgresql")
    return found[-1]


def as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


@dataclass
class Stack:
    directory: Path
    web_workers: int = 2
    web_threads: int = 4
    worker_count: int = 2
    # Each worker runs its task in its own process (solo): with one task at a time per worker, prefork's
    # pool child only adds a process and a pipe per task (about 3 ms of CPU a task in the short run,
    # docs/adr/0022 amended). LOAD_WORKER_POOL=prefork runs them as docker-compose does.
    worker_pool: str = "solo"
    sweep_after: int = 300
    sweep_every: int = 60
    log: bool = True
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(40))
    encryption_key: str = ""

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/lfpse"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{REDIS_PORT}/0"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{WEB_PORT}"

    def say(self, message: str) -> None:
        if self.log:
            print(f"[stack {time.strftime('%H:%M:%S')}] {message}", flush=True)

    def env(self) -> dict[str, str]:
        if not self.encryption_key:
            from cryptography.fernet import Fernet

            self.encryption_key = Fernet.generate_key().decode()
        return {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DJANGO_SETTINGS_MODULE": "lfpse.settings.production",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": self.secret_key,
            "FIELD_ENCRYPTION_KEYS": self.encryption_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "REDACTION_SWEEP_AFTER_SECONDS": str(self.sweep_after),
            "REDACTION_SWEEP_EVERY_SECONDS": str(self.sweep_every),
            "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
            "PYTHONPATH": str(ROOT),
        }

    # -- PostgreSQL and Redis of our own -------------------------------------------------------------
    pg_root: Path | None = None

    @property
    def pg_data(self) -> Path:
        """In a directory of its own under the system's temporary directory, owned by the postgres user
        when we are root (`directory` may sit where that user cannot go, such as pytest's tmp_path)."""
        if self.pg_root is None:
            self.pg_root = Path(tempfile.mkdtemp(prefix="lfpse-pg-"))
            if os.geteuid() == 0:
                shutil.chown(self.pg_root, "postgres")
        return self.pg_root / "pgdata"

    def postgres_init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            as_postgres(
                [pg_bin("initdb"), "-D", str(self.pg_data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with (self.pg_data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {PG_PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.pg_root}'\n"
                "max_connections = 200\nshared_buffers = 512MB\nwork_mem = 16MB\n"
                "maintenance_work_mem = 512MB\nmax_wal_size = 4GB\n"
            )

    def postgres_start(self) -> None:
        log = self.pg_data.parent / "postgres.log"
        command = as_postgres(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(self.pg_data),
                "-l",
                str(log),
                "-o",
                # A copied cluster's socket directory is gone; pg_stat_statements lets the load
                # run say which statements took the database's time (bench/load/run.py).
                f"-k {self.pg_data.parent} -c shared_preload_libraries=pg_stat_statements"
                " -c pg_stat_statements.track_planning=on",
                "-w",
                "start",
            ]
        )
        for attempt in range(3):
            started = subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
            if started.returncode == 0:
                return
            time.sleep(2 * (attempt + 1))
        tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else ["(no log written)"]
        raise RuntimeError("PostgreSQL did not start after three tries; its log ends:\n" + "\n".join(tail))

    def postgres_stop(self, mode: str = "fast") -> None:
        subprocess.run(
            as_postgres([pg_bin("pg_ctl"), "-D", str(self.pg_data), "-m", mode, "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def redis_start(self) -> None:
        self.start(
            "redis",
            [
                "redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--dir", str(self.directory),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "no",
            ],
        )  # fmt: skip
        import redis

        wait_for(lambda: redis.Redis(port=REDIS_PORT, socket_timeout=1).ping(), 20, "redis-server")

    # -- the service -----------------------------------------------------------------------------------
    def start(self, name: str, command: list[str], *, env: dict | None = None) -> subprocess.Popen:
        log = (self.directory / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), check=True)

    def prepare(self, events: int) -> None:
        """Migrates, loads the records, the demo accounts and an API client; collects static files."""
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres", autocommit=True) as db:
            db.execute("CREATE DATABASE lfpse")
        started = time.monotonic()
        env = {**self.env(), "DATABASE_URL": self.database_url}
        subprocess.run(
            [PYTHON, "bench/events_load.py", "--events", str(events)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=(self.directory / "events_load.log").open("ab"),
        )
        self.say(f"{events:,} records loaded by bench/events_load.py in {time.monotonic() - started:.0f} s")
        # Every processed record has its vector, as in a service that has run a while (the loader writes
        # none): without them each record page's "Events like this" made its candidates' vectors on the
        # spot, and the duplicate rule compared no meanings (docs/adr/0022).
        started = time.monotonic()
        subprocess.run(
            [PYTHON, "manage.py", "similar_events_backfill", "--batch-size", "2000"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=(self.directory / "events_load.log").open("ab"),
            stderr=subprocess.DEVNULL,
        )
        self.say(f"vectors made for them by similar_events_backfill in {time.monotonic() - started:.0f} s")
        subprocess.run(
            [PYTHON, str(Path(__file__).with_name("setup_accounts.py")), str(self.directory)],
            cwd=ROOT,
            env=self.env(),
            check=True,
        )

    def web_start(self) -> None:
        static = ROOT / "var" / "staticfiles" / "staticfiles.json"
        if not static.exists() or static.stat().st_mtime < (ROOT / "static" / "build").stat().st_mtime:
            self.manage("collectstatic", "--noinput", "-v0")
        self.start(
            "web",
            [
                PYTHON, "-m", "gunicorn", "lfpse.wsgi:application", "--bind", f"127.0.0.1:{WEB_PORT}",
                "--workers", str(self.web_workers), "--threads", str(self.web_threads),
                "--worker-class", "gthread", "--timeout", "60", "--graceful-timeout", "10",
                "--backlog", "256", "--log-level", "warning",
            ],
            env=self.env(),
        )  # fmt: skip
        import requests

        wait_for(
            lambda: requests.get(f"{self.base_url}/healthz", timeout=5).status_code in (200, 503),
            90,
            "gunicorn",
        )

    def worker_command(self, number: int) -> list[str]:
        """A Celery worker at WORKER_NICE: `nice` execs it, so the process killed, paused and measured is
        the worker itself."""
        niced = ["nice", "-n", str(WORKER_NICE)] if WORKER_NICE else []
        return [
            *niced, PYTHON, "-m", "celery", "-A", "lfpse", "worker", "-n", f"worker{number}@%h",
            "--concurrency", "1", "--pool", self.worker_pool, "--loglevel", "WARNING", "--without-gossip",
            "--without-mingle",
        ]  # fmt: skip

    def worker_start(self, number: int) -> None:
        self.start(f"worker{number}", self.worker_command(number), env=self.env())

    def beat_start(self) -> None:
        self.start(
            "beat",
            [
                PYTHON, "-m", "celery", "-A", "lfpse", "beat", "--loglevel", "WARNING",
                "--schedule", str(self.directory / "celerybeat-schedule"),
            ],
            env=self.env(),
        )  # fmt: skip

    def workers_ready(self, count: int, timeout: float = 120) -> None:
        import requests

        def answered() -> bool:
            body = requests.get(f"{self.base_url}/healthz", timeout=10).json()
            return body["checks"]["workers"].get("count", 0) >= count

        wait_for(answered, timeout, f"{count} Celery workers")

    def up(self, events: int, cache: Path | None = None) -> None:
        """With `cache`, a loaded cluster is kept there (var/load/pgdata-<events>-<PREPARED_AS>) and copied next time
        instead of loading again: 1,000,000 records take a quarter of an hour to load."""
        started = time.monotonic()
        template = cache / f"pgdata-{events}-{PREPARED_AS}" if cache else None
        if template is not None and (template / "ready.json").exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            subprocess.run(["cp", "-a", str(template / "pgdata"), str(self.pg_data)], check=True)
            saved = json.loads((template / "ready.json").read_text())
            self.encryption_key = saved["encryption_key"]
            shutil.copy(template / "api-keys.json", self.directory / "api-keys.json")
            self.postgres_start()
            self.redis_start()
            # The cluster was loaded by older code maybe: bring its schema to this code's migrations.
            self.manage("migrate", "--noinput", "-v0")
            self.say(f"{events:,} records from {template} in {time.monotonic() - started:.0f} s")
        else:
            self.postgres_init()
            self.postgres_start()
            self.redis_start()
            self.say(f"PostgreSQL on {PG_PORT} and Redis on {REDIS_PORT} in {self.directory}")
            self.prepare(events)
            if template is not None:
                self.postgres_stop()
                template.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(template / "pgdata", ignore_errors=True)
                subprocess.run(["cp", "-a", str(self.pg_data), str(template / "pgdata")], check=True)
                shutil.copy(self.directory / "api-keys.json", template / "api-keys.json")
                (template / "ready.json").write_text(json.dumps({"encryption_key": self.encryption_key}))
                self.postgres_start()
        self.web_start()
        for number in range(1, self.worker_count + 1):
            self.worker_start(number)
        self.beat_start()
        self.workers_ready(self.worker_count)
        self.say(f"stack up in {time.monotonic() - started:.0f} s: {self.base_url}")

    def signal_group(self, name: str, sig: int) -> None:
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)

    def stop_process(self, name: str, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGCONT)  # a paused one could not stop
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def down(self) -> None:
        for name in [n for n in self.processes if n != "redis"]:
            self.stop_process(name)
        self.stop_process("redis")
        if self.pg_root is not None:
            self.postgres_stop()
            with contextlib.suppress(OSError):
                shutil.copy(self.pg_root / "postgres.log", self.directory / "postgres.log")
            shutil.rmtree(self.pg_root, ignore_errors=True)
            self.pg_root = None
        self.say("stack stopped")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20_000, help="records loaded (the full run: 1,000,000)")
    parser.add_argument("--seconds", type=float, default=600, help="stop by itself after this long")
    parser.add_argument("--directory", type=Path, default=None, help="kept afterwards when given")
    parser.add_argument("--cache", type=Path, default=None, help="keep the loaded cluster here for next time")
    args = parser.parse_args()
    directory = args.directory or Path(tempfile.mkdtemp(prefix="lfpse-stack-"))
    stack = Stack(directory)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    try:
        stack.up(args.events, args.cache)
        stack.say(
            f"serving for {args.seconds:.0f} s (Ctrl-C stops it sooner); API key in {directory / 'api-key'}"
        )
        time.sleep(args.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        stack.down()
        if args.directory is None:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
