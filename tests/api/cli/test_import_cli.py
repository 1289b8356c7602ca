"""`plaudit import FILE`: a JSON Lines or CSV file recorded in bulk, as a user runs it (a
subprocess on the test database and Redis), safe to run again, malformed lines reported, and
every line of the file accounted for: none is lost without a word."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from domain.infra.settings import Settings
from domain.interactions.files import MAX_RECORD_LINES
from domain.models import Interaction, LedgerEntry, Member
from tests.api.interactions.test_bulk_ingest import balances
from tests.helpers import ago, cli_env, define, run_plaudit


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def refused_lines(self) -> list[str]:
        lines = self.stdout.splitlines()
        return [line.strip() for line in lines if line.startswith(("  line ", "  lines "))]

    @property
    def summary(self) -> list[str]:
        """The two summary lines: the items, then the lines of the file."""
        return self.stdout.splitlines()[:2]


@pytest.fixture
def plaudit_import(settings: Settings, server):
    """Runs `plaudit import ARGS` against the test server's database and Redis."""
    env = cli_env(settings, PLAUDIT_TIMEZONE="UTC")

    async def run(*args: str) -> Run:
        return Run(*await run_plaudit("import", *args, env=env))

    return run


def line(who: str, key: str, action: str = "app.daily_open", **extra) -> str:
    return json.dumps({"action": action, "memberId": who, "idempotencyKey": key, **extra})


async def test_a_jsonl_file_is_imported_then_replayed_whole_on_a_second_run(
    gql, drain, plaudit_import, tmp_path
):
    await define(gql, points=10)
    file = tmp_path / "visits.jsonl"
    file.write_text(
        "\n".join(
            [
                line("ada", "v1", occurredAt=ago(days=2), properties={"store": 7}),
                line("grace", "v1"),
                '{"action": "app.daily_open", "memberId": "ada", ',  # cut short
                line("ada", "v2", action="no.such.action"),
                "",
                json.dumps({"action": "app.daily_open", "idempotencyKey": "v3"}),
                line("ada", "v4", occurredAt="2026-11-20T10:00:00"),
                line("ada", "v5", occurredAt="last tuesday"),
                "[1, 2, 3]",
                line(
                    "ada", "v1", properties={"store": 7}
                ),  # the same request again: the same interaction
                line("linus", "v1"),
            ]
        )
        + "\n"
    )

    first = await plaudit_import(str(file))

    assert first.code == 0, first.stderr
    assert first.summary == [
        "10 item(s): 4 accepted (3 new, 1 replayed), 6 refused (1 rejected at once, 5 invalid)",
        "11 line(s) = 10 item(s) + 0 header + 1 blank + 0 continuing a multi-line record",
    ]
    assert first.refused_lines[0].startswith("line 3: INVALID_INPUT: not valid JSON (")
    assert first.refused_lines[1:] == [
        "line 4: REJECTED: UNKNOWN_ACTION",
        "line 6: INVALID_INPUT: memberId is required",
        "line 7: INVALID_INPUT: occurredAt needs a UTC offset",
        "line 8: INVALID_INPUT: occurredAt must be an ISO 8601 date-time, e.g. "
        "2026-11-23T10:00:00Z",
        "line 9: INVALID_INPUT: a line must be a JSON object",
    ]
    assert "100%" in first.stderr  # the progress bar
    assert await Interaction.all().count() == 4  # three new, the rejected one
    assert await drain() == 3
    assert await balances(gql, ["ada", "grace", "linus"]) == {"ada": 10, "grace": 10, "linus": 10}
    stored = await Interaction.get(member_id="ada", idempotency_key="v1")
    assert stored.properties == {"store": 7}

    second = await plaudit_import(str(file))

    assert second.code == 0, second.stderr
    assert second.stdout.splitlines()[0] == (
        "10 item(s): 4 accepted (0 new, 4 replayed), 6 refused (1 rejected at once, 5 invalid)"
    )
    assert second.refused_lines == first.refused_lines
    assert await drain() == 0
    assert await Interaction.all().count() == 4
    assert await LedgerEntry.all().count() == 3
    assert await balances(gql, ["ada", "grace", "linus"]) == {"ada": 10, "grace": 10, "linus": 10}


