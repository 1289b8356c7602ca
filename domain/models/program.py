from tortoise import fields
from tortoise.models import Model


class ProgramVersion(Model):
    """One row whose `version` moves with every change to a badge or challenge definition.

    Each process caches the definitions (`domain.program.definitions`) and reads only this row to
    know whether its copy is current: the bump commits with the change, so a reader never keeps a
    copy older than what it can see.
    """

    id = fields.IntField(primary_key=True)
    version = fields.BigIntField(default=0)

    class Meta:
        table = "program_version"
