"""The phrases a topic's complaints write with the topic's distinctive words: a label's candidates.

A topic's distinctive features (words and adjacent-word pairs, scored in ``labels``) say what it is
about; the label is what an analyst would say in a briefing, an object and its problem (拖欠农民工工资,
开发商延期交房, 预付卡跑路退费难). Such a phrase is rarely one feature: it is two to four words the
complaints write one after the other, only adverbs or 的 between (运动鞋一直不发货 → 运动鞋不发货). So the
candidates are read off the topic's own complaints: every run of words, within one clause, that
starts and ends with a word of the distinctive features, holds a thing (a noun by jieba's dictionary
tags) and has nothing between but content words (no preposition, conjunction, pronoun, numeral,
place name or one of ``labels.VAGUE``); a word is not said twice (装修公司装修). A single word is a
candidate when it is a thing of three or more characters (防疫用品, 养老保险).

Each candidate is scored as the features are: the share of the topic's complaints writing it times
the summed scores of the distinctive features it holds, so a phrase must be both common in the
topic and made of what marks the topic. A phrase naming a thing and what went wrong (a verb,
adjective or negated word beside the noun: 安装路灯, 运动鞋不发货, 乱收费 with 乱 an adverb) counts
``PROBLEM_WEIGHT`` times: that is the label a briefing wants. A bare word that wins still gives way
to the best phrase holding it that scores at least ``HOLDING`` of it (旅行社 → 旅行社拒退团费).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from analytics.text.segmenter import NEGATORS
from analytics.text.tags import FUNCTION_TAGS, OBJECT_TAGS, word_tag

MAX_WORDS = 4  # words of a phrase, skipped adverbs not counted
MAX_CHARS = 8  # a briefing label, not a sentence (预付卡跑路退费难)
TEXT_CHARS = 400  # of each complaint read: the title and the opening say what it is about
MIN_SHARE = 0.03  # of the topic's complaints (and at least two) that must write a phrase
PROBLEM_WEIGHT = 2.0
HOLDING = 0.5
# Between a phrase's words and left out of it: adverbs (一直, 迟迟) and 的 (驾校的教练 → 驾校教练).
SKIPPED_TAGS = frozenset(("d", "ad", "dg", "uj"))
# Tags of a thing proper, not a verbal or adjectival noun (生产, 管理: what, not what went wrong).
NOUN_TAGS = OBJECT_TAGS - {"vn", "an"}
WHOLE = 2 / 3  # of a phrase's complaints writing one word beside it: the phrase is part of a longer one
WordTest = Callable[[str], bool]
Span = tuple[str, ...]
Sides = tuple[str | None, str | None]  # the words just before and after a span


@dataclass(frozen=True)
class Phrase:
    text: str
    score: float
    words: int
    problem: bool
    pairs: frozenset[str]  # the distinctive two-word features it holds (班车晚点)


def clauses_of(text: str) -> list[list[str]]:
    """The words of each clause of ``text`` (split at punctuation and spaces), a one-character
    negation joined to the word after it (不发货, 没亮), as the vectoriser's tokens are."""
    from analytics.text import segmenter

    out: list[list[str]] = [[]]
    for word in segmenter().cut(text):
        if not word.isalnum():  # punctuation, spaces (and numbers with a point: no phrase word)
            if out[-1]:
                out.append([])
        elif out[-1] and out[-1][-1] in NEGATORS:
            out[-1][-1] += word
        else:
            out[-1].append(word)
    return [c for c in out if c]


def words_of(clause: str) -> list[str]:
    """The words of a label or clause, negations joined (``clauses_of``)."""
    return [w for c in clauses_of(clause) for w in c]


_tag = lru_cache(maxsize=65536)(word_tag)


@cache
def _stopwords() -> frozenset[str]:
    from analytics.text import segmenter

    return segmenter().resources.stopwords


def _problem_word(word: str) -> bool:
    """Says what went wrong: a verb, adjective, idiom or negated word (不发货), or a word that opens
    with an adverb (乱收费)."""
    tag = word_tag(word)
    if tag is not None and tag not in OBJECT_TAGS:
        return True
    return len(word) >= 3 and word_tag(word[0]) == "d" and word_tag(word[1:]) is not None


def _spans(tokens: list[str], words: frozenset[str], content: WordTest, thing: WordTest) -> dict[Span, Sides]:
    """The runs of ``tokens`` that may be a label (see the module docstring), each with the words
    just before and after it."""
    found: dict[Span, Sides] = {}
    for i in [i for i, w in enumerate(tokens) if w in words and len(w) >= 2]:
        first = tokens[i]
        before = tokens[i - 1] if i else None
        if len(first) >= 3 and thing(first):
            found[(first,)] = (before, tokens[i + 1] if i + 1 < len(tokens) else None)
        kept = [first]
        for j in range(i + 1, min(len(tokens), i + 2 * MAX_WORDS)):
            word = tokens[j]
            if word not in words and _tag(word) in SKIPPED_TAGS:
                continue
            if len(word) < 2 or not content(word) or any(word in k or k in word for k in kept):
                break
            kept.append(word)
            if len(kept) > MAX_WORDS or sum(map(len, kept)) > MAX_CHARS:
                break
            if word in words and any(len(k) >= 2 and thing(k) for k in kept):
                found[tuple(kept)] = (before, tokens[j + 1] if j + 1 < len(tokens) else None)
    return found