async def test_a_csv_file_is_imported_in_batches_and_replayed(gql, drain, plaudit_import, tmp_path):
    await define(gql, points=2)
    file = tmp_path / "export.csv"
    rows = ["memberId,action,idempotencyKey,occurredAt,properties"]
    rows += [
        f'm{n % 10},app.daily_open,order-{n},{ago(hours=n % 30)},"{{""total"": {n}, ""tags"": '
        f'""a,b""}}"'
        for n in range(95)
    ]
    rows += [
        "m1,app.daily_open,order-bad-1,,{not json",
        "m1,app.daily_open",
        ",app.daily_open,order-bad-3,,",
        "m1,app.daily_open,order-ok,,",
    ]
    file.write_text("\r\n".join(rows) + "\r\n")

    first = await plaudit_import(str(file), "--batch", "20")

    assert first.code == 0, first.stderr
    assert first.summary == [
        "99 item(s): 96 accepted (96 new, 0 replayed), 3 refused (0 rejected at once, 3 invalid)",
        "100 line(s) = 99 item(s) + 1 header + 0 blank + 0 continuing a multi-line record",
    ]
    assert first.refused_lines == [
        "line 97: INVALID_INPUT: properties is not valid JSON (Expecting property name enclosed "
        "in double quotes: line 1 column 2 (char 1))",
        "line 98: INVALID_INPUT: expected 5 cells, found 2",
        "line 99: INVALID_INPUT: memberId is required",
    ]
    assert await drain() == 96
    stored = await Interaction.get(member_id="m3", idempotency_key="order-13")
    assert stored.properties == {"total": 13, "tags": "a,b"}
    expected = {f"m{n}": 2 * (10 if n != 1 else 11) - (2 if n >= 5 else 0) for n in range(10)}
    assert await balances(gql, [f"m{n}" for n in range(10)]) == expected

    second = await plaudit_import(str(file), "--format", "csv")

    assert second.code == 0, second.stderr
    assert "96 accepted (0 new, 96 replayed)" in second.stdout
    assert await drain() == 0
    assert await balances(gql, [f"m{n}" for n in range(10)]) == expected


async def test_only_the_first_ten_refused_lines_are_listed(gql, plaudit_import, tmp_path):
    await define(gql, points=1)
    file = tmp_path / "feed.ndjson"
    lines = [line("ada", f"k{n}") if n % 3 == 0 else f"garbage {n}" for n in range(40)]
    file.write_text("\n".join(lines) + "\n")

    run = await plaudit_import(str(file), "--batch", "4")

    assert run.code == 0, run.stderr
    assert "14 accepted (14 new, 0 replayed), 26 refused (0 rejected at once, 26 invalid)" in (
        run.stdout
    )
    numbers = [int(entry.split(":")[0].removeprefix("line ")) for entry in run.refused_lines]
    assert numbers == [2, 3, 5, 6, 8, 9, 11, 12, 14, 15]


async def test_a_file_that_cannot_be_read_exits_1_and_usage_errors_exit_2(
    gql, plaudit_import, tmp_path
):
    missing = await plaudit_import(str(tmp_path / "nowhere.jsonl"))
    assert missing.code == 1
    assert "cannot read" in missing.stderr

    header = tmp_path / "wrong.csv"
    header.write_text("member,action,key\nada,app.daily_open,k1\n")
    wrong = await plaudit_import(str(header))
    assert wrong.code == 1
    assert "the CSV header must name the columns" in wrong.stderr

    unknown = tmp_path / "data.txt"
    unknown.write_text(line("ada", "k1") + "\n")
    assert (await plaudit_import(str(unknown))).code == 2
    assert (await plaudit_import(str(unknown), "--batch", "5000", "--format", "jsonl")).code == 2
    assert await Member.all().count() == 0
    assert await Interaction.all().count() == 0


HEADER = "memberId,action,idempotencyKey,occurredAt,properties"


async def stored_keys() -> set[tuple[str, str]]:
    return {(i.member_id, i.idempotency_key) for i in await Interaction.all()}


async def test_a_csv_quote_that_never_closes_refuses_its_line_and_the_lines_after_it_are_read(
    gql, plaudit_import, tmp_path
):
    await define(gql, points=1)
    file = tmp_path / "quotes.csv"
    rows = [
        HEADER,  # 1
        "ada,app.daily_open,k1,,",  # 2
        'grace,app.daily_open,k1,,"{""store"": 7}"',  # 3
        'ada,app.daily_open,"k2,,',  # 4: a stray quote, closed by the quote on line 7
        "linus,app.daily_open,k1,,",  # 5
        "",  # 6
        'ada,app.daily_open,k3,,"{',  # 7: a quoted field over three lines, as CSV allows
        '  ""note"": ""three lines""',  # 8
        '}"',  # 9
        'ada,app.daily_open,"k4,,',  # 10: a quote still open at the end of the file
        "grace,app.daily_open,k2,,",  # 11
    ]
    file.write_text("\n".join(rows) + "\n")

    run = await plaudit_import(str(file))

    assert run.code == 0, run.stderr  # refused lines are reported, as documented
    assert run.summary == [
        "7 item(s): 5 accepted (5 new, 0 replayed), 2 refused (0 rejected at once, 2 invalid)",
        "11 line(s) = 7 item(s) + 1 header + 1 blank + 2 continuing a multi-line record",
    ]
    assert run.refused_lines == [
        "line 4: INVALID_INPUT: a quote opened on this line is not closed on it, and the record "
        "it would start ends on line 7 with 3 cells, not 5",
        "line 10: INVALID_INPUT: a quote opened on this line is not closed by the end of the file",
    ]
    assert await stored_keys() == {
        ("ada", "k1"),
        ("grace", "k1"),
        ("linus", "k1"),
        ("ada", "k3"),
        ("grace", "k2"),
    }
    three_lines = await Interaction.get(member_id="ada", idempotency_key="k3")
    assert three_lines.properties == {"note": "three lines"}


