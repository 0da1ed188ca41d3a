"""Charts readable in colour-blind vision and in print: Okabe-Ito colours plus a different
marker and dash for every series, axes always shown, percentages on the value axis."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout

from audit_tui.export import styles
from audit_tui.export.book import Sheet


def section_bars(
    sheet: Sheet, title: str, header_row: int, first: int, last: int, anchor: str
) -> None:
    """Horizontal bars: categories in column A, percentages in column B."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.style = 10
    chart.legend = None
    data = Reference(sheet.ws, min_col=2, min_row=header_row, max_row=last)
    cats = Reference(sheet.ws, min_col=1, min_row=first, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    series = chart.series[0]
    series.graphicalProperties.solidFill = styles.SERIES_COLOURS[0]
    series.graphicalProperties.line.solidFill = styles.SERIES_COLOURS[0]
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.numFmt = styles.PERCENT
    # The first section at the top, as in the table beside it.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = styles.PERCENT
    chart.y_axis.majorGridlines = None
    _show_axes(chart)
    chart.width = 18
    chart.height = max(6.0, 1.0 * (last - first + 1) + 2)
    sheet.ws.add_chart(chart, anchor)


def trend_lines(
    sheet: Sheet,
    title: str,
    header_row: int,
    last_row: int,
    first_col: int,
    last_col: int,
    anchor: str,
) -> None:
    """One line per column from first_col to last_col, periods down column A."""
    chart = LineChart()
    chart.title = title
    chart.style = 2
    data = Reference(
        sheet.ws, min_col=first_col, max_col=last_col, min_row=header_row, max_row=last_row
    )
    cats = Reference(sheet.ws, min_col=1, min_row=header_row + 1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for i, series in enumerate(chart.series):
        colour = styles.SERIES_COLOURS[i % len(styles.SERIES_COLOURS)]
        series.marker.symbol = styles.MARKERS[i % len(styles.MARKERS)]
        series.marker.size = 7
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.dashStyle = styles.DASHES[i % len(styles.DASHES)]
        series.graphicalProperties.line.width = 28575  # 2.25 pt
        series.smooth = False
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = styles.PERCENT
    chart.y_axis.title = "Percent met"
    chart.x_axis.title = "Period"
    chart.legend.position = "b"
    chart.plot_area.layout = Layout(manualLayout=ManualLayout(x=0.05, y=0.05, h=0.7, w=0.9))
    _show_axes(chart)
    chart.width = 22
    chart.height = 11
    sheet.ws.add_chart(chart, anchor)


def _show_axes(chart: BarChart | LineChart) -> None:
    # openpyxl 3.1 marks axes deleted unless told otherwise; Excel then draws none.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