def _whole(span: Span, sides: Counter[tuple[int, str]], count: int, content: WordTest) -> Span | None:
    """The span with the word that nearly always stands beside it (``WHOLE`` of the complaints that
    write it) taken in: 拖欠农民工 is 拖欠农民工工资 where complaints write that. None when the span is a
    fragment of a longer expression that is no label: that word is a single character other than an
    adjective (班车中途 of 班车中途甩客) or vague, or taking it in makes the phrase too long. One word
    per side at most, the most written (ties by the word): two written before it in different
    clauses (拖欠 / 克扣 农民工) are two phrases, not one, and the order of equal counts must not
    follow a set's, which changes with each process's string hashing."""
    out = list(span)
    taken: set[int] = set()
    for (side, word), n in sorted(sides.items(), key=lambda item: (-item[1], item[0])):
        if n < WHOLE * count:
            break
        if side in taken:
            continue
        tag = word_tag(word)
        if tag is None or tag in FUNCTION_TAGS or word in _stopwords() or any(word in k or k in word for k in out):
            continue  # 了, 的, 建议, a place name: the phrase is whole before them
        if (len(word) < 2 and tag != "a") or not content(word):
            return None  # 班车中途 of 班车中途甩客: a fragment; 培训质量 takes 差 in (培训质量差)
        out = [word, *out] if side == 0 else [*out, word]
        taken.add(side)
    if sum(map(len, out)) > MAX_CHARS:
        return None
    return tuple(out)


def written_phrases(
    features: dict[str, float],
    pairs: frozenset[str],
    words: frozenset[str],
    texts: list[str],
    content: WordTest,
    thing: WordTest,
) -> list[Phrase]:
    """Candidates for a topic's label, best first. ``features``: the topic's distinctive features as
    shown (预付卡退费) with their scores, ``pairs`` those that are two words; ``words``: the words
    they are made of that may open or close a phrase; ``texts``: a sample of the topic's complaints;
    ``content`` and ``thing``: the label grammar's word tests (``labels``)."""
    counts: Counter[Span] = Counter()
    sides: dict[Span, Counter[tuple[int, str]]] = {}
    for text in texts:
        found: dict[Span, set[tuple[int, str]]] = {}
        for clause in clauses_of(text[:TEXT_CHARS]):
            if words.isdisjoint(clause):
                continue
            for span, (before, after) in _spans(clause, words, content, thing).items():
                found.setdefault(span, set()).update(
                    (side, w) for side, w in ((0, before), (1, after)) if w is not None
                )
        counts.update(found.keys())
        for span, near in found.items():
            sides.setdefault(span, Counter()).update(near)
    need = max(2, MIN_SHARE * len(texts))
    out: dict[str, Phrase] = {}
    for span, count in counts.items():
        if count < need or (whole := _whole(span, sides[span], count, content)) is None:
            continue
        text = "".join(whole)
        held = sum(score for f, score in features.items() if f in text)
        problem = len(whole) > 1 and any(word_tag(w) in NOUN_TAGS for w in whole) and any(map(_problem_word, whole))
        weight = PROBLEM_WEIGHT if problem else 1.0
        held_pairs = frozenset(p for p in pairs if p in text)
        phrase = Phrase(text, weight * held * count / len(texts), len(whole), problem, held_pairs)
        if text not in out or out[text].score < phrase.score:
            out[text] = phrase
    return sorted(out.values(), key=lambda p: (-p.score, p.text))


def best_phrase(candidates: list[Phrase], fallback: str) -> str:
    """The label among the ``written_phrases``: the best, or the best phrase holding it that scores
    at least ``HOLDING`` of it when the best is a bare word, or the holder adds what went wrong or a
    distinctive two-word feature (旅行社 → 旅行社退团不退费, 客运班车 → 客运班车晚点: it says more).
    A choice that names no problem must hold ``fallback`` (the pair features' label,
    ``labels.label_for``: 公积金 → 公积金贷款), else that label stands: things side by side that
    say no problem (小区业主, 学校老师) are no better than the most distinctive thing (开发商)."""
    if not candidates:
        return fallback
    best = candidates[0]
    near = [c for c in candidates if c.score >= HOLDING * best.score]
    chosen = next(
        (
            c
            for c in near[1:]
            if best.text in c.text
            and (best.words == 1 or (c.problem and not best.problem) or not c.pairs <= best.pairs)
        ),
        best,
    )
    if chosen.problem or fallback in chosen.text:
        return chosen.text
    return next((c.text for c in near if fallback in c.text and c.text != fallback), fallback)
