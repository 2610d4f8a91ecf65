"""Mask personal data (个人信息保护法): mobile and landline phones, ID card and bank card numbers.

Numbers are recognised after the characters that form them are normalised with NFKC (full-width
１３８１２３４５６７８, superscript and circled digits, full-width ＋ － ． and spaces), and in the
ways people separate them: 138.1234.5678, 138-1234-5678, +86 138 1234 5678, 008613812345678,
440102-19900101-1234, 440102 19900101 1234, 6222 0212 3456 7890. Only text that holds seven
such digits close together reaches the regular expressions (``CANDIDATE``), so masking a column
of ordinary text costs one vectorised scan.

``mask_personal_data`` is for free text (any module may call it before showing or exporting
text) and masks generously: any 16-19 digit run counts as a bank card. ``mask_identifier`` is
for an export's own id column, where long digit runs are usually ticket numbers: a bank card
there must pass the Luhn check and start like a card (3, 4, 5, 6), an old 15-digit ID card must
hold a valid birth date.
"""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc

# Characters whose NFKC form is one character that can be part of a number as written. Only
# these are folded (a whole-text NFKC would also turn Chinese full-width punctuation into ASCII).
_FOLD_TARGETS = set("0123456789+-. Xx")
_FOLD_RANGES = (
    (0x00B2, 0x00B3),  # superscript 2 3
    (0x00B9, 0x00B9),  # superscript 1
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x2460, 0x24FF),  # circled digits
    (0x3000, 0x3000),  # ideographic space
    (0xFF00, 0xFFEF),  # full-width forms
    (0x1D7CE, 0x1D7FF),  # mathematical digits
)
_FOLD = {
    cp: folded
    for lo, hi in _FOLD_RANGES
    for cp in range(lo, hi + 1)
    if (folded := unicodedata.normalize("NFKC", chr(cp))) in _FOLD_TARGETS and folded != chr(cp)
}
_FOLD_TABLE = str.maketrans(_FOLD)


def fold_digits(text: str) -> str:
    """``text`` with every character that NFKC turns into a digit, + - . space or X replaced by it."""
    return text if text.isascii() else text.translate(_FOLD_TABLE)


def _class(targets: str) -> str:
    chars = sorted({chr(cp) for cp, f in _FOLD.items() if f in targets})
    return "[" + re.escape(targets) + "".join(re.escape(c) for c in chars) + "]"


# The pre-filter, in the syntax Python's re and RE2 (Arrow) share: three digits, at most one
# separator, four digits; folded forms included.
CANDIDATE = f"{_class('0123456789')}{{3}}{_class(' .-')}?{_class('0123456789')}{{4}}"
_CANDIDATE = re.compile(CANDIDATE)

_S = "[ .-]?"  # one optional separator between groups of digits
_BIRTH8 = "(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_BIRTH6 = "[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"

# (name, pattern, middle): every pattern has exactly two groups kept around the masked middle.
# Order matters where two match at one position: ID cards before bank cards (an 18-digit ID is
# also a 16-19 digit run), cards before phones.
_RULES: tuple[tuple[str, str, str], ...] = (
    ("id18", rf"(?<![0-9])([1-8][0-9]{{5}}){_S}{_BIRTH8}{_S}([0-9]{{3}}[0-9Xx])(?![0-9A-Za-z])", "********"),
    ("card", r"(?<![0-9])([0-9]{4})[0-9]{8,11}([0-9]{4})(?![0-9])", "********"),
    (
        "card_groups",
        r"(?<![0-9])([0-9]{4})[ .-][0-9]{4}[ .-][0-9]{4}[ .-]([0-9]{4}(?:[ .-]?[0-9]{1,3})?)(?![0-9])",
        " **** **** ",
    ),
    ("id15", r"(?<![0-9])([1-9][0-9]{5})[0-9]{5}([0-9]{4})(?![0-9])", "*****"),
    ("mobile", rf"(?<![0-9])((?:(?:\+|00)?86{_S})?1[3-9][0-9]){_S}[0-9]{{4}}{_S}([0-9]{{4}})(?![0-9])", "****"),
    ("landline", r"(?<![0-9])(0[0-9]{2,3})-[0-9]{3,4}([0-9]{4})(?![0-9])", "-****"),
)
# The lookahead lets the scan skip every position that cannot start a number before trying the
# six rules there: 4-20 times faster on Chinese text.
_COMBINED = re.compile("(?=[+0-9])(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern, _ in _RULES) + ")")
_MIDDLE = {name: middle for name, _, middle in _RULES}
_FIRST_GROUP = {name: _COMBINED.groupindex[name] + 1 for name, _, _ in _RULES}
_ID15_BIRTH = re.compile(rf"[1-9][0-9]{{5}}{_BIRTH6}[0-9]{{3}}")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _rewrite(match: re.Match[str], *, strict: bool) -> str:
    name = match.lastgroup or ""
    if strict:
        digits = re.sub(r"[^0-9]", "", match.group(0))
        if name.startswith("card") and not (digits[0] in "3456" and _luhn(digits)):
            return match.group(0)
        if name == "id15" and not _ID15_BIRTH.fullmatch(digits):
            return match.group(0)
    g = _FIRST_GROUP[name]
    return match.group(g) + _MIDDLE[name] + match.group(g + 1)


def _mask(text: str | None, *, strict: bool) -> str | None:
    if not text or not _CANDIDATE.search(text):
        return text
    folded = fold_digits(text)
    masked = _COMBINED.sub(lambda m: _rewrite(m, strict=strict), folded)
    return masked if masked != folded else text  # nothing personal: the text exactly as written


def mask_personal_data(text: str | None) -> str | None:
    """``text`` with phone, ID card and bank card numbers masked (138****5678)."""
    return _mask(text, strict=False)


def mask_identifier(text: str | None) -> str | None:
    """An id cell masked when it is (or holds) a phone, ID card or bank card number; else as is."""
    return _mask(text, strict=True)


def mask_array(arr: pa.Array, *, strict: bool = False) -> pa.Array:
    """``mask_personal_data`` (or ``mask_identifier``) over an Arrow string array; only values
    that pass the vectorised pre-filter reach Python."""
    hit = pc.fill_null(pc.match_substring_regex(arr, CANDIDATE), False)
    if not pc.any(hit).as_py():
        return arr
    candidates = pc.filter(arr, hit).to_pylist()
    return pc.replace_with_mask(arr, hit, pa.array([_mask(v, strict=strict) for v in candidates], arr.type))
