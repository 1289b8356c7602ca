"""`GET /metrics`: Prometheus's scrape of this process (`domain.infra.metrics`).

The PENDING backlog's size and the age of its oldest interaction are read here, at scrape time:
one count and one min() on the (status, recorded_at) index, bounded by a short timeout so a slow
database makes the scrape report the last values, not hang.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from domain.infra import metrics, outages
from domain.models import Interaction
from domain.models.interactions import InteractionStatus

log = logging.getLogger("plaudit.metrics")

BACKLOG_TIMEOUT_S = 2.0


async def metrics_endpoint(request: Request) -> Response:
    await _read_backlog()
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)


async def _read_backlog() -> None:
    try:
        size, oldest = await asyncio.wait_for(_backlog(), BACKLOG_TIMEOUT_S)
    except Exception as exc:
        if not outages.is_outage(exc):
            log.warning("could not read the PENDING backlog: %s: %s", type(exc).__name__, exc)
        else:
            outages.of(exc).failed(exc)
        return
    metrics.set_backlog(size, oldest, datetime.now(UTC))


async def _backlog() -> tuple[int, datetime | None]:
    """One after the other, not gathered: two queries never share a connection at once."""
    pending = Interaction.filter(status=InteractionStatus.PENDING)
    size = await pending.count()
    if not size:
        return 0, None
    oldest = await pending.order_by("recorded_at").first()
    return size, (oldest.recorded_at if oldest else None)
