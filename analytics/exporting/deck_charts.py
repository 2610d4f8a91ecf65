"""Native PowerPoint charts and text in the app's look, for the deck (``analytics.exporting.deck``):
a chart with the deck's font and data labels, the app's colours per series or category, whole-number
count axes, the Chinese typeface on every run."""

from __future__ import annotations

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analytics.charts.theme import PALETTE, colour_map

FONT = "Microsoft YaHei"
MAX_CATEGORIES = 12  # a bar chart with more is unreadable on a projector


def add_chart(
    slide, kind, chart_data, *, legend=False, number_format=None, left=None, width=None, height=None, unit=None
):
    frame = slide.shapes.add_chart(
        kind, left or Inches(0.6), Inches(1.4), width or Inches(12.1), height or Inches(5.2), chart_data
    )
    chart = frame.chart
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    chart.font.size = Pt(12)
    chart.font.name = FONT
    if unit:  # what the numbers count, beside the value axis
        chart.value_axis.has_title = True
        chart.value_axis.axis_title.text_frame.text = unit
    plot = chart.plots[0]
    plot.has_data_labels = len(chart_data.categories) <= MAX_CATEGORIES
    if plot.has_data_labels:
        plot.data_labels.font.size = Pt(10)
        if number_format:
            plot.data_labels.number_format = number_format
            plot.data_labels.number_format_is_linked = False
    return chart


def whole_numbers(chart) -> None:
    """A count axis in whole numbers: with a few complaints the axis had stepped by 0.5."""
    axis = chart.value_axis
    axis.tick_labels.number_format = "0"
    axis.tick_labels.number_format_is_linked = False
    top = max((v for series in chart.plots[0].series for v in series.values if v is not None), default=0)
    if top <= 10:
        axis.major_unit = 1


def paint(chart, colours: list, *, line: bool = False) -> None:
    """The app's colours on a native chart: per series a colour, or a list of one per category.
    On a line chart the second series (the year before) is dotted, as in the app."""
    for i, (series, colour) in enumerate(zip(chart.plots[0].series, colours, strict=False)):
        if isinstance(colour, list):
            for j, point_colour in enumerate(colour):
                _fill(series.points[j].format.fill, point_colour)
        elif line:
            series.format.line.color.rgb = _rgb(colour)
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT if i else MSO_LINE_DASH_STYLE.SOLID
            _fill(series.marker.format.fill, colour)
            series.marker.format.line.color.rgb = _rgb(colour)
        else:
            _fill(series.format.fill, colour)


def _fill(fill, colour: str) -> None:
    fill.solid()
    fill.fore_color.rgb = _rgb(colour)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def by_value(dimension: str, values) -> list[str]:
    """One colour per category, the one the app gives that county or sector."""
    values = [str(v) for v in values]
    colours = colour_map(dimension, values)
    return [colours.get(v, PALETTE[7]) for v in values]


def fonts(slide, size: Emu | None = None) -> None:
    """Chinese typeface on every run (East Asian and Latin), optionally one size."""
    for shape in slide.shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if getattr(shape, "has_table", False) and shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for tf in frames:
            for p in tf.paragraphs:
                for run in p.runs:
                    run.font.name = FONT
                    rpr = run._r.get_or_add_rPr()
                    ea = rpr.find(qn("a:ea"))
                    if ea is None:  # PowerPoint takes Chinese glyphs from the East Asian typeface
                        ea = rpr.makeelement(qn("a:ea"), {})
                        rpr.insert_element_before(
                            ea, "a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst"
                        )
                    ea.set("typeface", FONT)
                    if size is not None and shape.shape_type is not None and not shape.is_placeholder:
                        run.font.size = size


def ints(values) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in values]
