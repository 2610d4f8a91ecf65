"""Label checks: does a label read as something an analyst would say in a briefing?

Independent of how the engine builds labels: the label is segmented and its first and last words
are checked against function words (jieba's tags are too unreliable for this: 反对 is tagged an
adverb, 终点站 a numeral), plus the shapes that earlier versions produced and an analyst rejected.
"""

from __future__ import annotations

from analytics.text import segmenter

# Labels of earlier versions an analyst could not present (issue 10): never again.
REJECTED = ("宣传一半", "里面头发", "清楚每月", "承诺随时", "三无产品、程序", "教育突然", "打电话老人", "老人、门票")
SHORT = 8  # characters: up to this, a label is a phrase, not a sentence
# Words a phrase neither starts nor ends with.
FUNCTION_WORDS = frozenset(
    ("的", "地", "得", "了", "和", "与", "及", "或", "等", "一半", "里面", "外面",
     "每月", "每天", "随时", "突然", "平时", "后来", "这种", "那种", "很多", "根本", "实在", "一直", "已经", "非常",
     "特别", "比较", "还是", "就是", "然后", "因为", "所以", "但是", "而且", "如果", "什么", "怎么", "这个", "那个",
     "这些", "那些", "我们", "他们", "自己", "出来", "起来", "一下", "一些", "清楚", "答应", "不说", "不了", "看到",
     "理论", "说好", "店里", "当时")
)  # fmt: skip


def label_problems(label: str) -> list[str]:
    """What is wrong with ``label`` (empty list: it reads as a phrase)."""
    text = str(label or "").strip()
    if not text or text in ("其他", "（未命名事件）"):
        return ["no label"]
    problems = []
    if text in REJECTED:
        problems.append("rejected before")
    if "、" in text.split("（")[0]:
        problems.append("two words side by side")
    words = [w for w in segmenter().cut(text) if w.strip() and not all(ch in "·（）()，,、" for ch in w)]
    # A short label is a phrase, and a phrase neither starts nor ends with a function word; a long one
    # is a complainant's title, a sentence that may well end in 了 or 清楚 ("…停电好多次了").
    if words and len(text) <= SHORT and words[0] in FUNCTION_WORDS:
        problems.append(f"starts with a function word ({words[0]})")
    if words and len(text) <= SHORT and words[-1] in FUNCTION_WORDS:
        problems.append(f"ends with a function word ({words[-1]})")
    if len(text) < 2 or len(text) > 40:
        problems.append("length")
    return problems
