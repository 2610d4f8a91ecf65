"""UI tests run small scripts in AppTest against a copy of the demo database (or another DB)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def ui_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("ui") / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch):
    """``use_db(path)``: the app scripts of this test open ``path``."""
    monkeypatch.chdir(ROOT)

    def point(path: Path) -> Path:
        monkeypatch.setenv("HOTSPOT_DB", str(path))
        return path

    return point
