from __future__ import annotations

import strawberry

from api.atomic import Atomic
from api.auth import Role
from api.context import Info
from api.errors import UserError
from api.mutation_errors import UserErrors
from api.permissions import Requires, checked_viewer
from api.webhooks.types import WebhookDelivery, WebhookEndpoint, WebhookEventType
from domain.models import WebhookEventType as EventTypeEnum
from domain.webhooks import deliveries, endpoints


@strawberry.input
class CreateWebhookEndpointInput:
    url: str = strawberry.field(
        description="https:// in production. Addresses in private, loopback and link-local "
        "ranges are refused (INVALID_INPUT) unless the operator allows them by configuration."
    )
    description: str | None = ""
    events: list[WebhookEventType]


@strawberry.input
class UpdateWebhookEndpointInput:
    id: strawberry.ID
    url: str | None = None
    description: str | None = None
    events: list[WebhookEventType] | None = None
    enabled: bool | None = strawberry.field(
        default=None,
        description="false stops the endpoint (its pending deliveries are FAILED); true enables "
        "it again and forgets its failures.",
    )


@strawberry.type
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="Only when the endpoint is created or its secret rotated: the whsec_ "
        "secret, shown this once.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookDeliveryPayload:
    delivery: WebhookDelivery | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _events(events: list[WebhookEventType]) -> list[EventTypeEnum]:
    return [EventTypeEnum[event.name] for event in events]


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Returns the new secret once.",
    )
    async def create_webhook_endpoint(
        self, info: Info, input: CreateWebhookEndpointInput
    ) -> WebhookEndpointPayload:
        viewer = checked_viewer(info)
        created = await endpoints.create(
            info.context.runtime.settings,
            viewer.subject,
            input.url,
            input.description or "",
            _events(input.events),
        )
        return WebhookEndpointPayload(
            endpoint=WebhookEndpoint.from_model(created.endpoint), secret=created.secret
        )

    @strawberry.mutation(extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)])
    async def update_webhook_endpoint(
        self, info: Info, input: UpdateWebhookEndpointInput
    ) -> WebhookEndpointPayload:
        viewer = checked_viewer(info)
        endpoint = await endpoints.update(
            info.context.runtime.settings,
            viewer.subject,
            str(input.id),
            url=input.url,
            description=input.description,
            events=_events(input.events) if input.events is not None else None,
            enabled=input.enabled,
        )
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(endpoint))

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="The old secret keeps signing beside the new one for 24 hours (two v1 "
        "signatures).",
    )
    async def rotate_webhook_secret(self, info: Info, id: strawberry.ID) -> WebhookEndpointPayload:
        viewer = checked_viewer(info)
        rotated = await endpoints.rotate(viewer.subject, str(id))
        return WebhookEndpointPayload(
            endpoint=WebhookEndpoint.from_model(rotated.endpoint), secret=rotated.secret
        )

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Deliveries stop at once; history is kept.",
    )
    async def delete_webhook_endpoint(
        self, info: Info, id: strawberry.ID
    ) -> WebhookEndpointPayload:
        viewer = checked_viewer(info)
        endpoint = await endpoints.delete(viewer.subject, str(id))
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(endpoint))

    @strawberry.mutation(
        extensions=[Atomic(), UserErrors(), Requires(Role.ADMIN)],
        description="Sends a FAILED or SUCCEEDED delivery again now, with the same webhook-id.",
    )
    async def redeliver_webhook(
        self, info: Info, delivery_id: strawberry.ID
    ) -> WebhookDeliveryPayload:
        viewer = checked_viewer(info)
        delivery = await deliveries.redeliver(viewer.subject, str(delivery_id))
        return WebhookDeliveryPayload(delivery=WebhookDelivery.from_model(delivery))
