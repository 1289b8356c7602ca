from tortoise import fields
from tortoise.models import Model


class GoalTrigger(Model):
    """An index of goals by (metric, action): which badges and challenges a fact can move.

    Derived from `Badge.goals` / `Challenge.goals`, rewritten with them; `action_key` "" stands
    for goals without an action. Exactly one of `badge_key` / `challenge_key` is set.
    """

    id = fields.BigIntField(primary_key=True)
    metric = fields.CharField(max_length=32)
    action_key = fields.CharField(max_length=100)
    badge_key = fields.CharField(max_length=100, null=True, db_index=True)
    challenge_key = fields.CharField(max_length=100, null=True, db_index=True)

    class Meta:
        table = "goal_trigger"
        indexes = (("metric", "action_key"),)
