"""Hostile text from the data never renders as Markdown, and no download hands Excel a formula.

A copy of the demo gets an import of complaints whose titles, business names and contents are
Markdown images and links (plus a burst, so the business is alerted), and a topic renamed to a link.
Every page then runs with the frame, and no Markdown-rendered body or label on it may hold a live
image or link: only the escaped form (``\\]\\(http``), which shows the characters as they are.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.exporting.safe_cells import safe_csv
from analytics.ingest import import_file
from analytics.store import connect
from tests.pages.conftest import ROOT
from tests.pages.test_pages_smoke import _framed

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
IMAGE = "![b](http://evil.example/x.png)"
LINK = "[点此领取退款](http://phish.example)"
# A business named with a Markdown link and an HTML link: plotly.js draws <a href> in chart text as a link.
BUSINESS = LINK + '<a href="http://phish.example">退款中心</a>'
FORMULA = '=HYPERLINK("http://phish.example","退款")'
# Live syntax: an image or link opener, raw HTML, or a bare URL the autolinker would turn into a link.
LIVE = re.compile(r"(?<!\\)!\[|(?<!\\)\]\((?:https?:)?//|(?<!\\)<(?:img|a)\b|https?://|www\.", re.IGNORECASE)
RENDERED_AS_TEXT = {"text", "code", "dataframe", "arrow_data_frame", "plotly_chart", "json", "html"}


def _hostile_rows(day: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["工单编号", "受理时间", "区县", "被投诉人", "标题", "内容"])
    for i in range(40):  # a one-day burst of one business: the 预警 page names it
        writer.writerow(
            [
                f"X{i:03d}",
                f"{day} 10:{i:02d}:00",
                "清城区",
                BUSINESS,
                IMAGE if i % 2 else FORMULA,
                f"退款被拒 {LINK} <img src=x>",
            ]
        )
    return out.getvalue()


@pytest.fixture(scope="module")
def hostile_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.duckdb"
    shutil.copy(demo_db, db)
    with connect(db) as con:
        last = con.execute("SELECT max(received_at)::DATE FROM complaints").fetchall()[0][0]
        export = folder / "hostile.csv"
        export.write_text(_hostile_rows(str(last)), encoding="utf-8")
        import_file(con, export, source="12345", actor="test")
    return db


@pytest.fixture
def hostile(hostile_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import sys

    monkeypatch.setenv("HOTSPOT_DB", str(hostile_db))
    monkeypatch.chdir(ROOT)
    if str(ROOT) not in sys.path:
        monkeypatch.syspath_prepend(str(ROOT))
    return hostile_db


def _elements(node):
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    yield node  # a block (expander, tab …) has a label of its own
    for child in children.values():
        yield from _elements(child)


def _markdown_texts(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer: bodies and labels."""
    texts = []
    for element in _elements(at._tree):
        if getattr(element, "type", None) in RENDERED_AS_TEXT:
            continue
        proto = getattr(element, "proto", None)
        for field in ("body", "label", "help", "placeholder"):
            value = getattr(proto, field, None)
            if isinstance(value, str) and value:
                texts.append(value)
    return texts


def _live(at: AppTest) -> list[str]:
    return [t for t in _markdown_texts(at) if LIVE.search(t)]


def _rename_topics(db: Path) -> None:
    """After a page computed topics: every issue topic gets a hostile name, as an analyst might."""
    from analytics.topics.curation import rename_topic
    from ui import cache

    with cache.cursor() as cur:  # the app's own connection to the file
        for (topic_id,) in cur.execute("SELECT DISTINCT topic_id FROM topics WHERE level = 'issue'").fetchall():
            rename_topic(cur, int(topic_id), f"领奖{LINK}", actor="test")
    cache.invalidate()


