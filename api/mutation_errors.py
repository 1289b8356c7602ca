"""The one place a mutation's expected failures become `UserError`s in its payload.

Every mutation returns a payload type with an `errors: [UserError!]!` field. Rather than each
resolver catching `DomainError` and building its payload by hand (the same block a dozen times),
a mutation declares `extensions=[UserErrors()]` and simply lets a `DomainError` propagate: the
extension catches it once and answers `Payload(errors=[UserError(...)])`, every other field of
the payload left at its default. This is saleor's `BaseMutation` idea as a field extension, so
the GraphQL shape of each payload stays exactly what it declares.

A few mutations answer their object itself, as the contract has them (`setStreakFreezePolicy`,
`grantStreakFreezes`, `setLeaderboardVisibility`): with no `errors` field to fill, the extension
raises the failure as a GraphQL error carrying the same code in `extensions.code`, as queries do,
and the input field at fault in `extensions.field` (the console places it on the form's field).

Anything that is not a `DomainError` (authorization's `ClientError`, a bug) passes through
untouched, to be served as a GraphQL error or masked as before.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from api.errors import UserError, from_domain
from domain.errors import DomainError


class UserErrors(FieldExtension):
    """Answer a `DomainError` raised by the mutation with its payload type's `errors`."""

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    def payload(self, error: DomainError) -> Any:
        # Looked up at resolve time: with postponed annotations the field's type is only
        # known once the schema is built.
        payload_type: Any = self.field.type
        definition = getattr(payload_type, "__strawberry_definition__", None)
        if definition is None or not any(f.name == "errors" for f in definition.fields):
            refusal = from_domain(error)
            if error.field:
                refusal.extensions = {**(refusal.extensions or {}), "field": error.field}
            raise refusal from None
        return payload_type(errors=[UserError.from_domain(error)])

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as error:
            return self.payload(error)
