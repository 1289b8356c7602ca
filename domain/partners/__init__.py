"""Partners: define them, check what their scoped tokens may record, read their monthly totals.

The budget itself is enforced where awards are decided, in the pipeline's batch
(`domain.pipeline.budgets`); this package is what the API and recording need. Ranked just above
`domain.program` (tests/test_import_graph.py), so that recording (`domain.interactions`) and
the pipeline can ask it whether a partner may record an action.
"""
