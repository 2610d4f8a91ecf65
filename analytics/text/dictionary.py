"""The project's segmentation resources: domain user dictionary, stopwords, and their version hash.

Both live in ``data/dict/``. County and town names of the region profile are added to the user
dictionary so that place names stay whole tokens. The version hash changes whenever any of these
(or the segmentation rules, ``RULES_VERSION``) change, which invalidates cached tokens.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analytics.profile import load_profile
from analytics.settings import DATA_DIR

DICT_DIR = DATA_DIR / "dict"
USER_DICT = DICT_DIR / "user_dict.txt"
STOPWORDS = DICT_DIR / "stopwords.txt"
# Bump when the rules in segmenter.py (normalisation, token filter) change.
RULES_VERSION = "seg-5"  # 4: sentence breaks in stored tokens; 5: negators joined
# Frequency given to place names; high enough that jieba keeps them whole.
PLACE_FREQ = 3000


@dataclass(frozen=True)
class Resources:
    words: tuple[tuple[str, int, str | None], ...]  # (word, frequency, tag)
    stopwords: frozenset[str]
    version: str


def _read_lines(path: Path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _parse_user_dict(path: Path) -> list[tuple[str, int, str | None]]:
    words = []
    for line in _read_lines(path):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 else PLACE_FREQ
        words.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return words


def _place_names() -> list[str]:
    profile = load_profile()
    names = [profile.name]
    for county in profile.counties:
        names += [county.name, *county.aliases, *county.towns]
    return list(dict.fromkeys(n for n in names if len(n) >= 2))


@cache
def load_resources(user_dict: Path = USER_DICT, stopwords: Path = STOPWORDS) -> Resources:
    """Dictionary words (file + region place names), stopwords, and the tokenizer version."""
    words = _parse_user_dict(user_dict)
    known = {w for w, _, _ in words}
    words += [(name, PLACE_FREQ, "ns") for name in _place_names() if name not in known]
    stop = frozenset(w for line in _read_lines(stopwords) for w in line.split())
    digest = hashlib.sha256()
    digest.update(RULES_VERSION.encode())
    for word, freq, tag in words:
        digest.update(f"{word}\t{freq}\t{tag}\n".encode())
    for word in sorted(stop):
        digest.update(f"{word}\n".encode())
    return Resources(words=tuple(words), stopwords=stop, version=digest.hexdigest()[:16])
