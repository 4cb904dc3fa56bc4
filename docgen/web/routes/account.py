"""Routes for one's own account: staying signed in, changing the password, the second factor (TOTP)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .. import sessions
from ..pages import SignInNeeded, Site, page


@page
def keep_alive(site: Site, request: Request, form):
    """The page's "Stay signed in" button: count this as activity, and say how long the session has left."""
    if site.user(request) is None:
        raise SignInNeeded()
    current = sessions.current(request)
    current.touch = True
    return JSONResponse({"ok": True, **site.sessions.seconds_left(current)})


ROUTES = [
    Route("/session/keep-alive", keep_alive, methods=["POST"]),
]
