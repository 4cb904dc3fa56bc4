"""Who may do what: one question, ``allowed(user, action, district)``, asked by every route.

The default is no. Admins manage accounts, districts and regions; a
consultant sees and reviews the districts of their own region; a district user
sees, edits and submits only their own district's plan. Through the plan year
a district records its check-ins (``record-progress``), its region's
consultants read them and add notes, admins read them; the state (DESE's SSoS
leadership) reads every region's progress and the state view, and writes
nothing. A consultant adds a plan a district e-mailed (``receive-plan``);
the district and its region's consultants see how a received plan was read
(``confirm-reading``), and its pieces are confirmed by whoever may change
that plan (``receive-plan`` for an e-mailed one, ``edit-plan`` for the
district's own upload). Nobody signed in may do nothing but sign in.

Every route declares the action it needs (``pages.page(action)``); PUBLIC
marks the few anyone may open (signing in, invitations, the health check),
which check their visitor themselves.
"""

from __future__ import annotations

from docgen.web.storage.accounts import District, User

DISTRICT_ACTIONS = frozenset({"view-plan", "edit-plan", "submit-plan", "comment", "view-progress", "record-progress",
                              "confirm-reading"})
REGION_ACTIONS = frozenset({"view-region", "set-letter-template"})  # asked of a region: a consultant's own
CONSULTANT_ACTIONS = (frozenset({"view-plan", "review-plan", "comment", "view-progress", "note-progress",
                                 "receive-plan", "confirm-reading"})
                      | REGION_ACTIONS)
ADMIN_ACTIONS = frozenset({"manage-accounts", "manage-districts", "view-audit", "set-letter-template"})
STATE_ACTIONS = frozenset({"view-progress", "view-state"})
OWN_ACTIONS = frozenset({"own-account"})  # one's own password, second factor and session: everyone signed in
ACTIONS = DISTRICT_ACTIONS | CONSULTANT_ACTIONS | ADMIN_ACTIONS | STATE_ACTIONS | OWN_ACTIONS
PLAN_ACTIONS = (DISTRICT_ACTIONS | CONSULTANT_ACTIONS) - REGION_ACTIONS  # asked of the route's {district}
EVERY_DISTRICT = {"admin": {"view-progress"}, "state": {"view-progress"}}  # asked of any district, every region
PUBLIC = "public"  # a route anyone may open, signed in or not; never an answer of allowed()
# An earlier plan year is read, never changed: its plan was sent, reviewed and followed through its own year.
YEAR_WRITES = frozenset({"edit-plan", "submit-plan", "comment", "record-progress", "note-progress", "receive-plan",
                         "confirm-reading"})


def allowed(user: User | None, action: str, district: District | None = None, region: str | None = None,
            this_year: bool = True) -> bool:
    """Return True when ``user`` may do ``action`` to ``district`` (or in ``region``), in this plan year or, with
    ``this_year`` False, in an earlier one (read only).

    An unknown action, a disabled account or nobody signed in is always False.
    """
    if user is None or user.disabled or action not in ACTIONS:
        return False
    if not this_year and action in YEAR_WRITES:
        return False
    if action in OWN_ACTIONS:
        return True
    if action in EVERY_DISTRICT.get(user.role, ()):
        return district is not None
    if user.role == "state":
        return action in STATE_ACTIONS and district is None
    if user.role == "admin":
        return action in ADMIN_ACTIONS
    if user.role == "consultant":
        if action not in CONSULTANT_ACTIONS or not user.region:
            return False
        if action in REGION_ACTIONS:
            return region is None or region == user.region
        return district is not None and district.region == user.region
    if user.role == "district":
        return action in DISTRICT_ACTIONS and district is not None and district.id == user.district_id
    return False
