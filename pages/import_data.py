"""数据导入: upload exports, check the automatic header mapping, import, see what was quarantined,
and manage import batches (roll one back). All work is done by ``analytics.ingest``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import refresh, settings
from analytics.errors import UserError
from analytics.ingest import (
    DEFAULT_SOURCE,
    import_file,
    list_batches,
    load_mapping_profile,
    mask_personal_data,
    preview_file,
    quarantine_csv,
    quarantine_rows,
    rollback_batch,
    save_mapping_profile,
)
from analytics.ingest.headers import FIELD_LABELS, FIELDS, UNMAPPED, missing_required
from analytics.ingest.readers import DELIMITER_NAMES
from analytics.ingest.uploads import private_copy
from ui import auth, cache
from ui.frame import user_errors
from ui.text import plain

FILES_KEY = "import_files"  # session_state: {file name: bytes}; the uploader fills it
RESULTS_KEY = "import_results"  # session_state: list of per-sheet result dicts of the last import
DRY_RUN_KEY = "import_results_dry_run"  # session_state: True when those results are a 试导入's
SOURCES = ["12345", "12315", "消委会", DEFAULT_SOURCE]
KEEP = "（保留到附加字段）"
FIELD_CHOICES = [KEEP] + [f"{FIELD_LABELS[f]}（{f}）" for f in FIELDS]
_CHOICE_TO_FIELD = {KEEP: UNMAPPED} | {f"{FIELD_LABELS[f]}（{f}）": f for f in FIELDS}
TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "xlsb", "ods"]


def _uploader_in_chinese() -> None:
    """Streamlit writes its uploader's button and limits in English (no parameter for them): CSS
    hides those words and shows Chinese ones in their place, the limit read from the server's option."""
    limit = st.get_option("server.maxUploadSize")
    kinds = "、".join(t.upper() for t in TYPES)
    st.html(
        f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "选择文件"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "可拖放文件到此处；每个文件不超过 {limit}MB · {kinds}"; font-size: 0.875rem; }}
