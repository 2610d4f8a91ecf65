"""The token cache: table ``tokens`` keyed by complaint id and tokenizer version.

``ensure_tokens`` tokenises only complaints that have no tokens for the current version or whose
text changed since (compared by hash), so a re-run after an import costs only the new rows.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from analytics.store import stages
from analytics.text.corpus import Corpus
from analytics.text.parallel import segmenter, tokenize_joined
from analytics.text.segmenter import clean_text

# The text that is tokenised, and its hash, computed inside DuckDB (same rule as clean_text).
TEXT_HASH_SQL = "md5(coalesce(c.title, '') || chr(31) || coalesce(c.content, ''))"
BATCH = 200_000


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pa.Table:
    """Query result as Arrow without the extra copy of the DB-API path.

    ``con.sql`` refuses to run while an earlier ``execute`` result is pending on the connection, so
    that result is finished first (the connection may come straight from ``connect()``).
    """
    con.execute("SELECT 1").fetchall()
    return con.sql(sql, params=params).to_arrow_table()


def tokenizer_version() -> str:
    return segmenter().version


def ensure_tokens(
    con: duckdb.DuckDBPyConnection, where: str = "true", params: dict[str, Any] | None = None
) -> np.ndarray:
    """Tokenise complaints matching ``where`` (over alias ``c``; its values bound by name from
    ``params``, any name but ``tokenizer_version``) that lack current tokens.

    Returns the ids of the complaints that were (re-)tokenised. Tokens of older tokenizer versions are dropped.
    """
    version = tokenizer_version()
    older = "FROM tokens WHERE tokenizer_version <> $version"
    if con.execute(f"SELECT count(*) {older}", {"version": version}).fetchone()[0]:
        with stages.changing(con, "topics"):  # no version when there was nothing to drop
            con.execute(f"DELETE {older}", {"version": version})
    todo = _arrow(
        con,
        f"""SELECT c.id, c.title, c.content, {TEXT_HASH_SQL} AS h
            FROM complaints c LEFT JOIN tokens t ON t.id = c.id AND t.tokenizer_version = $tokenizer_version
            WHERE ({where}) AND (t.id IS NULL OR t.text_hash <> {TEXT_HASH_SQL})
            ORDER BY c.id""",
        {**(params or {}), "tokenizer_version": version},
    )
    if todo.num_rows == 0:
        return np.zeros(0, dtype=np.int64)
    ids = todo.column("id").to_numpy()
    titles = todo.column("title").to_pylist()
    contents = todo.column("content").to_pylist()
    hashes = todo.column("h")
    del todo
    for start in range(0, len(ids), BATCH):
        stop = start + BATCH
        texts = [clean_text(t, c) for t, c in zip(titles[start:stop], contents[start:stop], strict=True)]
        joined = tokenize_joined(texts)
        batch = pa.table(
            {
                "id": pa.array(ids[start:stop]),
                "h": hashes.slice(start, len(joined)),
                "joined": pa.array(joined, type=pa.string()),
            }
        )
        con.register("_new_tokens", batch)
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute(
                "DELETE FROM tokens WHERE tokenizer_version = $version AND id IN (SELECT id FROM _new_tokens)",
                {"version": version},
            )
            con.execute(
                """INSERT INTO tokens (id, tokenizer_version, text_hash, tokens)
                   SELECT id, $version, h,
                       CASE WHEN joined = '' THEN []::VARCHAR[] ELSE string_split(joined, ' ') END
                   FROM _new_tokens""",
                {"version": version},
            )
            stages.bump(con, "topics")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("_new_tokens")
    return np.asarray(ids, dtype=np.int64)


def load_corpus(con: duckdb.DuckDBPyConnection, where: str = "true", params: dict[str, Any] | None = None) -> Corpus:
    """Tokens of complaints matching ``where`` (alias ``c``; its values bound by name from ``params``,
    any name but ``tokenizer_version``), ordered by id, as a flat corpus."""
    table = _arrow(
        con,
        f"""SELECT c.id, t.tokens FROM complaints c
            JOIN tokens t ON t.id = c.id AND t.tokenizer_version = $tokenizer_version
            WHERE {where} ORDER BY c.id""",
        {**(params or {}), "tokenizer_version": tokenizer_version()},
    )
    return Corpus.from_arrow(table.column("id").to_numpy().astype(np.int64), table.column("tokens"))
