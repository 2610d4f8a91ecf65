"""A corpus of personal data as exports write it, and a scanner that finds any of it in output.

Each entry is (form as written, the number's digits). The scanner folds NFKC digits and drops
separators between digits before looking, so a raw number is found whatever its written form
(138.1234.5678, +86 138 1234 5678, full-width digits, a number split by a hyphen). The numbers
are made up; none is a real person's.
"""

from __future__ import annotations

import re

from analytics.ingest.pii import fold_digits

# (written form, canonical digits): phones, ID cards, bank cards, a landline.
FORMS: tuple[tuple[str, str], ...] = (
    ("13926048173", "13926048173"),
    ("１５８１７２６３５４９", "15817263549"),  # full-width digits
    ("137.2468.1357", "13724681357"),
    ("008618620481753", "18620481753"),
    ("+86 135 8024 6917", "13580246917"),
    ("159-3071-4826", "15930714826"),
    ("441802-19870614-2831", "441802198706142831"),
    ("441881 19950903 4417", "441881199509034417"),
    ("44180219790521762X", "44180219790521762X"),
    ("４４１８０２１９８８０１０１３３５６", "441802198801013356"),  # full-width ID card
    ("6222021234567890128", "6222021234567890128"),  # bank card (passes the Luhn check)
    ("6217 0012 3456 7893", "6217001234567893"),  # bank card in groups of four
    ("0763-3345678", "07633345678"),  # landline with area code
)

DIGITS: tuple[str, ...] = tuple(d for _, d in FORMS)
# Numbers a complaint export puts in its own id column: a phone, full-width, with +86, an ID card.
ID_FORMS: tuple[str, ...] = ("13926048173", "１５８１７２６３５４９", "+86 135 8024 6917", "441802-19870614-2831")

_BETWEEN_DIGITS = re.compile(r"(?<=[0-9Xx])[ .\-+]+(?=[0-9Xx])")


def all_forms(sep: str = "；") -> str:
    """Every written form in one text."""
    return sep.join(f for f, _ in FORMS)


def leaks(text: str) -> list[str]:
    """The corpus numbers present unmasked in ``text`` (as written or in any other form)."""
    folded = fold_digits(text)
    squeezed = _BETWEEN_DIGITS.sub("", folded)
    found = [d for d in DIGITS if d in squeezed or d.lower() in squeezed]
    found += [f for f, _ in FORMS if f in text]
    return sorted(set(found))
