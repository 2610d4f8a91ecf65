"""The 投诉公示 tables as files: CSV and Excel, cells made public and formula cells neutralised
(the shared guard, ``analytics.exporting.safe_cells``), demo rows marked 演示数据."""

from __future__ import annotations

import io

import pandas as pd

from analytics.disclosure.public import public_frame
from analytics.exporting.safe_cells import neutralise_frame
from analytics.queries.provenance import NO_DEMO, Provenance


def to_csv_bytes(df: pd.DataFrame, provenance: Provenance = NO_DEMO) -> bytes:
    """UTF-8 with BOM (Excel opens it with the right encoding), formula cells neutralised, rates
    written as percentages (42.5%, which Excel reads as a number; a CSV has no cell formats); with
    demo rows a first column says 演示数据."""
    out = neutralise_frame(public_frame(df))
    for column in out.columns:
        if column.endswith("率"):
            out[column] = [None if pd.isna(v) else f"{float(v):.1%}" for v in out[column]]
    return provenance.csv_frame(out).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], provenance: Provenance = NO_DEMO) -> bytes:
    """One sheet per table, formula cells neutralised, rates formatted as percentages; with demo
    rows every sheet's name and printed header say 演示数据."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            sheet_name = provenance.sheet_name(name)
            neutralise_frame(public_frame(df)).to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            provenance.mark_sheet(sheet)
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"  # printed, every page starts with the header row
            sheet.page_setup.orientation = "landscape"
            for idx, column in enumerate(df.columns, start=1):
                letter = sheet.cell(row=1, column=idx).column_letter
                width = 40 if column == "集中问题" else 24 if column in ("经营者", "统计期间", "监管部门") else 10
                sheet.column_dimensions[letter].width = width
                if column.endswith("率"):
                    for cell in sheet[letter][1:]:
                        cell.number_format = "0.0%"
    return buffer.getvalue()
