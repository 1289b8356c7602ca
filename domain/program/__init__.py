"""The program as admins define it, as the award path reads it: actions, badge and challenge
definitions (cached per process), the tier ladder and members' tier state, and the audit trail
that records every admin change.

May import `domain.infra`, `domain.models`, `domain.errors` and `gamification`.
"""
