"""Signing in to the console: an ADMIN token exchanged for a cookie session.

The token is checked like the API checks it (`api.auth.TokenVerifier`); member and service
tokens are refused with a message that says which token is needed. The session is kept in
Redis under a random id (only its SHA-256 is the key) and holds the token, the session's CSRF
token and the token's expiry: the cookie carries nothing but the id. So a session

- ends when the token expires (checked on every request against `Console.clock`, and Redis
  drops the key at the same moment),
- ends at logout for every copy of the cookie (the key is deleted, not only the cookie),
- writes as the admin the token names: every write runs the API's own mutation with the token
  (`api.console.graphql`), so the audit log records the token's subject.

The cookie is HttpOnly, `SameSite=Strict`, limited to `/admin`, and `Secure` when the request
came over https (behind a proxy: run uvicorn with `--proxy-headers`, as `plaudit serve` does).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import jwt
from starlette.requests import Request
from starlette.responses import Response

from api.auth import AuthenticationFailed, Role, Viewer
from api.console.state import console_of, runtime_of
from domain.infra import namespace

COOKIE = "plaudit_console"
COOKIE_PATH = "/admin"
LOGIN_PATH = "/admin/login"
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Session:
    subject: str
    token: str
    csrf: str
    expires_at: datetime

    def viewer(self) -> Viewer:
        return Viewer(self.subject, Role.ADMIN)


class LoginRequired(Exception):
    """No session (or an ended one): `api.console.app` answers with a redirect to the login
    page, which brings the admin back to `next` once signed in."""

    def __init__(self, next_path: str, ended: bool = False) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.ended = ended

    def location(self) -> str:
        query = f"next={quote(self.next_path, safe='/')}"
        return f"{LOGIN_PATH}?{query}&ended=1" if self.ended else f"{LOGIN_PATH}?{query}"


class Refused(Exception):
    """A token the console does not accept; `code` and the message are shown on the form
    (translated, `%(name)s` placeholders filled from `params`)."""

    def __init__(self, code: str, message: str, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.code = code
        self.message = message
        self.params = params


def admin_of_token(request: Request, token: str) -> tuple[Viewer, datetime]:
    """The admin a token names and when it expires; `Refused` for anything else."""
    console = console_of(request)
    try:
        viewer = console.verifier.verify(token)
    except AuthenticationFailed as failure:
        raise Refused("UNAUTHENTICATED", str(failure)) from None
    if viewer.role is not Role.ADMIN:
        raise Refused(
            "FORBIDDEN",
            "this is a %(role)s token: the console needs an ADMIN token",
            role=viewer.role.value.upper(),
        )
    # Verified above: only its expiry is read here.
    claims = jwt.decode(token, options={"verify_signature": False})
    expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
    if expires_at <= console.now():
        raise Refused("UNAUTHENTICATED", "the token has expired")
    return viewer, expires_at


def _key(request: Request, session_id: str) -> str:
    digest = hashlib.sha256(session_id.encode()).hexdigest()
    return namespace.key(console_of(request).settings, "console", "session", digest)


async def start(request: Request, response: Response, token: str) -> Session:
    """Start a session for a verified ADMIN token and set its cookie on `response`."""
    viewer, expires_at = admin_of_token(request, token)
    session_id = secrets.token_urlsafe(32)
    session = Session(viewer.subject, token, secrets.token_urlsafe(32), expires_at)
    record = {
        "subject": session.subject,
        "token": session.token,
        "csrf": session.csrf,
        "expiresAt": expires_at.isoformat(),
    }
    await runtime_of(request).redis.set(
        _key(request, session_id),
        json.dumps(record).encode(),
        exat=int(expires_at.timestamp()) + 1,
    )
    lifetime = int((expires_at - console_of(request).now()).total_seconds())
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=max(lifetime, 1),
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return session


async def current(request: Request) -> Session | None:
    """The request's live session, or None (no cookie, unknown id, or ended)."""
    cached: Session | None = getattr(request.state, "console_session", None)
    if cached is not None:
        return cached
    session_id = request.cookies.get(COOKIE, "")
    if not _SESSION_ID.fullmatch(session_id):
        return None
    raw = await runtime_of(request).redis.get(_key(request, session_id))
    if raw is None:
        return None
    record = json.loads(raw)
    session = Session(
        subject=record["subject"],
        token=record["token"],
        csrf=record["csrf"],
        expires_at=datetime.fromisoformat(record["expiresAt"]),
    )
    if session.expires_at <= console_of(request).now():
        return None
    request.state.console_session = session
    return session


async def end(request: Request, response: Response) -> None:
    """End the request's session everywhere and clear its cookie."""
    session_id = request.cookies.get(COOKIE, "")
    if _SESSION_ID.fullmatch(session_id):
        await runtime_of(request).redis.delete(_key(request, session_id))
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


async def require_admin(request: Request) -> Viewer:
    """The signed-in admin; raises `LoginRequired` (a redirect to the login page) without a
    live session. Every console page handler starts with it."""
    session = await current(request)
    if session is None:
        ended = COOKIE in request.cookies
        raise LoginRequired(_here(request), ended=ended)
    return session.viewer()


def _here(request: Request) -> str:
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query else path


def safe_next(candidate: str | None) -> str:
    """Where to go after signing in: a console path only (never another site)."""
    if (
        candidate
        and candidate.startswith("/admin")
        and not candidate.startswith("//")
        and "\\" not in candidate
        and not any(ord(c) < 0x20 for c in candidate)
        and not candidate.startswith(LOGIN_PATH)
    ):
        return candidate
    return "/admin/"
