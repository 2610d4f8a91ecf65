"""Businesses: rankings, resolution rates, repeat offenders, concentrated issues and the 公示 table."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics.disclosure import (
    disclosure_by_business,
    disclosure_by_sector,
    public_text,
    to_csv_bytes,
    to_xlsx_bytes,
)
from analytics.filters import Filters
from analytics.queries.business_issues import concentrated_issues
from analytics.queries.businesses import business_monthly, repeat_offenders, top_businesses
from analytics.store import connect

PHONE = "13812345678"
ID_CARD = "440102199001011234"
BAD_NAME = f"王五水果店{PHONE}"
FORMULA_NAME = '=HYPERLINK("http://x")超市'

# business, county, sector, received, closed?, resolved, title
ROWS = [
    ("甲健身", "清城区", "健身", "2024-01-03", True, True, "健身卡无法退费"),
    ("甲健身", "清城区", "健身", "2024-01-20", True, False, "教练跑路，健身卡无法退费"),
    ("甲健身", "清城区", "健身", "2024-02-11", True, None, "私教课无法退费"),
    ("甲健身", "清城区", "健身", "2024-03-09", False, None, "会员卡无法退费"),
    ("乙培训", "英德市", "教育培训", "2024-01-15", True, True, "培训机构停课"),
    ("乙培训", "英德市", "教育培训", "2024-05-02", True, True, "培训机构停课退费"),
    ("丙超市", "清新区", "食品", "2024-01-07", True, True, "过期食品"),
    (BAD_NAME, "清新区", "食品", "2024-02-01", True, False, f"水果变质 电话{PHONE} 身份证{ID_CARD}"),
    (BAD_NAME, "清新区", "食品", "2024-02-02", True, False, f"水果变质 联系{PHONE}"),
    (BAD_NAME, "清新区", "食品", "2024-02-03", True, False, "水果变质缺斤少两"),
    (FORMULA_NAME, "清城区", "食品", "2024-02-04", True, True, "=1+1 @SUM"),
    (FORMULA_NAME, "清城区", "食品", "2024-02-05", True, True, "-2+3"),
    (FORMULA_NAME, "清城区", "食品", "2024-02-06", True, True, "+cmd"),
    (None, "清城区", "食品", "2024-02-06", True, True, "无经营者"),
    ("  ", "清城区", "食品", "2024-02-06", True, True, "空白经营者"),
]


@pytest.fixture
def small_db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "b.duckdb")
    for i, (business, county, sector, received, closed, resolved, title) in enumerate(ROWS):
        received_at = datetime.fromisoformat(received + " 10:00")
        con.execute(
            "INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, sector,"
            " business, title, content, resolved, complainant, dedupe_key, batch_id)"
            " VALUES (?, ?, '12315', ?, ?, '投诉', ?, ?, ?, ?, ?, ?, ?, ?, 'b')",
            [
                i,
                f"c{i}",
                received_at,
                received_at if closed else None,
                county,
                sector,
                business,
                title,
                f"本人张三，电话{PHONE}，身份证{ID_CARD}，{title}",
                resolved,
                "张三",
                f"k{i}",
            ],
        )
    yield con
    con.close()


def test_top_businesses_counts_and_rates(small_db: duckdb.DuckDBPyConnection) -> None:
    top = top_businesses(small_db, Filters()).set_index("business")
    assert top.loc["甲健身", "complaints"] == 4
    assert top.loc["甲健身", "rank"] == 1
    # Resolution rate over known outcomes (1 of 2), closed rate over all complaints (3 of 4).
    assert top.loc["甲健身", "resolution_rate"] == pytest.approx(0.5)
    assert top.loc["甲健身", "closed_rate"] == pytest.approx(0.75)
    assert top.loc["甲健身", "county"] == "清城区" and top.loc["甲健身", "months"] == 3
    # Complaints without a business are left out; blank names too.
    assert int(top["complaints"].sum()) == 13
    assert top["share"].sum() == pytest.approx(1.0)
    limited = top_businesses(small_db, Filters(), limit=2)
    assert limited["business"].tolist()[0] == "甲健身" and len(limited) == 2


def test_top_businesses_per_group_and_period(small_db: duckdb.DuckDBPyConnection) -> None:
    by_county = top_businesses(small_db, Filters(), group_by="county", limit=1)
    assert by_county.set_index("county")["business"].to_dict() == {
        "清城区": "甲健身",
        "清新区": BAD_NAME,
        "英德市": "乙培训",
    }
    by_sector = top_businesses(small_db, Filters(), group_by="sector", limit=5)
    assert set(by_sector.loc[by_sector["sector"] == "食品", "business"]) == {"丙超市", BAD_NAME, FORMULA_NAME}
    jan = top_businesses(small_db, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31)))
    assert jan.set_index("business")["complaints"].to_dict() == {"甲健身": 2, "乙培训": 1, "丙超市": 1}


def test_repeat_offenders_months_and_return(small_db: duckdb.DuckDBPyConnection) -> None:
    rep = repeat_offenders(small_db, Filters(), min_months=3, quiet_months=3).set_index("business")
    assert set(rep.index) == {"甲健身", "乙培训"}
    assert rep.loc["甲健身", "months"] == 3 and not rep.loc["甲健身", "returned"]
    # 乙培训: January, then nothing February–April, then May: back after 3 quiet months.
    assert rep.loc["乙培训", "returned"] and rep.loc["乙培训", "longest_gap"] == 3
    assert pd.Timestamp(rep.loc["乙培训", "returned_month"]) == pd.Timestamp("2024-05-01")
    assert "沉寂3个月" in rep.loc["乙培训", "reason"]
    assert repeat_offenders(small_db, Filters(), min_months=3, quiet_months=4).index.size == 1
    monthly = business_monthly(small_db, Filters(), ("甲健身",))
    assert monthly["complaints"].tolist() == [2, 1, 1]


def test_concentrated_issues_fall_back_to_title_words(small_db: duckdb.DuckDBPyConnection) -> None:
    issues = concentrated_issues(small_db, Filters(), ("甲健身",), top_k=2)
    words = issues[issues["kind"] == "word"]
    assert words.iloc[0]["issue"] == "退费" and words.iloc[0]["complaints"] == 4
    assert words.iloc[0]["share"] == pytest.approx(1.0)
    # The generic "无法" is no issue; the runner-up is the next most frequent real word.
    assert words.iloc[1]["issue"] == "健身卡" and words.iloc[1]["complaints"] == 2
    sector = issues[issues["kind"] == "sector"].iloc[0]
    assert sector["issue"] == "健身" and sector["complaints"] == 4


def test_concentrated_issues_use_curated_topics(small_db: duckdb.DuckDBPyConnection) -> None:
    con = small_db
    con.execute("INSERT INTO topic_runs VALUES ('r1', now(), NULL, NULL, 2, 15, 'v', 'fp', NULL)")
    con.execute("INSERT INTO topics VALUES ('r1', 1, 'issue', NULL, '退费', ['退费'], 3, [0])")
    con.execute("INSERT INTO topics VALUES ('r1', 2, 'issue', NULL, '跑路', ['跑路'], 1, [1])")
    # A topic named after the business says nothing about the issue: not listed.
    con.execute("INSERT INTO topics VALUES ('r1', 3, 'issue', NULL, '甲健身', ['甲健身'], 1, [3])")
    for cid, topic in ((0, 1), (1, 2), (2, 1), (3, 3)):
        con.execute("INSERT INTO topic_assignments VALUES ('r1', ?, ?, NULL)", [cid, topic])
    # The analyst renamed topic 1 and merged topic 2 into it.
    con.execute("INSERT INTO topic_curation VALUES (1, '预付式健身卡退费难', NULL, false, now())")
    con.execute("INSERT INTO topic_curation VALUES (2, NULL, 1, false, now())")
    issues = concentrated_issues(con, Filters(), ("甲健身",))
    topics = issues[issues["kind"] == "topic"]
    assert topics["issue"].tolist() == ["预付式健身卡退费难"]
    assert topics["complaints"].tolist() == [3]
    assert topics["share"].tolist() == [pytest.approx(0.75)]
    assert issues[issues["kind"] == "word"].empty  # topics replace words for that business


def _cells(df: pd.DataFrame) -> list[str]:
    return [str(v) for v in df.astype(str).to_numpy().ravel()]


def test_disclosure_has_no_personal_data(small_db: duckdb.DuckDBPyConnection) -> None:
    table = disclosure_by_business(small_db, Filters(), min_complaints=1)
    sectors = disclosure_by_sector(small_db, Filters())
    assert BAD_NAME not in table["经营者"].tolist()
    assert any(name.startswith("王五水果店138") for name in table["经营者"])
    csv_text = to_csv_bytes(table).decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"经营者": table, "行业": sectors})))
    xlsx_text = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    for ws in book:  # printed, each page repeats the header row
        assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    for blob in (_cells(table), _cells(sectors), [csv_text], xlsx_text):
        for text in blob:
            assert not re.search(r"\d{11}", text), text
            assert PHONE not in text and ID_CARD not in text
            assert "张三" not in text  # the complainant and the complaint text are never published
    # Counts are the engine's counts.
    assert table.set_index("经营者").loc["甲健身", "投诉量"] == 4
    assert sectors.set_index("行业").loc["食品", "投诉量"] == 9
    assert sectors.set_index("行业").loc["食品", "涉及经营者"] == 3


def test_disclosure_downloads_neutralise_formulas(small_db: duckdb.DuckDBPyConnection) -> None:
    table = disclosure_by_business(small_db, Filters(), min_complaints=1)
    csv_text = to_csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert to_csv_bytes(table).startswith(b"\xef\xbb\xbf")
    # Rates as an analyst reads them (42.5%), not as fractions (0.425).
    read_back = pd.read_csv(io.StringIO(csv_text), dtype=str)
    rates = [c for c in table.columns if c.endswith("率")]
    assert rates and all(read_back[c].dropna().str.fullmatch(r"\d+\.\d%").all() for c in rates)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"经营者": table})))
    names = [c.value for c in book["经营者"]["B"][1:]]
    assert all(not str(n).startswith(("=", "+", "-", "@")) for n in names)
    assert "'" + FORMULA_NAME in names


def test_public_text_masks_phones_and_ids() -> None:
    masked = public_text(f"电话 {PHONE}，身份证 {ID_CARD}，卡号 6222021234567890123，座机 0763-3123456")
    assert not re.search(r"\d{7,}", masked)
    assert public_text("2024-05-01 至 2024-05-31") == "2024-05-01 至 2024-05-31"
    assert public_text(12) == 12


def test_demo_rankings_equal_direct_counts(demo_db: Path) -> None:
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    with connect(demo_db, read_only=True) as con:
        direct = dict(
            con.execute(
                "SELECT trim(business), count(*) FROM complaints WHERE business IS NOT NULL"
                " AND trim(business) <> '' AND received_at >= '2024-01-01' AND received_at < '2025-01-01'"
                " GROUP BY 1"
            ).fetchall()
        )
        top = top_businesses(con, f, limit=20)
        table = disclosure_by_business(con, f, min_complaints=3, limit=20)
        rep = repeat_offenders(con, f, min_months=6)
    assert top["complaints"].tolist() == sorted(direct.values(), reverse=True)[:20]
    for row in top.itertuples():
        assert direct[row.business] == row.complaints
    assert table["投诉量"].tolist() == top["complaints"].tolist()
    assert (rep["months"] >= 6).all() or rep["returned"].any()


def test_topic_run_is_the_current_whole_data_run(small_db: duckdb.DuckDBPyConnection) -> None:
    from analytics.queries.business_issues import topic_run

    assert topic_run(small_db) is None
    small_db.execute(
        "INSERT INTO topic_runs VALUES ('older', TIMESTAMP '2025-01-01', NULL, NULL, 2, 15, 'v', 'a', NULL),"
        " ('all', TIMESTAMP '2025-02-01', NULL, NULL, 2, 15, 'v', 'b', NULL)"
    )
    assert topic_run(small_db) == "all"


def test_business_charts_show_the_engine_numbers(small_db: duckdb.DuckDBPyConnection) -> None:
    from analytics.charts.businesses import repeat_offender_heatmap, resolution_scatter, top_business_bars

    top = top_businesses(small_db, Filters())
    bars = top_business_bars(top)
    shown = {y: x for trace in bars.data for y, x in zip(trace.y, trace.x, strict=True)}
    assert shown == dict(zip(top["business"], top["complaints"], strict=True))
    # One colour per sector, the theme's.
    from analytics.charts.theme import sector_colours

    assert {t.name: t.marker.color for t in bars.data} == {s: sector_colours()[s] for s in set(top["sector"])}
    scatter = resolution_scatter(top)
    assert sum(len(t.x) for t in scatter.data) == int(top["resolution_rate"].notna().sum())
    monthly = business_monthly(small_db, Filters(), ("乙培训",))
    heat = repeat_offender_heatmap(monthly).data[0]
    # January to May with the quiet months shown as zeros.
    assert list(heat.x) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert heat.z.tolist() == [[1, 0, 0, 0, 1]]
    assert top_business_bars(top.iloc[0:0]).layout.annotations  # empty selection: a note, no error


def test_disclosure_publishes_phrases_or_the_sectors_issue_never_a_fragment(small_db) -> None:
    """投诉公示: a topic label that is a fragment counts as its sector's issue; the analyst's label
    and labels that read as phrases stay; title words that are no phrase go the same way."""
    from analytics.topics.labels import reads_as_label

    con = small_db
    con.execute("INSERT INTO topic_runs VALUES ('r1', now(), NULL, NULL, 3, 15, 'v', 'fp', NULL)")
    con.execute("INSERT INTO topics VALUES ('r1', 1, 'issue', NULL, '健身卡退费', ['健身卡'], 1, [3])")
    con.execute("INSERT INTO topics VALUES ('r1', 2, 'issue', NULL, '教练突然', ['教练'], 2, [0])")
    con.execute("INSERT INTO topics VALUES ('r1', 3, 'issue', NULL, '里面头发', ['私教课'], 1, [2])")
    for cid, topic in ((0, 2), (1, 2), (2, 3), (3, 1)):
        con.execute("INSERT INTO topic_assignments VALUES ('r1', ?, ?, NULL)", [cid, topic])
    con.execute("INSERT INTO topic_curation VALUES (3, '私教课停课', NULL, false, now())")  # the analyst's
    published = disclosure_by_business(con, Filters(), min_complaints=1).set_index("经营者")["集中问题"]
    assert published["甲健身"] == "健身类问题（2）、健身卡退费（1）、私教课停课（1）"
    # The analysts' own view (经营者 page) still shows the model's label.
    assert "教练突然" in concentrated_issues(con, Filters(), ("甲健身",))["issue"].tolist()
    for cell in [*published, *disclosure_by_sector(con, Filters())["集中问题"]]:
        for item in filter(None, str(cell).split("、")):
            issue = item.rsplit("（", 1)[0]
            assert issue.endswith("类问题") or reads_as_label(issue), cell


@pytest.mark.parametrize("reverse", [False, True])
def test_main_county_and_sector_ties_go_to_name_order(tmp_path: Path, reverse: bool) -> None:
    """A business's county and sector are those of its most complaints; a tie goes to the first name
    (DuckDB's mode() picked either, whatever order the rows were in)."""
    first, second = sorted(["英德市", "清城区"])
    food, gym = sorted(["食品", "健身"])
    # 丁连锁: two complaints in each county and sector, one of each sector in each county (ties);
    # 戊连锁: three in the later names.
    rows = [
        ("丁连锁", first, food, "2024-01-05"),
        ("丁连锁", second, gym, "2024-02-05"),
        ("丁连锁", first, gym, "2024-03-05"),
        ("丁连锁", second, food, "2024-04-05"),
        ("戊连锁", first, food, "2024-01-06"),
        ("戊连锁", second, gym, "2024-02-06"),
        ("戊连锁", second, gym, "2024-03-06"),
        ("戊连锁", second, gym, "2024-04-06"),
        ("戊连锁", first, food, "2024-05-06"),
    ]
    con = connect(tmp_path / "tie.duckdb")
    for i, (business, county, sector, received) in enumerate(reversed(rows) if reverse else rows):
        con.execute(
            "INSERT INTO complaints (id, complaint_id, source, received_at, kind, county, sector, business,"
            " title, content, dedupe_key, batch_id)"
            " VALUES ($i, $cid, '12315', $received, '投诉', $county, $sector, $business, '退费', '退费', $key, 'b')",
            {"i": i, "cid": f"c{i}", "received": datetime.fromisoformat(received + " 10:00"), "county": county,
             "sector": sector, "business": business, "key": f"k{i}"},
        )  # fmt: skip
    rep = repeat_offenders(con, Filters(), min_months=3).set_index("business")
    assert rep[["county", "sector"]].to_dict("index") == {
        "丁连锁": {"county": first, "sector": food},
        "戊连锁": {"county": second, "sector": gym},
    }
    top = top_businesses(con, Filters()).set_index("business")
    assert top.loc["丁连锁", ["county", "sector"]].tolist() == [first, food]
    assert top.loc["戊连锁", ["county", "sector"]].tolist() == [second, gym]
    # Within each county 丁连锁's two sectors tie again: the first name again.
    by_county = top_businesses(con, Filters(), group_by="county").set_index(["county", "business"])
    assert by_county.loc[(first, "丁连锁"), "sector"] == by_county.loc[(second, "丁连锁"), "sector"] == food
    assert by_county.loc[(second, "戊连锁"), "sector"] == gym
    con.close()


def test_topic_labels_read_the_curated_labels_view(small_db: duckdb.DuckDBPyConnection) -> None:
    """Renames and merges as the migration's curated_labels view applies them: a topic merged into
    another takes its label (the analyst's only if renamed); merged into a topic the run lacks, it
    keeps its own."""
    from analytics.queries.business_issues import topic_labels

    con = small_db
    con.execute("INSERT INTO topic_runs VALUES ('r1', now(), NULL, NULL, 4, 15, 'v', 'fp', NULL)")
    for topic_id, label in ((1, "退费"), (2, "跑路"), (3, "停课"), (4, "过期")):
        con.execute(
            "INSERT INTO topics VALUES ('r1', $t, 'issue', NULL, $label, [$label], 1, [0])",
            {"t": topic_id, "label": label},
        )
    for cid, topic in ((0, 1), (1, 2), (2, 3), (3, 4)):
        con.execute("INSERT INTO topic_assignments VALUES ('r1', $id, $t, NULL)", {"id": cid, "t": topic})
    con.execute("INSERT INTO topic_curation VALUES (1, '预付卡退费难', NULL, false, now())")  # renamed
    con.execute("INSERT INTO topic_curation VALUES (2, NULL, 1, false, now())")  # into the renamed one
    con.execute("INSERT INTO topic_curation VALUES (3, NULL, 4, false, now())")  # into one not renamed
    con.execute("INSERT INTO topic_curation VALUES (4, NULL, 99, false, now())")  # into one the run lacks
    out = topic_labels(con, (0, 1, 2, 3, 7), "r1")
    assert out.to_dict("records") == [
        {"id": 0, "label": "预付卡退费难", "curated": True},
        {"id": 1, "label": "预付卡退费难", "curated": True},
        {"id": 2, "label": "过期", "curated": False},
        {"id": 3, "label": "过期", "curated": False},
    ]
    assert topic_labels(con, (0,), "other").empty and topic_labels(con, (), "r1").empty
