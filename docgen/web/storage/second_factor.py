"""An account's second factor: its TOTP secret and its one-time recovery codes (stored hashed); SQL only."""

from __future__ import annotations

from .db import Database, now


def secret(db: Database, user_id: int) -> str | None:
    return db.value("SELECT totp_secret FROM users WHERE id = ?", (user_id,))


def turn_on(db: Database, user_id: int, totp_secret: str, code_hashes: list[str]) -> None:
    """Store the account's TOTP secret and a new set of recovery codes (earlier codes stop working)."""
    with db.transaction() as c:
        c.execute("UPDATE users SET totp_secret = ? WHERE id = ?", (totp_secret, user_id))
        c.execute("DELETE FROM recovery_codes WHERE user_id = ?", (user_id,))
        c.executemany("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                      [(user_id, h) for h in code_hashes])


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
