"""Reading matters and recording the analysts' corrections (split / join)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics import audit
from analytics.errors import UserError
from analytics.ingest.pii import mask_personal_data
from analytics.store import stages
from analytics.store.stages import reads


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Complaints (件次), matters (事项), and how many matters hold more than one complaint."""
    total, matters, multi, in_multi, unlinked = con.execute(
        """
        WITH m AS (
            SELECT coalesce(l.matter_id, c.id) AS matter_id, count(*) AS n
            FROM complaints c LEFT JOIN matter_links l USING (id) GROUP BY ALL
        )
        SELECT coalesce(sum(n), 0), count(*), count(*) FILTER (WHERE n > 1),
               coalesce(sum(n) FILTER (WHERE n > 1), 0),
               (SELECT count(*) FROM complaints ANTI JOIN matter_links USING (id))
        FROM m
        """
    ).fetchall()[0]
    return {
        "complaints": int(total),
        "matters": int(matters),
        "matters_with_several_complaints": int(multi),
        "complaints_in_such_matters": int(in_multi),
        "not_linked_yet": int(unlinked),
    }


def curate(con: duckdb.DuckDBPyConnection, action: str, a: int, b: int | None, actor: str) -> None:
    """Record a split (complaint ``a`` out of its matter) or a join (``a`` and ``b`` one matter).

    Stored in ``matter_curation`` and applied by every later ``link`` run, so it survives re-runs;
    written to ``audit_log`` (matter_split / matter_join) in the same transaction, like every
    analyst's write (analytics/audit.py). ``a`` and ``b`` are ``complaints.id``.
    """
    if action not in ("split", "join"):
        raise UserError(f"unknown matter correction {action!r}", zh=f"未知的事项操作：{action}")
    known = dict(
        con.execute(
            "SELECT id, complaint_id FROM complaints WHERE id IN ($a, $b)", {"a": a, "b": b if b is not None else a}
        ).fetchall()
    )
    missing = [x for x in (a, b) if x is not None and x not in known]
    if missing:
        raise UserError(f"no complaint with id {missing[0]}", zh=f"找不到编号为 {missing[0]} 的投诉")
    if action == "join" and (b is None or a == b):
        raise UserError("join needs two different complaint ids", zh="合并需要两条不同的投诉")
    pair = [a] if action == "split" else [a, b]
    with stages.changing(con, "matters"):
        con.execute(
            "INSERT INTO matter_curation (at_time, actor, action, a, b)"
            " VALUES (now()::TIMESTAMP, $actor, $action, $a, $b)",
            {"actor": audit.actor_name(actor), "action": action, "a": a, "b": b if action == "join" else None},
        )
        audit.record(
            con,
            actor,
            f"matter_{action}",
            target="、".join(str(known[i]) for i in pair),  # the complaint numbers analysts know
            detail={"ids": pair},
        )


def correct(con: duckdb.DuckDBPyConnection, action: str, a: int, b: int | None = None, *, actor: str) -> None:
    """An analyst's correction applied at once: :func:`curate`, then a link run (it compares no pair
    when nothing new was imported, only regroups), so the pages show the matter as corrected."""
    from analytics.matters.linking import link  # the text stack: loaded by the write, not by every page

    curate(con, action, a, b, actor)
    link(con)


def join_by_number(con: duckdb.DuckDBPyConnection, complaint: int, number: str, *, actor: str) -> None:
    """Join ``complaint`` (``complaints.id``) with the complaint an analyst names by its number
    (``complaint_id``, as on the pages and in the exports), at once (:func:`correct`)."""
    correct(con, "join", complaint, _by_number(con, number), actor=actor)


def _by_number(con: duckdb.DuckDBPyConnection, number: str) -> int:
    """The ``complaints.id`` of the complaint numbered ``number``. Each source numbers its own
    complaints, so one number can name two: then the analyst is asked to pick the row instead."""
    found = [r[0] for r in con.execute(
        "SELECT id FROM complaints WHERE complaint_id = $number LIMIT 2", {"number": number.strip()}
    ).fetchall()]  # fmt: skip
    if not found:
        raise UserError(f"no complaint numbered {number!r}", zh=f"找不到投诉编号为“{number.strip()}”的投诉")
    if len(found) > 1:
        raise UserError(
            f"several complaints are numbered {number!r}",
            zh=f"投诉编号“{number.strip()}”对应多条投诉（来自不同渠道），请在表格中点选那一条后再合并",
        )
    return int(found[0])


@reads("complaints", "matters")
def matter_members(con: duckdb.DuckDBPyConnection, complaint: int) -> pd.DataFrame:
    """The complaints of ``complaint``'s matter (by ``complaints.id``), itself included, oldest first:
    id, complaint_id, received_at, source, county, business, title (personal data masked). One row
    when the complaint is a matter of its own."""
    df = con.execute(
        """WITH m AS (SELECT coalesce(l.matter_id, c.id) AS matter FROM complaints c
                      LEFT JOIN matter_links l ON l.id = c.id WHERE c.id = $id)
           SELECT c.id, c.complaint_id, c.received_at, c.source, c.county, c.business, c.title
           FROM complaints c LEFT JOIN matter_links l ON l.id = c.id
           WHERE coalesce(l.matter_id, c.id) = (SELECT matter FROM m)
           ORDER BY c.received_at, c.id""",
        {"id": int(complaint)},
    ).df()
    for column in ("title", "business"):
        df[column] = df[column].map(mask_personal_data, na_action="ignore").astype("string")
    return df
