"""Part-of-speech tags of dictionary words (jieba's dictionary plus the project's user dictionary),
for telling a phrase an analyst would say (预付卡退费难) from a fragment (宣传一半, 清楚每月)."""

from __future__ import annotations

from functools import cache

import jieba

from analytics.text.dictionary import load_resources
from analytics.text.segmenter import NEGATORS

# Words of these kinds never stand in a label: adverbs, numerals, measure words, pronouns, locatives
# (里面), time words (每月, 后来), prepositions, conjunctions, particles, interjections.
FUNCTION_TAGS = frozenset(
    ("d", "ad", "dg", "m", "mq", "mg", "q", "qg", "r", "rr", "rz", "rg", "f", "t", "tg", "p", "c", "u", "uj", "ul",
     "uz", "ud", "ug", "uv", "e", "y", "o", "zg", "x", "k", "h")
)  # fmt: skip
# Things a label can be about: nouns of every kind, verbal nouns (收费, 教育), abbreviations.
OBJECT_TAGS = frozenset(("n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "vn", "an", "j", "s"))


@cache
def _tags() -> dict[str, str]:
    tags: dict[str, str] = {}
    with jieba.get_dict_file() as lines:
        for raw in lines:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    for word, _, tag in load_resources().words:
        tags[word] = tag or "n"  # the domain dictionary is nouns and noun phrases unless tagged
    return tags


def word_tag(word: str) -> str | None:
    """The word's tag; 'v' for a negated word (不退款, 未发货); None when the word is unknown."""
    tag = _tags().get(word)
    if tag is None and len(word) >= 2 and word[0] in NEGATORS and word[1:] in _tags():
        return "v"
    return tag
