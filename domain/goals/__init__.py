"""Goals: badges and challenges (define, award, enrol), the check that goals name real actions,
and the read-side progress of many members at once.

May import `domain.pipeline` and everything below it; no other feature package.
"""
