"""arq workers: the settings, the cron schedule, the tasks (each a thin call into `domain/`)
and the supervisor that keeps a worker alive through outages. May import `domain` and
`gamification`, never `api`."""
