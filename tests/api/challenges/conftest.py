from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from domain.runtime import Runtime
from tests.api.read_cache.common import Clock


@pytest.fixture
def clock(runtime: Runtime) -> Iterator[Clock]:
    """The runtime's clock (what time it is for reads: statuses, the current round), moved by
    the test only; the real one again afterwards."""
    fake, real = Clock(datetime.now(UTC).replace(microsecond=0)), runtime.clock
    runtime.clock = fake
    yield fake
    runtime.clock = real
