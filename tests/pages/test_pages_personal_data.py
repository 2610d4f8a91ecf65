"""No page shows a raw personal number: every page of dashboard.py, run in AppTest on a demo copy
into which an export full of personal data (tests/analytics/ingest/pii_corpus.py) was imported,
filtered to those complaints. Everything a page sends to the browser is scanned: text, tables
(their Arrow bytes hold the strings as UTF-8), charts."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.ingest import import_file
from analytics.store import connect
from tests.analytics.ingest.pii_corpus import leaks
from tests.analytics.ingest.test_personal_data import _seeded_export
from tests.pages.conftest import ROOT, TIMEOUT

pytestmark = pytest.mark.slow

PAGES = re.findall(r'st\.Page\("([^"]+)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pii_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pii_pages")
    db = folder / "demo.duckdb"
    shutil.copy(demo_db, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOTSPOT_SALT_FILE", str(folder / "hotspot.salt"))
        with connect(db) as con:
            (result,) = import_file(con, _seeded_export(folder), source="12345")
    assert result.imported == 40
    return db


def _sent(at: AppTest) -> str:
    """Every element and block the script produced, as the bytes sent to the browser."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(proto.SerializeToString().decode("utf-8", "ignore"))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_no_raw_personal_number(pii_db: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOT_DB", str(pii_db))
    monkeypatch.chdir(ROOT)
    if str(ROOT) not in sys.path:
        monkeypatch.syspath_prepend(str(ROOT))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.query_params.update({"from": "2024-04-01", "to": "2024-06-30", "q": "会员卡预付三千元"})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    sent = _sent(at)
    assert leaks(sent) == []
    if page == "pages/explore.py":  # the seeded complaints are on it, masked
        assert "139****8173" in sent
