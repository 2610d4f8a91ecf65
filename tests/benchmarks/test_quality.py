"""Real-data quality (issue 10): on every real export the project ships, the engine is measured
beside naive baselines run in the same process on the same tokens (benchmarks/quality), and must
not lose to them. Numbers are recorded in docs/quality.md (``make quality``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.quality.labels import REJECTED, label_problems
from benchmarks.quality.scorecard import Scorecard, measure

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["messages_labelled_sample.xlsx", "messages_with_replies.xlsx"])
def card(request: pytest.FixtureRequest, fixtures_dir: Path) -> Scorecard:
    return measure(fixtures_dir / "real" / request.param)


def test_topics_beat_both_baselines(card: Scorecard) -> None:
    if not card.nmi:
        pytest.skip("no categories in this export")
    # Measured: engine 0.548 (lowest seed 0.529), LSA + k-means 0.319, TF-IDF + k-means 0.147;
    # the stored `topics --topics 7` run 0.570.
    margin = 0.05
    assert card.nmi["engine"] >= card.nmi["lsa_kmeans"] + margin, card.nmi
    assert card.nmi["engine"] >= card.nmi["tfidf_kmeans"] + margin, card.nmi
    assert card.nmi_min["engine"] >= max(card.nmi["lsa_kmeans"], card.nmi["tfidf_kmeans"]), card.nmi_min
    assert card.nmi["engine_cli"] >= card.nmi["lsa_kmeans"] + margin, card.nmi


def test_events_are_incidents_not_themes(card: Scorecard) -> None:
    events, base = card.events, card.baseline_events
    assert events is not None and base is not None and len(events)
    # An event is bounded in time: the engine's top events last no longer than the baseline's
    # (whose top groups on these exports are year-long themes: 延期/医保/户口 over 500-2,000 days).
    assert events["span_days"].median() <= base["span_days"].median()
    assert (events["span_days"] <= 366).all(), events
    # Events of 3+ complaints are about one named thing at least as often as the baseline's
    # (replies export: 0.8 against 0.05; the labelled sample's events are pairs of near-duplicates).
    larger = events[events["size"] >= 3]
    if len(larger):
        assert larger["entity_share"].mean() >= base.loc[base["size"] >= 3, "entity_share"].mean()


def test_labels_read_as_phrases(card: Scorecard) -> None:
    assert not card.bad_labels, card.bad_labels
    assert not set(card.topic_labels) & set(REJECTED)


@pytest.mark.parametrize("label", REJECTED)
def test_labels_rejected_before_are_caught(label: str) -> None:
    assert label_problems(label)


def test_demo_topic_labels_read_as_phrases(demo_db_copy: Path) -> None:
    from analytics.store import connect
    from analytics.topics import ensure_topics

    with connect(demo_db_copy) as con:
        run = ensure_topics(con)
        labels = [r[0] for r in con.execute("SELECT label FROM topics WHERE run_id = ?", [run]).fetchall()]
    bad = {label: label_problems(label) for label in labels if label_problems(label)}
    assert not bad, bad
    assert np.mean([len(label) for label in labels]) >= 3
