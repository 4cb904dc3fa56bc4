"""Sessions the server can end: the cookie holds only a random id, the session itself is a row in the database.

``ServerSessions`` is the ASGI middleware (in place of Starlette's signed-cookie
SessionMiddleware; ``request.session`` is the same dict for the routes). A
session ends when its person signs out, when it has been idle longer than the
idle limit (2 hours unless ``docgen serve --idle-minutes`` says otherwise), 12
hours after it began whatever happens, and when its account gets a new
password or invitation, is disabled, or an admin ends its sessions. A new id is
issued whenever the account signed in changes (signing in rotates it). The
cookie's id is 32 random bytes; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import anyio.to_thread
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request

from docgen.web import csrf
from docgen.web.storage import sessions
from docgen.web.storage.db import Database

COOKIE = "docgen_session"
ABSOLUTE_SECONDS = 12 * 3600
IDLE_MINUTES = 120
TOUCH_SECONDS = 60  # a session's "last seen" is written at most once a minute, not on every request


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Current:
    """The session a request came with: its id's hash, the account it had, its times, what the route asked."""

    id_hash: str | None = None
    user: int | None = None
    created: float = 0.0
    seen: float = 0.0
    data: str = "{}"
    renew: bool = False
    touch: bool = False
    ended_by: str = ""  # "idle" or "age" when the cookie's session had just run out


class SessionStore:
    """The limits and the clock sessions are judged by (a test sets ``clock``; nothing sleeps)."""

    def __init__(self, db: Database, idle_minutes: int = IDLE_MINUTES, absolute_seconds: int = ABSOLUTE_SECONDS,
                 clock: Callable[[], float] = time.time):
        self.db, self.idle, self.absolute, self.clock = db, idle_minutes * 60, absolute_seconds, clock

    def open(self, token: str) -> Current:
        """Return the live session whose cookie holds ``token`` (an empty one if it is unknown or has run out)."""
        id_hash = _hash(token)
        row = sessions.load(self.db, id_hash) if token else None
        if row is None:
            return Current()
        now = self.clock()
        if now - row["seen_at"] > self.idle or now - row["created_at"] > self.absolute:
            sessions.end(self.db, id_hash)  # the page's CSRF token is kept: its next POST hears "signed out", not 403
            kept = {key: value for key, value in json.loads(row["data"]).items() if key == csrf.SESSION_KEY}
            return Current(ended_by="idle" if now - row["created_at"] <= self.absolute else "age",
                           data=json.dumps(kept))
        return Current(id_hash, row["user_id"], row["created_at"], row["seen_at"], row["data"])

    def unchanged(self, current: Current, data: dict) -> bool:
        """True when storing the session back would write nothing (most requests: no thread, no write)."""
        if current.renew or current.touch or current.id_hash is None:
            return not data and not current.ended_by
        return (data.get("user") == current.user and self.clock() - current.seen < TOUCH_SECONDS
                and json.dumps(data, separators=(",", ":"), sort_keys=True) == current.data)

    def save(self, current: Current, data: dict) -> str | None:
        """Store the session as the request left it; return a new cookie value, "" to delete it, or None."""
        now = self.clock()
        encoded = json.dumps(data, separators=(",", ":"), sort_keys=True)
        user = data.get("user") if isinstance(data.get("user"), int) else None
        if not data:
            if current.id_hash:
                sessions.end(self.db, current.id_hash)
            return "" if current.id_hash or current.ended_by else None
        if current.id_hash is None or current.renew or user != current.user:
            token = secrets.token_urlsafe(32)
            sessions.prune(self.db, now - self.idle, now - self.absolute)
            sessions.add(self.db, _hash(token), user, encoded, now, drop=current.id_hash)
            return token
        if encoded != current.data:
            sessions.update(self.db, current.id_hash, encoded, now)
        elif current.touch or now - current.seen >= TOUCH_SECONDS:
            sessions.update(self.db, current.id_hash, None, now)
        return None

    def seconds_left(self, current: Current | None) -> dict[str, int]:
        """Return how long the session has before its idle and its absolute limits, counting from now."""
        created = current.created if current is not None and current.id_hash else self.clock()
        return {"idle": int(self.idle), "absolute": max(0, int(created + self.absolute - self.clock()))}


class ServerSessions:
    """ASGI middleware: load the cookie's session into ``scope["session"]``, store it back as the response starts."""

    def __init__(self, app, store: SessionStore, https: bool = False):
        self.app, self.store = app, store
        self.flags = "; HttpOnly; SameSite=lax" + ("; Secure" if https else "")

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        token = HTTPConnection(scope).cookies.get(COOKIE, "")
        current = await anyio.to_thread.run_sync(self.store.open, token) if token else Current()
        scope["session"] = json.loads(current.data)
        if current.ended_by:  # the sign-in page it leads to says why
            why = f"after {self.store.idle // 60} minutes without activity" if current.ended_by == "idle" else \
                f"{self.store.absolute // 3600} hours after signing in"
            scope["session"]["flash"] = [{"kind": "info", "message": f"You were signed out {why}. Nothing you "
                                                                     "typed on this computer is lost."}]
        scope["docgen.session"] = current

        async def store_then_send(event):
            if event["type"] == "http.response.start" and not self.store.unchanged(current, scope["session"]):
                cookie = await anyio.to_thread.run_sync(self.store.save, current, scope["session"])
                if cookie is not None:
                    headers = MutableHeaders(scope=event)
                    age = self.store.absolute if cookie else 0
                    headers.append("set-cookie", f"{COOKIE}={cookie}; Path=/; Max-Age={age}{self.flags}")
            await send(event)

        await self.app(scope, receive, store_then_send)


def current(request: Request) -> Current:
    """Return the session record the request came with (what the middleware loaded)."""
    return request.scope["docgen.session"]


def renew(request: Request) -> None:
    """Give this session a new id as the response goes out (the old cookie stops working): at every sign-in."""
    current(request).renew = True


def end_others(request: Request, db: Database, user_id: int) -> int:
    """End every session of ``user_id`` but this request's own; return how many ended."""
    return sessions.end_for_user(db, user_id, keep=current(request).id_hash)
