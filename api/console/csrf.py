"""Cross-site request forgery: every POST to the console carries a token and comes from here.

- Signed in, the token is the session's own (made at sign-in, kept with the session in Redis).
- Before signing in (the login forms), it is a random value in a cookie of its own that the
  form repeats (double submit); the cookie is HttpOnly and `SameSite=Strict` like the session's.
- A POST whose `Origin` is another site's, or whose `Sec-Fetch-Site` says it came from another
  site, is refused even with a token.

A refusal is 403, raised before the handler reads anything else of the form: nothing changes.
Forms put the token in a hidden input named `csrf_token` (`{{ csrf_field() }}` in templates).
"""

from __future__ import annotations

import hmac
import re
import secrets
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from api.console.session import COOKIE_PATH, Session, current

FIELD = "csrf_token"
LOGIN_COOKIE = "plaudit_console_csrf"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
REFUSED = "the form's security token is missing or wrong, or it was sent from another site"


class CsrfRefused(HTTPException):
    def __init__(self, detail: str = REFUSED) -> None:
        super().__init__(403, detail)


def token_for(request: Request) -> str:
    """The token this request's forms carry: the session's, else the login cookie's (a new
    one when the browser has none yet; `finish` sets it on the response)."""
    session = getattr(request.state, "console_session", None)
    if isinstance(session, Session):
        return session.csrf
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if _TOKEN.fullmatch(cookie):
        return cookie
    new: str | None = getattr(request.state, "new_login_csrf", None)
    if new is None:
        new = request.state.new_login_csrf = secrets.token_urlsafe(32)
    return new


def finish(request: Request, response: Response) -> None:
    """Set the login cookie when `token_for` made a new one for this response's forms."""
    new = getattr(request.state, "new_login_csrf", None)
    if new is not None:
        response.set_cookie(
            LOGIN_COOKIE,
            new,
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )


def same_origin(request: Request) -> bool:
    """Whether the browser says the request came from this site (or says nothing)."""
    origin = request.headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        return bool(parts.netloc) and parts.netloc == request.headers.get("host")
    site = request.headers.get("sec-fetch-site")
    return site is None or site in ("same-origin", "none")


async def check_csrf(request: Request) -> None:
    """Raise `CsrfRefused` (403) unless the POST is from this site and carries its token.
    POST handlers call it first; it reads the form (Starlette keeps it for the handler)."""
    if not same_origin(request):
        raise CsrfRefused()
    session = await current(request)
    expected = session.csrf if session is not None else request.cookies.get(LOGIN_COOKIE, "")
    form = await request.form()
    sent = form.get(FIELD)
    if (
        not isinstance(sent, str)
        or not _TOKEN.fullmatch(expected)
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise CsrfRefused()
