"""The demo database: deterministic, realistic in its mixes, and carrying the planted truth."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import chinese_calendar
import numpy as np
import pandas as pd
import pytest

from analytics import cli
from analytics.demo import EVENTS, ISSUES, PLANTED, build_demo
from analytics.errors import UserError
from analytics.profile import load_profile
from analytics.store import connect

ROOT = Path(__file__).resolve().parents[3]
DEADLINES = {"咨询": 2, "求助": 10, "建议": 10, "投诉": 15, "举报": 15}


@pytest.fixture(scope="module")
def frame(demo_db: Path) -> pd.DataFrame:
    with connect(demo_db, read_only=True) as con:
        return con.execute("SELECT * FROM complaints ORDER BY id").fetchdf()


@pytest.fixture(scope="module")
def truth(demo_db: Path) -> pd.DataFrame:
    with connect(demo_db, read_only=True) as con:
        return con.execute("SELECT * FROM demo_truth").fetchdf()


def _read(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with connect(path, read_only=True) as con:
        return (
            con.execute("SELECT * FROM complaints ORDER BY id").fetchdf(),
            con.execute("SELECT * FROM demo_truth ORDER BY complaint_id, theme").fetchdf(),
        )


def test_same_seed_gives_identical_rows_and_another_seed_differs(tmp_path: Path) -> None:
    build_demo(tmp_path / "a.duckdb", rows=5_000, seed=11)
    build_demo(tmp_path / "b.duckdb", rows=5_000, seed=11)
    build_demo(tmp_path / "c.duckdb", rows=5_000, seed=12)
    a, ta = _read(tmp_path / "a.duckdb")
    b, tb = _read(tmp_path / "b.duckdb")
    c, _ = _read(tmp_path / "c.duckdb")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ta, tb)
    assert len(c) == len(a)
    assert (a["content"] != c["content"]).mean() > 0.9
    assert not a["received_at"].equals(c["received_at"])


def test_same_seed_is_identical_across_processes(tmp_path: Path) -> None:
    """Nothing depends on Python's per-process string hashing (set order and the like)."""
    here, there = tmp_path / "here.duckdb", tmp_path / "there.duckdb"
    build_demo(here, rows=3_000, seed=5)
    code = f"from analytics.demo import build_demo; build_demo({str(there)!r}, rows=3_000, seed=5)"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=300)
    a, ta = _read(here)
    b, tb = _read(there)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ta, tb)


def test_build_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    build_demo(path, rows=5_000, seed=1)
    summary = build_demo(path, rows=4_000, seed=2)
    assert summary["rows"] == 4_000
    with connect(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] == 4_000
        assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 1


def test_too_few_rows_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        build_demo(tmp_path / "x.duckdb", rows=100)


def test_row_count_keys_and_date_range(frame: pd.DataFrame, demo_db: Path) -> None:
    assert len(frame) == 20_000
    assert frame["id"].tolist() == list(range(1, 20_001))
    assert frame["received_at"].is_monotonic_increasing
    assert frame["received_at"].min() >= pd.Timestamp("2021-01-01")
    assert frame["received_at"].max() <= pd.Timestamp("2025-12-31 23:59:59")
    assert set(frame["received_at"].dt.year) == {2021, 2022, 2023, 2024, 2025}
    assert (frame["dedupe_key"] == frame["source"] + ":" + frame["complaint_id"]).all()
    assert frame["dedupe_key"].is_unique
    assert (frame["batch_id"] == "demo").all()
    closed = frame.dropna(subset=["closed_at"])
    assert (closed["closed_at"] > closed["received_at"]).all()
    with connect(demo_db, read_only=True) as con:
        batch = con.execute("SELECT batch_id, imported, source FROM batches").fetchall()
    assert batch == [("demo", 20_000, "demo")]


