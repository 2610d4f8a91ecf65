"""The app beside a command-line import in another process (issue 11): pages keep answering, no
error, and the new rows show without clearing anything (caches are keyed by the data version)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.filters import Filters
from analytics.queries.explore import complaint_count
from analytics.store import open_database, stages
from tests.ui.conftest import ROOT

TIMEOUT = 120


def _frame_and_page(page: str) -> None:
    import runpy

    from ui.frame import render_frame

    render_frame()
    runpy.run_path(page, run_name="__page__")


def export_new_complaints(db: Path, csv: Path) -> int:
    """``db``'s complaints as a CSV export under new ids (so that importing it adds every row)."""
    with open_database(db) as con:
        con.execute(
            "COPY (SELECT 'N' || complaint_id AS complaint_id, received_at, closed_at, kind, county, sector,"
            f" business, title, content FROM complaints) TO '{csv}' (HEADER)"
        )
        return con.execute("SELECT count(*) FROM complaints").fetchone()[0]


def test_pages_answer_during_a_cli_import_and_then_show_its_rows(
    demo_db: Path, tmp_path: Path, use_db, monkeypatch
) -> None:
    from ui import cache

    db = use_db(tmp_path / "app.duckdb")
    shutil.copy(demo_db, db)
    new_rows = export_new_complaints(demo_db, tmp_path / "export.csv")
    before = cache.frame(complaint_count, Filters())
    page = AppTest.from_function(_frame_and_page, args=(str(ROOT / "pages/overview.py"),), default_timeout=TIMEOUT)
    page.run()
    assert not page.exception and not page.error

    cli = subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(tmp_path / "export.csv"), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    renders = 0
    while cli.poll() is None:
        cache.invalidate()  # every render asks DuckDB, as a new filter would
        page.run()
        renders += 1
        assert not page.exception and not page.error, (page.exception, page.error)
    out, err = cli.communicate()
    assert cli.returncode == 0, err
    assert f"imported {new_rows:,}" in out
    assert renders >= 1
    # No invalidate(): the file changed, so the data version did, so the cached count is stale.
    assert cache.frame(complaint_count, Filters()) == before + new_rows
    cache.shared().close()


def test_a_page_that_waits_too_long_says_so_in_one_chinese_line(
    demo_db: Path, tmp_path: Path, use_db, monkeypatch
) -> None:
    from analytics.store.locking import DatabaseLock
    from ui import cache

    db = use_db(tmp_path / "busy.duckdb")
    shutil.copy(demo_db, db)
    monkeypatch.setenv("HOTSPOT_LOCK_TIMEOUT", "0.3")
    writer = DatabaseLock(db, shared=False)  # as a command-line import holds it
    writer.acquire(1)
    try:
        cache.invalidate()
        page = AppTest.from_function(
            _frame_and_page, args=(str(ROOT / "pages/overview.py"),), default_timeout=TIMEOUT
        ).run()
    finally:
        writer.release()
    assert not page.exception
    assert any("数据库正被其他程序" in e.value and "请稍后重试" in e.value for e in page.error)


def test_frame_calls_the_function_it_is_given_and_writing_drops_cached_results(
    demo_db: Path, tmp_path: Path, use_db
) -> None:
    """The cache runs the engine function handed to it (no lookup by name), only engine functions, and
    a write through ``writing()`` shows at once."""
    from analytics.queries.catalog import data_span
    from ui import cache

    db = use_db(tmp_path / "app.duckdb")
    shutil.copy(demo_db, db)
    before = cache.frame(complaint_count, Filters())
    assert before == cache.frame(complaint_count, Filters()) > 0
    assert cache.frame(data_span)["complaints"].iloc[0] == before
    with pytest.raises(ValueError, match="only engine functions"):
        cache.frame(len, "abc")
    with cache.writing() as cur, stages.changing(cur, "complaints"):  # as an engine write does
        cur.execute("DELETE FROM complaints WHERE id IN (SELECT id FROM complaints LIMIT 5)")
    assert cache.frame(complaint_count, Filters()) == before - 5


def test_figure_is_built_once_per_data_version_and_reads_only_when_not_cached(
    demo_db: Path, tmp_path: Path, use_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached chart is the same figure for every caller; its read runs only on a miss, and a write
    builds it anew from the new rows. Only chart builders are cached."""
    from analytics.charts import overview as charts
    from analytics.queries import overview as q
    from ui import cache

    db = use_db(tmp_path / "app.duckdb")
    shutil.copy(demo_db, db)
    reads: list[str] = []
    frame = cache.frame

    def counted(fn, *args, **kwargs):
        reads.append(fn.__name__)
        return frame(fn, *args, **kwargs)

    monkeypatch.setattr(cache, "frame", counted)
    rows = cache.read(q.county_counts, Filters())
    first = cache.figure(charts.county_counts, rows, source="演示数据")
    assert cache.figure(charts.county_counts, rows, source="演示数据") is first
    assert reads == ["county_counts"]
    assert sum(first.data[0].y) == frame(complaint_count, Filters())
    other = cache.figure(charts.county_counts, rows, source="演示数据", value="per_10k")
    assert other is not first and other.layout.yaxis.title.text == "每万人投诉量"
    with cache.writing() as cur, stages.changing(cur, "complaints"):  # as an engine write does
        cur.execute("DELETE FROM complaints WHERE id IN (SELECT id FROM complaints LIMIT 5)")
    again = cache.figure(charts.county_counts, rows, source="演示数据")
    assert sum(again.data[0].y) == sum(first.data[0].y) - 5
    assert reads == ["county_counts"] * 3
    with pytest.raises(ValueError, match="only chart builders"):
        cache.figure(q.county_counts, rows)


def test_a_cached_figure_sends_what_a_fresh_one_would_its_dict_made_once(demo_db: Path, tmp_path: Path, use_db) -> None:
    """What ``st.plotly_chart`` sends of a cached chart (``to_dict()``) is the built figure's, made
    once and not on every view; link tags in its data are inert; a presentation copy is a plain figure
    that leaves the cached one as it was."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from analytics.charts import overview as charts
    from analytics.charts.theme import presentation
    from analytics.queries import overview as q
    from ui import cache
    from ui.charts import Finished, finished

    db = use_db(tmp_path / "app.duckdb")
    shutil.copy(demo_db, db)
    fig = cache.figure(charts.county_counts, cache.read(q.county_counts, Filters()), source="演示数据")
    fresh = charts.county_counts(cache.frame(q.county_counts, Filters()), source="演示数据")
    assert isinstance(fig, Finished)
    assert fig.to_dict() is fig.to_dict()
    assert pio.to_json(fig.to_dict(), validate=False) == pio.to_json(fresh.to_dict(), validate=False)
    sent = pio.to_json(fig.to_dict(), validate=False)
    shown = presentation(go.Figure(fig))
    assert type(shown) is go.Figure and shown.layout.font.size != fig.layout.font.size
    assert pio.to_json(fig.to_dict(), validate=False) == sent
    linked = finished(go.Figure(go.Bar(x=['<a href="http://phish.example">退款</a>'], y=[1])))
    assert list(linked.to_dict()["data"][0]["x"]) == ['&lt;a href="http://phish.example">退款&lt;/a>']
