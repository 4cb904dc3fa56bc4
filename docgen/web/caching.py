"""Static files named by their content: ``/static/docgen.css?v=<hash>`` is kept by browsers for a year.

The pages link every static file with ``static_url(name)``, whose ``v`` is a hash of that file's bytes, so
a new release (a changed file) is a new URL and a browser never runs an old script against a new page. A
static URL without that hash (or with an old one) is answered "no-cache": the browser asks again each time
and the ETag saves sending it twice.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from urllib.parse import parse_qs

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def file_hash(name: str) -> str:
    """Return the first 12 hex digits of the SHA-256 of static file ``name`` ("" if there is no such file)."""
    path = resources.files("docgen.web") / "static" / name
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""


def static_url(name: str) -> str:
    """Return the URL of static file ``name`` carrying its content hash."""
    return f"/static/{name}?v={file_hash(name)}"


class StaticCache:
    """ASGI middleware: a long, immutable Cache-Control on a static file asked for by its current hash."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/static/"):
            return await self.app(scope, receive, send)
        wanted = parse_qs(scope.get("query_string", b"").decode()).get("v", [""])[0]
        current = wanted and wanted == file_hash(path[len("/static/"):])
        value = f"public, max-age={YEAR}, immutable" if current else "no-cache"

        async def with_cache_control(event):
            if event["type"] == "http.response.start" and event.get("status") == 200:
                event = {**event, "headers": [*event.get("headers", []), (b"cache-control", value.encode())]}
            await send(event)

        await self.app(scope, receive, with_cache_control)
