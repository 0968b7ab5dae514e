"""Items API benchmark: the API under gunicorn (2 sync workers) with 10 000 items, on SQLite and PostgreSQL.

    .venv/bin/python bench/items_api.py [--items 10000] [--requests 300] [--seconds 20] [--db sqlite]

For each database — a fresh SQLite file in a temporary folder, and a fresh PostgreSQL database
``sightline_bench`` on 127.0.0.1:5432 (user postgres, dropped at the end; skipped with the reason when
the server cannot be reached) — the benchmark migrates, creates project ACME with 10 000 items (each
with acceptance criteria) and an agency PO with an API token, serves the app with
``gunicorn sightline.wsgi -w 2``, warms it up, then times sequential keep-alive requests, each kind for
at most ``--requests`` requests or ``--seconds`` seconds:

- ``GET /api/v1/projects/ACME/items?page_size=100&page=N`` over the first pages (p50_ms, p95_ms),
- ``GET /api/v1/items/{key}`` on random keys (item_p95_ms),
- ``POST /api/v1/items/{key}/move {"to_top": true}`` on random items (move_top_p95_ms).

After the bulk load the database gathers its table statistics (``ANALYZE``), as a live database would
have them. SQL queries per request are counted in-process (Django's test client and CaptureQueriesContext). It
prints one JSON object per database on its own line. The target (PRODUCT.md §9) is p95 < 50 ms for
each kind of request.

The database work runs in a child process of this script (``--prepare``), because Django's settings
are read once per process from the environment.
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PROJECT_KEY = "ACME"
PAGE_SIZE = 100
PAGES = 10  # the list requests cycle over the first pages
PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PG_DATABASE = "sightline_bench"
BENCH_SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


# --- child process: seed the database and count queries -------------------------------------------
def prepare(items: int) -> dict:
    """Migrate, create ACME with ``items`` items and a token; count the queries of each request."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sightline.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    token = seed(items)
    seconds = time.perf_counter() - started

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    requests = {
        "list": lambda: client.get(
            f"/api/v1/projects/{PROJECT_KEY}/items", {"page_size": PAGE_SIZE, "page": 2}
        ),
        "item": lambda: client.get(f"/api/v1/items/{PROJECT_KEY}-{items // 2}"),
        "move_top": lambda: client.post(
            f"/api/v1/items/{PROJECT_KEY}-{items // 3}/move",
            {"to_top": True},
            content_type="application/json",
        ),
    }
    queries = {}
    for name, request in requests.items():
        request()  # the first request of a token also records when it was last used
        with CaptureQueriesContext(connection) as captured:
            response = request()
        assert response.status_code == 200, (name, response.status_code, response.content[:300])
        queries[name] = len(captured.captured_queries)
    return {"token": token, "seed_seconds": round(seconds, 1), "queries": queries}


def seed(count: int) -> str:
    """ACME with ``count`` items in bulk (numbers, keys, ranks and the project's sequence as the services
    keep them), 2–3 criteria each, and an agency PO; returns the PO's API token."""
    from django.db import connection, transaction

    from sightline.accounts.models import User
    from sightline.accounts.services import token_create
    from sightline.backlog.models import AcceptanceCriterion, Epic, Item, ItemType, Priority, Status
    from sightline.backlog.ranking import GAP
    from sightline.projects.models import Membership, Project, Role

    rng = random.Random(42)
    types, priorities = list(ItemType.values), list(Priority.values)
    statuses = [Status.READY] * 6 + [Status.DRAFT] * 2 + [Status.ACCEPTED] * 2
    with transaction.atomic():
        project = Project.objects.create(
            key=PROJECT_KEY, name="Acme Bikes web shop", client_name="Acme Bikes", item_sequence=count
        )
        user = User.objects.create_user(email="bench@agency.test", password=None, full_name="Bench PO")
        Membership.objects.create(project=project, user=user, role=Role.AGENCY_PO)
        epics = Epic.objects.bulk_create(
            Epic(project=project, title=f"Epic {n}", rank=n * GAP) for n in range(1, 7)
        )
        batch = 2000
        for first in range(1, count + 1, batch):
            numbers = range(first, min(first + batch, count + 1))
            created = Item.objects.bulk_create(
                Item(
                    project=project,
                    number=n,
                    key=f"{PROJECT_KEY}-{n}",
                    rank=n * GAP,
                    created_by=user,
                    type=rng.choice(types),
                    priority=rng.choice(priorities),
                    status=rng.choice(statuses),
                    title=f"Item {n}: shoppers filter bikes by frame size and price range",
                    user_story="As a shopper I want to filter bikes so that I only see the ones that fit me.",
                    description="Filters combine; each shows how many bikes match.\n\n- size\n- price",
                    points=rng.choice([1, 2, 3, 5, 8]),
                    epic=rng.choice(epics),
                    labels=["search", "mobile"],
                )
                for n in numbers
            )
            AcceptanceCriterion.objects.bulk_create(
                AcceptanceCriterion(item=item, position=p, text=f"Criterion {p + 1} of {item.key} is met")
                for item in created
                for p in range(rng.choice([2, 3]))
            )
    # Table statistics, as autovacuum would gather them after a bulk load: without them PostgreSQL
    # guesses a dozen rows per project and sorts all 10 000 items instead of walking the rank index.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return token_create(user=user, name="bench")


