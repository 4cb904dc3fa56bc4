"""Fixtures for the web app: a data folder with two districts in two regions, and a signed-in client per role."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest
from playwright.sync_api import expect
from starlette.testclient import TestClient

from docgen import api
from docgen.web.app import create_app
from docgen.web.auth import hash_password
from docgen.web.services.workflow import summarize
from docgen.web.storage import accounts, plans

PASSWORD = "correct horse battery staple"


def seed_plan(db, district_id: int, plan) -> plans.PlanRow:
    """Store ``plan`` as the district's next version in its template's year, as the demo seeds one; return its row."""
    row = plans.ensure_plan(db, district_id, plan.variant)
    plans.change(db, row, lambda _: plan, summarize, "demo", None)
    return row
ROLES = ("nobody", "district_a", "district_b", "consultant_a", "consultant_b", "admin", "state")


@pytest.fixture(scope="session")
def password_hashes() -> dict[str, str]:
    """A real argon2 hash of PASSWORD for each test account, made once per session: argon2 is slow on purpose
    (~0.6 s a hash on a busy machine), and five hashes a test made the web tests take seconds each."""
    return {email: hash_password(PASSWORD) for email in EMAILS.values()}


ON_POSTGRES = os.environ.get("DOCGEN_TEST_DATABASE", "").startswith("postgresql://")
REFUSED = (sqlite3.IntegrityError, psycopg.IntegrityError)  # what the database raises for a change it refuses
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="reads or writes the SQLite file itself")


@pytest.fixture(autouse=True)
def database_url(monkeypatch):
    """With DOCGEN_TEST_DATABASE=postgresql://... (.ci/run starts one), each test's app, and the servers it starts,
    use an empty schema of their own in that database (DOCGEN_DATABASE_URL), dropped after; else SQLite."""
    base = os.environ.get("DOCGEN_TEST_DATABASE", "")
    if not ON_POSTGRES:
        yield None
        return
    import uuid

    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {name}")
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
    monkeypatch.setenv("DOCGEN_DATABASE_URL", url)
    yield url
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def app(tmp_path, password_hashes):
    """The app over a fresh data folder: district A (Southeast) with the sample plan, district B (Coastal) empty."""
    app = create_app(tmp_path / "data")
    yield from _seeded(app, password_hashes)
    if hasattr(app.state.site.db, "close"):  # PostgreSQL: its pool's connections
        app.state.site.db.close()


def _seeded(app, password_hashes):
    db = app.state.site.db
    a = accounts.add_district(db, "Cranberry Harbor Public Schools", "09990000", "Southeast")
    b = accounts.add_district(db, "Beacon Falls Public Schools", "09980000", "Coastal")
    sample = api.example_plan()
    sample.review = None  # a district's plan carries no review: reviews belong to submitted versions
    seed_plan(db, a.id, sample)
    for role, email, district, region in (
            ("district", "a@cranberry.example.org", a.id, ""), ("district", "b@beacon.example.org", b.id, ""),
            ("consultant", "se@ssos.example.org", None, "Southeast"),
            ("consultant", "co@ssos.example.org", None, "Coastal"),
            ("admin", "admin@ssos.example.org", None, ""), ("state", "state@dese.example.org", None, "")):
        user = accounts.add_user(db, email, role, district, region)
        accounts.set_password_hash(db, user.id, password_hashes[email])
    app.state.districts = {"a": a, "b": b}
    yield app


EMAILS = {"district_a": "a@cranberry.example.org", "district_b": "b@beacon.example.org",
          "consultant_a": "se@ssos.example.org", "consultant_b": "co@ssos.example.org",
          "admin": "admin@ssos.example.org", "state": "state@dese.example.org"}


class Client(TestClient):
    """A TestClient that knows its CSRF token and sends it with every POST, as the pages and htmx do."""

    token = ""

    def post(self, url, **kwargs):
        kwargs.setdefault("headers", {})["x-csrftoken"] = self.token
        kwargs.setdefault("follow_redirects", False)
        return super().post(url, **kwargs)


def csrf_token(client: TestClient) -> str:
    page = client.get("/login")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


@pytest.fixture
def client_for(app):
    """Return a function giving a client signed in as one of ROLES ("nobody" is signed out)."""

    def make(role: str) -> Client:
        client = Client(app)
        client.token = csrf_token(client)
        if role != "nobody":
            answer = client.post("/login", data={"email": EMAILS[role], "password": PASSWORD, "next": "/"})
            assert answer.status_code == 303, answer.text
        return client

    return make


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data, port, *extra, workers: int = 1, piped: bool = False) -> subprocess.Popen:
    """Start `docgen serve` on ``data`` in a process group of its own; return it once it answers.

    One server process unless the test is about several: each one warms up (builds the sample's documents) before
    it answers, which takes seconds on a busy machine. The deadline is only a safety limit. What the server prints
    goes to a file beside the data folder (``<data>-server.log``), not to a pipe nobody reads, which would stop
    the server once it filled; ``piped`` keeps a pipe, for a test that reads the first lines itself.
    """
    log = Path(f"{data}-server.log")
    output = subprocess.PIPE if piped else log.open("w")
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", "--data", str(data), "--port", str(port),
                                "--workers", str(workers), *extra], stdout=output, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    if not piped:
        output.close()  # the server holds its own copy
    deadline = time.monotonic() + 180
    with httpx.Client(timeout=5) as client:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if client.get(f"http://127.0.0.1:{port}/healthz").text == "ok":
                    return process
            except httpx.HTTPError:
                time.sleep(0.05)  # not listening yet: ask again
    kill(process)
    printed = process.stdout.read() if piped else log.read_text()
    raise AssertionError(f"the server did not start: {printed}")


def kill(process: subprocess.Popen) -> None:
    """Kill a server with SIGKILL, its worker processes too (they would outlive a killed parent), and reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's chromium package (playwright install cannot download browsers here)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def chromium(request):
    """Skip a browser test where Debian's chromium is not installed, unless CI requires it."""
    if not CHROMIUM.exists():
        if os.environ.get("DOCGEN_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here but /usr/bin/chromium is missing (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    expect.set_options(timeout=30_000)  # a safety limit on waiting for what the page shows, not a pause
    return request.getfixturevalue("page")
