"""The progress screen's lists (badges with their goals and levels, challenges' goal progress,
streaks) are `@plain`: completed in one pass per request, not field by field, and answered exactly
as graphql-core's general execution answers them."""

from __future__ import annotations

import pytest

from api import plain_values
from api.graphiql import PROGRESS_QUERY
from tests.api.badges.test_badges import badge, goal
from tests.api.challenges.test_challenges import challenge, enroll
from tests.api.read_cache.common import EXECUTED, data, read
from tests.conftest import SERVICE
from tests.helpers import define, record

# Beyond the README's screen: every field of a badge's standing, levels and aliases included.
FULL = """
query Full {
  me {
    badges {
      badge { key name description imageUrl secret rewardPoints goals { metric action target }
              levels { level name rewardPoints goals { target } } }
      earned earnedAt level
      nextLevel { level name rewardPoints goals { metric action target } }
      progress { goal { metric action target } current completed }
      again: progress { done: completed, __typename }
    }
    challenges { challenge { key } progress { goal { target } current completed } }
    streaks { action current longest lastActiveOn }
  }
}
"""


async def program(gql, drain) -> None:
    """Badges earned, levelled, in progress and secret; a challenge enrolled in; a streak."""
    await define(gql, "app.open", 10, memberReportable=False)
    await badge(gql, "opener", [goal("ACTION_COUNT", 1, "app.open")])
    await badge(
        gql,
        "regular",
        [goal("ACTION_COUNT", 2, "app.open")],
        levels=[
            {"name": "Silver", "goals": [goal("ACTION_COUNT", 3, "app.open")]},
            {
                "name": "Gold",
                "goals": [goal("ACTION_COUNT", 9, "app.open"), goal("ACTIVE_DAYS", 5)],
            },
        ],
    )
    await badge(gql, "faraway", [goal("POINTS_EARNED", 1_000)])
    await badge(gql, "hidden", [goal("ACTION_COUNT", 50, "app.open")], secret=True)
    await challenge(gql, "sprint", goals=[goal("ACTION_COUNT", 5, "app.open")])
    await enroll(gql, "ada", "sprint")
    for key in ("k1", "k2", "k3"):
        await record(gql, SERVICE, action="app.open", memberId="ada", key=key)
    await drain()


@pytest.mark.parametrize("document", [PROGRESS_QUERY, FULL], ids=["readme", "full"])
async def test_the_planned_answer_is_the_general_executions(
    client, settings, gql, drain, monkeypatch, document
):
    await program(gql, drain)
    executed: list[str] = []
    general_path = plain_values.PlainExecutionContext.execute_field

    def execute_field(self, parent_type, *args, **kwargs):
        executed.append(parent_type.name)
        return general_path(self, parent_type, *args, **kwargs)

    monkeypatch.setattr(plain_values.PlainExecutionContext, "execute_field", execute_field)
    planned = data(await read(client, settings, "ada", document, headers=EXECUTED))
    planned_fields = len(executed)
    monkeypatch.setattr(plain_values, "_PLAIN", set())  # every type field by field
    general = data(await read(client, settings, "ada", document, headers=EXECUTED))
    assert planned == general
    assert "BadgeStatus" not in executed[:planned_fields]
    assert planned_fields * 3 < len(executed) - planned_fields
    levels = {entry["badge"]["key"]: entry for entry in planned["me"]["badges"]}
    assert set(levels) == {"opener", "regular", "faraway"}  # the secret one stays hidden
    if document is FULL:
        assert levels["regular"]["level"] == 2
        assert levels["regular"]["nextLevel"]["name"] == "Gold"


def test_the_progress_screens_lists_are_plain() -> None:
    for type_name in ("BadgeStatus", "GoalProgress", "Streak"):
        assert plain_values.is_plain(type_name), type_name
