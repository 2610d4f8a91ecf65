"""What a 被投诉人 (business) cell holds when nobody is named.

Exports fill the column with placeholders: 无, 不详, 个人, 商家 … Counted as a business, "无" would top
the 经营者 ranking, alert as a "business" and group unrelated complaints into one event. So the
import stores no business for them (the cell as written goes to ``extras``: nothing is lost), and
topic events also ignore them in data imported before this rule.
"""

from __future__ import annotations

NO_BUSINESS: frozenset[str] = frozenset(
    ("无", "暂无", "没有", "不详", "未知", "不清楚", "不知道", "个人", "个体", "个体户", "其他", "其它",
     "商家", "卖家", "店家", "经营者", "路边摊", "流动摊贩", "无证摊贩", "无名店铺", "-", "/", "—", "null", "NULL",
     "none", "None", "N/A", "n/a")
)  # fmt: skip
