"""The topics payload shared by the CLI (``--json``) and anyone exporting topics."""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.filters import Filters
from analytics.topics.trends import topics_in_period


def topics_payload(
    con: duckdb.DuckDBPyConnection, run_id: str, members: bool = False, filters: Filters | None = None
) -> dict[str, Any]:
    """{"run_id", "topics": [{topic_id, label, keywords, size, matters, pinned, representatives, events,
    complaint_ids?}]}

    ``representatives`` and ``complaint_ids`` are the export's complaint ids (``complaint_id``).
    ``events``: the topic's event-level clusters, largest first: {event_id, label, keywords, size,
    matters} (all periods: 件次 and 事项 of the cluster).
    Merged topics are folded into their target, as everywhere else. ``filters`` (a period): sizes
    and members count the complaints it selects; topics without any are left out.
    """
    topics = topics_in_period(con, run_id, filters)
    where, params = (filters or Filters()).where("c")
    reps = dict(
        con.execute(
            """SELECT t.topic_id, list(c.complaint_id ORDER BY r.pos)
               FROM topics t, unnest(t.representatives) WITH ORDINALITY AS r(id, pos)
               JOIN complaints c ON c.id = r.id
               WHERE t.run_id = $run_id AND t.level = 'issue' GROUP BY t.topic_id""",
            {"run_id": run_id},
        ).fetchall()
    )
    events: dict[int, list[dict[str, Any]]] = {}
    for topic_id, event_id, label, keywords, size, matters in con.execute(
        """SELECT e.parent_topic_id, e.topic_id, e.label, e.keywords, e.size, coalesce(m.matters, 0)
           FROM curated_labels e
           LEFT JOIN (SELECT a.event_id, count(DISTINCT coalesce(l.matter_id, a.id)) AS matters
                      FROM topic_assignments a LEFT JOIN matter_links l ON l.id = a.id
                      WHERE a.run_id = $run_id GROUP BY a.event_id) m ON m.event_id = e.topic_id
           WHERE e.run_id = $run_id AND e.level = 'event' ORDER BY e.size DESC, e.topic_id""",
        {"run_id": run_id},
    ).fetchall():
        events.setdefault(int(topic_id), []).append(
            {"event_id": int(event_id), "label": label, "keywords": list(keywords), "size": int(size),
             "matters": int(matters)}
        )  # fmt: skip
    member_ids: dict[int, list[str]] = {}
    if members:
        member_ids = dict(
            con.execute(
                f"""SELECT a.topic_id, list(c.complaint_id ORDER BY c.id)
                   FROM curated_assignments a JOIN complaints c ON c.id = a.id
                   WHERE a.run_id = $run_id AND {where} GROUP BY ALL""",
                {**params, "run_id": run_id},
            ).fetchall()
        )
    out = []
    for row in topics.itertuples(index=False):
        item: dict[str, Any] = {
            "topic_id": int(row.topic_id),
            "label": row.label,
            "keywords": list(row.keywords),
            "size": int(row.size),
            "matters": int(row.matters),
            "pinned": bool(row.pinned),
            "merged_from": list(row.merged_from),
            "representatives": list(reps.get(int(row.topic_id), [])),
            "events": events.get(int(row.topic_id), []),
        }
        if members:
            item["complaint_ids"] = list(member_ids.get(int(row.topic_id), []))
        out.append(item)
    return {"run_id": run_id, "topics": out}
