"""Salted hashes of personal identifiers, for identity without the raw value.

An export that uses a complainant's phone number as its record id must still refuse the same
record twice, but the number may not be stored. The dedupe key then holds an HMAC-SHA256 of the
identifier with a secret salt generated once per installation: equal numbers give equal keys,
and someone holding only the database cannot test candidate phone numbers against them. The
salt lives in its own file (setting HOTSPOT_SALT_FILE, mode 0600, git-ignored), never in the
database. Later work that links complaints of one complainant (phone, ID number) hashes with
``salted_hash`` too, so one salt serves both.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from functools import cache
from pathlib import Path

from analytics import settings
from analytics.ingest.pii import fold_digits

_SALT_BYTES = 32


@cache
def _salt_at(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once cannot both create (and use) different salts.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)  # a copy restored with broader permissions is tightened again
        salt = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(salt) < 16:
            raise RuntimeError(f"{path}: the salt file is damaged; restore it from a backup") from None
        return salt
    salt = secrets.token_bytes(_SALT_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(salt.hex() + "\n")
    return salt


def installation_salt() -> bytes:
    """This installation's secret salt, created (0600) on first use."""
    return _salt_at(settings.get("HOTSPOT_SALT_FILE"))


def canonical_identifier(value: str) -> str:
    """NFKC digits, no spaces or separators between digits: 138-1234-5678 equals 13812345678."""
    return re.sub(r"(?<=[0-9])[ .\-]+(?=[0-9])", "", fold_digits(value).strip())


def salted_hash(value: str) -> str:
    """Hex HMAC-SHA256 (first 32 digits) of the canonical form of ``value`` under the salt."""
    return hmac.new(installation_salt(), canonical_identifier(value).encode("utf-8"), hashlib.sha256).hexdigest()[:32]
