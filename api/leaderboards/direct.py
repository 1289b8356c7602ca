"""A board's neighbourhood answered without executing: `around` and `entry` near `{ hello }`.

A member's place on a board (`leaderboard { around(memberId: …) { rank score member { … } } }`,
or `entry`) is the read a web page makes most, and the one whose answer is all in one Redis
script: the standings and the members' profiles (`LeaderboardStore.read`). Executing it through
graphql-core and Strawberry cost four times what the script does: the operation's extensions,
the resolvers of the board and of the list, a field at a time. So a document of that shape is
recognised once (per document text and operation name: parsed, validated with the schema's own
rules, its selections checked against the shapes below), and then answered directly: variables
coerced by graphql-core, one script per board, the response built in the order and under the
names the document asks, as execution would build it.

Recognised: one query operation, no fragments and no directives; at its root `leaderboard`
(aliases allowed) and `__typename`; of a board `__typename`, `board`, `period`, `size`,
`around(memberId, radius)` and `entry(memberId)`; of an entry `__typename`, `rank`, `score` and
`member { __typename id displayName avatarUrl }`. Anything else, and anything that would not
answer plainly (a board there is not, a period it does not keep, a string the input guard
refuses, credentials that do not verify, a variable that does not coerce, a score beyond `Int`),
executes as usual, which answers or refuses as it always did: the answers are the same either
way (tests/api/leaderboards/test_leaderboard_direct.py compares them); only the cost differs.
The operation is counted in the request metrics like any other.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphql import (
    ASTValidationRule,
    EnumValueNode,
    FieldNode,
    GraphQLObjectType,
    GraphQLSchema,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.pyutils import Undefined
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from api.context import Context
from api.errors import ClientError
from api.int_bounds import as_graphql_int
from api.pagination import clamp_radius
from api.single_operation import single_operation
from domain.infra import metrics
from domain.leaderboards import boards
from domain.leaderboards.scores import current_board
from domain.leaderboards.store import AroundRead, SizeRead
from gamification.leaderboards import BoardPeriod, Standing
from gamification.text import as_stored, max_length_of, storable

# Distinct documents whose verdict is kept (recognised or not).
MAX_PLANS = 512
ENTRY_FIELDS = frozenset({"__typename", "rank", "score", "member"})
MEMBER_FIELDS = frozenset({"__typename", "id", "displayName", "avatarUrl"})
BOARD_FIELDS = frozenset({"__typename", "board", "period", "size", "around", "entry"})


@dataclass(frozen=True)
class _Value:
    """An argument as the document gives it: a variable's name, or a literal (or the
    argument's default when the document gives neither)."""

    variable: str | None
    literal: Any

    def of(self, variables: dict[str, Any]) -> Any:
        if self.variable is None:
            return self.literal
        # A variable the request left out (and without a default) leaves the argument out.
        return variables.get(self.variable, self.literal)


@dataclass(frozen=True)
class _Selection:
    """One selected field: its response name, its field name and what it selects below."""

    response: str
    name: str
    arguments: dict[str, _Value]
    below: tuple[_Selection, ...] = ()


@dataclass(frozen=True)
class Plan:
    operation: OperationDefinitionNode
    name: str | None
    roots: tuple[_Selection, ...]


class _NotDirect(Exception):
    """This request is answered by executing it."""


