"""An account's second factor: its TOTP secret and its one-time recovery codes (stored hashed); SQL only."""

from __future__ import annotations

from docgen.web.storage.db import Database, now


def secret(db: Database, user_id: int) -> str | None:
    return db.value("SELECT totp_secret FROM users WHERE id = ?", (user_id,))


def turn_on(db: Database, user_id: int, totp_secret: str, step: int, code_hashes: list[str]) -> bool:
    """Store the account's TOTP secret, the time step of the code that confirmed it, and a new set of recovery
    codes (earlier codes stop working); False, changing nothing, if a code of that step was accepted already."""
    with db.transaction() as c:
        if c.execute("UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL "
                     "OR totp_last_step < ?)", (totp_secret, step, user_id, step)).rowcount != 1:
            return False
        c.execute("DELETE FROM recovery_codes WHERE user_id = ?", (user_id,))
        c.executemany("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                      [(user_id, h) for h in code_hashes])
        return True


def use_step(db: Database, user_id: int, step: int) -> bool:
    """Record that a code of time step ``step`` was accepted; False if one of that step or a later one already was
    (then the code is refused: RFC 6238 section 5.2). One statement, so two requests with one code cannot both
    pass."""
    with db.transaction() as c:
        return c.execute("UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR "
                         "totp_last_step < ?)", (step, user_id, step)).rowcount == 1


def turn_off(db: Database, user_id: int) -> None:
    with db.transaction() as c:
        c.execute("UPDATE users SET totp_secret = NULL WHERE id = ?", (user_id,))
        c.execute("DELETE FROM recovery_codes WHERE user_id = ?", (user_id,))


def use_recovery_code(db: Database, user_id: int, code_hash: str) -> bool:
    """Mark one unused recovery code used; False if there is no such code left."""
    with db.transaction() as c:
        return c.execute("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS "
                         "NULL", (now(), user_id, code_hash)).rowcount == 1


def recovery_codes_left(db: Database, user_id: int) -> int:
    return db.value("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", (user_id,))
