"""Server-rendered SVG charts from plain data: velocity bars, the release burn-up with its forecast cone,
the forecast histogram and the cumulative-flow diagram.

Each chart function returns a ``Chart``: ``svg`` (a complete ``<svg>``, role="img" with <title> and
<desc>, styled by ``chart-*`` classes and presentation attributes; no inline style, no script; it scales
to the width of its container), ``alt`` (one or two plain sentences) and ``table`` (header row first,
then the data behind it). Only the standard library: the web app renders them with
``planning/_chart.html``.
"""

from sightline.forecast.history_charts import VelocityBar, cfd_chart, velocity_chart
from sightline.forecast.release_charts import BurnupPoint, burnup_chart, histogram_chart
from sightline.forecast.svg import Chart

__all__ = [
    "BurnupPoint",
    "Chart",
    "VelocityBar",
    "burnup_chart",
    "cfd_chart",
    "histogram_chart",
    "velocity_chart",
]
