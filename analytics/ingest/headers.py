"""Export headers -> complaints fields, through the alias table in data/header_aliases.toml."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import opencc

from analytics.settings import DATA_DIR

ALIASES_PATH = DATA_DIR / "header_aliases.toml"

# Fields an export column can fill, in the order the page lists them.
FIELDS: tuple[str, ...] = (
    "complaint_id",
    "received_at",
    "closed_at",
    "kind",
    "county",
    "town",
    "sector",
    "business",
    "title",
    "content",
    "result",
    "resolved",
    "department",
    "amount",
    "support",
    "opposition",
    "complainant",
    "source",
)

FIELD_LABELS: dict[str, str] = {
    "complaint_id": "编号",
    "received_at": "受理时间",
    "closed_at": "办结时间",
    "kind": "诉求类型",
    "county": "区县",
    "town": "镇街",
    "sector": "行业",
    "business": "被投诉方",
    "title": "标题",
    "content": "内容",
    "result": "处理结果",
    "resolved": "是否解决",
    "department": "承办单位",
    "amount": "金额",
    "support": "点赞数",
    "opposition": "反对数",
    "complainant": "投诉人",
    "source": "来源",
}

# A mapping value meaning "keep this column in extras".
UNMAPPED = ""

_BRACKETED = re.compile(r"[(\[{<【（《].*?[)\]}>】）》]")
_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise_header(text: object) -> str:
    """Fold a header to its matching form: NFKC, simplified characters (a Big5 export from Hong
    Kong or Taiwan writes 受理時間), no bracketed notes, no spaces or punctuation."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not folded.isascii():
        folded = _to_simplified().convert(folded)
    folded = _BRACKETED.sub("", folded)
    return _NOT_WORD.sub("", folded)


@cache
def _alias_table(path: Path) -> dict[str, str]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for field, aliases in raw.get("fields", {}).items():
        if field not in FIELDS:
            raise ValueError(f"{path}: unknown field {field!r}")
        for alias in aliases:
            table.setdefault(normalise_header(alias), field)
    return table


def alias_table(path: Path | None = None) -> dict[str, str]:
    """Normalised alias -> field."""
    return dict(_alias_table(path or ALIASES_PATH))


def match_headers(
    headers: Sequence[str],
    overrides: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Header -> field for every header (``UNMAPPED`` for the ones kept in extras).

    ``overrides`` (header -> field or "") come from --map or a saved profile and win over the
    alias table; they match headers by normalised name too. Each field is filled by one column:
    the first in file order.
    """
    table = alias_table() if aliases is None else dict(aliases)
    forced = {normalise_header(h): f for h, f in (overrides or {}).items()}
    for field in forced.values():
        if field != UNMAPPED and field not in FIELDS:
            raise ValueError(f"unknown field {field!r}; fields: {', '.join(FIELDS)}")
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    # Forced fields first, so an alias match cannot steal a field the analyst assigned.
    for header in headers:
        key = normalise_header(header)
        if key in forced and forced[key] != UNMAPPED and forced[key] not in taken:
            mapping[header] = forced[key]
            taken.add(forced[key])
    for header in headers:
        if header in mapping:
            continue
        key = normalise_header(header)
        if key in forced:
            mapping[header] = UNMAPPED
            continue
        field = table.get(key, UNMAPPED)
        if field and field not in taken:
            mapping[header] = field
            taken.add(field)
        else:
            mapping[header] = UNMAPPED
    return mapping


def unique_headers(cells: Sequence[object]) -> list[str]:
    """Header cells as distinct non-empty names ("列3" for a blank one, "内容_2" for a repeat)."""
    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(cells, start=1):
        name = "" if cell is None else str(cell).strip().replace("\ufeff", "")
        name = name or f"列{i}"
        candidate, n = name, 2
        while candidate in seen:
            candidate, n = f"{name}_{n}", n + 1
        seen.add(candidate)
        names.append(candidate)
    return names


def header_score(cells: Sequence[object], overrides: Mapping[str, str] | None = None) -> int:
    """How many cells of a row look like known headers (used to find the header row)."""
    table = alias_table()
    forced = {normalise_header(h) for h, f in (overrides or {}).items() if f}
    return len({table.get(k) or k for c in cells if (k := normalise_header(c)) and (k in table or k in forced)})


def missing_required(mapping: Mapping[str, str]) -> list[str]:
    """Fields without which no row could be imported."""
    fields = set(mapping.values())
    missing = []
    if "received_at" not in fields:
        missing.append("received_at")
    if not fields & {"title", "content"}:
        missing.append("title/content")
    return missing


def parse_map_options(items: Sequence[str]) -> dict[str, str]:
    """``--map 表头=field`` options as a dict (``表头=`` keeps the column in extras)."""
    out: dict[str, str] = {}
    for item in items:
        header, sep, field = item.partition("=")
        if not sep or not header.strip():
            raise ValueError(f"--map expects 表头=field, got {item!r}")
        field = field.strip()
        if field and field not in FIELDS:
            raise ValueError(f"--map {item!r}: unknown field {field!r}; fields: {', '.join(FIELDS)}")
        out[header.strip()] = field
    return out
