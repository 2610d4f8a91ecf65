"""Planted incidents: 15–60 complaints about one named thing over one to three months, with look-alikes.

An incident is planted the way real exports carry one: no business column, the estate, lender,
school or road named in the text in varied ways, over 30–90 days. Each comes with look-alikes an
event engine must keep apart from it (``incident_texts``): a twin (the same kind of thing, another
name, another county, about the same time, a similar problem) and a few generic complaints with the
same words that name nothing.

What is planted, where and when is drawn from the demo's random generator: another seed gives
other kinds, names, years, counties, sizes and spans. ``demo_truth`` gets kind 'incident' for the
incident's rows and 'lookalike' for the look-alikes, with the label as theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from analytics.demo.incident_texts import DEVELOPERS, GENERIC_DEMANDS, KINDS, IncidentKind

INCIDENTS = (4, 6)  # how many incidents a demo plants (inclusive)
SIZE = (15, 60)  # complaints of one incident (inclusive)
SPAN_DAYS = (30, 90)  # first to last complaint, both days counted (inclusive)
TWIN_SHARE = (0.5, 0.9)  # the twin's size against the incident's
TWIN_SHIFT = 20  # the twin starts up to this many days before or after the incident
GENERIC = (4, 8)  # generic look-alike complaints over the incident's year
YEARS = (2021, 2025)


@dataclass(frozen=True)
class Incident:
    """One planted group of rows: an incident or one of its look-alikes."""

    label: str  # demo_truth.theme
    truth_kind: str  # 'incident' or 'lookalike'
    kind: IncidentKind
    role: str  # 'incident', 'twin' or 'generic'
    name: str | None  # the thing named in the text (None: generic complaints name nothing)
    developer: str  # written before an estate's name in some messages ("恒泰翠湖湾")
    county: str | None  # None: spread over the region's counties
    start: date
    end: date
    size: int
    # Each row arrives on ``start``, ``end`` or a day between (both are used once: the span is exact).
    pinned: bool = True

    @property
    def titles(self) -> tuple[str, ...]:
        return {"incident": self.kind.titles, "twin": self.kind.twin_titles}.get(self.role, self.kind.generic_titles)

    @property
    def problems(self) -> tuple[str, ...]:
        return {"incident": self.kind.problems, "twin": self.kind.twin_problems}.get(self.role, self.kind.generic)

    @property
    def demands(self) -> tuple[str, ...]:
        return {"incident": self.kind.demands, "twin": self.kind.twin_demands}.get(self.role, GENERIC_DEMANDS)

    @property
    def details(self) -> tuple[str, ...]:
        return self.kind.twin_details if self.role == "twin" else self.kind.details

    def forms(self) -> list[str]:
        """The ways a message writes this incident's thing ("翠湖湾", "翠湖湾小区", "恒泰翠湖湾小区")."""
        if self.name is None:
            return [""]
        return [f.format(name=self.name, dev=self.developer) for f in self.kind.forms]

    def describe(self) -> dict[str, object]:
        return {
            "label": self.label,
            "truth_kind": self.truth_kind,
            "kind": self.kind.key,
            "role": self.role,
            "name": self.name,
            "county": self.county,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "size": self.size,
        }


def _int(rng: np.random.Generator, bounds: tuple[int, int]) -> int:
    return int(rng.integers(bounds[0], bounds[1] + 1))


def _county(rng: np.random.Generator, counties: list[str], weights: np.ndarray, other_than: str | None) -> str:
    w = np.array([0.0 if c == other_than else x for c, x in zip(counties, weights, strict=True)])
    return counties[int(rng.choice(len(counties), p=w / w.sum()))]


def plan(rng: np.random.Generator, counties: list[str], weights: np.ndarray) -> list[Incident]:
    """The incidents of one demo and their look-alikes, drawn from ``rng`` (fixed draw order)."""
    n = _int(rng, INCIDENTS)
    kinds = [KINDS[i] for i in rng.permutation(len(KINDS))[:n]]
    out: list[Incident] = []
    for kind in kinds:
        name, twin_name = (kind.names[i] for i in rng.permutation(len(kind.names))[:2])
        developer, twin_developer = (DEVELOPERS[i] for i in rng.permutation(len(DEVELOPERS))[:2])
        year = _int(rng, YEARS)
        span = _int(rng, SPAN_DAYS)
        size = _int(rng, SIZE)
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        start = date.fromordinal(int(rng.integers(first, last - span + 2)))
        county = _county(rng, counties, weights, None)
        out.append(
            Incident(kind.label.format(name=name), "incident", kind, "incident", name, developer, county,
                     start, start + timedelta(days=span - 1), size)
        )  # fmt: skip
        # The twin: about the same time, another county, a little smaller, its own span.
        twin_span = _int(rng, SPAN_DAYS)
        shift = int(rng.integers(-TWIN_SHIFT, TWIN_SHIFT + 1))
        twin_start = min(max(start.toordinal() + shift, first), last - twin_span + 1)
        twin_size = max(SIZE[0] // 2, round(size * rng.uniform(*TWIN_SHARE)))
        out.append(
            Incident(kind.twin_label.format(name=twin_name), "lookalike", kind, "twin", twin_name, twin_developer,
                     _county(rng, counties, weights, county), date.fromordinal(twin_start),
                     date.fromordinal(twin_start + twin_span - 1), twin_size)
        )  # fmt: skip
        out.append(
            Incident(f"{kind.label.format(name='')}（零散）", "lookalike", kind, "generic", None, "", None,
                     date(year, 1, 1), date(year, 12, 31), _int(rng, GENERIC), pinned=False)
        )  # fmt: skip
    return out


def arrival_days(rng: np.random.Generator, incident: Incident) -> np.ndarray:
    """Day offsets from ``start``: most in the first weeks, some later; a pinned incident has one row
    on its first and one on its last day."""
    span = (incident.end - incident.start).days + 1
    t = np.arange(span)
    w = np.exp(-t / (span / 2.5)) + 0.25
    days = rng.choice(span, incident.size, p=w / w.sum()) if incident.pinned else rng.integers(0, span, incident.size)
    if incident.pinned:
        days[0], days[-1] = 0, span - 1
    return days
