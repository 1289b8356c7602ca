"""An admin mutation is all or nothing: its whole resolver runs in one transaction.

Each admin write is validated, written and audited by a domain service inside
`domain.infra.db.transaction()`. The resolver still has work to do once the service returns:
it turns the stored row into the payload (a campaign's status compares its dates with now, a
tier becomes a rule). When that work failed, the client got INTERNAL_SERVER_ERROR while the
change stood: a campaign saved with offset-less dates answered an error and then ran all the
same. A check that is missing or wrong, anywhere in the resolver, should not be able to do
that.

So every admin mutation declares
`extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)]`, and `Atomic` opens the outermost
transaction around the whole resolver, through the same `transaction()` helper. The services'
own transactions nest inside it as savepoints. Their after-commit work (publishing, leaderboard
projections) waits for the outer commit. Any exception rolls everything back before it is
answered, whether it is a `DomainError` or a bug, so an error answer means that nothing
changed. `tests/api/test_atomic.py` injects a failure after the first write of each admin
mutation, and again while its payload is built, and checks that every table is unchanged.

Extension order matters. `Atomic` is listed first, so it is the innermost extension: a
`DomainError` rolls the transaction back before `UserErrors` turns it into the payload's
`errors`. If `UserErrors` came first, a refusal raised after a write would be committed.
`Requires` is listed last, so the role check runs before any transaction opens.

What the payload's own fields read afterwards (a badge by key, a campaign's counts) reads the
committed change, like any query. The resolver itself builds everything that could fail.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from api.mutation_errors import UserErrors
from domain.infra.db import transaction


class Atomic(FieldExtension):
    """Run the mutation's resolver in one transaction: committed when it returns, rolled back
    when it raises."""

    def apply(self, field: StrawberryField) -> None:
        extensions = field.extensions
        answers = [i for i, extension in enumerate(extensions) if isinstance(extension, UserErrors)]
        if any(index < extensions.index(self) for index in answers):
            raise TypeError(
                f"field {field.python_name!r}: list Atomic before UserErrors, so a refusal rolls "
                "the transaction back before it is answered"
            )

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        async with transaction():
            return await next_(source, info, **kwargs)


def atomic_of(field: StrawberryField) -> Atomic | None:
    """The field's declared `Atomic`, or None."""
    found = [extension for extension in field.extensions if isinstance(extension, Atomic)]
    return found[0] if found else None
