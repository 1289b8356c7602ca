"""Members' questionnaire statuses: a fixed number of queries per batch of members.

A request reads the program's questionnaires once (whichever field asks first), then each batch
of members' latest submissions and answers in two queries (`domain.questionnaires.answers`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime

from strawberry.dataloader import DataLoader

from domain.models import Questionnaire
from domain.questionnaires import answers, definitions


class QuestionnaireLoaders:
    def __init__(self, now: datetime, changes_at: Callable[[datetime | None], None]) -> None:
        self._now = now
        self._changes_at = changes_at
        self._all: list[Questionnaire] | None = None
        self._reading = asyncio.Lock()
        self.statuses: DataLoader[str, list[answers.MemberStatus]] = DataLoader(
            load_fn=self._load_statuses
        )

    async def every(self) -> list[Questionnaire]:
        """Every questionnaire of the program, inactive included, by key (read once)."""
        async with self._reading:
            if self._all is None:
                self._all = await definitions.listing(include_inactive=True)
            return self._all

    async def _load_statuses(self, ids: Sequence[str]) -> list[list[answers.MemberStatus]]:
        found = await answers.statuses_of(ids, await self.every(), self._now)
        shown = []
        for member_id in ids:
            # Active questionnaires, and inactive ones the member answered (their answers stay
            # theirs to see).
            statuses = [s for s in found[member_id] if s.questionnaire.active or s.answered]
            for status in statuses:
                self._changes_at(status.changes_at)
            shown.append(statuses)
        return shown