def test_escaped_text_shows_its_characters() -> None:
    from ui.text import plain

    assert plain(LINK) == r"\[点此领取退款\]\(http\:\/\/phish\.example\)"
    assert plain("**粗体**\n# 标题 <b>x</b> $x$ :red[红]") == r"\*\*粗体\*\* \# 标题 \<b\>x\<\/b\> \$x\$ \:red\[红\]"
    assert plain(None) == "" and plain(float("nan")) == ""
    assert not LIVE.search(plain(IMAGE)) and not LIVE.search(plain(LINK))


def test_every_page_shows_hostile_data_as_text(hostile: Path) -> None:
    _framed("pages/topics.py").run()  # computes the topics the rename needs
    _rename_topics(hostile)
    reached: dict[str, int] = {}
    charted: dict[str, bool] = {}
    for page in PAGES:
        at = _framed(page).run()
        assert not at.exception, (page, [str(e.value) for e in at.exception])
        assert not _live(at), (page, _live(at))
        reached[page] = sum("phish\\.example" in t for t in _markdown_texts(at))
        if page == "pages/alerts.py":  # topic alerts may rank first: chart the hostile business's alert
            pick = at.selectbox(key="al_pick")
            at = pick.select_index(next(i for i, o in enumerate(pick.options) if BUSINESS in o)).run()
        specs = " ".join(chart.proto.spec for chart in at.get("plotly_chart"))
        assert not re.search(r"<\s*/?\s*a\b", specs, re.IGNORECASE), page  # no live link in any chart
        charted[page] = "&lt;a href" in specs
    # The data did reach Markdown elements (escaped): renamed topics, the alerted business.
    assert all(reached[p] > 0 for p in ("pages/topics.py", "pages/hotspots.py", "pages/alerts.py")), reached
    assert charted["pages/alerts.py"], charted  # the alerted business's chart, its link made inert


def test_hostile_keyword_in_a_shared_link_and_file_names_are_text(hostile: Path) -> None:
    at = _framed("pages/overview.py")
    at.query_params["q"] = LINK
    at.run()
    assert not at.exception
    assert not _live(at), _live(at)
    assert any("phish\\.example" in c.value for c in at.sidebar.caption)

    explore = _framed("pages/explore.py")  # its total names the period, keyword included
    explore.query_params["q"] = LINK
    explore.run()
    assert not explore.exception
    assert not _live(explore), _live(explore)
    assert any("phish\\.example" in c.value and "个事项" in c.value for c in explore.caption)

    page = AppTest.from_file(str(ROOT / "pages/import_data.py"), default_timeout=300)
    page.session_state["import_files"] = {
        f"{LINK}.csv": "受理时间,标题\n2025-01-01,x\n".encode(),
        f"{IMAGE}.xlsx": b"x",
    }
    page.run()
    assert not page.exception
    assert not _live(page), _live(page)
    assert any("phish\\.example" in e.label for e in page.expander)


def test_downloads_neutralise_formulas(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: dict[str, bytes] = {}  # file name -> the bytes a download button hands the browser
    keep = MemoryMediaFileStorage.load_and_get_id

    def record(self, data: bytes, mimetype: str, kind, filename: str | None = None) -> str:
        served[filename or ""] = data
        return keep(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    at = _framed("pages/explore.py").run()
    assert not at.exception
    assert any(b.proto.label == "下载本页投诉（CSV）" for b in at.get("download_button"))
    content = next(data for name, data in served.items() if name.startswith("投诉明细_"))
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    titles = [r["标题"] for r in rows if "HYPERLINK" in r["标题"]]
    assert titles and all(t.startswith("'=") for t in titles)  # shown as text by Excel/WPS
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)

    frame = safe_csv(pd.DataFrame({"a": ["=1+1", "+x", "-y", "@z", "ok"], "n": [-1, 2, 3, 4, 5]}))
    assert frame.decode("utf-8-sig").splitlines() == ["a,n", "'=1+1,-1", "'+x,2", "'-y,3", "'@z,4", "ok,5"]
