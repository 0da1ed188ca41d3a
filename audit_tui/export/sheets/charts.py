"""Charts readable in Excel and LibreOffice, in colour-blind vision and in print: Okabe-Ito
colours plus a different marker and dash for every line, bands in their greyscale-distinct
fills, value-only data labels (every other label part is switched off explicitly: LibreOffice
shows the category and series names when they are left unset), legends below the plot, and
a trend axis that spans the figures rather than 0-100%.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

from audit_tui.export import styles
from audit_tui.export.book import Sheet
from audit_tui.i18n import _, format_percent

# Bars for the group a sheet is about, and for the whole authority beside it.
SUBJECT_COLOUR = styles.SERIES_COLOURS[0]  # blue: greyscale 96
COMPARE_COLOUR = "B0B0B0"  # light grey: greyscale 176


def value_labels(number_format: str) -> DataLabelList:
    labels = DataLabelList()
    labels.showVal = True
    labels.showCatName = False
    labels.showSerName = False
    labels.showLegendKey = False
    labels.showPercent = False
    labels.showBubbleSize = False
    labels.showLeaderLines = False
    labels.numFmt = number_format
    return labels


def section_bars(
    sheet: Sheet,
    title: str,
    first: int,
    last: int,
    value_columns: Sequence[int],
    anchor: str,
    *,
    titles: Sequence[str],
    width: float = 15,
    height: float | None = None,
) -> None:
    """Horizontal bars: categories in column A, rows first..last, one series per value
    column (percentages) named by `titles` - the subject first, the whole authority after."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = title
    chart.style = 10
    _add_series(chart, sheet, first, last, value_columns, titles)
    for i, series in enumerate(chart.series):
        colour = SUBJECT_COLOUR if i == 0 else COMPARE_COLOUR
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    if len(chart.series) > 1:
        # Pairs of bars are too close for labels that do not collide; the table beside the
        # chart holds the figures.
        chart.legend.position = "b"
        chart.gapWidth = 40
    else:
        chart.dataLabels = value_labels(styles.PERCENT)
        chart.legend = None
    chart.x_axis.tickLblSkip = 1  # every section named, however short the chart
    # The first section at the top, as in the table beside it.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.majorUnit = 0.25
    chart.y_axis.number_format = styles.PERCENT
    chart.y_axis.majorGridlines = None
    _show_axes(chart)
    chart.width = width
    chart.height = height or max(6.0, 0.8 * (last - first + 1) * len(value_columns) + 2.5)
    sheet.ws.add_chart(chart, anchor)


def judgement_bars(
    sheet: Sheet,
    title: str,
    header_row: int,
    rows: Sequence[int],
    groups: int,
    anchor: str,
    *,
    titles: Sequence[str],
    width: float = 18,
    height: float | None = None,
    text_size: float | None = None,
) -> None:
    """A 100% stacked bar per group: the groups are named across `header_row` from column B,
    each of `rows` is one grade's counts (best first) named by `titles`, drawn in its band's
    fill so the stack reads in greyscale too."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.gapWidth = 50
    chart.title = title
    for row, name in zip(rows, titles, strict=True):
        values = Reference(sheet.ws, min_col=2, max_col=1 + groups, min_row=row)
        chart.series.append(Series(values, title=name))
    chart.set_categories(Reference(sheet.ws, min_col=2, max_col=1 + groups, min_row=header_row))
    grades = len(rows)
    for rank, series in enumerate(chart.series):
        colour = styles.BAND_COLOURS[styles.band_index(rank, grades) or 0]
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = "404040"
    chart.legend.position = "b"
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.number_format = styles.PERCENT
    chart.y_axis.majorGridlines = None
    _show_axes(chart)
    chart.width = width
    chart.height = height or max(6.0, 0.6 * groups + 3.0)
    if text_size:
        text_points(chart, text_size)
    sheet.ws.add_chart(chart, anchor)


def trend_axis(values: Sequence[float | None]) -> tuple[float, float, float]:
    """(min, max, major unit) in 0-1 for percentages `values` (0-100): round numbers a little
    outside the figures, so the lines spread over the plot, never below 0 or above 100%."""
    seen = [v for v in values if v is not None]
    if not seen:
        return 0.0, 1.0, 0.2
    low = max(0.0, math.floor((min(seen) - 3) / 5) * 5)
    high = min(100.0, math.ceil((max(seen) + 3) / 5) * 5)
    if high - low < 10:
        high = min(100.0, low + 10)
        low = max(0.0, high - 10)
    unit = 5.0 if high - low <= 40 else 10.0
    return low / 100, high / 100, unit / 100


def trend_lines(
    sheet: Sheet,
    title: str,
    header_row: int,
    last_row: int,
    value_columns: Sequence[int],
    anchor: str,
    values: Sequence[float | None],
    *,
    titles: Sequence[str],
) -> None:
    """One line per value column named by `titles`, periods down column A (rows after
    header_row to last_row). The value axis spans the figures (its range is in the title,
    so nobody reads it as 0-100%)."""
    chart = LineChart()
    chart.style = 2
    _add_series(chart, sheet, header_row + 1, last_row, value_columns, titles)
    for i, series in enumerate(chart.series):
        colour = styles.SERIES_COLOURS[i % len(styles.SERIES_COLOURS)]
        series.marker.symbol = styles.MARKERS[i % len(styles.MARKERS)]
        series.marker.size = 7
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.dashStyle = styles.DASHES[i % len(styles.DASHES)]
        # The first line (the whole authority) is drawn heavier.
        series.graphicalProperties.line.width = 38100 if i == 0 else 22225
        series.smooth = False
    low, high, unit = trend_axis(values)
    chart.title = _("{title} (axis {low} to {high})").format(
        title=title, low=format_percent(low * 100), high=format_percent(high * 100)
    )
    chart.y_axis.scaling.min = low
    chart.y_axis.scaling.max = high
    chart.y_axis.majorUnit = unit
    chart.y_axis.number_format = styles.PERCENT
    chart.y_axis.title = _("Percent met")
    chart.x_axis.title = _("Period")
    chart.legend.position = "b"
    chart.plot_area.layout = Layout(manualLayout=ManualLayout(x=0.05, y=0.05, h=0.62, w=0.9))
    _show_axes(chart)
    chart.width = 22
    chart.height = 13
    sheet.ws.add_chart(chart, anchor)


def text_points(chart: BarChart | LineChart, size: float) -> None:
    """Axis and legend text at `size` points (the default is 10): a chart on a sheet printed
    below full size needs larger text to stay readable on paper."""

    def rich() -> RichText:
        props = CharacterProperties(sz=int(size * 100))
        return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])

    chart.x_axis.txPr = rich()
    chart.y_axis.txPr = rich()
    if chart.legend is not None:
        chart.legend.txPr = rich()


def _add_series(
    chart: BarChart | LineChart,
    sheet: Sheet,
    first: int,
    last: int,
    value_columns: Sequence[int],
    titles: Sequence[str],
) -> None:
    for col, name in zip(value_columns, titles, strict=True):
        values = Reference(sheet.ws, min_col=col, min_row=first, max_row=last)
        chart.series.append(Series(values, title=name))
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first, max_row=last))


def _show_axes(chart: BarChart | LineChart) -> None:
    # openpyxl 3.1 marks axes deleted unless told otherwise; Excel then draws none.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
