"""Turn drawn groups into the ``complaints`` frame: times, closure, department, texts and ids."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from analytics.demo import texts
from analytics.demo.generator import Group
from analytics.demo.timing import DEADLINE_DAYS, END, HOUR_WEIGHTS, START, add_working_days
from analytics.profile import RegionProfile

BASE_OVERDUE = 0.014  # most counties meet the 98% on-time target; the slow ones do not
# Where handling is slow: two mountain counties and one overloaded district bureau.
COUNTY_OVERDUE = {"连南瑶族自治县": 4.5, "阳山县": 3.8, "连山壮族瑶族自治县": 1.6}
SLOW_DEPARTMENT = "清新区市场监督管理局"
SLOW_DEPARTMENT_FACTOR = 6.0
CITY_LEVEL = ("通信管理局", "邮政管理局")
CHANNELS = {
    "12345": (("电话", "网络留言", "微信", "粤省事"), (0.68, 0.17, 0.10, 0.05)),
    "12315": (("电话", "全国12315平台", "微信小程序"), (0.38, 0.52, 0.10)),
    "消委会": (("来访", "电话", "网络"), (0.30, 0.40, 0.30)),
}
RESOLVE = {"咨询": 0.96, "建议": 0.88, "求助": 0.82, "投诉": 0.81, "举报": 0.84}
STUCK_SHARE = 0.25  # of the overdue 投诉/举报 received since July 2025
_STUCK_FROM = (date(2025, 7, 1) - START).days
_EPOCH = np.datetime64(START.isoformat(), "s")
_END_TS = np.datetime64(END.isoformat(), "s") + np.timedelta64(86_399, "s")


def arrival_seconds(rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
    """Seconds since START for each row: its day plus an hour from the hotline's daily profile."""
    n = len(day)
    hour = rng.choice(24, n, p=HOUR_WEIGHTS)
    return day * 86_400 + hour * 3_600 + rng.integers(0, 3_600, n)


def department(source: str, sector: str, county: str, regulator: str) -> str:
    """承办单位: 12315 goes to the county market regulator, 消委会 to its county branch, 12345 per sector."""
    if source == "12315":
        return f"{county}市场监督管理局"
    if source == "消委会":
        return f"{county}消费者委员会"
    if regulator.startswith("国家"):
        return regulator
    if regulator in CITY_LEVEL:
        return f"清远市{regulator}"
    return f"{county}{regulator}"


