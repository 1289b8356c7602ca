"""`cancel_and_wait` stops a task for sure: one whose cancellation is lost (as Python 3.11's
`asyncio.wait_for` loses one that arrives with the result, under every redis-py command) is
cancelled again until it ends; one that never ends is given up on, in bounded time, saying so."""

from __future__ import annotations

import asyncio
import logging

import pytest

from domain.infra import cancel
from domain.infra.cancel import cancel_and_wait


async def test_a_task_that_loses_its_first_cancellation_is_cancelled_again_until_it_ends(
    monkeypatch,
):
    monkeypatch.setattr(cancel, "RECANCEL_EVERY_S", 0.05)
    polls = 0
    polling = asyncio.Event()

    async def worker() -> None:  # a poll loop whose first cancellation is lost
        nonlocal polls
        lost = False
        while True:
            try:
                polls += 1
                polling.set()
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                if lost:
                    raise
                lost = True

    task = asyncio.create_task(worker())
    await asyncio.wait_for(polling.wait(), 5)

    assert await cancel_and_wait(task, within_s=5) is True
    assert task.cancelled()


async def test_a_task_that_never_ends_is_given_up_on_within_the_bound(monkeypatch, caplog):
    monkeypatch.setattr(cancel, "RECANCEL_EVERY_S", 0.05)
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                continue

    task = asyncio.create_task(stubborn(), name="stubborn")
    await asyncio.sleep(0)
    with caplog.at_level(logging.WARNING, logger="plaudit.tasks"):
        stopped = await asyncio.wait_for(cancel_and_wait(task, within_s=0.3), 5)

    assert stopped is False
    assert "stubborn did not stop within 0.3s of its cancellation" in caplog.text
    release.set()
    await asyncio.wait_for(task, 5)


@pytest.mark.parametrize("outcome", ["returns", "fails"])
async def test_a_task_already_ended_is_left_as_it_ended(outcome):
    async def quick() -> int:
        if outcome == "fails":
            raise ValueError("boom")
        return 1

    task = asyncio.create_task(quick())
    await asyncio.wait({task})

    assert await cancel_and_wait(task, within_s=1) is True
    assert not task.cancelled()
    if outcome == "fails":
        assert isinstance(task.exception(), ValueError)
    else:
        assert task.result() == 1
