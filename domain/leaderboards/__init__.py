"""Leaderboards: which boards exist (`boards`), their scores kept in the database with each credit
and projected to Redis (`scores`), the Redis side (`store`) and the archives of closed periods
(`archives`).

May import `domain.program`, `domain.infra`, `domain.models`, `domain.errors` and `gamification`.
"""
