"""Planning and forecasting: velocity, release forecasts (linear and Monte Carlo) and their charts.

``engine`` and ``calendar`` are plain Python + numpy with no Django import, so they can be tested,
benchmarked and backtested on their own; the rest of the app feeds them from the database.
"""
