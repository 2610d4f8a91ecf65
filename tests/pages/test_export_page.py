"""导出 on its own in AppTest: the period picker (years, quarters, months, holidays) and one
generate button per file. Building the files is covered by tests/browser and the report tests."""

from __future__ import annotations

from analytics.exporting.build import FORMATS


def test_export_page_offers_periods_and_every_format(app) -> None:
    at = app("pages/export.py").run()
    assert not at.exception
    assert at.title[0].value == "导出"
    picker = at.selectbox(key="export_period")
    options = set(picker.options)  # shown as labels with their dates
    for label in (
        "2024年（2024-01-01 至 2024-12-31）",
        "2024年第三季度（2024-07-01 至 2024-09-30）",
        "2024年5月（2024-05-01 至 2024-05-31）",
        "2024年春节（2024-02-10 至 2024-02-17）",
        "2024年618（2024-05-20 至 2024-06-20）",
        "2024年双十一（2024-10-20 至 2024-11-11）",
    ):
        assert label in options, label  # fmt: skip
    assert picker.value.endswith(("Q1", "Q2", "Q3", "Q4"))  # latest full quarter by default
    labels = [b.label for b in at.button]
    assert len([b for b in labels if b.startswith("生成")]) == len(FORMATS)
    assert not at.get("download_button")  # nothing built yet

    picker.set_value("2024-双十一").run()
    assert not at.exception
    caption = " ".join(c.value for c in at.caption)
    assert "2024-10-20 至 2024-11-11" in caption and "双十一" in caption
