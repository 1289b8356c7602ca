"""The per-request GraphQL context: the runtime, the viewer, and fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from strawberry.types import Info as StrawberryInfo

from api.auth import AuthenticationFailed, Role, TokenVerifier, Viewer
from api.errors import forbidden, unauthenticated
from api.members.loaders import MemberLoaders
from api.rewards.loaders import RewardLoaders
from api.tiers.loaders import TierLoaders
from domain.runtime import Runtime
from domain.tiers import TierPolicy


@dataclass
class Context:
    runtime: Runtime
    authorization: str | None
    verifier: TokenVerifier
    members: MemberLoaders = field(default_factory=MemberLoaders)
    rewards: RewardLoaders = field(default_factory=RewardLoaders)
    tiers: TierLoaders = field(init=False)
    # Per member: (when, how many) of the next points expiry, computed once per request.
    next_expiry: dict[str, tuple[datetime, int] | None] = field(default_factory=dict)
    _viewer: Viewer | None = None
    _auth_error: str | None = None
    _authenticated: bool = False

    def __post_init__(self) -> None:
        self.tiers = TierLoaders(TierPolicy.of(self.runtime.settings))

    def viewer(self) -> Viewer | None:
        """The caller, or None when anonymous; bad credentials fail whatever the operation."""
        if not self._authenticated:
            try:
                self._viewer = self.verifier.viewer_from_header(self.authorization)
            except AuthenticationFailed as exc:
                self._auth_error = str(exc)
            self._authenticated = True
        if self._auth_error:
            raise unauthenticated(self._auth_error)
        return self._viewer

    def require(self, *roles: Role) -> Viewer:
        viewer = self.viewer()
        if viewer is None:
            raise unauthenticated()
        if viewer.role not in roles:
            allowed = " or ".join(role.value.upper() for role in roles)
            raise forbidden(f"this needs a {allowed} token")
        return viewer


Info = StrawberryInfo[Context, Any]
