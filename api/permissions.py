"""Who may call a field, declared once: the check and the description both come from it.

A protected field used to say its roles twice, free to drift apart: a hand-written "ADMIN token. …"
in its description and a `Context.require` call naming `Role.ADMIN` in its resolver. Now it
declares `Requires(Role.ADMIN)` among its extensions (saleor's `Meta.permissions`, as a Strawberry
field extension), and that one declaration does both jobs:

- `apply` writes the role phrase into the field's description, generated from the roles:
  "ADMIN token. <description>" by default, where the description puts `{token}` when it reads
  better elsewhere ("The viewer ({token})."), or not at all (`in_description=False`) for a field
  whose description already says who may call it in its own words.
- `resolve_async`/`resolve` run `Context.require` before anything else of the field, so a caller
  without the role gets exactly the GraphQL error it always got: UNAUTHENTICATED when anonymous,
  FORBIDDEN "this needs an ADMIN token" for a wrong role. `Requires` must be the last extension
  listed, which makes it the outermost: `UserErrors` (and anything else) only runs once the
  caller is let through, so a refusal is never turned into a payload's `UserError`.
- The resolver reads the caller it let through with `checked_viewer(info)`: the context's cached
  viewer, not a second check.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from strawberry.extensions.field_extension import (
    AsyncExtensionResolver,
    FieldExtension,
    SyncExtensionResolver,
)
from strawberry.types.field import StrawberryField

from api.auth import Role, Viewer
from api.context import Info
from api.errors import forbidden

TOKEN = "{token}"
"""Where a description places the role phrase, when not at its start."""


class _Unset:
    """The declared description before `apply` has seen the field."""


_UNSET = _Unset()


class Requires(FieldExtension):
    """Only callers holding one of `roles` may resolve the field; its description says which.

    `qualifiers` adds a note to a role in the phrase, e.g. `{Role.MEMBER: "memberReportable
    actions only"}` reads "MEMBER (memberReportable actions only) or SERVICE token": the role is
    checked here, the narrower rule it announces is the resolver's to enforce.
    """

    def __init__(
        self,
        *roles: Role,
        qualifiers: Mapping[Role, str] | None = None,
        in_description: bool = True,
        partners: bool = False,
    ) -> None:
        if not roles or len(set(roles)) != len(roles):
            raise ValueError(f"Requires needs distinct roles, got {roles!r}")
        unknown = set(qualifiers or {}) - set(roles)
        if unknown:
            raise ValueError(f"qualifiers for roles not required: {sorted(unknown)}")
        self.roles: tuple[Role, ...] = roles
        self.qualifiers: dict[Role, str] = dict(qualifiers or {})
        self.in_description = in_description
        # Whether a partner-scoped SERVICE token may call the field at all (recording and
        # reading its own interactions); everywhere else it is FORBIDDEN.
        self.partners = partners
        self._declared: str | _Unset | None = _UNSET

    @property
    def phrase(self) -> str:
        """The roles as the description names them: "ADMIN or SERVICE token"."""
        names = []
        for role in self.roles:
            name = role.value.upper()
            if role in self.qualifiers:
                name = f"{name} ({self.qualifiers[role]})"
            names.append(name)
        return " or ".join(names) + " token"

    def describe(self, declared: str | None) -> str | None:
        """The description served for a field declared with `declared`."""
        if not self.in_description:
            if declared is not None and TOKEN in declared:
                raise ValueError(f"{TOKEN} in the description of a field that does not state it")
            return declared
        if declared is None:
            return f"{self.phrase}."
        if TOKEN in declared:
            return declared.replace(TOKEN, self.phrase)
        return f"{self.phrase}. {declared}"

    def apply(self, field: StrawberryField) -> None:
        if not field.extensions or field.extensions[-1] is not self:
            raise TypeError(
                f"field {field.python_name!r}: list Requires last among its extensions, so the "
                "role is checked before any other extension runs"
            )
        # Strawberry may apply a field (or a copy sharing its extensions) more than once, e.g.
        # one schema per test: the description is always rendered from the declared one.
        if isinstance(self._declared, _Unset):
            self._declared = field.description
        field.description = self.describe(self._declared)

    def check(self, info: Info) -> None:
        """The API's one role check: `Context.require`, its errors unchanged; then a partner's
        token is refused where partners are not let in."""
        viewer = info.context.require(*self.roles)
        if viewer.partner is not None and not self.partners:
            raise forbidden("a partner's token may only record the partner's interactions")

    def resolve(self, next_: SyncExtensionResolver, source: Any, info: Info, **kwargs: Any) -> Any:
        self.check(info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        self.check(info)
        result = next_(source, info, **kwargs)
        # A subscription whose resolver is an async generator function: the stream itself.
        if inspect.isasyncgen(result):
            return result
        return await result


def requirement_of(field: StrawberryField) -> Requires | None:
    """The field's declared `Requires`, or None for a field anyone may call."""
    found = [extension for extension in field.extensions if isinstance(extension, Requires)]
    if len(found) > 1:
        raise TypeError(f"field {field.python_name!r} declares Requires more than once")
    return found[0] if found else None


def checked_viewer(info: Info) -> Viewer:
    """The caller the field's `Requires` let through, from the context's cache.

    Only for a field that declares `Requires`: anywhere else it would hand out a viewer nobody
    checked, so it fails (a bug, served as a masked internal error) instead.
    """
    # `Info._field` is the field being resolved (what `info.return_type` reads too).
    viewer = info.context.viewer() if requirement_of(info._field) is not None else None
    if viewer is None:  # with a `Requires`, never: it refuses anonymous callers
        raise TypeError(f"field {info.python_name!r} reads the viewer without declaring Requires")
    return viewer
