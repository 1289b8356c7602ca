"""Documents and set-ups shared by the tests of answers that drive offers: the bike shop's
questionnaire (tests/api/questionnaires/common.py) and members who answered it."""

from __future__ import annotations

from typing import Any

from tests.api.questionnaires.common import answers, submit, upsert

__all__ = ["answers", "condition", "profile", "submit"]


async def profile(gql: Any, **extra: Any) -> None:
    """The bike shop's questionnaire, answered once for good unless `repeatEveryDays`, with no
    completion action (what members answered is what these tests are about)."""
    payload = await upsert(gql, completionAction=None, **extra)
    assert payload["errors"] == [], payload


def condition(question: str, **test: Any) -> dict[str, Any]:
    """An answer condition on the bike profile: `choice=...`, or `min=`/`max=`."""
    return {"questionnaire": "bike.profile", "question": question, **test}
