"""Benchmarks: `make bench` (python -m bench.run) measures profiles, exports, start-up and answer
latency at 2,000 / 20,000 / 200,000 audits and rewrites bench/RESULTS.md. Never part of
`make test`."""
