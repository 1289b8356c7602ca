"""The README's examples for program managers and front-ends are valid against the served
schema, as they would be copied into GraphiQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from api.schema import build_schema

README = Path(__file__).resolve().parents[1] / "README.md"
SECTIONS = {
    "community": "## Referrals and user-generated content",
    "leaderboards": "## Leaderboards (for web front-ends)",
    "insight": "## Insight: segments, churn risk and campaigns",
    "privacy": "## Members' data: access, erasure, retention",
    "webhooks": "## Webhooks (for integrators)",
    "engagement": "## Engagement: questionnaires, offers, partners and game features",
}


def blocks(section: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    body = text.split(SECTIONS[section], 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```graphql\n(.*?)```", body, flags=re.DOTALL)


@pytest.mark.parametrize(
    ("section", "operations"),
    [
        (
            "community",
            (
                "applyReferralCode",
                "updateReferralProgram",
                "submitContent",
                "moderateContent",
                "voteContent",
                "contents(status: PENDING",
            ),
        ),
        ("leaderboards", ("leaderboardChanged", "leaderboardArchives", "entry", "boards")),
        ("insight", ("upsertCampaign", "segments", "churnModel", "segmentMembers", "results")),
        ("privacy", ("memberExport", "eraseMember")),
        ("engagement", ("upsertBadge", "nextLevel")),
        ("engagement", ("setStreakFreezePolicy", "grantStreakFreezes")),
        ("engagement", ("upsertQuestionnaire", "submitAnswers", "questionnaireResults")),
        ("engagement", ("upsertReward", "audience", "campaignAudience", "upsertCampaign")),
        (
            "webhooks",
            (
                "createWebhookEndpoint",
                "webhookEndpoints",
                "redeliverWebhook",
                "rotateWebhookSecret",
            ),
        ),
    ],
)
def test_each_section_has_its_examples(section: str, operations: tuple[str, ...]):
    joined = "\n".join(blocks(section))
    for operation in operations:
        assert operation in joined


@pytest.mark.parametrize("block", [block for section in SECTIONS for block in blocks(section)])
def test_each_example_validates_against_the_served_schema(block: str):
    assert validate(build_schema()._schema, parse(block)) == []
