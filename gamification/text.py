"""What text a client may send: storable on every database, and of a bounded length.

Pure rules, applied to every string argument by `api.guards.input_guard` (one place for every
mutation and query): a NUL byte is refused by PostgreSQL's text and jsonb, a lone surrogate
by every UTF-8 encoder, and an unbounded free-text field lets one request fill a table.

A limit counts what is stored: a field stored trimmed is measured after trimming (`as_stored`,
`within`), so whitespace around a value never makes it too long, and the message gives the
documented limit, not one padded for whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# The longest value of each free-text input field, by its GraphQL name, measured as stored
# (`as_stored`). A field not named here gets DEFAULT_MAX_LENGTH; keys, ids and idempotency keys
# have tighter checks of their own in the domain, which name their exact rule.
MAX_LENGTHS: dict[str, int] = {
    "name": 200,
    "description": 2_000,
    "reason": 500,
    "message": 500,
    "imageUrl": 2_048,
    "avatarUrl": 2_048,
    "body": 10_000,  # `gamification.content.MAX_BODY`
    "displayName": 100,
    # A questionnaire's title, question prompts and TEXT answers (`gamification.questionnaires`).
    "title": 200,
    "prompt": 500,
    "text": 2_000,
}
DEFAULT_MAX_LENGTH = 4_096
# Fields stored without their leading and trailing whitespace (names, reasons, a campaign's
# message, a tier's benefits, a piece of content's body and subject) ...
TRIMMED = frozenset(
    {"name", "reason", "message", "benefits", "body", "subject", "title", "prompt", "text"}
)
# ... and with every run of whitespace made one space.
COLLAPSED = frozenset({"displayName"})


@dataclass(frozen=True)
class TextProblem:
    """Why the string at `path` (GraphQL names, list positions as digits) is refused."""

    path: tuple[str, ...]
    message: str


def storable(text: str) -> bool:
    """Whether every database can hold `text`: no NUL, and valid UTF-8 (no lone surrogate)."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def max_length_of(name: str) -> int:
    return MAX_LENGTHS.get(name, DEFAULT_MAX_LENGTH)


def as_stored(name: str, text: str) -> str:
    """`text` as the field `name` stores it: what its limit counts."""
    if name in COLLAPSED:
        return " ".join(text.split())
    if name in TRIMMED:
        return text.strip()
    return text


def within(text: str, most: int) -> bool:
    """Whether `text` has 1 to `most` characters once trimmed: the domain's rule for a field
    stored trimmed (whitespace alone is empty; whitespace around it does not count)."""
    return 1 <= len(text.strip()) <= most


def first_problem(arguments: dict[str, Any], json_fields: frozenset[str]) -> TextProblem | None:
    """The first string in `arguments` (nested inputs and lists included) that is not storable
    or is longer than its field allows. Inside a JSON value (`json_fields`, e.g. properties)
    every key and string must be storable; its size is bounded by its own rule."""
    for path, name, text, in_json in _strings(arguments, json_fields):
        field = ".".join(path)
        if not storable(text):
            return TextProblem(path, f"{field} must not contain NUL characters or lone surrogates")
        limit = max_length_of(name)
        # Trimming only shortens: a value within the limit as sent needs no stored form.
        if not in_json and len(text) > limit and len(as_stored(name, text)) > limit:
            return TextProblem(path, f"{field} is too long: at most {limit:,} characters")
    return None


def _strings(
    arguments: dict[str, Any], json_fields: frozenset[str]
) -> Iterator[tuple[tuple[str, ...], str, str, bool]]:
    """(path, field name, string, inside JSON) for every string, keys of JSON objects included.
    Iterative: a JSON value may nest deeper than Python's recursion limit."""
    Entry = tuple[tuple[str, ...], str, Any, bool]
    roots: list[Entry] = [
        ((name,), name, value, name in json_fields) for name, value in arguments.items()
    ]
    stack = roots[::-1]
    while stack:
        path, name, value, in_json = stack.pop()
        if isinstance(value, str):
            yield path, name, value, in_json
        elif isinstance(value, dict):
            for key, item in value.items():
                key = str(key)
                if in_json:
                    yield path, name, key, True
                if in_json:  # a JSON value is named as a whole: its field is the path
                    stack.append((path, name, item, True))
                else:
                    stack.append(((*path, key), key, item, key in json_fields))
        elif isinstance(value, (list, tuple)):
            for index, item in reversed(list(enumerate(value))):
                stack.append((path if in_json else (*path, str(index)), name, item, in_json))
