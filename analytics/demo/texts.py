"""Fragment pools and the composer that turns per-row choices into titles, contents and results.

A content is opening + problem + colloquial detail + demand (+ sometimes a masked phone), each
picked from a pool, with business, product, town, dates and amounts filled in. The choices are
made with numpy beforehand; this module only formats strings, so the same choices give the same
text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _s(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split("|") if s.strip())


# Openings per kind; "" keeps some contents starting straight with the problem.
OPENINGS: dict[str, tuple[str, ...]] = {
    "投诉": _s(
        "本人于{date}在{town}的{biz}消费，|{date}，我在{biz}购买了{product}，|市民来电反映：|消费者投诉：|来电人反映，"
        "|我是{town}居民，|投诉人称，|{date}在{biz}，|本人是{town}的一名消费者，|你好，我想投诉一下，|∅"
        "|消费者于{date}通过电话反映，|今年{month}月份，|家住{town}的市民反映，|我要投诉{biz}，"
    ),
    "举报": _s(
        "举报人反映：|实名举报：|我要举报{biz}，|市民举报称，|有群众反映，|举报{town}的{biz}，|消费者来电举报，|∅"
    ),
    "咨询": _s("来电人咨询：|市民来电咨询，|你好，想咨询一下，|消费者咨询：|请问一下，|∅|有个问题想问问，"),
    "求助": _s("来电求助：|市民来电求助，|我实在没办法了，|求助：|你好，我想求助一下，|家属来电求助，"),
    "建议": _s("市民建议：|来电人建议，|我有个建议，|市民反映并建议，|∅|建议："),
}

DETAILS: tuple[str, ...] = _s(
    "多次联系商家均无果|商家态度很差|客服一直推脱|打电话也不接|说好的{n}天内处理，到现在都没消息"
    "|找了店长也没用|商家说这是公司规定|去店里理论被赶了出来|和商家协商了好几次都没有结果"
    "|商家一开始答应处理，后来就不理人了|店员说找不到负责人|在网上留言也没人回复|发票也不给开"
    "|已经拖了{n}个星期|商家让我自己找厂家|对方说要等老板回来再说|家里人气得睡不着"
    "|商家反而说是我自己的问题|已经跑了{n}趟了|这种情况周边很多人都遇到过|∅|∅"
    "|实在没办法了才打电话|问了好多次都说在走流程|朋友说可以打这个电话|当时没仔细看合同"
)

DEMANDS: dict[str, tuple[str, ...]] = {
    "投诉": _s(
        "要求商家退还{amount}元|希望相关部门尽快处理|要求退货退款|要求商家赔偿损失|请帮忙协调退款"
        "|希望给个说法|要求按合同处理|要求商家道歉并赔偿|希望监管部门介入|请求依法维护消费者权益"
        "|要求全额退款|希望尽快解决|要求给个合理的解决方案"
    ),
    "举报": _s("请相关部门依法查处|希望尽快调查处理|请求核实后严肃处理|希望执法部门去现场检查|请依法处罚"),
    "咨询": _s(
        "请问这种情况应该怎么维权|想了解一下可以找哪个部门|请问商家这样做合法吗|请问能不能要求退款"
        "|想知道需要准备什么材料|请问消费者有哪些权利"
    ),
    "求助": _s("请求帮忙协调|希望有关部门帮帮忙|请帮我们想想办法|希望能帮忙把钱要回来|请求帮助解决"),
    "建议": _s("建议相关部门加强监管|建议加大检查力度|建议出台相关规定|建议对这类商家加强管理|希望能规范这个行业"),
}

REFERS = ("商家", "店家", "对方", "这家店")
CONTACTS: tuple[str, ...] = _s("联系电话：{phone}|请回电{phone}|我的电话是{phone}|电话{phone}")

RESULTS: dict[tuple[str, bool], tuple[str, ...]] = {
    ("投诉", True): _s(
        "经调解，商家同意退还消费者{amount}元，消费者表示满意。|经调解，双方达成和解，商家为消费者办理退货退款。"
        "|经核查，商家已整改并向消费者赔礼道歉，消费者接受处理结果。|经调解，商家同意为消费者免费维修更换。"
        "|经协调，商家已将款项退还，投诉人表示认可。|经调解，商家补偿消费者{amount}元，双方达成一致。"
    ),
    ("投诉", False): _s(
        "经调解，双方分歧较大，未能达成一致，已告知消费者可通过诉讼途径解决。|经营者已停业，负责人联系不上，调解终止。"
        "|经核查，消费者诉求缺乏依据，已向其解释。|商家拒绝调解，已告知投诉人依法维权途径。"
        "|经多次联系，商家不配合，已终止调解并告知投诉人。"
    ),
    ("举报", True): _s(
        "经现场检查，举报情况属实，已责令当事人立即整改并立案调查。|经核查，已对当事人依法作出行政处罚。"
        "|经现场检查，发现部分问题，已责令限期整改。"
    ),
    ("举报", False): _s(
        "经现场核查，未发现举报所述违法行为，已向举报人反馈。|举报线索不清，无法核实，已向举报人说明。"
    ),
    ("咨询", True): _s(
        "已向来电人解答相关政策规定，来电人表示清楚。|已告知来电人维权途径及所需材料。|已解释相关法律规定，来电人表示理解。"
    ),
    ("咨询", False): _s("已记录来电人问题，因不属于本单位职责，已告知其向有关部门咨询。"),
    ("求助", True): _s("已协调相关单位处理，来电人表示认可。|经协调，问题已解决，来电人表示满意。"),
    ("求助", False): _s(
        "已记录诉求，因不属于本单位职责，已告知来电人向有关部门反映。|经协调未果，已向来电人说明情况。"
    ),
    ("建议", True): _s("感谢您的建议，已转相关科室研究采纳。|您的建议已收悉，我局将加强相关监管。"),
    ("建议", False): _s("感谢您的建议，已作记录，将在今后工作中参考。"),
}

KIND_TITLE_PREFIX = {
    "投诉": ("", "", "投诉"),
    "举报": ("举报",),
    "咨询": ("咨询",),
    "求助": ("求助",),
    "建议": ("建议",),
}

SURNAMES = _s(
    "陈|李|黄|张|梁|刘|林|何|罗|吴|郑|谢|冯|邓|曾|叶|苏|卢|潘|钟|朱|赖|周|杨|许|徐|邱|莫|房|欧阳|温|区|廖|蔡|江"
)
BRAND_CHARS = "恒盛佳美康鑫华锦悦誉泰达汇源优品嘉顺福乐新宏瑞祥丰金龙凤宝安信诚和众利通德隆兴旺荣辉星阳光明天一正中百家"
PHONE_PREFIXES = ("138", "139", "135", "136", "137", "150", "151", "158", "159", "186", "188", "189", "133", "177")


class _Row:
    """Mapping view of row ``i`` of column lists: ``format_map`` looks up only the fields it uses."""

    def __init__(self, columns: dict[str, Sequence[str]]) -> None:
        self.columns = columns
        self.i = 0

    def __getitem__(self, key: str) -> str:
        return self.columns[key][self.i]


def _by_kind(pools: dict[str, tuple[str, ...]], kinds: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One element of the kind's pool per row, picked by the uniform ``u``."""
    out = np.empty(len(kinds), dtype=object)
    for kind, pool in pools.items():
        mask = kinds == kind
        options = np.array(pool, dtype=object)
        out[mask] = options[(u[mask] * len(options)).astype(np.int64)]
    return out


