"""The forecasting engine: plain Python + numpy, no Django imports.

Deterministic with a seed and free of global state, so it can be unit-tested, benchmarked and
backtested on project histories on its own.
"""
