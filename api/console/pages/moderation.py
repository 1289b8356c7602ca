"""Moderation: /admin/moderation, the content queue (PENDING, oldest first) and the approved
pieces, with approve, reject and take down. Each decision runs `moderateContent`: approving
credits the author, taking an approved piece down reverses what it earned, exactly as the API
does."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.console import graphql
from api.console.csrf import check_csrf
from api.console.forms import FieldError
from api.console.rendering import render
from api.console.session import require_admin
from domain.errors import ErrorCode
from gamification.content import REJECTION_REASONS

VIEWS = ("PENDING", "APPROVED", "REJECTED")
PAGE = 25
REASONS = tuple(sorted(REJECTION_REASONS))
DECISIONS = ("APPROVE", "REJECT")

QUEUE = """
query ConsoleQueue($status: ContentStatus!, $first: Int!, $after: String) {
  contents(status: $status, first: $first, after: $after) {
    edges { node { id kind subject body mediaUrls status score upvotes downvotes pointsAwarded
                   createdAt moderatedAt rejectionReason author { id displayName } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

MODERATE = """
mutation ConsoleModerate($input: ModerateContentInput!) {
  moderateContent(input: $input) { content { id status } errors { code message field } }
}
"""


async def queue(request: Request) -> Response:
    await require_admin(request)
    return await _show(request, {}, 200)


async def _show(request: Request, errors: dict[str, list[FieldError]], status: int) -> Response:
    view = request.query_params.get("status", "PENDING")
    if view not in VIEWS:
        view = "PENDING"
    after = request.query_params.get("after") or None
    data = await graphql.query(request, QUEUE, status=view, first=PAGE, after=after)
    connection = data["contents"]
    pieces = [edge["node"] for edge in connection["edges"]]
    shown = {piece["id"] for piece in pieces}
    for key in [key for key in errors if key and key not in shown]:
        # A refusal about a piece this view no longer lists (decided meanwhile): on top.
        errors.setdefault("", []).extend(errors.pop(key))
    return render(
        request,
        "moderation.html",
        status=status,
        view=view,
        views=VIEWS,
        pieces=pieces,
        next_cursor=connection["pageInfo"]["endCursor"]
        if connection["pageInfo"]["hasNextPage"]
        else None,
        reasons=REASONS,
        errors=errors,
        decided=request.query_params.get("decided"),
    )


async def decide(request: Request) -> Response:
    await require_admin(request)
    await check_csrf(request)
    form = await request.form()
    content_id, decision = form.get("contentId"), form.get("decision")
    reason = form.get("rejectionReason") or None
    view = form.get("view") if form.get("view") in VIEWS else "PENDING"
    if not isinstance(content_id, str) or decision not in DECISIONS:
        error = FieldError(str(ErrorCode.INVALID_INPUT), "choose a piece and a decision")
        return await _show(request, {"": [error]}, 400)
    values: dict[str, Any] = {"contentId": content_id, "decision": decision}
    if decision == "REJECT":
        values["rejectionReason"] = reason if isinstance(reason, str) else None
    _, refusals = await graphql.mutate_document(
        request, MODERATE, "moderateContent", {"input": values}
    )
    if refusals:
        errors = [FieldError(refusal.code, refusal.message, refusal.field) for refusal in refusals]
        # Shown on the piece they concern, with the queue as it is now.
        request.scope["query_string"] = urlencode({"status": view}).encode()
        return await _show(request, {content_id: errors}, 400)
    query = urlencode({"status": view, "decided": f"{decision}:{content_id}"})
    return RedirectResponse(f"/admin/moderation?{query}", status_code=303)


routes = [
    Route("/moderation", queue, methods=["GET"]),
    Route("/moderation", decide, methods=["POST"]),
]
