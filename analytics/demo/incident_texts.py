"""Text pools of the planted incidents: one thing (an estate, a lender, a school, a road) named in the text.

Real 12345 and message-board exports carry incidents without a business column: the estate or the
lender is only named in the text, and named differently from one message to the next ("恒泰翠湖湾",
"翠湖湾小区", "翠湖湾的业主"). ``{obj}`` in a template is the incident's object, written in one of its
``forms`` per row; the other placeholders are filled by ``texts.compose`` as for every row.

Each kind comes with its look-alikes, the complaints an event engine must keep apart from it:

- ``twin_*``: the same kind of thing with a similar problem, under another name, in another
  county, at about the same time (another estate's building-site noise, another lender's debt
  collectors, another school's refund dispute);
- ``generic``: ordinary complaints that use the same words but name nothing in particular.

All names are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass


def _s(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split("|") if s.strip())


@dataclass(frozen=True)
class IncidentKind:
    key: str
    sector: str
    label: str  # "{name}…": the incident's short label (demo_truth.theme)
    twin_label: str
    names: tuple[str, ...]  # the incident and its twin draw two different names
    forms: tuple[str, ...]  # how a message writes the object: "{name}小区", "{dev}{name}" …
    titles: tuple[str, ...]
    problems: tuple[str, ...]
    details: tuple[str, ...]
    demands: tuple[str, ...]
    twin_titles: tuple[str, ...]
    twin_problems: tuple[str, ...]
    twin_details: tuple[str, ...]
    twin_demands: tuple[str, ...]
    generic: tuple[str, ...]  # problem sentences naming no particular thing
    generic_titles: tuple[str, ...]
    amount: tuple[float, float] = (0.0, 0.0)  # lognormal median (yuan) and sigma; 0: no amount


DEVELOPERS = _s("恒泰|华晟|锦隆|悦盛|宏宇|嘉信|锦程|创鸿")

# What the generic look-alikes ask for: they name nothing to act against.
GENERIC_DEMANDS = _s("希望相关部门管一管|建议加强监管|请问应该找哪个部门|希望有关部门重视|请相关部门关注")

# Openings of an incident message: callers and message-board writers, not shoppers.
OPENINGS = _s(
    "市民来电反映：|∅|∅|∅|来电人反映，|网友留言：|有群众反映，|市民反映：|我是{town}的居民，|你好，|"
    "近日，|再次反映，|多次反映未解决：|"
)

KINDS: tuple[IncidentKind, ...] = (
    IncidentKind(
        key="plant",
        sector="其他",
        label="{name}搅拌站扰民",
        twin_label="{name}工地夜间施工噪音",
        names=_s("翠湖湾|锦江华庭|御龙山庄|碧水名城|江畔花园|金沙湾|逸景苑|云山雅苑|富康新城|丽景湾"),
        forms=_s("{name}|{name}|{name}小区|{name}小区|{dev}{name}|{dev}{name}小区"),
        titles=_s(
            "{obj}旁搅拌站夜间施工噪音扰民|{obj}旁边的搅拌站粉尘太大|{obj}附近混凝土搅拌站无证经营"
            "|搅拌站泥头车撒漏污染{obj}门口道路|{obj}搅拌站噪音扰民|{obj}附近搅拌站排污|搅拌站半夜施工噪音扰民"
        ),
        problems=_s(
            "{obj}旁边的混凝土搅拌站每天晚上施工到凌晨{n}点，机器轰隆隆响，老人小孩根本睡不着"
            "|{obj}附近的搅拌站粉尘太大，阳台和车上每天一层灰，窗户都不敢开"
            "|{obj}旁边新建的搅拌站没有任何手续，涉嫌无证经营，附近居民多次反映没人管"
            "|搅拌站的泥头车日夜进出{obj}门口，沙石撒漏，路面全是泥浆，接送孩子很危险"
            "|住在{obj}，隔壁的搅拌站半夜还在装车卸料，噪音严重超标"
            "|{obj}外面的搅拌站往水沟里排污水，沟里的水都变成灰色了"
            "|从{date}开始，{obj}附近的混凝土搅拌站通宵作业，严重影响休息"
        ),
        details=_s(
            "已经连续{n}个晚上没睡好|家里老人有心脏病受不了|小区几百户业主都深受其害|打过环保热线也没有解决"
            "|白天晚上都有大货车经过|孩子马上要中考了|∅"
        ),
        demands=_s(
            "要求搅拌站停止夜间施工|希望相关部门查处{obj}旁边的无证搅拌站|请尽快把搅拌站搬走"
            "|要求环保部门到现场检测噪音和粉尘"
        ),
        twin_titles=_s("{obj}旁工地夜间施工噪音扰民|{obj}对面工地粉尘大|{obj}附近工地泥头车扰民|夜间施工噪音扰民"),
        twin_problems=_s(
            "{obj}旁边的建筑工地晚上十二点还在打桩，噪音太大，小孩都被吵醒"
            "|{obj}对面的工地每天夜间施工，没有办夜间施工许可"
            "|{obj}附近工地的泥头车进出不冲洗，路上全是泥，粉尘很大"
            "|{obj}旁边工地凌晨浇筑混凝土，噪音扰民"
        ),
        twin_details=_s("已经好几个晚上没睡好|投诉过几次还是照样施工|家里有刚出生的孩子|∅"),
        twin_demands=_s("要求工地停止夜间施工|希望查处违规夜间施工|请城管到现场处理"),
        generic=_s(
            "有些搅拌站晚上施工噪音很大，影响附近居民休息|城区周边的混凝土搅拌站粉尘污染严重"
            "|搅拌站的泥头车超载撒漏，路面到处是沙石|想咨询一下搅拌站夜间施工噪音归哪个部门管"
        ),
        generic_titles=_s("搅拌站噪音扰民|搅拌站粉尘污染|泥头车撒漏|夜间施工噪音扰民"),
    ),
    IncidentKind(
        key="lender",
        sector="银行保险",
        label="{name}车贷暴雷",
        twin_label="{name}车贷暴力催收",
        names=_s("鑫融|速达|易通|安盈|众邦|融易|宝赢|恒捷"),
        forms=_s("{name}车贷|{name}车贷|{name}车贷平台|{name}车贷公司|{name}汽车金融|{name}车贷门店"),
        titles=_s(
            "{obj}暴雷|{obj}跑路押金不退|{obj}倒闭后拖走抵押车辆|{obj}失联无法解押|{obj}暴雷后仍在扣款|车贷平台暴雷"
        ),
        problems=_s(
            "在{obj}办了车辆抵押贷款{amount}元，最近平台突然暴雷，APP登不上，客服电话打不通"
            "|{obj}的门店已经人去楼空，我们交的GPS押金和保证金{amount}元都退不回来"
            "|{obj}倒闭以后，还有人冒充平台工作人员让借款人把钱还到私人账户"
            "|{obj}关门后把借款人抵押的车辆拖走了，车子现在下落不明"
            "|{obj}暴雷了，已经还清的贷款还在被扣款，想拿回车辆登记证书也找不到人"
            "|{obj}的业务员当初说随时可以提前还款，现在公司失联，抵押的车辆无法解押"
        ),
        details=_s(
            "像我这样的借款人有几十个|平台的微信群已经解散了|门店已经贴了封条|车子是家里唯一的交通工具"
            "|业务员电话都关机了|∅"
        ),
        demands=_s("要求{obj}退还押金并解除车辆抵押|希望相关部门查处{obj}|请帮忙追回被拖走的车辆|希望公安部门介入调查"),
        twin_titles=_s("{obj}暴力催收|{obj}收取高额服务费|{obj}砍头息|{obj}催收骚扰家人"),
        twin_problems=_s(
            "在{obj}借了{amount}元，实际到手少了两成，被收了高额服务费"
            "|{obj}的催收人员天天打电话骚扰我的家人和同事"
            "|{obj}合同上的利率远高于业务员宣传的利率，还款压力很大"
            "|逾期几天，{obj}就威胁要把车拖走，还要收{amount}元拖车费"
        ),
        twin_details=_s("每天都接到好几个催收电话|家人都被骚扰得不敢接电话|合同签得很匆忙|∅"),
        twin_demands=_s("要求{obj}停止暴力催收|希望查处{obj}的高额收费|请相关部门管一管{obj}"),
        generic=_s(
            "想咨询一下车贷平台倒闭以后抵押的车辆怎么解押|网上有很多车贷广告，利息说得很低，实际收费很高"
            "|办车贷时业务员要求先交押金，这种做法合法吗|车贷还清后一直拿不回车辆登记证书"
        ),
        generic_titles=_s("咨询车贷解押|车贷收费过高|车贷押金问题|车贷还清后拿不回登记证书"),
        amount=(30000.0, 0.6),
    ),
    IncidentKind(
        key="school",
        sector="教育培训",
        label="{name}培训学校停课",
        twin_label="{name}培训学校退费纠纷",
        names=_s("博雅|启智|育才|睿思|明远|星语|童艺|乐学"),
        forms=_s("{name}培训学校|{name}培训学校|{name}学校|{name}艺术培训学校|{name}教育|{name}培训班"),
        titles=_s("{obj}突然停课|{obj}关门学费不退|{obj}负责人失联|{obj}停课不退学费|{obj}人去楼空|培训学校突然停课"),
        problems=_s(
            "孩子在{obj}报了一年的课，交了{amount}元，{date}学校突然通知停课，负责人联系不上"
            "|{obj}突然关门了，门口贴了停业通知，剩下的{n}节课没有上，学费也不退"
            "|{obj}的老师说已经{n}个月没发工资了，学校负责人失联，家长们的学费打了水漂"
            "|{obj}上个月还在搞续费优惠，收了家长的钱后就停课了"
            "|今天送孩子去{obj}上课，发现大门锁了，学校已经人去楼空"
            "|{obj}说是搬新校区暂停上课，现在一个多月了还没开课，也不给退学费"
        ),
        details=_s("家长群里有上百个家长|孩子一直在问什么时候上课|交钱的时候校长拍胸脯保证|门口每天都有家长在等|∅"),
        demands=_s("要求{obj}退还剩余学费|希望相关部门尽快介入{obj}停课的事|请帮家长们追回学费"),
        twin_titles=_s("{obj}退费难|{obj}扣违约金|{obj}不给退费|{obj}退费纠纷"),
        twin_problems=_s(
            "在{obj}报的课程，孩子不想学了申请退费，学校要扣{pct}%的违约金"
            "|{obj}的课程顾问报名时承诺无条件退费，现在不认账"
            "|{obj}换了老师以后孩子不想去了，学校说已经开课的课程一律不退"
            "|{obj}退费要排队三个月，到现在还没收到钱"
        ),
        twin_details=_s("孩子已经不想去上课了|课程顾问一直拖着|和学校沟通了好几次|∅"),
        twin_demands=_s("要求{obj}按规定退费|希望督促{obj}尽快退费|请帮忙协调{obj}退费"),
        generic=_s(
            "现在很多培训学校收费都要一次交一年，担心学校突然停课|报了培训班后学校说停课就停课，学费怎么办"
            "|想咨询一下培训学校停课以后剩余学费怎么退|孩子上的培训班搬走了也没有通知家长"
        ),
        generic_titles=_s("培训学校预收费|咨询培训学校停课退费|培训班搬走未通知"),
        amount=(6800.0, 0.5),
    ),
    IncidentKind(
        key="road",
        sector="交通运输",
        label="{name}施工扰民",
        twin_label="{name}路面破损",
        names=_s("锦霞路|松涛路|凤翔路|怡和路|沿江东路|民安路|学宫路|云岭大道"),
        forms=_s("{name}|{name}|{name}改造工程|{name}施工路段|{name}扩建项目|{name}工地"),
        titles=_s(
            "{obj}施工扬尘大|{obj}夜间施工噪音扰民|{obj}封路没有公告|{obj}工期拖延|{obj}施工路段坑洼积水"
            "|{obj}施工影响商铺经营|道路施工扰民"
        ),
        problems=_s(
            "{obj}施工{n}个多月了，路面挖开后一直没有恢复，出行非常不便"
            "|{obj}施工扬尘非常大，路过的行人和两边的商铺都是一身灰"
            "|{obj}晚上施工到凌晨，挖掘机和破碎锤的噪音扰民"
            "|{obj}封路施工没有提前公告，也没有设置绕行标志，每天都堵车"
            "|{obj}沿线的商铺被施工围挡挡住，生意都做不下去了"
            "|{obj}工期一拖再拖，原定{month}月完工，到现在还看不到进度"
            "|{obj}施工路段坑洼积水，晚上没有照明，已经有电动车摔倒了"
        ),
        details=_s("附近学校的学生每天都要经过|沿街商户损失很大|下雨天全是泥浆|问施工方也说不清什么时候完工|∅"),
        demands=_s("希望加快{obj}施工进度|要求施工方做好围挡和洒水降尘|请相关部门督促{obj}按期完工"),
        twin_titles=_s("{obj}路面破损|{obj}坑洼不平|{obj}井盖缺失|{obj}反复开挖"),
        twin_problems=_s(
            "{obj}路面破损严重，坑洼很多，一直没人修"
            "|{obj}有几个井盖缺失，晚上经过非常危险"
            "|{obj}修了又挖，挖了又修，一年到头都在施工"
            "|{obj}下雨后路面积水很深，电动车经过容易摔倒"
        ),
        twin_details=_s("附近老人小孩经过都要绕行|晚上路灯也不亮|已经反映过好几次|∅"),
        twin_demands=_s("希望尽快修复{obj}路面|请相关部门处理{obj}的安全隐患|要求对{obj}进行维修"),
        generic=_s(
            "城区好几条道路同时施工，上下班堵车严重|道路施工晚上噪音太大，希望限制施工时间"
            "|很多施工路段没有设置警示标志|道路施工扬尘很大，建议多洒水"
        ),
        generic_titles=_s("道路施工堵车|道路施工噪音扰民|施工路段无警示标志|道路施工扬尘"),
    ),
    IncidentKind(
        key="estate",
        sector="物业",
        label="{name}物业撤场",
        twin_label="{name}物业收费纠纷",
        names=_s("江景华府|丽水湾|金悦花园|紫荆苑|嘉禾新村|天逸华庭|凯旋名城|宝华花园"),
        forms=_s("{name}|{name}|{name}小区|{name}小区|{dev}{name}|{dev}{name}小区"),
        titles=_s(
            "{obj}物业撤场无人管理|{obj}垃圾无人清运|{obj}停水停电|{obj}电梯停运|{obj}物业预收物业费后撤场|小区物业撤场"
        ),
        problems=_s(
            "{obj}的物业公司突然撤场，小区垃圾已经{n}天没人清运了"
            "|{obj}物业撤走以后，电梯停运，二次供水也停了，高层住户没水用"
            "|{obj}现在没有物业管理，门岗没人值班，晚上陌生人随便进出"
            "|{obj}的物业撤场前还预收了一年物业费，现在人找不到了"
            "|{obj}停水停电好几天了，物业说和开发商有纠纷，已经不管了"
        ),
        details=_s("小区里住着很多老人|垃圾堆在楼下臭气熏天|业主群里天天有人问怎么办|街道说在协调|∅"),
        demands=_s("希望相关部门尽快给{obj}安排物业|要求退还预收的物业费|请帮{obj}业主恢复供水供电"),
        twin_titles=_s("{obj}物业乱收费|{obj}物业费上涨|{obj}停车费过高|{obj}物业服务差"),
        twin_problems=_s(
            "{obj}的物业没有经过业主大会就把物业费从每平方{low}元涨到{high}元"
            "|{obj}物业乱收停车费，临时停车一小时收{n}元"
            "|{obj}的电梯坏了一个多月，物业一直说在等配件"
            "|{obj}物业服务很差，收费却越来越高"
        ),
        twin_details=_s("业主对物业意见很大|物业从来不公示账目|找物业经理也不理|∅"),
        twin_demands=_s("要求{obj}物业公示收费依据|希望查处{obj}物业乱收费|请督促{obj}物业整改"),
        generic=_s(
            "小区物业服务越来越差，物业费却年年涨|物业公司撤场后小区没人管，这种情况找哪个部门"
            "|小区电梯经常坏，物业说没有维修资金|想咨询一下物业费上涨需要什么程序"
        ),
        generic_titles=_s("物业服务差|咨询物业撤场|小区电梯经常坏|咨询物业费上涨"),
    ),
    IncidentKind(
        key="project",
        sector="商品房",
        label="{name}项目停工",
        twin_label="{name}延期交房",
        names=_s("御景湾|星河公馆|山水名城|锦绣华府|盛世华庭|翰林苑|滨江豪园|悦澜山庄"),
        forms=_s("{name}|{name}|{name}项目|{dev}{name}|{dev}{name}项目|{name}楼盘"),
        titles=_s("{obj}停工烂尾|{obj}工地停工|{obj}开发商资金断裂|{obj}购房者要求复工|{obj}停工多月|楼盘停工"),
        problems=_s(
            "{obj}已经停工{n}个月了，工地上一个工人都没有，交房遥遥无期"
            "|买了{obj}的房子，首付{amount}元都交了，现在开发商资金链断裂，项目停工"
            "|{obj}的施工单位说开发商拖欠工程款，已经全部撤场"
            "|{obj}的售楼部关门了，购房者每个月还在还房贷，项目却停工烂尾"
            "|{obj}停工以后，开发商一直说在找资金复工，到现在都没有进展"
        ),
        details=_s("几百户购房者都很着急|我们一家还在外面租房|开发商一直不出面|房贷每个月照样扣|∅"),
        demands=_s("希望政府督促{obj}尽快复工|要求开发商给购房者一个说法|请相关部门介入{obj}停工问题"),
        twin_titles=_s("{obj}延期交房|{obj}逾期交房|{obj}交房一拖再拖|{obj}违约金不赔"),
        twin_problems=_s(
            "{obj}合同约定{month}月交房，现在又通知延期半年"
            "|{obj}逾期交房{n}个月，开发商不肯按合同支付违约金"
            "|{obj}的开发商说因为天气原因延期交房，业主不认可"
            "|{obj}交房时间一改再改，业主去售楼部也问不出结果"
        ),
        twin_details=_s("业主已经去售楼部好几次|开发商一直说快了|我们一家还在外面租房|∅"),
        twin_demands=_s("要求{obj}按合同支付违约金|希望督促{obj}按期交房|请相关部门协调{obj}交房"),
        generic=_s(
            "现在有些楼盘停工烂尾，买房以后怎么保障购房者的权益|想咨询一下楼盘停工以后房贷能不能停"
            "|听说有楼盘资金链断裂，担心自己买的房子也会停工"
        ),
        generic_titles=_s("咨询楼盘停工|楼盘停工房贷问题|担心楼盘烂尾"),
        amount=(260000.0, 0.4),
    ),
)