async def test_a_csv_record_may_span_at_most_a_hundred_lines(gql, plaudit_import, tmp_path):
    await define(gql, points=1)
    file = tmp_path / "long.csv"
    after = MAX_RECORD_LINES + 10
    rows = [HEADER, 'ada,app.daily_open,"k0,,']
    rows += [f"m{n},app.daily_open,k1,," for n in range(after)]
    file.write_text("\n".join(rows) + "\n")

    run = await plaudit_import(str(file), "--batch", "50")

    assert run.code == 0, run.stderr
    assert run.summary == [
        f"{after + 1} item(s): {after} accepted ({after} new, 0 replayed), 1 refused "
        "(0 rejected at once, 1 invalid)",
        f"{after + 2} line(s) = {after + 1} item(s) + 1 header + 0 blank + 0 continuing a "
        "multi-line record",
    ]
    assert run.refused_lines == [
        "line 2: INVALID_INPUT: a quote opened on this line is not closed within "
        f"{MAX_RECORD_LINES} lines",
    ]
    assert await Interaction.all().count() == after


async def test_an_unreadable_line_ends_an_open_csv_quote(gql, plaudit_import, tmp_path):
    await define(gql, points=1)
    file = tmp_path / "broken.csv"
    file.write_bytes(
        f"{HEADER}\r\n".encode()
        + b'ada,app.daily_open,"k1,,\r\n'
        + b"grace,app.daily_open,\xff\xfe,,\r\n"
        + b"linus,app.daily_open,k1,,"  # the last line has no line break
    )

    run = await plaudit_import(str(file))

    assert run.code == 0, run.stderr
    assert run.summary == [
        "3 item(s): 1 accepted (1 new, 0 replayed), 2 refused (0 rejected at once, 2 invalid)",
        "4 line(s) = 3 item(s) + 1 header + 0 blank + 0 continuing a multi-line record",
    ]
    assert run.refused_lines == [
        "line 2: INVALID_INPUT: a quote opened on this line is not closed before line 3, which "
        "cannot be read",
        "line 3: INVALID_INPUT: line is not valid UTF-8",
    ]
    assert await stored_keys() == {("linus", "k1")}


async def test_a_multi_line_csv_record_that_is_refused_is_reported_with_its_lines(
    gql, plaudit_import, tmp_path
):
    await define(gql, points=1)
    file = tmp_path / "multi.csv"
    rows = [
        "",
        HEADER,
        ',app.daily_open,k1,,"{',  # no memberId, over two lines
        '}"',
        "ada,app.daily_open,k1,,",
        "   ",
    ]
    file.write_text("\n".join(rows) + "\n")

    run = await plaudit_import(str(file))

    assert run.code == 0, run.stderr
    assert run.summary == [
        "2 item(s): 1 accepted (1 new, 0 replayed), 1 refused (0 rejected at once, 1 invalid)",
        "6 line(s) = 2 item(s) + 1 header + 2 blank + 1 continuing a multi-line record",
    ]
    assert run.refused_lines == ["lines 3-4: INVALID_INPUT: memberId is required"]


async def test_every_line_of_a_jsonl_file_is_counted(gql, plaudit_import, tmp_path):
    await define(gql, points=1)
    file = tmp_path / "feed.jsonl"
    pretty = json.dumps(json.loads(line("ada", "k9")), indent=1).encode().splitlines()
    file.write_bytes(
        b"\r\n".join(
            [
                line("ada", "k1").encode(),  # 1
                b"  \t",  # 2: blank
                *pretty,  # 3-7: one object over five lines, each line refused
                b'{"action": "app.daily_open", "memberId": "\xff", "idempotencyKey": "k"}',  # 8
                b"",  # 9: blank
                line("grace", "k1").encode(),  # 10, without a final line break
            ]
        )
    )

    run = await plaudit_import(str(file))

    assert run.code == 0, run.stderr
    assert len(pretty) == 5
    assert run.summary == [
        "8 item(s): 2 accepted (2 new, 0 replayed), 6 refused (0 rejected at once, 6 invalid)",
        "10 line(s) = 8 item(s) + 0 header + 2 blank + 0 continuing a multi-line record",
    ]
    assert [entry.split(":")[0] for entry in run.refused_lines] == [
        f"line {n}" for n in (3, 4, 5, 6, 7, 8)
    ]
    assert run.refused_lines[-1] == "line 8: INVALID_INPUT: line is not valid UTF-8"
    assert await stored_keys() == {("ada", "k1"), ("grace", "k1")}
