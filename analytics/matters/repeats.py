"""重复投诉率: how much of the volume is the same matter again, per business, department, county or month.

A matter (事项, ``analytics.matters``) is *repeated* when it holds more than one complaint, and
*came back* when one of its complaints arrived after an earlier one of it had been closed (the
complainant was not satisfied, or nothing happened). A matter belongs to the group of its first
complaint (its business, department, county, month of receipt). Filters select complaints; a
matter counts with the complaints of it that pass them.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.filters import Filters
from analytics.store.stages import reads

# breakdown -> the SQL expression of a complaint's group; "all" is one row for the whole selection.
DIMENSIONS = {
    "all": "'全部'",
    "business": "business",
    "department": "department",
    "county": "county",
    "month": "strftime(received_at, '%Y-%m')",
}


@reads("complaints", "matters")
def repeat_rates(con: duckdb.DuckDBPyConnection, by: str = "month", filters: Filters | None = None) -> pd.DataFrame:
    """One row per group: complaints, matters, repeated matters and rate, came-back matters and rate."""
    if by not in DIMENSIONS:
        raise UserError(f"unknown breakdown {by!r}; choose one of {', '.join(DIMENSIONS)}", zh=f"未知的分组 {by}")
    where, params = (filters or Filters()).where()
    order = "grp" if by == "month" else "complaints DESC, grp"  # months in time order, others biggest first
    sql = f"""
        WITH c AS (
            SELECT coalesce(l.matter_id, c.id) AS mid, c.received_at, c.closed_at, {DIMENSIONS[by]} AS grp
            FROM (SELECT * FROM complaints WHERE {where}) c LEFT JOIN matter_links l USING (id)
        ),
        ordered AS (
            SELECT *, received_at > max(closed_at) OVER (
                PARTITION BY mid ORDER BY received_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) AS came_back
            FROM c
        ),
        m AS (
            SELECT mid, arg_min(grp, received_at) AS grp, count(*) AS n, coalesce(bool_or(came_back), false) AS back
            FROM ordered GROUP BY mid
        )
        SELECT grp AS "group", sum(n)::BIGINT AS complaints, count(*) AS matters,
               count(*) FILTER (WHERE n > 1) AS repeated_matters,
               count(*) FILTER (WHERE back) AS came_back_matters
        FROM m WHERE grp IS NOT NULL GROUP BY grp ORDER BY {order}
    """
    frame = con.execute(sql, params).df()
    frame["repeat_rate"] = frame["repeated_matters"] / frame["matters"]
    frame["came_back_rate"] = frame["came_back_matters"] / frame["matters"]
    return frame
