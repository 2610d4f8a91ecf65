"""JSON payloads and files: xlsx sheets, csv with BOM, formula-injection guard."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics.commands._common import _default
from analytics.exporting.hotspot_files import SHEET_DETAIL, SHEET_SUMMARY, ranking_period, write_export
from analytics.exporting.hotspot_tables import SHORTLIST_COLUMNS
from analytics.exporting.safe_cells import neutralise, neutralise_frame
from analytics.hotspots import rank_issues
from analytics.hotspots.events import rank_events
from analytics.hotspots.report import events_payload, issue_hotspots, issues_payload
from analytics.store import connect

KEYS = set(
    [
        "rank",
        "label",
        "score",
        "components",
        "shortlisted",
        "size",
        "complaint_ids",
        "keywords",
        "counties",
        "sectors",
        "businesses",
        "regulator",
        "first_seen",
        "last_seen",
        "change_on_last_year",
        "representatives",
    ]
)


def test_neutralise() -> None:
    assert neutralise("=SUM(A1)") == "'=SUM(A1)"
    assert neutralise("+86") == "'+86" and neutralise("-x") == "'-x" and neutralise("@a") == "'@a"
    assert neutralise("正常文本") == "正常文本" and neutralise(-5) == -5 and neutralise(None) is None
    frame = neutralise_frame(pd.DataFrame({"a": ["=1", "b"], "n": [-1, 2]}))
    assert frame["a"].tolist() == ["'=1", "b"] and frame["n"].tolist() == [-1, 2]


def test_issue_payload_has_the_documented_keys(hotspot_db) -> None:
    with connect(hotspot_db) as con:
        payload = issues_payload(con, rank_issues(con, year=2024, run_id="r1"))
        ids = {r[0] for r in con.execute("SELECT complaint_id FROM complaints").fetchall()}
    json.dumps(payload, default=_default, ensure_ascii=False)  # JSON-able
    first = payload["hotspots"][0]
    assert set(first) >= KEYS
    assert first["size"] == len(first["complaint_ids"]) == 60
    assert set(first["complaint_ids"]) <= ids
    assert first["counties"][0] == {"name": "清城区", "count": 28}
    assert first["sectors"] == [{"name": "健身", "count": 60}]
    assert first["representatives"] and first["representatives"][0]["complaint_id"] in ids


def test_event_payload(hotspot_db) -> None:
    with connect(hotspot_db) as con:
        payload = events_payload(con, rank_events(con, year=2024, run_id="r1"))
    first = payload["hotspots"][0]
    assert set(first) >= KEYS
    assert "力健健身" in first["label"] and len(first["complaint_ids"]) == 15
    assert first["businesses"] == [{"name": "力健健身", "count": 15}]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_files(hotspot_db, tmp_path, suffix) -> None:
    with connect(hotspot_db) as con:
        con.execute("UPDATE topics SET label = '=HYPERLINK(\"x\")' WHERE topic_id = 1")
        ranking = rank_issues(con, year=2024, run_id="r1")
        rows, members = issue_hotspots(con, ranking)
        # one member query: the rows' ids are its complaints, in its order (and those of the ids-only query)
        by_topic = members.groupby("topic_id", sort=False)["complaint_id"].apply(list)
        assert [by_topic[t] for t in rows["topic_id"]] == rows["complaint_ids"].tolist()
        assert [h["complaint_ids"] for h in issues_payload(con, ranking)["hotspots"]] == rows["complaint_ids"].tolist()
        written = write_export(con, (rows, members), "issue", ranking_period(ranking), tmp_path / f"hot{suffix}")
    if suffix == ".xlsx":
        sheets = pd.read_excel(written[0], sheet_name=None, engine="openpyxl")
        assert list(sheets)[:2] == [SHEET_SUMMARY, SHEET_DETAIL]
        summary, detail = sheets[SHEET_SUMMARY], sheets[SHEET_DETAIL]
    else:
        assert written[0].read_bytes().startswith(b"\xef\xbb\xbf")
        summary = pd.read_csv(written[0], encoding="utf-8-sig")
        detail = pd.read_csv(written[1], encoding="utf-8-sig")
    assert summary.loc[0, "热点问题"] == '\'=HYPERLINK("x")'
    assert len(summary) == 4 and len(detail) == 120  # the 2024 members
    assert set(detail["热点排名"]) == {1, 2, 3, 4}
    # The export module's columns (one writer for every shortlist), with the ranking's details.
    expected = list(SHORTLIST_COLUMNS.values())
    expected.insert(expected.index("件次") + 1, "事项")  # 件次 and 事项 side by side
    assert list(summary.columns[: len(expected)]) == expected
    assert {"同比变化", "主要经营者", "首次出现", "最近出现", "分项·投诉量"} <= set(summary.columns)
    assert summary["件次"].tolist() == detail.groupby("热点排名").size().tolist()
    assert summary["事项"].tolist() == rows["matters"].tolist()
