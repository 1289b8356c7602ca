"""Plaudit's domain: the models, and the services that change state inside transactions.

Packages, from the bottom up; imports point down this list, never up:

- `infra`: settings, the database and its one transaction helper, Redis, the queue, metrics,
  outages, migrations. Imports nothing of the domain but `errors` and `models`.
- `program`: what admins define that the award path reads: actions, badge and challenge
  definitions (cached), the tier ladder, and the audit trail of every admin change.
- `leaderboards`: boards, their scores in the database, the Redis store, archives.
- `members`: enrolment, the member row lock, public profiles, the member event feed.
- `pipeline`: the award path: batches of interactions decided in memory, the award chain, the
  one-member posting every balance change goes through, activity counters.
- the features, each over the layers above and never over each other: `points` (ledger reads,
  tiers, rewards, adjustments, expiry), `goals` (badges, challenges, progress), `community`
  (referrals, content), `insight` (RFM, churn, campaigns), `interactions` (recording, bulk
  ingestion).
- `questionnaires` (definitions, members' answers, results), just above the features: a
  completion is recorded as an interaction with `interactions`' rules at recording time.

Beside them: `errors` (the one error vocabulary), `models` (the tables), `runtime` (what a running
process holds open) and `demo` (a demo program over every feature).
"""