</style>"""
    )


def _choice(field: str) -> str:
    return f"{FIELD_LABELS[field]}（{field}）" if field else KEEP


def _masked(rows: list[list[str | None]], headers: list[str]) -> pd.DataFrame:
    """Preview rows with personal data masked (the preview shows raw file values)."""
    return pd.DataFrame([[mask_personal_data(v) if v else v for v in r] for r in rows], columns=headers)


def _mapping_editor(key: str, sheet: dict) -> dict[str, str]:
    table = pd.DataFrame(
        {
            "表头": sheet["headers"],
            "对应字段": [_choice(sheet["mapping"].get(h, "")) for h in sheet["headers"]],
        }
    )
    edited = st.data_editor(
        table,
        key=key,
        hide_index=True,
        disabled=["表头"],
        column_config={"对应字段": st.column_config.SelectboxColumn("对应字段", options=FIELD_CHOICES, required=True)},
        width="stretch",
    )
    return {row["表头"]: _CHOICE_TO_FIELD.get(row["对应字段"], UNMAPPED) for row in edited.to_dict("records")}


def _source_picker() -> str:
    col1, col2 = st.columns([1, 1])
    options = [*SOURCES, "其他名称…"]
    pick = col1.selectbox(
        "数据来源",
        options,
        index=options.index(DEFAULT_SOURCE),  # the command line's default too, so both dedupe alike
        format_func=lambda s: "未指定（other）" if s == DEFAULT_SOURCE else s,
        key="import_source",
        help="同一来源内按编号（或时间+内容）识别重复；12345、12315、消委会各自独立",
    )
    if pick == "其他名称…":
        return col2.text_input("来源名称", key="import_source_name").strip() or DEFAULT_SOURCE
    return pick


st.title("数据导入")
st.caption(
    "支持 CSV / TSV / TXT（UTF-8、带 BOM 的 UTF-8、GBK、GB18030，自动识别编码和分隔符）、Excel .xlsx 与旧版 .xls，"
    "多个工作表逐一导入。重复导入同一文件不会产生重复数据；电话、身份证号、银行卡号在导入时即被遮盖。"
)

source = _source_picker()
_uploader_in_chinese()
uploads = st.file_uploader("上传导出文件（可多选）", type=TYPES, accept_multiple_files=True, key="import_uploader")
if uploads:
    st.session_state[FILES_KEY] = {u.name: u.getvalue() for u in uploads}
    st.session_state["import_from_uploader"] = True
elif st.session_state.get("import_from_uploader"):  # the analyst removed the uploads
    st.session_state[FILES_KEY] = {}
    st.session_state["import_from_uploader"] = False
files: dict[str, bytes] = st.session_state.get(FILES_KEY, {})

saved: dict[str, str] = {}
with user_errors(), cache.cursor() as cur:
    saved = load_mapping_profile(cur, source)

plans: dict[str, tuple[bytes, dict[str, str]]] = {}  # name -> (upload, header -> field)
if files:
    st.subheader("预览与表头对应")
    if saved:
        st.caption(f"已应用来源“{plain(source)}”保存的映射方案（{len(saved)} 列）。")
    for name, data in files.items():
        with st.expander(f"📄 {plain(name)}", expanded=True):
            try:
                with private_copy(name, data) as path:  # 0600, private dir, removed after reading
                    sheets = preview_file(path, overrides=saved, display_name=name)
            except UserError as exc:
                st.error(plain(exc.zh), icon="⚠️")
                continue
            if not sheets:
                st.error(f"{plain(name)}：文件中没有数据。", icon="⚠️")
                continue
            mapping: dict[str, str] = {}
            for i, sheet in enumerate(sheets):
                if "error" in sheet:
                    st.info(f"工作表“{plain(sheet['sheet'])}”将跳过：{plain(sheet['error'])}")
                    continue
                where = f"工作表“{plain(sheet['sheet'])}”" if sheet["sheet"] else "文件"
                notes = [f"表头在第 {sheet['header_row']} 行"]
                if sheet["encoding"]:
                    notes.append(f"编码 {sheet['encoding']}")
                if sheet["delimiter"]:
                    notes.append("分隔符 " + DELIMITER_NAMES[sheet["delimiter"]])
                st.markdown(f"**{where}**　" + "，".join(notes))
                st.dataframe(_masked(sheet["rows"][:10], sheet["headers"]), hide_index=True, width="stretch")
                sheet_map = _mapping_editor(f"map::{name}::{i}", sheet)
                fields = [f for f in sheet_map.values() if f]
                if len(fields) != len(set(fields)):
                    st.warning("同一个字段对应了多列：只有第一列生效，其余列保留到附加字段。")
                if missing_required(sheet_map):
                    st.error("缺少必需的列：受理时间，以及标题或内容。请在上表中指定。", icon="⚠️")
                mapping.update(sheet_map)
            plans[name] = (data, mapping)

    importer = auth.can("import")
    if not importer:
        st.caption("导入和试导入需要分析员或管理员权限；当前账号只能预览文件。")
    remember = st.checkbox(
        f"把以上表头对应保存为来源“{plain(source)}”的映射方案", key="import_remember", disabled=not importer
    )
    go, check = st.columns([1, 3])
    do_import = go.button("开始导入", type="primary", disabled=not plans or not importer, key="import_go")
    dry_run = check.button(
        "试导入（只检查，不写入）",
        disabled=not plans or not importer,
        key="import_dry_run",
        help="按当前表头对应完整走一遍导入：统计将导入、重复和隔离的行数及隔离原因，数据库不做任何改动。",
    )
    needs = ["import", "mapping_profile"] if remember and do_import else ["import"]
    if (do_import or dry_run) and (user := auth.allowed(*needs)):
        results: list[dict] = []
        for name, (data, mapping) in plans.items():
            try:
                with cache.writing() as cur, private_copy(name, data) as path:
                    if remember and do_import:
                        save_mapping_profile(cur, source, mapping, actor=user.actor)
                    for r in import_file(
                        cur,
                        path,
                        source=source,
                        overrides=mapping,
                        display_name=name,
                        dry_run=dry_run,
                        actor=user.actor,
                    ):
                        results.append(r.as_dict())
            except UserError as exc:
                results.append({"file": name, "error": exc.zh})
        imported = do_import and any(r.get("imported") for r in results)
        if imported and refresh.after_change(settings.get("HOTSPOT_DB")):
            st.session_state["import_flash"] = "话题与事件将在后台重新计算，完成后各页面自动使用新结果。"
        st.session_state[RESULTS_KEY] = results
        st.session_state[DRY_RUN_KEY] = dry_run

results = st.session_state.get(RESULTS_KEY)
if results:
    checked_only = bool(st.session_state.get(DRY_RUN_KEY))
    st.subheader("试导入结果（未写入数据库）" if checked_only else "校验报告")
    ok = [r for r in results if "error" not in r]
    for r in results:
        if "error" in r:
            st.error(f"{plain(r['file'])}：{'无法导入' if checked_only else '未导入'}。{plain(r['error'])}", icon="⚠️")
    if ok:
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("读取行数", f"{sum(r['rows_read'] for r in ok):,}")
        c2.metric("将导入" if checked_only else "新导入", f"{sum(r['imported'] for r in ok):,}")
        c3.metric("重复（未重复导入）", f"{sum(r['duplicates'] for r in ok):,}")
        c4.metric("隔离（未导入）", f"{sum(r['quarantined'] for r in ok):,}")
        reasons: dict[str, int] = {}
        for r in ok:
            for reason, n in (r.get("quarantine_reasons") or {}).items():
                reasons[reason] = reasons.get(reason, 0) + n
        if reasons:
            st.markdown("**隔离原因**：" + "；".join(f"{plain(reason)} {n:,} 行" for reason, n in reasons.items()))
        report = pd.DataFrame(
            [
                {
                    "文件": r["file"],
                    "工作表": r["sheet"] or "",
                    "读取": r["rows_read"],
                    "导入": r["imported"],
                    "重复": r["duplicates"],
                    "隔离": r["quarantined"],
                    "批次": r["batch_id"],
                }
                for r in ok
            ]
        )
        if checked_only:
            report = report.drop(columns=["批次"]).rename(columns={"导入": "将导入"})
        st.dataframe(report, hide_index=True, width="stretch")
        st.caption("读取 = 导入 + 重复 + 隔离。隔离的行缺少标题和内容，或受理时间缺失/无法识别，可下载修改后重新导入。")
        would_quarantine = pd.DataFrame(
            [
                {"batch_id": "", "file_name": r["file"], "sheet": r["sheet"], **row}
                for r in ok
                for row in r.get("quarantine_preview") or []
            ]
        )
        if checked_only and not would_quarantine.empty:
            total = sum(r["quarantined"] for r in ok)
            shown = f"，显示前 {len(would_quarantine):,} 行，共 {total:,} 行" if len(would_quarantine) < total else ""
            st.markdown(f"**将被隔离的行**（按原文件行号；个人信息已脱敏{shown}）")
            st.dataframe(
                would_quarantine[["file_name", "sheet", "row_number", "reason", "raw"]],
                hide_index=True,
                width="stretch",
                column_config={
                    "file_name": "文件",
                    "sheet": "工作表",
                    "row_number": st.column_config.NumberColumn("行号", format="%d"),
                    "reason": "原因",
                    "raw": "原始内容",
                },
            )
            st.download_button(
                "下载将被隔离的行（CSV）",
                data=quarantine_csv(would_quarantine),
                file_name="试导入_隔离行.csv",
                mime="text/csv",
                key="import_dry_run_csv",
            )

st.subheader("导入批次")
if flash := st.session_state.pop("import_flash", None):
    st.success(flash)
with user_errors():
    batches = cache.frame(list_batches)
    if batches.empty:
        st.info("还没有导入过文件。")
    else:
        shown = batches.assign(状态=batches["rolled_back_at"].map(lambda v: "已撤销" if pd.notna(v) else "有效"))
        shown = shown.rename(
            columns={
                "batch_id": "批次",
                "file_name": "文件",
                "sheet": "工作表",
                "source": "来源",
                "imported_at": "导入时间",
                "rows_read": "读取",
                "imported": "导入",
                "duplicates": "重复",
                "quarantined": "隔离",
            }
        )
        cols = ["批次", "文件", "工作表", "来源", "导入时间", "读取", "导入", "重复", "隔离", "状态"]
        st.dataframe(
            shown[cols],
            hide_index=True,
            width="stretch",
            placeholder="—",  # the demo's batch has no sheet: a dash, not None
            column_config={n: st.column_config.NumberColumn(n, format="localized") for n in cols[5:9]},
        )

        with_q = batches[batches["quarantined"] > 0]["batch_id"].tolist()
        if with_q:
            pick = st.selectbox("查看隔离行的批次", with_q, key="import_q_batch")
            rows = cache.frame(quarantine_rows, pick)
            st.dataframe(
                rows[["row_number", "reason", "raw"]].rename(
                    columns={"row_number": "行号", "reason": "原因", "raw": "原始内容（已遮盖个人信息）"}
                ),
                hide_index=True,
                width="stretch",
            )
            st.download_button(
                "下载隔离行（CSV）",
                data=quarantine_csv(rows),
                file_name=f"隔离行_{pick}.csv",
                mime="text/csv",
                key="import_q_download",
            )

        active = batches[batches["rolled_back_at"].isna()]["batch_id"].tolist()
        if active and not auth.can("rollback"):
            st.caption("撤销批次需要管理员权限。")
        elif active:
            with st.expander("撤销一个批次"):
                target = st.selectbox("批次", active, key="import_rollback_batch")
                sure = st.checkbox("确认删除该批次导入的全部投诉", key="import_rollback_sure")
                if st.button("撤销批次", disabled=not sure, key="import_rollback_go") and (
                    user := auth.allowed("rollback")
                ):
                    with cache.writing() as cur:
                        done = rollback_batch(cur, target, actor=user.actor)
                    refresh.after_change(settings.get("HOTSPOT_DB"))  # the topic run still counts them
                    st.session_state["import_flash"] = (
                        f"已撤销批次 {target}：删除 {done['complaints_removed']:,} 条投诉。"
                    )
                    st.rerun()