def test_county_weights_follow_population(frame: pd.DataFrame) -> None:
    profile = load_profile()
    pop = pd.Series({c.name: c.population for c in profile.counties}, dtype=float)
    share = frame["county"].value_counts(normalize=True).reindex(pop.index).fillna(0)
    ratio = share / (pop / pop.sum())
    assert ratio.between(0.6, 1.6).all(), ratio
    assert share.rank().corr(pop.rank(), method="spearman") > 0.9
    # Towns come from their county's list in the profile.
    towns = {c.name: set(c.towns) for c in profile.counties}
    assert all(t in towns[c] for c, t in zip(frame["county"], frame["town"], strict=True))


def test_sources_kinds_and_sectors_mix(frame: pd.DataFrame) -> None:
    source = frame["source"].value_counts(normalize=True)
    assert 0.50 < source["12345"] < 0.60
    assert 0.30 < source["12315"] < 0.40
    assert 0.07 < source["消委会"] < 0.13
    kind = frame["kind"].value_counts(normalize=True)
    assert set(kind.index) == set(DEADLINES)
    assert kind.idxmax() == "投诉" and kind["投诉"] > 0.5
    assert set(frame["sector"]) == set(load_profile().sector_names)
    assert frame["sector"].value_counts().min() >= 30


def test_texts_are_varied_short_titled_and_name_businesses(frame: pd.DataFrame) -> None:
    assert frame["content"].nunique() / len(frame) >= 0.9
    assert frame["title"].nunique() >= 200
    assert frame["title"].str.len().max() <= 30
    assert frame["content"].str.len().between(15, 400).all()
    # No single opening dominates: the first 6 characters take many forms.
    assert frame["content"].str[:6].nunique() > 500
    named = frame.dropna(subset=["business"])
    assert len(named) / len(frame) > 0.8
    # Heavy tail: a few repeat offenders, many businesses with a single complaint.
    counts = named["business"].value_counts()
    assert counts.iloc[0] >= 30 and (counts == 1).sum() > 500
    assert named.apply(lambda r: r["business"] in r["content"], axis=1).mean() > 0.5


def test_departments_follow_sector_regulators(frame: pd.DataFrame) -> None:
    assert "清城区市场监督管理局" in set(frame["department"])
    assert "英德市市场监督管理局" in set(frame["department"])
    assert (frame.loc[frame["source"] == "12315", "department"].str.endswith("市场监督管理局")).all()
    edu = frame[(frame["source"] == "12345") & (frame["sector"] == "教育培训")]
    assert (edu["department"] == edu["county"] + "教育局").all()


def test_personal_data_is_masked(frame: pd.DataFrame) -> None:
    phone = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
    for column in ("title", "content", "result", "complainant", "business"):
        assert not frame[column].dropna().str.contains(phone).any(), column
    assert frame["content"].str.contains(r"1[3-9]\d\*{4}\d{4}").sum() > 100  # masked numbers appear
    assert frame["complainant"].str.fullmatch(r"匿名|[\u4e00-\u9fff]{1,2}\*{1,2}").all()


def test_resolution_and_open_complaints_at_the_end(frame: pd.DataFrame) -> None:
    closed = frame.dropna(subset=["closed_at"])
    assert 0.75 <= closed["resolved"].astype(bool).mean() <= 0.85
    assert closed["result"].notna().all()
    still_open = frame[frame["closed_at"].isna()]
    assert len(still_open) > 20
    assert still_open["resolved"].isna().all() and still_open["result"].isna().all()
    # Open complaints are recent, except a few overdue 2025 cases stuck in handling.
    old = still_open[still_open["received_at"] < pd.Timestamp("2025-10-01")]
    assert (old["received_at"] >= pd.Timestamp("2025-07-01")).all() and old["kind"].isin(["投诉", "举报"]).all()
    assert 0 < len(old) < 0.005 * len(frame)
    due = [_due(r.date(), DEADLINES[k]) for r, k in zip(old["received_at"], old["kind"], strict=True)]
    assert max(due) < date(2025, 12, 31)
    last_week = frame[frame["received_at"] >= pd.Timestamp("2025-12-25")]
    assert last_week["closed_at"].isna().mean() > 0.3


