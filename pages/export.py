"""导出: the joint-meeting deck (.pptx), the analysis report (.docx) and the hotspot shortlist
(.xlsx / .csv) of a period — the same files as ``python -m analytics report``."""

from __future__ import annotations

import streamlit as st

from analytics.exporting.build import FORMATS, build_export, export_filename, mime_type
from analytics.periods import available_periods, parse_period
from analytics.profile import load_profile
from ui import cache, url_state
from ui.filters import data_span
from ui.frame import controls, user_errors

LABELS = {
    "pptx": ("联席会议简报", "PowerPoint，图表可编辑"),
    "docx": ("分析报告", "Word，含同比、环比分析"),
    "xlsx": ("热点问题表", "Excel：热点问题表 + 热点问题明细表"),
    "csv": ("热点问题表（CSV）", "UTF-8（带 BOM），Excel 可直接打开"),
}
_STORE = "export_files"  # session_state: {(period key, format, data version): bytes}


def _default_index(periods) -> int:
    """The latest full quarter of the data (else the first choice)."""
    _, last = data_span()
    for i, p in enumerate(periods):
        if p.kind == "quarter" and last is not None and p.end <= last:
            return i
    return 0


st.title("导出")
first, last = data_span()
periods = available_periods(first, last)
if not periods:
    st.info("数据库中还没有投诉数据。请先在“数据导入”页导入数据。")
    st.stop()

keys = [p.key for p in periods]
names = {p.key: f"{p.label}（{p.span}）" for p in periods}
with controls("export-period"):
    choice = st.selectbox(
        "时段",
        keys,
        index=url_state.index("export_period", keys, _default_index(periods)),  # a shared link's period
        format_func=names.get,
        key="export_period",
        help="年、季度、月，或春节、618、双十一等节日时段；同比、环比按时段类型自动选择。",
    )
url_state.keep("export_period", choice)
period = parse_period(choice)
st.caption(
    f"{period.label}：{period.span}。"
    + (f"{period.note}。" if period.note else "")
    + f"环比对照 {period.previous.label}（{period.previous.span}）。"
)
st.write("热点取自后台计算好的话题（导入数据后自动更新），生成只读取已存结果。")

files: dict[tuple[str, str, str], bytes] = st.session_state.setdefault(_STORE, {})
region = load_profile().name
for fmt in FORMATS:
    title, detail = LABELS[fmt]
    with st.container(border=True):
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"**{title}**　{detail}")
        with right:
            if st.button(f"生成{title}", key=f"export_build_{fmt}"):
                with st.spinner(f"正在生成{title}…"), user_errors():
                    with cache.cursor() as cur:
                        content = build_export(cur, period, fmt)  # reads the stored topic run
                    # Keyed by the data version after the build: a later import makes it stale.
                    files[(period.key, fmt, cache.data_version())] = content
            content = files.get((period.key, fmt, cache.data_version()))
            if content is not None:
                st.download_button(
                    f"下载{title}",
                    data=content,
                    file_name=export_filename(region, period, fmt),
                    mime=mime_type(fmt),
                    key=f"export_download_{fmt}",
                    type="primary",
                    on_click="ignore",
                )
