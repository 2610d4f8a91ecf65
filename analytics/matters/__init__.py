"""Matters (事项): one case reported on several channels or again, linked; see docs/matters.md."""

from analytics.matters.linking import LinkResult, link
from analytics.matters.queries import curate, matter_of, matters_among, summary
from analytics.matters.repeats import repeat_rates

__all__ = ["LinkResult", "curate", "link", "matter_of", "matters_among", "repeat_rates", "summary"]
