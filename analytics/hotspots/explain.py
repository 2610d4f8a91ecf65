"""Why each hotspot ranks where it does: a Chinese sentence built from its largest contributions."""

from __future__ import annotations

import pandas as pd

from analytics.hotspots.scoring import UNIT_COLUMNS


def _pct(x: float | None) -> str:
    return "—" if x is None or pd.isna(x) else f"{100 * float(x):.0f}%"


def _both(f: pd.Series, unit: str, *, earlier: bool = False) -> str:
    """A count both ways, the unit the score counted (HOTSPOT_VOLUME_UNIT) first: 12 个事项（15 件次）
    or 15 件（12 个事项）, as the tables show 件次 and 事项 side by side."""
    cols = ("n_prev", "n_prev_matters") if earlier else ("n", "n_matters")
    complaints, matters = int(f[cols[0]]), int(f[cols[1]])
    if unit == "matters":
        return f"{matters} 个事项（{complaints} 件次）"
    return f"{complaints} 件（{matters} 个事项）"


def _phrase(component: str, f: pd.Series, top_businesses: list[str], n_rank: int, unit: str) -> str | None:
    now, before = UNIT_COLUMNS[unit]
    n, prev = int(f[now]), int(f[before])  # what the score counted: ratios and rises are of these
    if component == "volume":
        return f"{'' if unit == 'matters' else '投诉量 '}{_both(f, unit)}，居第 {n_rank} 位"
    if component == "growth":
        if f.get("baseline") == "next":  # first year of data: compared with the year after
            return (
                f"本期 {_both(f, unit)}，为次年同期 {_both(f, unit, earlier=True)}的 {n / max(prev, 1):.1f} 倍，"
                "属当年突出问题"
            )
        if prev == 0:
            return f"上年同期无此类投诉，本期新出现 {_both(f, unit)}"
        return f"较上年同期 {_both(f, unit, earlier=True)}增长 {100 * (n - prev) / prev:.0f}%"
    if component == "breadth":
        bits = []
        if f["n_counties"] > 0:
            bits.append(f"{int(f['n_counties'])} 个区县")
        if f["n_businesses"] > 0:
            bits.append(f"{int(f['n_businesses'])} 家经营者")
        return "涉及" + "、".join(bits) if bits else None
    if component == "concentration":
        names = "、".join(top_businesses[:3]) if top_businesses else "少数经营者"
        return f"{_pct(f['top3_business_share'])} 的投诉集中在{names}"
    if component == "focus":
        return f"{_pct(f['top_sector_share'])} 属同一行业，牵头部门明确"
    if component == "severity":
        parts = []
        if f["vulnerable_share"] > 0:
            parts.append(f"涉及老年人、学生、儿童等群体的占 {_pct(f['vulnerable_share'])}")
        if f["harm_share"] > 0:
            parts.append(f"提及健康安全损害的占 {_pct(f['harm_share'])}")
        if f["group_share"] > 0:
            parts.append(f"集体投诉占 {_pct(f['group_share'])}")
        if pd.notna(f["mean_amount"]) and f["mean_amount"] > 0:
            parts.append(f"平均涉案金额 {float(f['mean_amount']):,.0f} 元")
        return "，".join(parts[:2]) if parts else None
    if component == "persistence":
        return f"{int(f['active_months'])} 个月均有投诉（期内共 {int(f['months_in_period'])} 个月）"
    if component == "difficulty":
        parts = []
        if pd.notna(f["unresolved_share"]) and f["resolved_known"] > 0:
            parts.append(f"未解决 {_pct(f['unresolved_share'])}")
        if pd.notna(f["overdue_share"]):
            parts.append(f"超期 {_pct(f['overdue_share'])}")
        if pd.notna(f["repeat_share"]) and f["repeat_share"] > 0:
            parts.append(f"重复投诉 {_pct(f['repeat_share'])}")
        return "处置难：" + "、".join(parts) if parts else None
    if component == "support":
        return f"留言获点赞和反对共 {int(f['support_total'])} 次"
    return None


def why_sentences(
    ranking: pd.DataFrame,
    features: pd.DataFrame,
    contributions: pd.DataFrame,
    businesses: dict[int, list[str]] | None = None,
    top_parts: int = 3,
    unit: str = "matters",
) -> dict[int, str]:
    """topic_id -> "排第 2 位（61.3 分）。主要因为…；…。" from its largest weighted components."""
    # Plain dicts: a few hundred topics × eight components is too little work for pandas per row.
    feats = {int(r["topic_id"]): pd.Series(r) for r in features.to_dict("records")}
    counted = features[UNIT_COLUMNS[unit][0]].rank(ascending=False, method="min")
    n_rank = dict(zip(features["topic_id"].astype(int), counted, strict=True))
    parts_of: dict[int, list[dict]] = {}
    for part in contributions.to_dict("records"):
        parts_of.setdefault(int(part["topic_id"]), []).append(part)
    out: dict[int, str] = {}
    for tid, rank, score, shortlisted in zip(
        ranking["topic_id"].astype(int), ranking["rank"], ranking["score"], ranking["shortlisted"], strict=True
    ):
        f = feats[tid]
        parts = sorted(parts_of[tid], key=lambda p: -p["contribution"])
        phrases = []
        for part in parts:
            if part["contribution"] <= 0 or len(phrases) >= top_parts:
                continue
            text = _phrase(part["component"], f, (businesses or {}).get(tid, []), int(n_rank[tid]), unit)
            if text:
                # In words and counts only: a component's 0-1 value ("投诉量（0.58）") means nothing
                # to a 联席会议 reading the deck or the hotspot table.
                phrases.append(f"{part['label']}：{text}")
        weakest = min(parts, key=lambda p: p["value"])
        reason = "；".join(phrases) if phrases else "各项得分均较低"
        tail = f"；相对较弱的是{weakest['label']}" if phrases else ""
        head = f"排第 {int(rank)} 位（{score:.1f} 分）"
        if shortlisted:
            head += "，入选本期重点热点"
        out[tid] = f"{head}。主要因为{reason}{tail}。"
    return out
