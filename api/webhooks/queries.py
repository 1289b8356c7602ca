from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.permissions import Requires
from api.webhooks.types import WebhookEndpoint
from domain.webhooks import endpoints


@strawberry.type
class WebhookQueries:
    @strawberry.field(extensions=[Requires(Role.ADMIN)])
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        return [WebhookEndpoint.from_model(e) for e in await endpoints.listing()]
