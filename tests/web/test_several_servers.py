"""Two app servers on one database (PostgreSQL with DOCGEN_TEST_DATABASE, else the same SQLite data folder):
what a person relies on is the same on both: a save, a session ended, who has the plan open, a job's owner."""

from __future__ import annotations

import re
import threading

import httpx
import pytest

from docgen.web.services.presence import Presence
from docgen.web.storage import accounts, jobs, plans
from docgen.web.storage.db import open_database

from .conftest import PASSWORD, free_port, kill, start
from .test_server import Saver


def signed_in(port: int, email: str) -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)  # a safety limit
    client.headers["x-csrftoken"] = re.search(r'name="csrf-token" content="([^"]+)"',
                                              client.get("/login").text).group(1)
    assert client.post("/login", data={"email": email, "password": PASSWORD, "next": "/"}).status_code == 303
    return client


def test_a_save_a_signing_out_and_presence_on_one_server_hold_on_the_other(tmp_path, password_hashes):
    data = tmp_path / "data"
    db = open_database(data)
    district = accounts.add_district(db, "Cranberry Harbor Public Schools", "09990000", "Southeast")
    for email in ("a@cranberry.example.org", "b@cranberry.example.org"):
        user = accounts.add_user(db, email, "district", district.id)
        accounts.set_password_hash(db, user.id, password_hashes["a@cranberry.example.org"])
    one, other = free_port(), free_port()
    servers = [start(data, one), start(data, other)]
    try:
        jo, maria = signed_in(one, "a@cranberry.example.org"), signed_in(other, "b@cranberry.example.org")
        plan = f"/districts/{district.id}/plan"
        jo.get(plan)  # a save says which version it started from: the one this session opened
        saved = jo.post(f"{plan}/save", data={"name": "p1.subject", "value": "Mathematics"},
                        headers={"Accept": "application/json"})
        assert saved.status_code == 200, saved.text
        assert 'value="Mathematics"' in maria.get(plan).text  # saved on one, read on the other
        assert maria.get(f"{plan}/here").json()["here"] == ["a@cranberry.example.org"]  # Jo, seen by the other
        jo_elsewhere = httpx.Client(base_url=f"http://127.0.0.1:{other}", cookies=jo.cookies, timeout=60)
        assert jo_elsewhere.get(plan).status_code == 200  # Jo's session is good on both
        assert jo.post("/logout").status_code == 303  # ended on one ...
        assert jo_elsewhere.get(plan, follow_redirects=False).status_code == 303  # ... refused on the other
    finally:
        for server in servers:
            kill(server)
        if hasattr(db, "close"):
            db.close()


def test_killing_one_of_two_servers_mid_save_loses_no_confirmed_save_and_the_other_keeps_serving(tmp_path,
                                                                                                 password_hashes):
    data = tmp_path / "data"
    db = open_database(data)
    district = accounts.add_district(db, "Cranberry Harbor Public Schools")
    user = accounts.add_user(db, "a@cranberry.example.org", "district", district.id)
    accounts.set_password_hash(db, user.id, password_hashes["a@cranberry.example.org"])
    one, other = free_port(), free_port()
    servers = [start(data, one), start(data, other)]
    ours: dict[int, str] = {}  # version -> the last value of each saver's own field the server acknowledged
    theirs: dict[int, str] = {}
    try:  # each saves a field of its own: two people typing the same answer at once is an edit conflict
        killed = Saver(one, "one", ours, enough=5)
        survivor = Saver(other, "other", theirs, enough=5, field="p1.subject")
        killed.start()
        survivor.start()
        assert killed.saved.wait(timeout=120)  # a safety limit
        kill(servers[0])  # as a crash would, while both are saving
        killed.join()
        survivor.saved = threading.Event()  # then five more of its own saves
        survivor.enough = survivor.count + 5
        assert survivor.saved.wait(timeout=120)  # the other keeps saving after the crash
        kill(servers[1])
        survivor.join()
        row = plans.plan_row(db, district.id, "fy26")
        assert killed.count + survivor.count >= 10 and row.latest >= max(ours | theirs)
        for acknowledged, key in ((ours, "statement"), (theirs, "subject")):
            for number, value in acknowledged.items():  # a session's version holds this save or a later one
                kept = plans.load_version(db, row, number).priorities[0].answer(key)
                assert kept.startswith(value.rpartition(" ")[0]), (number, kept, value)
                assert int(kept.rpartition(" ")[2]) >= int(value.rpartition(" ")[2]), (number, kept, value)
    finally:
        for server in servers:
            kill(server)
        if hasattr(db, "close"):
            db.close()


