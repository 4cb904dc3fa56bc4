"""/metrics: Prometheus's text format, the numbers a service is watched by, and only for this machine or the token."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from docgen.web import metrics
from docgen.web.routes.monitoring import TOKEN_SETTING

from .conftest import Client, csrf_token, free_port, kill, start


def scrape(app, client=("127.0.0.1", 40000), **headers) -> dict[tuple, float]:
    answer = TestClient(app, client=client).get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_scrape_from_this_machine_counts_requests_saves_checks_and_the_database(app, client_for):
    before = scrape(app)
    client, a = client_for("district_a"), app.state.districts["a"].id
    route = "/districts/{district:id}/plan/save"
    client.get(f"/districts/{a}/plan")  # a save says which version it started from: the page it was typed on
    for text in ("Mathematics", "Reading"):
        assert client.post(f"/districts/{a}/plan/save", data={"name": "p1.subject", "value": text}).status_code == 200
    client.get("/districts/999999")
    after = scrape(app, client=("::1", 40000))
    assert value(after, "docgen_requests_total", route=route, method="POST", status="200") - \
        value(before, "docgen_requests_total", route=route, method="POST", status="200") == 2
    assert value(after, "docgen_request_duration_seconds_count", route=route, method="POST") - \
        value(before, "docgen_request_duration_seconds_count", route=route, method="POST") == 2
    assert value(after, "docgen_saves_total", kind="plan") - value(before, "docgen_saves_total", kind="plan") == 2
    assert value(after, "docgen_checks_total") - value(before, "docgen_checks_total") >= 2
    assert value(after, "docgen_requests_total", route="/districts/{district:id}", method="GET", status="404") >= 1
    assert value(after, "docgen_database_bytes") == app.state.site.db.size_bytes() > 0
    assert value(after, "docgen_jobs_in_database", status="running") == 0


def test_pdf_conversions_are_counted_queued_running_and_by_outcome():
    done, failed = (value(scrape_registry(), "docgen_pdf_conversions_total", outcome=o) for o in ("done", "failed"))
    with metrics.conversion() as step:
        assert value(scrape_registry(), "docgen_pdf_conversions_queued") == 1
        step.started()
        now = scrape_registry()
        assert value(now, "docgen_pdf_conversions_queued") == 0 and value(now, "docgen_pdf_conversions_running") == 1
    with pytest.raises(RuntimeError), metrics.conversion():
        raise RuntimeError("LibreOffice crashed")
    after = scrape_registry()
    assert value(after, "docgen_pdf_conversions_total", outcome="done") == done + 1
    assert value(after, "docgen_pdf_conversions_total", outcome="failed") == failed + 1
    assert value(after, "docgen_pdf_conversions_running") == value(after, "docgen_pdf_conversions_queued") == 0


def scrape_registry() -> dict[tuple, float]:
    text, _ = metrics.exposition(0, {})
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text.decode()) for s in family.samples}


def test_another_machine_is_refused_without_the_token_and_answered_with_it(app, tmp_path):
    elsewhere = ("10.0.4.17", 40000)
    assert TestClient(app, client=elsewhere).get("/metrics").status_code == 403  # no token configured: loopback only
    token = tmp_path / "metrics-token"
    token.write_text("s3cret-scrape-token\n")
    app.state.site.db.set_setting(TOKEN_SETTING, str(token))
    for wrong in ({}, {"authorization": "Bearer wrong"}, {"authorization": "Basic s3cret-scrape-token"}):
        answer = TestClient(app, client=elsewhere).get("/metrics", headers=wrong)
        assert answer.status_code == 403 and "docgen_" not in answer.text
    assert scrape(app, client=elsewhere, authorization="Bearer s3cret-scrape-token")


def test_a_signed_in_account_is_no_pass_to_the_metrics(app):
    client = Client(app, client=("192.0.2.8", 40000))
    client.token = csrf_token(client)
    assert client.post("/login", data={"email": "admin@ssos.example.org", "password": "correct horse battery staple",
                                       "next": "/"}).status_code == 303
    assert client.get("/metrics").status_code == 403


def test_two_server_processes_are_added_up_in_one_scrape(tmp_path):
    """`docgen serve --workers 2`: the requests either process answered are all in a scrape answered by either."""
    port = free_port()
    server = start(tmp_path / "data", port, workers=2)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(40):
                assert client.get("/login").status_code == 200
            for _ in range(6):  # each scrape goes to one process or the other
                samples = {(s.name, tuple(sorted(s.labels.items()))): s.value for family in
                           text_string_to_metric_families(client.get("/metrics").text) for s in family.samples}
                assert value(samples, "docgen_requests_total", route="/login", method="GET", status="200") == 40
        assert list((tmp_path / "data" / metrics.FOLDER).glob(f"*-{port}/counter_*.db"))
    finally:
        kill(server)
