"""Real-data quality: the engine against naive baselines on the real exports the project ships.

``python -m benchmarks.quality`` (``make quality``) prints the scorecard recorded in docs/quality.md;
tests/benchmarks/test_quality.py asserts the engine is at least as good as the baselines.
"""