def test_presence_is_shared_by_every_process(app):
    here, there = Presence(app.state.site.db), Presence(open_database(app.state.site.data))
    here.seen(1, "jo@example.org")
    assert there.seen(1, "maria@example.org") == ["jo@example.org"]
    assert here.seen(1, "jo@example.org") == ["maria@example.org"]


def test_an_app_server_starting_again_fails_only_its_own_interrupted_jobs(app, monkeypatch):
    db = app.state.site.db
    monkeypatch.setenv(jobs.RUNNER_ENV, "app1:8001")
    mine = jobs.add_job(db, "download-all", "Southeast", None, 3)
    monkeypatch.setenv(jobs.RUNNER_ENV, "app2:8001")
    theirs = jobs.add_job(db, "download-all", "Southeast", None, 3)
    monkeypatch.setenv(jobs.RUNNER_ENV, "app1:8001")
    jobs.stop_interrupted_jobs(db)  # app1 starts again
    assert jobs.job(db, mine)["status"] == "failed" and jobs.job(db, theirs)["status"] == "running"


def test_the_upload_pace_is_counted_once_for_every_process(app):
    from docgen.errors import TooManyUploads
    from docgen.web.services.files import UploadPace

    here, there = UploadPace(app.state.site.db, limit=2), UploadPace(open_database(app.state.site.data), limit=2)
    here.allow(7)
    there.allow(7)
    with pytest.raises(TooManyUploads):
        here.allow(7)  # two already, one on each
    there.allow(8)  # another account's own count


def test_a_job_an_app_server_left_stalled_is_finished_by_another(app, client_for, monkeypatch):
    """App server 2 started a Download all and died; app server 1's watcher takes it over and builds the ZIP,
    which the consultant's page (on either server) then offers."""
    from docgen.web.services import bulk

    from .test_consultant import finished_job

    db = app.state.site.db
    a = app.state.districts["a"]
    plans.submit(db, plans.plan_row(db, a.id, "fy26"), accounts.user_by_email(db, "a@cranberry.example.org").id)
    consultant = accounts.user_by_email(db, "se@ssos.example.org")
    monkeypatch.setenv(jobs.RUNNER_ENV, "app2:8001")
    job = jobs.add_job(db, "download-all", "Southeast", consultant.id, 1)  # ... and app2 died
    with db.transaction() as c:
        c.execute("UPDATE jobs SET beat_at = beat_at - ? WHERE id = ?", (bulk.STALLED_SECONDS + 1, job))
    monkeypatch.setenv(jobs.RUNNER_ENV, "app1:8001")
    assert bulk.finish_stalled(db, app.state.site.data) == [job]
    assert bulk.finish_stalled(db, app.state.site.data) == []  # claimed once
    assert "Ready:" in finished_job(client_for("consultant_a"), f"/region/jobs/{job}")
    assert jobs.job(db, job)["runner"] == "app1:8001" and jobs.job(db, job)["status"] == "done"


def test_a_job_whose_server_is_alive_is_left_to_it(app, monkeypatch):
    from docgen.web.services import bulk

    db = app.state.site.db
    monkeypatch.setenv(jobs.RUNNER_ENV, "app2:8001")
    jobs.add_job(db, "download-all", "Southeast", None, 1)  # its heartbeat is now
    monkeypatch.setenv(jobs.RUNNER_ENV, "app1:8001")
    assert bulk.finish_stalled(db, app.state.site.data) == []
