"""Infrastructure: settings, the database (and the one place that opens transactions), Redis and
its embedded server, the job queue, the program's Redis namespace, metrics, outages and
reachability, migrations, stopping a task for sure (cancel), and two small query helpers (ids,
keyset history).

Owns no program rule. May import `domain.errors` and `domain.models`; nothing else of `domain`.
"""
