"""Measure one real export: topic NMI against the baselines, events beside the baseline's, labels."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

from analytics.events import find_entities
from analytics.events.entities import HEAD_CHARS
from analytics.events.labels import clean_title
from analytics.hotspots.events import rank_events
from analytics.ingest import import_file
from analytics.store import connect
from analytics.text import ensure_tokens, load_corpus, segmenter
from analytics.text.segmenter import BREAK
from analytics.topics import PhraseTfidf, TopicModel, ensure_topics
from benchmarks.quality.baselines import linkage_events, lsa_kmeans, tfidf_kmeans
from benchmarks.quality.labels import label_problems

SEEDS = range(5)
LABEL_COLUMN = "一级分类"
ID_COLUMN = "留言编号"
TOP_EVENTS = 10


@dataclass
class Scorecard:
    name: str
    rows: int
    nmi: dict[str, float] = field(default_factory=dict)  # method -> mean over SEEDS
    nmi_min: dict[str, float] = field(default_factory=dict)
    events: pd.DataFrame | None = None  # engine's top events
    baseline_events: pd.DataFrame | None = None
    topic_labels: list[str] = field(default_factory=list)
    bad_labels: dict[str, list[str]] = field(default_factory=dict)


def _frame(con) -> pd.DataFrame:
    return con.execute(
        """SELECT id, complaint_id, title, content, received_at,
                  coalesce(support, 0) + coalesce(opposition, 0) AS support
           FROM complaints ORDER BY id"""
    ).df()


def _entity_share(rows: np.ndarray, entities: list[list[str]]) -> tuple[str | None, float]:
    named = Counter(n for r in rows for n in dict.fromkeys(entities[r]))  # a set's order would break ties by hashing
    if not named:
        return None, 0.0
    entity, count = named.most_common(1)[0]
    return entity, count / len(rows)


def _describe(groups: list[np.ndarray], frame: pd.DataFrame, entities, labels: list[str]) -> pd.DataFrame:
    out = []
    for rank, (rows, label) in enumerate(zip(groups, labels, strict=True), start=1):
        when = pd.to_datetime(frame["received_at"].iloc[rows])
        entity, share = _entity_share(rows, entities)
        out.append(
            {
                "rank": rank,
                "size": len(rows),
                "span_days": int((when.max() - when.min()).days) + 1,
                "label": label,
                "entity": entity or "",
                "entity_share": round(share, 2),
            }
        )
    return pd.DataFrame(out)


def measure(path: Path) -> Scorecard:
    """Import ``path`` into a fresh database and measure everything on it."""
    with tempfile.TemporaryDirectory() as tmp, connect(Path(tmp) / "quality.duckdb") as con:
        import_file(con, path)
        ensure_tokens(con)
        corpus = load_corpus(con)
        frame = _frame(con).set_index("id").loc[corpus.ids].reset_index()
        card = Scorecard(name=path.name, rows=len(frame))
        docs = [[t for t in d if t != BREAK] for d in corpus.lists()]
        heads = (frame["title"].fillna("") + "。" + frame["content"].fillna("").str.slice(0, HEAD_CHARS)).tolist()
        entities = find_entities(heads).strong
        raw = pd.read_excel(path, engine="calamine")
        if LABEL_COLUMN in raw:
            _topic_quality(con, card, corpus, docs, frame, raw)
        run = ensure_topics(con)  # the run the app's views read: automatic K over all complaints
        ranked = rank_events(con, top=TOP_EVENTS, run_id=run)
        pos = {int(i): p for p, i in enumerate(frame["id"])}
        groups = [np.array([pos[int(i)] for i in ids]) for ids in ranked["member_ids"]]
        card.events = _describe(groups, frame, entities, ranked["label"].tolist())
        base = linkage_events(docs, frame["support"].to_numpy(dtype=float), TOP_EVENTS)
        cut = segmenter().cut
        base_labels = [clean_title(str(frame["title"].iloc[g[0]]), cut) for g in base]
        card.baseline_events = _describe(base, frame, entities, base_labels)
        card.topic_labels += [
            r[0] for r in con.execute("SELECT label FROM topics WHERE run_id = ? AND level = 'issue'", [run]).fetchall()
        ]
        for label in [*card.topic_labels, *card.events["label"]]:
            if problems := label_problems(label):
                card.bad_labels[label] = problems
    return card


def _topic_quality(con, card: Scorecard, corpus, docs, frame: pd.DataFrame, raw: pd.DataFrame) -> None:
    truth = dict(zip(raw[ID_COLUMN].astype(str), raw[LABEL_COLUMN].astype(str), strict=True))
    y = frame["complaint_id"].astype(str).map(truth).to_numpy()
    k = len(set(y))
    X = PhraseTfidf().fit_transform(corpus)
    scores = {
        "engine": [normalized_mutual_info_score(y, TopicModel(k, random_state=s).fit(X).labels_) for s in SEEDS],
        "tfidf_kmeans": [normalized_mutual_info_score(y, tfidf_kmeans(docs, k, s)) for s in SEEDS],
        "lsa_kmeans": [normalized_mutual_info_score(y, lsa_kmeans(docs, k, s)) for s in SEEDS],
    }
    card.nmi = {m: round(float(np.mean(v)), 3) for m, v in scores.items()}
    card.nmi_min = {m: round(float(np.min(v)), 3) for m, v in scores.items()}
    run = ensure_topics(con, n_topics=k)  # what `topics --topics 7` stores
    stored = con.execute(
        "SELECT c.complaint_id, a.topic_id FROM topic_assignments a JOIN complaints c USING (id) WHERE a.run_id = ?",
        [run],
    ).df()
    card.nmi["engine_cli"] = round(
        float(normalized_mutual_info_score(stored["complaint_id"].astype(str).map(truth), stored["topic_id"])), 3
    )
    card.topic_labels += [
        r[0] for r in con.execute("SELECT label FROM topics WHERE run_id = ? AND level = 'issue'", [run]).fetchall()
    ]
