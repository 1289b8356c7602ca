"""Console forms: what the browser sent, turned into a GraphQL input, and refusals shown inline.

A form is a list of `Field`s named after the GraphQL input fields, dotted for nested ones
(`goals.0.metric`, `limits.1.max`). `parse` builds the mutation's `input` from the submitted
form: empty optional fields are left out (null), a nested list item with every field empty is
dropped, numbers and dates are converted. What cannot be converted is refused before anything
runs, as INVALID_INPUT on that field; everything else is checked by the mutation itself, whose
refusals (`graphql.UserError`) are placed on the field they name (`errors_by_field`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from api.console.graphql import UserError
from domain.errors import ErrorCode

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # GraphQL's Int
_INTEGER = re.compile(r"^[+-]?\d{1,12}$")

KINDS = ("text", "textarea", "int", "float", "bool", "datetime", "select", "lines", "url")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()
    help: str | None = None
    readonly: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


@dataclass(frozen=True)
class FieldError:
    """A refusal as a form shows it. `message` is translated when shown (`tr` in templates),
    its `%(name)s` placeholders filled from `params`."""

    code: str
    message: str
    field: str | None = None
    params: Mapping[str, Any] | None = None


class Unreadable(ValueError):
    """A field's text that is not a value of its kind."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params)
        self.message = message
        self.params = params


FormErrors = dict[str, list[FieldError]]
"""Refusals by field name; "" holds those that name no field of the form."""


def values_of(form: FormData, fields: Sequence[Field]) -> dict[str, str]:
    """The submitted text of each field, to show the form again as it was sent."""
    values: dict[str, str] = {}
    for field in fields:
        raw = form.get(field.name)
        if isinstance(raw, str):
            values[field.name] = raw
    return values


def parse(
    form: FormData, fields: Sequence[Field], tz: ZoneInfo
) -> tuple[dict[str, Any], FormErrors]:
    """The GraphQL input the form describes, and the fields that could not be read."""
    flat: dict[str, Any] = {}
    errors: FormErrors = {}
    for field in fields:
        raw = form.get(field.name)
        text = raw if isinstance(raw, str) else ""
        if field.kind == "bool":
            flat[field.name] = text == "true"
            continue
        if field.kind not in ("textarea", "lines"):
            text = text.strip()
        if text == "":
            if field.required:
                errors.setdefault(field.name, []).append(
                    FieldError(
                        str(ErrorCode.INVALID_INPUT),
                        "%(field)s is required",
                        params={"field": field.name},
                    )
                )
            continue
        try:
            flat[field.name] = _convert(field, text, tz)
        except Unreadable as refusal:
            errors.setdefault(field.name, []).append(
                FieldError(str(ErrorCode.INVALID_INPUT), refusal.message, params=refusal.params)
            )
    return _nest(flat, fields), errors


def _convert(field: Field, text: str, tz: ZoneInfo) -> Any:
    if field.kind == "int":
        if not _INTEGER.fullmatch(text) or not INT_MIN <= int(text) <= INT_MAX:
            raise Unreadable(
                "%(field)s must be a whole number from %(low)s to %(high)s",
                field=field.name,
                low=INT_MIN,
                high=INT_MAX,
            )
        return int(text)
    if field.kind == "float":
        try:
            number = float(text)
        except ValueError:
            raise Unreadable("%(field)s must be a number", field=field.name) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise Unreadable("%(field)s must be a number", field=field.name)
        return number
    if field.kind == "datetime":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise Unreadable(
                "%(field)s must be a date and time (YYYY-MM-DDTHH:MM)", field=field.name
            ) from None
        if moment.tzinfo is None:  # a datetime-local input: the program's time zone
            moment = moment.replace(tzinfo=tz)
        return moment.isoformat()
    if field.kind == "select" and text not in field.options:
        raise Unreadable(
            "%(field)s must be one of %(options)s",
            field=field.name,
            options=", ".join(field.options),
        )
    if field.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _nest(flat: Mapping[str, Any], fields: Sequence[Field]) -> dict[str, Any]:
    """{"goals.0.target": 3, "key": "x"} → {"goals": [{"target": 3}], "key": "x"}.

    A numbered part makes a list (in a list's items too: `levels.0.goals.1.target`). A list
    item or nested object with nothing but checkboxes in it is an unused row of a repeated
    group: dropped (an object becomes null, left out). A top-level list the form has fields for
    is always sent, empty when every row is unused."""
    tree: dict[str, Any] = {}
    for name, value in flat.items():
        node = tree
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    finished = ((key, _finish(value)) for key, value in tree.items())
    nested = {key: value for key, value in finished if value is not None}
    for field in fields:
        parts = field.name.split(".")
        if len(parts) > 1 and parts[1].isdigit():
            items = nested.setdefault(parts[0], [])
            if len(parts) > 4 and parts[3].isdigit():
                # A group in each row (`levels.0.goals.0.target`): a kept row sends its list
                # too, empty when none of its inner rows is used.
                for item in items:
                    if isinstance(item, dict):
                        item.setdefault(parts[2], [])
    return nested


def _finish(node: Any) -> Any:
    """Dicts with numbered keys become lists; empty rows and objects are dropped (None)."""
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        items = [_finish(node[key]) for key in sorted(node, key=int)]
        return [item for item in items if item is not None]
    finished = {key: _finish(value) for key, value in node.items()}
    finished = {key: value for key, value in finished.items() if value is not None}
    if not any(_has_content(value) for value in finished.values()):
        return None
    return finished


def _has_content(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list):
        return True
    return value is not None


def errors_by_field(
    refusals: Iterable[UserError], fields: Sequence[Field], form_errors: FormErrors | None = None
) -> FormErrors:
    """Place each refusal on the field it names: exactly, else on the first field inside it
    (`limits` on `limits.0.period`), else on the form."""
    placed: FormErrors = dict(form_errors or {})
    names = [field.name for field in fields]
    for refusal in refusals:
        target = ""
        if refusal.field:
            if refusal.field in names:
                target = refusal.field
            else:
                inside = [n for n in names if n.startswith(refusal.field + ".")]
                target = inside[0] if inside else ""
        error = FieldError(refusal.code, refusal.message, refusal.field if not target else None)
        placed.setdefault(target, []).append(error)
    return placed
