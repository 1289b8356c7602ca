"""GraphQL documents as Apollo Client hashes them, and the files their operations come from.

A persisted query is known by the SHA-256 of its text, so the text must be the very string the
client sends. Apollo Client sends `print(document)` after its cache added `__typename` to every
selection set below the root (`addTypenameToDocument`) and dropped the directives only it reads
(`@connection`, `@nonreactive`, `@unmask`); Apollo's `generate-persisted-query-manifest` makes
each operation's manifest body the same way, with the operation and the fragments it uses
sorted (operations first, then by name: `sortTopLevelDefinitions`). `apollo_body` does all that
in Python, printing as graphql-js 16 does (`print_document`: its printer differs from
graphql-core's, e.g. `{a: 1}` against `{ a: 1 }`), so that `plaudit persisted-queries add
app.graphql` registers the ids the app's persisted-query link will send.

Whatever a client's printer does differently (graphql-js 17, fragments in another order), the
server still recognises a registered document by `canonical_hash`: the SHA-256 of its
`apollo_body`, which only depends on what the document means, not on how it was printed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    EnumValueNode,
    ExecutableDefinitionNode,
    FieldNode,
    FloatValueNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListTypeNode,
    ListValueNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    StringValueNode,
    TypeNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    parse,
)
from graphql.language.block_string import print_block_string
from graphql.language.print_string import print_string

MAX_LINE_LENGTH = 80  # graphql-js wraps a field's arguments past it
# The directives Apollo Client strips before it sends a document (`QueryManager`'s serverQuery).
CLIENT_ONLY_DIRECTIVES = frozenset({"connection", "nonreactive", "unmask"})
MANIFEST_FORMAT = "apollo-persisted-query-manifest"


class DocumentError(ValueError):
    """A file or document that cannot be registered, with what is wrong and where."""


@dataclass(frozen=True)
class Operation:
    """One operation as it is registered: its id is the SHA-256 of `body`, in hex."""

    id: str
    name: str
    type: str  # query, mutation or subscription
    body: str

    @property
    def canonical(self) -> str:
        return canonical_hash(self.body) or self.id


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- what Apollo Client does to a document before sending it -----------------------------------


def add_typename(document: DocumentNode) -> DocumentNode:
    """Apollo Client's `addTypenameToDocument`: `__typename` appended to every selection set but
    an operation's root, unless it already selects `__typename` (or any `__` field), or belongs
    to a field marked `@export`."""
    definitions = []
    for definition in _executable(document):
        root = isinstance(definition, OperationDefinitionNode)
        definitions.append(
            _copy(definition, selection_set=_typenamed(definition.selection_set, root=root))
        )
    return _replace_definitions(document, definitions)


def _typenamed(selection_set: SelectionSetNode, *, root: bool, exported: bool = False) -> Any:
    selections = [_typenamed_selection(selection) for selection in selection_set.selections]
    skip = (
        root
        or exported
        or any(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in selections)
    )
    if not skip:
        selections.append(FieldNode(name=NameNode(value="__typename"), arguments=(), directives=()))
    return SelectionSetNode(selections=tuple(selections))


def _typenamed_selection(selection: SelectionNode) -> SelectionNode:
    if isinstance(selection, FieldNode) and selection.selection_set is not None:
        exported = any(d.name.value == "export" for d in selection.directives or ())
        inner = _typenamed(selection.selection_set, root=False, exported=exported)
    elif isinstance(selection, InlineFragmentNode):
        inner = _typenamed(selection.selection_set, root=False)
    else:
        return selection
    copied: SelectionNode = _copy(selection, selection_set=inner)
    return copied


def strip_client_directives(document: DocumentNode) -> DocumentNode:
    """The document without the directives only Apollo Client reads; a field marked `@client`
    is not sent at all, which a registration refuses (`DocumentError`) rather than guess."""
    definitions = []
    for definition in _executable(document):
        stripped = _copy(
            definition,
            directives=_kept(definition.directives),
            selection_set=_stripped(definition.selection_set),
        )
        definitions.append(stripped)
    return _replace_definitions(document, definitions)


def _kept(directives: Sequence[DirectiveNode] | None) -> tuple[DirectiveNode, ...]:
    kept = []
    for directive in directives or ():
        if directive.name.value == "client":
            raise DocumentError(
                "@client fields are resolved by Apollo Client and never sent: register the "
                "manifest Apollo's generate-persisted-query-manifest makes instead"
            )
        if directive.name.value not in CLIENT_ONLY_DIRECTIVES:
            kept.append(directive)
    return tuple(kept)


def _stripped(selection_set: SelectionSetNode) -> SelectionSetNode:
    selections = []
    for selection in selection_set.selections:
        changes: dict[str, Any] = {"directives": _kept(selection.directives)}
        inner = getattr(selection, "selection_set", None)
        if inner is not None:
            changes["selection_set"] = _stripped(inner)
        selections.append(_copy(selection, **changes))
    return SelectionSetNode(selections=tuple(selections))


def sort_definitions(document: DocumentNode) -> DocumentNode:
    """`sortTopLevelDefinitions` of `@apollo/persisted-query-lists`: operations before
    fragments, each kind by name."""

    def key(definition: ExecutableDefinitionNode) -> tuple[int, str]:
        name = definition.name.value if definition.name is not None else ""
        return (0 if isinstance(definition, OperationDefinitionNode) else 1, name)

    return _replace_definitions(document, sorted(_executable(document), key=key))


def apollo_body(document: DocumentNode) -> str:
    """The text Apollo's manifest generator records for `document` (one operation and the
    fragments it uses), and that its persisted-query link hashes."""
    return print_document(sort_definitions(add_typename(strip_client_directives(document))))


def canonical_hash(query: str, *, max_tokens: int | None = None) -> str | None:
    """The SHA-256 of `query`'s `apollo_body`: equal for two texts that differ only in layout,
    comments, the order of their definitions, `__typename` where Apollo adds it and Apollo's
    client-only directives. None when `query` does not parse (within `max_tokens`), or holds
    something Apollo would not send (`@client`, a type definition)."""
    try:
        return sha256_hex(apollo_body(parse(query, no_location=True, max_tokens=max_tokens)))
    except (GraphQLError, DocumentError):
        return None


# --- graphql-js 16's `print`, for executable documents ------------------------------------------


def print_document(document: DocumentNode) -> str:
    """What graphql-js 16 `print` returns for an executable document (operations and
    fragments): the text Apollo Client sends, and whose SHA-256 its link sends as the hash."""
    return "\n\n".join(_definition(d) for d in _executable(document))


def _definition(node: ExecutableDefinitionNode) -> str:
    description = _wrap("", _value(node.description) if node.description else "", "\n")
    directives = _join(map(_directive, node.directives or ()), " ")
    if isinstance(node, FragmentDefinitionNode):
        variables = _join(map(_variable_definition, node.variable_definitions or ()), ", ")
        return (
            f"{description}fragment {node.name.value}{_wrap('(', variables, ')')}"
            f" on {node.type_condition.name.value} {_wrap('', directives, ' ')}"
            f"{_selection_set(node.selection_set)}"
        )
    assert isinstance(node, OperationDefinitionNode)
    printed = [_variable_definition(v) for v in node.variable_definitions or ()]
    if any("\n" in v for v in printed):
        variable_part = _wrap("(\n", _join(printed, "\n"), "\n)")
    else:
        variable_part = _wrap("(", _join(printed, ", "), ")")
    operation = node.operation.value
    name = node.name.value if node.name is not None else ""
    signature = _join([operation, _join([name, variable_part]), directives], " ")
    prefix = description + signature
    short = operation == "query" and prefix == operation
    return ("" if short else prefix + " ") + _selection_set(node.selection_set)


def _variable_definition(node: VariableDefinitionNode) -> str:
    description = getattr(node, "description", None)
    return _join(
        [
            _wrap("", _value(description) if description else "", "\n"),
            "$" + node.variable.name.value,
            ": ",
            _type(node.type),
            _wrap(" = ", _value(node.default_value) if node.default_value else ""),
            _wrap(" ", _join(map(_directive, node.directives or ()), " ")),
        ]
    )


def _selection_set(node: SelectionSetNode | None) -> str:
    if node is None:
        return ""
    return _block([_selection(s) for s in node.selections])


def _selection(node: SelectionNode) -> str:
    directives = _join(map(_directive, node.directives or ()), " ")
    if isinstance(node, FieldNode):
        prefix = _wrap("", node.alias.value if node.alias else "", ": ") + node.name.value
        arguments = [_argument(a) for a in node.arguments or ()]
        if not arguments:
            line = prefix
        elif _js_length(prefix) + _joined_length(arguments, ", ") + 2 > MAX_LINE_LENGTH:
            line = prefix + _wrap("(\n", _indent(_join(arguments, "\n")), "\n)")
        else:
            line = prefix + _wrap("(", _join(arguments, ", "), ")")
        return _join([line, _wrap(" ", directives), _wrap(" ", _selection_set(node.selection_set))])
    if isinstance(node, FragmentSpreadNode):
        return _join(["...", node.name.value, _wrap(" ", directives)])
    assert isinstance(node, InlineFragmentNode)
    condition = node.type_condition.name.value if node.type_condition else ""
    return _join(
        ["...", _wrap("on ", condition), directives, _selection_set(node.selection_set)], " "
    )


def _argument(node: ArgumentNode) -> str:
    return f"{node.name.value}: {_value(node.value)}"


def _directive(node: DirectiveNode) -> str:
    arguments = _join(map(_argument, node.arguments or ()), ", ")
    return "@" + node.name.value + _wrap("(", arguments, ")")


def _value(node: ValueNode) -> str:
    if isinstance(node, VariableNode):
        return "$" + node.name.value
    if isinstance(node, IntValueNode | FloatValueNode | EnumValueNode):
        return node.value
    if isinstance(node, StringValueNode):
        return print_block_string(node.value) if node.block else print_string(node.value)
    if isinstance(node, BooleanValueNode):
        return "true" if node.value else "false"
    if isinstance(node, NullValueNode):
        return "null"
    if isinstance(node, ListValueNode):
        return "[" + _join(map(_value, node.values), ", ") + "]"
    if isinstance(node, ObjectValueNode):
        fields = (f"{field.name.value}: {_value(field.value)}" for field in node.fields)
        return "{" + _join(fields, ", ") + "}"
    raise DocumentError(f"cannot print a {type(node).__name__}")


def _type(node: TypeNode) -> str:
    if isinstance(node, NamedTypeNode):
        return node.name.value
    if isinstance(node, ListTypeNode):
        return "[" + _type(node.type) + "]"
    assert isinstance(node, NonNullTypeNode)
    return _type(node.type) + "!"


def _join(parts: Iterable[str], separator: str = "") -> str:
    return separator.join(part for part in parts if part)


def _joined_length(parts: Sequence[str], separator: str) -> int:
    return _js_length(_join(parts, separator))


def _wrap(start: str, text: str, end: str = "") -> str:
    return start + text + end if text else ""


def _block(parts: Sequence[str]) -> str:
    return _wrap("{\n", _indent(_join(parts, "\n")), "\n}")


def _indent(text: str) -> str:
    return _wrap("  ", text.replace("\n", "\n  "))


def _js_length(text: str) -> int:
    """A JavaScript string's `length`: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


