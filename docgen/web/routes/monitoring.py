"""``/metrics``: the service's numbers in Prometheus's format, for the loopback address or a bearer token.

Anyone may ask (no account: Prometheus has none), so the route is PUBLIC and
checks its visitor itself: a scrape from this machine is answered, one from
elsewhere only with ``Authorization: Bearer <token>``, the token being the
first line of the file given to ``docgen serve --metrics-token-file``.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from docgen.web import metrics
from docgen.web.permissions import PUBLIC
from docgen.web.storage import jobs

TOKEN_SETTING = "metrics_token_file"


async def scrape(request: Request) -> Response:
    """Answer Prometheus: every process's counters and histograms, the database's size and its jobs."""
    site = request.app.state.site
    token = await run_in_threadpool(_token, site.db.setting(TOKEN_SETTING))
    client = request.client.host if request.client else None
    if not metrics.allowed(client, request.headers.get("authorization", ""), token):
        return PlainTextResponse("Metrics are served to this machine, or with the metrics token.", status_code=403)
    body, content_type = await run_in_threadpool(
        lambda: metrics.exposition(site.db.size_bytes(), jobs.count_by_status(site.db)))
    return Response(body, media_type=content_type)


scrape.action = PUBLIC  # type: ignore[attr-defined]  # declared like every page's (see pages.page)


def _token(path: str) -> str:
    """Return the metrics token: the first line of the file serve was given, or "" (none: loopback only)."""
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError):
        return ""


ROUTES = [Route("/metrics", scrape, methods=["GET"])]
