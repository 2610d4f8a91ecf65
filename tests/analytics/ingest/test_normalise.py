"""Value normalisation: dates, kinds, counties, sectors, amounts, text; header aliases; masking."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from analytics.ingest import normalise as nz
from analytics.ingest.headers import FIELDS, match_headers, missing_required, normalise_header, parse_map_options
from analytics.ingest.pii import mask_array, mask_identifier, mask_personal_data
from analytics.ingest.readers import cell_text
from analytics.profile import load_profile


def _eval(builder, value: str | None):
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT ?::VARCHAR AS v", [value])
    return con.execute(f"SELECT {builder('v')} FROM t").fetchall()[0][0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019/2/28 11:25:05", datetime(2019, 2, 28, 11, 25, 5)),
        ("2019-02-28", datetime(2019, 2, 28)),
        ("2019年2月28日", datetime(2019, 2, 28)),
        ("2019年2月28日 9时5分", datetime(2019, 2, 28, 9, 5)),
        ("20190228", datetime(2019, 2, 28)),
        ("20190228093000", datetime(2019, 2, 28, 9, 30)),
        ("43524", datetime(2019, 2, 28)),
        ("43524.5", datetime(2019, 2, 28, 12)),
        ("2019.2.28", datetime(2019, 2, 28)),
        ("2019-02-28T11:25:05", datetime(2019, 2, 28, 11, 25, 5)),
        ("2019-02-28 11:25:05.123", datetime(2019, 2, 28, 11, 25, 5, 123000)),
        (cell_text(datetime(2019, 2, 28, 11, 25, 5)), datetime(2019, 2, 28, 11, 25, 5)),
        ("不详", None),
        ("12", None),
        ("1899-12-31", None),
        ("1989-12-31", None),  # before 1990: a typo, not a complaint date
        ("2099-01-01", None),  # a placeholder far in the future
    ],
)
def test_dates(raw: str, expected: datetime | None) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT ?::VARCHAR AS v", [raw])
    got = con.execute(f"SELECT {nz.date_in_range_sql(nz.date_sql('v'))} FROM t").fetchall()[0][0]
    assert got == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3000元", 3000.0), ("3,000", 3000.0), ("￥1,234.50", 1234.5), ("1.2万", 12000.0), ("约三千", None), (None, None)],
)
def test_amounts(raw: str | None, expected: float | None) -> None:
    assert _eval(nz.amount_sql, raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["NaN", "inf", "-inf", "1e999", "0", "-5", "13812345678", "300013812345678", f"{nz.MAX_AMOUNT_YUAN + 1}"],
)
def test_implausible_amounts_are_not_amounts(raw: str) -> None:
    assert _eval(lambda v: nz.amount_in_range_sql(nz.amount_sql(v)), raw) is None
    assert _eval(lambda v: nz.amount_in_range_sql(nz.amount_sql(v)), str(nz.MAX_AMOUNT_YUAN)) == nz.MAX_AMOUNT_YUAN


def test_kinds() -> None:
    raw = ("投诉类", "投诉件", "消费投诉", "咨询类", "意见建议", "举报", "表扬", "??")
    expected = ["投诉", "投诉", "投诉", "咨询", "建议", "举报", "其他", None]
    assert [nz.canonical_kind(k) for k in raw] == expected


def test_counties_to_canonical_names() -> None:
    profile = load_profile()
    cases = {
        "清城": "清城区",
        "连南": "连南瑶族自治县",
        "连南县": "连南瑶族自治县",
        "清远市英德市": "英德市",
        "A市A3区": None,
    }
    assert {raw: nz.canonical_county(profile, raw) for raw in cases} == cases


def test_sectors_mapped_and_inferred() -> None:
    profile = load_profile()
    assert nz.map_sector(profile, "食品") == "食品"
    assert nz.map_sector(profile, "直播电商") == "网络购物/直播电商"
    assert nz.map_sector(profile, "食品安全") == "食品"
    assert nz.map_sector(profile, "城乡建设") is None
    assert nz.infer_sector(profile, "在直播间买的衣服掉色，主播不理") == "网络购物/直播电商"
    assert nz.infer_sector(profile, "今天天气很好") is None


def test_clean_text_and_array_agree() -> None:
    values = ["\n\t\t\u3000\u3000正文\t开始\u3000 ", "  a  b ", "\u3000", None, "第一行\r\n\t第二行"]
    expected = ["正文 开始", "a b", None, None, "第一行\n第二行"]
    assert [nz.clean_text(v) for v in values] == expected
    assert nz.clean_array(pa.array(values, pa.large_string())).to_pylist() == expected


MASK_CASES = [
    ("电话13812345678", "电话138****5678"),
    ("13812345678,13912345678", "138****5678,139****5678"),
    ("手机 138-1234-5678 联系", "手机 138****5678 联系"),
    ("+8613812345678", "+86138****5678"),
    ("身份证44010219900101123X", "身份证440102********123X"),
    ("身份证号440102199001011234。", "身份证号440102********1234。"),
    ("卡号6222021234567890123", "卡号6222********0123"),
    ("卡号 6222 0212 3456 7890 ", "卡号 6222 **** **** 7890 "),
    ("座机0763-3123456", "座机0763-****3456"),
    ("金额3000元，订单20240101", "金额3000元，订单20240101"),
    ("工单号GD2023000001", "工单号GD2023000001"),
    ("", ""),
    # NFKC before masking, and the separators people write.
    ("１３８１２３４５６７８", "138****5678"),
    ("138.1234.5678", "138****5678"),
    ("008613812345678", "0086138****5678"),
    ("+86 138 1234 5678", "+86 138****5678"),
    ("＋８６　１３８　１２３４　５６７８", "+86 138****5678"),
    ("440102-19900101-1234", "440102********1234"),
    ("440102 19900101 1234", "440102********1234"),
    ("金额3000 13812345678", "金额3000 138****5678"),
    ("全角，标点（不变）２０２４年", "全角，标点（不变）２０２４年"),  # nothing personal: unchanged
]


@pytest.mark.parametrize(("raw", "expected"), MASK_CASES)
def test_masking_python_and_arrow_agree(raw: str, expected: str) -> None:
    assert mask_personal_data(raw) == expected
    assert mask_array(pa.array([raw], pa.large_string())).to_pylist() == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "138****5678"),
        ("440102199001011234", "440102********1234"),
        ("6222021234567890128", "6222********0128"),  # passes the Luhn check: a card
        ("202403051234567890", "202403051234567890"),  # a long ticket number stays readable
        ("6222021234567890123", "6222021234567890123"),  # fails the Luhn check: not a card
        ("GD2023000001", "GD2023000001"),
    ],
)
def test_identifiers_are_masked_strictly(raw: str, expected: str) -> None:
    assert mask_identifier(raw) == expected
    assert mask_array(pa.array([raw]), strict=True).to_pylist() == [expected]


def test_header_normalisation_and_aliases() -> None:
    assert normalise_header(" 受理 时间：") == normalise_header("受理时间") == normalise_header("受理时间(必填)")
    assert normalise_header("ＩＤ") == "id"
    issue_aliases = {
        "complaint_id": "编号 工单编号 投诉编号 留言编号 受理编号 案件编号",
        "received_at": "受理时间 登记时间 来电时间 投诉时间 留言时间 创建时间 日期",
        "closed_at": "办结时间 结案时间 答复时间 回复时间 完成时间",
        "kind": "诉求类型 工单类型 事项类型 类型",
        "county": "区县 所属区县 所属区域 区域 县区",
        "sector": "行业 行业分类 所属行业 领域 问题分类 投诉分类 一级分类",
        "business": "被投诉人 被投诉单位 被投诉方 经营者 商家",
        "title": "标题 主题 留言主题 诉求标题",
        "content": "诉求内容 投诉内容 内容 详情 留言详情 问题描述",
        "result": "处理结果 办理结果 答复意见 回复内容",
        "department": "承办单位 处理部门 办理单位",
        "amount": "金额 涉案金额 涉及金额",
        "support": "点赞数",
        "opposition": "反对数",
        "complainant": "投诉人 留言用户",
    }
    for field, names in issue_aliases.items():
        for name in names.split():
            assert match_headers([name])[name] == field, name
    assert match_headers(["金额（元）", "Ｅ-mail"]) == {"金额（元）": "amount", "Ｅ-mail": ""}


def test_first_column_wins_and_overrides() -> None:
    mapping = match_headers(["标题", "主题", "受理时间", "备注"], overrides={"备注": "content", "受理时间": ""})
    assert mapping == {"标题": "title", "主题": "", "受理时间": "", "备注": "content"}
    assert missing_required(mapping) == ["received_at"]
    assert parse_map_options(["来电日期=received_at", "备注="]) == {"来电日期": "received_at", "备注": ""}
    with pytest.raises(ValueError):
        parse_map_options(["来电日期=when"])
    assert "received_at" in FIELDS
