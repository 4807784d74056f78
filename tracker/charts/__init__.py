"""Pure plotly figure builders: a Table of plain rows in, a figure (a plain dict plotly.js draws) out.

Figures are plain dicts rather than `plotly.graph_objects.Figure`s: building and validating a Figure
costs about 15 ms a chart, a page has up to eight, and the dashboard answers in under 50 ms. The tests
validate every builder's output against plotly's schema instead.
"""

from tracker.charts.table import Table

__all__ = ["Table"]
