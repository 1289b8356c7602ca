"""The outbox: webhook messages written in the transaction of the change they announce.

`emit(connection, event, data)` writes one message row in the caller's transaction, and
`emit_many(connection, messages)` any number of them in one multi-row insert (the award
pipeline's batch). Nothing is sent from here: a worker fans the committed messages out to the
endpoints and delivers them (`domain.webhooks`), so a change that rolls back never announces
anything, and a message is never lost to a crash between the commit and a send. Once the
transaction commits, the workers are woken (`wakeup`); their cron job catches a lost wake-up.

`forget_member` removes a member's id from the messages and deliveries still stored (erasure).

Ranked just above `domain.infra` so that every layer that changes state can emit (the
leaderboards' archives, the pipeline, the features). May import `domain.infra`,
`domain.models` and `domain.errors`; nothing else of `domain`.
"""

from domain.models import WebhookEventType as EventType
from domain.outbox.forget import forget_member
from domain.outbox.messages import Message, body_of, emit, emit_many, new_message_id

__all__ = [
    "EventType",
    "Message",
    "body_of",
    "emit",
    "emit_many",
    "forget_member",
    "new_message_id",
]
