"""Matters (事项): one case reported on several channels or again, linked; see docs/matters.md."""

from analytics.matters.linking import LinkResult, link
from analytics.matters.queries import curate, summary
from analytics.matters.repeats import repeat_rates

__all__ = ["LinkResult", "curate", "link", "repeat_rates", "summary"]
