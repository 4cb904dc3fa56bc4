"""The real server: `docgen serve` and `docgen users`, and a kill -9 in the middle of saves that loses nothing."""

from __future__ import annotations

import itertools
import re
import signal
import sqlite3
import threading

import httpx
import pytest

from docgen.web import demo
from docgen.web.app import create_app
from docgen.web.storage import accounts, plans
from docgen.web.storage.db import Database, open_database

from .conftest import PASSWORD, Client, csrf_token, free_port, kill, seed_plan, sqlite_only, start


def signed_in(port) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)  # a safety limit
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
    client.headers["x-csrftoken"] = token
    answer = client.post("/login", data={"email": "a@cranberry.example.org", "password": PASSWORD, "next": "/"})
    assert answer.status_code == 303
    return client, token


@pytest.fixture
def data(tmp_path, password_hashes):
    db = open_database(tmp_path / "data")
    district = accounts.add_district(db, "Cranberry Harbor Public Schools")
    user = accounts.add_user(db, "a@cranberry.example.org", "district", district.id)
    accounts.set_password_hash(db, user.id, password_hashes["a@cranberry.example.org"])
    return tmp_path / "data"


def test_serve_prints_its_url_and_how_to_make_the_first_account(tmp_path):
    port = free_port()
    process = start(tmp_path / "empty", port, piped=True)
    process.send_signal(signal.SIGINT)
    printed = process.communicate(timeout=120)[0]
    assert f"docgen is serving http://127.0.0.1:{port}" in printed
    assert f"docgen users add you@example.org --role admin --data {tmp_path / 'empty'}" in printed


def printed_logins(process) -> dict[str, str]:
    """Read what serve --demo printed up to its last line, and return email -> password."""
    lines = []
    while not lines or "Stop it with Ctrl+C." not in lines[-1]:
        lines.append(process.stdout.readline())
    return dict(re.findall(r"(\S+@demo\.example\.org)\s+password: (\S+)", "".join(lines)))


def test_serve_demo_prints_logins_that_open_the_sample_plan(tmp_path):
    port = free_port()
    process = start(tmp_path / "demo", port, "--demo", piped=True)
    try:
        logins = printed_logins(process)
        assert set(logins) == {"district@demo.example.org", "consultant@demo.example.org", "admin@demo.example.org"}
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
        home = client.post("/login", data={"csrftoken": token, "email": "district@demo.example.org",
                                           "password": logins["district@demo.example.org"], "next": "/"})
        assert home.status_code == 200 and "Cranberry Harbor Public Schools" in home.text
        assert "Check finds" in home.text and "Word plan (.docx)" in home.text
        word = client.get(str(home.url) + "/download/docx")
        assert word.status_code == 200 and word.content[:2] == b"PK"
    finally:
        kill(process)
    db = open_database(tmp_path / "demo")  # what serve --demo does at its next start: data kept, passwords new
    districts = db.value("SELECT COUNT(*) FROM districts")
    again = {login.email: login.password for login in demo.seed(db)}
    assert set(again) == set(logins) and all(again[email] != logins[email] for email in logins)
    assert db.value("SELECT COUNT(*) FROM districts") == districts


def test_users_add_list_and_disable(tmp_path, run):
    data = tmp_path / "data"
    added = run("users", "add", "maria@harbor.example.org", "--role", "district", "--district", "Harbor Schools",
                "--data", data)
    assert added.exit_code == 0, added.output
    assert re.search(r"http://127\.0\.0\.1:8000/invite/\S{40,}", added.output) and "valid until" in added.output
    consultant = run("users", "add", "sam@ssos.example.org", "--role", "consultant", "--data", data)
    assert consultant.exit_code == 1 and "needs the region" in consultant.output
    assert run("users", "add", "sam@ssos.example.org", "--role", "consultant", "--region", "Southeast",
               "--data", data).exit_code == 0
    listed = run("users", "list", "--data", data).output
    assert "maria@harbor.example.org\tdistrict\tHarbor Schools\tinvited" in listed
    assert "sam@ssos.example.org\tconsultant\tSoutheast\tinvited" in listed
    assert run("users", "disable", "maria@harbor.example.org", "--data", data).exit_code == 0
    assert "maria@harbor.example.org\tdistrict\tHarbor Schools\tdisabled" in run("users", "list", "--data", data).output
    twice = run("users", "add", "sam@ssos.example.org", "--role", "admin", "--data", data)
    assert twice.exit_code == 1 and "already exists" in twice.output


class Saver(threading.Thread):
    """Save the priority statement again and again until the server stops answering; keep what it acknowledged."""

    def __init__(self, port: int, label: str, acknowledged: dict[int, str], enough: int, field: str = "p1.statement"):
        super().__init__()
        self.field = field
        self.client, _ = signed_in(port)
        self.client.get("/districts/1/plan")  # as a person opens it; saves then start from its version
        self.label, self.acknowledged, self.enough = label, acknowledged, enough
        self.saved = threading.Event()  # set once ``enough`` saves of this round are acknowledged
        self.count = 0

    def run(self) -> None:
        done = 0
        for n in itertools.count(1):
            value = f"{self.label}, save {n}"
            try:
                answer = self.client.post("/districts/1/plan/save", data={"name": self.field, "value": value})
            except httpx.HTTPError:
                return  # killed
            if answer.status_code == 200:
                self.acknowledged[answer.json()["version"]] = value  # one person's saves: one session's version
                self.count += 1
                done += 1
                if done >= self.enough:
                    self.saved.set()


