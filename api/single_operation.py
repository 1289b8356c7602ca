"""The one check both fast paths make before they recognise a document (`api.leaderboards.direct`
for board reads, `api.leaderboards.fanout_plan` for live updates): it holds exactly one
operation, of the expected kind, without directives, named as the request asks."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
)


def single_operation(
    query: str, operation_name: str | None, kind: OperationType, max_tokens: int | None
) -> tuple[DocumentNode, OperationDefinitionNode] | None:
    """The parsed document and its operation, or None when the document is anything else (it
    then goes the usual way, which reports whatever is wrong with it)."""
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return None
    if len(document.definitions) != 1:
        return None
    operation = document.definitions[0]
    if not isinstance(operation, OperationDefinitionNode):
        return None
    if operation.operation is not kind or operation.directives:
        return None
    name = operation.name.value if operation.name else None
    if operation_name is not None and operation_name != name:
        return None
    return document, operation
