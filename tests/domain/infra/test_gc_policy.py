"""`domain.infra.gc_policy`: what survives a full collection is frozen, so the next one walks only
newer objects; a sweep still collects cycles that became garbage while frozen."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from domain.infra.gc_policy import YOUNG_THRESHOLD, FreezeSurvivors


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[FreezeSurvivors]:
    policy = FreezeSurvivors()
    policy.install()
    try:
        yield policy
    finally:
        policy.uninstall()
    assert gc.get_freeze_count() == 0


def test_survivors_of_a_full_collection_are_frozen(collector: FreezeSurvivors) -> None:
    kept = [Node() for _ in range(100)]
    before = gc.get_freeze_count()
    gc.collect()  # a full collection, as the allocator would trigger
    assert gc.get_freeze_count() >= before + len(kept)


def test_garbage_is_still_collected_before_it_could_be_frozen(
    collector: FreezeSurvivors,
) -> None:
    dropped = Node()
    gone = weakref.ref(dropped)
    del dropped
    gc.collect()
    assert gone() is None


def test_a_sweep_collects_cycles_that_died_frozen(collector: FreezeSurvivors) -> None:
    node = Node()
    gone = weakref.ref(node)
    gc.collect()  # now frozen
    del node
    gc.collect()
    assert gone() is not None  # a frozen cycle waits for the sweep
    assert collector.sweep() >= 0
    assert gone() is None
    assert gc.get_freeze_count() > 0  # the survivors frozen again


def test_install_and_uninstall_are_idempotent() -> None:
    policy = FreezeSurvivors()
    policy.install()
    policy.install()
    assert gc.callbacks.count(policy._on_collection) == 1
    policy.uninstall()
    policy.uninstall()
    assert policy._on_collection not in gc.callbacks
    assert gc.get_freeze_count() == 0


def test_the_youngest_generation_waits_for_more_objects_until_uninstalled() -> None:
    before = gc.get_threshold()
    policy = FreezeSurvivors()
    policy.install()
    try:
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
    finally:
        policy.uninstall()
    assert gc.get_threshold() == before