def test_killing_the_server_mid_save_loses_no_saved_version(data):
    """Saves run while the server is killed with SIGKILL; every acknowledged save is kept, and a server starts on
    the killed one's data and saves again."""
    port = free_port()
    acknowledged: dict[int, str] = {}  # version -> the last value saved into it that the server acknowledged
    count = 0
    # as served (the killed server's worker processes too), then one process that starts on the killed one's data
    for round_, workers in enumerate((2, 1)):
        process = start(data, port, workers=workers)
        saver = Saver(port, f"round {round_}", acknowledged, enough=6)
        saver.start()
        assert saver.saved.wait(timeout=120)  # a safety limit: six saves take well under a second
        kill(process)  # the server and its workers, as a crash or an OOM kill would, while saves are under way
        saver.join()
        count += saver.count
    assert count > 10
    db = open_database(data)
    row = plans.plan_row(db, 1, "fy26")
    for number, value in acknowledged.items():  # the acknowledged value, or a later save of its round that was
        kept = plans.load_version(db, row, number).priorities[0].answer("statement")  # stored as the kill came
        label, _, n = value.rpartition(" ")
        assert kept.startswith(label) and int(kept.rpartition(" ")[2]) >= int(n), (number, kept, value)
    if db.engine == "sqlite":
        assert db.value("PRAGMA integrity_check") == "ok"
        connection = sqlite3.connect(data / "docgen.sqlite3")
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@sqlite_only  # PostgreSQL is backed up with pg_dump and PITR (docs/administrators.md)
def test_a_backup_taken_while_the_server_saves_restores_every_plan_review_and_comment(data, tmp_path, run):
    from docgen import api
    from docgen.model.plan import Review, SectionReview
    from docgen.web.storage import reviews

    db = open_database(data)
    district = accounts.district_named(db, "Cranberry Harbor Public Schools")
    row = seed_plan(db, district.id, api.example_plan())
    consultant = accounts.add_user(db, "se@ssos.example.org", "consultant", region="Southeast")
    plans.submit(db, plans.plan_row(db, district.id, "fy26"), 1)
    reviews.save_review(db, row.id, 1, Review(summary="Clear.", sections={"priority": SectionReview("Sharp.")}),
                        consultant.id)
    reviews.add_comment(db, row.id, 1, "p1-priority", consultant.id, "Name the grades.")
    plans.reopen(db, plans.plan_row(db, district.id, "fy26"), 1)
    port = free_port()
    process = start(data, port)
    try:
        client, _ = signed_in(port)
        client.get("/districts/1/plan")
        saved = [client.post("/districts/1/plan/save", data={"name": "p1.subject", "value": f"Math {n}"})
                 for n in range(5)]
        assert all(answer.status_code == 200 for answer in saved)
        stop = threading.Event()

        def keep_saving():
            n = 0
            while not stop.is_set():
                n += 1
                client.post("/districts/1/plan/save", data={"name": "p1.grades", "value": f"K-{n % 12}"})

        worker = threading.Thread(target=keep_saving)
        worker.start()
        result = run("backup", data, tmp_path / "copy")
        stop.set()
        worker.join()
    finally:
        kill(process)
    assert result.exit_code == 0, result.output
    assert "1 districts" in result.output and "1 reviews" in result.output and "1 comments" in result.output
    copy = Database(tmp_path / "copy")
    assert copy.value("PRAGMA integrity_check") == "ok"
    copied = plans.plan_row(copy, 1, "fy26")
    assert copied.latest >= 2  # the seeded version, then the editing session's (one person's saves: one version)
    for number in range(1, copied.latest + 1):
        assert plans.load_version(copy, copied, number) is not None
    assert plans.load_version(copy, copied).priorities[0].answer("subject") == "Math 4"
    review, _ = reviews.load_review(copy, copied.id, 1)
    assert review.sections["priority"].strengths == "Sharp."
    assert [c.body for t in reviews.threads(copy, copied.id) for c in t.comments] == ["Name the grades."]
    restored = Client(create_app(tmp_path / "copy"))  # the copy serves, and the old password still signs in
    restored.token = csrf_token(restored)
    signed = restored.post("/login", data={"email": "a@cranberry.example.org", "password": PASSWORD, "next": "/"})
    assert signed.status_code == 303
    assert 'value="Math 4"' in restored.get("/districts/1/plan").text


@sqlite_only
def test_backup_refuses_a_folder_that_is_no_data_folder_or_not_empty(tmp_path, data, run):
    assert "no docgen data folder here" in run("backup", tmp_path / "nothing", tmp_path / "out").output
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    answer = run("backup", data, tmp_path / "full")
    assert answer.exit_code == 1 and "not empty" in answer.output


def test_an_older_database_is_upgraded_and_keeps_its_data(tmp_path):
    from docgen.web.storage import db as storage

    folder = tmp_path / "old"
    folder.mkdir()
    connection = sqlite3.connect(folder / storage.DATABASE)
    connection.executescript(storage.MIGRATIONS[0] + "PRAGMA user_version = 1;")
    connection.execute("INSERT INTO districts (name, created_at) VALUES ('Old Town', '2025-01-01T00:00:00+00:00')")
    connection.commit()
    connection.close()
    upgraded = Database(folder)
    assert upgraded.value("PRAGMA user_version") == len(storage.MIGRATIONS)
    assert accounts.district_named(upgraded, "Old Town") is not None
    assert upgraded.value("SELECT COUNT(*) FROM reviews") == 0
