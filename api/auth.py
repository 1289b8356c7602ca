"""Bearer JWT authentication: who is calling, and in which role.

The algorithm is pinned by configuration (never taken from the token header), `exp` is required,
and `iss`/`aud` are enforced when configured.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

from domain.infra.settings import Settings
from domain.members.members import is_erased

LEEWAY_S = 30  # clock skew accepted on exp, nbf and iat
PARTNER_KEY_LENGTH = 100  # as `domain.models.Partner.key`


class Role(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"
    SERVICE = "service"


@dataclass(frozen=True)
class Viewer:
    subject: str
    role: Role
    # A SERVICE token scoped to a partner (claim `partner`): it may record only that partner's
    # actions (`domain.partners`), and is refused by every field that does not accept partners
    # (`api.permissions.Requires`).
    partner: str | None = None


class AuthenticationFailed(Exception):
    """The request carried credentials that do not verify; the message is safe to show."""


class TokenVerifier:
    # Verified tokens, kept until they expire: a request checks its token twice (rate limits,
    # then the context), and an app sends the same token for its whole session; RS256 costs
    # tens of microseconds per check. Only tokens that verified are kept, never a refusal.
    CACHED_TOKENS = 10_000

    def __init__(self, settings: Settings) -> None:
        self.algorithm = settings.jwt_algorithm
        self.key = settings.jwt_verification_key()
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self._verified: OrderedDict[str, tuple[Viewer, float]] = OrderedDict()

    def viewer_from_header(self, authorization: str | None) -> Viewer | None:
        """None without credentials; raises AuthenticationFailed on bad ones."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed("expected 'Authorization: Bearer <token>'")
        return self.verify(token.strip())

    def verify(self, token: str) -> Viewer:
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            return known[0]
        viewer, expires_at = self._verify(token)
        self._verified[token] = (viewer, expires_at)
        if len(self._verified) > self.CACHED_TOKENS:
            self._verified.popitem(last=False)
        return viewer

    def _verify(self, token: str) -> tuple[Viewer, float]:
        """The viewer, and until when the token is valid (its `exp`, as checked here)."""
        options = {"require": ["exp", "sub"]}
        if self.issuer:
            options["require"].append("iss")
        if self.audience:
            options["require"].append("aud")
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[self.algorithm],
                issuer=self.issuer,
                audience=self.audience,
                options=options,  # type: ignore[arg-type]
                leeway=LEEWAY_S,
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("the token has expired") from None
        except jwt.InvalidAudienceError:
            raise AuthenticationFailed("the token's audience is not accepted here") from None
        except jwt.InvalidIssuerError:
            raise AuthenticationFailed("the token's issuer is not accepted here") from None
        except jwt.PyJWTError:
            raise AuthenticationFailed("the token is not valid") from None
        subject, role = claims.get("sub"), claims.get("role")
        if not isinstance(subject, str) or not 1 <= len(subject) <= 128:
            raise AuthenticationFailed("the token's subject is not valid")
        try:
            viewer = Viewer(subject, Role(str(role)))
        except ValueError:
            raise AuthenticationFailed(
                "the token's role must be member, admin or service"
            ) from None
        partner = claims.get("partner")
        if partner is not None:
            if viewer.role is not Role.SERVICE:
                raise AuthenticationFailed("only a service token may be scoped to a partner")
            if not isinstance(partner, str) or not 1 <= len(partner) <= PARTNER_KEY_LENGTH:
                raise AuthenticationFailed("the token's partner is not valid")
            viewer = Viewer(subject, viewer.role, partner)
        if viewer.role is Role.MEMBER and is_erased(subject):
            # The anonymous rows an erasure leaves belong to nobody: no token may act as them.
            raise AuthenticationFailed("the token's subject is reserved for erased members")
        return viewer, float(claims["exp"]) + LEEWAY_S


def mint_token(
    settings: Settings, subject: str, role: Role, ttl: timedelta, *, partner: str | None = None
) -> str:
    """A token signed with the configured (or generated dev) secret, for `plaudit token` and
    `upsertPartner(issueToken: true)` (a SERVICE token with the claim `partner`)."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {"sub": subject, "role": role.value, "iat": now, "exp": now + ttl}
    if partner is not None:
        claims["partner"] = partner
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_signing_key(), algorithm="HS256")
