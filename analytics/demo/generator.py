"""Draw the demo's rows: background complaints per sector plus the planted issues and bursts.

Every random choice comes from one ``numpy`` generator seeded by the caller, drawn in a fixed
order, so a seed always gives the same rows. Groups of rows are drawn as column arrays, then
sorted by arrival time; ``rows.finish`` adds closure, department, texts and ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from analytics.demo import businesses as biz
from analytics.demo import incidents as inc
from analytics.demo.incident_texts import OPENINGS as INCIDENT_OPENINGS
from analytics.demo.planted import EVENTS, ISSUES, PlantedTheme, event_rows, issue_rows
from analytics.demo.sectors import SECTORS
from analytics.demo.timing import START, base_day_weights, n_days, sector_day_weights
from analytics.profile import RegionProfile

SOURCES = ("12345", "12315", "消委会")
SOURCE_SHARES = (0.55, 0.35, 0.10)
KINDS = ("投诉", "咨询", "举报", "求助", "建议")
KIND_BY_SOURCE = {
    "12345": (0.55, 0.22, 0.08, 0.09, 0.06),
    "12315": (0.68, 0.14, 0.16, 0.01, 0.01),
    "消委会": (0.80, 0.17, 0.01, 0.01, 0.01),
}
PLANTED_KINDS = (0.80, 0.06, 0.10, 0.03, 0.01)
# Complaints per resident differ a little: the urban district calls more, remote counties less.
COUNTY_FACTOR = {"清城区": 1.25, "清新区": 1.0, "英德市": 0.95, "连州市": 0.9, "佛冈县": 1.0, "阳山县": 0.85}
# Issue themes spread a little off-year so they rise (prior year) and fade (next year).
PRIOR_SHARE, NEXT_SHARE = 0.12, 0.35


@dataclass
class Group:
    """Column arrays for a block of rows (object arrays hold strings)."""

    day: np.ndarray
    county: np.ndarray  # index into profile.counties
    sector: np.ndarray  # sector name
    source: np.ndarray
    kind: np.ndarray
    business: np.ndarray  # name or None
    biz_text: np.ndarray  # how the text refers to the business
    problem: np.ndarray
    detail: np.ndarray  # theme-specific detail sentence or None (a generic one is used)
    opening: np.ndarray  # own opening or None (one for the kind of complaint is used)
    demand: np.ndarray  # theme-specific demand or None (a generic one for the kind is used)
    title: np.ndarray
    product: np.ndarray
    amount: np.ndarray
    theme: np.ndarray  # planted theme or None
    truth_kind: np.ndarray
    overdue_factor: np.ndarray
    resolve_factor: np.ndarray

    @classmethod
    def concat(cls, groups: list[Group]) -> Group:
        return cls(**{f: np.concatenate([getattr(g, f) for g in groups]) for f in cls.__dataclass_fields__})

    def take(self, order: np.ndarray) -> Group:
        return Group(**{f: getattr(self, f)[order] for f in self.__dataclass_fields__})


def _obj(values) -> np.ndarray:
    items = list(values)
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr


def _pick(rng: np.random.Generator, pool, n: int) -> np.ndarray:
    return _obj(pool[i] for i in rng.integers(0, len(pool), n))


def county_weights(profile: RegionProfile) -> np.ndarray:
    w = np.array([c.population * COUNTY_FACTOR.get(c.name, 0.85) for c in profile.counties], dtype=float)
    return w / w.sum()


def _sources_kinds(rng: np.random.Generator, n: int, kind_shares=None) -> tuple[np.ndarray, np.ndarray]:
    src = rng.choice(len(SOURCES), n, p=SOURCE_SHARES)
    kinds = np.empty(n, dtype=np.int64)
    for si, name in enumerate(SOURCES):
        mask = src == si
        kinds[mask] = rng.choice(len(KINDS), int(mask.sum()), p=kind_shares or KIND_BY_SOURCE[name])
    return _obj(SOURCES[i] for i in src), _obj(KINDS[i] for i in kinds)


def _amounts(rng: np.random.Generator, n: int, median: float, sigma: float) -> np.ndarray:
    if median <= 0:
        return np.full(n, np.nan)
    raw = np.exp(np.log(median) + sigma * rng.standard_normal(n))
    # Round the way people quote money: whole yuan, tens or hundreds for big sums.
    step = np.where(raw >= 5000, 100.0, np.where(raw >= 500, 10.0, 1.0))
    return np.maximum(np.round(raw / step) * step, 1.0)


def _business_for(
    rng: np.random.Generator, tables: list[list[str]], county: np.ndarray, chains, shorts, share: float, chain_p: float
):
    """Business column and text reference for rows of one sector or theme."""
    n = len(county)
    pool = len(tables[0])
    ranks = biz.zipf_ranks(rng, n, pool)
    chain_draw = rng.random(n)
    chain_idx = rng.integers(0, max(len(chains), 1), n)
    named = rng.random(n) < share
    out = np.empty(n, dtype=object)
    for i in range(n):
        if not named[i]:
            continue
        if chains and chain_draw[i] < chain_p:
            brand, kind = chains[chain_idx[i]]
            out[i] = biz.branch(brand, kind, shorts[county[i]])
        else:
            out[i] = tables[county[i]][ranks[i]]
    return out


def _biz_text(rng: np.random.Generator, business: np.ndarray, biz_types) -> np.ndarray:
    # "房地产开发有限公司" -> "一家房地产开发公司": how a caller names a business they do not name.
    generic_names = [f"一家{t.removesuffix('有限公司')}{'公司' if t.endswith('有限公司') else ''}" for t in biz_types]
    generic = _pick(rng, generic_names, len(business))
    return np.where(business == None, generic, business)  # noqa: E711 (elementwise on object array)


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\{[a-z]+\}", "|", text)
    return {text[i : i + 2] for i in range(len(text) - 1)} - {"的", "了"}


def title_from_problem(problem: str) -> str:
    """A short title written from the problem itself: business dropped, first clause kept
    ("{biz}淋浴没有热水" -> "淋浴没有热水", "在{biz}买的{product}已经过了保质期" -> "{product}已经过了保质期")."""
    title = re.sub(r"在?(网上)?\{biz\}的?", "", problem).split("，")[0].strip("，、 ")
    return re.sub(r"^(买的|卖的|销售的|派来的|买回来的)", "", title)


@cache
def _matching_titles(problems: tuple[str, ...], titles: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Per problem, the titles that share wording with it, else one written from the problem.

    (A pool of catch-all titles such as 消费纠纷 would form a fake cross-sector topic.)"""
    out = []
    for p in problems:
        grams = _bigrams(p)
        scored = [(len(grams & _bigrams(t.replace("{product}", ""))), t) for t in titles]
        best = max(s for s, _ in scored)
        hits = tuple(t for s, t in scored if s > 0 and s >= best - 1)
        out.append(hits or (title_from_problem(p),))
    return tuple(out)


