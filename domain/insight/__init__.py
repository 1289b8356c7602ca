"""Insight: the nightly refresh of RFM segments and the churn model (`refresh`), its reads
(`reads`), and retention campaigns with a holdout (`campaigns`).

May import `domain.pipeline` and everything below it; no other feature package.
"""