# --- parent process: orchestrate, serve, measure --------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, var_dir: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SIGHTLINE_VAR_DIR": var_dir,
        "SECRET_KEY": BENCH_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "sightline.settings",
        "PYTHONPATH": str(ROOT),
    }


def run_prepare(env: dict, items: int) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--prepare", "--items", str(items)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"preparing the database failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn with 2 sync workers on a free port, stopped on exit."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "sightline.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def timed(session, method: str, url: str, **kwargs) -> float:
    started = time.perf_counter()
    response = session.request(method, url, **kwargs)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{method} {url} → {response.status_code}: {response.text[:300]}")
    return elapsed


def percentile(values: list[float], pct: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 1)


def bench_database(name: str, database_url: str, args) -> dict:
    import requests

    with tempfile.TemporaryDirectory(prefix=f"sightline-bench-{name}-") as var_dir:
        env = environment(database_url.format(var_dir=var_dir), var_dir)
        prepared = run_prepare(env, args.items)
        server = Server(env)
        try:
            server.wait_ready()
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {prepared['token']}"
            rng = random.Random(42)
            items_url = f"{server.base}/api/v1/projects/{PROJECT_KEY}/items"

            def page(n):
                return "GET", items_url, {"params": {"page_size": PAGE_SIZE, "page": n % PAGES + 1}}

            def item(_n):
                return "GET", f"{server.base}/api/v1/items/{PROJECT_KEY}-{rng.randint(1, args.items)}", {}

            def move(_n):
                key = f"{PROJECT_KEY}-{rng.randint(1, args.items)}"
                return "POST", f"{server.base}/api/v1/items/{key}/move", {"json": {"to_top": True}}

            for kind in (page, item, move):  # warm up both workers and their connections
                for n in range(30):
                    method, url, kwargs = kind(n)
                    timed(session, method, url, **kwargs)

            results = {}
            for label, kind in (("list", page), ("item", item), ("move_top", move)):
                results[label] = measure_kind(session, kind, args.requests, args.seconds)
        finally:
            server.stop()
    lists, items, moves = results["list"], results["item"], results["move_top"]
    return {
        "db": name,
        "items": args.items,
        "requests": len(lists),
        "p50_ms": percentile(lists, 50),
        "p95_ms": percentile(lists, 95),
        "queries_per_request": prepared["queries"]["list"],
        "item_p95_ms": percentile(items, 95),
        "move_top_p95_ms": percentile(moves, 95),
        "item_p50_ms": percentile(items, 50),
        "move_top_p50_ms": percentile(moves, 50),
        "item_requests": len(items),
        "move_top_requests": len(moves),
        "item_queries_per_request": prepared["queries"]["item"],
        "move_top_queries_per_request": prepared["queries"]["move_top"],
        "seed_seconds": prepared["seed_seconds"],
        "load_average": round(os.getloadavg()[0], 1),  # other work on the machine skews the figures
    }


def measure_kind(session, kind, limit: int, seconds: float) -> list[float]:
    times: list[float] = []
    deadline = time.monotonic() + seconds
    for n in range(limit):
        if time.monotonic() > deadline:
            break
        method, url, kwargs = kind(n)
        times.append(timed(session, method, url, **kwargs))
    return times


def postgresql_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_DSN, autocommit=True).close()
    except Exception as exc:  # noqa: BLE001 - any reason to skip is reported as is
        return f"PostgreSQL at 127.0.0.1:5432 is unreachable: {exc}".strip()
    return None


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="at most this many requests of each kind")
    parser.add_argument("--seconds", type=float, default=20, help="at most this long for each kind")
    parser.add_argument(
        "--db", choices=["sqlite", "postgresql"], action="append", help="only these databases"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.items)))
        return

    for name in args.db or ["sqlite", "postgresql"]:
        if name == "sqlite":
            print(json.dumps(bench_database("sqlite", "sqlite:///{var_dir}/bench.sqlite3", args)), flush=True)
            continue
        reason = postgresql_unreachable()
        if reason:
            print(json.dumps({"db": "postgresql", "skipped": reason}), flush=True)
            continue
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        try:
            url = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
            print(json.dumps(bench_database("postgresql", url, args)), flush=True)
        finally:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
