"""The topics payload shared by the CLI (``--json``) and anyone exporting topics."""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.topics.curation import curated_assignments_sql, curated_topics

TOPIC = curated_assignments_sql()  # an assignment's topic with the analyst's merges applied


def topics_payload(con: duckdb.DuckDBPyConnection, run_id: str, members: bool = False) -> dict[str, Any]:
    """{"run_id", "topics": [{topic_id, label, keywords, size, pinned, representatives, events,
    complaint_ids?}]}

    ``representatives`` and ``complaint_ids`` are the export's complaint ids (``complaint_id``).
    ``events``: the topic's event-level clusters, largest first: {event_id, label, keywords, size}.
    Merged topics are folded into their target, as everywhere else.
    """
    topics = curated_topics(con, run_id)
    reps = dict(
        con.execute(
            """SELECT t.topic_id, list(c.complaint_id ORDER BY r.pos)
               FROM topics t, unnest(t.representatives) WITH ORDINALITY AS r(id, pos)
               JOIN complaints c ON c.id = r.id
               WHERE t.run_id = ? AND t.level = 'issue' GROUP BY t.topic_id""",
            [run_id],
        ).fetchall()
    )
    events: dict[int, list[dict[str, Any]]] = {}
    for topic_id, event_id, label, keywords, size in con.execute(
        """SELECT coalesce(tc.merged_into, e.parent_topic_id), e.topic_id, e.label, e.keywords, e.size
           FROM topics e LEFT JOIN topic_curation tc ON tc.topic_id = e.parent_topic_id
           WHERE e.run_id = ? AND e.level = 'event' ORDER BY e.size DESC, e.topic_id""",
        [run_id],
    ).fetchall():
        events.setdefault(int(topic_id), []).append(
            {"event_id": int(event_id), "label": label, "keywords": list(keywords), "size": int(size)}
        )
    member_ids: dict[int, list[str]] = {}
    if members:
        member_ids = dict(
            con.execute(
                f"""SELECT {TOPIC}, list(c.complaint_id ORDER BY c.id)
                   FROM topic_assignments a JOIN complaints c ON c.id = a.id
                   LEFT JOIN topic_curation tc ON tc.topic_id = a.topic_id
                   WHERE a.run_id = ? GROUP BY ALL""",
                [run_id],
            ).fetchall()
        )
    out = []
    for row in topics.itertuples(index=False):
        item: dict[str, Any] = {
            "topic_id": int(row.topic_id),
            "label": row.label,
            "keywords": list(row.keywords),
            "size": int(row.size),
            "pinned": bool(row.pinned),
            "merged_from": list(row.merged_from),
            "representatives": list(reps.get(int(row.topic_id), [])),
            "events": events.get(int(row.topic_id), []),
        }
        if members:
            item["complaint_ids"] = list(member_ids.get(int(row.topic_id), []))
        out.append(item)
    return {"run_id": run_id, "topics": out}
