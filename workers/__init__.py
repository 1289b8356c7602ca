"""arq workers: the settings, the cron schedule, the tasks (each a thin call into `domain/`),
the supervisor that keeps a worker alive through outages, and the quiet log of routine cron
runs (`job_log`). May import `domain` and `gamification`, never `api`."""
