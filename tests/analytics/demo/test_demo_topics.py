"""Planted issues are recoverable by a plain topic model: TF-IDF over rjieba words, then NMF."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import rjieba
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from analytics.demo import ISSUES
from analytics.store import connect


def _words(text: str) -> list[str]:
    return [w for w in rjieba.cut(text) if len(w) > 1]


@pytest.mark.parametrize("year", [2022, 2025])
def test_issues_of_a_year_are_pure_topics(demo_db: Path, year: int) -> None:
    with connect(demo_db, read_only=True) as con:
        docs = con.execute(
            "SELECT c.title || '。' || c.content AS text, t.theme FROM complaints c "
            "LEFT JOIN demo_truth t ON t.complaint_id = c.complaint_id AND t.kind = 'issue' "
            "WHERE year(c.received_at) = ? ORDER BY c.id",
            [year],
        ).fetchdf()
    matrix = TfidfVectorizer(tokenizer=_words, token_pattern=None, min_df=3, max_df=0.3).fit_transform(docs["text"])
    topic = NMF(n_components=20, init="nndsvda", random_state=0, max_iter=300).fit_transform(matrix).argmax(axis=1)
    docs["topic"] = topic
    for theme in (t.theme for t in ISSUES if t.year == year):
        mine = docs[docs["theme"] == theme]
        best = mine["topic"].value_counts().index[0]
        members = docs[docs["topic"] == best]
        purity = (members["theme"] == theme).mean()
        recall = (mine["topic"] == best).mean()
        assert purity >= 0.7, (theme, purity)
        assert recall >= 0.6, (theme, recall)
    assert pd.notna(docs["theme"]).sum() > 0