def finish(rng: np.random.Generator, profile: RegionProfile, g: Group) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sort by arrival and add every remaining column; returns (complaints, demo_truth)."""
    secs = arrival_seconds(rng, g.day)
    order = np.lexsort((rng.random(len(secs)), secs))
    g = g.take(order)
    secs = secs[order]
    n = len(secs)
    received = _EPOCH + secs.astype("timedelta64[s]")
    counties = profile.county_names
    county = [counties[i] for i in g.county]
    towns = [c.towns or (c.name,) for c in profile.counties]
    u_town = rng.random(n)
    town = [towns[c][int(u * len(towns[c]))] for c, u in zip(g.county, u_town, strict=True)]
    regulators = {s: profile.regulator_of(s) for s in profile.sector_names}
    dept = [
        department(src, sec, cty, regulators.get(sec) or "市场监督管理局")
        for src, sec, cty in zip(g.source, g.sector, county, strict=True)
    ]

    # Closure: k working days after arrival, within the deadline unless drawn overdue.
    deadline = np.array([DEADLINE_DAYS[k] for k in g.kind])
    c_factor = np.array([COUNTY_OVERDUE.get(c, 1.0) for c in county])
    d_factor = np.array([SLOW_DEPARTMENT_FACTOR if d == SLOW_DEPARTMENT else 1.0 for d in dept])
    p_over = np.minimum(BASE_OVERDUE * c_factor * d_factor * g.overdue_factor, 0.6)
    overdue = rng.random(n) < p_over
    on_time_k = np.floor((deadline + 1) * rng.random(n) ** 1.7).astype(np.int64)
    late_k = deadline + 1 + rng.geometric(0.14, n)
    k = np.where(overdue, late_k, np.minimum(on_time_k, deadline))
    close_day = add_working_days(g.day, k)
    close_secs = close_day * 86_400 + 30_600 + rng.integers(0, 34_200, n)  # 08:30 .. 18:00
    too_early = close_secs <= secs
    close_secs = np.where(too_early, secs + rng.integers(1_200, 14_400, n), close_secs)
    closed = _EPOCH + close_secs.astype("timedelta64[s]")
    # Still open on 2025-12-31: recent arrivals, plus a few overdue 2025 cases stuck in handling.
    stuck = overdue & (g.day >= _STUCK_FROM) & np.isin(g.kind, ("投诉", "举报")) & (rng.random(n) < STUCK_SHARE)
    open_ = (closed > _END_TS) | stuck

    # Resolution: by kind, worse where handling is slow and for runaway businesses.
    p_res = np.array([RESOLVE[k] for k in g.kind]) * g.resolve_factor
    p_res = p_res * np.where(c_factor > 2, 0.9, 1.0) * np.where(overdue, 0.8, 1.0)
    resolved = rng.random(n) < p_res

    amount = g.amount.copy()
    # Amounts are whole yuan (see generator._amounts); sectors without one get a small sum for texts.
    filler = rng.integers(50, 500, n)
    amount_str = [str(int(a)) if a == a else str(f) for a, f in zip(amount.tolist(), filler.tolist(), strict=True)]
    missing = rng.random(n) < np.array([0.7 if k in ("咨询", "建议") else 0.15 for k in g.kind])
    amount[missing] = np.nan

    # Text context; numbers are drawn even when a template does not use them (fixed draw order).
    inc_day = np.maximum(g.day - rng.geometric(0.2, n) + 1, 0)
    calendar = [START + timedelta(days=d) for d in range(int(inc_day.max()) + 1)]
    short_dates = [f"{d.month}月{d.day}日" for d in calendar]
    long_dates = [f"{d.year}年{d.month}月{d.day}日" for d in calendar]
    long_form = rng.random(n) < 0.3
    date_s = [
        long_dates[d] if lf else short_dates[d] for d, lf in zip(inc_day.tolist(), long_form.tolist(), strict=True)
    ]
    months = [str(d.month) for d in calendar]
    ratio = 2.0 + 3.0 * rng.random(n)
    low_values = np.maximum(1, np.nan_to_num(g.amount / ratio, nan=20.0)).astype(np.int64)
    low = [str(v) for v in low_values.tolist()]
    ctx = {
        "biz": g.biz_text,
        "product": g.product,
        "town": town,
        "date": date_s,
        "month": [months[d] for d in inc_day.tolist()],
        "amount": amount_str,
        "low": low,
        "high": amount_str,
        "n": [str(x) for x in rng.integers(2, 13, n)],
        "pct": [str(x) for x in rng.integers(3, 9, n) * 10],
        "age": [str(x) for x in rng.integers(66, 89, n)],
        "phone": texts.masked_phones(rng, n),
    }
    title, content = texts.compose(
        g.kind, g.problem, g.detail, g.demand, g.title, ctx, rng.random((n, 6)), openings=g.opening
    )
    result = texts.result_texts(g.kind, resolved, open_, amount_str, rng.random(n))
    complainant = texts.complainants(rng, n)

    channel = np.empty(n, dtype=object)
    u_ch = rng.random(n)
    for src, (names, probs) in CHANNELS.items():
        mask = g.source == src
        picks = np.minimum(np.searchsorted(np.cumsum(probs), u_ch[mask]), len(names) - 1)
        channel[mask] = np.array(names, dtype=object)[picks]
    web = np.isin(channel, ("网络留言", "网络"))
    # Message-board readers back the widely shared problems: planted rows draw more likes.
    planted_row = g.theme != None  # noqa: E711 (elementwise on object array)
    likes = np.where(planted_row, rng.geometric(0.12, n), rng.geometric(0.35, n)) - 1
    support = np.where(web, likes, -1)
    opposition = np.where(web, rng.geometric(0.7, n) - 1, -1)

    frame = pd.DataFrame(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "complaint_id": _complaint_ids(g.source, received),
            "source": g.source.astype(str),
            "received_at": received.astype("datetime64[us]"),
            "closed_at": np.where(open_, np.datetime64("NaT"), closed).astype("datetime64[us]"),
            "kind": g.kind.astype(str),
            "county": county,
            "town": town,
            "sector": g.sector.astype(str),
            "sector_inferred": np.zeros(n, dtype=bool),
            "business": g.business,
            "title": title,
            "content": content,
            "result": result,
            "resolved": pd.array(np.where(open_, None, resolved), dtype="boolean"),
            "department": dept,
            "amount": amount,
            "support": pd.array(np.where(support >= 0, support, None), dtype="Int32"),
            "opposition": pd.array(np.where(opposition >= 0, opposition, None), dtype="Int32"),
            "complainant": complainant,
            "extras": [f'{{"来源渠道": "{c}"}}' for c in channel],
        }
    )
    frame["dedupe_key"] = frame["source"] + ":" + frame["complaint_id"]
    frame["batch_id"] = "demo"
    planted = np.flatnonzero(g.theme != None)  # noqa: E711
    truth = pd.DataFrame(
        {
            "complaint_id": frame["complaint_id"].to_numpy()[planted],
            "theme": g.theme[planted].astype(str),
            "year": received[planted].astype("datetime64[Y]").astype(int) + 1970,
            "kind": g.truth_kind[planted].astype(str),
        }
    )
    return frame, truth


def _complaint_ids(source: np.ndarray, received: np.ndarray) -> list[str]:
    """Export-style ids, numbered per source and day: 12345 work orders, 12315 and 消委会 case numbers."""
    day = received.astype("datetime64[D]")
    frame = pd.DataFrame({"s": source.astype(str), "d": day})
    seq = frame.groupby(["s", "d"], sort=False).cumcount().to_numpy() + 1
    ymd = pd.DatetimeIndex(day).strftime("%Y%m%d").to_numpy()
    out = []
    for s, d, q in zip(frame["s"].to_numpy(), ymd, seq, strict=True):
        if s == "12345":
            out.append(f"QY{d}{q:05d}")
        elif s == "12315":
            out.append(f"1441800{d}{q:04d}")
        else:
            out.append(f"XWH{d}{q:04d}")
    return out


def now_naive() -> datetime:
    return datetime.now().replace(microsecond=0)
