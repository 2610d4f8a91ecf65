"""Topic descriptions: distinctive keywords and phrases, a short Chinese label, representatives.

Distinctiveness of a feature t for topic c compares the share of the topic's documents that contain
t (p_in) with the share among all other documents (p_out): score = p_in · log((p_in + ε)/(p_out + ε)).
Frequent-everywhere words score ~0, rare words score low because p_in is small; words that mark the
topic score high.

The label is what an analyst would say in a briefing: an object and its problem (预付卡跑路退费难,
拖欠农民工工资, 路灯不亮). First choice: the best phrase the topic's complaints write with its
distinctive words (``phrases.written_phrases``: two to four words written one after the other, a
thing among them, a thing with what went wrong counting double; a verb may come first, 安装路灯).
A phrase naming no problem must hold the label of the pair features (公积金 → 公积金贷款), else
that label stands, as it does when the complaints write no phrase often enough: the most
distinctive *pair feature* (two adjacent words) that reads as one: the first
word names a thing (a noun or verbal noun by jieba's dictionary tags: 预付卡, 收费, 教育), the
second is a noun, verb or adjective, and neither is a function word (adverb, numeral, pronoun,
locative, time word …: 宣传一半, 里面头发, 清楚每月, 承诺随时, 教育突然 are fragments) nor one of
``VAGUE``. A long distinctive noun alone (防疫用品, 处方药) is a label too. When no phrase qualifies,
the most distinctive thing-word with 问题 ("门票问题"): never two words side by side ("老人、门票").

The pair features join the content words left once stopwords and one-character words are dropped,
so "洗碗机与图片不符" gives 洗碗机·图片, "扫地机器人与描述不符" 机器人·描述 and "虚假宣传骗老人"
虚假宣传·老人: words nobody wrote as one phrase. So a phrase is a label only when the topic's
complaints write it (``written``, checked against a sample of the topic's own complaints,
``member_texts``): its two words side by side (物业费, 搅拌站噪音) or apart by adverbs or 的 only
(运动鞋一直不发货 gives 运动鞋不发货, 驾校的教练 驾校教练), not by a preposition, a conjunction or a
verb, nor across a comma.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analytics.text.tags import FUNCTION_TAGS, OBJECT_TAGS, word_tag
from analytics.topics.phrases import SKIPPED_TAGS, best_phrase, words_of, written_phrases
from analytics.topics.vectorize import PAIR_SEP

EPS = 1e-3
N_KEYWORDS = 10
CANDIDATES = 40  # most distinctive features considered for a label
# Adverbs that say what did not happen: a keyword may hold one before a word (shown_keywords).
NEGATIONS = frozenset(("不", "没", "未"))
SAMPLE_TEXTS = 300  # complaints of a topic its label is checked against (``written``)
# Words with a content tag that still say nothing about what a complaint is about.
VAGUE = frozenset(
    ("根本", "后来", "平时", "突然", "实在", "这种", "很多", "随时", "每月", "一半", "里面", "出来", "理论", "答应",
     "不说", "不了", "看到", "没办法", "办法", "情况", "问题", "东西", "事情", "一直", "严重", "不肯", "不给", "前三天",
     "发现", "告诉", "表示", "认为", "知道", "觉得", "打电话", "电话", "多次", "不能", "不到", "不好", "无法", "方面",
     "实际", "频繁", "店里", "说好", "送来", "不认", "没到", "没过", "强制", "擅自", "不公开", "更换", "出错", "当时",
     # seen in the 投诉公示 and deck renders (issue 12): 服务做到, 消费提前, 有限公司停水
     "做到", "提前", "有限公司",
     # seen among the deck's 关键词 (issue 12): 直播带货、直播间、虚假宣传、完全、收到、假货
     "收到",
     # what a complainant asks for, not what went wrong (issue 10: 查处网约车乱收费)
     "查处", "处罚")
)  # fmt: skip


class TermStats:
    """Per-topic document counts of each feature, accumulated chunk by chunk."""

    def __init__(self, n_topics: int, n_features: int) -> None:
        self.in_topic = np.zeros((n_topics, n_features), dtype=np.float64)
        self.sizes = np.zeros(n_topics, dtype=np.int64)

    def add(self, X: sp.csr_matrix, labels: np.ndarray) -> None:
        k, n_features = self.in_topic.shape
        X = X[:, :n_features]  # the vectoriser's columns past its vocabulary (character pairs) name nothing
        ind = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels)))
        binary = X.copy()
        binary.data = np.ones_like(binary.data)
        self.in_topic += (ind @ binary).toarray()
        self.sizes += np.bincount(labels, minlength=k)

    def scores(self) -> np.ndarray:
        total = self.in_topic.sum(axis=0)
        n = self.sizes.sum()
        sizes = np.maximum(self.sizes, 1)[:, None]
        p_in = self.in_topic / sizes
        p_out = (total[None, :] - self.in_topic) / np.maximum(n - self.sizes, 1)[:, None]
        return p_in * np.log((p_in + EPS) / (p_out + EPS))


def display_feature(feature: str) -> str:
    """A phrase as written: "预付卡 退费" → "预付卡退费"; a word inside its neighbour is said once
    ("处方 处方药" → "处方药")."""
    left, sep, right = feature.partition(PAIR_SEP)
    if not sep:
        return feature
    if left in right:
        return right
    if right in left:
        return left
    return left + right


def keywords_for(scores: np.ndarray, vocabulary: np.ndarray, n: int = N_KEYWORDS) -> list[str]:
    """Top distinctive features, phrases shown joined; words already inside a chosen phrase skipped."""
    order = np.argsort(-scores)
    chosen: list[str] = []
    for j in order[: n * 4]:
        if scores[j] <= 0:
            break
        text = display_feature(vocabulary[j])
        if any(text in c or c in text for c in chosen):
            continue
        chosen.append(text)
        if len(chosen) == n:
            break
    return chosen


@lru_cache(maxsize=65536)  # asked for every word of the complaints read for a label (phrases)
def _thing(word: str) -> bool:
    """Names a thing: a noun-like dictionary tag, not vague."""
    return word not in VAGUE and word_tag(word) in OBJECT_TAGS


@lru_cache(maxsize=65536)
def _content(word: str) -> bool:
    """Says something: a known word that is no function word, no place name and not vague."""
    tag = word_tag(word)
    return word not in VAGUE and tag is not None and tag not in FUNCTION_TAGS and tag not in ("l", "ns")


def readable(feature: str) -> bool:
    """Whether a feature reads as a label on its own (see the module docstring)."""
    left, sep, right = feature.partition(PAIR_SEP)
    if sep:
        return _thing(left) and _content(right)
    return len(feature) >= 3 and _thing(feature)


def _presentable(text: str) -> bool:
    """A keyword as shown (phrases joined) that can stand beside a label: it starts with a thing
    and ends with a word that says something ("营业厅·没说清楚" would not)."""
    from analytics.text import segmenter

    pieces = [p for p in segmenter().cut(text) if p.strip()]
    return bool(pieces) and _thing(pieces[0]) and (len(pieces) == 1 or _content(pieces[-1]))


def member_texts(frame: pd.DataFrame, labels: np.ndarray, k: int, n: int = SAMPLE_TEXTS) -> list[list[str]]:
    """Title and content of up to ``n`` complaints of each topic, spread evenly over its members
    (``frame``: title and content of each corpus row; ``labels``: each row's topic)."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k + 1))
    out = []
    for c in range(k):
        members = order[bounds[c] : bounds[c + 1]]
        if len(members) > n:
            members = members[np.linspace(0, len(members) - 1, n).astype(np.int64)]
        rows = frame.iloc[members][["title", "content"]].fillna("")
        out.append([f"{t}\n{c_}" for t, c_ in zip(rows["title"], rows["content"], strict=True)])
    return out


GAP = 4  # characters between a phrase's two words that may still be adverbs or 的 only


@lru_cache(maxsize=4096)
def _gap_only(gap: str) -> bool:
    """Whether the text between a phrase's two words is nothing, or adverbs and 的 only."""
    from analytics.text import segmenter

    return all(word_tag(w) in SKIPPED_TAGS for w in segmenter().cut(gap) if w.strip())


def written(feature: str, texts: list[str]) -> bool:
    """Whether a phrase is written as one: of the complaints that use both its words, at least a
    third (and two) write the second after the first with nothing, adverbs or 的 between
    (运动鞋一直不发货, 驾校的教练). 洗碗机与图片, 机器人与描述 and 虚假宣传骗老人 are no phrase; a single word is
    written by definition."""
    left, sep, right = feature.partition(PAIR_SEP)
    if not sep:
        return True
    shown = display_feature(feature)
    if shown != left + right:  # one word inside the other (处方 处方药): the longer is what is written
        return sum(1 for t in texts if shown in t) >= 2
    together = re.compile(f"{re.escape(left)}(.{{0,{GAP}}}?){re.escape(right)}")
    both = joined = 0
    for text in texts:
        if left in text and right in text:
            both += 1
            joined += any(_gap_only(m.group(1)) for m in together.finditer(text))
    return joined >= 2 and 3 * joined >= both


def _extended(feature: str, candidates: list[str], texts: list[str]) -> str:
    """A phrase as shown, one word longer when the topic writes it so: 网店·拒绝 with 拒绝·退货
    among the candidates is 网店拒绝退货 where complaints write that (a verb without its object,
    网店拒绝, says half)."""
    shown = display_feature(feature)
    left, sep, right = feature.partition(PAIR_SEP)
    if not sep or shown != left + right:
        return shown
    having = [t for t in texts if shown in t]
    for other in candidates:
        head, sep2, tail = other.partition(PAIR_SEP)
        if sep2 and head == right and _content(tail) and tail not in shown:
            longer = shown + tail
            joined = sum(1 for t in having if longer in t)
            if joined >= 2 and 3 * joined >= len(having):
                return longer
    return shown


def label_for(scores: np.ndarray, vocabulary: np.ndarray, texts: list[str]) -> str:
    order = [j for j in np.argsort(-scores)[:CANDIDATES] if scores[j] > 0]
    features = {display_feature(vocabulary[j]): float(scores[j]) for j in order}
    pairs = frozenset(display_feature(vocabulary[j]) for j in order if PAIR_SEP in vocabulary[j])
    words = frozenset(w for j in order for w in vocabulary[j].split(PAIR_SEP) if _content(w))
    return best_phrase(
        written_phrases(features, pairs, words, texts, _content, _thing), _pair_label(order, vocabulary, texts)
    )


def _pair_label(order: list[int], vocabulary: np.ndarray, texts: list[str]) -> str:
    """The label of the pair features (see the module docstring), when no written phrase names a problem."""
    for j in order:
        if readable(vocabulary[j]) and written(vocabulary[j], texts):
            return _extended(vocabulary[j], [vocabulary[i] for i in order], texts)
    things = [vocabulary[j] for j in order if PAIR_SEP not in vocabulary[j] and _thing(vocabulary[j])]
    if things:
        return things[0] if things[0].endswith("问题") else f"{things[0]}问题"
    return "其他"


def describe(stats: TermStats, vocabulary: np.ndarray, texts: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """(labels, keywords) per topic; labels made unique within the run. ``texts``: a sample of each
    topic's complaints (``member_texts``), which a label's phrase must be written in."""
    scores = stats.scores()
    labels, keywords = [], []
    seen: dict[str, int] = {}
    for c in range(scores.shape[0]):
        kws = keywords_for(scores[c], vocabulary)
        label = label_for(scores[c], vocabulary, texts[c])
        if label in seen:
            extra = next((k for k in kws if k not in label and _presentable(k) and _in(k, texts[c])), str(c + 1))
            label = f"{label}·{extra}"
        seen[label] = c
        labels.append(label)
        keywords.append(kws)
    return labels, keywords


def _in(shown: str, texts: list[str]) -> bool:
    """A keyword as shown is written in at least two of the texts."""
    return sum(1 for t in texts if shown in t) >= 2


def shown_keywords(keywords: list[str], n: int = 6) -> list[str]:
    """The first ``n`` keywords a meeting can read: none made of or holding a function word or a
    vague one (完全, 收到: keywords are the topic's most distinctive words, whatever their kind),
    except a negation before a word, whatever jieba tags that word (不发货, 押金不退, 价格不一致 with
    一致 an adverb: what went wrong)."""
    from analytics.text import segmenter

    def readable(pieces: list[str]) -> bool:
        negated = [False, *(p in NEGATIONS for p in pieces)]
        return all(
            (p in NEGATIONS and i < len(pieces) - 1)
            or negated[i]
            or (p not in VAGUE and word_tag(p) not in FUNCTION_TAGS)
            for i, p in enumerate(pieces)
        )

    seg = segmenter()
    return [k for k in keywords if readable([p for p in seg.cut(k) if p.strip()])][:n]


def reads_as_label(text: str) -> bool:
    """Whether a label as shown (joined, perhaps curated or stored by an older run) follows the
    grammar above: one long thing-word, a thing and a word that says something, a thing with 问题,
    or longer: starting with a thing and ending with a content word, or content words only with a
    thing among them (拖欠农民工工资), no punctuation between. The
    part after a '·' (which tells duplicate labels apart) is not judged. 宣传一半, 里面头发, 教育突然
    and 老人、门票 are not labels."""
    from analytics.text import segmenter

    head = text.split("·", 1)[0].strip()
    pieces = [p for p in segmenter().cut(head) if p.strip()]
    if not pieces or any(not any(ch.isalnum() for ch in p) for p in pieces):
        return False  # punctuation inside: two words side by side ("老人、门票"), not one phrase
    if len(pieces) == 1:
        return readable(pieces[0])
    if pieces[-1] == "问题":
        return len(pieces) == 2 and _thing(pieces[0])
    return _presentable(head) or _object_and_problem(words_of(head))


def _object_and_problem(words: list[str]) -> bool:
    """A phrase ``phrases.written_phrases`` may give, a negation joined to its word: content words
    of two or more characters, one a thing, perhaps a one-character adjective last (拖欠农民工工资,
    运动鞋不发货, 培训质量差)."""
    body = words[:-1] if len(words[-1]) == 1 and word_tag(words[-1]) == "a" else words
    return all(len(w) >= 2 and _content(w) for w in body) and any(_thing(w) for w in body)


def public_label(label: str, *, curated: bool, sector: str | None) -> str:
    """The label shown where the public or a meeting reads it (投诉公示, the deck): the analyst's own
    label, or one that reads as a phrase; otherwise the issue of its main sector (教育培训类问题),
    never a raw fragment."""
    if curated or reads_as_label(label):
        return label
    return f"{sector}类问题" if sector else "其他问题"
