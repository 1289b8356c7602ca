"""The program's definitions: /admin/actions, /tiers, /rewards, /badges, /challenges.

For each (`api.console.definitions`): the list (GET /admin/<kind>), a form for a new one
(under the list, or GET /admin/<kind>/new), the form of an existing one
(GET /admin/<kind>/<key>/edit), and saving (POST /admin/<kind>), which runs the kind's upsert
mutation. A refused form comes back with what was typed and the refusals inline (400); a saved
one redirects to the list, which says what was saved.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.console import graphql
from api.console.csrf import check_csrf
from api.console.definitions import DEFINITIONS, Definition, new_values
from api.console.forms import FormErrors, errors_by_field, parse, values_of
from api.console.rendering import render
from api.console.session import require_admin
from api.console.state import console_of


async def _items(request: Request, definition: Definition) -> list[dict[str, Any]]:
    data = await graphql.query(request, definition.list_document)
    items: list[dict[str, Any]] = data[definition.list_field]
    return items


def _page(definition: Definition) -> Any:
    async def page(request: Request) -> Response:
        await require_admin(request)
        items = await _items(request, definition)
        saved = request.query_params.get("saved")
        return _render_list(request, definition, items, new_values(definition), {}, saved)

    return page


def _render_list(
    request: Request,
    definition: Definition,
    items: list[dict[str, Any]],
    values: dict[str, Any],
    errors: FormErrors,
    saved: str | None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "definitions.html",
        status=status,
        definition=definition,
        items=items,
        values=values,
        errors=errors,
        saved=saved,
        editing=False,
    )


def _new(definition: Definition) -> Any:
    async def new(request: Request) -> Response:
        await require_admin(request)
        return _render_form(request, definition, new_values(definition), {}, editing=False)

    return new


def _edit(definition: Definition) -> Any:
    async def edit(request: Request) -> Response:
        await require_admin(request)
        key = request.path_params["key"]
        items = await _items(request, definition)
        found = next((item for item in items if item["key"] == key), None)
        if found is None:
            raise HTTPException(404, "Nothing has this key.")
        values = definition.to_form(found, console_of(request).settings.tz)
        return _render_form(request, definition, values, {}, editing=True)

    return edit


def _render_form(
    request: Request,
    definition: Definition,
    values: dict[str, Any],
    errors: FormErrors,
    editing: bool,
    status: int = 200,
) -> Response:
    return render(
        request,
        "definition_form.html",
        status=status,
        definition=definition,
        values=values,
        errors=errors,
        editing=editing,
    )


def _save(definition: Definition) -> Any:
    async def save(request: Request) -> Response:
        await require_admin(request)
        await check_csrf(request)
        form = await request.form()
        fields = definition.all_fields()
        values: dict[str, Any] = values_of(form, fields)
        for field in fields:
            if field.kind == "bool":
                values[field.name] = form.get(field.name) == "true"
        editing = form.get("editing") == "true"
        tz = console_of(request).settings.tz
        data, errors = parse(form, fields, tz)
        if not errors:
            _, refusals = await graphql.mutate(
                request, definition.mutation, definition.input_type, data
            )
            if not refusals:
                key = str(data.get("key", ""))
                target = f"/admin/{definition.path}?{urlencode({'saved': key})}"
                return RedirectResponse(target, status_code=303)
            errors = errors_by_field(refusals, fields)
        if definition.inline_form and not editing:
            items = await _items(request, definition)
            return _render_list(request, definition, items, values, errors, None, status=400)
        return _render_form(request, definition, values, errors, editing, status=400)

    return save


def _routes() -> list[Route]:
    routes = []
    for definition in DEFINITIONS:
        base = f"/{definition.path}"
        routes += [
            Route(base, _page(definition), methods=["GET"]),
            Route(base, _save(definition), methods=["POST"]),
            Route(f"{base}/new", _new(definition), methods=["GET"]),
            Route(base + "/{key}/edit", _edit(definition), methods=["GET"]),
        ]
    return routes


routes = _routes()
