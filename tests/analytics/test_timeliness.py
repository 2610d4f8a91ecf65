"""On-time closure: hand-built cases around 国庆 2024, and a plain pandas recomputation on the demo."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics import timeliness
from analytics.filters import Filters
from analytics.schema import BLANK
from analytics.store import connect
from analytics.workdays import due_dates

ROOT = Path(__file__).resolve().parents[2]


def _insert(con, rows: list[tuple]) -> None:
    df = pd.DataFrame(
        rows, columns=["complaint_id", "kind", "received_at", "closed_at", "county", "department", "sector"]
    )
    df["received_at"] = pd.to_datetime(df["received_at"])
    df["closed_at"] = pd.to_datetime(df["closed_at"], format="ISO8601")
    df["id"] = np.arange(len(df))
    df["source"] = "12345"
    df["dedupe_key"] = df["complaint_id"]
    df["batch_id"] = "t"
    con.execute("INSERT INTO complaints BY NAME SELECT * FROM df")


@pytest.fixture
def holiday_db(empty_db: Path) -> Path:
    con = connect(empty_db)
    _insert(
        con,
        [
            # 咨询 received Fri 2024-09-27: due end of Mon 09-30 (09-29 Sunday is a make-up day)
            ("A1", "咨询", "2024-09-27 10:00", "2024-09-30 23:59:00", "清城区", "市监局", "食品"),
            ("A2", "咨询", "2024-09-27 10:00", "2024-10-01 00:00:01", "清城区", "市监局", "食品"),
            # 投诉 received Mon 09-30: due 10-25
            ("B1", "投诉", "2024-09-30 09:00", "2024-10-25 18:00", "英德市", "城管局", "药品"),
            ("B2", "投诉", "2024-09-30 09:00", "2024-10-26 08:00", "英德市", "城管局", "药品"),
            # open 求助 received 10-03 (holiday): due 10-18; still open at as_of 10-21 -> overdue
            ("C1", "求助", "2024-10-03 12:00", None, "英德市", None, "药品"),
            # open 建议 received Tue 10-08: 1=10-09 .. 4=10-12(Sat) .. 10=10-21 -> due today at as_of 10-21
            ("D1", "建议", "2024-10-08 12:00", None, "清城区", "市监局", "食品"),
            # 举报 received Fri 10-11: 1=10-12(Sat) 2=10-14 .. 15=10-31; closed after as_of: open then, not soon
            ("E1", "举报", "2024-10-11 12:00", "2024-10-30 12:00", "清城区", "市监局", "食品"),
            # received after as_of: out of scope
            ("F1", "咨询", "2024-10-25 12:00", "2024-10-25 13:00", "清城区", "市监局", "食品"),
        ],
    )
    con.close()
    return empty_db


def test_statuses_due_dates_and_lists(holiday_db: Path) -> None:
    con = connect(holiday_db)
    as_of = date(2024, 10, 21)
    det = timeliness.detail(con, as_of=as_of).set_index("complaint_id")
    assert "F1" not in det.index
    due = {k: str(v.date()) for k, v in det["due_at"].items()}
    assert due == {
        "A1": "2024-09-30", "A2": "2024-09-30", "B1": "2024-10-25", "B2": "2024-10-25",
        "C1": "2024-10-18", "D1": "2024-10-21", "E1": "2024-10-31",
    }  # fmt: skip
    assert (det["due_at"].dt.strftime("%H:%M:%S") == "23:59:59").all()
    assert det.loc["A1", "status"] == "按时办结" and det.loc["A2", "status"] == "超期办结"
    assert det.loc["C1", "status"] == "超期未办结" and det.loc["D1", "status"] == "未到期"
    assert det.loc["E1", "status"] == "未到期" and pd.isna(det.loc["E1", "closed_at"])
    # B1/B2 are judged at as_of before their due day: B2 closed after as_of counts as open, not yet due
    assert det.loc["B1", "status"] == "未到期" and det.loc["B2", "status"] == "未到期"
    assert det.loc["A1", "on_time"] is True or det.loc["A1", "on_time"] == True  # noqa: E712

    summ = timeliness.summary(con, as_of=as_of)
    assert (summ["closed_on_time"], summ["closed_late"], summ["open_overdue"], summ["pending"]) == (1, 1, 1, 4)
    assert summ["on_time_rate"] == pytest.approx(1 / 3) and summ["meets_target"] is False

    late = timeliness.overdue(con, as_of=as_of)
    assert late["complaint_id"].tolist() == ["C1"] and late["days_overdue"].tolist() == [3]
    late_all = timeliness.overdue(con, as_of=as_of, include_closed=True)
    assert set(late_all["complaint_id"]) == {"C1", "A2"}

    soon = timeliness.due_soon(con, as_of=as_of)
    assert soon["complaint_id"].tolist() == ["D1"] and soon["workdays_left"].tolist() == [0]

    # later, everything is judged: B1 on time (closed on its due day), B2 late, E1 on time
    final = timeliness.detail(con, as_of=date(2024, 12, 31)).set_index("complaint_id")
    assert final.loc["B1", "status"] == "按时办结" and final.loc["B2", "status"] == "超期办结"
    assert final.loc["E1", "status"] == "按时办结"
    by_county = timeliness.rates(con, "county", as_of=date(2024, 12, 31)).set_index("group")
    assert by_county.loc["英德市", "due"] == 3 and by_county.loc["英德市", "closed_on_time"] == 1
    by_dept = timeliness.rates(con, "department", as_of=date(2024, 12, 31)).set_index("group")
    assert BLANK in by_dept.index
    con.close()


def _pandas_rates(df: pd.DataFrame, as_of: date, by: str) -> pd.DataFrame:
    """Straightforward recomputation, independent of the SQL (numpy due dates, pandas group-by)."""
    df = df[df["received_at"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)].copy()
    due_day = pd.to_datetime(due_dates(df["received_at"], df["kind"]))
    due_end = due_day + pd.Timedelta(days=1)
    closed = df["closed_at"].where(df["closed_at"] < pd.Timestamp(as_of) + pd.Timedelta(days=1))
    on_time = closed.notna() & (closed < due_end.values)
    late = (closed.notna() & ~on_time) | (closed.isna() & (due_day.values < pd.Timestamp(as_of)))
    keys = {
        "month": df["received_at"].dt.strftime("%Y-%m"),
        "county": df["county"].replace("", None).fillna(BLANK),
        "kind": df["kind"],
        "sector": df["sector"].replace("", None).fillna(BLANK),
        "department": df["department"].where(df["department"].fillna("").str.strip() != "", BLANK),
    }[by]
    out = pd.DataFrame({"group": keys.astype(str), "on": on_time, "late": late}).groupby("group")
    res = out.agg(on=("on", "sum"), late=("late", "sum"), total=("on", "size"))
    res["rate"] = res["on"] / (res["on"] + res["late"])
    return res


@pytest.mark.parametrize("by", ["month", "county", "department", "kind", "sector"])
def test_rates_equal_pandas_recomputation(demo_db: Path, by: str) -> None:
    con = connect(demo_db, read_only=True)
    raw = con.execute("SELECT kind, received_at, closed_at, county, department, sector FROM complaints").df()
    as_of = timeliness.default_as_of(con)
    got = timeliness.rates(con, by).set_index("group")
    con.close()
    want = _pandas_rates(raw, as_of, by)
    assert set(got.index) == set(want.index)
    want = want.loc[got.index]
    assert (got["total"].to_numpy() == want["total"].to_numpy()).all()
    assert (got["closed_on_time"].to_numpy() == want["on"].to_numpy()).all()
    assert ((got["closed_late"] + got["open_overdue"]).to_numpy() == want["late"].to_numpy()).all()
    np.testing.assert_allclose(got["on_time_rate"].astype(float).to_numpy(), want["rate"].to_numpy(), rtol=1e-12)


def test_demo_is_not_trivially_on_time(demo_db: Path) -> None:
    con = connect(demo_db, read_only=True)
    summ = timeliness.summary(con)
    year = timeliness.summary(con, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)))
    con.close()
    assert summ["due"] > 0 and 0 < summ["on_time_rate"] <= 1
    assert 0 < year["total"] < summ["total"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_cli_detail_json(demo_db_copy: Path) -> None:
    res = _cli("timeliness", "--db", str(demo_db_copy), "--year", "2024", "--by", "county", "--detail", "--json")
    assert res.returncode == 0, res.stderr
    payload = json.loads(res.stdout)
    assert payload["by"] == "county" and payload["summary"]["target"] == 0.98
    detail = payload["detail"]
    assert detail and set(detail[0]) == {"complaint_id", "kind", "received_at", "due_at", "closed_at", "on_time"}
    assert all(row["received_at"].startswith("2024") for row in detail)
    assert len(detail) == payload["summary"]["total"]
    assert sum(r["closed_on_time"] for r in payload["rates"]) == sum(1 for r in detail if r["on_time"] is True)


def test_cli_text_and_bad_input(demo_db_copy: Path, empty_db: Path) -> None:
    res = _cli("timeliness", "--db", str(demo_db_copy), "--by", "kind")
    assert res.returncode == 0 and "target 98%" in res.stdout
    rows = [line for line in res.stdout.splitlines() if line.startswith("  ") and "%" in line]
    assert rows and all(line.endswith(("  达标", "  未达标")) for line in rows), rows
    assert "BELOW" not in res.stdout
    bad = _cli("timeliness", "--db", str(demo_db_copy), "--as-of", "2024-02-30")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    missing = _cli("timeliness", "--db", str(empty_db), "--json")  # a mistyped path is refused, not created
    assert missing.returncode == 2 and "找不到数据库" in missing.stderr and not empty_db.exists()
    connect(empty_db).close()
    empty = _cli("timeliness", "--db", str(empty_db), "--json")
    assert empty.returncode == 0 and json.loads(empty.stdout)["summary"]["total"] == 0