@cache
def _due(day: date, workdays: int) -> date:
    """The Nth working day after ``day`` (the day of receipt does not count)."""
    d, left = day, workdays
    while left:
        d += timedelta(days=1)
        left -= chinese_calendar.is_workday(d)
    return d


def test_overdue_share_is_a_few_percent_and_worse_in_slow_places(frame: pd.DataFrame) -> None:
    closed = frame.dropna(subset=["closed_at"])
    due = [_due(r.date(), DEADLINES[k]) for r, k in zip(closed["received_at"], closed["kind"], strict=True)]
    late = pd.Series(closed["closed_at"].dt.date.to_numpy() > np.array(due), index=closed.index)
    overall = late.mean()
    assert 0.015 < overall < 0.08, overall
    slow_counties = closed["county"].isin(["连南瑶族自治县", "阳山县"])
    assert late[slow_counties].mean() > 2 * late[~slow_counties].mean()
    # One bureau outside those counties is clearly the slowest.
    elsewhere = ~slow_counties
    by_dept = late[elsewhere].groupby(closed.loc[elsewhere, "department"]).agg(["mean", "size"])
    big = by_dept[by_dept["size"] >= 300].sort_values("mean", ascending=False)
    assert big.index[0] == "清新区市场监督管理局"
    assert big["mean"].iloc[0] > 2 * overall


def test_seasonal_peaks(frame: pd.DataFrame, truth: pd.DataFrame) -> None:
    month = frame["received_at"].dt.month
    per_month = month.value_counts().sort_index()
    assert per_month[3] > per_month.drop(3).median()
    # Ordinary (not planted) complaints follow the retail and travel calendar.
    ordinary = ~frame["complaint_id"].isin(truth["complaint_id"])
    online = month[ordinary & (frame["sector"] == "网络购物/直播电商")].value_counts()
    others = online.drop([6, 11]).mean()
    assert online[11] > 1.5 * others and online[6] > 1.3 * others
    travel = month[ordinary & (frame["sector"] == "文化旅游")].value_counts()
    assert travel[10] > 1.3 * travel.drop([5, 7, 8, 10]).median()


@pytest.mark.parametrize("theme", ISSUES, ids=lambda t: t.theme)
def test_planted_issue_stands_out_in_its_year(theme, frame: pd.DataFrame, truth: pd.DataFrame) -> None:
    rows = truth[(truth["theme"] == theme.theme) & (truth["kind"] == "issue")]
    per_year = rows["year"].value_counts()
    assert per_year[theme.year] >= 120
    assert per_year[theme.year] > 3 * per_year.get(theme.year - 1, 0)
    planted = frame[frame["complaint_id"].isin(rows.loc[rows["year"] == theme.year, "complaint_id"])]
    assert len(planted) == per_year[theme.year]
    assert (planted["sector"] == theme.sector).all()
    assert planted["county"].nunique() >= 6
    assert planted["business"].nunique() >= 40
    assert planted["content"].nunique() / len(planted) > 0.95
    # Its vocabulary is distinctive: rows in that year using two of its keywords are mostly planted.
    words = "|".join(map(re.escape, theme.keywords))
    hits = frame["content"].str.count(words)
    in_year = frame["received_at"].dt.year == theme.year
    assert (hits[planted.index] >= 1).mean() > 0.95
    matched = frame[in_year & (hits >= 2)]
    assert matched.index.isin(planted.index).mean() >= 0.7
    # ... and the keyword-heavy complaints rise against the previous year.
    if theme.year > 2021:
        before = ((frame["received_at"].dt.year == theme.year - 1) & (hits >= 2)).sum()
        assert len(matched) > 2 * before
    # The same sector still has ordinary complaints in that year.
    ordinary = (frame["sector"] == theme.sector) & in_year & ~frame.index.isin(planted.index)
    assert ordinary.sum() > 0.25 * len(planted)


