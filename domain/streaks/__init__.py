"""Streak freezes: the program's policy and an admin's grants (the pipeline earns and uses them
as interactions are awarded, `domain.pipeline.chain.Chain.count_activity`)."""
