"""No lost edits: two people of one district save the plan; a save over the other's answer is refused, not lost."""

from __future__ import annotations

from docgen.web.services.presence import Presence
from docgen.web.storage import accounts, plans
from docgen.web.storage.db import Database

from .conftest import PASSWORD, Client, csrf_token
from .test_district import district_id

SECOND = "b2@cranberry.example.org"


def second_person(app, password_hashes) -> Client:
    """Sign in a second account of district A (the fixture has one)."""
    db = app.state.site.db
    user = accounts.add_user(db, SECOND, "district", district_id(app, "a"), "")
    accounts.set_password_hash(db, user.id, password_hashes["a@cranberry.example.org"])
    client = Client(app)
    client.token = csrf_token(client)
    assert client.post("/login", data={"email": SECOND, "password": PASSWORD, "next": "/"}).status_code == 303
    return client


def save(client, district: int, name: str, value: str, base: int):
    return client.post(f"/districts/{district}/plan/save", data={"name": name, "value": value, "base": str(base)},
                       headers={"Accept": "application/json"})


def test_a_save_over_anothers_answer_is_refused_with_both_texts_and_who(app, client_for, password_hashes):
    a = district_id(app, "a")
    first, second = client_for("district_a"), second_person(app, password_hashes)
    base = plans.plan_row(app.state.site.db, a, "fy26").latest  # both opened the plan at this version
    saved = save(first, a, "p1.statement", "The first person's statement", base)
    assert saved.status_code == 200
    refused = save(second, a, "p1.statement", "The second person's statement", base)
    assert refused.status_code == 409
    conflict = refused.json()["conflict"]
    assert conflict["mine"] == "The second person's statement"
    assert conflict["theirs"] == "The first person's statement"
    assert conflict["by"] == "a@cranberry.example.org"
    assert conflict["version"] == saved.json()["version"] and conflict["at"]
    assert "a@cranberry.example.org saved this answer" in refused.json()["message"]
    row = plans.plan_row(app.state.site.db, a, "fy26")
    assert plans.load_version(app.state.site.db, row).priorities[0].answers["statement"] == \
        "The first person's statement"  # nothing replaced

    kept = save(second, a, "p1.statement", "The second person's statement", conflict["version"])  # "keep mine"
    assert kept.status_code == 200
    row = plans.plan_row(app.state.site.db, a, "fy26")
    assert plans.load_version(app.state.site.db, row).priorities[0].answers["statement"] == \
        "The second person's statement"


def test_saves_of_different_fields_from_the_same_version_both_stay(app, client_for, password_hashes):
    a = district_id(app, "a")
    first, second = client_for("district_a"), second_person(app, password_hashes)
    base = plans.plan_row(app.state.site.db, a, "fy26").latest
    assert save(first, a, "p1.statement", "The first person's statement", base).status_code == 200
    assert save(second, a, "p1.subject", "ELA", base).status_code == 200
    row = plans.plan_row(app.state.site.db, a, "fy26")
    answers = plans.load_version(app.state.site.db, row).priorities[0].answers
    assert (answers["statement"], answers["subject"]) == ("The first person's statement", "ELA")


def test_the_same_text_saved_twice_is_no_conflict(app, client_for, password_hashes):
    a = district_id(app, "a")
    first, second = client_for("district_a"), second_person(app, password_hashes)
    base = plans.plan_row(app.state.site.db, a, "fy26").latest
    assert save(first, a, "p1.statement", "Agreed words", base).status_code == 200
    assert save(second, a, "p1.statement", "Agreed words", base).status_code == 200


def test_the_plan_page_shows_who_else_has_it_open(app, client_for, password_hashes):
    a = district_id(app, "a")
    first, second = client_for("district_a"), second_person(app, password_hashes)
    assert "Also open by" not in first.get(f"/districts/{a}/plan").text  # alone so far
    assert "Also open by a@cranberry.example.org" in second.get(f"/districts/{a}/plan").text
    assert first.get(f"/districts/{a}/plan/here").json()["here"] == [SECOND]
    assert save(second, a, "p1.subject", "ELA", 1).json()["here"] == ["a@cranberry.example.org"]


def test_someone_not_seen_for_the_window_is_no_longer_listed(tmp_path):
    moments = iter([0.0, 10.0, 200.0])
    db = Database(tmp_path)
    accounts.add_district(db, "Harbor View Public Schools")
    presence = Presence(db, clock=lambda: next(moments), window=120)
    presence.seen(1, "jo@example.org")
    assert presence.seen(1, "maria@example.org") == ["jo@example.org"]
    assert presence.seen(1, "maria@example.org") == []  # Jo's page stopped asking 200 seconds ago


def test_every_server_process_knows_who_has_the_plan_open(app, client_for, password_hashes, tmp_path):
    from docgen.web.app import create_app

    a = district_id(app, "a")
    first = client_for("district_a")
    first.get(f"/districts/{a}/plan")  # opened through one process
    other_process = create_app(tmp_path / "data")  # another `docgen serve` worker over the same data folder
    second_person(app, password_hashes)
    second = Client(other_process)
    second.token = csrf_token(second)
    assert second.post("/login", data={"email": SECOND, "password": PASSWORD, "next": "/"}).status_code == 303
    assert "Also open by a@cranberry.example.org" in second.get(f"/districts/{a}/plan").text
    assert first.get(f"/districts/{a}/plan/here").json()["here"] == [SECOND]


def test_while_someone_else_has_the_plan_open_each_save_is_a_version_so_conflicts_stay_exact(app, client_for,
                                                                                            password_hashes):
    a = district_id(app, "a")
    first, second = client_for("district_a"), second_person(app, password_hashes)
    first.get(f"/districts/{a}/plan")
    second.get(f"/districts/{a}/plan")  # both have it open
    assert save(first, a, "p1.statement", "Draft one", 1).json()["version"] == 2
    assert save(first, a, "p1.statement", "Draft two", 2).json()["version"] == 3  # not folded into version 2
    refused = save(second, a, "p1.statement", "Mine", 2)  # the second person's text started from version 2
    assert refused.status_code == 409 and refused.json()["conflict"]["theirs"] == "Draft two"
