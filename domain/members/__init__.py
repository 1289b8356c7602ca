"""Members: enrolment on first contact and the member row lock (`members`), public profiles
(`profiles`) and the member event feed, stored with the change and published after commit
(`events`).

May import `domain.leaderboards.scores` (a rename drops cached board pages), `domain.infra`,
`domain.models`, `domain.errors` and `gamification`.
"""
