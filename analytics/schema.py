"""The complaint columns as every view names them: filter dimensions, Chinese names, the blank label.

Queries, charts, exports, the filter bar and the pages read these, so a new dimension or a renamed
column is one edit. (The import page names export headers with ``analytics.ingest.headers.FIELD_LABELS``:
the words of the exports, such as 诉求类型 and 被投诉方, not the analysts'.)
"""

from __future__ import annotations

BLANK = "未注明"  # the one label for a missing county, sector, channel, business … in tables, charts, decks

# Chinese names of the complaints columns, in tables and charts (and the columns views group by).
COLUMN_LABELS: dict[str, str] = {
    "complaint_id": "编号",
    "received_at": "受理时间",
    "closed_at": "办结时间",
    "title": "标题",
    "content": "内容",
    "amount": "金额（元）",
    "month": "月份",
    "county": "区县",
    "town": "镇街",
    "sector": "行业",
    "kind": "类型",
    "source": "渠道",
    "department": "承办单位",
    "business": "经营者",
}

# The filter bar's list dimensions, in its order: Filters field -> complaints column.
FILTER_DIMENSIONS: dict[str, str] = {"counties": "county", "sectors": "sector", "kinds": "kind", "sources": "source"}


def filter_label(field: str) -> str:
    """The Chinese name of a Filters list field (``counties`` -> 区县)."""
    return COLUMN_LABELS[FILTER_DIMENSIONS[field]]


def labels(*columns: str) -> dict[str, str]:
    """``{column: Chinese name}`` for the columns, in the order given."""
    return {column: COLUMN_LABELS[column] for column in columns}
