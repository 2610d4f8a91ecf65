"""Every setting is documented in the README with its default (datasette's habit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics import settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(settings.SETTINGS))
def test_setting_is_documented_with_default(name: str) -> None:
    setting = settings.SETTINGS[name]
    rows = [line for line in README.splitlines() if line.startswith(f"| `{name}`")]
    assert rows, f"README.md has no settings-table row for {name}"
    assert f"`{setting.default}`" in rows[0], f"README row for {name} does not state the default {setting.default}"
    assert setting.help, f"{name} has no help text"


def test_environment_overrides_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOTSPOT_DB", str(tmp_path / "x.duckdb"))
    monkeypatch.setenv("HOTSPOT_CACHE_TTL", "5")
    assert settings.get("HOTSPOT_DB") == tmp_path / "x.duckdb"
    assert settings.get("HOTSPOT_CACHE_TTL") == 5
    monkeypatch.setenv("HOTSPOT_DB", "relative/db.duckdb")
    assert settings.get("HOTSPOT_DB") == settings.PROJECT_ROOT / "relative/db.duckdb"