def _pool(pool: tuple[str, ...], u: np.ndarray) -> np.ndarray:
    options = np.array(pool, dtype=object)
    return options[np.minimum((u * len(options)).astype(np.int64), len(options) - 1)]


def compose(
    kinds: Sequence[str],
    problems: Sequence[str],
    details: Sequence[str | None],
    demands: Sequence[str | None],
    titles: Sequence[str],
    ctx: dict[str, Sequence[str]],
    u: np.ndarray,
    openings: Sequence[str | None] | None = None,
) -> tuple[list[str], list[str]]:
    """Build (titles, contents). ``details[i]`` / ``demands[i]`` / ``openings[i]`` (if set) replace the generic
    ones; ``u`` is an (n, 6)
    array of uniforms that picks the fragments. Templates are assembled column-wise; only the final
    placeholder filling runs per row."""
    kinds = np.asarray(kinds, dtype=object)
    problem = np.asarray(problems, dtype=object).copy()
    own = np.asarray(details, dtype=object)
    u0, u1, u2, u3, u4, u5 = (u[:, j] for j in range(6))
    opening = _by_kind(OPENINGS, kinds, u0)
    if openings is not None:
        own_opening = np.asarray(openings, dtype=object)
        opening = np.where(own_opening == None, opening, own_opening)  # noqa: E711 (elementwise)
    detail = np.where(own == None, _pool(DETAILS, u1), own)  # noqa: E711 (elementwise)
    demand = _by_kind(DEMANDS, kinds, u2)
    own_demand = np.asarray(demands, dtype=object)
    demand = np.where(own_demand == None, demand, own_demand)  # noqa: E711 (elementwise)
    # An opening that already bought something is dropped before a problem that tells the purchase.
    bought = np.array(["购买" in o for o in opening]) & np.array(["买" in p for p in problem])
    opening[bought] = "∅"
    # Name the business once: when the opening already names it, the problem says 商家/对方 instead;
    # the same for a date ("3月8日在X店，当天坐这家店的网约车").
    twice = np.flatnonzero(np.array(["{biz}" in o for o in opening]) & np.array(["{biz}" in p for p in problem]))
    refer = _pool(REFERS, u2)
    for i in twice:
        problem[i] = problem[i].replace("{biz}", refer[i], 1)
    dated = np.array(["{date}" in o for o in opening]) & np.array([p.startswith("{date}") for p in problem])
    for i in np.flatnonzero(dated):
        problem[i] = problem[i].replace("{date}", "当天", 1)
    problem = np.where(kinds == "建议", "近期" + problem, problem)
    head = np.where(opening == "∅", "", opening)
    detail_part = np.where(detail == "∅", "", "，" + detail)
    punct = np.where(u3 < 0.7, "。", np.where(u3 < 0.78, "！", "，")).astype(object)
    end = np.where(u4 < 0.85, "。", "！").astype(object)
    contact = np.where(u5 < 0.12, _pool(CONTACTS, u5 / 0.12) + "。", "")
    templates = (head + problem + detail_part + punct + demand + end + contact).tolist()
    prefixes = _by_kind(KIND_TITLE_PREFIX, kinds, u1).tolist()
    row = _Row({k: list(v) for k, v in ctx.items()})
    contents: list[str] = []
    out_titles: list[str] = []
    for i, (template, title_tpl, prefix) in enumerate(zip(templates, list(titles), prefixes, strict=True)):
        row.i = i
        contents.append(template.format_map(row))
        title = title_tpl.format_map(row)
        out_titles.append(title if title.startswith(prefix) else prefix + title)
    return out_titles, contents


def masked_phones(rng: np.random.Generator, n: int) -> list[str]:
    """Mobile numbers masked the way exports mask them: 138****5678."""
    heads = rng.integers(0, len(PHONE_PREFIXES), n)
    tails = rng.integers(0, 10_000, n)
    return [f"{PHONE_PREFIXES[h]}****{t:04d}" for h, t in zip(heads, tails, strict=True)]


def complainants(rng: np.random.Generator, n: int) -> list[str]:
    """Masked names: 张**, 李*, or 匿名."""
    sur = rng.integers(0, len(SURNAMES), n)
    style = rng.random(n)
    return [
        "匿名" if st < 0.08 else SURNAMES[s] + ("*" if st < 0.25 else "**") for s, st in zip(sur, style, strict=True)
    ]


def result_texts(kinds: Sequence[str], resolved: np.ndarray, open_: np.ndarray, amounts: Sequence[str], u: np.ndarray):
    """Handling result per row; None while a complaint is still open."""
    out: list[str | None] = [None] * len(kinds)
    for i, kind in enumerate(kinds):
        if open_[i]:
            continue
        pool = RESULTS[(kind, bool(resolved[i]))]
        out[i] = pool[int(u[i] * len(pool))].replace("{amount}", amounts[i])
    return out
