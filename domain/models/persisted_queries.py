"""The safelist of persisted queries: the documents first-party apps were built with.

`plaudit persisted-queries add` writes them; with `PLAUDIT_PERSISTED_QUERIES=only` the API runs
no other document. Each row is one operation (with the fragments it uses) as Apollo Client
sends it: `hash` is the SHA-256 of `body`, the id a client's persisted-query link sends, and
`canonical_hash` the SHA-256 of its canonical form (`domain.persisted_queries.documents`), so
that a client printing the same document differently is still recognised.
"""

from tortoise import fields
from tortoise.models import Model


class PersistedQuery(Model):
    id = fields.IntField(primary_key=True)
    hash = fields.CharField(max_length=64, unique=True)
    canonical_hash = fields.CharField(max_length=64, db_index=True)
    name = fields.CharField(max_length=200)
    operation_type = fields.CharField(max_length=12)
    body = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "persisted_query"
