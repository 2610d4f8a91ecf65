"""Router and frame: page config, navigation, the shared filter bar. Pages do the rest."""

from __future__ import annotations

import streamlit as st

from ui import auth
from ui.frame import render_frame, user_errors

st.set_page_config(page_title="投诉热点分析", page_icon=":material/insights:", layout="wide")
# The tables' own CSV download and copy write cells as they are (=, +, -, @ run as formulas in
# Excel); downloads go through the pages' safe exports instead (analytics/exporting/safe_cells.py).
st.set_option("client.disableDataExport", True)
st.set_option("client.toolbarMode", "viewer")  # no Deploy / rerun / clear-cache for the analysts
user = auth.gate()  # the login form, or a refusal, stops the run here

PAGES = {
    "分析": [
        st.Page("pages/overview.py", title="总览", icon=":material/monitoring:", default=True),
        st.Page("pages/explore.py", title="探索", icon=":material/search:"),
        st.Page("pages/distribution.py", title="分布", icon=":material/map:"),
        st.Page("pages/businesses.py", title="经营者", icon=":material/storefront:"),
        st.Page("pages/topics.py", title="话题", icon=":material/hub:"),
    ],
    "决策": [
        st.Page("pages/hotspots.py", title="热点", icon=":material/local_fire_department:"),
        st.Page("pages/alerts.py", title="预警", icon=":material/notifications_active:"),
        st.Page("pages/timeliness.py", title="时效", icon=":material/timer:"),
    ],
    "数据": [
        st.Page("pages/import_data.py", title="数据导入", icon=":material/upload_file:"),
        st.Page("pages/export.py", title="导出", icon=":material/download:"),
    ],
}
if user.role in ("analyst", "admin"):
    PAGES["数据"].append(st.Page("pages/audit.py", title="审计日志", icon=":material/history:"))

page = st.navigation(PAGES)
render_frame()
with user_errors():  # a UserError from any page: one Chinese line, no traceback
    page.run()
