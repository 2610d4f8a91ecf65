"""投诉公示 (public disclosure): tables per business and per sector, ready to publish.

- ``tables``: the tables (:func:`disclosure_by_business`, :func:`disclosure_by_sector`)
- ``public``: what makes a cell safe to publish (:func:`public_text`)
- ``files``: the tables as CSV and Excel (:func:`to_csv_bytes`, :func:`to_xlsx_bytes`)
"""

from analytics.disclosure.files import to_csv_bytes, to_xlsx_bytes
from analytics.disclosure.public import public_frame, public_text
from analytics.disclosure.tables import (
    BUSINESS_COLUMNS,
    SECTOR_COLUMNS,
    disclosure_by_business,
    disclosure_by_sector,
    period_label,
)

__all__ = [
    "BUSINESS_COLUMNS",
    "SECTOR_COLUMNS",
    "disclosure_by_business",
    "disclosure_by_sector",
    "period_label",
    "public_frame",
    "public_text",
    "to_csv_bytes",
    "to_xlsx_bytes",
]
