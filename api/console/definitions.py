"""The program's definitions as console forms: actions, tiers, rewards (with their audience of
answer conditions), badges, challenges, partners, questionnaires.

Each `Definition` says how its list is read (a GraphQL query), which upsert mutation saves it,
its form (fields named after the mutation's input fields), its table's columns, and how a
stored definition fills the form for editing. The pages themselves are generic
(`api.console.pages.definitions`).

Repeated groups (a badge's goals, an action's limits and schedule steps) show a few empty rows
more than the definition has; an empty row is left out of the input (`forms.parse`). A group
may hold a group in each row (a badge level's goals: `levels.N.goals.M.target`), shown the same
way within the row. Editing
therefore keeps everything a definition holds: a form that dropped a part (a schedule, say)
would erase it when saved, since the mutations replace the whole definition.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from api.console.forms import Field

LIMIT_PERIODS = ("DAY", "WEEK", "MONTH", "LIFETIME")
GOAL_METRICS = (
    "ACTION_COUNT",
    "ACTIVE_DAYS",
    "STREAK_DAYS",
    "POINTS_EARNED",
    "REFERRALS_CONVERTED",
    "CONTENT_APPROVED",
)
MAX_GOALS = 10  # `gamification.goals.MAX_GOALS`
MAX_LIMITS = len(LIMIT_PERIODS)
MAX_STEPS = 20  # `gamification.schedules.MAX_STEPS`
MAX_LEVELS = 10  # `gamification.badges.MAX_LEVELS`
SPARE_ROWS = 1  # empty rows shown after a group's filled ones
MIN_GOAL_ROWS, MIN_LIMIT_ROWS, MIN_STEP_ROWS = 2, 2, 3


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[dict[str, Any]], Any]
    kind: str = "text"  # text, number, bool (yes/no), datetime, link (a path: "Issue a token")


@dataclass(frozen=True)
class Group:
    """A repeated group of fields: `legend` over rows `prefix.N.<name>`."""

    prefix: str
    legend: str
    fields: tuple[Field, ...]  # named by their last part: "metric", "target"
    most: int
    least: int
    inner: Group | None = None  # a group in each row, named `<prefix>.N.<inner prefix>.M...`

    def rows(self, filled: int) -> int:
        return min(self.most, max(self.least, filled + SPARE_ROWS))

    def row_fields(self, index: int, values: dict[str, Any] | None = None) -> list[Field]:
        """Row `index`'s fields, then its inner group's rows: those `values` fill and spare
        ones, or every one the group may have when `values` is None (parsing)."""
        fields = [
            Field(
                name=f"{self.prefix}.{index}.{field.name}",
                label=field.label,
                kind=field.kind,
                options=field.options,
                help=field.help if index == 0 else None,
            )
            for field in self.fields
        ]
        if self.inner is not None:
            inner = replace(self.inner, prefix=f"{self.prefix}.{index}.{self.inner.prefix}")
            rows = inner.most if values is None else inner.rows(inner.filled(values))
            for row in range(rows):
                fields += inner.row_fields(row, values)
        return fields

    def filled(self, values: dict[str, Any]) -> int:
        """How many of the rows `values` fill (up to the last one with anything in it)."""
        filled = 0
        for index in range(self.most):
            prefix = f"{self.prefix}.{index}."
            if any(name.startswith(prefix) and values[name] for name in values):
                filled = index + 1
        return filled


@dataclass(frozen=True)
class Definition:
    path: str  # "actions": served at /admin/actions
    title: str  # "Actions"
    noun: str  # "action"
    list_document: str
    list_field: str
    mutation: str
    input_type: str
    fields: tuple[Field, ...]
    groups: tuple[Group, ...]
    columns: tuple[Column, ...]
    to_form: Callable[[dict[str, Any], ZoneInfo], dict[str, Any]]
    inline_form: bool = True  # the create form under the list (challenges: on /new)
    # More pages of each item beside its form: (label, path under /admin/<path>/<key>/).
    links: tuple[tuple[str, str], ...] = ()

    def all_fields(self) -> list[Field]:
        """Every field the form may send (each group at its largest), for parsing."""
        fields = list(self.fields)
        for group in self.groups:
            for index in range(group.most):
                fields.extend(group.row_fields(index))
        return fields

    def form_rows(self, values: dict[str, Any]) -> list[tuple[Group, list[list[Field]]]]:
        """Each group with the rows to show for `values` (filled rows and spare ones)."""
        shown = []
        for group in self.groups:
            count = group.rows(group.filled(values))
            shown.append((group, [group.row_fields(index, values) for index in range(count)]))
        return shown


def _goals(item: dict[str, Any], values: dict[str, Any], prefix: str = "goals") -> None:
    for index, goal in enumerate(item.get("goals") or []):
        values[f"{prefix}.{index}.metric"] = goal["metric"]
        values[f"{prefix}.{index}.action"] = goal.get("action") or ""
        values[f"{prefix}.{index}.target"] = str(goal["target"])


def _goal_text(item: dict[str, Any]) -> str:
    parts = []
    for goal in item.get("goals") or []:
        action = f" {goal['action']}" if goal.get("action") else ""
        parts.append(f"{goal['metric']}{action} ≥ {goal['target']}")
    return "; ".join(parts)


def _local(moment: str | None, tz: ZoneInfo) -> str:
    if not moment:
        return ""
    return datetime.fromisoformat(moment).astimezone(tz).strftime("%Y-%m-%dT%H:%M:%S")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


GOAL_GROUP = Group(
    prefix="goals",
    legend="Goals",
    fields=(
        Field("metric", "Metric", "select", options=GOAL_METRICS),
        Field(
            "action",
            "Action key",
            help="For ACTION_COUNT (required), ACTIVE_DAYS and "
            "STREAK_DAYS (optional: any action when empty).",
        ),
        Field("target", "Target", "int"),
    ),
    most=MAX_GOALS,
    least=MIN_GOAL_ROWS,
)

GOAL_FIELDS = "goals { metric action target }"


def _action_form(item: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    values: dict[str, Any] = {
        "key": item["key"],
        "name": item["name"],
        "description": item["description"],
        "points": str(item["points"]),
        "cooldownSeconds": str(item["cooldownSeconds"]),
        "memberReportable": item["memberReportable"],
        "active": item["active"],
    }
    for index, limit in enumerate(item["limits"]):
        values[f"limits.{index}.period"] = limit["period"]
        values[f"limits.{index}.max"] = str(limit["max"])
    schedule = item.get("schedule")
    if schedule:
        values["schedule.period"] = schedule["period"]
        for index, step in enumerate(schedule["steps"]):
            values[f"schedule.steps.{index}.upTo"] = _text(step.get("upTo"))
            values[f"schedule.steps.{index}.points"] = str(step["points"])
    return values


def _limits_text(item: dict[str, Any]) -> str:
    return ", ".join(f"{limit['max']}/{limit['period']}" for limit in item["limits"])


ACTIONS = Definition(
    path="actions",
    title="Actions",
    noun="action",
    list_document="""query ConsoleActions { actions { key name description points
      limits { period max } cooldownSeconds memberReportable active
      schedule { period steps { upTo points } } } }""",
    list_field="actions",
    mutation="upsertAction",
    input_type="UpsertActionInput",
    fields=(
        Field(
            "key",
            "Key",
            required=True,
            help="Lowercase dot-separated words, e.g. "
            "review.posted. It never changes once created.",
        ),
        Field("name", "Name", required=True),
        Field("description", "Description", "textarea"),
        Field("points", "Points", "int", required=True, help="Points per award, 0 to 1000000."),
        Field("cooldownSeconds", "Cooldown (seconds)", "int"),
        Field("memberReportable", "Members may report it themselves", "bool"),
        Field("active", "Active", "bool"),
        Field(
            "schedule.period",
            "Points schedule period",
            "select",
            options=LIMIT_PERIODS,
            help="With steps below, replaces the flat points by the award's rank in the "
            "period. Leave empty for flat points.",
        ),
    ),
    groups=(
        Group(
            prefix="limits",
            legend="Limits",
            fields=(
                Field("period", "Period", "select", options=LIMIT_PERIODS),
                Field("max", "Most awards", "int"),
            ),
            most=MAX_LIMITS,
            least=MIN_LIMIT_ROWS,
        ),
        Group(
            prefix="schedule.steps",
            legend="Points schedule steps",
            fields=(
                Field(
                    "upTo",
                    "Up to award number",
                    "int",
                    help="Leave empty on the last step: every later award.",
                ),
                Field("points", "Step points", "int"),
            ),
            most=MAX_STEPS,
            least=MIN_STEP_ROWS,
        ),
    ),
    columns=(
        Column("Key", lambda a: a["key"]),
        Column("Name", lambda a: a["name"]),
        Column("Points", lambda a: a["points"], "number"),
        Column("Limits", _limits_text),
        Column("Member-reportable", lambda a: a["memberReportable"], "bool"),
        Column("Active", lambda a: a["active"], "bool"),
    ),
    to_form=_action_form,
)


def _tier_form(item: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    return {
        "key": item["key"],
        "name": item["name"],
        "threshold": str(item["threshold"]),
        "multiplier": str(item["multiplier"]),
        "benefits": "\n".join(item["benefits"]),
        "archived": item["archived"],
    }


TIERS = Definition(
    path="tiers",
    title="Tiers",
    noun="tier",
    list_document="query ConsoleTiers { tiers { key name threshold multiplier benefits "
    "archived } }",
    list_field="tiers",
    mutation="upsertTier",
    input_type="UpsertTierInput",
    fields=(
        Field("key", "Key", required=True, help="The base tier's key is base, threshold 0."),
        Field("name", "Name", required=True),
        Field("threshold", "Threshold (points)", "int", required=True),
        Field(
            "multiplier",
            "Points multiplier",
            "float",
            help="1 earns the action's points; 1.5 earns half as much again.",
        ),
        Field("benefits", "Benefits", "lines", help="One per line."),
        Field("archived", "Archived (off the ladder)", "bool"),
    ),
    groups=(),
    columns=(
        Column("Key", lambda t: t["key"]),
        Column("Name", lambda t: t["name"]),
        Column("Threshold", lambda t: t["threshold"], "number"),
        Column("Multiplier", lambda t: t["multiplier"], "number"),
        Column("Benefits", lambda t: "; ".join(t["benefits"])),
        Column("Archived", lambda t: t["archived"], "bool"),
    ),
    to_form=_tier_form,
)


def _reward_form(item: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    values: dict[str, Any] = {
        "key": item["key"],
        "name": item["name"],
        "description": item["description"],
        "cost": str(item["cost"]),
        "stock": _text(item.get("stock")),
        "perMemberLimit": _text(item.get("perMemberLimit")),
        "requiredTier": _text(item.get("requiredTier")),
        "active": item["active"],
    }
    for index, condition in enumerate(item.get("audience") or []):
        for name in ("questionnaire", "question", "choice", "min", "max"):
            values[f"audience.{index}.{name}"] = _text(condition.get(name))
    return values


def _audience_text(item: dict[str, Any]) -> str:
    parts = []
    for condition in item.get("audience") or []:
        test = (
            f"= {condition['choice']}"
            if condition.get("choice") is not None
            else f"{condition['min']}-{condition['max']}"
        )
        parts.append(f"{condition['questionnaire']}.{condition['question']} {test}")
    return "; ".join(parts)


MAX_CONDITIONS = 10  # `gamification.offers.MAX_CONDITIONS`

AUDIENCE_GROUP = Group(
    prefix="audience",
    legend="Audience (a personal offer)",
    fields=(
        Field(
            "questionnaire",
            "Questionnaire (key)",
            help="Only members whose latest answers meet every row see and may redeem the "
            "reward. Each row: an option, or a range of a 0-10 scale. No row: every member.",
        ),
        Field("question", "Question (key)"),
        Field("choice", "Option (key)"),
        Field("min", "Scale from", "int"),
        Field("max", "Scale to", "int"),
    ),
    most=MAX_CONDITIONS,
    least=1,
)


REWARDS = Definition(
    path="rewards",
    title="Rewards",
    noun="reward",
    list_document="query ConsoleRewards { rewards { key name description cost stock "
    "perMemberLimit requiredTier active audience { questionnaire question choice min max } } }",
    list_field="rewards",
    mutation="upsertReward",
    input_type="UpsertRewardInput",
    fields=(
        Field("key", "Key", required=True),
        Field("name", "Name", required=True),
        Field("description", "Description", "textarea"),
        Field("cost", "Cost (points)", "int", required=True),
        Field("stock", "Stock", "int", help="Empty: unlimited."),
        Field("perMemberLimit", "Per-member limit", "int", help="Empty: unlimited."),
        Field("requiredTier", "Required tier (key)", help="Empty: every member."),
        Field("active", "Active", "bool"),
    ),
    groups=(AUDIENCE_GROUP,),
    columns=(
        Column("Key", lambda r: r["key"]),
        Column("Name", lambda r: r["name"]),
        Column("Cost", lambda r: r["cost"], "number"),
        Column("Stock", lambda r: r.get("stock"), "number"),
        Column("Required tier", lambda r: r.get("requiredTier") or ""),
        Column("Audience", _audience_text),
        Column("Active", lambda r: r["active"], "bool"),
    ),
    to_form=_reward_form,
)


def _badge_form(item: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    values: dict[str, Any] = {
        "key": item["key"],
        "name": item["name"],
        "description": item["description"],
        "imageUrl": _text(item.get("imageUrl")),
        "secret": item["secret"],
        "rewardPoints": str(item["rewardPoints"]),
    }
    _goals(item, values)
    for index, level in enumerate(item.get("levels") or []):
        values[f"levels.{index}.name"] = level["name"]
        values[f"levels.{index}.rewardPoints"] = str(level["rewardPoints"])
        _goals(level, values, f"levels.{index}.goals")
    return values


def _levels_text(item: dict[str, Any]) -> str:
    return ", ".join(level["name"] for level in item.get("levels") or [])


# A badge's levels above its own goals: each a name, a reward and its goals (a row each).
LEVEL_GROUP = Group(
    prefix="levels",
    legend="Levels (above the badge's own goals)",
    fields=(
        Field(
            "name",
            "Level name",
            help="Level 2 first, then 3...: each is earned once, in order, by its goals.",
        ),
        Field("rewardPoints", "Level reward points", "int"),
    ),
    most=MAX_LEVELS,
    least=1,
    inner=replace(
        GOAL_GROUP,
        fields=tuple(replace(field, help=None) for field in GOAL_GROUP.fields),
        least=1,
    ),
)


BADGES = Definition(
    path="badges",
    title="Badges",
    noun="badge",
    list_document=f"query ConsoleBadges {{ badges {{ key name description imageUrl secret "
    f"rewardPoints {GOAL_FIELDS} levels {{ name rewardPoints {GOAL_FIELDS} }} }} }}",
    list_field="badges",
    mutation="upsertBadge",
    input_type="UpsertBadgeInput",
    fields=(
        Field("key", "Key", required=True),
        Field("name", "Name", required=True),
        Field("description", "Description", "textarea"),
        Field("imageUrl", "Image URL", "url"),
        Field("secret", "Secret (hidden until earned)", "bool"),
        Field("rewardPoints", "Reward points", "int"),
    ),
    groups=(GOAL_GROUP, LEVEL_GROUP),
    columns=(
        Column("Key", lambda b: b["key"]),
        Column("Name", lambda b: b["name"]),
        Column("Goals", _goal_text),
        Column("Levels", _levels_text),
        Column("Reward points", lambda b: b["rewardPoints"], "number"),
        Column("Secret", lambda b: b["secret"], "bool"),
    ),
    to_form=_badge_form,
)


def _challenge_form(item: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    badge = item.get("rewardBadge") or {}
    values: dict[str, Any] = {
        "key": item["key"],
        "name": item["name"],
        "description": item["description"],
        "startsAt": _local(item["startsAt"], tz),
        "endsAt": _local(item["endsAt"], tz),
        "rewardPoints": str(item["rewardPoints"]),
        "rewardBadgeKey": _text(badge.get("key")),
        "requiresEnrollment": item["requiresEnrollment"],
        "maxParticipants": _text(item.get("maxParticipants")),
        "archived": item["status"] == "ARCHIVED",
        # "(none)" in the form: a challenge that does not repeat.
        "recurrence": "" if item["recurrence"] == "NONE" else item["recurrence"],
        "hidden": item["hidden"],
    }
    _goals(item, values)
    return values


RECURRENCES = ("DAILY", "WEEKLY", "MONTHLY")  # `gamification.challenges.Recurrence`, NONE aside

CHALLENGES = Definition(
    path="challenges",
    title="Challenges",
    noun="challenge",
    list_document=f"""query ConsoleChallenges {{ challenges {{ key name description startsAt
      endsAt {GOAL_FIELDS} rewardPoints requiresEnrollment maxParticipants participants
      completions status rewardBadge {{ key }} recurrence hidden }} }}""",
    list_field="challenges",
    mutation="upsertChallenge",
    input_type="UpsertChallengeInput",
    fields=(
        Field("key", "Key", required=True),
        Field("name", "Name", required=True),
        Field("description", "Description", "textarea"),
        Field(
            "startsAt", "Starts at", "datetime", required=True, help="In the program's time zone."
        ),
        Field("endsAt", "Ends at", "datetime", required=True),
        Field("rewardPoints", "Reward points", "int"),
        Field("rewardBadgeKey", "Reward badge (key)", help="Empty: no badge."),
        Field("requiresEnrollment", "Members must enrol", "bool"),
        Field("maxParticipants", "Most participants", "int", help="Empty: no limit."),
        Field(
            "recurrence",
            "Repeats",
            "select",
            options=RECURRENCES,
            help="A fresh round each day, week or month (program time zone), from zero.",
        ),
        Field("hidden", "Hidden (until a member completes it)", "bool"),
        Field("archived", "Archived (out of play)", "bool"),
    ),
    groups=(GOAL_GROUP,),
    columns=(
        Column("Key", lambda c: c["key"]),
        Column("Name", lambda c: c["name"]),
        Column("Status", lambda c: c["status"]),
        Column("Starts", lambda c: c["startsAt"], "datetime"),
        Column("Ends", lambda c: c["endsAt"], "datetime"),
        Column("Goals", _goal_text),
        Column("Participants", lambda c: c["participants"], "number"),
        Column("Completions", lambda c: c["completions"], "number"),
        Column("Repeats", lambda c: "" if c["recurrence"] == "NONE" else c["recurrence"]),
        Column("Hidden", lambda c: c["hidden"], "bool"),
    ),
    to_form=_challenge_form,
    inline_form=False,
)


def _partner_form(item: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    return {
        "key": item["key"],
        "name": item["name"],
        "actions": "\n".join(item["actions"]),
        "monthlyBudget": _text(item.get("monthlyBudget")),
        "active": item["active"],
    }


PARTNERS = Definition(
    path="partners",
    title="Partners",
    noun="partner",
    list_document="query ConsolePartners { partners { key name actions monthlyBudget "
    "awardedThisMonth active } }",
    list_field="partners",
    mutation="upsertPartner",
    input_type="UpsertPartnerInput",
    fields=(
        Field("key", "Key", required=True, help="Lowercase dot-separated words, e.g. bikes.north."),
        Field("name", "Name", required=True),
        Field(
            "actions",
            "Actions it may record",
            "lines",
            required=True,
            help="Action keys, one per line; its token is refused for any other.",
        ),
        Field(
            "monthlyBudget",
            "Monthly budget (points)",
            "int",
            help="Points it may award per calendar month; empty: unlimited.",
        ),
        Field("active", "Active", "bool"),
    ),
    groups=(),
    columns=(
        Column("Key", lambda p: p["key"]),
        Column("Name", lambda p: p["name"]),
        Column("Actions", lambda p: ", ".join(p["actions"])),
        Column("Monthly budget", lambda p: p.get("monthlyBudget"), "number"),
        Column("Awarded this month", lambda p: p["awardedThisMonth"], "number"),
        Column("Active", lambda p: p["active"], "bool"),
        # Its own page (`api.console.pages.partners`): the token is shown once, there.
        Column("Token", lambda p: f"/admin/partners/{p['key']}/token", "link"),
    ),
    to_form=_partner_form,
)

QUESTION_KINDS = ("SINGLE_CHOICE", "MULTIPLE_CHOICE", "SCALE", "TEXT")
MAX_QUESTIONS = 50  # `gamification.questionnaires.MAX_QUESTIONS`
MIN_QUESTION_ROWS = 3


def _questionnaire_form(item: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    values: dict[str, Any] = {
        "key": item["key"],
        "title": item["title"],
        "completionAction": _text(item.get("completionAction")),
        "repeatEveryDays": _text(item.get("repeatEveryDays")),
        "active": item["active"],
    }
    for index, question in enumerate(item["questions"]):
        values[f"questions.{index}.key"] = question["key"]
        values[f"questions.{index}.prompt"] = question["prompt"]
        values[f"questions.{index}.kind"] = question["kind"]
        values[f"questions.{index}.options"] = "\n".join(question["options"])
        values[f"questions.{index}.required"] = question["required"]
    return values


QUESTIONNAIRES = Definition(
    path="questionnaires",
    title="Questionnaires",
    noun="questionnaire",
    list_document="""query ConsoleQuestionnaires { questionnaires { key title completionAction
      repeatEveryDays active questions { key prompt kind options required } } }""",
    list_field="questionnaires",
    mutation="upsertQuestionnaire",
    input_type="UpsertQuestionnaireInput",
    fields=(
        Field(
            "key", "Key", required=True, help="Lowercase dot-separated words, e.g. bike.profile."
        ),
        Field("title", "Title", required=True),
        Field(
            "completionAction",
            "Completion action (key)",
            help="Recorded through the award pipeline when a member answers. Empty: none.",
        ),
        Field(
            "repeatEveryDays",
            "Answer again after (days)",
            "int",
            help="Empty: answered once for good.",
        ),
        Field("active", "Active", "bool"),
    ),
    groups=(
        Group(
            prefix="questions",
            legend="Questions",
            fields=(
                Field("key", "Question key"),
                Field("prompt", "Prompt"),
                Field("kind", "Kind", "select", options=QUESTION_KINDS),
                Field("options", "Options", "lines", help="Choice questions: one option per line."),
                Field("required", "Required", "bool"),
            ),
            most=MAX_QUESTIONS,
            least=MIN_QUESTION_ROWS,
        ),
    ),
    columns=(
        Column("Key", lambda q: q["key"]),
        Column("Title", lambda q: q["title"]),
        Column("Questions", lambda q: len(q["questions"]), "number"),
        Column("Completion action", lambda q: q.get("completionAction") or ""),
        Column("Answer again after (days)", lambda q: q.get("repeatEveryDays"), "number"),
        Column("Active", lambda q: q["active"], "bool"),
    ),
    to_form=_questionnaire_form,
    inline_form=False,
    links=(("Results", "results"),),
)

DEFINITIONS: Sequence[Definition] = (
    ACTIONS,
    TIERS,
    REWARDS,
    BADGES,
    CHALLENGES,
    PARTNERS,
    QUESTIONNAIRES,
)


def new_values(definition: Definition) -> dict[str, Any]:
    """The form of a new definition: the checkboxes that default to on."""
    return {name: True for name in ("active",) if name in {f.name for f in definition.fields}}
