"""The planted truth of the demo: yearly hotspot issues and short event bursts.

Every planted row is written to ``demo_truth`` so tests (topic recovery, hotspot ranking, alerts)
can check the engine finds what was put there. ``PLANTED`` is the public description: a burst's
``start`` is the day its first complaint arrives, so an alert should fire within a week of it.
Incidents named only in the text, with their look-alikes, are drawn per seed (``incidents``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ALL_COUNTIES = (
    "清城区",
    "清新区",
    "英德市",
    "连州市",
    "佛冈县",
    "阳山县",
    "连南瑶族自治县",
    "连山壮族瑶族自治县",
)


@dataclass(frozen=True)
class PlantedTheme:
    """One planted hotspot. ``kind`` is 'issue' (a yearly theme) or 'event' (a burst)."""

    theme: str  # short Chinese label, as written to demo_truth.theme
    kind: str
    year: int  # the year it stands out in
    start: date
    end: date
    counties: tuple[str, ...]
    sector: str
    keywords: tuple[str, ...]  # distinctive words its complaints use
    business: str | None = None  # the business a burst is about
    # Text pools (|-separated in the source for compactness): titles, problem sentences, details.
    titles: tuple[str, ...] = field(default=(), repr=False)
    problems: tuple[str, ...] = field(default=(), repr=False)
    details: tuple[str, ...] = field(default=(), repr=False)  # theme-specific colloquial details
    demands: tuple[str, ...] = field(default=(), repr=False)  # what complainants of this theme ask for
    products: tuple[str, ...] = field(default=(), repr=False)
    biz_types: tuple[str, ...] = field(default=(), repr=False)
    amount: tuple[float, float] = (500.0, 0.8)  # lognormal median (yuan) and sigma


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split("|") if s.strip())


def _issue(theme: str, year: int, sector: str, keywords: str, **pools: object) -> PlantedTheme:
    return PlantedTheme(
        theme=theme,
        kind="issue",
        year=year,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        counties=ALL_COUNTIES,
        sector=sector,
        keywords=_split(keywords),
        **{k: (_split(v) if isinstance(v, str) else v) for k, v in pools.items()},  # type: ignore[arg-type]
    )


def _event(
    theme: str, start: date, days: int, counties: tuple[str, ...], sector: str, business: str, keywords: str, **pools
) -> PlantedTheme:
    return PlantedTheme(
        theme=theme,
        kind="event",
        year=start.year,
        start=start,
        end=date.fromordinal(start.toordinal() + days - 1),
        counties=counties,
        sector=sector,
        keywords=_split(keywords),
        business=business,
        **{k: (_split(v) if isinstance(v, str) else v) for k, v in pools.items()},
    )


PLANTED: tuple[PlantedTheme, ...] = (
    _issue(
        "防疫用品哄抬价格",
        2021,
        "药品",
        "口罩|消毒液|哄抬|额温枪|酒精|防疫",
        titles="哄抬防疫用品价格|药店哄抬防疫用品价格|防疫用品价格过高|举报哄抬防疫用品价格",
        problems="{biz}的{product}一夜之间涨价好几倍，原来{low}元现在卖{high}元，防疫物资明显是哄抬价格"
        "|{biz}把{product}拆开零卖，一只卖{high}元，防疫期间趁机涨价哄抬"
        "|在{biz}买{product}，价格比上周贵了一倍多，店员说进货价涨了，防疫用品明显被哄抬价格"
        "|{biz}的{product}不标价格，结账时收了{high}元，防疫物资这样哄抬价格太过分"
        "|疫情期间{biz}强制捆绑销售{product}，不买消毒液就不卖口罩，变相涨价哄抬防疫物资"
        "|{biz}囤积{product}等着涨价，防疫用品缺货时再高价卖出，涉嫌哄抬价格",
        products="医用口罩|N95口罩|75%酒精|84消毒液|额温枪|防护服|一次性手套|消毒湿巾",
        biz_types="大药房|药店|医药连锁店|便利店",
        details="现在买个口罩都这么贵|疫情当前还趁机涨价|防疫物资关系到大家的健康|附近几家药店口罩都涨价了|家里老人小孩都要用口罩|这种哄抬价格的行为太可恶",
        demands="要求查处哄抬防疫用品价格的行为|希望严厉打击哄抬防疫物资价格|请相关部门管管防疫用品乱涨价",
        amount=(80.0, 0.6),
    ),
    _issue(
        "商品房延期交房",
        2021,
        "商品房",
        "延期交房|交房|开发商|违约金|楼盘|逾期",
        titles="开发商延期交房|楼盘延期交房|商品房延期交房|延期交房要求赔偿违约金",
        problems="购买了{biz}开发的{product}，合同约定去年{month}月交房，到现在已经逾期{n}个月还没交房"
        "|{biz}的楼盘停工好几个月，开发商说资金紧张，交房时间一拖再拖"
        "|{product}合同写明去年底交房，开发商又通知延期交房，也不提违约金的事"
        "|开发商{biz}逾期交房{n}个月，业主多次到售楼部沟通，开发商一直推诿"
        "|我们几十户业主买了{biz}的{product}，延期交房后开发商拒绝按合同赔付违约金",
        products="商品房|一套住宅|洋房|电梯房|商铺|公寓",
        biz_types="房地产开发有限公司|置业有限公司|地产有限公司",
        details="我们每个月还要还房贷|开发商一直说快了快了|一家人还在外面租房住|业主群里大家都很着急|交房日期改了好几次|售楼部的人现在都找不到了",
        demands="要求开发商尽快交房并支付违约金|希望督促开发商按期交房|要求开发商按合同赔偿延期交房损失",
        amount=(30000.0, 0.7),
    ),
    _issue(
        "校外培训退费难",
        2022,
        "教育培训",
        "培训机构|退费|课时|剩余课时|校外培训|双减",
        titles="培训机构退费难|培训机构停课退费难|补习班培训机构退费难",
        problems="孩子在{biz}报了{product}，交了{amount}元学费，还剩{n}节课时，机构停课后拒绝退费"
        "|{biz}双减以后就不开课了，剩余课时费{amount}元一直不给退，电话也打不通"
        "|给孩子报的{product}，机构说要转成素质课，不同意就不退费，还要扣手续费"
        "|{biz}收了一年的学费{amount}元，只上了{n}节课就通知停课，退费一拖再拖"
        "|校外培训机构{biz}搬走了，剩余课时没有上，家长群里几十个家长都在要退费",
        products="英语辅导班|数学补习班|作文培训课|寒假托管班|一对一辅导|少儿编程课|学科培训课",
        biz_types="教育培训中心|培训学校|教育科技有限公司|辅导中心",
        details="家长们都很着急|孩子的课已经停了好几个月|机构负责人一直不露面|家长群里每天都有人问退费|机构说退费要排队|剩下的课时一节都没上",
        demands="要求培训机构退还剩余课时费|希望督促培训机构尽快退费|请帮忙追回培训费",
        amount=(4800.0, 0.5),
    ),
    _issue(
        "旅游退团退费纠纷",
        2022,
        "文化旅游",
        "旅行社|退团|跟团|行程取消|团费|定金",
        titles="旅行社退团不退费|旅行社退团费纠纷|跟团游退团退费难|旅行社拒退团费",
        problems="在{biz}报了{product}，交了团费{amount}元，因疫情行程取消，旅行社只肯退一半"
        "|{biz}临时取消跟团游，说要改期，我们要求退团，旅行社扣了{pct}%的损失费"
        "|报名{biz}的{product}交了定金{amount}元，出发前三天通知行程取消，定金至今未退"
        "|{biz}以机票酒店已预订为由，退团要扣除大部分团费，也拿不出扣费凭证"
        "|跟团旅游被旅行社拖延，{biz}答应{n}个工作日内退团费，到现在都没退",
        products="云南六日跟团游|海南双飞五日游|北京研学团|港澳游|桂林三日游|省内温泉两日游",
        biz_types="旅行社有限公司|国际旅行社|旅游服务有限公司",
        details="出发日期一改再改|旅行社说损失要游客承担|报名时说可以全额退|现在已经过去好几个月了|一起报名的几家人都没退到钱|客服说要等领导审批",
        demands="要求旅行社全额退还团费|希望督促旅行社尽快退团费|要求旅行社按规定退费",
        amount=(3200.0, 0.5),
    ),
    _issue(
        "预付卡跑路退费难",
        2023,
        "健身",
        "预付卡|跑路|闭店|会员卡|余额|储值卡",
        titles="预付卡跑路退费难|健身房跑路预付卡退费难|健身预付卡跑路退费难",
        problems="在{biz}办了{product}，充值{amount}元，没用几次就突然闭店，老板跑路了"
        "|{biz}门口贴了停业通知，预付卡里还有{amount}元余额，商家失联"
        "|办了{biz}的{product}，店铺关门后说转到别家，但新店不认预付卡"
        "|{biz}办卡时承诺随时可退，现在闭店了，会员卡余额{amount}元无人退还"
        "|很多会员在{biz}办了储值卡，老板突然跑路，预付卡的钱都拿不回来",
        products="年卡|私教课程包|游泳季卡|瑜伽储值卡|会员卡|次卡",
        biz_types="健身俱乐部|健身工作室|瑜伽馆|游泳健身中心",
        details="卡里的钱一分都没用完|店里的教练也说几个月没发工资|很多会员都在门口等|老板电话已经关机了|办卡时还说会一直开下去|和我一样的会员有几十个",
        demands="要求退还预付卡余额|希望追回预付卡里的钱|请督促商家退还会员卡余额",
        amount=(2600.0, 0.6),
    ),
    _issue(
        "网约车乱收费",
        2023,
        "交通运输",
        "网约车|绕路|车费|司机|平台|高价",
        titles="网约车乱收费|网约车绕路乱收费|网约车司机乱收费|网约车平台乱收费",
        problems="{date}坐{biz}的网约车，司机故意绕路，平时{low}元的路程收了{high}元"
        "|打的网约车司机中途要求加价，不给就不走，平台客服也不处理"
        "|{biz}网约车收了高速费和{amount}元附加费，行程明明没走高速"
        "|在{town}用{biz}叫网约车，到目的地后多收了{amount}元，司机态度恶劣"
        "|网约车司机未按导航走，绕路{n}公里，车费比预估价高出一倍",
        products="网约车|快车|顺风车|专车",
        biz_types="出行科技有限公司|网约车平台|汽车服务有限公司",
        details="司机说这是平台规定的价格|平台客服让我等处理结果|投诉了好几次平台都没回复|平台只愿意给一张优惠券|感觉就是在宰客|行程记录里能看到绕路",
        demands="要求平台退还多收的车费|希望查处网约车乱收费|请督促网约车平台处理",
        amount=(60.0, 0.5),
    ),
    _issue(
        "直播带货虚假宣传",
        2024,
        "网络购物/直播电商",
        "直播间|主播|带货|虚假宣传|直播带货|货不对板",
        titles="直播带货虚假宣传|直播间直播带货虚假宣传|主播直播带货虚假宣传",
        problems="在{biz}的直播间买了{product}，主播说是正品大牌，收到货发现是假货"
        "|看直播带货买的{product}，主播宣传的功效完全是虚假宣传，要求退货商家不理"
        "|直播间主播说{product}原价{high}元，直播价{low}元，收到后发现货不对板"
        "|{biz}直播带货卖的{product}与主播展示的完全不一样，质量很差"
        "|主播在直播间承诺七天无理由退货，收到{product}后申请退货，店铺拒绝",
        products="翡翠手镯|羊毛大衣|美白面霜|减肥代餐|蜂蜜|土特产礼盒|玉石吊坠|品牌运动鞋",
        biz_types="电子商务有限公司|直播工作室|网店|电商公司",
        details="主播在直播间说得天花乱坠|直播间已经把我拉黑了|客服说直播商品不退不换|评论区很多人都说是假货|主播说这是最后一批|下单后直播间就下播了",
        demands="要求直播间商家退货退款|希望查处直播带货虚假宣传|请对这个主播和商家依法处理",
        amount=(380.0, 0.8),
    ),
    _issue(
        "装修合同纠纷",
        2024,
        "装修",
        "装修合同|增项|工期|装修公司|拖延|偷工减料",
        titles="装修合同纠纷|装修公司装修合同纠纷|装修合同增项纠纷",
        problems="和{biz}签了装修合同，总价{amount}元，施工中不断增项加价，工期拖延了{n}个月"
        "|{biz}装修偷工减料，瓷砖空鼓、墙面开裂，要求按装修合同返工，公司推脱"
        "|装修公司收了{amount}元首期款后施工队就停工了，工期已经超出合同两个月"
        "|{biz}签合同时说全包，施工到一半又说很多是增项，要再加{amount}元"
        "|{biz}使用的材料和装修合同约定的品牌不一致，明显偷工减料",
        products="全包装修|半包装修|旧房翻新|全屋定制|厨卫改造",
        biz_types="装饰工程有限公司|装修公司|建筑装饰设计有限公司|家居装饰公司",
        details="工期一拖再拖|项目经理换了好几个|现在房子都没法住|装修公司说增项是必须的|合同里根本没有这些项目|找装修公司理论对方不理",
        demands="要求装修公司按合同履行|希望督促装修公司返工赔偿|要求退还多收的装修款",
        amount=(68000.0, 0.6),
    ),
    _issue(
        "老年人保健品虚假宣传",
        2025,
        "保健品",
        "保健品|老人|讲座|包治百病|会销|降血压",
        titles="保健品虚假宣传骗老人|会销保健品虚假宣传骗老人|保健品讲座虚假宣传骗老人",
        problems="家里老人参加{biz}的健康讲座，被诱导花{amount}元买了{product}，说能包治百病"
        "|{biz}以免费体检、送鸡蛋为名组织老人听课，推销{product}，宣称能降血压降血糖"
        "|我父亲今年{age}岁，听了{biz}的讲座后买了{amount}元的{product}，销售说吃了可以停药"
        "|{biz}的会销人员天天打电话给老人，夸大保健品功效，老人前后花了{amount}元"
        "|母亲在{biz}买的{product}没有保健食品标志，会销现场宣传能治病，骗老人的钱",
        products="保健酒|灵芝孢子粉|鱼油胶囊|磁疗床垫|理疗仪|降压茶|氨基酸口服液|人参含片",
        biz_types="健康咨询有限公司|养生馆|生物科技有限公司|健康管理中心",
        details="老人现在每天都去听讲座|劝老人也不听|销售人员每天上门给老人洗脑|老人把积蓄都花在保健品上了|讲座现场还送鸡蛋和挂面|老人说吃了能治高血压",
        demands="要求商家退还老人购买保健品的钱|希望查处保健品虚假宣传|请严厉打击骗老人的保健品会销",
        amount=(3600.0, 0.7),
    ),
    _issue(
        "新能源汽车售后",
        2025,
        "汽车",
        "新能源汽车|电池|续航|充电|售后|4S店",
        titles="新能源汽车售后差|新能源汽车电池售后差|新能源汽车售后维修差",
        problems="在{biz}买的{product}，开了{n}个月电池就出故障，售后说要等配件，一直拖着"
        "|{product}实际续航只有宣传的一半，找{biz}售后，说是正常衰减"
        "|{biz}销售的新能源汽车充电时频繁报错，4S店检测不出问题，维修了{n}次"
        "|新能源汽车在{biz}保养后出现无法充电，4S店要求自费{amount}元维修电池"
        "|买新能源汽车时承诺终身免费充电，现在{biz}说活动结束，售后服务也不到位",
        products="新能源汽车|纯电动轿车|插电混动SUV|电动汽车|新能源SUV",
        biz_types="汽车销售服务有限公司|4S店|新能源汽车销售有限公司",
        details="车子买了不到一年|4S店说电池需要返厂检测|续航冬天掉得特别厉害|售后说这是正常现象|车已经在店里放了半个月|厂家客服和4S店互相推诿",
        demands="要求4S店尽快修好车辆|要求厂家更换电池|希望督促厂家做好新能源汽车售后",
        amount=(8000.0, 0.8),
    ),
    _event(
        "启航教育连锁闭店",
        date(2025, 3, 10),
        21,
        ("清城区", "英德市"),
        "教育培训",
        "启航教育",
        "启航教育|闭店|学费|课时|退费",
        titles="启航教育突然闭店|启航教育不退学费|启航教育停课|启航教育退费",
        problems="孩子在{biz}报的{product}，{date}突然闭店停课，交了{amount}元学费还剩{n}节课"
        "|{biz}所有校区都关门了，老师说几个月没发工资，家长交的学费{amount}元没人退"
        "|今天到{biz}上课发现大门紧锁，门上贴了停课通知，剩余课时无法上"
        "|{biz}前几天还在催家长续费，收了{amount}元后就闭店了，涉嫌诈骗",
        products="春季班|全年课程|英语课|数学思维课|书法课",
        biz_types="启航教育",
        details="几百个家长都在维权|校区门口贴了停课通知|老师说工资也没发|课程顾问前几天还在催续费|家长都去校区门口等了",
        demands="要求启航教育退还剩余学费|希望尽快追回学费|请相关部门介入处理启航教育闭店",
        amount=(5200.0, 0.4),
    ),
    _event(
        "佳润超市熟食致腹泻",
        date(2022, 8, 8),
        14,
        ("清新区", "佛冈县"),
        "食品",
        "佳润超市",
        "佳润超市|熟食|腹泻|呕吐|食物中毒",
        titles="佳润超市熟食致腹泻|佳润超市食品安全|吃了佳润超市熟食呕吐|举报佳润超市熟食",
        problems="{date}在{biz}买了{product}，全家吃完后腹泻呕吐，去医院花了{amount}元"
        "|在{biz}熟食区买的{product}有异味，吃了以后上吐下泻，怀疑食物中毒"
        "|{biz}卖的{product}导致家里老人小孩都腹泻，超市只同意退货款"
        "|听说很多人吃了{biz}的熟食拉肚子，我家也是吃了{product}后腹泻",
        products="烧鸭|卤猪脚|白切鸡|凉拌菜|叉烧|卤味拼盘",
        biz_types="佳润超市",
        details="家里几个人都上吐下泻|同小区好几户都吃坏了肚子|超市说要等检测结果|医院说是细菌性肠胃炎|熟食区已经暂停营业",
        demands="要求佳润超市赔偿医药费|希望查处佳润超市食品安全问题|请对佳润超市熟食区依法检查",
        amount=(260.0, 0.6),
    ),
    _event(
        "快乐行旅行社跑路",
        date(2024, 7, 15),
        18,
        ("清城区", "清新区"),
        "文化旅游",
        "快乐行旅行社",
        "快乐行旅行社|团费|出团|跑路|暑期",
        titles="快乐行旅行社不出团|快乐行旅行社跑路|快乐行旅行社拒退团费|暑期团被取消",
        problems="在{biz}报了{product}，交了{amount}元团费，出发前一天旅行社说不出团了"
        "|{biz}门店已经关门，几十个家庭的暑期团费都没退，负责人联系不上"
        "|{date}去{biz}门店要退团费，发现人去楼空，交的{amount}元打了水漂"
        "|{biz}收了团费后一直拖延出团日期，现在电话停机，怀疑旅行社跑路",
        products="暑期亲子游|北京研学团|海南五日游|云南七日游",
        biz_types="快乐行旅行社",
        details="孩子放暑假就等着这次出去玩|门店已经人去楼空|几十户家庭都交了团费|负责人电话一直关机|旅行社微信群被解散了",
        demands="要求快乐行旅行社退还团费|希望追回暑期团的团费|请尽快找到快乐行旅行社负责人",
        amount=(4500.0, 0.4),
    ),
)

ISSUES: tuple[PlantedTheme, ...] = tuple(p for p in PLANTED if p.kind == "issue")
EVENTS: tuple[PlantedTheme, ...] = tuple(p for p in PLANTED if p.kind == "event")


def issue_rows(rows: int) -> int:
    """Rows of one issue in its peak year: several hundred at 60,000 rows (660), linear in ``rows``."""
    return max(4, round(rows * 0.011))


def event_rows(rows: int) -> int:
    """Rows of one burst: grows with the square root so a burst stays a burst at 1,000,000 rows."""
    return max(3, round(1.0 * rows**0.5))
