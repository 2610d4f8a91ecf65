"""Matters (事项): one case reported on several channels or again, linked; see docs/matters.md."""

from typing import TYPE_CHECKING, Any

from analytics.matters.queries import correct, curate, join_by_number, matter_members, summary
from analytics.matters.repeats import repeat_rates

if TYPE_CHECKING:
    from analytics.matters.linking import LinkResult, link

__all__ = [
    "LinkResult",
    "correct",
    "curate",
    "join_by_number",
    "link",
    "matter_members",
    "repeat_rates",
    "summary",
]


def __getattr__(name: str) -> Any:
    """``link`` and ``LinkResult`` on first use: the linker needs the text stack (scikit-learn,
    analytics.events; seconds to import), which pages that only read matters never load."""
    if name in ("LinkResult", "link"):
        from analytics.matters import linking

        return getattr(linking, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
