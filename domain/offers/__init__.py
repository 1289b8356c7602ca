"""Answers that drive offers: answer conditions (`gamification.offers`) checked against the
questionnaires they name, a member's latest answers loaded in one query, and conditions turned
into SQL for a whole population. Read by campaigns (`domain.insight.campaigns`: targeting) and
rewards (`domain.points.rewards`: personal offers).

Ranked below the features that use it (tests/test_import_graph.py): it reads the questionnaire
tables through the models, never `domain.questionnaires`.
"""
