"""One topic run shared by every period: a topic's count for a year does not depend on the view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.events import EVENT_BASE
from analytics.filters import Filters
from analytics.hotspots.ranking import rank_issues
from analytics.store import connect
from analytics.topics import curated_topics, resolve_run, run_info, topic_counts
from analytics.topics.matching import EVENT_HIGH, next_event_id
from analytics.topics.report import topics_payload
from analytics.topics.store import KEEP_RUNS, prune_runs


def _years(con) -> list[int]:
    first, last = con.execute("SELECT min(received_at), max(received_at) FROM complaints").fetchall()[0]
    return list(range(first.year, last.year + 1))


def test_a_topics_year_count_is_the_same_in_the_next_years_view(demo_db: Path) -> None:
    with connect(demo_db, read_only=True) as con:
        run_id = resolve_run(con)
        assert run_id is not None  # the demo build computes the run the pages read
        years = _years(con)
        assert len(years) >= 3
        compared = 0
        for year in years[1:-1]:
            this = rank_issues(con, year=year, run_id=run_id).ranking.set_index("topic_id")
            after = rank_issues(con, year=year + 1, run_id=run_id).ranking.set_index("topic_id")
            assert (after["baseline"] == "previous").all()
            common = this.index.intersection(after.index)
            assert len(common) >= 0.8 * len(this)
            pd.testing.assert_series_equal(
                this.loc[common, "size"].astype("int64"),
                after.loc[common, "n_prev"].astype("int64"),
                check_names=False,
            )
            compared += len(common)
        assert compared > 50


def test_the_hotspot_tables_last_year_column_is_last_years_count(demo_db: Path) -> None:
    """The exported 热点问题表 (件次 / 去年同期) of year Y + 1 repeats year Y's table's counts."""
    from analytics.exporting.hotspot_tables import shortlist_frames
    from analytics.periods import year_period

    with connect(demo_db, read_only=True) as con:
        year = _years(con)[-2]
        this, _ = shortlist_frames(con, year_period(year), top=500)
        after, _ = shortlist_frames(con, year_period(year + 1), top=500)
    this, after = this.set_index("topic_id"), after.set_index("topic_id")
    common = this.index.intersection(after.index)
    assert len(common) >= 0.8 * len(this)
    assert (this.loc[common, "count"].astype("int64") == after.loc[common, "last_year"].astype("int64")).all()


def test_topics_hotspots_and_exports_count_alike(demo_db: Path) -> None:
    """For topics the hotspot ranking does not fold together, 话题 (topic_counts over the year),
    热点 (ranking size) and the topics payload of the export count the same complaints."""
    with connect(demo_db, read_only=True) as con:
        run_id = resolve_run(con)
        year = _years(con)[-2]
        ranking = rank_issues(con, year=year).ranking
        assert ranking["size"].sum() > 0
        folded = set(ranking["merged_topics"].explode().dropna().astype(int))
        alone = ranking[(ranking["merged_topics"].map(len) == 0) & ~ranking["topic_id"].isin(folded)]
        counts = topic_counts(con, run_id, "year", Filters(date_from=date(year, 1, 1), date_to=date(year, 12, 31)))
        by_topic = counts.groupby("topic_id")["n"].sum()
        for row in alone.itertuples():
            assert by_topic[row.topic_id] == row.size, row.label
        # Whole-data sizes: the payload (exports, `topics --json`) equals the curated list.
        payload = topics_payload(con, run_id)
        sizes = {t["topic_id"]: t["size"] for t in payload["topics"]}
        curated = curated_topics(con, run_id)
        assert sizes == dict(zip(curated["topic_id"], curated["size"], strict=True))
        all_counts = topic_counts(con, run_id, "year").groupby("topic_id")["n"].sum()
        assert all_counts.to_dict() == sizes


def test_curated_assignments_fold_merges_once(demo_db_copy: Path) -> None:
    from analytics.topics import merge_topics

    with connect(demo_db_copy) as con:
        run_id = resolve_run(con)
        topics = curated_topics(con, run_id)
        source, target = int(topics["topic_id"].iloc[-1]), int(topics["topic_id"].iloc[0])
        merge_topics(con, source, target)
        shown = dict(
            con.execute(
                "SELECT topic_id, count(*) FROM curated_assignments WHERE run_id = ? GROUP BY ALL", [run_id]
            ).fetchall()
        )
        assert source not in shown
        assert shown[target] == int(topics["size"].iloc[0]) + int(topics["size"].iloc[-1])
        label = con.execute(
            "SELECT shown_as FROM curated_labels WHERE run_id = ? AND topic_id = ?", [run_id, source]
        ).fetchall()[0][0]
        assert label == target


def test_run_info_says_which_version(demo_db: Path) -> None:
    with connect(demo_db, read_only=True) as con:
        info = run_info(con, resolve_run(con))
    assert info.version >= 1
    assert f"第 {info.version} 版" in info.describe()


def test_no_run_is_none_and_a_clear_message(empty_db: Path) -> None:
    from analytics.errors import UserError
    from analytics.topics import require_run

    with connect(empty_db) as con:
        assert resolve_run(con) is None
        with pytest.raises(UserError, match="topics"):
            require_run(con)


def test_a_fresh_event_id_stays_above_the_ids_of_pruned_runs(tmp_path: Path) -> None:
    """Old runs are pruned (KEEP_RUNS), but the id of an incident of a pruned run is never given to
    another: the highest one stays in the latest run's params, outside what the incremental rule
    compares."""
    con = connect(tmp_path / "runs.duckdb")
    for i in range(KEEP_RUNS + 2):
        con.execute(
            """INSERT INTO topic_runs VALUES ($run, TIMESTAMP '2025-01-01' + to_days($i), NULL, NULL, 1, 1, 'v', 'f',
                                             '{"n_topics": null}')""",
            {"run": f"r{i}", "i": i},
        )
    # Only the oldest run found the incident with the highest id.
    con.execute(
        "INSERT INTO topics VALUES ('r0', $id, 'event', 1, '某小区搅拌站扰民', [], 20, [])", {"id": EVENT_BASE + 41}
    )
    assert next_event_id(con) == EVENT_BASE + 42
    prune_runs(con)
    assert con.execute("SELECT count(*) FROM topic_runs").fetchone()[0] == KEEP_RUNS
    assert next_event_id(con) == EVENT_BASE + 42
    params = con.execute(f"SELECT params->>'{EVENT_HIGH}' FROM topic_runs WHERE run_id = 'r{KEEP_RUNS + 1}'")
    assert params.fetchone()[0] == str(EVENT_BASE + 41)
    con.close()
