"""Planted incidents (issue 10): as real exports carry them, among look-alikes, for any seed.

The structural checks run on small demos of several seeds. The end-to-end check (slow) runs the
event engine on the session-sized demo of three seeds and asks, for every planted incident, for an
event of its year that is ≥ 60% the incident, holds ≥ 50% of it and is ranked in the year's top 10.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analytics.demo import build_demo
from analytics.demo.incident_texts import DEVELOPERS, KINDS
from analytics.demo.incidents import GENERIC, INCIDENTS, SIZE, SPAN_DAYS
from analytics.store import connect

SEEDS = tuple(range(1, 11))
ROWS = 8_000
E2E_SEEDS = (1, 2, 3)
E2E_ROWS = 20_000  # the session demo's size (tests/conftest.py)
PURITY, COVERAGE, TOP = 0.6, 0.5, 10
KIND = {k.key: k for k in KINDS}


def _build(path: Path, rows: int, seed: int) -> tuple[list[dict], pd.DataFrame]:
    summary = build_demo(path, rows=rows, seed=seed)
    with connect(path, read_only=True) as con:
        frame = con.execute(
            """SELECT c.id, c.complaint_id, c.received_at, c.county, c.sector, c.business, c.title, c.content,
                      t.theme, t.kind AS truth_kind, t.year
               FROM complaints c LEFT JOIN demo_truth t USING (complaint_id) ORDER BY c.id"""
        ).df()
    frame["text"] = frame["title"] + "。" + frame["content"]
    return summary["incidents"], frame


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[list[dict], pd.DataFrame]]:
    root = tmp_path_factory.mktemp("incidents")
    return {seed: _build(root / f"{seed}.duckdb", ROWS, seed) for seed in SEEDS}


def _rows(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return frame[frame["theme"] == label]


@pytest.mark.parametrize("seed", SEEDS)
def test_incidents_are_named_in_the_text_with_no_business_column(demos, seed: int) -> None:
    planned, frame = demos[seed]
    incidents = [p for p in planned if p["role"] == "incident"]
    assert INCIDENTS[0] <= len(incidents) <= INCIDENTS[1]
    assert len({p["kind"] for p in incidents}) == len(incidents)  # one estate, one lender … per demo
    for p in incidents:
        rows = _rows(frame, p["label"])
        assert (rows["truth_kind"] == "incident").all() and len(rows) == p["size"]
        assert SIZE[0] <= len(rows) <= SIZE[1], p
        assert rows["business"].isna().all(), p["label"]
        days = rows["received_at"].dt.date
        assert days.min() == date.fromisoformat(p["start"]) and days.max() == date.fromisoformat(p["end"])
        span = (days.max() - days.min()).days + 1
        assert SPAN_DAYS[0] <= span <= SPAN_DAYS[1], p
        assert (rows["year"] == days.min().year).all() and days.max().year == days.min().year
        assert set(rows["county"]) == {p["county"]}
        # The thing is named in every message, written in several ways, in varied wording.
        assert rows["text"].str.contains(p["name"], regex=False).all(), p["label"]
        assert rows["content"].nunique() >= 0.9 * len(rows)  # a caller may repeat a message word for word
        assert rows["title"].nunique() >= min(5, len(rows) // 3), rows["title"].value_counts()
        assert rows["content"].str[:12].nunique() >= len(rows) // 2
        written = "\n".join(rows["text"])
        forms = {f.format(name=p["name"], dev=d) for f in KIND[p["kind"]].forms for d in DEVELOPERS} - {p["name"]}
        assert sum(form in written for form in forms) >= 3, p["label"]


@pytest.mark.parametrize("seed", SEEDS)
def test_each_incident_has_look_alikes_that_must_stay_apart(demos, seed: int) -> None:
    planned, frame = demos[seed]
    by_kind = {kind: [p for p in planned if p["kind"] == kind] for kind in {p["kind"] for p in planned}}
    for group in by_kind.values():
        (incident,) = [p for p in group if p["role"] == "incident"]
        (twin,) = [p for p in group if p["role"] == "twin"]
        (generic,) = [p for p in group if p["role"] == "generic"]
        mine, theirs, loose = (_rows(frame, p["label"]) for p in (incident, twin, generic))
        assert (theirs["truth_kind"] == "lookalike").all() and (loose["truth_kind"] == "lookalike").all()
        assert theirs["business"].isna().all() and loose["business"].isna().all()
        # The twin: another thing of the same kind, in another county, at about the same time.
        assert twin["name"] != incident["name"] and twin["county"] != incident["county"]
        assert twin["start"] <= incident["end"] and incident["start"] <= twin["end"]
        assert len(theirs) >= 0.4 * len(mine) and (theirs["sector"] == mine["sector"].iloc[0]).all()
        assert theirs["text"].str.contains(twin["name"], regex=False).all()
        # Generic look-alikes: the same year and words, naming neither.
        assert GENERIC[0] <= len(loose) <= GENERIC[1]
        assert (loose["received_at"].dt.year == mine["received_at"].dt.year.iloc[0]).all()
        # Each name is only in its own messages: what stays apart is known.
        outside = frame[frame["theme"] != incident["label"]]
        assert not outside["text"].str.contains(incident["name"], regex=False).any(), incident["label"]
        # Look-alikes read like the incident: far closer to it than the year's other complaints.
        in_year = frame["received_at"].dt.year == mine["received_at"].dt.year.iloc[0]
        year = frame[in_year & (frame["theme"].notna() | (frame["id"] % 4 == 0))]  # a quarter of the others
        names = f"{incident['name']}|{twin['name']}"
        texts = year["text"].str.replace(names, "", regex=True)
        matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True).fit_transform(texts)
        centroid = np.asarray(matrix[np.flatnonzero(year["theme"] == incident["label"])].mean(axis=0)).ravel()
        similarity = pd.Series(matrix @ (centroid / np.linalg.norm(centroid)), index=year.index)
        background = similarity[year["theme"].isna()].mean()
        assert similarity[theirs.index].mean() > 2 * background, incident["label"]
        assert similarity[loose.index].mean() > 2 * background, incident["label"]


def test_seeds_plant_different_incidents(demos) -> None:
    plans = {
        seed: {(p["label"], p["start"], p["size"], p["county"]) for p in planned if p["role"] != "generic"}
        for seed, (planned, _) in demos.items()
    }
    assert all(a.isdisjoint(b) for i, a in plans.items() for j, b in plans.items() if i < j)
    labels = {p["label"] for planned, _ in demos.values() for p in planned if p["role"] == "incident"}
    years = {p["start"][:4] for planned, _ in demos.values() for p in planned if p["role"] == "incident"}
    assert len(labels) >= 15 and len(years) == 5


def incident_events(con, planned: list[dict]) -> pd.DataFrame:
    """Per planted incident: its best event of the year (the one holding most of it), that event's purity
    (share of its members that are the incident), coverage (share of the incident in it) and rank."""
    from analytics.hotspots.events import rank_events

    ranked: dict[int, pd.DataFrame] = {}
    out = []
    for p in (p for p in planned if p["role"] == "incident"):
        year = int(p["start"][:4])
        if year not in ranked:
            ranked[year] = rank_events(con, year=year)
        mine = {
            int(i)
            for (i,) in con.execute(
                "SELECT c.id FROM demo_truth t JOIN complaints c USING (complaint_id) WHERE t.theme = ?", [p["label"]]
            ).fetchall()
        }
        best = (0, 1, None, None)
        for event in ranked[year].itertuples():
            members = {int(i) for i in event.member_ids}
            hits = len(members & mine)
            if hits > best[0]:
                best = (hits, len(members), int(event.rank), event.label)
        hits, size, rank, label = best
        out.append(
            {"incident": p["label"], "n": len(mine), "purity": round(hits / size, 2),
             "coverage": round(hits / len(mine), 2), "rank": rank, "event": label, "events": len(ranked[year])}
        )  # fmt: skip
    return pd.DataFrame(out)


@pytest.mark.slow
@pytest.mark.parametrize("seed", E2E_SEEDS)
def test_each_incident_is_a_pure_top_ten_event_of_its_year(tmp_path: Path, seed: int) -> None:
    """Issue 10: each planted incident has an event ≥ 60% pure holding ≥ 50% of it, in its year's top 10.

    Measured with the event stage of this commit on seeds 1–10 (20,000 rows, one topic run over all
    years): all 49 incidents meet it, every one of them in its year's top 5 at purity ≥ 0.80 (the
    lowest: seed 8's 16-complaint 童艺培训学校停课, whose twin, another school's refund dispute, runs
    beside it). Seeds 1–3 run here (about 160 s)."""
    path = tmp_path / "demo.duckdb"
    planned = build_demo(path, rows=E2E_ROWS, seed=seed, topics=True)["incidents"]
    with connect(path) as con:
        found = incident_events(con, planned)
    shown = found.to_string()
    assert len(found) == sum(p["role"] == "incident" for p in planned)
    assert (found["purity"] >= PURITY).all(), shown
    assert (found["coverage"] >= COVERAGE).all(), shown
    assert (found["rank"].notna() & (found["rank"] <= TOP)).all(), shown
