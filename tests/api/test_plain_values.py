"""`api.plain_values`: objects of `@plain` types are completed in one pass, and the answers are
exactly those of graphql-core's general execution, errors included, for every way a document
can select them (aliases, fragments, `@include`/`@skip`, `__typename`, lists, nested objects)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.plain_values import PlainExecutionContext, is_plain, plain


@strawberry.enum
class Kind(Enum):
    GOLD = "gold"
    SILVER = "silver"


@strawberry.type
class Owner:
    id: strawberry.ID
    name: str
    avatar: str | None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@plain
@strawberry.type
class Item:
    id: strawberry.ID
    rank: int
    kind: Kind
    tags: list[str]
    owner: Owner
    backup: Owner | None = None
    weight: float = 1.5


@plain
@strawberry.type
class Broken:
    """Built wrong on purpose: a null where the schema forbids it, an Int out of range."""

    missing: str
    huge: int


def _items() -> list[Item]:
    return [
        Item(
            id=strawberry.ID(str(n)),
            rank=n,
            kind=Kind.GOLD if n % 2 else Kind.SILVER,
            tags=[f"t{n}", "x"],
            owner=Owner(id=strawberry.ID(f"o{n}"), name=f"owner {n}", avatar=None),
            backup=Owner(id=strawberry.ID("b"), name="b", avatar="https://a") if n == 2 else None,
        )
        for n in range(1, 4)
    ]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return _items()

    @strawberry.field
    async def later(self) -> list[Item]:
        return _items()

    @strawberry.field
    def item(self) -> Item:
        return _items()[0]

    @strawberry.field
    def broken(self) -> list[Broken]:
        return [Broken(missing=None, huge=1), Broken(missing="ok", huge=2**40)]  # type: ignore[arg-type]

    @strawberry.field
    def broken_one(self) -> Broken | None:
        return Broken(missing=None, huge=1)  # type: ignore[arg-type]


PLAIN = strawberry.Schema(query=Query, execution_context_class=PlainExecutionContext)
GENERAL = strawberry.Schema(
    query=Query, execution_context_class=StrawberryGraphQLCoreExecutionContext
)

DOCUMENTS = [
    "{ items { id rank kind tags weight owner { id name avatar } backup { name } } }",
    "{ later { id } item { __typename r: rank o: owner { __typename n: name } } }",
    "{ a: items { x: id } b: items { rank kind } }",
    "{ items { ...Parts owner { ...OwnerParts } } } fragment Parts on Item { id rank } "
    "fragment OwnerParts on Owner { name }",
    "{ items { ... on Item { id } ... { kind } } }",
    "query($yes: Boolean!) { items { id @include(if: $yes) rank @skip(if: $yes) } }",
    "query($yes: Boolean!) { items @include(if: $yes) { id } }",
    "{ items { owner { name shout } } }",  # a resolver below: the general path
    "{ items { id rank } items { owner { id } } }",  # merged selections
    "{ broken { missing } }",
    "{ broken { huge } }",
    "{ brokenOne { huge missing } }",
]


@pytest.mark.parametrize("query", DOCUMENTS)
@pytest.mark.parametrize("yes", [True, False])
async def test_a_plain_answer_equals_the_general_executions(query: str, yes: bool) -> None:
    variables = {"yes": yes} if "$yes" in query else {}
    plain_result = await PLAIN.execute(query, variable_values=variables)
    general_result = await GENERAL.execute(query, variable_values=variables)
    assert plain_result.data == general_result.data
    assert [(e.message, e.path) for e in plain_result.errors or []] == [
        (e.message, e.path) for e in general_result.errors or []
    ]


def test_a_plain_list_costs_no_field_execution_below_it() -> None:
    executed: list[str] = []

    class Counting(PlainExecutionContext):
        def execute_field(self, parent_type: Any, *args: Any, **kwargs: Any) -> Any:
            executed.append(parent_type.name)
            return super().execute_field(parent_type, *args, **kwargs)

    schema = strawberry.Schema(query=Query, execution_context_class=Counting)
    result = schema.execute_sync("{ items { id tags owner { name } } item { rank } }")
    assert not result.errors and len(result.data["items"]) == 3
    assert executed == ["Query", "Query"]
    executed.clear()
    schema.execute_sync("{ items { owner { shout } } }")  # a resolver below: field by field
    assert "Owner" in executed


def test_the_response_keys_keep_the_documents_order() -> None:
    result = PLAIN.execute_sync("{ item { rank id __typename kind } }")
    assert list(result.data["item"]) == ["rank", "id", "__typename", "kind"]


def test_only_marked_types_are_plain() -> None:
    assert is_plain("Item") and is_plain("Broken")
    assert not is_plain("Owner") and not is_plain("Query")


def test_plain_goes_above_the_strawberry_decorator() -> None:
    class Bare:
        pass

    with pytest.raises(TypeError, match=r"above @strawberry\.type"):
        plain(Bare)
