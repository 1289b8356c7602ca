"""Questionnaires: admins define them (`definitions`), members answer them (`answers`: validated
whole, stored per member with history, the completion action recorded as an interaction for the
award pipeline), admins read the results (`results`: counts, mean, NPS, by tier or segment).

Ranked just above `interactions` (tests/test_import_graph.py): a completion is recorded with the
same decision at recording time as any interaction (`domain.interactions.record`).
"""
