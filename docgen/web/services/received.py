"""Plans that arrive as files: e-mailed to a consultant, or uploaded by a district in its own layout.

Either way the file is read by ``api.received_plan`` (the readers behind
``docgen import`` and ``docgen intake``), saved as the district's next
version, and kept with its reading: the pieces the reader was unsure of, for
a person to confirm where they are or move, and those it could not place. A
plan received by e-mail is the district's submission ("received by e-mail"),
so it is recorded as submitted; ``docgen intake --load`` stores a mailbox's
plans the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from docgen import api
from docgen.errors import DocgenError, NotFound
from docgen.read import received
from docgen.region.match import RegionDistrict
from docgen.web.services import files, workflow
from docgen.web.storage import accounts, audit, plans
from docgen.web.storage import received as stored
from docgen.web.storage.accounts import District, User
from docgen.web.storage.db import Database

HOW = {"e-mail": "received by e-mail", "upload": "uploaded in the district's own layout"}
# who may confirm or move a reading's pieces: an e-mailed plan is the district's submission, which the consultant
# who added it corrects; an upload is the district's draft, which only the district edits
DECIDES = {"e-mail": "receive-plan", "upload": "edit-plan"}


@dataclass(frozen=True)
class Reading:
    """A received plan as its page shows it: the row, its pieces by kind (with their index), where pieces may go."""

    row: stored.ReceivedRow
    unsure: list[tuple[int, dict]]
    unplaced: list[dict]
    targets: list[tuple[str, str]]

    @property
    def to_confirm(self) -> int:
        return sum(not piece.get("decided") for _, piece in self.unsure)

    @property
    def next_piece(self) -> int | None:
        """Return the number (from 1) of the first piece still to confirm, or None when all are."""
        return next((index + 1 for index, piece in self.unsure if not piece.get("decided")), None)


def receive(db: Database, data: Path, district: District, user: User | None, path: Path, shown: str, how: str,
            sender: str = "", received_at: str = "", moved=None) -> tuple[int, int]:
    """Read a stored plan file, save it as the district's next version, keep its reading; return (id, version).

    ``how`` is "e-mail" (recorded as the district's submission, replacing an
    open one; ``user`` None when ``docgen intake --load`` files it) or "upload"
    (a draft, as any import, by a signed-in ``user``). ``moved`` is the reading
    when the caller has made it already (``docgen intake --load``).
    """
    moved = moved or api.received_plan(path, shown)
    if how == "e-mail":  # the version's note, after its source ("e-mail", "import") in the versions list
        note = shown + (f" from {sender}" if sender else "") + (f", {received_at}" if received_at else "")
        number, state = _as_submission(db, district, user, moved.plan, note)
    else:
        assert user is not None, "an upload is made by the signed-in user of the page it was sent from"
        note = f"imported {shown}"
        number, state = workflow.replace(db, district, user, moved.plan, "import", note)
    pieces = [{**asdict(p), "decided": ""} for p in received.pieces(moved, state.variant)]
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    received_id = stored.add(db, state.row.id, number, how, shown, str(Path(path).relative_to(data)), sender,
                             received_at, digest, received.tally(moved), pieces, user.id if user else None)
    audit.record(db, user, "changed the plan", district.id, f"{HOW[how]}: {note} (version {number})")
    return received_id, number


def _as_submission(db: Database, district: District, user: User | None, plan, note: str):
    """Save an e-mailed plan as the next version and make it the open submission (closing an earlier one)."""
    row = plans.ensure_plan(db, district.id, workflow.current_variant().id)
    user_id = user.id if user else None
    if plans.open_submission(db, row.id):
        plans.reopen(db, row, user_id)
    plan.where, plan.review = {}, None
    plan.district.name = district.name
    number, state = workflow.save(db, district, user, lambda _: plan, "e-mail", note, allow_locked=True)
    plans.submit(db, state.row, user_id)
    return number, state


def reading(db: Database, district: District, received_id: int) -> Reading:
    """Return a received plan of the district with its pieces; NotFound for another district's or none."""
    row = stored.get(db, received_id, tuple(p.id for p in plans.plans_of(db, district.id)))
    if row is None:
        raise NotFound("There is no such received plan for this district.")
    state = workflow.state(db, district)
    return Reading(row, [(i, p) for i, p in enumerate(row.pieces) if p["kind"] == "unsure"],
                   [p for p in row.pieces if p["kind"] == "unplaced"],
                   received.answer_fields(state.plan, state.variant))


