"""Numbers and sentences in Chinese, shared by the deck and the report: formatting, 环比/同比
phrases, the headline table and the written paragraphs."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from analytics.exporting.data import ReportData

_FLAT = 0.0005  # below 0.05 % (or 0.05 percentage points) a change is reported as 持平


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def display_width(text: str) -> int:
    """Width in half-width characters: a Chinese character or full-width mark counts twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fmt_int(value: Any) -> str:
    return "—" if _missing(value) else f"{int(value):,}"


def fmt_pct(value: Any, digits: int = 1) -> str:
    return "—" if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def fmt_money(value: Any) -> str:
    """Yuan as 万元 with two decimals."""
    return "—" if _missing(value) else f"{float(value) / 10_000:,.2f} 万元"


def change(current: Any, reference: Any) -> float | None:
    """Relative change, None when it cannot be computed (no reference, reference 0)."""
    if _missing(current) or _missing(reference) or float(reference) == 0:
        return None
    return (float(current) - float(reference)) / float(reference)


def change_phrase(current: Any, reference: Any, *, rate: bool = False) -> str:
    """增长 12.3% / 下降 4.0% / 持平; for rates 上升 1.2 个百分点. — when there is nothing to compare."""
    if _missing(current) or _missing(reference):
        return "—"
    if rate:
        diff = float(current) - float(reference)
        if abs(diff) < _FLAT:
            return "持平"
        return f"{'上升' if diff > 0 else '下降'} {abs(diff) * 100:.1f} 个百分点"
    rel = change(current, reference)
    if rel is None:
        return "—" if float(current) == 0 else "上期为零"
    if abs(rel) < _FLAT:
        return "持平"
    return f"{'增长' if rel > 0 else '下降'} {abs(rel) * 100:.1f}%"


# (key in headline dict, Chinese name, kind) — kind: count, rate or money.
HEADLINE = [
    ("total", "受理总量（件）", "count"),
    ("matters", "事项（同一案件多次、多渠道投诉计一次）", "count"),
    ("complaints", "投诉（件）", "count"),
    ("reports", "举报（件）", "count"),
    ("enquiries", "咨询、求助、建议（件）", "count"),
    ("closed_rate", "办结率", "rate"),
    ("resolved_rate", "解决率", "rate"),
    ("on_time_rate", "按时办结率（目标 98%）", "rate"),
    ("amount", "涉及金额", "money"),
    ("businesses", "被投诉经营者（家）", "count"),
    ("repeat_rate", "重复投诉率（同一事项投诉两次及以上）", "rate"),
]


def headline_values(data: ReportData) -> list[dict[str, Any] | None]:
    """The headline dicts of this period, the 环比 and the 同比 period (on-time rate merged in)."""
    out: list[dict[str, Any] | None] = []
    for head, on_time in (
        (data.headline, data.on_time),
        (data.headline_previous, data.on_time_previous),
        (data.headline_last_year, data.on_time_last_year),
    ):
        out.append(None if head is None else {**head, "on_time_rate": (on_time or {}).get("on_time_rate")})
    return out


def headline_rows(data: ReportData) -> list[dict[str, Any]]:
    """Rows of the overview table: name, value, text, previous (环比 phrase), last_year (同比 phrase)."""
    now, prev, last = headline_values(data)
    rows = []
    for key, name, kind in HEADLINE:
        value = now.get(key)
        text = {"count": fmt_int, "rate": fmt_pct, "money": fmt_money}[kind](value)
        rows.append(
            {
                "key": key,
                "name": name,
                "value": value,
                "text": text,
                "previous": change_phrase(value, prev.get(key) if prev else None, rate=kind == "rate"),
                "last_year": change_phrase(value, last.get(key) if last else None, rate=kind == "rate"),
            }
        )
    return rows


