"""The third attack round's findings against ``docgen serve`` (issue 32), each kept as a test that failed before its
fix: headers from encoded words, right-to-left file names, a callback link that signed people out, the second
factor turned off with a session alone, attempt limits passed by parallel requests, caps a workbook or check-ins
went around, world-readable secrets, saves that say no version, OpenID Connect skipping a required second factor,
and templates and PDFs that reached outside the server."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from copy import deepcopy
from email import message_from_bytes, policy

import pyotp
import pytest

from docgen import api
from docgen.compose.submission import email_draft, header_text
from docgen.errors import ValueRefused, WorkbookError
from docgen.model.plan import CheckIn, School
from docgen.read import sizes
from docgen.web import auth, backup, mail, totp
from docgen.web.services import files, workflow
from docgen.web.storage import accounts, checkins, plans
from docgen.web.storage.db import DATABASE, Database
from docgen.write.output import safe_filename

from .. import hostile_packages as hostile
from ..conftest import soffice_or_skip
from .conftest import EMAILS, PASSWORD
from .test_oidc import _back_to_docgen, _to_provider, claims, configured, provider  # noqa: F401 - fixtures

ENCODED_BCC = "Harbor =?utf-8?q?Schools=0D=0ABcc=3A_spy=40evil=2Eexample?= District"


# --- e-mail headers --------------------------------------------------------------------------------------------

def test_encoded_words_in_a_district_name_add_no_header_to_the_invitation(app, monkeypatch):
    db = app.state.site.db
    for key, value in (("smtp_host", "relay.example.org"), ("smtp_from", "docgen@example.org"),
                       ("smtp_security", "none")):
        db.set_setting(key, value)
    sent = []

    class Relay:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def send_message(self, message):
            sent.append(message.as_bytes())

    monkeypatch.setattr(mail.smtplib, "SMTP", Relay)
    subject, body = mail.invitation_text("https://docgen.example.org/invite/x", "May 1, 2026", ENCODED_BCC,
                                         "https://docgen.example.org")
    mail.send(db, "new@harbor.example.org", subject, body)
    [raw] = sent
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None and b"\nBcc:" not in raw
    assert "Bcc: spy@evil.example" in parsed["Subject"]  # shown as text, in the subject


def test_the_email_draft_takes_no_header_from_encoded_words_in_the_contact_name():
    plan = deepcopy(api.example_plan())
    plan.district.contact_name = "=?utf-8?b?QW5uYQ0KQmNjOiBzcHlAZXZpbC5leGFtcGxl?="  # "Anna\r\nBcc: spy@..."
    variant = __import__("docgen.variants", fromlist=["load"]).load(plan.variant)
    raw = email_draft(plan, variant, "Plan", {})
    assert message_from_bytes(raw)["Bcc"] is None and b"\nBcc:" not in raw


def test_header_text_decodes_before_it_folds_even_nested_or_unknown_charsets():
    assert header_text(ENCODED_BCC) == "Harbor Schools Bcc: spy@evil.example District"
    nested = "=?utf-8?q?=3D=3Futf-8=3Fq=3Fx=3D0D=3D0ABcc=3D3A_y=3F=3D?="
    assert "\n" not in header_text(nested) and "\r" not in header_text(nested)
    assert "=?" not in header_text("=?x-unknown?q?a=0ABcc:_b?=")


# --- file names ------------------------------------------------------------------------------------------------

def test_a_right_to_left_override_never_reaches_a_download_name(app, client_for):
    db, a = app.state.site.db, app.state.districts["a"]

    def named(plan):
        plan.district.name = "Harbor\u202excod.exe Schools"
        return plan

    workflow.save(db, a, None, named, "form")
    assert safe_filename("Harbor\u202excod.exe", ".docx") == "Harborxcod.exe.docx"
    answer = client_for("district_a").get(f"/districts/{a.id}/download/xlsx")
    assert answer.status_code == 200
    assert "%E2%80%AE" not in answer.headers["content-disposition"]
    assert "\u202e" not in answer.headers["content-disposition"]


# --- OpenID Connect ----------------------------------------------------------------------------------------------

def test_a_link_to_the_callback_does_not_sign_anyone_out(app, client_for):
    db = app.state.site.db
    db.set_setting("oidc_issuer", "https://login.example.org")
    db.set_setting("oidc_client_id", "docgen")
    client = client_for("district_a")
    answer = client.get("/login/oidc/callback?code=x&state=y")
    assert answer.status_code == 401 and "did not start it" in answer.text
    assert client.get("/account").status_code == 200  # still signed in


def test_oidc_asks_for_docgen_s_second_factor_where_the_role_requires_it(configured, provider):  # noqa: F811
    db = configured.state.site.db
    db.set_setting(totp.REQUIRE_SETTING, "1")
    consultant = EMAILS["consultant_a"]
    claims(provider, consultant, verified=True)
    client, url = _to_provider(configured)
    answer = client.get(_back_to_docgen(url, consultant), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login/two-factor"
    assert client.get("/region", follow_redirects=False).status_code == 303  # not signed in yet
    db.set_setting("oidc_trusts_second_factor", "1")  # the admin's choice, on the Sign-in page
    client, url = _to_provider(configured)
    answer = client.get(_back_to_docgen(url, consultant), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/account"


def test_the_setting_is_off_by_default_and_shown_to_the_admin(app, client_for):
    page = client_for("admin").get("/admin/sign-in").text
    assert 'name="oidc_trusts_second_factor" value="1">' in page  # unchecked


# --- the second factor and attempt limits ------------------------------------------------------------------------

def _with_second_factor(app) -> tuple[accounts.User, str]:
    db = app.state.site.db
    user = accounts.user_by_email(db, EMAILS["district_a"])
    secret = pyotp.random_base32()
    assert totp.turn_on(db, user, secret, 1) is not None
    return user, secret


def test_turning_the_second_factor_off_asks_for_a_code_or_the_password(app, client_for):
    client = client_for("district_a")
    user, _ = _with_second_factor(app)
    db = app.state.site.db
    for proof in ("", "wrong password", "123456"):
        client.post("/account/two-factor", data={"action": "off", "proof": proof})
        assert totp.is_on(db, user), proof
    assert 'name="proof"' in client.get("/account").text
    client.post("/account/two-factor", data={"action": "off", "proof": PASSWORD})
    assert not totp.is_on(db, user)


def test_a_code_from_the_app_turns_it_off_too(app, client_for):
    client = client_for("district_a")
    user, secret = _with_second_factor(app)
    now = app.state.site.sessions.clock()
    client.post("/account/two-factor", data={"action": "off", "code": pyotp.TOTP(secret).at(now)})
    assert not totp.is_on(app.state.site.db, user)


def test_parallel_wrong_codes_are_checked_no_more_than_the_limit(app):
    db = app.state.site.db
    user, _ = _with_second_factor(app)
    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(lambda n: totp.check(db, user, f"{n:06d}", "test", 1_900_000_000.0), range(40)))
    assert outcomes.count(totp.WRONG) == totp.MAX_CODE_FAILURES
    assert outcomes.count(totp.TOO_MANY) == 40 - totp.MAX_CODE_FAILURES


def test_parallel_wrong_passwords_are_checked_no_more_than_the_limit(app):
    db = app.state.site.db
    refusals = []

    def attempt(n):
        try:
            auth.sign_in(db, EMAILS["district_b"], f"wrong {n}", f"10.0.0.{n}")
        except auth.SignInRefused as exc:
            refusals.append(str(exc))

    with ThreadPoolExecutor(15) as pool:
        list(pool.map(attempt, range(30)))
    checked = db.value("SELECT COUNT(*) FROM login_attempts WHERE account = ?", (EMAILS["district_b"],))
    assert checked == auth.MAX_FAILURES_PER_ACCOUNT
    assert sum("Too many attempts" in r for r in refusals) == 30 - auth.MAX_FAILURES_PER_ACCOUNT
    with pytest.raises(auth.SignInRefused, match="Too many attempts"):  # the right password too, now
        auth.sign_in(db, EMAILS["district_b"], PASSWORD, "10.0.1.1")


# --- caps whatever the door -------------------------------------------------------------------------------------

def _with_schools(count: int):
    plan = deepcopy(api.example_plan())
    plan.schools = [School(name=f"School {n}") for n in range(count)]
    return plan


def test_a_workbook_with_more_rows_than_the_form_allows_is_refused_naming_the_sheet(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(api.workbook_bytes(_with_schools(sizes.MAX_ROWS + 50)))
    with pytest.raises(WorkbookError, match=r"sheet 'Schools'.*250 rows; a table holds at most 200"):
        api.read_plan(path)


def test_every_web_save_refuses_a_plan_over_the_caps(app):
    db, district = app.state.site.db, app.state.districts["a"]
    before = plans.plan_row(db, district.id, "fy26").latest
    with pytest.raises(ValueRefused, match="schools: 201 rows"):
        workflow.save(db, district, None, lambda plan: _with_schools(sizes.MAX_ROWS + 1), "upload")
    assert plans.plan_row(db, district.id, "fy26").latest == before


def test_check_ins_are_capped_and_counted_in_the_same_transaction(app, monkeypatch):
    monkeypatch.setattr(sizes, "MAX_CHECKINS", 3)
    db, district = app.state.site.db, app.state.districts["a"]
    checkin = CheckIn(1, 1, "2025-10-15", "58%", "On track", "")
    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda _: _try(checkins.add, db, district.id, "fy26", checkin, None), range(6)))
    assert sum(isinstance(o, int) for o in outcomes) == 3
    assert all("already holds 3 check-ins" in str(o) for o in outcomes if not isinstance(o, int))
    assert len(checkins.of_district(db, district.id, "fy26")) == 3


def _try(function, *args):
    try:
        return function(*args)
    except ValueRefused as exc:
        return exc


# --- secrets on disk --------------------------------------------------------------------------------------------

def test_the_data_folder_and_backups_are_the_server_user_s_own(tmp_path):
    old = os.umask(0o022)
    try:
        db = Database(tmp_path / "data")
        db.set_setting("smtp_password", "secret")
        counted = backup.backup(tmp_path / "data", tmp_path / "copy")
    finally:
        os.umask(old)
    assert counted["accounts"] == 0
    for folder in (tmp_path / "data", tmp_path / "copy"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / DATABASE).stat().st_mode) == 0o600
    wal = tmp_path / "data" / f"{DATABASE}-wal"
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600


# --- saves that say no version ----------------------------------------------------------------------------------

def test_a_save_that_says_no_version_never_replaces_newer_text(app, client_for):
    a = app.state.districts["a"].id
    stale, page = client_for("district_a"), client_for("district_a")
    refused = stale.post(f"/districts/{a}/plan/save", data={"name": "p1.subject", "value": "from a script"})
    assert refused.status_code == 409 and "reload the page" in refused.json()["message"]
    stale.get(f"/districts/{a}/plan")  # opened, then left while someone else saves
    latest = plans.plan_row(app.state.site.db, a, "fy26").latest
    saved = page.post(f"/districts/{a}/plan/save", data={"name": "p1.subject", "value": "newer", "base": str(latest)})
    assert saved.status_code == 200
    late = stale.post(f"/districts/{a}/plan/save", data={"name": "p1.subject", "value": "older"})
    assert late.status_code == 409 and "reload the page" in late.json()["message"]
    assert "newer" in page.get(f"/districts/{a}/plan").text


# --- templates and PDFs -----------------------------------------------------------------------------------------

def test_an_uploaded_template_s_links_outside_the_file_never_reach_the_download(app, client_for, tmp_path):
    from .test_templates import _template, _upload
    client, a = client_for("district_a"), app.state.districts["a"].id
    data = hostile.rewrite(_template(tmp_path), hostile.linked_picture("http://intranet.example/logo.png"))
    data = hostile.rewrite(data, hostile.remote_attached_template("https://evil.example/x.dotm"))
    assert _upload(client, f"/districts/{a}/template", data).status_code == 303
    word = client.get(f"/districts/{a}/download/docx")
    assert word.status_code == 200
    with zipfile.ZipFile(io.BytesIO(word.content)) as package:
        everything = b"".join(package.read(name) for name in package.namelist())
    assert b"intranet.example" not in everything and b"evil.example" not in everything


def test_a_district_past_its_share_of_pdfs_is_told_to_try_again(app, client_for, monkeypatch):
    soffice_or_skip()
    monkeypatch.setattr(files, "PDF_WAIT_SECONDS", 0.2)
    site, a = app.state.site, app.state.districts["a"].id
    slots = files.pdf_slots(site.data)
    with ExitStack() as held:
        for _ in range(slots.share):  # the district's other downloads, still converting
            held.enter_context(slots.hold(str(a)))
        answer = client_for("district_a").get(f"/districts/{a}/download/docx.pdf")
        assert answer.status_code == 503 and "try again in a minute" in answer.text
        for _ in range(slots.total - slots.share):  # and every other slot, by other districts
            held.enter_context(slots.hold("another district"))
        other = client_for("district_b").get(f"/districts/{app.state.districts['b'].id}/download/pptx.pdf")
        assert other.status_code == 503


def test_a_district_past_its_share_of_template_fills_is_told_to_try_again(app, client_for, tmp_path, monkeypatch):
    from docgen.web.services import templates

    from .test_templates import _template, _upload
    monkeypatch.setattr(templates, "FILL_WAIT_SECONDS", 0.2)
    client, a = client_for("district_a"), app.state.districts["a"].id
    assert _upload(client, f"/districts/{a}/template", _template(tmp_path)).status_code == 303
    slots = templates.fill_slots(app.state.site.data)
    with ExitStack() as held:
        for _ in range(slots.share):  # the district's other downloads, still filling
            held.enter_context(slots.hold(f"district {a}"))
        answer = client.get(f"/districts/{a}/download/docx")
        assert answer.status_code == 503 and "try again in a minute" in answer.text
    assert client.get(f"/districts/{a}/download/docx").status_code == 200
