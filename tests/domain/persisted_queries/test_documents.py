"""Documents as Apollo Client sends and hashes them: graphql-js 16's printer, `__typename`
where Apollo's cache adds it, its client-only directives dropped, definitions sorted as the
manifest generator sorts them. The expectations were printed by Apollo Client itself
(tests/data/persisted_queries/apollo_client.json)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from graphql import parse

from domain.persisted_queries.documents import (
    DocumentError,
    apollo_body,
    canonical_hash,
    operations_from_graphql,
    operations_from_manifest,
    print_document,
)

FIXTURE = Path(__file__).resolve().parents[2] / "data" / "persisted_queries" / "apollo_client.json"
DOCUMENTS = json.loads(FIXTURE.read_text(encoding="utf-8"))["documents"]
IDS = [document["source"][:40] for document in DOCUMENTS]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_the_printer_prints_as_graphql_js_16(document):
    assert print_document(parse(document["source"], no_location=True)) == document["print"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_a_body_is_the_one_apollo_s_manifest_generator_records(document):
    assert apollo_body(parse(document["source"], no_location=True)) == document["body"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_what_apollo_sends_and_the_body_have_one_canonical_hash(document):
    """The link hashes the unsorted text; the server still recognises the document."""
    canonical = canonical_hash(document["body"])
    assert canonical == sha256(document["body"])
    assert canonical_hash(document["sent"]) == canonical
    assert canonical_hash(document["source"]) == canonical


def test_a_canonical_hash_ignores_layout_comments_and_order_but_not_meaning():
    one = canonical_hash("query A { a { ...F } } fragment F on T { b }")
    assert one == canonical_hash("# hi\nfragment F on T{b,__typename}\nquery A{a{...F __typename}}")
    assert one != canonical_hash("query A { a { ...F } } fragment F on T { c }")
    assert canonical_hash("{ a { ") is None
    assert canonical_hash("type T { a: Int }") is None


def test_max_tokens_bounds_what_a_canonical_hash_parses():
    document = "{ " + "a " * 100 + "}"
    assert canonical_hash(document, max_tokens=50) is None
    assert canonical_hash(document, max_tokens=500) is not None


APP = """
query Progress { me { id ...Balance } }
query Actions { actions { key } }
mutation Rename($n: String!) { updateProfile(input: {displayName: $n}) { errors { code } } }
"""
FRAGMENTS = "fragment Balance on Member { points { ...Sums } }\nfragment Sums on Points { balance }"


def test_each_operation_is_registered_with_the_fragments_it_uses_from_any_file():
    operations = operations_from_graphql([("app.graphql", APP), ("fragments.graphql", FRAGMENTS)])

    assert [(o.name, o.type) for o in operations] == [
        ("Actions", "query"),
        ("Progress", "query"),
        ("Rename", "mutation"),
    ]
    progress = operations[1]
    assert progress.body == (
        "query Progress {\n  me {\n    id\n    ...Balance\n    __typename\n  }\n}\n\n"
        "fragment Balance on Member {\n  points {\n    ...Sums\n    __typename\n  }\n"
        "  __typename\n}\n\nfragment Sums on Points {\n  balance\n  __typename\n}"
    )
    assert all(o.id == sha256(o.body) for o in operations)
    assert "fragment" not in operations[0].body


@pytest.mark.parametrize(
    ("sources", "says"),
    [
        ([("a.graphql", "{ a }")], "anonymous query: name every operation"),
        ([("a.graphql", "query A { a }"), ("b.graphql", "query A { b }")], "already defined"),
        ([("a.graphql", "query A { ...F }")], 'fragment "F" is used but defined in no file'),
        ([("a.graphql", "type T { a: Int }")], "only operations and fragments"),
        ([("a.graphql", "query A { a ")], "a.graphql: Syntax Error"),
        ([("a.graphql", "fragment F on T { a }")], "no operation to register"),
        ([("a.graphql", "query A { a @client }")], "@client fields"),
    ],
)
def test_files_apollo_s_generator_refuses_are_refused_with_a_reason(sources, says):
    with pytest.raises(DocumentError, match=None) as refusal:
        operations_from_graphql(sources)
    assert says in str(refusal.value)


def manifest(**operation: str) -> str:
    body = operation.get("body", "query A {\n  a\n}")
    entry = {"id": sha256(body), "name": "A", "type": "query", "body": body} | operation
    return json.dumps(
        {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [entry]}
    )


def test_a_manifest_s_operations_are_taken_as_they_are():
    [operation] = operations_from_manifest("m.json", manifest())
    assert (operation.name, operation.type, operation.body) == ("A", "query", "query A {\n  a\n}")
    assert operation.id == sha256(operation.body)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not json", "not JSON"),
        ("[]", "not a manifest"),
        ('{"format": "other", "version": 1}', "not a manifest"),
        ('{"format": "apollo-persisted-query-manifest", "version": 2}', "version 2"),
        ('{"format": "apollo-persisted-query-manifest", "version": 1}', "lists no operations"),
        (manifest(id="a" * 64), "not the SHA-256 of the body"),
        (manifest(type="fragment"), "unknown type"),
        (manifest(body="query A {"), "Syntax Error"),
        (manifest(name=None), "expected strings"),  # type: ignore[arg-type]
    ],
)
def test_a_manifest_that_is_not_one_or_whose_ids_lie_is_refused(text, says):
    with pytest.raises(DocumentError) as refusal:
        operations_from_manifest("m.json", text)
    assert says in str(refusal.value)
