"""Normalising values: text, dates, kinds, counties, sectors, amounts.

Text is cleaned in Arrow (``clean_array``); parsing runs in DuckDB (``*_sql`` builders return SQL
expressions over a VARCHAR column); the small per-value maps (kind, county, sector) run in Python
over a chunk's distinct values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from analytics.profile import OTHER_SECTOR, RegionProfile

KINDS: tuple[str, ...] = ("咨询", "求助", "建议", "投诉", "举报", "其他")

# Text: strip whitespace incl. full-width spaces, NBSP and BOM; collapse runs inside, keeping
# a line break as one.
_PY_WS = re.compile(r"^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$")
_PY_NL = re.compile(r"[ \t\r\u3000\u00a0]*\n[\s\u3000\u00a0\ufeff]*")
_PY_RUN = re.compile(r"[ \t\u3000\u00a0]+")


def clean_text(value: object) -> str | None:
    """Trimmed text, inner blank runs collapsed (a line break kept as one), '' -> None."""
    if value is None:
        return None
    text = _PY_RUN.sub(" ", _PY_NL.sub("\n", _PY_WS.sub("", str(value))))
    return text or None


_TRIM_CHARS = " \t\n\r\f\v\u3000\u00a0\ufeff"
_NEEDS_INNER = r"[\t\n\r\x{3000}\x{00A0}]|  "


def clean_array(arr: pa.Array) -> pa.Array:
    """``clean_text`` over an Arrow string array: trimmed in C++, the few values with inner
    tabs/newlines/full-width spaces fixed in Python, '' -> null."""
    arr = pc.utf8_trim(arr, _TRIM_CHARS)
    inner = pc.fill_null(pc.match_substring_regex(arr, _NEEDS_INNER), False)
    if pc.any(inner).as_py():
        fixed = [clean_text(v) for v in pc.filter(arr, inner).to_pylist()]
        arr = pc.replace_with_mask(arr, inner, pa.array(fixed, arr.type))
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


# Dates. Strings are first folded to "Y-m-d H:M:S" shape, then tried against a few formats.
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d", "%Y-%m")
# A complaint received before the hotlines existed in their current form, or after tomorrow (a
# clock or export a day ahead is tolerated), is a typo or a placeholder such as 2099-12-31.
EARLIEST_DATE = "1990-01-01"
RECEIVED_RANGE_REASON = f"受理时间超出合理范围 (received time before {EARLIEST_DATE} or after tomorrow)"


def date_sql(col: str) -> str:
    """TIMESTAMP from a cleaned VARCHAR: ISO and slash forms, 2019年2月28日, 20190228, Excel serials."""
    folded = col
    for old, new in (("年", "-"), ("月", "-"), ("日", " "), ("号", " "), ("/", "-"), ("T", " ")):
        folded = f"replace({folded}, '{old}', '{new}')"
    folded = f"replace(replace(replace({folded}, '时', ':'), '分', ':'), '秒', '')"
    # 2019.2.28: dots as date separators only (a dot after the seconds starts the fraction).
    folded = f"regexp_replace({folded}, '^([0-9]{{4}})\\.([0-9]{{1,2}})\\.([0-9]{{1,2}})', '\\1-\\2-\\3')"
    folded = f"regexp_replace(trim(regexp_replace({folded}, ':$|Z$', '')), ' +', ' ', 'g')"
    fmts = ", ".join(f"'{f}'" for f in DATE_FORMATS)
    parsed = f"""CASE
        WHEN regexp_full_match({col}, '(19|20)[0-9]{{6}}') THEN try_strptime({col}, '%Y%m%d')
        WHEN regexp_full_match({col}, '(19|20)[0-9]{{12}}') THEN try_strptime({col}, '%Y%m%d%H%M%S')
        WHEN regexp_full_match({col}, '[0-9]{{5}}(\\.[0-9]+)?') AND try_cast({col} AS DOUBLE) BETWEEN 29221 AND 73051
            THEN TIMESTAMP '1899-12-30'
                + to_microseconds(CAST(round(CAST({col} AS DOUBLE) * 86400) AS BIGINT) * 1000000)
        ELSE try_strptime(regexp_replace({folded}, '(\\.[0-9]{{6}})[0-9]+$', '\\1'), [{fmts}])
    END"""
    # The common ISO form first: coalesce only evaluates the slow path where it is NULL.
    return f"coalesce(try_strptime({col}, '%Y-%m-%d %H:%M:%S'), {parsed})"


def date_in_range_sql(col: str) -> str:
    """NULL for a parsed date before EARLIEST_DATE or after the end of tomorrow."""
    return f"(CASE WHEN {col} >= TIMESTAMP '{EARLIEST_DATE}' AND {col} < current_date + INTERVAL 2 DAY THEN {col} END)"


# The largest amount one consumer complaint can plausibly involve, in yuan (a house, a large
# prepaid contract). Anything above - a phone number read as 13.8 billion yuan, 1e999 - is not
# an amount: it stays in extras with the reason, so one cell cannot corrupt a total. The database
# enforces the same range (migration 0006_complaint_constraints, CHECK on complaints.amount).
MAX_AMOUNT_YUAN = 10_000_000


def amount_in_range_sql(col: str) -> str:
    """The DOUBLE ``col`` when it is a finite amount in (0, MAX_AMOUNT_YUAN], else NULL."""
    return f"(CASE WHEN isfinite({col}) AND {col} > 0 AND {col} <= {MAX_AMOUNT_YUAN} THEN {col} END)"


def amount_reason_sql(parsed: str, cell: str) -> str:
    """Why the amount cell ``cell`` (parsed: ``parsed``) is not an amount, when that is not plain
    from the cell itself (不详 needs no reason): a number out of range, or masked personal data."""
    return (
        f"(CASE WHEN {parsed} IS NOT NULL"
        f" THEN '金额超出合理范围 (outside 0 < amount <= {MAX_AMOUNT_YUAN:,} yuan)'"
        f" WHEN {cell} LIKE '%****%' THEN '含电话或证件号，不作金额 (personal data, not an amount)' END)"
    )


def amount_sql(col: str) -> str:
    """DOUBLE from 3000元, 3,000, ￥3000.50, 1.2万 (any number: ``amount_in_range_sql`` checks it)."""
    stripped = f"regexp_replace({col}, '[,，\\s元圆¥￥]|人民币|RMB|rmb', '', 'g')"
    return (
        f"(CASE WHEN {stripped} LIKE '%万' THEN try_cast(rtrim({stripped}, '万') AS DOUBLE) * 10000"
        f" ELSE try_cast({stripped} AS DOUBLE) END)"
    )


def int_sql(col: str) -> str:
    return f"try_cast(try_cast(regexp_replace({col}, '[,，\\s]', '', 'g') AS DOUBLE) AS INTEGER)"


def resolved_sql(col: str) -> str:
    return (
        f"(CASE WHEN {col} IN ('是', '已解决', '解决', '满意', 'Y', 'y', 'yes', 'true', '1') THEN true"
        f" WHEN {col} IN ('否', '未解决', '不满意', 'N', 'n', 'no', 'false', '0') THEN false END)"
    )


def canonical_kind(raw: str | None) -> str | None:
    """投诉类, 投诉件, 消费投诉 -> 投诉; None when the value is empty or unknown."""
    if not raw:
        return None
    text = str(raw)
    for kind in ("举报", "投诉", "咨询", "求助", "建议"):
        if kind in text:
            return kind
    if any(w in text for w in ("意见", "献策")):
        return "建议"
    if any(w in text for w in ("查询", "询问")):
        return "咨询"
    if any(w in text for w in ("表扬", "感谢", "其他", "其它")):
        return "其他"
    return None


def infer_kind_sql(title: str) -> str:
    """Kind from the title when the export has none (message boards): a word, else 其他."""
    return (
        f"(CASE WHEN {title} LIKE '%举报%' THEN '举报' WHEN {title} LIKE '%投诉%' THEN '投诉'"
        f" WHEN {title} LIKE '%求助%' THEN '求助' WHEN {title} LIKE '%咨询%' OR {title} LIKE '%请问%' THEN '咨询'"
        f" WHEN {title} LIKE '%建议%' THEN '建议' ELSE '其他' END)"
    )


def canonical_county(profile: RegionProfile, raw: str | None) -> str | None:
    """Canonical county name, or None when the value names no county of the profile."""
    name = profile.canonical_county(raw)
    return name if name in profile.county_names else None


def map_sector(profile: RegionProfile, raw: str | None) -> str | None:
    """An export's sector label -> the taxonomy, or None when it does not fit any sector.

    Exact names first, then parts of a compound name (网络购物/直播电商), then the label holding
    a sector name, then the label holding one of a sector's keywords (食品安全 -> 食品).
    """
    if not raw:
        return None
    text = re.sub(r"\s+", "", str(raw))
    names = profile.sector_names
    if text in names:
        return text
    for sector in profile.sectors:
        if text in sector.name.split("/"):
            return sector.name
    for sector in profile.sectors:
        if any(part and part in text for part in sector.name.split("/")) and sector.name != OTHER_SECTOR:
            return sector.name
    return infer_sector(profile, text)


def _keywords(profile: RegionProfile) -> list[tuple[str, str, int]]:
    return [(kw, s.name, i) for i, s in enumerate(profile.sectors) for kw in s.keywords]


# Inference reads the first this-many characters of title + " " + content: the sector shows early,
# and a cap keeps a million long complaints affordable.
INFER_CHARS = 1000


def infer_sector(profile: RegionProfile, text: str | None) -> str | None:
    """The sector with the most keyword hits in ``text[:INFER_CHARS]`` (ties: the earlier sector)."""
    if not text:
        return None
    pattern = keyword_pattern(profile)
    if not pattern:
        return None
    hits = re.findall(pattern, text[:INFER_CHARS])
    return _best(profile, hits)


def _best(profile: RegionProfile, hits: Iterable[str]) -> str | None:
    by_kw: dict[str, list[tuple[str, int]]] = {}
    for kw, sector, order in _keywords(profile):
        by_kw.setdefault(kw, []).append((sector, order))
    score: dict[tuple[int, str], int] = {}
    for hit in hits:
        for sector, order in by_kw.get(hit, ()):
            score[(order, sector)] = score.get((order, sector), 0) + 1
    if not score:
        return None
    (order, sector), _ = min(score.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return sector


def keyword_pattern(profile: RegionProfile) -> str:
    """One alternation of every keyword, longest first (the same in Python re and RE2)."""
    words = sorted({kw for kw, _, _ in _keywords(profile)}, key=lambda w: (-len(w), w))
    # No capture group: DuckDB's regexp_extract_all is several times faster on group 0.
    return "|".join(re.escape(w) for w in words)


def keyword_rows(profile: RegionProfile) -> list[tuple[str, str, int]]:
    """(keyword, sector, sector order) rows for the SQL inference join."""
    return _keywords(profile)
