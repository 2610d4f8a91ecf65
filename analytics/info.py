"""What a database holds: row counts per table, date range, counts per source, county and year."""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.schema import BLANK


def database_info(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()
    ]
    # Table names come from the catalogue itself, so quoting them is safe.
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    first, last = con.execute("SELECT min(received_at), max(received_at) FROM complaints").fetchone()

    def per(column: str) -> dict[str, int]:
        rows = con.execute(
            f"SELECT coalesce(nullif(CAST({column} AS VARCHAR), ''), $blank) AS k, count(*) FROM complaints "
            "GROUP BY k ORDER BY count(*) DESC, k",
            {"blank": BLANK},
        ).fetchall()
        return {str(k): int(n) for k, n in rows}

    return {
        "tables": counts,
        "complaints": counts.get("complaints", 0),
        "date_range": {"from": first, "to": last},
        "per_source": per("source"),
        "per_county": per("county"),
        "per_year": per("year(received_at)"),
        "is_demo": counts.get("demo_truth", 0) > 0,
        # 事项 (analytics/matters): a complaint the matters stage has not linked yet counts as its own.
        "matters": (
            con.execute(
                "SELECT count(DISTINCT coalesce(l.matter_id, c.id))"
                " FROM complaints c LEFT JOIN matter_links l USING (id)"
            ).fetchone()[0]
            if "matter_links" in counts
            else counts.get("complaints", 0)
        ),
    }
