"""No schema hints in error messages.

Strawberry's `disable_field_suggestions` strips "Did you mean …?" only from unknown-field
errors; graphql-core also suggests arguments, enum values, types and input fields, which lets a
caller without introspection map the schema one typo at a time. Every message loses its
suggestion here, whatever produced it.
"""

from __future__ import annotations

from graphql import GraphQLError

SUGGESTION = "Did you mean"


def strip_suggestions(errors: list[GraphQLError]) -> None:
    """Cut each message at its suggestion, in place (the same objects go into the response)."""
    for error in errors:
        head, found, _ = error.message.partition(SUGGESTION)
        if found:
            error.message = head.rstrip(" ;,")