def overview_paragraph(data: ReportData) -> str:
    """The opening paragraph: volume with 环比 and 同比, kinds, closure and resolution."""
    now, prev, last = headline_values(data)
    p = data.period
    compare = []
    if prev:
        compare.append(
            f"环比{change_phrase(now['total'], prev['total'])}（{data.previous.label}：{fmt_int(prev['total'])} 件）"
        )
    if last:
        compare.append(
            f"同比{change_phrase(now['total'], last['total'])}（{data.last_year.label}：{fmt_int(last['total'])} 件）"
        )
    text = f"{p.label}（{p.span}），{data.region}共受理消费投诉、举报和咨询 {fmt_int(now['total'])} 件"
    text += "，" + "，".join(compare) + "。" if compare else "。"
    text += (
        f"其中投诉 {fmt_int(now['complaints'])} 件、举报 {fmt_int(now['reports'])} 件、"
        f"咨询求助建议 {fmt_int(now['enquiries'])} 件；办结率 {fmt_pct(now['closed_rate'])}，"
        f"解决率 {fmt_pct(now['resolved_rate'])}，涉及金额 {fmt_money(now['amount'])}。"
    )
    if data.partial:
        text += f"本期数据截至 {data.data_to}，尚不完整。"
    if p.note:
        text += f"统计口径：{p.note}。"
    return text


def ranking_phrase(frame: pd.DataFrame, name_col: str, *, n: int = 3, unit: str = "件") -> str:
    """清城区（120 件）、英德市（98 件）和佛冈县（77 件）"""
    items = [
        f"{k}（{fmt_int(v)} {unit}）" for k, v in zip(frame[name_col].head(n), frame["count"].head(n), strict=True)
    ]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def movers_phrase(frame: pd.DataFrame, name_col: str, ref_col: str, label: str) -> str:
    """The biggest rise against ``ref_col`` (previous or last_year): 增幅最大的是 X（增长 35.0%）."""
    if ref_col not in frame or frame[ref_col].isna().all():
        return ""
    f = frame[frame[ref_col].fillna(0) > 0].copy()
    if f.empty:
        return ""
    f["rel"] = (f["count"] - f[ref_col]) / f[ref_col]
    top = f.sort_values("rel", ascending=False).iloc[0]
    if top["rel"] <= 0:
        return f"各{label}{'同比' if ref_col == 'last_year' else '环比'}均未增长。"
    word = "同比" if ref_col == "last_year" else "环比"
    return f"{word}增幅最大的{label}是{top[name_col]}（{change_phrase(top['count'], top[ref_col])}）。"


def hotspot_sentence(row: pd.Series | dict[str, Any], data: ReportData) -> str:
    """One hotspot in a sentence: size (件次 and 事项), 同比 (of 件次, as 去年同期), where, which
    sector, who regulates it."""
    text = f"“{row['label']}”本期 {fmt_int(row['count'])} 件"
    if not _missing(row.get("matters")):  # hotspot_frames fills it: one case reported again counts once
        text += f"（{fmt_int(row['matters'])} 个事项）"
    if not _missing(row.get("last_year")) and data.last_year is not None:
        text += f"，同比{change_phrase(row['count'], row['last_year'])}"
    if row.get("counties"):
        text += f"，主要涉及{row['counties']}"
    if row.get("sectors"):
        text += f"，集中在{row['sectors']}领域"
    text += f"；建议由{row['regulator']}牵头处置。" if row.get("regulator") else "。"
    return text


def timeliness_paragraph(data: ReportData) -> str:
    t = data.on_time
    rate = t.get("on_time_rate")
    if rate is None:
        return "本期尚无到期件，按时办结率暂不可计算。"
    verdict = "达到" if rate >= data.target else "未达到"
    text = (
        f"按时办结率 {fmt_pct(rate)}，{verdict} {fmt_pct(data.target)} 的目标（到期 {fmt_int(t['due'])} 件，"
        f"按时办结 {fmt_int(t['closed_on_time'])} 件，超期办结 {fmt_int(t['closed_late'])} 件，"
        f"超期未办结 {fmt_int(t['open_overdue'])} 件；统计截至 {t.get('as_of')}）。"
    )
    below = data.on_time_counties[data.on_time_counties["on_time_rate"] < data.target]
    if len(below):
        names = "、".join(f"{g}（{fmt_pct(r)}）" for g, r in zip(below["group"], below["on_time_rate"], strict=True))
        text += f"低于目标的区县：{names}。"
    return text
