"""End to end on the seeded demo: topics computed by ``ensure_topics``, then each year's shortlist.

Quality bar (issue 5): every issue planted for a year (``analytics.demo.PLANTED``, kind 'issue') is in
that year's shortlist of 2–4 hotspots (see ``test_every_planted_issue_is_shortlisted`` for the exact
criterion).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.demo import PLANTED
from analytics.hotspots import rank_issues
from analytics.hotspots.events import rank_events
from analytics.store import connect

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
YEARS = sorted({p.year for p in PLANTED if p.kind == "issue"})


@pytest.fixture(scope="module")
def topics_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("hot_demo") / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.mark.parametrize("year", YEARS)
def test_every_planted_issue_is_shortlisted(topics_db: Path, year: int) -> None:
    """Issue 5, strict: the shortlist of year Y has 2–4 hotspots, and every issue planted for Y is
    shortlisted twice over:

    - it is the majority theme (the largest planted theme among the hotspot's members of Y) of some
      shortlisted hotspot of Y, and
    - the shortlisted hotspots of Y together hold at least half of that theme's complaints of Y.

    Measured on seeds 1–10 (20,000 rows, with the planted incidents of issue 10): 97 of 100 year ×
    issue checks hold 70% or more; the three others are 2022's 旅游退团退费纠纷 (0.57–0.61, seeds 4, 7,
    10), which the topic model splits into 旅行社团费, 酒店预订 and 前三天通知 topics: it is still
    the majority theme of a shortlisted hotspot, but its hotel-booking and short-notice fragments are
    ranked on their own (an open defect of the near-duplicate merge, noted on issue 10).

    A hotspot's members are its topic's plus those of the near-duplicate topics merged into it
    (``merged_topics``, analytics/hotspots/merging.py).
    """
    with connect(topics_db) as con:
        result = rank_issues(con, year=year)
        members = con.execute(
            """SELECT a.topic_id, d.theme
               FROM topic_assignments a JOIN complaints c ON c.id = a.id
               LEFT JOIN demo_truth d ON d.complaint_id = c.complaint_id AND d.year = ? AND d.kind = 'issue'
               WHERE a.run_id = ? AND year(c.received_at) = ?""",
            [year, result.run_id, year],
        ).df()
    shortlist = result.shortlist
    assert 2 <= len(shortlist) <= 4
    shown = result.ranking[["rank", "label", "score", "shortlisted", "merged_topics"]].head(6).to_dict("records")
    majority_themes, shortlisted_topics = set(), set()
    for row in shortlist.itertuples():
        topics = {int(row.topic_id), *(int(t) for t in row.merged_topics)}
        shortlisted_topics |= topics
        themes = members.loc[members["topic_id"].isin(topics), "theme"].dropna()
        if len(themes):
            majority_themes.add(themes.value_counts().index[0])
    for theme in [p.theme for p in PLANTED if p.kind == "issue" and p.year == year]:
        assert theme in majority_themes, (theme, shown)
        of_theme = members[members["theme"] == theme]
        covered = of_theme["topic_id"].isin(shortlisted_topics).mean()
        assert covered >= 0.5, (theme, round(float(covered), 2), shown)


def test_event_hotspots_find_the_planted_burst(topics_db: Path) -> None:
    burst = next(p for p in PLANTED if p.kind == "event" and p.year in YEARS)
    with connect(topics_db) as con:
        events = rank_events(con, year=burst.year, top=5)
    assert any(burst.business in str(label) for label in events["label"]), events["label"].tolist()
    assert events["coherence"].notna().all()


@pytest.mark.parametrize("burst", [p for p in PLANTED if p.kind == "event"], ids=lambda p: p.theme)
def test_each_planted_burst_is_one_event_hotspot_of_its_year(topics_db: Path, burst) -> None:
    """A chain's collapse across its branches in two counties is one event, not one per wording or
    county: the year's top event hotspot holds ≥ 90% of the burst and is ≥ 90% the burst."""
    with connect(topics_db) as con:
        events = rank_events(con, year=burst.year, top=3)
        planted = {
            int(i)
            for (i,) in con.execute(
                "SELECT c.id FROM demo_truth t JOIN complaints c USING (complaint_id) WHERE t.theme = ?", [burst.theme]
            ).fetchall()
        }
    top = {int(i) for i in events.iloc[0]["member_ids"]}
    assert len(top & planted) >= 0.9 * len(planted), (burst.theme, len(top & planted), len(planted))
    assert len(top & planted) >= 0.9 * len(top), (burst.theme, events["label"].tolist())
    others = [len({int(i) for i in ids} & planted) for ids in events["member_ids"].iloc[1:]]
    assert max(others, default=0) <= 0.1 * len(planted)  # not repeated further down the list


def test_cli_json_and_export(topics_db: Path, tmp_path: Path) -> None:
    year = YEARS[-1]
    out = tmp_path / "hot.xlsx"
    cmd = [sys.executable, "-m", "analytics", "hotspots", "--db", str(topics_db), "--year", str(year), "--json",
           "--top", "5", "--export", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert len(payload["hotspots"]) == 5 and payload["data_mark"] == "演示数据"  # demo rows say so
    first = payload["hotspots"][0]
    assert first["rank"] == 1 and first["size"] == len(first["complaint_ids"]) > 0
    assert first["regulator"] and first["counties"] and first["keywords"]
    assert all(isinstance(h["merged_topic_ids"], list) for h in payload["hotspots"])
    assert out.exists()


def test_cli_rejects_bad_arguments(topics_db: Path) -> None:
    cmd = [sys.executable, "-m", "analytics", "hotspots", "--db", str(topics_db), "--year", "2024", "--from",
           "2024-01-01"]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--year" in proc.stderr
