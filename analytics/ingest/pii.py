"""Mask personal data: mobile and landline phones, ID card numbers, bank card numbers.

Two implementations with the same result: ``mask_personal_data`` for single strings (any module
may call it before showing or exporting text) and ``mask_sql`` that builds a DuckDB expression for
bulk import (RE2 has no look-around, so a digit boundary is captured and put back, and each rule
runs twice to catch numbers that share a boundary character, e.g. "13812345678,13912345678").
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

# (python pattern, python replacement, RE2 pattern, RE2 replacement), applied in this order:
# ID cards before bank cards (an 18-digit ID is also 16-19 digits), cards before phones.
_D = "0-9"
_RULES: tuple[tuple[str, str, str, str], ...] = (
    # 18-digit ID card (last char may be X): keep 6 + 4.
    (
        r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])",
        r"\1********\2",
        rf"(^|[^{_D}])([1-9][{_D}]{{5}})[{_D}]{{8}}([{_D}]{{3}}[{_D}Xx])([^{_D}A-Za-z]|$)",
        r"\1\2********\3\4",
    ),
    # Bank card, 16-19 digits in one run: keep 4 + 4.
    (
        r"(?<![0-9])([0-9]{4})[0-9]{8,11}([0-9]{4})(?![0-9])",
        r"\1********\2",
        rf"(^|[^{_D}])([{_D}]{{4}})[{_D}]{{8,11}}([{_D}]{{4}})([^{_D}]|$)",
        r"\1\2********\3\4",
    ),
    # Bank card written in groups of four: 6222 0212 3456 7890 (123).
    (
        r"(?<![0-9])([0-9]{4})[ -][0-9]{4}[ -][0-9]{4}[ -]([0-9]{4}(?:[ -]?[0-9]{1,3})?)(?![0-9])",
        r"\1 **** **** \2",
        rf"(^|[^{_D}])([{_D}]{{4}})[ -][{_D}]{{4}}[ -][{_D}]{{4}}[ -]([{_D}]{{4}}(?:[ -]?[{_D}]{{1,3}})?)([^{_D}]|$)",
        r"\1\2 **** **** \3\4",
    ),
    # 15-digit (old) ID card: keep 6 + 4.
    (
        r"(?<![0-9])([1-9][0-9]{5})[0-9]{5}([0-9]{4})(?![0-9])",
        r"\1*****\2",
        rf"(^|[^{_D}])([1-9][{_D}]{{5}})[{_D}]{{5}}([{_D}]{{4}})([^{_D}]|$)",
        r"\1\2*****\3\4",
    ),
    # Mobile phone, optionally +86 and separators: 138****5678.
    (
        r"(?<![0-9])((?:\+?86[ -]?)?1[3-9][0-9])[ -]?[0-9]{4}[ -]?([0-9]{4})(?![0-9])",
        r"\1****\2",
        rf"(^|[^{_D}])((?:\+?86[ -]?)?1[3-9][{_D}])[ -]?[{_D}]{{4}}[ -]?([{_D}]{{4}})([^{_D}]|$)",
        r"\1\2****\3\4",
    ),
    # Landline with area code: 0763-3123456 -> 0763-****3456.
    (
        r"(?<![0-9])(0[0-9]{2,3})-[0-9]{3,4}([0-9]{4})(?![0-9])",
        r"\1-****\2",
        rf"(^|[^{_D}])(0[{_D}]{{2,3}})-[{_D}]{{3,4}}([{_D}]{{4}})([^{_D}]|$)",
        r"\1\2-****\3\4",
    ),
)
_COMPILED = tuple((re.compile(p), r) for p, r, _, _ in _RULES)
# Only text with a run of digits this long can hold anything to mask: a cheap pre-filter.
_CANDIDATE = re.compile(r"[0-9]{3}[ -]?[0-9]{4}")
CANDIDATE_RE2 = "[0-9]{3}[ -]?[0-9]{4}"


# All rules in one pass (earlier rules win at a position). Every rule keeps its groups 1 and 2
# around a fixed middle, so the replacement is built from the combined match's groups directly.
_COMBINED = re.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _, _, _) in enumerate(_RULES)))
_MIDDLES = tuple(r.replace("\\1", "", 1).replace("\\2", "", 1) for _, r, _, _ in _RULES)
_FIRST_GROUP = tuple(_COMBINED.groupindex[f"r{i}"] + 1 for i in range(len(_RULES)))


def _rewrite(match: re.Match[str]) -> str:
    i = int(match.lastgroup[1:])
    g = _FIRST_GROUP[i]
    return match.group(g) + _MIDDLES[i] + match.group(g + 1)


def mask_personal_data(text: str | None) -> str | None:
    """``text`` with phone, ID card and bank card numbers masked (138****5678)."""
    if not text or not _CANDIDATE.search(text):
        return text
    return _COMBINED.sub(_rewrite, text)


def mask_sql(expr: str) -> str:
    """A DuckDB expression that masks the VARCHAR expression ``expr`` like ``mask_personal_data``."""
    out = expr
    for _, _, pattern, replacement in _RULES:
        for _ in range(2):
            out = f"regexp_replace({out}, '{pattern}', '{replacement}', 'g')"
    return f"(CASE WHEN regexp_matches({expr}, '{CANDIDATE_RE2}') THEN {out} ELSE {expr} END)"


def mask_array(arr: pa.Array) -> pa.Array:
    """``mask_personal_data`` over an Arrow string array; only candidate values reach Python."""
    hit = pc.fill_null(pc.match_substring_regex(arr, CANDIDATE_RE2), False)
    if not pc.any(hit).as_py():
        return arr
    candidates = pc.filter(arr, hit).to_pylist()
    return pc.replace_with_mask(arr, hit, pa.array([mask_personal_data(v) for v in candidates], arr.type))
