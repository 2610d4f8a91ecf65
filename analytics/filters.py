"""The shared filter every view of complaints takes: period, places, sectors, kinds, channels, words.

A frozen dataclass so that it is hashable (the UI caches query results keyed by it) and so that it
round-trips through a URL query string (a view can be shared as a link).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from analytics.dates import minus_year
from analytics.schema import FILTER_DIMENSIONS, filter_label


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None  # inclusive
    date_to: date | None = None  # inclusive
    counties: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    keyword: str = ""  # words separated by spaces; every word must appear in title or content

    def where(self, alias: str = "") -> tuple[str, dict[str, Any]]:
        """A SQL boolean expression over the complaints table and its values, bound by name.

        The names all start with ``f_`` (``$f_from``, ``$f_to``, ``$f_counties_0`` …, ``$f_q0`` …), so a
        caller adds its own values to the dict under any other name and binds the one dict.
        """
        col = (alias + ".") if alias else ""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.date_from is not None:
            clauses.append(f"{col}received_at >= $f_from")
            params["f_from"] = self.date_from
        if self.date_to is not None:
            clauses.append(f"{col}received_at < $f_to")
            params["f_to"] = self.date_to + timedelta(days=1)
        for name, column in FILTER_DIMENSIONS.items():
            values = getattr(self, name)
            if values:
                names = [f"f_{name}_{i}" for i in range(len(values))]
                clauses.append(f"{col}{column} IN ({', '.join('$' + n for n in names)})")
                params.update(zip(names, values, strict=True))
        for i, word in enumerate(self.keyword.split()):
            params[f"f_q{i}"] = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append(
                f"(coalesce({col}title, '') LIKE $f_q{i} ESCAPE '\\' "
                f"OR coalesce({col}content, '') LIKE $f_q{i} ESCAPE '\\')"
            )
        return (" AND ".join(clauses) if clauses else "true"), params

    def same_period_last_year(self) -> Filters:
        """The same filter moved back one year (for 同比)."""
        return replace(self, date_from=_minus_year(self.date_from), date_to=_minus_year(self.date_to))

    def to_query_params(self) -> dict[str, str]:
        """Only the non-default fields, as strings (lists joined with commas)."""
        out: dict[str, str] = {}
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        for name in FILTER_DIMENSIONS:
            if getattr(self, name):
                out[name] = ",".join(getattr(self, name))
        if self.keyword:
            out["q"] = self.keyword
        return out

    @classmethod
    def from_query_params(cls, params: dict[str, str]) -> Filters:
        """Inverse of :meth:`to_query_params`; unreadable values fall back to the default."""

        def _date(key: str) -> date | None:
            try:
                return date.fromisoformat(params[key]) if params.get(key) else None
            except ValueError:
                return None

        lists = {name: tuple(v for v in str(params.get(name, "")).split(",") if v) for name in FILTER_DIMENSIONS}
        return cls(date_from=_date("from"), date_to=_date("to"), keyword=str(params.get("q", "")), **lists)

    def describe(self) -> str:
        """A short Chinese description for chart titles: period and the active filters."""
        parts = [f"{self.date_from or '起始'} 至 {self.date_to or '最新'}"]
        for f in fields(self):
            if f.name in FILTER_DIMENSIONS and getattr(self, f.name):
                parts.append(f"{filter_label(f.name)}：{'、'.join(getattr(self, f.name))}")
        if self.keyword:
            parts.append(f"关键词：{self.keyword}")
        return "；".join(parts)


def _minus_year(d: date | None) -> date | None:
    return None if d is None else minus_year(d)
