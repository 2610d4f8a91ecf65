"""Small date arithmetic shared by filters, report periods and hotspot comparisons."""

from __future__ import annotations

from datetime import date


def plus_year(d: date) -> date:
    """The same day one year later; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def minus_year(d: date) -> date:
    """The same day one year earlier; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)