@pytest.mark.parametrize("theme", EVENTS, ids=lambda t: t.theme)
def test_planted_burst_is_dense_and_names_its_business(theme, frame: pd.DataFrame, truth: pd.DataFrame) -> None:
    ids = truth.loc[(truth["theme"] == theme.theme) & (truth["kind"] == "event"), "complaint_id"]
    rows = frame[frame["complaint_id"].isin(ids)]
    days = rows["received_at"].dt.date
    assert days.min() == theme.start and days.max() <= theme.end
    assert (theme.end - theme.start).days < 21
    assert len(rows) >= (100 if theme is EVENTS[0] else 70)
    assert set(rows["county"]) == set(theme.counties)
    assert rows["county"].value_counts().min() >= 0.3 * len(rows)
    assert rows["content"].str.contains(theme.business, regex=False).all()
    assert rows["business"].str.startswith(theme.business).all()
    # Before the start the business is unknown to the hotline.
    before = frame[(frame["received_at"] < pd.Timestamp(theme.start)) & frame["content"].str.contains(theme.business)]
    assert before.empty
    # Half the burst arrives in its first week: an alert has something to fire on.
    first_week = (days < theme.start + timedelta(days=7)).mean()
    assert first_week > 0.5


def test_planted_descriptions_are_consistent() -> None:
    assert len({p.theme for p in PLANTED}) == len(PLANTED)
    years = pd.Series([p.year for p in ISSUES]).value_counts()
    assert all(years.get(y, 0) >= 2 for y in range(2021, 2026))
    sectors = set(load_profile().sector_names)
    for p in PLANTED:
        assert p.sector in sectors and p.kind in ("issue", "event")
        assert p.start <= p.end and p.keywords and set(p.counties) <= set(load_profile().county_names)


def test_truth_rows_exist_in_complaints(frame: pd.DataFrame, truth: pd.DataFrame) -> None:
    assert truth["complaint_id"].isin(frame["complaint_id"]).all()
    assert truth["complaint_id"].is_unique
    assert set(truth.loc[truth["kind"].isin(["issue", "event"]), "theme"]) == {p.theme for p in PLANTED}
    years = frame.set_index("complaint_id").loc[truth["complaint_id"], "received_at"].dt.year.to_numpy()
    assert (truth["year"].to_numpy() == years).all()


def test_cli_builds_and_info_reflects_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.duckdb"
    assert cli.main(["demo", "--db", str(db), "--rows", "3000", "--seed", "5"]) == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1 and "3,000" in out
    assert cli.main(["info", "--db", str(db), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["complaints"] == 3000 and info["is_demo"] is True
    assert info["tables"]["demo_truth"] > 0
    assert datetime.fromisoformat(info["date_range"]["from"]) >= datetime(2021, 1, 1)
    assert set(info["per_source"]) == {"12345", "12315", "消委会"}


def test_cli_rejects_too_few_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--db", str(tmp_path / "x.duckdb"), "--rows", "10"]) == 2
    assert "rows" in capsys.readouterr().err


def test_demo_uses_qingyuan_even_when_another_profile_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        'name = "某市"\n[[counties]]\nname = "甲区"\npopulation = 100\ntowns = ["一镇"]\n'
        '[[sectors]]\nname = "其他"\nregulator = "市场监督管理局"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HOTSPOT_PROFILE", str(other))
    build_demo(tmp_path / "q.duckdb", rows=3_000, seed=1)
    with connect(tmp_path / "q.duckdb", read_only=True) as con:
        counties = {r[0] for r in con.execute("SELECT DISTINCT county FROM complaints").fetchall()}
    assert counties == set(load_profile(ROOT / "data" / "region" / "qingyuan.toml").county_names)
