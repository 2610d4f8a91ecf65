"""The business column as the event stage reads it: one business per name, and one brand for a
chain's branches ("启航教育（清城店）" and "清远市启航教育英德校区" are 启航教育), so one incident is
grouped across them. Entities named in the text are :mod:`analytics.events.entities`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from analytics.business_names import NO_BUSINESS as _NO_BUSINESS
from analytics.profile import RegionProfile, load_profile


def _is_missing(name: object) -> bool:
    return name is None or name is pd.NA or (isinstance(name, float) and np.isnan(name))


def normalise_business(name: object) -> str | None:
    """The name as one business: spaces, brackets and the legal form dropped (branches stay apart).
    None when no business is named (empty, or a placeholder such as 不详, 个人, 商家)."""
    if _is_missing(name):
        return None
    text = re.sub(r"[\s（）()·\-]", "", str(name))
    if text in _NO_BUSINESS:
        return None
    text = _LEGAL_FORM.sub("", text)
    return text if len(text) >= 2 and text not in _NO_BUSINESS else None


_LEGAL_FORM = re.compile(r"(有限责任公司|股份有限公司|有限公司|公司|分店|门店|店)$")


_BRACKETED = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")
_COMPANY_FORM = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|公司)$")
# Suffixes that name a branch of something bigger (a bare 店 does not: 便利店, 酒店 are the brand).
_BRANCH_SUFFIX = re.compile(r"(?:分公司|支公司|分店|门店|专卖店|分校|校区|营业部|营业厅|分部|分院)$")
_PROVINCES = (
    "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南",
    "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
)  # fmt: skip
_REGIONS = ("内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区")
_PROVINCE = re.compile("^(?:" + "|".join([*(f"{p}省" for p in _PROVINCES), *_REGIONS]) + ")")
# A place is only cut off when this much brand is left: "清新超市（英德店）" stays 清新超市, not 超市.
_MIN_BRAND = 3


@dataclass(frozen=True)
class Places:
    """The region's place names, longest first. ``leading``: city, counties with their aliases and
    full town names, cut from the front of a branch's name; ``trailing`` also has the towns' short
    forms (石角镇 → 石角), which name a branch at the end ("好又多超市石角店") but are often a
    brand's own first word ("太平洋保险")."""

    leading: tuple[str, ...]
    trailing: tuple[str, ...]


def place_names(profile: RegionProfile) -> Places:
    leading = {profile.name, profile.name.removesuffix("市")}
    short = set()
    for county in profile.counties:
        leading.update((county.name, *county.aliases, *county.towns))
        short.update(re.sub(r"(街道|镇|乡)$", "", town) for town in county.towns)

    def ordered(names: set[str]) -> tuple[str, ...]:
        return tuple(sorted((n for n in names if len(n) >= 2), key=len, reverse=True))

    return Places(leading=ordered(leading), trailing=ordered(leading | short))


@cache
def _profile_places(profile: RegionProfile) -> Places:
    return place_names(profile)


@cache
def _place_patterns(places: Places) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Leading place, trailing place, and trailing "place + 店" (a branch: "清城店", "石角店").
    Longest wins: alternatives are longest first, and the leftmost suffix match is the longest."""

    def alternatives(names: tuple[str, ...]) -> str:
        return "|".join(re.escape(n) for n in names) or "(?!)"

    return (
        re.compile(f"^(?:{alternatives(places.leading)})"),
        re.compile(f"(?:{alternatives(places.trailing)})$"),
        re.compile(f"(?:{alternatives(places.trailing)})店$"),
    )


def business_key(name: object, places: Places | None = None) -> str | None:
    """The brand a branch belongs to, for grouping one incident across a chain's branches.

    Only a name that says it is a branch is reduced: a bracketed part ("启航教育（清城店）"), a
    branch suffix (分公司, 分店, 校区, 营业厅 …) or a place followed by 店 ("快乐行旅行社清城店").
    Then the province, the legal form and the region's place names at either end go, repeatedly:
    "清远市好又多超市有限公司英德分公司" → "好又多超市". Any other name is its own business
    (``normalise_business``): 清远市人民医院 and 英德市人民医院 stay apart.
    """
    plain = normalise_business(name)
    if plain is None:
        return None
    leading, trailing, branch_shop = _place_patterns(places or _profile_places(load_profile()))
    text = re.sub(r"[\s·\-]", "", str(name))
    unbracketed = _BRACKETED.sub("", text)
    branch = unbracketed != text
    text = unbracketed
    previous = None
    while text != previous:  # one cut per round
        previous = text
        for marker in (_BRANCH_SUFFIX, branch_shop):
            cut = marker.sub("", text)
            if cut != text and len(cut) >= 2:
                text, branch = cut, True
                break
        if text != previous or not branch:
            continue
        text = _COMPANY_FORM.sub("", _PROVINCE.sub("", text))
        if text != previous:
            continue
        for pattern in (leading, trailing):
            match = pattern.search(text)
            if match and len(text) - len(match.group()) >= _MIN_BRAND:
                text = text[: match.start()] + text[match.end() :]
                break
    if not branch:
        text = _COMPANY_FORM.sub("", text)  # as a branch's brand is written: 大参林药店 keeps its 店
    if text in _NO_BUSINESS:
        return None
    return text if len(text) >= 2 else plain


def business_keys(business: pd.Series) -> np.ndarray:
    """``business_key`` of each row (object array, None where no business is named)."""
    places = _profile_places(load_profile())
    names = business.where(business.notna(), None).astype(object)
    keys = {name: business_key(name, places) for name in set(names.dropna())}  # each name once
    return np.array([keys.get(name) if name is not None else None for name in names], dtype=object)
