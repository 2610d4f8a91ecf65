"""The complainant's identity as a salted hash, taken from the raw cells before masking.

A complainant who calls 12345, files on 12315 and writes to the consumer council gives the same
mobile or ID number each time; its salted hash (``identity.salted_hash``) lets the matters stage
link those complaints while the number itself is masked everywhere and never stored. The number
is looked for in the 投诉人 cell first, then in the title and the content (many exports keep the
caller's number only in the text: 本人电话138…). A mobile number is preferred to an ID number:
every channel asks for a phone, few for the ID card.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest.identity import salted_hash
from analytics.ingest.pii import CANDIDATE, fold_digits

_S = "[ .-]?"
_MOBILE = re.compile(rf"(?<![0-9])(?:(?:\+|00)?86{_S})?(1[3-9][0-9]){_S}([0-9]{{4}}){_S}([0-9]{{4}})(?![0-9])")
_BIRTH8 = "(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID18 = re.compile(rf"(?<![0-9])([1-8][0-9]{{5}}){_S}({_BIRTH8}){_S}([0-9]{{3}}[0-9Xx])(?![0-9A-Za-z])")


def identifier_in(text: str | None) -> str | None:
    """The first mobile number (``m`` + 11 digits) or else 18-digit ID (``i`` + 18) in ``text``."""
    if not text:
        return None
    folded = fold_digits(text)
    if m := _MOBILE.search(folded):
        return "m" + "".join(m.groups())
    if m := _ID18.search(folded):
        return "i" + "".join(m.groups()).upper()
    return None


def complainant_hashes(columns: list[pa.Array | None]) -> pa.Array:
    """Per row: salted hash of the first identifier found in ``columns`` (in order), else null.

    ``columns`` are raw (unmasked) string arrays of one chunk, None for an unmapped field. Only
    rows whose cells pass the vectorised pre-filter (seven digits close together) reach Python.
    """
    present = [c for c in columns if c is not None]
    if not present:
        return pa.nulls(0, pa.string())
    n = len(present[0])
    found: list[str | None] = [None] * n
    for arr in present:
        hit = pc.fill_null(pc.match_substring_regex(arr, CANDIDATE), False)
        if not pc.any(hit).as_py():
            continue
        rows = pc.indices_nonzero(hit).to_pylist()
        values = pc.filter(arr, hit).to_pylist()
        for row, value in zip(rows, values, strict=True):
            if found[row] is None:
                found[row] = identifier_in(value)
    return pa.array([salted_hash(v) if v else None for v in found], pa.string())
