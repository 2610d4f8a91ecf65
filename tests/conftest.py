"""Session fixtures: one small seeded demo database shared by the whole run, and the real exports.

Tests that write to a database copy the seeded one (``demo_db_copy``) or start empty (``empty_db``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# Small enough to build in a few seconds, big enough that every planted theme has its share.
DEMO_ROWS = 20_000
DEMO_SEED = 7


@pytest.fixture(autouse=True, scope="session")
def _no_background_jobs() -> None:
    """Imports in tests start no background topic job (tests/analytics/test_refresh.py runs it itself)."""
    os.environ["HOTSPOT_BACKGROUND_TOPICS"] = "0"


@pytest.fixture(autouse=True, scope="session")
def _served_on_localhost() -> None:
    """AppTest runs the app as `make run` serves it, on 127.0.0.1: without a users file that is
    本机模式, one local admin (ui/auth.py refuses other addresses)."""
    from streamlit import config

    config.set_option("server.address", "127.0.0.1")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a seeded demo database; treat it as read-only."""
    from analytics.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, rows=DEMO_ROWS, seed=DEMO_SEED, topics=True)
    return path


@pytest.fixture
def demo_db_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded demo database that a test may change."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    return tmp_path / "empty.duckdb"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
