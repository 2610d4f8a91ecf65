"""Token cache in DuckDB: keyed by complaint and tokenizer version; only new/changed text re-tokenised."""

from __future__ import annotations

from pathlib import Path

from analytics.store import connect
from analytics.text import clean_text, ensure_tokens, load_corpus, segmenter, tokenizer_version


def test_tokens_are_cached_and_refreshed(demo_db_copy: Path) -> None:
    with connect(demo_db_copy) as con:
        con.execute("DELETE FROM tokens")  # the demo build tokenised everything for its topic run
        n = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
        done = ensure_tokens(con, "c.id <= $last", {"last": 2000})
        assert 0 < len(done) <= 2000
        assert len(ensure_tokens(con, "c.id <= $last", {"last": 2000})) == 0  # nothing new
        stored = con.execute(
            "SELECT count(*), count(DISTINCT tokenizer_version) FROM tokens WHERE tokenizer_version = ?",
            [tokenizer_version()],
        ).fetchall()[0]
        assert stored == (len(done), 1)
        # Changing a complaint's text re-tokenises exactly that complaint.
        some_id = int(done[0])
        con.execute("UPDATE complaints SET content = '预付卡跑路了，退费难' WHERE id = ?", [some_id])
        again = ensure_tokens(con, "c.id <= $last", {"last": 2000})
        assert list(again) == [some_id]
        tokens = con.execute("SELECT tokens FROM tokens WHERE id = ?", [some_id]).fetchall()[0][0]
        title = con.execute("SELECT title FROM complaints WHERE id = ?", [some_id]).fetchall()[0][0]
        assert tokens == segmenter().segment(clean_text(title, "预付卡跑路了，退费难")) and "预付卡" in tokens
        # A stale version is dropped and everything is tokenised for the current one.
        con.execute("UPDATE tokens SET tokenizer_version = 'old'")
        assert len(ensure_tokens(con)) == n
        corpus = load_corpus(con)
        assert len(corpus) == n and list(corpus.ids) == sorted(corpus.ids)