# --- operations out of files ---------------------------------------------------------------------


def operations_from_graphql(sources: Sequence[tuple[str, str]]) -> list[Operation]:
    """Each named operation of the `(path, text)` sources, with the fragments it uses (from any
    of the sources, as Apollo's fragment registry finds them), as Apollo's manifest generator
    records it. Refuses (DocumentError) what that generator refuses: anonymous operations, two
    operations or fragments of one name, a spread of an unknown fragment."""
    operations: dict[str, tuple[str, OperationDefinitionNode]] = {}
    fragments: dict[str, tuple[str, FragmentDefinitionNode]] = {}
    for path, text in sources:
        try:
            document = parse(text, no_location=True)
        except GraphQLError as error:
            raise DocumentError(f"{path}: {error.message}") from None
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                if definition.name is None:
                    raise DocumentError(
                        f"{path}: anonymous {definition.operation.value}: name every operation"
                    )
                _unique(operations, definition.name.value, "operation", path, definition)
            elif isinstance(definition, FragmentDefinitionNode):
                _unique(fragments, definition.name.value, "fragment", path, definition)
            else:
                raise DocumentError(f"{path}: only operations and fragments can be registered")
    found = []
    for name, (path, operation) in sorted(operations.items()):
        used = _fragments_used(operation, fragments, path)
        document = DocumentNode(definitions=(operation, *used))
        body = apollo_body(document)
        found.append(Operation(sha256_hex(body), name, operation.operation.value, body))
    if not found:
        raise DocumentError(f"{', '.join(p for p, _ in sources)}: no operation to register")
    return found


