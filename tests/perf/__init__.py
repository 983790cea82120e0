"""Benchmark and load-test tooling: data sets, a production server on the loopback, load.

Not production code: reached through tests/perf/settings.py (make bench,
make loadtest, make search-bench) and by the tests of the tooling itself.
"""
