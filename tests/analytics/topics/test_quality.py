"""Topic quality on real and demo data (numbers, not stubs).

Real: the 495 labelled public messages (7 categories in 一级分类), text = 留言主题 + 留言详情.
Demo: every planted issue theme is recovered by an issue topic whose members are ≥ 70% that theme,
and every planted burst by an event cluster (≥ 70% pure, ≥ 70% of the burst).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from analytics.store import connect
from analytics.text import Corpus, clean_text, segmenter
from analytics.topics import PhraseTfidf, TopicModel, ensure_topics


@pytest.fixture(scope="module")
def labelled(fixtures_dir: Path) -> tuple[Corpus, np.ndarray]:
    frame = pd.read_excel(fixtures_dir / "real" / "messages_labelled_sample.xlsx", engine="calamine")
    seg = segmenter()
    tokens = [seg.segment(clean_text(t, c)) for t, c in zip(frame["留言主题"], frame["留言详情"], strict=True)]
    return Corpus.from_lists(np.arange(len(frame)), tokens), frame["一级分类"].astype(str).to_numpy()


def test_nmi_on_the_labelled_real_sample(labelled: tuple[Corpus, np.ndarray]) -> None:
    corpus, y = labelled
    X = PhraseTfidf().fit_transform(corpus)
    scores = [normalized_mutual_info_score(y, TopicModel(7, random_state=s).fit(X).labels_) for s in range(5)]
    # Plain TF-IDF + k-means scores about 0.15 here, LSA + k-means about 0.40, best-of-10 LSA +
    # spectral 0.449 (0.432–0.464), the consensus of those runs 0.458 (0.447–0.469), with negators
    # joined to their word 0.467 (0.459–0.474; 10 seeds), with idf squared 0.503 (0.489–0.520),
    # with character pairs beside the words 0.543 (0.524–0.556; seeds 5–9 0.534).
    assert np.mean(scores) >= 0.52, scores
    assert min(scores) >= 0.51, scores


def test_automatic_k_is_reasonable_on_the_real_sample(labelled: tuple[Corpus, np.ndarray]) -> None:
    corpus, y = labelled
    model = TopicModel(random_state=0).fit(PhraseTfidf().fit_transform(corpus))
    assert 4 <= model.n_topics_ <= 12
    assert normalized_mutual_info_score(y, model.labels_) >= 0.3


def _purity(con, run_id: str, level_column: str, kind: str) -> pd.DataFrame:
    """Per planted theme of ``kind``: the best cluster's purity (share of its members that are the
    theme) and coverage (share of the theme's rows in that cluster)."""
    return con.execute(
        f"""WITH a AS (SELECT a.{level_column} AS cluster, c.complaint_id FROM topic_assignments a
                      JOIN complaints c ON c.id = a.id WHERE a.run_id = ? AND a.{level_column} >= 0),
                sizes AS (SELECT cluster, count(*) AS n FROM a GROUP BY 1),
                planted AS (SELECT theme, count(*) AS m FROM demo_truth WHERE kind = ? GROUP BY 1),
                hits AS (SELECT t.theme, a.cluster, count(*) AS k FROM a
                         JOIN demo_truth t USING (complaint_id) WHERE t.kind = ? GROUP BY ALL)
           SELECT theme, max(k / n) AS purity, arg_max(k / m, k / n) AS coverage
           FROM hits JOIN sizes USING (cluster) JOIN planted USING (theme) GROUP BY theme""",
        [run_id, kind, kind],
    ).df()


def test_planted_themes_are_recovered_at_both_levels(demo_db_copy: Path) -> None:
    with connect(demo_db_copy) as con:
        run_id = ensure_topics(con)
        issues = _purity(con, run_id, "topic_id", "issue")
        events = _purity(con, run_id, "event_id", "event")
    # Every planted yearly issue has an issue topic ≥ 70% that issue. The lowest purity is 0.85 on
    # this demo (seed 7), 0.73–0.76 on seeds 1–3, usually 旅游退团退费纠纷: its topic also holds the
    # planted burst 快乐行旅行社跑路, rightly — a travel agency vanishing with the fees is that
    # issue's worst case.
    assert len(issues) == 10, issues
    assert (issues["purity"] >= 0.70).all(), issues.sort_values("purity").to_string()
    # Every planted burst is one event-level cluster: ≥ 70% that burst and holding ≥ 70% of it,
    # across the chain's branches in different counties.
    assert len(events) == 3, events
    assert (events["purity"] >= 0.70).all(), events.to_string()
    assert (events["coverage"] >= 0.70).all(), events.to_string()
