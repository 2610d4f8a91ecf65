"""Hotspot files: .xlsx with the table, its member complaints (明细) and 说明; .csv in UTF-8 with BOM.

The one writer of hotspot files (导出 page, ``report``, 热点 page downloads, ``hotspots --export``);
the tables come from :mod:`analytics.exporting.hotspot_tables`. Three files, each with its own name
(``TableNames``): 热点问题表 (the period's top ranked issues, the same file wherever it is made),
热点排名表 (a whole ranking, e.g. with the 热点 page's weights) and 热点事件表. Every text cell passes
through ``safe_cells`` so a label or complaint text beginning with = + - @ cannot run as a formula
when the file is opened in Excel or WPS; percentages are numbers with a percent format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from analytics.exporting.hotspot_tables import MEMBER_COLUMNS, export_columns
from analytics.exporting.safe_cells import neutralise
from analytics.hotspots import load_weights
from analytics.periods import Period
from analytics.queries.provenance import NO_DEMO, Provenance


@dataclass(frozen=True)
class TableNames:
    """Sheet (and file) names of one kind of hotspot file."""

    table: str
    members: str


SHORTLIST = TableNames("热点问题表", "热点问题明细表")  # the period's top issues (导出 page, 热点 page, report)
RANKING = TableNames("热点排名表", "热点排名明细表")  # a whole ranking (热点 page, hotspots --export)
EVENTS = TableNames("热点事件表", "热点事件明细表")  # event hotspots
SHEET_NOTES = "说明"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDTHS = {
    "why": 60, "label": 28, "counties": 30, "sectors": 24, "regulator": 22, "keywords": 30, "title": 36, "content": 60,
    "businesses": 30, "first_seen": 12, "last_seen": 12,
}  # fmt: skip
_DATE_TIME = ("received_at", "closed_at")
_DATE = ("first_seen", "last_seen")
# Fractions written as numbers in a percent format (706% growth is 7.06, shown "+706%").
_PERCENT = {"change": "+0%;-0%;0%"}


def build_xlsx(
    hotspots: pd.DataFrame,
    members: pd.DataFrame,
    period: Period,
    *,
    source: str = "",
    generated_at: datetime | None = None,
    provenance: Provenance = NO_DEMO,
    names: TableNames = SHORTLIST,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> bytes:
    """The workbook as bytes; with demo rows every sheet's name and printed header say so.
    ``weights`` (adjusted score weights) are listed in 说明, so the file says how it was ranked."""
    wb = Workbook()
    ws = wb.active
    ws.title = provenance.sheet_name(names.table)
    _write_table(ws, hotspots, export_columns(hotspots))
    _write_table(wb.create_sheet(provenance.sheet_name(names.members)), members, MEMBER_COLUMNS)
    notes = wb.create_sheet(provenance.sheet_name(SHEET_NOTES))
    lines = [
        *([("数据性质", provenance.mark)] if provenance.mark else []),
        ("时段", f"{period.label}（{period.span}）"),
        ("口径", period.note or "按受理时间统计"),
        ("数据来源", source),
        ("文件", names.table),
        *([("评分权重", weights_line(weights))] if weights else []),
        ("热点问题数", len(hotspots)),
        ("明细条数", len(members)),
        ("生成时间", (generated_at or datetime.now()).strftime("%Y-%m-%d %H:%M")),
        ("个人信息", "明细不含投诉人；电话、证件号、银行卡号已脱敏。"),
    ]
    for row in lines:
        notes.append([neutralise(v) for v in row])
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 70
    for sheet in wb.worksheets:
        provenance.mark_sheet(sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def weights_line(weights: tuple[tuple[str, float], ...]) -> str:
    """投诉量 2、增长 1.5 …（调整后的权重）: the weights a ranking was scored with, by their labels."""
    labels = {name: w.label for name, w in load_weights().items()}
    return "、".join(f"{labels.get(name, name)} {value:g}" for name, value in weights) + "（调整后的权重）"


def build_csv(hotspots: pd.DataFrame, provenance: Provenance = NO_DEMO) -> bytes:
    """The table as CSV, UTF-8 with BOM so that Excel opens the Chinese text correctly.

    A CSV has no cell formats: a percentage is written "706%" / "-12%", which Excel and WPS read as
    the number 7.06 / -0.12 in a percent format (a number, so it is not neutralised like text)."""
    columns = export_columns(hotspots)
    cells = _cells(hotspots, columns)
    for key in _PERCENT:
        if key in hotspots:
            cells[columns[key]] = [None if pd.isna(v) else f"{float(v):.0%}" for v in hotspots[key]]
    return provenance.csv_frame(cells).to_csv(index=False).encode("utf-8-sig")


def build_members_csv(members: pd.DataFrame, provenance: Provenance = NO_DEMO) -> bytes:
    """热点问题明细表 as CSV (UTF-8 with BOM)."""
    return provenance.csv_frame(_cells(members, MEMBER_COLUMNS)).to_csv(index=False).encode("utf-8-sig")


def _cells(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The frame in export columns with Chinese headers and neutralised, printable cells."""
    missing = [None] * len(frame)
    return pd.DataFrame({zh: [_cell(v) for v in frame[c]] if c in frame else missing for c, zh in columns.items()})


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value)
    elif hasattr(value, "tolist") and not isinstance(value, str | pd.Timestamp):
        value = value.tolist()
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date | int | float):
        return value
    return neutralise(str(value))


def _write_table(ws, frame: pd.DataFrame, columns: dict[str, str]) -> None:
    ws.append(list(columns.values()))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    keys = list(columns)
    records = frame.to_dict("records")
    for record in records:
        ws.append([_cell(record.get(k)) for k in keys])
    for i, key in enumerate(keys, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = _WIDTHS.get(key, 18 if key in _DATE_TIME else 12)
        if key in _DATE_TIME or key in _DATE:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd hh:mm" if key in _DATE_TIME else "yyyy-mm-dd"
        if key == "score" or key in _PERCENT:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = _PERCENT.get(key, "0.0")
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"  # printed, every page starts with the header row
    ws.page_setup.orientation = "landscape"
    if records:
        ws.auto_filter.ref = ws.dimensions