def decide(db: Database, district: District, user: User, received_id: int, index: int, target: str) -> str:
    """Confirm an unsure piece where it is (``target`` "" or its own field) or move it to ``target``; say which."""
    view = reading(db, district, received_id)
    pieces = view.row.pieces
    if not 0 <= index < len(pieces) or pieces[index]["kind"] != "unsure":
        raise NotFound("There is no such piece in this reading.")
    piece = pieces[index]
    if not target or target == piece["field"]:  # kept where the reader put it
        stored.decide_piece(db, received_id, index, "confirmed", piece["field"], piece["destination"])
        return f"Confirmed where it is: {piece['destination']}."
    places = dict(view.targets)
    if target not in places:
        raise DocgenError(f"'{target}' is not an answer of this plan; choose one from the list")
    variant = workflow.current_variant()
    how = view.row.how
    note = f"moved a piece of {view.row.file_name} to {places[target]}"

    def moved(plan):  # found again in the latest version: rows may have been added or removed since the reading
        return received.move(plan, variant, piece["text"], received.locate(plan, variant, piece["text"]), target)

    workflow.save(db, district, user, moved, "e-mail" if how == "e-mail" else "import", note,
                  allow_locked=how == "e-mail")
    if how == "e-mail":
        row = plans.ensure_plan(db, district.id, variant.id)
        plans.resubmit_latest(db, row.id)
    stored.decide_piece(db, received_id, index, "moved", target, places[target])
    return f"Moved to {places[target]}."


def kept_file(data: Path, district: District, db: Database, received_id: int) -> tuple[str, bytes]:
    """Return the kept file of a received plan (its name and bytes); NotFound once it is no longer kept."""
    row = reading(db, district, received_id).row
    path = Path(data) / row.stored
    if not path.is_file():
        raise NotFound(f"{row.file_name} is no longer kept on the server (older uploads are removed).")
    return row.file_name, path.read_bytes()


def of_district(db: Database, district: District) -> list[stored.ReceivedRow]:
    """Return the plan files this year's plan received, newest first."""
    row = plans.plan_row(db, district.id, workflow.current_variant().id)
    return stored.of_plan(db, row.id) if row else []


def region_districts(data: Path, region: str) -> list[RegionDistrict]:
    """Return a region's districts from the web app's data, each with its listed mail domains and its users'."""
    db = Database(Path(data))
    listed = accounts.districts(db, region)
    if not listed:
        raise DocgenError(f"{data}: no districts in the region '{region}'; the regions are: "
                          f"{', '.join(accounts.regions(db)) or 'none yet'}")
    domains: dict[int, set[str]] = {d.id: set(d.mail_domains.split()) for d in listed}
    for user in accounts.users(db):
        if user.role == "district" and user.district_id:
            domains.setdefault(user.district_id, set()).add(user.email.rpartition("@")[2].casefold())
    return [RegionDistrict(d.name, d.org_code, d.contact_email, tuple(sorted(domains.get(d.id, ())))) for d in listed]


def load_intake(data: Path, intake) -> list[str]:
    """Store each district's current plan of a sorted mailbox as its submission received by e-mail; say what was done.

    A file already received for the district is not stored again, so loading the same mailbox twice changes nothing.
    """
    db, said = Database(Path(data)), []
    for name, plan in intake.current.items():
        if plan is None:
            continue
        district = accounts.district_named(db, name)
        attachment = plan.reading.attachment
        if district is None:
            said.append(f"{name}: not in the web app's data; add the district, then load again")
            continue
        row = plans.ensure_plan(db, district.id, workflow.current_variant().id)
        if plan.reading.digest in stored.digests(db, row.id):
            said.append(f"{name}: {attachment.name} was loaded before")
            continue
        files.check_free_space(Path(data))  # as an upload would: typed text must still save
        path = files.keep(Path(data) / "uploads" / f"{district.id}-received", attachment.name, attachment.data)
        when = plan.message.received.strftime("%Y-%m-%d %H:%M") if plan.message.received else ""
        _, number = receive(db, Path(data), district, None, path, attachment.name, "e-mail", plan.message.sender,
                            when, plan.reading.moved)
        said.append(f"{name}: {attachment.name} stored as version {number}, submitted (received by e-mail)")
    return said