def _unique(found: dict[str, Any], name: str, kind: str, path: str, node: Any) -> None:
    if name in found:
        raise DocumentError(f'{path}: {kind} "{name}" is already defined in {found[name][0]}')
    found[name] = (path, node)


def _fragments_used(
    operation: OperationDefinitionNode,
    fragments: dict[str, tuple[str, FragmentDefinitionNode]],
    path: str,
) -> list[FragmentDefinitionNode]:
    used: dict[str, FragmentDefinitionNode] = {}
    pending = list(_spreads(operation.selection_set))
    while pending:
        name = pending.pop()
        if name in used:
            continue
        if name not in fragments:
            raise DocumentError(f'{path}: fragment "{name}" is used but defined in no file given')
        fragment = fragments[name][1]
        used[name] = fragment
        pending.extend(_spreads(fragment.selection_set))
    return list(used.values())


def _spreads(selection_set: SelectionSetNode | None) -> Iterable[str]:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            yield selection.name.value
        else:
            yield from _spreads(getattr(selection, "selection_set", None))


def operations_from_manifest(path: str, text: str) -> list[Operation]:
    """The operations of an Apollo persisted-query manifest (`{format:
    "apollo-persisted-query-manifest", version: 1, operations: [{id, name, type, body}]}`).
    Each id must be the SHA-256 of its body, as the generator's default makes it: the server
    checks every hash a client sends against the text it names."""
    try:
        manifest = json.loads(text)
    except ValueError:
        raise DocumentError(f"{path}: not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise DocumentError(f'{path}: not a manifest (expected "format": "{MANIFEST_FORMAT}")')
    if manifest.get("version") != 1:
        raise DocumentError(f"{path}: manifest version {manifest.get('version')!r}, expected 1")
    entries = manifest.get("operations")
    if not isinstance(entries, list) or not entries:
        raise DocumentError(f"{path}: the manifest lists no operations")
    found = []
    for index, entry in enumerate(entries):
        where = f"{path}: operations[{index}]"
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) for key in ("id", "name", "type", "body")
        ):
            raise DocumentError(f"{where}: expected strings id, name, type and body")
        if entry["type"] not in ("query", "mutation", "subscription"):
            raise DocumentError(f"{where}: unknown type {entry['type'][:20]!r}")
        if sha256_hex(entry["body"]) != entry["id"]:
            raise DocumentError(
                f"{where} ({entry['name'][:100]}): the id is not the SHA-256 of the body (a "
                "custom createOperationId is not supported)"
            )
        try:
            parse(entry["body"], no_location=True)
        except GraphQLError as error:
            raise DocumentError(f"{where}: {error.message}") from None
        found.append(Operation(entry["id"], entry["name"], entry["type"], entry["body"]))
    return found


# --- node plumbing -------------------------------------------------------------------------------


def _executable(document: DocumentNode) -> list[ExecutableDefinitionNode]:
    definitions = []
    for definition in document.definitions:
        if not isinstance(definition, ExecutableDefinitionNode):
            raise DocumentError("only operations and fragments can be registered")
        definitions.append(definition)
    return definitions


def _replace_definitions(document: DocumentNode, definitions: Sequence[Any]) -> DocumentNode:
    return DocumentNode(definitions=tuple(definitions))


def _copy(node: Any, **changes: Any) -> Any:
    """A shallow copy of an AST node with some attributes replaced (nodes are immutable in
    spirit: the parser's cache may share them)."""
    values = {key: getattr(node, key, None) for key in node.keys if key != "loc"}
    values.update(changes)
    return type(node)(**values)
