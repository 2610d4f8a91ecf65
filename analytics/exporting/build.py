"""One entry point for every export: ``build_export(con, period, fmt)`` -> the file's bytes.

Used by the ``report`` command and the 导出 page, so both give the same files.
"""

from __future__ import annotations

import duckdb

from analytics.errors import UserError
from analytics.exporting import data as export_data
from analytics.exporting.hotspot_tables import shortlist_frames
from analytics.periods import Period
from analytics.queries.provenance import provenance

FORMATS = {
    "pptx": ("简报", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "docx": ("分析报告", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("热点问题表", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("热点问题表", "text/csv"),
}


def build_export(
    con: duckdb.DuckDBPyConnection, period: Period, fmt: str, *, top: int = 10, prepare: bool = False
) -> bytes:
    """The export ``fmt`` (pptx, docx, xlsx, csv) of ``period``. With ``prepare`` (commands) the
    topic run is brought up to date first; without it (pages) the stored run is read."""
    if fmt not in FORMATS:
        raise UserError(f"Unknown export format {fmt!r}", zh=f"不支持的导出格式：{fmt}")
    if fmt in ("xlsx", "csv"):
        return hotspot_table(con, period, fmt, top=top, prepare=prepare)
    report = export_data.gather(con, period, top=top, prepare=prepare)
    if fmt == "pptx":
        from analytics.exporting.deck import build_pptx

        return build_pptx(report)
    from analytics.exporting.report_docx import build_docx

    return build_docx(report)


def hotspot_table(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    fmt: str,
    *,
    top: int = 10,
    prepare: bool = False,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> bytes:
    """热点问题表 (xlsx with its members, or csv): the period's ``top`` ranked issues. The 导出 page,
    ``report`` and the 热点 page all build it here, so one name holds one content; ``weights``
    (the 热点 page's sliders, None = the defaults) are written in its 说明 sheet when given."""
    from analytics.exporting import shortlist

    export_data.check_period(con, period)
    hotspots, members = shortlist_frames(con, period, top=top, prepare=prepare, weights=weights)
    found = provenance(con, period.filters())
    if fmt == "csv":
        return shortlist.build_csv(hotspots, found)
    source = export_data.source_line(con, period=period)
    return shortlist.build_xlsx(hotspots, members, period, source=source, provenance=found, weights=weights)


def export_filename(region: str, period: Period, fmt: str, name: str | None = None) -> str:
    """清远市_2024Q3_简报.pptx; ``name`` for a file of another name (热点排名表, 热点事件表)."""
    return f"{region}_{period.key}_{name or FORMATS[fmt][0]}.{fmt}"


def mime_type(fmt: str) -> str:
    return FORMATS[fmt][1]