class DirectReads:
    """Recognises board-neighbourhood documents and answers them (see the module's docstring)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        rules: Sequence[type[ASTValidationRule]],
        max_tokens: int,
    ) -> None:
        self.schema = schema
        self.rules = (*specified_rules, *rules)
        self.max_tokens = max_tokens
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()
        query_type = schema.query_type
        board_type = schema.get_type("Leaderboard")
        if query_type is None or not isinstance(board_type, GraphQLObjectType):
            raise ValueError("the schema has no Query.leaderboard")
        self._defaults = {
            "leaderboard": _defaults(query_type.fields["leaderboard"].args),
            "around": _defaults(board_type.fields["around"].args),
            "entry": _defaults(board_type.fields["entry"].args),
        }

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        key = (query, operation_name)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        plan = self._recognise(query, operation_name)
        self._plans[key] = plan
        if len(self._plans) > MAX_PLANS:
            self._plans.popitem(last=False)
        return plan

    async def answer(
        self,
        query: str | None,
        variables: dict[str, Any] | None,
        context: Any,
        operation_name: str | None,
        allowed: Collection[StrawberryOperationType],
    ) -> ExecutionResult | None:
        """The result of the request when it is a recognised board read that answers plainly;
        None: execute it."""
        if not isinstance(query, str) or "leaderboard" not in query:
            return None
        if not isinstance(context, Context) or StrawberryOperationType.QUERY not in allowed:
            return None
        plan = self.plan(query, operation_name)
        if plan is None:
            return None
        started = time.perf_counter()
        coerced = get_variable_values(
            self.schema, plan.operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            return None  # the variables' errors are reported by executing
        try:
            if context.authorization is not None:
                context.viewer()  # credentials that do not verify are refused by executing
            data = {
                root.response: (
                    "Query"
                    if root.name == "__typename"
                    else await self._board(root, coerced.coerced, context)
                )
                for root in plan.roots
            }
        except (_NotDirect, ClientError):
            return None
        metrics.observe_request(plan.name, "query", [], time.perf_counter() - started)
        return ExecutionResult(data=data, errors=None)

    async def _board(
        self, root: _Selection, variables: dict[str, Any], context: Context
    ) -> dict[str, Any]:
        board = root.arguments["board"].of(variables)
        period = root.arguments["period"].of(variables)
        if not isinstance(board, str) or period is None:
            raise _NotDirect
        _checked("board", board)
        period = BoardPeriod(period.value if isinstance(period, Enum) else period)
        # A hidden challenge's board is answered by executing (admins only).
        definition = await boards.find(board, include_hidden=False)
        if definition is None or not definition.keeps(period):
            raise _NotDirect  # NOT_FOUND or INVALID_INPUT, by executing
        runtime = context.runtime
        key = current_board(board, period, context.now, runtime.settings.tz)
        # Each field's read, in the document's order (None: it reads nothing).
        planned = [
            SizeRead()
            if field.name == "size"
            else _around(field, variables, context)
            if field.name in ("around", "entry")
            else None
            for field in root.below
        ]
        reads = [read for read in planned if read is not None]
        found = dict(zip(reads, await runtime.leaderboards.read(key, reads), strict=True))
        answer: dict[str, Any] = {}
        for field, read in zip(root.below, planned, strict=True):
            if field.name == "__typename":
                answer[field.response] = "Leaderboard"
            elif field.name == "board":
                answer[field.response] = board
            elif field.name == "period":
                answer[field.response] = period.value
            elif field.name == "size":
                answer[field.response] = as_int(found[SizeRead()])
            else:
                standings: list[Standing] = found[read] if read is not None else []
                entries = [_entry(field.below, standing) for standing in standings]
                if field.name == "around":
                    answer[field.response] = entries
                else:
                    answer[field.response] = entries[0] if entries else None
        return answer

    def _recognise(self, query: str, operation_name: str | None) -> Plan | None:
        found = single_operation(query, operation_name, OperationType.QUERY, self.max_tokens)
        if found is None:
            return None
        document, operation = found
        name = operation.name.value if operation.name else None
        if validate(self.schema, document, self.rules):
            return None
        try:
            roots = tuple(self._roots(operation.selection_set))
        except _NotDirect:
            return None
        if not any(root.name == "leaderboard" for root in roots):
            return None
        return Plan(operation, name, roots)

    def _roots(self, selection_set: SelectionSetNode) -> list[_Selection]:
        roots = []
        for node in _fields(selection_set):
            if node.name.value == "__typename":
                roots.append(_Selection(_response(node), "__typename", {}))
            elif node.name.value == "leaderboard":
                arguments = _arguments(node, self._defaults["leaderboard"])
                below = []
                for field in _fields(node.selection_set):
                    name = field.name.value
                    if name not in BOARD_FIELDS:
                        raise _NotDirect
                    if name in ("around", "entry"):
                        entry = tuple(self._entry(field.selection_set))
                        below.append(
                            _Selection(
                                _response(field),
                                name,
                                _arguments(field, self._defaults[name]),
                                entry,
                            )
                        )
                    else:
                        below.append(_Selection(_response(field), name, {}))
                roots.append(_Selection(_response(node), "leaderboard", arguments, tuple(below)))
            else:
                raise _NotDirect
        return roots

    def _entry(self, selection_set: SelectionSetNode | None) -> list[_Selection]:
        fields = []
        for node in _fields(selection_set):
            name = node.name.value
            if name not in ENTRY_FIELDS:
                raise _NotDirect
            member = []
            for below in _fields(node.selection_set) if name == "member" else []:
                if below.name.value not in MEMBER_FIELDS:
                    raise _NotDirect
                member.append(_Selection(_response(below), below.name.value, {}))
            fields.append(_Selection(_response(node), name, {}, tuple(member)))
        return fields


def _around(field: _Selection, variables: dict[str, Any], context: Context) -> AroundRead | None:
    """The read of an `around` or `entry`; None when it reads nothing (no member: an anonymous
    viewer's own entry is empty)."""
    member_id = field.arguments["memberId"].of(variables)
    radius = field.arguments["radius"].of(variables) if field.name == "around" else 0
    if not isinstance(member_id, str | None) or not isinstance(radius, int | None):
        raise _NotDirect
    if member_id is None:
        viewer = context.viewer()
        if viewer is None:
            return None
        member_id = viewer.subject
        own = True
    else:
        _checked("memberId", member_id)
        own = member_id == _viewer_id(context)
    # Only the member themselves find a member who is not PUBLIC (`AroundRead.own`).
    return AroundRead(member_id, clamp_radius(radius), own)


def _viewer_id(context: Context) -> str | None:
    """The viewer's id, when the credentials are good (bad ones fail where they always did)."""
    try:
        viewer = context.viewer()
    except ClientError:
        return None
    return viewer.subject if viewer is not None else None


def _entry(fields: tuple[_Selection, ...], standing: Standing) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for field in fields:
        if field.name == "__typename":
            entry[field.response] = "LeaderboardEntry"
        elif field.name == "rank":
            entry[field.response] = as_int(standing.rank)
        elif field.name == "score":
            entry[field.response] = as_int(standing.score)
        else:
            profile = standing.profile
            if profile is None:
                raise _NotDirect
            member: dict[str, Any] = {}
            for below in field.below:
                if below.name == "__typename":
                    member[below.response] = "PublicMember"
                elif below.name == "id":
                    member[below.response] = standing.member_id
                elif below.name == "displayName":
                    member[below.response] = profile.display_name
                else:
                    member[below.response] = profile.avatar_url
            entry[field.response] = member
    return entry


def as_int(value: int) -> int:
    """An `Int` as execution serialises it; a value beyond it is refused by executing."""
    try:
        return as_graphql_int(value, "board value")
    except Exception as exc:
        raise _NotDirect from exc


def _checked(name: str, text: str) -> None:
    """The input guard's rule for a string argument (`gamification.text.first_problem`): one
    it refuses is refused (INVALID_INPUT) by executing."""
    limit = max_length_of(name)
    if not storable(text) or (len(text) > limit and len(as_stored(name, text)) > limit):
        raise _NotDirect


def _fields(selection_set: SelectionSetNode | None) -> list[FieldNode]:
    """The fields of a selection set without fragments or directives (else: not direct)."""
    fields = []
    for selection in selection_set.selections if selection_set else ():
        if not isinstance(selection, FieldNode) or selection.directives:
            raise _NotDirect
        fields.append(selection)
    return fields


def _response(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def _arguments(node: FieldNode, defaults: dict[str, Any]) -> dict[str, _Value]:
    values = {name: _Value(None, default) for name, default in defaults.items()}
    for argument in node.arguments or ():
        name = argument.name.value
        values[name] = _literal(argument.value, name, defaults.get(name))
    return values


def _literal(value: ValueNode, name: str, default: Any) -> _Value:
    if isinstance(value, VariableNode):
        return _Value(value.name.value, default)
    if isinstance(value, NullValueNode):
        return _Value(None, None)
    if isinstance(value, IntValueNode):
        return _Value(None, value.value if name == "memberId" else int(value.value))
    if isinstance(value, StringValueNode | EnumValueNode):
        return _Value(None, value.value)
    raise _NotDirect


def _defaults(arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        name: None if argument.default_value is Undefined else argument.default_value
        for name, argument in arguments.items()
    }
