"""Community: referrals (codes, rules, standings), the hourly limits of community attempts, and
user-generated content (`content`: submission, moderation, votes, reads, the content board).

May import `domain.pipeline` and everything below it; no other feature package.
"""
