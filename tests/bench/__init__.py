"""End-to-end benchmarks against real `plaudit` processes: `python -m tests.bench --help`."""
