"""Members' rights over their data: what Plaudit holds about a member (`holdings`), a copy of it
as readable JSON (`export`), its irreversible erasure (`erasure`), and the retention of raw
interactions (`retention`).

May import the layers below the features (`domain.runtime`, `domain.members`, `domain.program`,
`domain.outbox`, `domain.infra`, `domain.models`, `domain.errors`) and `gamification`; no other
feature package.
"""
