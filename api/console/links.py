"""One-time sign-in links (`plaudit console-link`): for the dev admin, no token to paste.

The link carries a short-lived JWT signed with the program's HS256 key (the dev secret or
PLAUDIT_JWT_SECRET), for the audience `plaudit-console-link` only: the API refuses it as a
bearer token (its audience is not the API's), and the console accepts it once. Opening the
link shows a button; pressing it (a POST, with CSRF) records the link's id in Redis until the
link expires, so a second use is refused, and starts a session on a fresh ADMIN token for the
link's subject, lasting the link's `session` seconds. Link previews (chat apps fetch URLs) only
GET the page, so they cannot use the link up.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from starlette.requests import Request

from api.auth import LEEWAY_S, Role, mint_token
from api.console.session import Refused
from api.console.state import console_of, runtime_of
from domain.infra import namespace
from domain.infra.settings import Settings, SettingsError

AUDIENCE = "plaudit-console-link"
ALGORITHM = "HS256"
LINK_TTL = timedelta(minutes=15)
DEV_ADMIN = "dev-admin"


def mint_link(
    settings: Settings,
    subject: str = DEV_ADMIN,
    session: timedelta = timedelta(hours=8),
    now: datetime | None = None,
) -> str:
    """A one-time link's code. Raises SettingsError when Plaudit cannot sign (public key)."""
    issued = now or datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": subject,
        "role": Role.ADMIN.value,
        "aud": AUDIENCE,
        "jti": secrets.token_urlsafe(16),
        "iat": issued,
        "exp": issued + LINK_TTL,
        "session": int(session.total_seconds()),
    }
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    return jwt.encode(claims, settings.jwt_signing_key(), algorithm=ALGORITHM)


@dataclass(frozen=True)
class Link:
    subject: str
    jti: str
    expires_at: datetime
    session: timedelta


def read(request: Request, code: str) -> Link:
    """The link `code` stands for; `Refused` when it is not one this program signed, or it
    expired. Whether it was used already is `redeem`'s to check."""
    settings = console_of(request).settings
    try:
        key = settings.jwt_signing_key()
    except SettingsError:
        raise Refused(
            "UNAUTHENTICATED", "sign-in links need PLAUDIT_JWT_SECRET or the dev secret"
        ) from None
    try:
        claims = jwt.decode(
            code,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "sub", "jti", "aud", "session"]},
            leeway=LEEWAY_S,
        )
    except jwt.ExpiredSignatureError:
        raise Refused("UNAUTHENTICATED", "this sign-in link has expired") from None
    except jwt.PyJWTError:
        raise Refused("UNAUTHENTICATED", "this is not a valid sign-in link") from None
    subject, seconds = claims["sub"], claims["session"]
    valid = isinstance(subject, str) and 1 <= len(subject) <= 128
    if not valid or not isinstance(seconds, int) or not 60 <= seconds <= 30 * 86400:
        raise Refused("UNAUTHENTICATED", "this is not a valid sign-in link")
    if claims.get("role") != Role.ADMIN.value:
        raise Refused("FORBIDDEN", "sign-in links are for admins only")
    return Link(
        subject=subject,
        jti=str(claims["jti"]),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        session=timedelta(seconds=seconds),
    )


def _used_key(request: Request, link: Link) -> str:
    digest = hashlib.sha256(link.jti.encode()).hexdigest()
    return namespace.key(console_of(request).settings, "console", "link", digest)


async def used(request: Request, link: Link) -> bool:
    return bool(await runtime_of(request).redis.exists(_used_key(request, link)))


async def redeem(request: Request, link: Link) -> str:
    """Use the link up (once only) and return an ADMIN token for its session."""
    fresh = await runtime_of(request).redis.set(
        _used_key(request, link),
        b"1",
        nx=True,
        exat=int(link.expires_at.timestamp()) + LEEWAY_S + 1,
    )
    if not fresh:
        raise Refused("UNAUTHENTICATED", "this sign-in link was already used")
    return mint_token(console_of(request).settings, link.subject, Role.ADMIN, link.session)
