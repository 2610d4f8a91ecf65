"""Named things in complaint text: estates, businesses, schools, roads, projects, lenders.

Real 12345 and message-board exports rarely have a business column: the estate, shop or lender is
named in the text ("A2区丽发新城小区附近搅拌站噪音扰民"). An incident is about one such thing, so
the event stage needs them, written the same way across different wordings.

A *mention* is a run of characters that ends in an entity suffix (小区, 花园, 苑, 新城, 公司, 学院,
医院, 路, 项目, 车贷 …, ``SUFFIXES``). Where the name starts is not marked in Chinese text, so each
mention gives candidates of growing length ("新城小区", "发新城小区", "丽发新城小区", "映丽发新城小区"),
and the corpus decides: a candidate is extended one character to the left while at least
``EXTEND_SHARE`` of the documents that contain it also contain the longer form. "丽发新城小区" is in
40 documents and "映丽发新城小区" in 2, so the name stops at 丽. Names found in fewer than
``min_df`` documents are no entity (one message is no incident). Administrative places (the region's
counties and towns, masked codes such as "A2区", "K市") and lead words (反映, 关于, 位于 …) are cut
first: they name where, not what.

The business column, where an export has one, gives entities too: ``business_key``
(:mod:`analytics.events.businesses`) reduces a chain's branches to the brand.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from analytics.profile import RegionProfile, load_profile
from analytics.text.parallel import map_chunks

T = TypeVar("T")

# What names an incident's object. Longer suffixes first (the regex takes the first that matches).
SUFFIXES = (
    "小区", "花园", "家园", "公馆", "华庭", "名城", "新城", "新村", "广场", "大厦", "公寓", "山庄", "别墅", "楼盘",
    "项目", "工程", "公司", "集团", "银行", "车贷", "平台", "学院", "大学", "中学", "小学", "学校", "幼儿园",
    "医院", "卫生院", "诊所", "超市", "商场", "市场", "酒店", "宾馆", "驾校", "健身房", "4S店", "搅拌站", "加油站",
    "垃圾站", "中转站", "车站", "工厂", "大道", "大桥", "高速", "社区", "苑", "府", "城", "湾", "园", "庄",
    "厂", "场", "路", "街", "桥", "村", "店",
)  # fmt: skip
# Names that end in a suffix but name no particular thing.
GENERIC = frozenset(
    ("道路", "马路", "公路", "小路", "农村", "乡村", "城市", "县城", "进城", "全城", "商城", "学校", "医院", "公司",
     "银行", "工厂", "市场", "广场", "小区", "花园", "平台", "项目", "工程", "社区", "超市", "商场", "车站", "现场",
     "农场", "场所", "停车场", "菜市场", "养殖场", "游乐场", "操场", "立场", "官场", "商店", "门店", "网店", "本店",
     "该店", "分店", "总店", "小店", "药店", "酒店", "饭店", "民办学校", "公办学校", "私立学校", "培训学校",
     "物业公司", "开发公司", "房地产公司", "建筑公司", "保险公司", "快递公司", "电力公司", "自来水公司", "燃气公司",
     "家园", "校园", "公园", "园区", "乐园", "果园", "菜园", "幼儿园", "产业园", "工业园", "城区", "老城", "新城",
     "大学", "中学", "小学", "学院", "卫生院", "诊所", "高速", "大桥", "厂家", "厂房", "村里", "本村", "我村", "该村",
     "村民", "附近村", "街道", "大街", "小街", "上街", "沿街", "老街", "步行街", "国道", "省道", "县道", "乡道", "村道",
     "每条路", "这条路", "那条路", "出路", "一路", "回家路", "小区内", "小区里", "本小区", "该小区", "我们小区",
     "整个小区", "加油站", "垃圾站", "搅拌站", "贷款平台", "网贷平台", "投资平台", "车贷", "网上平台", "过马路",
     "级公路", "级道路", "行道路", "交叉路", "线路", "有限公司", "责任公司", "有限责任公司", "股份公司", "新农村",
     "城中村")
)  # fmt: skip
# Words after which a name starts: verbs and particles of the sentence around it, quantifiers.
_LEAD = re.compile(
    r"关于|反映|反应|投诉|举报|咨询|请问|建议|希望|要求|请求|位于|地处|就在|我是|我们|本人|业主|居民|市民|家住|住在|"
    r"购买了?|买了|入住|一座|一条|一个|一家|一所|这条|那条|这家|那家|[在的对向给和与及是了从到把被让由将为请问等这那该个各些其"
    r"此我你他她它们说称于又也都就还但而并或区县市镇乡省座条所]"
)
_CODED_PLACE = re.compile(r"[A-Z][0-9]{0,2}(?:市|县|区|州)")
_SPLIT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_SUFFIX = re.compile("|".join(re.escape(s) for s in SUFFIXES))
MAX_NAME = 10  # characters before the suffix
_ONE_CHAR_SUFFIXES = frozenset(s for s in SUFFIXES if len(s) == 1)
MIN_NAME = 2
EXTEND_SHARE = 0.5
HEAD_CHARS = 200  # characters of each text searched: the title and the head of the content


# Compiled per profile object: hashing a RegionProfile (every county's towns) costs more than
# the search itself, and this is asked once or twice per complaint.
_PATTERNS: dict[int, tuple[RegionProfile, re.Pattern[str]]] = {}


def _place_pattern(profile: RegionProfile) -> re.Pattern[str]:
    known = _PATTERNS.get(id(profile))
    if known is not None and known[0] is profile:
        return known[1]
    names = {profile.name, profile.name.removesuffix("市")}
    for county in profile.counties:
        names.update((county.name, *county.aliases, *county.towns))
    names = {n for n in names if len(n) >= 2}
    alternatives = [re.escape(n) for n in sorted(names, key=len, reverse=True)]
    pattern = re.compile("|".join([*alternatives, r"[\u4e00-\u9fff]{2,4}(?:街道|镇|乡)"]))
    _PATTERNS[id(profile)] = (profile, pattern)
    return pattern


def _places_marked(text: str, profile: RegionProfile) -> str:
    """``text`` with each administrative place written as ``⟨place⟩``, so a name can tell where it
    starts (right after a place) and which place qualifies it ("A7县人民医院")."""
    marked = _CODED_PLACE.sub(lambda m: f"⟨{m.group()}⟩", text)
    return _place_pattern(profile).sub(lambda m: f"⟨{m.group()}⟩", marked)


_RUN = re.compile(r"(?:⟨([^⟩]*)⟩)?([\u4e00-\u9fffA-Za-z0-9]+)")
# After a one-character suffix, these characters keep it a suffix ("开元路口" is 开元路); any other
# character that makes a dictionary word with it means it was no suffix ("城市", "村民", "场所").
_STILL_SUFFIX = frozenset("口面边旁上内里外前后处附周对")


def _inside_word(text: str, lead: re.Match[str], words: dict[str, int]) -> bool:
    """A one-character lead that makes a word with the character before or after it is part of
    a name, not the sentence around it: 和 in 怡和路 and 和平路, 都 and 市 in 都市花园."""
    if lead.end() - lead.start() != 1:
        return False
    i = lead.start()
    before, after = text[max(i - 1, 0) : i + 1], text[i : i + 2]
    return any(len(pair) == 2 and words.get(pair, 0) > 0 for pair in (before, after))


@dataclass(frozen=True)
class Mention:
    options: tuple[str, ...]  # candidate names, shortest first
    suffix: str
    place: str  # the administrative place written right before the name, or ""
    complete: bool  # the longest candidate is all that stands before the suffix (not cut at MAX_NAME)


def mentions(text: str, profile: RegionProfile | None = None) -> list[Mention]:
    """The mentions of ``text`` with their candidate names (see the module docstring)."""
    words = _dictionary()
    out: list[Mention] = []
    for place, run in _RUN.findall(_places_marked(text, profile or load_profile())):
        if len(run) < MIN_NAME + 1:
            continue
        for match in _SUFFIX.finditer(run):
            suffix = match.group()
            after = run[match.end() : match.end() + 1]
            if len(suffix) == 1 and after and after not in _STILL_SUFFIX and words.get(suffix + after):
                continue
            tail = run[match.start() - 1 : match.end()] if match.start() else ""
            if len(suffix) == 1 and words.get(tail, 0) > 0:
                continue  # "现场", "绕路", "闭店", "公园": with the character before, a word of its own
            before = run[: match.start()]
            cut = max((m.end() for m in _LEAD.finditer(before) if not _inside_word(before, m, words)), default=0)
            at_start = cut == 0
            before = before[cut:]
            whole = len(before) <= MAX_NAME
            before = before[-MAX_NAME:]
            if len(before) < MIN_NAME:
                continue
            options: list[str] = []
            for k in range(len(before), MIN_NAME - 1, -1):  # longest first: a generic word ends the list
                option = before[-k:] + suffix
                if option in GENERIC or _ends_generic(option):
                    break
                options.append(option)
            if options:
                # The place qualifies the name only when the name is all that follows it.
                whole_name = at_start and whole and options[0] == before + suffix
                out.append(Mention(tuple(reversed(options)), suffix, place if whole_name else "", whole))
    return out


_NORM_TAIL = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|公司|小区)$")
_TRADE = re.compile(r"(?:房地产开发|房地产|地产|置业|开发|物业服务|物业管理|物业|建设|建筑|投资|实业|发展|科技)$")


def _norm(name: str) -> str:
    """One spelling for one thing: a trailing 小区 or legal form adds nothing ("丽发新城小区" =
    "丽发新城"); "" when only a trade is left ("房地产开发有限公司" names no company)."""
    core = _NORM_TAIL.sub("", name)
    if len(core) < 3 and core != name:
        return name if len(name) >= 3 and not _TRADE.fullmatch(core) else ""
    if _TRADE.fullmatch(core):
        return ""
    return core


_CITY_CODE = re.compile(r"([A-Z])[0-9]{0,2}(?:市|县|区|州)")


def cities(text: str, profile: RegionProfile | None = None) -> frozenset[str]:
    """The cities ``text`` names: a masked code's letter ("A7县" → A) or the profile's city for any
    of its counties and towns. Two complaints naming different cities are not one incident."""
    profile = profile or load_profile()
    found = set(_CITY_CODE.findall(text))
    if _place_pattern(profile).search(text):
        found.add(profile.name)
    return frozenset(found)


def _ends_generic(name: str) -> bool:
    return name.endswith(("政府", "部门", "单位"))


@cache
def _dictionary() -> dict[str, int]:
    """jieba's dictionary with the project's words: word -> frequency (0: only a prefix)."""
    from analytics.text import segmenter

    return segmenter().reference.FREQ


WHOLE_SHARE = 0.5  # of a name's mentions that must be all of what stands before the suffix
COMMON_WORD = 200  # a name part this frequent in jieba's dictionary is a common word (人民, 中心)
PHRASE_WORD = 3  # a whole candidate this frequent is a common phrase (水泥路, 农贸市场) …
# … unless jieba tags it a proper name: 凤翔路 (nr), 中山路 (ns) and 解放路 (nz) are roads of their own,
# 水泥路 and 批发市场 (n) are kinds of thing. Frequency alone cannot tell them apart (凤翔路 3,
# 批发市场 3, 解放路 530).
PROPER_TAGS = frozenset(("ns", "nr", "nrt", "nrfg", "nz", "nt"))


@dataclass
class EntityIndex:
    """Entities per document of a corpus, found as the module docstring says.

    ``strong``: names one particular thing (丽发新城, A7县人民医院, a business brand) and can
    unite an incident across wordings; ``weak``: a common word with a suffix (人民医院, 安置小区),
    a hint for the text similarity only.
    """

    strong: list[list[str]]
    weak: list[list[str]]
    cities: list[frozenset[str]]  # per document, the cities it names (``cities``)


# Word kinds a name never holds (locatives and time words may: 沿江东路, 城东, 春天花园).
_NOT_IN_NAMES = frozenset(
    ("d", "ad", "dg", "m", "mq", "q", "r", "rr", "rz", "p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "y", "e", "o")
)


@cache
def _common_phrase(name: str) -> bool:
    from analytics.text.tags import word_tag

    return _dictionary().get(name, 0) >= PHRASE_WORD and word_tag(name) not in PROPER_TAGS


@cache
def _says_something(name: str) -> bool:
    """The name holds a word a name never holds: an adverb, numeral, pronoun, preposition, particle
    or negation (故意, 明明, 几次, 没)."""
    from analytics.text import segmenter
    from analytics.text.tags import word_tag

    pieces = segmenter().cut(name)
    return any((len(p) > 1 and word_tag(p) in _NOT_IN_NAMES) or p in "没不未" for p in pieces)


def _choose(mention: Mention, df: Counter, min_df: int) -> str | None:
    """The mention's name: its shortest candidate extended to the left while the longer form keeps
    at least EXTEND_SHARE of the documents; None when even the shortest is too rare."""
    best = None
    for option in mention.options:
        if df[option] < min_df or (best is not None and df[option] < EXTEND_SHARE * df[best]):
            break
        best = option
    return best


# The regular-expression search is most of the entity stage: big corpora use every core.
PARALLEL_MIN_TEXTS = 50_000
CHUNK_TEXTS = 10_000


@dataclass
class _Found:
    """One chunk's search: each text's mentions and cities, and how many texts hold each candidate."""

    mentions: list[list[Mention]]
    cities: list[frozenset[str]]
    df: Counter


def _search(chunk: tuple[list[str], RegionProfile]) -> _Found:
    # Runs on a pool worker for big corpora: everything per text happens here, so the main
    # process only adds up the chunks' counts (at a million texts, ~40 s it would spend alone).
    texts, profile = chunk
    found = _Found([], [], Counter())
    # One object per distinct mention, candidate and city set of the chunk: a name worth finding
    # is written in many complaints, and pickle sends a shared object once, so the main process
    # holds each once per chunk instead of once per complaint (at a million complaints the
    # per-complaint copies were 0.8 GB of the pipeline's peak memory).
    shared: dict[object, object] = {}

    def one(value: T) -> T:
        return shared.setdefault(value, value)  # type: ignore[return-value]

    for text in texts:
        doc = [
            one(Mention(tuple(one(o) for o in m.options), m.suffix, m.place, m.complete))
            for m in mentions(text[:HEAD_CHARS], profile)
        ]
        found.mentions.append(doc)
        found.cities.append(one(cities(text, profile)))
        found.df.update({o for m in doc for o in m.options})
    return found


def find_entities(texts: list[str], min_df: int = 3, profile: RegionProfile | None = None) -> EntityIndex:
    """Entities of each text (title + head of the content, as the caller joins them)."""
    profile = profile or load_profile()
    words = _dictionary()
    chunks = [(texts[i : i + CHUNK_TEXTS], profile) for i in range(0, len(texts), CHUNK_TEXTS)]
    parts = map_chunks(_search, chunks) if len(texts) >= PARALLEL_MIN_TEXTS else [_search(c) for c in chunks]
    found = [doc for part in parts for doc in part.mentions]
    df: Counter = Counter()
    for part in parts:
        df.update(part.df)
    best: dict[Mention, str | None] = {}  # one choice per distinct mention (most are shared)
    choices = [[best[m] if m in best else best.setdefault(m, _choose(m, df, min_df)) for m in doc] for doc in found]
    # A name that is nearly always the tail of a longer, varying name is a trade, not a thing:
    # "建筑装饰设计" in "金汇建筑装饰设计有限公司", "汇品建筑装饰设计有限公司" ….
    mentioned: Counter = Counter()
    whole: Counter = Counter()
    for doc, chosen in zip(found, choices, strict=True):
        for mention, best in zip(doc, chosen, strict=True):
            if best is not None:
                mentioned[best] += 1
                whole[best] += mention.complete and best == mention.options[-1]
    strong: list[list[str]] = []
    weak: list[list[str]] = []
    for doc, chosen in zip(found, choices, strict=True):
        doc_strong: list[str] = []
        doc_weak: list[str] = []
        for mention, best in zip(doc, chosen, strict=True):
            if best is None or _common_phrase(best) or whole[best] < WHOLE_SHARE * mentioned[best]:
                continue
            if best[0] in _ONE_CHAR_SUFFIXES:
                continue  # "路改造工程", "路施工路": the tail of two different names, no name
            if _says_something(best[: -len(mention.suffix)]):
                continue  # "司机故意绕路", "好几次平台": part of a sentence, not a name
            name = _norm(best)
            if not name:
                continue
            common = words.get(best[: -len(mention.suffix)], 0) >= COMMON_WORD
            if common and mention.place and best == mention.options[-1]:
                name, common = mention.place + name, False
            target = doc_weak if common else doc_strong
            if name not in target:
                target.append(name)
        strong.append(doc_strong)
        weak.append(doc_weak)
    return EntityIndex(strong=_shortest_forms(strong), weak=weak, cities=[c for part in parts for c in part.cities])


def _shortest_forms(strong: list[list[str]]) -> list[list[str]]:
    """One thing written longer and shorter ("沿江东路扩建项目", "沿江东路"; "恒泰翠湖湾", "翠湖湾")
    is one entity: a name that contains another strong name (3+ characters) becomes the longest
    name it contains; one that does not may still be an organisation written with common words
    after its brand (``_without_trade``)."""
    names = {n for doc in strong for n in doc}
    inner: dict[str, str] = {}
    for name in names:
        # Look the name's own substrings up, longest first (a scan of every other name per name
        # would be quadratic in the names of a million complaints); ties go to the first in order.
        for length in range(len(name) - 1, 2, -1):
            found = sorted({name[i : i + length] for i in range(len(name) - length + 1)} & names)
            if found:
                inner[name] = found[0]
                break
        else:
            if (short := _without_trade(name, names)) is not None:
                inner[name] = short
    out = []
    for doc in strong:
        forms: list[str] = []
        for name in doc:
            form = inner.get(name, name)
            if form not in forms:
                forms.append(form)
        out.append(forms)
    return out


def _without_trade(name: str, names: set[str]) -> str | None:
    """The same organisation written without some common words after its brand: 童艺艺术培训学校
    and 童艺培训学校 are 童艺学校 when 童艺学校 is named too (the shortest such form named)."""
    from analytics.text import segmenter

    suffix = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if name.endswith(s)), None)
    if suffix is None:
        return None
    core = name[: -len(suffix)]
    words = _dictionary()
    shorter = []
    for i in range(MIN_NAME, len(core)):
        for j in range(i + 2, len(core) + 1):
            if (candidate := name[:i] + name[j:]) in names and all(
                len(p) > 1 and words.get(p, 0) >= COMMON_WORD for p in segmenter().cut(core[i:j])
            ):
                shorter.append(candidate)
    return min(shorter, key=lambda n: (len(n), n)) if shorter else None
