"""审计日志: every write (import, rollback, topic curation, mapping profile), who made it and when.
For analysts and admins; the same rows as ``python -m analytics audit``."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from analytics.audit import ACTION_LABELS, audit_log
from ui import auth, cache, url_state
from ui.frame import user_errors
from ui.router import ensure_router

LIMIT = 1000


def _counts(raw: object) -> str:
    # "imported 120，duplicates 3" reads better in a table cell than the JSON object (NULL: NaN here).
    return "，".join(f"{k} {v}" for k, v in json.loads(raw).items()) if isinstance(raw, str) else ""


ensure_router()
st.title("审计日志")
with user_errors():
    user = auth.current_user()
    if user is None or user.role == "viewer":
        st.warning("审计日志仅对分析员和管理员开放。", icon="🔒")
        st.stop()
    st.caption(
        f"每一次写入（导入、撤销批次、话题整理、保存映射方案）记录操作人、时间、对象和数量，与改动在同一事务中写入。"
        f"显示最近 {LIMIT:,} 条；命令行：python -m analytics audit。"
    )
    actions = [None, *ACTION_LABELS]
    action = st.selectbox(
        "操作",
        actions,
        index=url_state.index("audit_action", actions),
        format_func=lambda a: "全部" if a is None else ACTION_LABELS[a],
        key="audit_action",
    )
    url_state.keep("audit_action", action, default=None)
    # Cached by the audit stage's version: a write here or by another process shows at once.
    rows = cache.frame(audit_log, limit=LIMIT, action=action)
    if rows.empty:
        st.info("还没有审计记录。")
    else:
        shown = pd.DataFrame(
            {
                "时间": rows["at_time"],
                "操作人": rows["actor"],
                "操作": rows["action"].map(ACTION_LABELS),
                "对象": rows["target"].fillna(""),
                "数量": rows["counts"].map(_counts),
                "内容": rows["detail"].fillna(""),
            }
        )
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={"时间": st.column_config.DatetimeColumn("时间", format="YYYY-MM-DD HH:mm:ss")},
        )
