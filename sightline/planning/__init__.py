"""Planning pages: velocity, release forecasts (linear and Monte Carlo), what-if, and their charts.

The arithmetic lives in ``sightline.forecast`` (plain Python + numpy, no Django); this app feeds it
from the database and shows the results.
"""
