"""Every setting the tool reads from the environment, declared once with its default and help.

README.md documents each one (tests/analytics/test_settings.py fails when one is missing there).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analytics.errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    cast: Callable[[str], Any] = str

    def value(self) -> Any:
        raw = os.environ.get(self.name, "").strip()
        return self.cast(raw if raw else self.default)


def _path(raw: str) -> Path:
    path = Path(raw).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _optional_path(raw: str) -> Path | None:
    return _path(raw) if raw else None


# The units hotspot volume can be counted in, with the word the UI and the why-sentences use.
VOLUME_UNITS = {"matters": "事项", "complaints": "件次"}


def _volume_unit(raw: str) -> str:
    unit = raw.strip().lower()
    if unit not in VOLUME_UNITS:
        raise UserError(
            f"HOTSPOT_VOLUME_UNIT must be one of {', '.join(VOLUME_UNITS)}, not {raw!r}",
            zh=f"HOTSPOT_VOLUME_UNIT 只能是 matters（事项）或 complaints（件次），当前为 {raw}",
        )
    return unit


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "HOTSPOT_DB",
            "data/demo.duckdb",
            "DuckDB database the app opens (relative paths are from the project root).",
            _path,
        ),
        Setting(
            "HOTSPOT_PROFILE",
            "data/region/qingyuan.toml",
            "Region profile (TOML): counties, aliases, populations, sector taxonomy.",
            _path,
        ),
        Setting(
            "HOTSPOT_CACHE_TTL",
            "600",
            "Seconds the app keeps a cached query result before asking DuckDB again.",
            int,
        ),
        Setting(
            "HOTSPOT_THREADS",
            "0",
            "DuckDB worker threads; 0 means one per CPU core.",
            int,
        ),
        Setting(
            "HOTSPOT_LOCK_TIMEOUT",
            "120",
            "Seconds the app or a command waits for its turn on the database while another process"
            " (an import) writes it, before giving up with a clear message.",
            float,
        ),
        Setting(
            "HOTSPOT_SALT_FILE",
            "data/hotspot.salt",
            "Secret salt for hashing personal identifiers (created 0600 on first import; keep it, never commit it).",
            _path,
        ),
        Setting(
            "HOTSPOT_MATTER_WINDOW_DAYS",
            "30",
            "Matters (事项): complaints are linked into one matter only when received within this many days"
            " of each other (docs/matters.md).",
            int,
        ),
        Setting(
            "HOTSPOT_MATTER_SIM_PERSON",
            "0.1",
            "Matters: text similarity (char 2-gram TF-IDF cosine, 0-1) above which two complaints of the same"
            " complainant (salted phone/ID hash) are one matter; the same named business links them regardless.",
            float,
        ),
        Setting(
            "HOTSPOT_MATTER_SIM_BUSINESS",
            "0.4",
            "Matters: text similarity above which two complaints about the same business are one matter when"
            " at most one of them carries a complainant hash (two different hashes are never linked).",
            float,
        ),
        Setting(
            "HOTSPOT_VOLUME_UNIT",
            "matters",
            "What hotspot ranking counts for volume and growth: matters (事项, one case however often it was"
            " reported, so one angry customer cannot make a hotspot) or complaints (件次). Both are shown.",
            _volume_unit,
        ),
        Setting(
            "HOTSPOT_MEMORY_LIMIT",
            "2GB",
            "DuckDB memory limit (e.g. 2GB); bigger work spills to a temp directory.",
            str,
        ),
        Setting(
            "HOTSPOT_BACKGROUND_TOPICS",
            "1",
            "After an import, compute topics and events in a background process (`python -m analytics topics`),"
            " so no page waits on a model fit; 0 leaves it to that command.",
            lambda raw: raw.strip().lower() not in ("0", "false", "no", "off"),
        ),
        Setting(
            "HOTSPOT_USERS_FILE",
            "",
            "Users file (YAML: bcrypt-hashed passwords, roles viewer/analyst/admin, cookie name and key) for"
            " signing in to the app. Empty: 本机模式, one local admin, allowed only on 127.0.0.1/localhost.",
            _optional_path,
        ),
    ]
}


def get(name: str) -> Any:
    """The current value of a declared setting (environment first, then the default)."""
    return SETTINGS[name].value()
