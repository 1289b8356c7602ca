"""Interactions: recording one (commit, then wake a worker) in `record`, and many at once, through
the API in `ingest`, from a file (`plaudit import`) in `files`. The award pipeline
(`domain.pipeline`) processes them.

May import `domain.pipeline` and everything below it; no other feature package.
"""
