"""Points: the ledger's reads, tiers (admin and the daily re-evaluation), rewards and redemptions,
manual adjustments, expiry.

Every balance change goes through `domain.pipeline.posting`. May import `domain.pipeline` and
everything below it; no other feature package.
"""
