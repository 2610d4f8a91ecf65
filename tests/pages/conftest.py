"""Running the app's scripts in AppTest against a private copy of the seeded demo database.

``HOTSPOT_DB`` points at the copy (the app opens it read-write and migrates it, so the shared
read-only ``demo_db`` is never touched); the working directory is the project root, where
``streamlit run dashboard.py`` runs, so ``st.Page("pages/...")`` paths resolve; the project root is
on ``sys.path`` (pytest's ``pythonpath``) so pages can import ``ui`` and ``analytics``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300  # seconds per script run: a first run computes and caches (topics, hotspots) on a loaded CI box


@pytest.fixture(scope="session")
def app_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the demo database shared by the page tests (they only read it)."""
    target = tmp_path_factory.mktemp("app") / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def app(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    """``app("pages/overview.py")``: an AppTest of that script (not yet run), no session state."""
    monkeypatch.setenv("HOTSPOT_DB", str(app_db))
    monkeypatch.chdir(ROOT)
    if str(ROOT) not in sys.path:
        monkeypatch.syspath_prepend(str(ROOT))

    def make(script: str) -> AppTest:
        return AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)

    return make
