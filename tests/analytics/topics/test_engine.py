"""ensure_topics end to end on the demo database: store, reuse, incremental, stable ids, curation, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analytics.events import EVENT_BASE
from analytics.filters import Filters
from analytics.store import connect
from analytics.topics import (
    curated_topics,
    ensure_topics,
    merge_topics,
    pin_topic,
    rename_topic,
    topic_counts,
    topic_events,
    topic_members,
)
from analytics.topics.report import topics_payload

ROOT = Path(__file__).resolve().parents[3]


def _add_copies(con, n: int) -> None:
    """Append ``n`` new complaints (copies of existing ones with new ids) as an import would."""
    con.execute(
        """INSERT INTO complaints SELECT * REPLACE (id + (SELECT max(id) FROM complaints) AS id,
                  complaint_id || '-new' AS complaint_id, dedupe_key || '-new' AS dedupe_key)
           FROM complaints ORDER BY id LIMIT ?""",
        [n],
    )


def test_run_is_stored_reused_and_extended(demo_db_copy: Path) -> None:
    with connect(demo_db_copy) as con:
        n = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
        run_id = ensure_topics(con)
        assert ensure_topics(con) == run_id  # fingerprint unchanged: reused
        runs = con.execute("SELECT n_topics, n_complaints FROM topic_runs WHERE run_id = ?", [run_id]).fetchall()
        k, stored_n = runs[0]
        assert stored_n == n and k >= 5
        assigned = con.execute(
            "SELECT count(*), count(DISTINCT id) FROM topic_assignments WHERE run_id = ?", [run_id]
        ).fetchall()[0]
        assert assigned == (n, n)
        issues = con.execute(
            "SELECT count(*), sum(size) FROM topics WHERE run_id = ? AND level = 'issue'", [run_id]
        ).fetchall()[0]
        assert issues == (k, n)
        # Events come from the event stage: an incident's complaints may fall in several issue topics;
        # its stored size is its member count and its parent is one of its members' topics.
        bad = con.execute(
            """SELECT count(*) FROM topics e JOIN (
                   SELECT event_id, count(*) AS n, list(DISTINCT topic_id) AS topic_ids FROM topic_assignments
                   WHERE run_id = ? AND event_id IS NOT NULL GROUP BY event_id
               ) s ON s.event_id = e.topic_id
               WHERE e.run_id = ? AND e.level = 'event'
                 AND (s.n <> e.size OR NOT list_contains(s.topic_ids, e.parent_topic_id))""",
            [run_id, run_id],
        ).fetchall()[0][0]
        events = con.execute("SELECT count(*) FROM topics WHERE run_id = ? AND level = 'event'", [run_id]).fetchall()
        assert bad == 0 and events[0][0] > 0

        old_topics = {
            r[0]: r[1]
            for r in con.execute(
                "SELECT topic_id, label FROM topics WHERE run_id = ? AND level = 'issue'", [run_id]
            ).fetchall()
        }
        _add_copies(con, 200)  # 1% new: the incremental path
        newer = ensure_topics(con)
        assert newer != run_id
        params = json.loads(con.execute("SELECT params FROM topic_runs WHERE run_id = ?", [newer]).fetchall()[0][0])
        assert params["model_run"] == run_id
        new_topics = {
            r[0]: r[1]
            for r in con.execute(
                "SELECT topic_id, label FROM topics WHERE run_id = ? AND level = 'issue'", [newer]
            ).fetchall()
        }
        assert new_topics == old_topics
        # Each copy lands in the topic of its original (same text, same model).
        moved = con.execute(
            """SELECT count(*) FILTER (WHERE a.topic_id = b.topic_id), count(*)
               FROM complaints c JOIN complaints o ON c.complaint_id = o.complaint_id || '-new'
               JOIN topic_assignments a ON a.id = c.id AND a.run_id = ?
               JOIN topic_assignments b ON b.id = o.id AND b.run_id = ?""",
            [newer, run_id],
        ).fetchall()[0]
        assert moved[1] == 200 and moved[0] == 200


def test_ids_stay_stable_and_curation_survives_a_full_rerun(demo_db_copy: Path) -> None:
    with connect(demo_db_copy) as con:
        first = ensure_topics(con)
        topics = curated_topics(con, first)
        a, b, c = (int(t) for t in topics["topic_id"].head(3))
        rename_topic(con, a, "预付卡纠纷（分析员命名）")
        pin_topic(con, c)
        merge_topics(con, b, a)
        shown = curated_topics(con, first)
        row = shown[shown["topic_id"] == a].iloc[0]
        assert row["label"] == "预付卡纠纷（分析员命名）" and b in row["merged_from"]
        assert b not in set(shown["topic_id"])
        assert int(shown.iloc[0]["topic_id"]) == c and bool(shown.iloc[0]["pinned"])
        assert int(row["size"]) == int(topics.set_index("topic_id").loc[[a, b], "size"].sum())

        _add_copies(con, 5000)  # 25% new: too much for the incremental rule, so a full re-cluster
        second = ensure_topics(con)
        params = json.loads(con.execute("SELECT params FROM topic_runs WHERE run_id = ?", [second]).fetchall()[0][0])
        assert "model_run" not in params
        old = set(topics["topic_id"])
        new = set(
            con.execute("SELECT topic_id FROM topics WHERE run_id = ? AND level = 'issue'", [second]).df()["topic_id"]
        )
        assert len(old & new) >= 0.6 * len(old)  # most topics keep their id
        again = curated_topics(con, second)
        if a in set(again["topic_id"]):
            assert again.set_index("topic_id").loc[a, "label"] == "预付卡纠纷（分析员命名）"


def test_breakdowns_members_and_payload(demo_db_copy: Path) -> None:
    with connect(demo_db_copy) as con:
        run_id = ensure_topics(con, n_topics=8)  # one run over all complaints; a year filters it
        assert con.execute("SELECT n_topics FROM topic_runs WHERE run_id = ?", [run_id]).fetchall()[0][0] == 8
        n_2023 = con.execute("SELECT count(*) FROM complaints WHERE year(received_at) = 2023").fetchall()[0][0]
        year = Filters(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
        months = topic_counts(con, run_id, "month", year)
        assert months["n"].sum() == n_2023 and set(months["month"].str[:4]) == {"2023"}
        cells = topic_counts(con, run_id, ("county", "sector"), year)
        assert cells["n"].sum() == n_2023 and {"county", "sector", "label"} <= set(cells.columns)
        in_year = topics_payload(con, run_id, members=True, filters=year)
        assert sum(t["size"] for t in in_year["topics"]) == n_2023
        assert all(len(t["complaint_ids"]) == t["size"] for t in in_year["topics"])
        payload = topics_payload(con, run_id, members=True)  # all periods
        first = payload["topics"][0]
        assert len(first["complaint_ids"]) == first["size"] and first["representatives"]
        assert set(first["representatives"]) <= set(first["complaint_ids"])
        members = topic_members(con, run_id, first["topic_id"], limit=10)
        assert len(members) == 10 and set(members["complaint_id"]) <= set(first["complaint_ids"])
        # Events: the payload's and the drill-down's agree; an event is listed under the topic most of
        # its members are in, and the drill-down shows all of its members.
        with_events = next(t for t in payload["topics"] if t["events"])
        event = with_events["events"][0]
        assert {"event_id", "label", "keywords", "size"} <= set(event) and event["event_id"] >= EVENT_BASE
        table = topic_events(con, run_id, with_events["topic_id"])
        assert table.iloc[0]["event_id"] == event["event_id"] and table.iloc[0]["n"] == event["size"]
        assert sum(e["size"] for e in with_events["events"]) == table["n"].sum()
        # 事项 beside 件次, in the payload and the drill-down alike (all periods here).
        assert [e["matters"] for e in with_events["events"]] == table["matters"].tolist()
        assert (table["matters"] <= table["n"]).all() and (table["matters"] >= 1).all()
        inside = topic_members(con, run_id, with_events["topic_id"], limit=1000, event_id=event["event_id"])
        assert len(inside) == event["size"]
        assert set(inside["complaint_id"]) & set(with_events["complaint_ids"])
        with pytest.raises(Exception, match="Unknown breakdown"):
            topic_counts(con, run_id, "planet")


def test_cli_prints_the_contract(demo_db_copy: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "analytics", "topics", "--db", str(demo_db_copy), "--year", "2024", "--topics", "6",
         "--members", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=True,
    )  # fmt: skip
    payload = json.loads(out.stdout)
    assert payload["run_id"] and 1 <= len(payload["topics"]) <= 6
    for topic in payload["topics"]:
        assert {"topic_id", "label", "keywords", "size", "representatives", "complaint_ids"} <= set(topic)
        assert len(topic["complaint_ids"]) == topic["size"]
    with connect(demo_db_copy, read_only=True) as con:  # the year's topics count the year's complaints
        n_2024 = con.execute("SELECT count(*) FROM complaints WHERE year(received_at) = 2024").fetchall()[0][0]
        assert con.execute("SELECT n_topics FROM topic_runs WHERE run_id = ?", [payload["run_id"]]).fetchall() == [(6,)]
    assert sum(t["size"] for t in payload["topics"]) == n_2024
    bad = subprocess.run(
        [sys.executable, "-m", "analytics", "topics", "--db", str(demo_db_copy), "--year", "2024", "--from",
         "2024-01-01"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_an_empty_database_gives_an_empty_run(empty_db: Path) -> None:
    with connect(empty_db) as con:
        run_id = ensure_topics(con)
        assert curated_topics(con, run_id).empty


def test_concurrent_requests_compute_one_run(demo_db_copy: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with connect(demo_db_copy) as con:

        def request(_: int) -> str:
            cur = con.cursor()  # one cursor per thread, as the app does
            try:
                return ensure_topics(cur, n_topics=5)
            finally:
                cur.close()

        with ThreadPoolExecutor(3) as pool:
            run_ids = set(pool.map(request, range(3)))
        assert len(run_ids) == 1
        assert con.execute("SELECT count(*) FROM topic_runs WHERE n_topics = 5").fetchall()[0][0] == 1


def test_a_new_branch_joins_its_chains_event_on_the_incremental_path(demo_db_copy: Path) -> None:
    with connect(demo_db_copy) as con:
        first = ensure_topics(con)
        chain = con.execute(
            """SELECT a.event_id, min(c.id) FROM topic_assignments a JOIN complaints c ON c.id = a.id
               WHERE a.run_id = ? AND c.business LIKE '启航教育（%'
               GROUP BY a.event_id ORDER BY count(*) DESC LIMIT 1""",
            [first],
        ).fetchall()
        event_id, source_id = chain[0]
        con.execute(  # the same complaint from a branch no complaint named before
            """INSERT INTO complaints SELECT * REPLACE ((SELECT max(id) + 1 FROM complaints) AS id,
                      complaint_id || '-fg' AS complaint_id, dedupe_key || '-fg' AS dedupe_key,
                      '启航教育（佛冈店）' AS business, '佛冈县' AS county)
               FROM complaints WHERE id = ?""",
            [source_id],
        )
        newer = ensure_topics(con)
        assert "model_run" in con.execute("SELECT params FROM topic_runs WHERE run_id = ?", [newer]).fetchall()[0][0]
        got = con.execute(
            """SELECT a.event_id FROM topic_assignments a JOIN complaints c ON c.id = a.id
               WHERE a.run_id = ? AND c.business = '启航教育（佛冈店）'""",
            [newer],
        ).fetchall()
        assert got == [(event_id,)]


def test_topic_events_of_members_without_a_county(demo_db_copy: Path) -> None:
    with connect(demo_db_copy) as con:
        run_id = ensure_topics(con)
        event_id, topic_id = con.execute(
            "SELECT topic_id, parent_topic_id FROM topics WHERE run_id = ? AND level = 'event' LIMIT 1", [run_id]
        ).fetchall()[0]
        con.execute(
            "UPDATE complaints SET county = NULL WHERE id IN "
            "(SELECT id FROM topic_assignments WHERE run_id = ? AND event_id = ?)",
            [run_id, event_id],
        )
        events = topic_events(con, run_id, topic_id)
        row = events[events["event_id"] == event_id].iloc[0]
        assert list(row["counties"]) == [] and "、".join(row["counties"]) == ""  # as the 话题 page joins them
