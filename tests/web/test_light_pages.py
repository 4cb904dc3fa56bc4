"""Light pages: gzip for pages and static files, and a year's Cache-Control on static URLs named by their hash."""

from __future__ import annotations

import re


def test_pages_and_static_files_are_sent_gzipped(client_for):
    client = client_for("district_a")
    page = client.get("/", follow_redirects=True, headers={"accept-encoding": "gzip"})
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    css = re.search(r'href="(/static/docgen\.css\?v=[0-9a-f]{12})"', page.text).group(1)
    answer = client.get(css, headers={"accept-encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip" and "--focus" in answer.text


def test_hashed_static_urls_are_kept_a_year_and_others_are_asked_again(client_for):
    client = client_for("nobody")
    page = client.get("/login")
    scripts = re.findall(r'src="(/static/[a-z.]+\.js\?v=[0-9a-f]{12})"', page.text)
    assert len(scripts) == 3, scripts
    for url in scripts:
        assert client.get(url).headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/docgen.js").headers["cache-control"] == "no-cache"
    assert client.get("/static/docgen.js?v=000000000000").headers["cache-control"] == "no-cache"
    assert page.headers["cache-control"] == "no-store"  # pages are never kept
