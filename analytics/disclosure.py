"""The 投诉公示 (public disclosure) tables: per business and per sector, ready to publish.

What is published: business name, sector, county, counts, closed and resolved rates, and the issues
complaints concentrate on (topic labels or title words). Never published: complainants, complaint
text, replies, ids. Every text cell still passes through ``public_text`` (the import's PII masker,
then a last sweep over any long digit run), because business names and labels come from free text.
Downloads go through the shared formula-injection guard (``analytics.exporting.safe_cells``).
"""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd

from analytics.exporting.safe_cells import neutralise_frame
from analytics.filters import Filters
from analytics.ingest.pii import mask_personal_data
from analytics.profile import load_profile
from analytics.queries.business_issues import concentrated_issues, issue_summary, sector_issues
from analytics.queries.businesses import UNKNOWN, top_businesses
from analytics.queries.provenance import NO_DEMO, Provenance

ALL = Filters()
BUSINESS_COLUMNS = ["排名", "经营者", "行业", "区县", "投诉量", "办结量", "办结率", "解决率", "集中问题", "统计期间"]
SECTOR_COLUMNS = ["行业", "监管部门", "投诉量", "涉及经营者", "办结率", "解决率", "集中问题", "统计期间"]

# Left after masking, any run of 7+ digits, or 11+ digits split by spaces/dashes, is cut to 3 + 2
# digits (a date such as 2024-05-01 has 8 digits in short groups and stays readable).
_DIGIT_RUN = re.compile(r"\d{7,}|\d(?:[ -]?\d){10,}")


def public_text(value: object) -> object:
    """Text safe to publish: phones, ID and bank card numbers masked; non-text values unchanged."""
    if not isinstance(value, str):
        return value
    text = mask_personal_data(value)  # the importer's masker, so the UI, exports and the store mask alike
    return _DIGIT_RUN.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-2:], text or "")


def period_label(con: duckdb.DuckDBPyConnection, filters: Filters) -> str:
    """The period the table covers: the filter's dates, or the data's first/last day."""
    where, params = filters.where("c")
    first, last = con.execute(
        f"SELECT min(received_at)::DATE, max(received_at)::DATE FROM complaints c WHERE {where}", params
    ).fetchone()
    start = filters.date_from or first
    end = filters.date_to or last
    return f"{start} 至 {end}" if start and end else ""


def disclosure_by_business(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    min_complaints: int = 3,
    limit: int = 100,
    top_k: int = 3,
    ensure_topics: bool = False,
) -> pd.DataFrame:
    """One row per business with at least ``min_complaints`` complaints, most complained first.
    ``ensure_topics`` computes the period's topics first when missing (see business_issues)."""
    top = top_businesses(con, filters, limit=limit, min_complaints=min_complaints)
    if top.empty:
        return pd.DataFrame(columns=BUSINESS_COLUMNS)
    issues = concentrated_issues(con, filters, tuple(top["business"]), top_k=top_k, ensure=ensure_topics)
    text = issue_summary(issues, "business")
    out = pd.DataFrame(
        {
            "排名": top["rank"],
            "经营者": top["business"],
            "行业": top["sector"],
            "区县": top["county"],
            "投诉量": top["complaints"],
            "办结量": top["closed"],
            "办结率": top["closed_rate"].round(4),
            "解决率": top["resolution_rate"].round(4),
            "集中问题": top["business"].map(text).fillna(""),
            "统计期间": period_label(con, filters),
        }
    )
    return _public(out)


def disclosure_by_sector(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    top_k: int = 3,
    profile_path: str | None = None,
    ensure_topics: bool = False,
) -> pd.DataFrame:
    """One row per sector: complaints, businesses named, closed and resolved rates, main issues."""
    where, params = filters.where("c")
    df = con.execute(
        f"""
        SELECT coalesce(nullif(c.sector, ''), ?) AS sector, count(*) AS complaints,
               count(DISTINCT nullif(trim(c.business), '')) AS businesses,
               count(c.closed_at) / count(*) AS closed_rate,
               count(*) FILTER (WHERE c.resolved) / nullif(count(c.resolved), 0) AS resolution_rate
        FROM complaints c WHERE {where}
        GROUP BY ALL ORDER BY complaints DESC, sector
        """,
        [UNKNOWN, *params],
    ).df()
    if df.empty:
        return pd.DataFrame(columns=SECTOR_COLUMNS)
    profile = load_profile(profile_path) if profile_path else load_profile()
    text = issue_summary(sector_issues(con, filters, top_k=top_k, ensure=ensure_topics), "sector")
    out = pd.DataFrame(
        {
            "行业": df["sector"],
            "监管部门": [profile.regulator_of(s) for s in df["sector"]],
            "投诉量": df["complaints"].astype("int64"),
            "涉及经营者": df["businesses"].astype("int64"),
            "办结率": df["closed_rate"].astype("float64").round(4),
            "解决率": df["resolution_rate"].astype("float64").round(4),
            "集中问题": df["sector"].map(text).fillna(""),
            "统计期间": period_label(con, filters),
        }
    )
    return _public(out)


def _public(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object:
            out[column] = out[column].map(public_text)
    return out.reset_index(drop=True)


def to_csv_bytes(df: pd.DataFrame, provenance: Provenance = NO_DEMO) -> bytes:
    """UTF-8 with BOM (Excel opens it with the right encoding), formula cells neutralised; with demo
    rows a first column says 演示数据."""
    return provenance.csv_frame(neutralise_frame(_public(df))).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], provenance: Provenance = NO_DEMO) -> bytes:
    """One sheet per table, formula cells neutralised, rates formatted as percentages; with demo
    rows every sheet's name and printed header say 演示数据."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            sheet_name = provenance.sheet_name(name)
            neutralise_frame(_public(df)).to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            provenance.mark_sheet(sheet)
            for idx, column in enumerate(df.columns, start=1):
                letter = sheet.cell(row=1, column=idx).column_letter
                width = 40 if column == "集中问题" else 24 if column in ("经营者", "统计期间", "监管部门") else 10
                sheet.column_dimensions[letter].width = width
                if column.endswith("率"):
                    for cell in sheet[letter][1:]:
                        cell.number_format = "0.0%"
    return buffer.getvalue()
