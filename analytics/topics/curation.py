"""Analyst curation of issue topics: rename, merge, pin. Stored in ``topic_curation`` keyed by the
stable topic id, so it survives re-runs (ids are matched to earlier runs, see matching.py)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import audit
from analytics.errors import UserError
from analytics.store import stages


def _known(con: duckdb.DuckDBPyConnection, topic_id: int, levels: tuple[str, ...] = ("issue",)) -> None:
    found = con.execute(
        "SELECT count(*) FROM topics WHERE topic_id = $topic_id AND list_contains($levels, level)",
        {"topic_id": topic_id, "levels": list(levels)},
    ).fetchall()
    if not found[0][0]:
        raise UserError(f"Unknown topic {topic_id}", zh=f"话题 {topic_id} 不存在")


def _upsert(con: duckdb.DuckDBPyConnection, topic_id: int, column: str, value: object) -> None:
    assert column in ("label", "merged_into", "pinned")  # identifiers are fixed here, values bound
    con.execute(
        f"""INSERT INTO topic_curation (topic_id, {column}, updated_at) VALUES ($topic_id, $value, now()::TIMESTAMP)
            ON CONFLICT (topic_id) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at""",
        {"topic_id": topic_id, "value": value},
    )


def rename_topic(con: duckdb.DuckDBPyConnection, topic_id: int, label: str | None, *, actor: str | None = None) -> None:
    """Set the analyst's label of a topic or an event (None or blank: back to the automatic label).
    An event keeps its id while it continues (analytics.events.continuity), so its label stays with
    the incident through later runs. Audited as ``actor``."""
    _known(con, topic_id, ("issue", "event"))
    text = (label or "").strip() or None
    if text is not None and len(text) > 40:
        raise UserError("Label too long (max 40 characters)", zh="话题名称过长（最多 40 字）")
    with stages.changing(con, "topics"):
        _upsert(con, topic_id, "label", text)
        audit.record(con, actor, "topic_rename", target=str(topic_id), detail={"label": text})


def merge_topics(
    con: duckdb.DuckDBPyConnection, source_id: int, target_id: int | None, *, actor: str | None = None
) -> None:
    """Show ``source_id`` as part of ``target_id`` (None: undo). Chains are resolved to the end."""
    _known(con, source_id)
    if target_id is not None:
        _known(con, target_id)
        final = _resolve(con, target_id)
        if final == source_id:
            raise UserError("A topic cannot be merged into itself", zh="不能把话题合并到它自己")
        target_id = final
    with stages.changing(con, "topics"):
        followers = 0
        if target_id is not None:
            # Topics already merged into the source follow it to the target.
            followers = con.execute(
                "UPDATE topic_curation SET merged_into = $target, updated_at = now()::TIMESTAMP"
                " WHERE merged_into = $source",
                {"target": target_id, "source": source_id},
            ).fetchall()[0][0]
        _upsert(con, source_id, "merged_into", target_id)
        audit.record(
            con,
            actor,
            "topic_merge",
            target=str(source_id),
            counts={"topics_moved": 1 + int(followers)},
            detail={"merged_into": target_id},
        )


def pin_topic(con: duckdb.DuckDBPyConnection, topic_id: int, pinned: bool = True, *, actor: str | None = None) -> None:
    """Pinned topics are listed first and keep their id more readily when topics are recomputed."""
    _known(con, topic_id)
    with stages.changing(con, "topics"):
        _upsert(con, topic_id, "pinned", bool(pinned))
        audit.record(con, actor, "topic_pin", target=str(topic_id), detail={"pinned": bool(pinned)})


def _resolve(con: duckdb.DuckDBPyConnection, topic_id: int) -> int:
    seen = {topic_id}
    while True:
        found = con.execute(
            "SELECT merged_into FROM topic_curation WHERE topic_id = $topic_id", {"topic_id": topic_id}
        ).fetchall()
        row = next(iter(found), None)
        if not row or row[0] is None or row[0] in seen:
            return topic_id
        topic_id = int(row[0])
        seen.add(topic_id)


def curated_topics(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Issue topics of a run as the analyst sees them: curated label, merges folded in, pins first.

    Columns: topic_id, label, auto_label, keywords, size, pinned, merged_from (ids folded in),
    representatives.
    """
    frame = con.execute(
        """WITH t AS (
               SELECT t.topic_id, t.label, t.auto_label, t.keywords, t.size, t.representatives, t.shown_as,
                      t.pinned
               FROM curated_labels t WHERE t.run_id = $run_id AND t.level = 'issue'
           ),
           target_exists AS (SELECT topic_id FROM t)
           SELECT CASE WHEN t.shown_as IN (SELECT topic_id FROM target_exists) THEN t.shown_as ELSE t.topic_id END
                      AS topic_id,
                  t.topic_id AS member_id, t.label, t.auto_label, t.keywords, t.size, t.representatives, t.pinned
           FROM t""",
        {"run_id": run_id},
    ).df()
    columns = ["topic_id", "label", "auto_label", "keywords", "size", "pinned", "merged_from", "representatives"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for topic_id, group in frame.groupby("topic_id", sort=False):
        head = group[group["member_id"] == topic_id].iloc[0]  # its label and pin: the view's
        rows.append(
            {
                "topic_id": int(topic_id),
                "label": head["label"],
                "auto_label": head["auto_label"],
                "keywords": list(head["keywords"]),
                "size": int(group["size"].sum()),
                "pinned": bool(head["pinned"]),
                "merged_from": sorted(int(m) for m in group["member_id"] if m != topic_id),
                "representatives": list(head["representatives"]),
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["pinned", "size", "topic_id"], ascending=[False, False, True]).reset_index(drop=True)