def _problems_titles(
    rng: np.random.Generator, problems, titles, n: int, mix: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Problem sentences and a title that fits each (a title drawn blind would often contradict it).

    With ``mix`` > 0 that share of problems joins the opening clauses of one template to the last
    clause of another of the same pool, so a planted theme is many sentences sharing its words
    rather than a few templates a topic model would split apart."""
    pi = rng.integers(0, len(problems), n)
    ui = rng.random(n)
    matching = _matching_titles(tuple(problems), tuple(titles))
    prob = _obj(problems[i] for i in pi)
    tit = _obj(matching[i][int(u * len(matching[i]))] for i, u in zip(pi, ui, strict=True))
    if mix > 0:
        heads = [p.rsplit("，", 1)[0] for p in problems]
        tails = [p.rsplit("，", 1)[-1] if "，" in p else "" for p in problems]
        other = rng.integers(0, len(problems), n)
        mixed = np.flatnonzero(rng.random(n) < mix)
        for i in mixed:
            tail = tails[other[i]]
            if tail and "，" in problems[pi[i]]:
                prob[i] = heads[pi[i]] + "，" + tail
    return prob, tit


def _days(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(weights), n, p=weights / weights.sum())


def background(rng: np.random.Generator, profile: RegionProfile, n: int, towns, shorts) -> Group:
    names = profile.sector_names
    texts = [SECTORS.get(s, SECTORS["其他"]) for s in names]
    shares = np.array([t.share if s in SECTORS else 0.5 for s, t in zip(names, texts, strict=True)])
    sector_idx = rng.choice(len(names), n, p=shares / shares.sum())
    county = rng.choice(len(profile.counties), n, p=county_weights(profile))
    base = base_day_weights()
    pool = int(np.clip(n / 500, 12, 400))
    day = np.zeros(n, dtype=np.int64)
    business = np.empty(n, dtype=object)
    biz_text = np.empty(n, dtype=object)
    problem = np.empty(n, dtype=object)
    title = np.empty(n, dtype=object)
    product = np.empty(n, dtype=object)
    amount = np.zeros(n)
    for si, (name, text) in enumerate(zip(names, texts, strict=True)):
        mask = np.flatnonzero(sector_idx == si)
        m = len(mask)
        day[mask] = _days(rng, sector_day_weights(name, base), m)
        table = biz.name_table(rng, text.biz_types, profile.county_names, towns, pool)
        chains = biz.chain_names(rng, text.biz_types, 3)
        business[mask] = _business_for(rng, table, county[mask], chains, shorts, text.business_share, 0.15)
        biz_text[mask] = _biz_text(rng, business[mask], text.biz_types)
        problem[mask], title[mask] = _problems_titles(rng, text.problems, text.titles, m)
        product[mask] = _pick(rng, text.products, m)
        amount[mask] = _amounts(rng, m, *text.amount)
    source, kind = _sources_kinds(rng, n)
    none = np.full(n, None, dtype=object)
    return Group(
        day=day, county=county, sector=_obj(names[i] for i in sector_idx), source=source, kind=kind,
        business=business, biz_text=biz_text, problem=problem, detail=none.copy(), opening=none.copy(),
        demand=none.copy(),
        title=title, product=product,
        amount=amount, theme=none, truth_kind=none.copy(), overdue_factor=np.ones(n), resolve_factor=np.ones(n),
    )  # fmt: skip


def _planted_group(
    rng: np.random.Generator,
    theme: PlantedTheme,
    day: np.ndarray,
    county: np.ndarray,
    business: np.ndarray,
    overdue: float,
    resolve: float,
) -> Group:
    n = len(day)
    source, kind = _sources_kinds(rng, n, PLANTED_KINDS)
    problems, titles = _problems_titles(rng, theme.problems, theme.titles, n, mix=0.6)
    return Group(
        day=day,
        county=county,
        sector=_obj([theme.sector] * n),
        source=source,
        kind=kind,
        business=business,
        biz_text=_biz_text(rng, business, theme.biz_types),
        problem=problems,
        detail=np.where(rng.random(n) < 0.75, _pick(rng, theme.details, n), None),
        opening=np.full(n, None, dtype=object),
        demand=np.where((rng.random(n) < 0.8) & np.isin(kind, ("投诉", "求助")), _pick(rng, theme.demands, n), None),
        title=titles,
        product=_pick(rng, theme.products, n),
        amount=_amounts(rng, n, *theme.amount),
        theme=_obj([theme.theme] * n),
        truth_kind=_obj([theme.kind] * n),
        overdue_factor=np.full(n, overdue),
        resolve_factor=np.full(n, resolve),
    )


def issue(rng: np.random.Generator, profile: RegionProfile, theme: PlantedTheme, rows: int, towns) -> Group:
    """An issue: its peak year, a small start the year before and a fading tail the year after."""
    peak = issue_rows(rows)
    base = base_day_weights()
    counts = {theme.year: peak}
    if theme.year - 1 >= START.year:
        counts[theme.year - 1] = round(peak * PRIOR_SHARE)
    if theme.year + 1 <= 2025:
        counts[theme.year + 1] = round(peak * NEXT_SHARE)
    pool = int(np.clip(peak / 6, 20, 400))
    table = biz.name_table(rng, theme.biz_types, profile.county_names, towns, pool)
    days = []
    for year, n in sorted(counts.items()):
        a = (START.replace(year=year) - START).days
        b = min(a + 366, n_days()) if year % 4 == 0 else min(a + 365, n_days())
        w = base[a:b].copy()
        # Build-up: the prior year's few rows come late, the peak year grows through the year.
        ramp = np.linspace(0.2, 1.8, b - a) if year < theme.year else np.linspace(1.4, 0.5, b - a)
        if year == theme.year:
            ramp = np.linspace(0.7, 1.3, b - a)
        days.append(a + _days(rng, w * ramp, n))
    day = np.concatenate(days)
    county = rng.choice(len(profile.counties), len(day), p=county_weights(profile))
    shorts = [c.aliases[0] if c.aliases else c.name for c in profile.counties]
    business = _business_for(rng, table, county, [], shorts, 0.95, 0.0)
    prepaid = "跑路" in theme.theme or "退费" in theme.theme
    return _planted_group(rng, theme, day, county, business, 2.0 if prepaid else 1.2, 0.6 if prepaid else 0.8)


def event(rng: np.random.Generator, profile: RegionProfile, theme: PlantedTheme, n: int) -> Group:
    """A burst: most complaints in the first days after ``start``, all within ``start..end``."""
    span = (theme.end - theme.start).days + 1
    w = np.exp(-np.arange(span) / 5.0)
    w[0] *= 0.6  # the news spreads during the first day
    first = (theme.start - START).days
    day = first + _days(rng, w, n)
    day[0] = first  # the burst starts on its start date, whatever the draw
    index = {c: i for i, c in enumerate(profile.county_names)}
    county = np.array([index[c] for c in theme.counties])[
        rng.choice(len(theme.counties), n, p=_split(len(theme.counties)))
    ]
    shorts = [c.aliases[0] if c.aliases else c.name for c in profile.counties]
    business = _obj(f"{theme.business}（{shorts[c]}店）" for c in county)
    return _planted_group(rng, theme, day, county, business, 1.5, 0.5)


def _split(k: int) -> np.ndarray:
    w = np.array([0.58, 0.42, 0.3, 0.2][:k]) if k <= 4 else np.ones(k)
    return w / w.sum()


def incident(rng: np.random.Generator, profile: RegionProfile, planted: inc.Incident) -> Group:
    """An incident or look-alike: no business column, its thing named in the text in varied ways."""
    n = planted.size
    day = (planted.start - START).days + inc.arrival_days(rng, planted)
    index = {c: i for i, c in enumerate(profile.county_names)}
    if planted.county is None:
        county = rng.choice(len(profile.counties), n, p=county_weights(profile))
    else:
        county = np.full(n, index[planted.county])
    source, kind = _sources_kinds(rng, n, PLANTED_KINDS)
    problems, titles = _problems_titles(rng, planted.problems, planted.titles, n, mix=0.4)
    # Title, content and demand each name the thing in their own way (one message says 翠湖湾 in the
    # title and 恒泰翠湖湾小区 in the text).
    forms = planted.forms()
    named = [_pick(rng, forms, n) for _ in range(3)]
    demands = _pick(rng, planted.demands, n)
    fill = np.vectorize(lambda text, obj: None if text is None else text.replace("{obj}", obj), otypes=[object])
    return Group(
        day=day,
        county=county,
        sector=_obj([planted.kind.sector] * n),
        source=source,
        kind=kind,
        business=np.full(n, None, dtype=object),
        biz_text=named[1],
        problem=fill(problems, named[1]),
        detail=_pick(rng, planted.details, n),
        opening=_pick(rng, INCIDENT_OPENINGS, n),
        demand=fill(demands, named[2]),
        title=fill(titles, named[0]),
        product=_obj([""] * n),
        amount=_amounts(rng, n, *planted.kind.amount),
        theme=_obj([planted.label] * n),
        truth_kind=_obj([planted.truth_kind] * n),
        overdue_factor=np.full(n, 1.3),
        resolve_factor=np.full(n, 0.6),
    )


def draw_groups(rng: np.random.Generator, profile: RegionProfile, rows: int) -> tuple[Group, list[inc.Incident]]:
    """All rows of the demo, unsorted: planted first (their sizes are fixed), background fills up;
    and the incidents planted (with their look-alikes)."""
    towns = [c.towns or (c.name,) for c in profile.counties]
    shorts = [c.aliases[0] if c.aliases else c.name for c in profile.counties]
    planted = [issue(rng, profile, t, rows, towns) for t in ISSUES]
    for i, t in enumerate(EVENTS):
        planted.append(event(rng, profile, t, round(event_rows(rows) * (1.0 if i == 0 else 0.7))))
    incidents = inc.plan(rng, profile.county_names, county_weights(profile))
    planted.extend(incident(rng, profile, p) for p in incidents)
    n_planted = sum(len(g.day) for g in planted)
    if n_planted >= rows * 0.6:
        from analytics.errors import UserError

        raise UserError(f"--rows {rows} is too small for the planted themes; use at least 2,000.")
    return Group.concat([background(rng, profile, rows - n_planted, towns, shorts), *planted]), incidents
