"""A small demo program, so a fresh GraphiQL shows real data. Safe to load twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import pipeline
from domain.community import referrals
from domain.community.content import moderation as content_moderation
from domain.community.content import submission as content
from domain.community.content import votes as content_votes
from domain.community.content.moderation import Decision
from domain.goals import badges, challenges
from domain.insight import campaigns
from domain.insight import refresh as insight
from domain.interactions import record as interactions
from domain.leaderboard_visibility.settings import set_visibility
from domain.leaderboards import archives as leaderboard_archives
from domain.members import members
from domain.models import Campaign, Challenge, Questionnaire, Referral
from domain.partners import partners
from domain.points import rewards, tiers
from domain.program.actions import ActionDefinition, upsert_action
from domain.questionnaires import answers as questionnaire_answers
from domain.questionnaires import definitions as questionnaires
from domain.runtime import Runtime
from domain.streaks import freezes
from gamification.badges import BadgeDefinition, BadgeLevelDefinition
from gamification.challenges import ChallengeDefinition, Recurrence, Window
from gamification.content import Submission
from gamification.goals import Goal, Metric
from gamification.leaderboards import Visibility
from gamification.limits import Limit
from gamification.offers import AnswerCondition
from gamification.partners import PartnerDefinition
from gamification.periods import Period
from gamification.questionnaires import Answer, Question, QuestionKind
from gamification.streaks import FreezePolicy
from gamification.tiers import TierRule

ACTIONS = [
    # Member-reportable, as in the README's examples: a member token can record it.
    ActionDefinition(
        "review.posted",
        "Posted a review",
        50,
        "A product review",
        [Limit(Period.DAY, 3)],
        member_reportable=True,
    ),
    ActionDefinition("survey.completed", "Completed a survey", 30, member_reportable=False),
    ActionDefinition(
        "app.daily_open",
        "Opened the app",
        5,
        "Once a day",
        [Limit(Period.DAY, 1)],
        member_reportable=True,
    ),
    ActionDefinition(
        "content.shared", "Shared content", 10, cooldown_seconds=60, member_reportable=True
    ),
    # Credited by moderation when a review is approved, never recorded by a member.
    ActionDefinition("content.review", "Approved review", 40, member_reportable=False),
    # Recorded by the partner North Bikes with its own token (`PARTNER`).
    ActionDefinition("bikes.service", "Serviced a bike at North Bikes", 25),
    ActionDefinition("bikes.purchase", "Bought at North Bikes", 10),
    # Recorded when a member completes the demo questionnaire.
    ActionDefinition(
        "questionnaire.completed", "Answered a questionnaire", 20, member_reportable=False
    ),
]

# A partner awarding points for its own actions, within a monthly budget; Linus had his bike
# serviced twice (partner interactions, charged to its budget).
PARTNER = PartnerDefinition(
    "bikes.north", "North Bikes", ("bikes.service", "bikes.purchase"), monthly_budget=5_000
)
PARTNER_VISITS = {"demo-linus": [("bikes.service", 2), ("bikes.service", 0)]}

TIERS = [
    TierRule("base", "Base", 0, 1.0),
    TierRule("silver", "Silver", 500, 1.25, ("Free shipping",)),
    TierRule("gold", "Gold", 2000, 1.5, ("Free shipping", "Priority support")),
]

REWARDS = [
    rewards.RewardDefinition("coffee", "A coffee", 100, "Any size, any shop"),
    rewards.RewardDefinition("mug", "Plaudit mug", 400, "Ceramic", stock=50, per_member_limit=1),
    rewards.RewardDefinition(
        "lounge.pass", "Lounge pass", 1500, "One day", stock=10, required_tier="gold"
    ),
]

BADGES = [
    BadgeDefinition(
        "first.review",
        "First review",
        "Post your first review",
        None,
        False,
        (Goal(Metric.ACTION_COUNT, "review.posted", 1),),
        20,
    ),
    BadgeDefinition(
        "regular",
        "Regular",
        "Be active on 3 different days",
        None,
        False,
        (Goal(Metric.ACTIVE_DAYS, None, 3),),
        0,
    ),
    BadgeDefinition(
        "on.a.roll",
        "On a roll",
        "Open the app 3 days in a row",
        None,
        False,
        (Goal(Metric.STREAK_DAYS, "app.daily_open", 3),),
        50,
    ),
    BadgeDefinition(
        "high.roller",
        "High roller",
        "Earn 1,000 points",
        None,
        False,
        (Goal(Metric.POINTS_EARNED, None, 1000),),
        0,
    ),
    # Secret: members see it only once they have it.
    BadgeDefinition(
        "pollster",
        "Pollster",
        "Completed a survey and shared something",
        None,
        True,
        (
            Goal(Metric.ACTION_COUNT, "survey.completed", 1),
            Goal(Metric.ACTION_COUNT, "content.shared", 1),
        ),
        30,
    ),
    BadgeDefinition(
        "review.week.champion", "Review week champion", "Won review week", None, False, (), 0
    ),
    # Levelled: Bronze (2 reviews), Silver (5), Gold (10). Ada's five reviews hold Silver
    # (level 2), Grace's four Bronze, on her way to Silver.
    BadgeDefinition(
        "reviewer",
        "Bronze reviewer",
        "Post reviews: 2 for bronze, 5 for silver, 10 for gold",
        None,
        False,
        (Goal(Metric.ACTION_COUNT, "review.posted", 2),),
        10,
        (
            BadgeLevelDefinition(
                "Silver reviewer", (Goal(Metric.ACTION_COUNT, "review.posted", 5),), 50
            ),
            BadgeLevelDefinition(
                "Gold reviewer", (Goal(Metric.ACTION_COUNT, "review.posted", 10),), 200
            ),
        ),
    ),
]

CHALLENGE_KEY = "review.week"
# A weekly quest: a fresh round each ISO week (program time zone), 3 reviews each, 30 points.
# Nobody in the demo has done 3 in one week yet: this week's round shows progress to finish.
QUEST_KEY = "weekly.reviews"

# Reviews in the weeks before this one, (member, days ago), credited as a worker would have
# credited them then: the daily, weekly and monthly boards have closed periods, which `load`
# archives (a credit made today for a closed period would count today instead).
HISTORY = [
    ("demo-grace", 22),
    ("demo-ada", 21),
    ("demo-grace", 16),
    ("demo-ada", 15),
    ("demo-alan", 15),
    ("demo-ada", 9),
    ("demo-linus", 8),
    ("demo-ada", 8),
]

# Days ago on which members opened the app (their streaks), before the interactions above.
# Under the freeze policy, both earn freezes; Grace's day 3 is covered by the one she earned on
# day 4, so her streak runs on over it, and she holds one again.
DAILY_OPENS = {"demo-ada": [3, 2, 1], "demo-grace": [5, 4, 2, 1]}
FREEZE_POLICY = FreezePolicy(earn_every_days=2, max_held=2)

# referee -> referrer, applied before the referees' interactions: Alan converts with his survey
# (the conversion action), Linus has not converted yet.
REFERRALS = {"demo-alan": "demo-grace", "demo-linus": "demo-ada"}
CONVERSION_ACTION = "survey.completed"

# (author, key, body, decision, voters): one piece in each status, votes on the approved one.
CONTENT = [
    (
        "demo-ada",
        "demo-review-1",
        "The kettle boils a litre in three minutes and the handle stays cool. After two months "
        "of daily use there is no limescale on the element, and the lid opens with one thumb.",
        Decision.APPROVE,
        ["demo-grace", "demo-alan"],
    ),
    (
        "demo-grace",
        "demo-review-1",
        "Comfortable headphones, though the case is bulky for a small bag.",
        None,
        [],
    ),
    ("demo-alan", "demo-post-1", "Cheap watches here!!! visit my site", Decision.REJECT, []),
]

MEMBERS = {
    "demo-ada": ("Ada", ["review.posted", "survey.completed", "app.daily_open", "content.shared"]),
    "demo-grace": ("Grace", ["review.posted", "review.posted", "app.daily_open"]),
    "demo-alan": ("Alan", ["survey.completed", "content.shared"]),
    "demo-linus": ("Linus", ["app.daily_open"]),
}

# The demo member who chose to be anonymous on leaderboards.
ANONYMOUS_MEMBER = "demo-alan"


async def load(runtime: Runtime) -> str:
    for definition in ACTIONS:
        await upsert_action("demo", definition)
    for tier in TIERS:
        await tiers.upsert_tier("demo", tier)
    for reward in REWARDS:
        await rewards.upsert_reward("demo", reward)
    for badge in BADGES:
        await badges.upsert_badge("demo", badge)
    now = datetime.now(UTC)
    if not await Challenge.exists(key=CHALLENGE_KEY):
        # Defined once: a started challenge keeps its window and goals.
        await challenges.upsert_challenge(
            "demo",
            ChallengeDefinition(
                CHALLENGE_KEY,
                "Review week",
                Window(now - timedelta(days=1), now + timedelta(days=13)),
                (
                    Goal(Metric.ACTION_COUNT, "review.posted", 3),
                    Goal(Metric.ACTIVE_DAYS, "app.daily_open", 2),
                ),
                200,
                None,
            ),
            description="Post 3 reviews and open the app on 2 days",
            reward_badge_key="review.week.champion",
        )
    await freezes.set_policy("demo", FREEZE_POLICY)
    if not await Challenge.exists(key=QUEST_KEY):
        await challenges.upsert_challenge(
            "demo",
            ChallengeDefinition(
                QUEST_KEY,
                "Weekly quest: 3 reviews",
                Window(now - timedelta(days=28), now + timedelta(days=56)),
                (Goal(Metric.ACTION_COUNT, "review.posted", 3),),
                30,
                None,
                recurrence=Recurrence.WEEKLY,
            ),
            description="Post 3 reviews every week: a fresh round each Monday",
        )
    recorded = 0
    for index, (member_id, days) in enumerate(HISTORY):
        at = now - timedelta(days=days)
        recorded += await _record(
            runtime, member_id, "review.posted", f"demo-history-{index}", at, credited_at=at
        )
    for member_id, days_ago in DAILY_OPENS.items():
        for days in days_ago:
            recorded += await _record(
                runtime,
                member_id,
                "app.daily_open",
                f"demo-open-{days}",
                now - timedelta(days=days),
            )
    await referrals.update_rules("demo", {"conversion_action": CONVERSION_ACTION, "monthly_cap": 5})
    for member_id, (name, _) in MEMBERS.items():
        await members.update_profile(
            member_id, name, None, boards=runtime.leaderboards, tz=runtime.settings.tz
        )
    # Leaderboard privacy: Alan shows on every board as "Member #<rank>", with no id or name.
    await set_visibility(
        ANONYMOUS_MEMBER,
        Visibility.ANONYMOUS,
        boards=runtime.leaderboards,
        now=now,
        tz=runtime.settings.tz,
    )
    for referee, referrer in REFERRALS.items():
        if not await Referral.exists(referee_id=referee):
            referrer_member = await members.get_member(referrer)
            if referrer_member is not None:
                await referrals.apply_code(referee, referrals.code_of(referrer_member))
    for member_id, (_, done) in MEMBERS.items():
        for index, action in enumerate(done):
            at = now - timedelta(minutes=10 * (len(done) - index))
            recorded += await _record(runtime, member_id, action, f"demo-{index}", at)
    await _content(runtime)
    await partners.upsert_partner("demo", PARTNER)
    for member_id, visits in PARTNER_VISITS.items():
        for index, (action, hours_ago) in enumerate(visits):
            at = now - timedelta(hours=hours_ago, minutes=5)
            recorded += await _record(
                runtime, member_id, action, f"demo-partner-{index}", at, partner=PARTNER.key
            )
    await _questionnaire(runtime)
    offered = await _personal_offer()
    # The campaign is drawn in the past (as the job would have been): before archiving, so
    # the days it credited are archived with its bonus in them.
    refreshed = await _insight(runtime, now)
    settings = runtime.settings
    archived = await leaderboard_archives.archive_closed(
        now, settings.tz, settings.leaderboard_archive_depth
    )
    return (
        f"demo program: {len(ACTIONS)} actions, {len(TIERS)} tiers, {len(REWARDS)} rewards, "
        f"{len(BADGES)} badges (one secret, one with levels), "
        f"1 running challenge ({CHALLENGE_KEY}), "
        f"streak freezes (one every {FREEZE_POLICY.earn_every_days} days, "
        f"{FREEZE_POLICY.max_held} held at most: demo-grace's streak kept over a missed day), "
        f"a weekly quest ({QUEST_KEY}), "
        f"1 partner ({PARTNER.key}), "
        f"{len(MEMBERS)} members ({len(REFERRALS)} referred), {len(CONTENT)} pieces of content, "
        f"1 questionnaire ({QUESTIONNAIRE.key}, answered by {QUESTIONNAIRE_MEMBER}), "
        f"{recorded} interactions (member ids: {', '.join(MEMBERS)}), "
        f"{archived} closed leaderboard periods archived, {refreshed} members scored "
        f"(RFM, churn model) and one campaign ({CAMPAIGN_KEY}); {ANONYMOUS_MEMBER} is "
        "anonymous on leaderboards"
        + (f"; a personal offer ({PERSONAL_OFFER.key}) for {OFFER_TO}" if offered else "")
    )


# A personal offer: only members who asked the demo questionnaire (`shop.profile`) for coffee
# offers see it, and may redeem it (Linus did).
PERSONAL_OFFER = rewards.RewardDefinition(
    "coffee.beans",
    "A bag of coffee beans",
    150,
    "For members who asked for coffee offers",
    audience=(AnswerCondition("shop.profile", "interests", "coffee"),),
)
OFFER_TO = "members who asked for coffee offers"


async def _personal_offer() -> bool:
    """Define the personal offer once the questionnaire it names exists (conditions are checked
    against it); False without it."""
    if not await Questionnaire.exists(key="shop.profile"):
        return False
    await rewards.upsert_reward("demo", PERSONAL_OFFER)
    return True


CAMPAIGN_KEY = "demo-comeback"


async def _insight(runtime: Runtime, now: datetime) -> int:
    """Segments and the churn model as of yesterday, and a campaign drawn six days ago, whose
    results then show who came back since."""
    settings = runtime.settings
    yesterday = now.astimezone(settings.tz).date() - timedelta(days=1)
    refreshed = await insight.refresh(settings, yesterday)
    if not await Campaign.exists(key=CAMPAIGN_KEY):
        await campaigns.upsert(
            "demo",
            campaigns.CampaignSpec(
                key=CAMPAIGN_KEY,
                name="We saved you some points",
                message="50 points on us: come and see what is new",
                segments=(),
                churn_risks=(),
                tiers=(),
                bonus_points=50,
                badge_key=None,
                starts_at=now - timedelta(days=7),
                ends_at=now + timedelta(days=23),
                holdout_percent=50,
            ),
            now,
        )
    await campaigns.apply_running(runtime, now - timedelta(days=6))
    return refreshed.members


async def _record(
    runtime: Runtime,
    member_id: str,
    action: str,
    key: str,
    at: datetime,
    *,
    credited_at: datetime | None = None,
    partner: str | None = None,
) -> int:
    interaction = await interactions.record_interaction(
        runtime,
        interactions.Recording(
            member_id=member_id,
            action_key=action,
            idempotency_key=key,
            occurred_at=at,
            properties={"demo": True},
            trusted=True,
            partner=partner,
        ),
    )
    # Processed here rather than left to a worker, so the demo works without one.
    if credited_at is None:
        await interactions.process_interaction(runtime, interaction.id)
    else:
        await pipeline.process_ids(runtime, [interaction.id], clock=lambda: credited_at)
    return 1


async def _content(runtime: Runtime) -> None:
    """One piece APPROVED (with votes), one PENDING, one REJECTED."""
    for author, key, body, decision, voters in CONTENT:
        submission = Submission("REVIEW" if "review" in key else "POST", None, body, ())
        piece = await content.submit(runtime, author, submission, key)
        if decision is not None:
            reason = None if decision is Decision.APPROVE else "SPAM"
            await content_moderation.moderate(runtime, "demo", str(piece.id), decision, reason)
        for voter in voters:
            await content_votes.vote(runtime, voter, str(piece.id), 1)


QUESTIONNAIRE = questionnaires.QuestionnaireDefinition(
    key="shop.profile",
    title="Tell us about your kitchen",
    questions=(
        Question(
            "cooking",
            "How often do you cook?",
            QuestionKind.SINGLE_CHOICE,
            ("daily", "weekly", "rarely"),
        ),
        Question(
            "interests",
            "What would you like offers on?",
            QuestionKind.MULTIPLE_CHOICE,
            ("kettles", "coffee", "knives", "baking"),
        ),
        Question("recommend", "How likely are you to recommend us?", QuestionKind.SCALE),
        Question("wish", "Anything we should stock?", QuestionKind.TEXT, required=False),
    ),
    completion_action="questionnaire.completed",
    repeat_every_days=180,
)
QUESTIONNAIRE_MEMBER = "demo-linus"


async def _questionnaire(runtime: Runtime) -> None:
    """The questionnaire, answered by Linus; his completion credited here (no worker needed).
    Loading again replays the same submission (its idempotency key)."""
    await questionnaires.upsert_questionnaire("demo", QUESTIONNAIRE)
    submitted = await questionnaire_answers.submit(
        runtime,
        QUESTIONNAIRE_MEMBER,
        QUESTIONNAIRE.key,
        [
            Answer("cooking", ("daily",)),
            Answer("interests", ("coffee", "baking")),
            Answer("recommend", value=9),
            Answer("wish", text="Oat milk for the coffee corner"),
        ],
        "demo-answers",
    )
    if submitted.interaction is not None:
        await interactions.process_interaction(runtime, submitted.interaction.id)
