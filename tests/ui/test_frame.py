"""The frame: 演示数据 label only on the demo, presentation mode, Chinese errors, empty databases."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analytics.store import connect
from tests.ui.conftest import ROOT

TIMEOUT = 120


def _frame_and_page(page: str) -> None:
    import runpy

    from ui.frame import render_frame

    render_frame()
    runpy.run_path(page, run_name="__page__")


def _framed(page: str = "pages/overview.py") -> AppTest:
    return AppTest.from_function(_frame_and_page, args=(str(ROOT / page),), default_timeout=TIMEOUT)


def _labels(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(m.value for m in at.sidebar.markdown)


def _imported_db(path: Path) -> Path:
    """A database that only holds imported (non-demo) complaints."""
    con = connect(path)
    con.execute(
        "INSERT INTO batches (batch_id, file_name, sha256, source, imported_at, rows_read, imported, duplicates,"
        " quarantined) VALUES ('b1', '12345导出.xlsx', 'x', '12345', TIMESTAMP '2025-01-05', 3, 3, 0, 0)"
    )
    con.execute(
        """
        INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, sector, title,
                                content, dedupe_key, batch_id)
        VALUES (1, 'A1', '12345', TIMESTAMP '2024-03-02 10:00', TIMESTAMP '2024-03-05 10:00', '投诉', '清城区', '食品',
                '过期食品', '超市出售过期牛奶', 'k1', 'b1'),
               (2, 'A2', '12345', TIMESTAMP '2024-07-02 10:00', NULL, '投诉', '英德市', '装修', '装修延期',
                '装修公司拖延工期', 'k2', 'b1'),
               (3, 'A3', '12345', TIMESTAMP '2024-11-20 10:00', NULL, '举报', '清城区', '食品', '无证经营',
                '无证小作坊', 'k3', 'b1')
        """
    )
    con.close()
    return path


def test_demo_database_is_labelled(ui_db: Path, use_db) -> None:
    use_db(ui_db)
    at = _framed().run()
    assert not at.exception
    assert "演示数据" in _labels(at)


def test_imported_database_is_not_labelled_demo(tmp_path: Path, use_db) -> None:
    use_db(_imported_db(tmp_path / "city.duckdb"))
    at = _framed().run()
    assert not at.exception
    assert "演示数据" not in _labels(at)
    assert any(c.value == "当前显示的 3 条投诉均为导入的真实数据。" for c in at.caption)
    # Nothing on a real database says 演示, the presentation switch included (投屏模式, not 演示模式).
    assert at.sidebar.toggle and all("演示" not in t.label for t in at.sidebar.toggle)
    # Less than a full calendar year of data: the default period is all of it.
    assert at.metric[0].value == "3"
    assert at.session_state["filters"].date_from.isoformat() == "2024-03-02"


def test_demo_rows_among_imported_ones_are_shown_with_their_share(demo_db_copy: Path, use_db) -> None:
    con = connect(demo_db_copy)
    con.execute(
        "INSERT INTO batches SELECT * REPLACE ('b1' AS batch_id, '12345' AS source) FROM batches"
        " WHERE batch_id = 'demo'"
    )
    con.execute("UPDATE complaints SET batch_id = 'b1' WHERE id % 4 = 0")
    con.close()
    use_db(demo_db_copy)
    at = _framed().run()
    assert not at.exception
    banner = next(m.value for m in at.markdown if "演示数据" in m.value)
    assert "含演示数据 75%" in banner and "条是导入的真实数据" in banner


def test_empty_database_explains_itself(empty_db: Path, use_db) -> None:
    use_db(empty_db)
    for page in ("pages/overview.py", "pages/explore.py"):
        at = _framed(page).run()
        assert not at.exception, page
        assert any("没有投诉" in i.value for i in at.info), page


def test_presentation_mode_from_a_link(ui_db: Path, use_db) -> None:
    use_db(ui_db)
    at = _framed()
    at.query_params["present"] = "1"
    at.run()
    assert at.sidebar.toggle[0].value is True
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert "display: none" in styles
    at.sidebar.toggle[0].set_value(False).run()
    assert "present" not in at.query_params
    assert not at.get("html")


def _raises_user_error() -> None:
    import streamlit as st

    from analytics.errors import UserError
    from ui.frame import user_errors

    with user_errors():
        raise UserError("Unknown dimension 'x'", zh="无法按“x”分组")
    st.write("页面其余部分照常显示")


def test_user_error_is_shown_in_chinese_without_traceback() -> None:
    at = AppTest.from_function(_raises_user_error, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["无法按“x”分组"]
    assert at.markdown[0].value == "页面其余部分照常显示"


def test_reruns_go_through_the_router(ui_db: Path, use_db, tmp_path: Path) -> None:
    """With a pages/ directory Streamlit may run a page file directly (its old multipage mode: a deep
    link to a fresh server, every AppTest rerun); the page must then rerun through the router so the
    frame and the filter bar are there."""
    use_db(ui_db)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.py").write_text(
        "import streamlit as st\nfrom ui.filters import current_filters\nst.title('A')\n"
        "st.caption(current_filters().describe())\n",
        encoding="utf-8",
    )
    (tmp_path / "pages" / "b.py").write_text(
        "import streamlit as st\nfrom ui.filters import current_filters\nst.title('B')\n"
        "st.caption(current_filters().describe())\n",
        encoding="utf-8",
    )
    (tmp_path / "router.py").write_text(
        "import streamlit as st\nfrom ui.frame import render_frame\n"
        "page = st.navigation([st.Page('pages/a.py', default=True), st.Page('pages/b.py')])\n"
        "render_frame()\npage.run()\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(tmp_path / "router.py"), default_timeout=TIMEOUT).run()
    assert at.title[0].value == "A" and at.sidebar.multiselect
    at.sidebar.multiselect(key="flt_kinds").set_value(["举报"]).run()
    assert at.sidebar.multiselect, "the rerun lost the frame"
    at.switch_page("pages/b.py").run()
    assert not at.exception
    assert at.title[0].value == "B"
    assert at.sidebar.multiselect(key="flt_kinds").value == ["举报"]
    assert "类型：举报" in at.caption[-1].value or any("类型：举报" in c.value for c in at.caption)


def test_streamlit_run_hides_the_developer_toolbar() -> None:
    """``streamlit run`` reads .streamlit/config.toml before dashboard.py runs: the Deploy button,
    rerun and clear-cache items never show, not even for the first moment."""
    import tomllib

    client = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["client"]
    assert client["toolbarMode"] == "viewer" and client["disableDataExport"] is True


def test_streamlit_run_leaves_garbage_collection_to_python() -> None:
    """Streamlit's full collection after every run walked the whole heap of this app (pandas, plotly,
    DuckDB, the engine) on each page view; .streamlit/config.toml turns it off, under an option name
    this Streamlit still knows (a renamed option would be ignored without a word)."""
    import tomllib

    from streamlit import config

    runner = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["runner"]
    assert runner == {"postScriptGC": False}
    assert "runner.postScriptGC" in config.get_config_options()


def test_presentation_mode_wraps_a_metric_delta_instead_of_cutting_it() -> None:
    """On a 1366-wide projector 时效's 按时办结率 read "-0.73 个百分点（目…": the enlarged fonts
    left the delta one line with an ellipsis, hiding the target (screenshot by helper D)."""
    from ui.frame import _PRESENTATION_CSS

    assert '[data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { white-space: normal; }' in (
        _PRESENTATION_CSS
    )


def test_the_demo_label_and_source_follow_the_rows_shown(demo_db_copy: Path, use_db) -> None:
    """A period holding only real rows (an import with no channel named) says nothing of the demo,
    in the sidebar too, and names the import's channel in Chinese."""
    con = connect(demo_db_copy)
    con.execute(
        "INSERT INTO batches SELECT * REPLACE ('b1' AS batch_id, 'other' AS source) FROM batches"
        " WHERE batch_id = 'demo'"
    )
    (last_year,) = con.execute("SELECT year(max(received_at)) FROM complaints").fetchone()
    con.execute(
        "UPDATE complaints SET batch_id = 'b1', source = 'other' WHERE year(received_at) = $year", {"year": last_year}
    )
    con.close()
    use_db(demo_db_copy)

    def shown(year: int) -> tuple[str, str, str]:
        """The sidebar's text, the page's text and the charts' specs for one year."""
        at = _framed()
        at.query_params["from"], at.query_params["to"] = f"{year}-01-01", f"{year}-12-31"
        at.run()
        assert not at.exception
        charts = " ".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))
        return " ".join(m.value for m in at.sidebar.markdown), _labels(at), charts

    sidebar, page, charts = shown(last_year)
    assert "演示数据" not in sidebar and "演示数据" not in page
    assert "未注明渠道 导出数据" in charts and "演示" not in charts
    sidebar, _, charts = shown(last_year - 1)
    assert "演示数据" in sidebar and "演示数据" in charts
