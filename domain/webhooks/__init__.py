"""Webhooks to the brand's other systems, as the Standard Webhooks specification has them.

Admins manage endpoints (`endpoints`: URL, event filter, the `whsec_` secret shown once,
rotation, deletion). The changes themselves only write messages to the outbox
(`domain.outbox`), in their own transactions. The workers fan the committed messages out into
one delivery per subscribed endpoint (`fanout`), and deliver them (`delivery`): signed
(`signing`), to public addresses only (`addresses`), with a timeout, retried on a schedule,
and disabling an endpoint that has failed for days. The delivery log is read, redelivered from
and pruned through `deliveries`.

A feature package: may import `domain.program`, `domain.outbox`, `domain.infra`,
`domain.models`, `domain.errors`; no other feature.
"""
