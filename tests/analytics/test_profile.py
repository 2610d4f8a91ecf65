from __future__ import annotations

from pathlib import Path

import pytest

from analytics.errors import UserError
from analytics.profile import load_profile

REQUIRED_SECTORS = [
    "食品", "药品", "商业零售", "网络购物/直播电商", "银行保险", "文化旅游", "教育培训", "交通运输",
    "卫生健康/医疗美容", "个人信息", "商品房", "装修", "养老服务", "美容美发", "健身", "餐饮", "通信", "家电",
    "汽车", "物业", "快递",
]  # fmt: skip


def test_reference_region_has_eight_counties_with_populations() -> None:
    profile = load_profile()
    assert profile.name == "清远市"
    assert sorted(profile.county_names) == sorted(
        ["清城区", "清新区", "英德市", "连州市", "佛冈县", "阳山县", "连南瑶族自治县", "连山壮族瑶族自治县"]
    )
    assert all(c.population > 50_000 for c in profile.counties)
    assert profile.geojson is not None and profile.geojson.exists()


def test_sector_taxonomy_covers_required_sectors_with_regulators() -> None:
    profile = load_profile()
    assert 22 <= len(profile.sectors) <= 32
    for name in REQUIRED_SECTORS:
        assert profile.sector(name).regulator, name
    assert profile.regulator_of("商品房") == "住房和城乡建设局"
    assert profile.regulator_of("养老服务") == "民政局"
    assert profile.regulator_of("教育培训") == "教育局"
    # What fits no sector (a message-board export's bus route) has no lead regulator to suggest.
    assert profile.regulator_of("其他") == "" and profile.regulator_of("未知行业") == ""
    assert all(s.keywords for s in profile.sectors if s.name != "其他")


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("清城", "清城区"),
        ("连南", "连南瑶族自治县"),
        ("连南县", "连南瑶族自治县"),
        (" 连山县 ", "连山壮族瑶族自治县"),
        ("清远市英德市", "英德市"),
        ("广东省清远市连州市星子镇", "连州市"),
        ("外省某县", "外省某县"),
        ("", None),
    ],
)
def test_county_names_are_canonicalised(raw: str, canonical: str | None) -> None:
    assert load_profile().canonical_county(raw) == canonical


def test_missing_profile_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        load_profile(tmp_path / "none.toml")
