"""What the console answers when a page cannot be shown: a plain page, never a traceback.

- No session: a redirect to the login page (`session.LoginRequired`).
- An HTTP refusal (404, 405, a CSRF 403): a page with the status and what to do.
- The database or Redis unreachable: 503, "try again shortly" (logged once per outage by
  `domain.infra.outages`, like the API's UNAVAILABLE).
- Anything else is a bug: 500 with a reference; the log has the traceback under the same
  reference (logger `plaudit.console`, ERROR), so the operator can find it.
"""

from __future__ import annotations

import contextlib
import html
import logging
import uuid

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.console.graphql import Unavailable, Unexpected
from api.console.rendering import gettext_for, render
from api.console.session import COOKIE, COOKIE_PATH, LoginRequired, current
from domain.infra import outages

log = logging.getLogger("plaudit.console")

TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    405: "Method not allowed",
    413: "Request too large",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


async def response_for(request: Request, error: Exception) -> Response:
    """The answer to `error`, raised while serving `request`."""
    if isinstance(error, HTTPException) and error.status_code in (404, 405):
        # A signed-in admin still gets the navigation on a page that does not exist.
        with contextlib.suppress(Exception):
            await current(request)
    if isinstance(error, LoginRequired):
        response: Response = RedirectResponse(error.location(), status_code=303)
        if error.ended:
            response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
        return response
    if isinstance(error, HTTPException):
        response = error_page(request, error.status_code, detail=error.detail)
        if error.headers:
            response.headers.update(error.headers)
        return response
    if isinstance(error, Unavailable):
        return error_page(request, 503)
    if outages.is_outage(error):
        outages.of(error).failed(error)
        return error_page(request, 503)
    if isinstance(error, Unexpected) and error.reference is not None:
        # Logged with its traceback by the schema's `MaskUnexpectedErrors`, under this reference.
        return error_page(request, 500, reference=error.reference)
    reference = uuid.uuid4().hex[:16]
    log.error(
        "unexpected error %s in %s %s",
        reference,
        request.method,
        request.url.path,
        exc_info=error,
    )
    return error_page(request, 500, reference=reference)


def error_page(
    request: Request, status: int, detail: str | None = None, reference: str | None = None
) -> Response:
    """The plain error page; a bare one when even the template fails."""
    title = TITLES.get(status, "Error")
    # Starlette's default detail is the status phrase: only a detail of our own is worth showing.
    shown = detail if detail and detail != title and status != 500 else None
    try:
        return render(
            request, "error.html", status=status, title=title, detail=shown, reference=reference
        )
    except Exception:
        log.exception("the console's error page failed to render")
        text = gettext_for(request).gettext(title) if hasattr(request, "state") else title
        body = f"<!doctype html><title>{html.escape(text)}</title><h1>{html.escape(text)}</h1>"
        if reference:
            body += f"<p>Reference: {html.escape(reference)}</p>"
        return HTMLResponse(body, status_code=status)
