"""Event labels: the clearest member title, as an analyst would say it in a briefing.

An event is one incident, and its complainants already wrote one-line summaries of it. The label is
the member title most like the others (its words are in most of the other titles), preferring titles
that name the event's main entity, with the boilerplate that opens a title removed (关于, 反映,
投诉, 强烈 …) and a closing 的咨询/的反映 and cut at a word boundary, never inside a word.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

MAX_LABEL = 30  # characters
MAX_LABEL_WITH_BUSINESS = 40  # characters, with the business leading the title
UNNAMED = "（未命名事件）"
_LEAD_WORDS = re.compile(
    r"^(?:关于|对于|对|有关|咨询|请问|反映|反应|投诉|举报|建议|请求|恳请|希望|要求|再次|强烈|紧急|求助|质疑|网友|市民|"
    r"[，,。.！!？?：:；;\s、]+)+"
)
_TAIL = re.compile(r"(?:的(?:反映|投诉|举报|咨询|求助|建议|请求))?[，,。.！!？?：:；;\s]*$")


def clean_title(title: str, cut: callable | None = None) -> str:  # type: ignore[valid-type]
    """A title without opening boilerplate or trailing 问题/反映, at most MAX_LABEL characters cut
    at a word boundary (``cut``: the segmenter's raw cut; without it, characters)."""
    text = re.sub(r"\s+", "", str(title))
    text = _LEAD_WORDS.sub("", text) or text
    text = _TAIL.sub("", text) or text
    if len(text) <= MAX_LABEL:
        return text
    pieces = cut(text) if cut is not None else list(text)
    out = ""
    for piece in pieces:
        if len(out) + len(piece) > MAX_LABEL:
            break
        out += piece
    return out.rstrip("，,、；;：:") or text[:MAX_LABEL]


def medoid_title(titles: list[str], tokens: list[list[str]], entity: str | None = None) -> int:
    """Index of the title most like the others (the mean share of the other titles containing
    each of its words); titles that name ``entity`` go first; ties: the shorter title."""
    n = len(titles)
    if n == 1:
        return 0
    words = [set(t) for t in tokens]
    df = Counter(w for ws in words for w in ws)
    centrality = np.array([sum(df[w] - 1 for w in ws) / (len(ws) * (n - 1)) if ws else 0.0 for ws in words])
    names = np.array([bool(entity) and entity in t for t in titles], dtype=float)
    lengths = np.array([len(t) for t in titles], dtype=float)
    # Naming the entity outweighs centrality; among central titles the shorter reads better.
    score = names + centrality - 1e-4 * lengths
    return int(np.argmax(score))


def event_label(
    titles: list[str], tokens: list[list[str]], entity: str | None, cut=None, business: str | None = None
) -> str:
    """The label of one event from its members' titles and title tokens. ``business``: the business
    (of the export's business column) the event is about; a label that does not name it is led by it,
    since callers write "超市短斤少两" and the briefing must say which shop (鑫福便利店：超市短斤少两)."""
    usable = [i for i, t in enumerate(titles) if isinstance(t, str) and t.strip()]
    if not usable:
        return business or entity or UNNAMED
    best = usable[medoid_title([titles[i] for i in usable], [tokens[i] for i in usable], entity)]
    label = clean_title(titles[best], cut)
    if business and business not in label and len(business) + 1 + len(label) <= MAX_LABEL_WITH_BUSINESS:
        return f"{business}：{label}"
    return label
