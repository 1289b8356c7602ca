"""The net under the read cache (`tests.read_cache_audit`): it notices a transaction that
writes what members read without saying whose reads it changes, and every table is classified."""

from __future__ import annotations

from domain.infra.db import touch_member, transaction
from domain.models import Member
from tests.helpers import every_row
from tests.read_cache_audit import audit, tables_unclassified, written_tables


async def test_every_table_is_classified_as_read_by_cached_answers_or_not(server):
    tables = set(await every_row())
    assert tables_unclassified(tables) == set(), (
        "a new table: add it to READ (cached answers read it: every transaction writing it must "
        "touch) or NOT_READ in tests/read_cache_audit.py"
    )


async def test_a_transaction_that_forgets_to_touch_is_noticed(server, unaudited):
    await Member.create(id="ada", display_name="Ada")
    with audit() as forgot:
        async with transaction() as connection:
            await Member.filter(id="ada").using_db(connection).update(display_name="Ada L.")
    assert forgot.untouched() == [{"member"}]
    with audit() as told:
        async with transaction() as connection:
            touch_member("ada")
            await Member.filter(id="ada").using_db(connection).update(display_name="Ada")
    assert told.untouched() == []


def test_what_counts_as_a_write():
    assert written_tables('UPDATE "member" SET "balance"=? WHERE "id"=?') == {"member"}
    assert written_tables("SELECT * FROM member WHERE id = ? FOR UPDATE SKIP LOCKED") == set()
    assert written_tables(
        "WITH v (id, x) AS (VALUES (?, ?)) UPDATE member SET x = v.x FROM v WHERE member.id = v.id"
    ) == {"member"}
    assert written_tables('DELETE FROM "member_event" WHERE "id" IN (?)') == {"member_event"}
    # Enrolment creates members and changes none.
    assert written_tables("INSERT INTO member (id) VALUES (?) ON CONFLICT (id) DO NOTHING") == set()
