"""What the service did, as log lines a security team can read: one line per request, errors with their traceback.

``configure("json")`` sends every logger of the process (docgen's, uvicorn's)
to standard error through the standard library's ``logging``, as one JSON
object a line (what a SIEM ingests; ``"text"`` for a terminal). ``RequestLog``
is the outermost ASGI layer: it gives each request an id (also sent back in
the ``X-Request-ID`` header, so a person can quote it), and writes one line
when the request ends: method, route *template*, status, duration, the
signed-in account's id and the client address. Every other line logged while
the request runs carries the same id (a context variable, which follows the
request into worker threads).

What never reaches a line: a path as typed (``/invite/<token>`` holds a secret;
the template ``/invite/{token}`` is logged, with only the whole-number path
parameters), the query string, headers, cookies, form fields and bodies. An
exception's traceback is logged, never shown: the person gets the 500 page.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import datetime, timezone

LOGGER = logging.getLogger("docgen.requests")
FORMATS = ("json", "text")
request_id: ContextVar[str] = ContextVar("docgen_request_id", default="-")
FIELDS = ("request_id", "method", "route", "params", "status", "duration_ms", "user_id", "client", "error")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ms), level, logger, message, process, the request's fields, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                "process": record.process, "request_id": getattr(record, "request_id", None) or request_id.get()}
        line.update({field: getattr(record, field) for field in FIELDS[1:] if hasattr(record, field)})
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The same facts for a person at a terminal: time, level, request id, message, then the fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{field}={getattr(record, field)}" for field in FIELDS[1:] if hasattr(record, field))
        text = (f"{datetime.fromtimestamp(record.created, timezone.utc):%Y-%m-%dT%H:%M:%S}Z {record.levelname:<7} "
                f"[{getattr(record, 'request_id', None) or request_id.get()}] {record.getMessage()} {fields}")
        return text.rstrip() + ("\n" + self.formatException(record.exc_info) if record.exc_info else "")


def configure(log_format: str = "json", stream=None, level: int = logging.INFO) -> logging.Handler:
    """Send every log line of this process to ``stream`` (standard error) in ``log_format``; return the handler."""
    if log_format not in FORMATS:
        raise ValueError(f"log format {log_format!r}: use one of {', '.join(FORMATS)}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # through the root handler, in the same format
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # RequestLog writes the request lines instead
    for name in ("httpx", "httpcore"):  # their INFO line holds a whole URL, query and all (OpenID sign-in uses httpx)
        logging.getLogger(name).setLevel(logging.WARNING)
    handler.addFilter(AlreadyLogged())
    return handler


class AlreadyLogged(logging.Filter):
    """Drop uvicorn's "Exception in ASGI application": RequestLog has logged that traceback, with its request."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "uvicorn.error" and record.getMessage() == "Exception in ASGI application")


class RequestLog:
    """ASGI middleware: a request id for each request, one log line at its end, the traceback of any error."""

    def __init__(self, app, observe=None):
        self.app, self.observe = app, observe  # observe(route, method, status, seconds): the metrics, if any

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = uuid.uuid4().hex
        token = request_id.set(rid)
        started, status = time.perf_counter(), [500]

        async def with_id(event):
            if event["type"] == "http.response.start":
                status[0] = event["status"]
                event = {**event, "headers": [*event.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(event)

        error = None
        try:
            await self.app(scope, receive, with_id)
        except Exception as exc:  # the 500 page has gone out already (Starlette's error middleware sent it)
            error = exc
            raise  # as Starlette does; uvicorn's own copy of the traceback is dropped (AlreadyLogged)
        finally:
            seconds = time.perf_counter() - started
            route = _route(scope)
            fields = {"method": scope["method"], "route": route, "params": _id_params(scope), "status": status[0],
                      "duration_ms": round(seconds * 1000, 1), "user_id": _user_id(scope),
                      "client": (scope.get("client") or ("-",))[0]}
            if error is not None:
                LOGGER.error("request failed", exc_info=error, extra={**fields, "error": type(error).__name__})
            else:
                LOGGER.info("request", extra=fields)
            if self.observe is not None:
                self.observe(route, scope["method"], status[0], seconds, error is not None)
            request_id.reset(token)


def _route(scope) -> str:
    """Return the route template the request matched (``/districts/{district:id}/plan``), or "-" for none."""
    route = scope.get("route")
    return getattr(route, "path", None) or "-"


def _id_params(scope) -> dict[str, int]:
    """Return the request's whole-number path parameters (ids): never a token or a name someone typed."""
    return {name: value for name, value in (scope.get("path_params") or {}).items()
            if isinstance(value, int) and not isinstance(value, bool)}


def _user_id(scope) -> int | None:
    """Return the signed-in account's id, as the session held it when the response went out, or None."""
    session = scope.get("session")
    user = session.get("user") if isinstance(session, dict) else None
    return user if isinstance(user, int) else None
