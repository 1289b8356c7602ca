from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "action" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "points" INT NOT NULL,
    "limits" JSON NOT NULL,
    "cooldown_seconds" INT NOT NULL,
    "member_reportable" INT NOT NULL,
    "active" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* An admin-defined kind of interaction. Redefinitions are kept in the audit log. */;
CREATE TABLE IF NOT EXISTS "audit_record" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "actor" VARCHAR(128) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "target" VARCHAR(200) NOT NULL,
    "before" JSON,
    "after" JSON,
    "created_at" TIMESTAMP NOT NULL
) /* Who changed what, when, with the state before and after. Written by every admin mutation. */;
CREATE TABLE IF NOT EXISTS "member" (
    "id" VARCHAR(128) NOT NULL PRIMARY KEY,
    "display_name" VARCHAR(100) NOT NULL,
    "avatar_url" VARCHAR(2048),
    "joined_at" TIMESTAMP NOT NULL,
    "balance" BIGINT NOT NULL,
    "lifetime" BIGINT NOT NULL
) /* A member of the program; `id` is the subject of their token (the brand's own user id). */;
CREATE TABLE IF NOT EXISTS "interaction" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "action_key" VARCHAR(100) NOT NULL,
    "idempotency_key" VARCHAR(128) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\nAWARDED: AWARDED\nCAPPED: CAPPED\nREJECTED: REJECTED */,
    "reason" VARCHAR(64),
    "occurred_at" TIMESTAMP NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "processed_at" TIMESTAMP,
    "points_awarded" BIGINT NOT NULL,
    "properties" JSON,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_interaction_member__79f391" UNIQUE ("member_id", "idempotency_key")
) /* One recorded interaction. Unique per (member, idempotency key): a replay finds this row. */;
CREATE INDEX IF NOT EXISTS "idx_interaction_member__d63a85" ON "interaction" ("member_id", "action_key", "status", "occurred_at");
CREATE INDEX IF NOT EXISTS "idx_interaction_status_5f15a0" ON "interaction" ("status", "recorded_at");
CREATE TABLE IF NOT EXISTS "leaderboard_score" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "board" VARCHAR(100) NOT NULL,
    "period" VARCHAR(16) NOT NULL,
    "period_key" VARCHAR(32) NOT NULL,
    "score" BIGINT NOT NULL,
    "reached_at" TIMESTAMP NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_leaderboard_board_684823" UNIQUE ("board", "period", "period_key", "member_id")
) /* A member's score on one board in one period: the truth the Redis boards are rebuilt from. */;
CREATE TABLE IF NOT EXISTS "ledger_entry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount" BIGINT NOT NULL,
    "reason" VARCHAR(16) NOT NULL /* ACTION: ACTION\nCHALLENGE: CHALLENGE\nBADGE: BADGE\nREFERRAL: REFERRAL\nCONTENT: CONTENT\nREDEMPTION: REDEMPTION\nADJUSTMENT: ADJUSTMENT\nBONUS: BONUS\nEXPIRY: EXPIRY\nREVERSAL: REVERSAL */,
    "description" VARCHAR(500) NOT NULL,
    "balance_after" BIGINT NOT NULL,
    "source_key" VARCHAR(200) NOT NULL UNIQUE,
    "effective_at" TIMESTAMP NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT
) /* One line of the append-only points ledger. */;
CREATE INDEX IF NOT EXISTS "idx_ledger_entr_member__36e2e7" ON "ledger_entry" ("member_id", "id");
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXW1T27gW/iuafCnMUIaGl7J0Z2cCpN20kHRCWHq32TGKrSTa2HJWlksze/vf75Fkx+"
    "8hBkKDb2aYxJHOkeTnyNY5j4/MvzXHtYjt7TZMQV1WO0H/1hh2CBykanZQDU+nUbksEHhg"
    "K1EcyQw8weEnlA6x7REosohncjoN2q81GMKWQ9lriwwpIxaaUGYhd4goE4TrlnZRl6hqKn"
    "95CHOCJmQqQAaJMUHYt6hAtjvalX1argmdUjZaTfM+o//4xBDuiEAlh06+/gXF0Cz5Trzw"
    "53RiDCmxrQSEEzKTLagKQ8ymqvBsjPl7JSrHPjBM1/YdFhOfzsTYZXN5ODdZOiIMxi+IFY"
    "OW+bYd2CAs0qOFAsF9Mh+mFRXAiWPflgaS2noIUVnNMNqdnnHV7BlGLWO8UCMGeFBkAo5g"
    "eADZUwg4+LthEzYSY/j5Zm/vh+4oQkKLyR7/aHTPfm90t0BqW3bpgpX0tGoHVXVd90M1gg"
    "XWzSjoI6zVdwmwQ/mnQTssiOCOpv+z411fCu/6ArzrId4RvvGRZWDuke8iH+aU2vOhXaut"
    "COsF0PaaX3qyZcfz/rHjiG5dNr4osJ1ZUHPRaX8IxWMWOLvonKaAn7qq5wzmLVYAeaSQQh"
    "uKV4X23qom9kiO4HX9zcHbg+P9o4NjEFGjnJe8XWCPVruXAtOmDs0D8+NVp52PZqSRQtOi"
    "pkD/RTb1VoZq7dehz9SShQY+tQVl3q7s77efMLclQovndnoaS8hcT4y4akU1kJ7bpuvaln"
    "vHDI/ASKwyszxPdTPf0/PdIc6AcIOTqcu1u5ZB+BSAJJjlo5yrn4J5AA2sCud5yfNO9tNO"
    "5yIx2U9b6Tv19eVpE5wWNfNBiAqSbwHpcn4rC3uk9IxYhw7ii4Xa5ERCYmCRhfscagR1SM"
    "HNJKGZvtEHqrvhwUt0EOEErQ6zZ4GdFzkxrcvmVa9x+TlhlfNGrylr6gkvJizdOkqtAPNG"
    "0E2r9zuSP9GfnXYzvSjM5Xp/1uSYsC9cg7l3BrZiMUtYGqKWsLo/tR5o9aTmxurrYvUQo5"
    "jZ1ehlnD2cxKI/WTDA5uQOc8vI1Lh1t0g2W+XUnXQJZnikbCbBlcMMGRFJD3TB6+DJaD+n"
    "emchayIFYWmdS97LndyMXWSOMYNhobsxFjvwSRh8UjFWzIUnYHKiARm6nCDMLISHgvBddM"
    "OpEAS8yBki3wifaY4EOT7IS0IkQ6OstKdHMCrUyllJ6ajQS9Ty9/uFwY1mfQkV7Rf+Uq/v"
    "77+t7+0fHR8evH17eLw3dxCzVYs8xdPWB7l+Jq7ecEEt5lhgcrq8DMkyV6ggy/KmfrwMq1"
    "U/Lma1ZF3ShXGnEpBcjqUY5YRSBZE+OlgC6KODQpxlVRJmgTnce8pgHGlUEOCVEIZ6bShD"
    "tUQaj6JagvvyukD93JyKWojLwD5X2KD+CCZrE3tWLAopij3XJAppRc8zazlRSLx6YRRCU4"
    "L3BiEdRpAOWiA2SDxVvVYTDoE3grY0cbiDqEWcqQsRgTlDEzLbPkEYtKc2nqEhzEcPggnq"
    "Ie7eZWOQVXXUZ312q5syQPIWQTlzBcjL5YeOmNQHdRbvFAG+MC5Z6rMJzAeGggrQ9gS1bf"
    "gEdavPtrrNj82zXvN8B123P7U7N22jcdZrddrbO8hzVfRkYtuGwXuEeCq8QmMwEJGPq4WL"
    "qCiKkr4GfKysjp2vPIvaX6kQKi4bnayi0CAU89UkcE3T51zfe0D9a6wqBF5VbcKxdQ3HYm"
    "YtEZPFtCrozT5hukF8picvtxKA56hWEfVVhMPR/SgLdpP5jgK8BaPCzCQZ4CPtdca79rnZ"
    "Pm+1P5yg4KDPGjeN7nnz/AQFB3121vj8WRbo7z4Ll5gTFB6ll8+lbHa0jMnS/lXMYkdpg4"
    "Gr55UjLyKNBxlpzcKOVRMX8RW7ZJyRUq1goPFCAoucxxvZp1px/6ukoVOqFTR0xSLKRLYX"
    "d03ieQ8yfFr3CSy/ZrfXF2Lopa5wnaZnYEkFkJJxVFa3MqlPzxJTJa63KeGCklJJgUmtDW"
    "/6cN40SDDLIxKKfcaE0jr79j87lspwlWngs6i/1xzYJzLLBFcppAOm8XLe0AvD/Ec4rcLS"
    "6Grk+G7OdiVnG5w/nDXRKWhdWAS6rTO4p/wcDvgC3CDCBy40dGXKR2c5RHBGZmcRG2xH0o"
    "Y3F79/Uw/SIL3ykNJCLoM/glRDcluN/AF3TOpaJ4oABZyDRJIusainBfVOHE5UrjMactfJ"
    "2d+zqp4UKwx+pTlW/pNihWXOi1LVfaKgWlPJqvt3iAo0gPKJh+RygLYI5jaVsphB2ZiOxo"
    "RvFxO6ajjq4lJjjo5Cqii4TtP07oaSXUtKdm7OZZeyyP4VXMZWQcRG18myEMeurApi/OQU"
    "XvL2Uw7kCvPb+/UlgN6vFwItq1LktpmbH7PoZj1X2YR7Dwv3ogW+PKsW16wgqVYlbmUTVW"
    "6iyk1U+eCo0hoR3mSCz2q5AWVUvbM4lpSCBplLLpVaZFP4cIf6RQwyKcZ67TJ7hjTliXSj"
    "+clCy6mqQM9zfW4Snf4jzy9IwzGx76n4jiA1bAjndke76DaWCHRyUL/dlmGfh/SUY8TzdL"
    "AIDTh4Qrw+C7Y+3KmYNHz8L6AhMhwStbcvE2KqrqM8oK1k+tEraDR8gNcQ23I7BjXHyCIm"
    "NO+FOUVwxpgH0a8XOwvT9SUAwpUDWnILRjLXaJMDtKYBJ3akbctZINJ5PjeyIoZYLtPh/t"
    "SUR2Y9PFdqis5bPEH6u8/ADbi4aLY/NE/Q/LDPThvnskR9ydSU981ut3EhU1P0Eeh12r1m"
    "uwda+kBKnTfBxVOtR8d91jj/eH3Vu1TC0TH00WlfX0Ef8qvPml8+t7r/OUH6W7b2R7N7pf"
    "vUR+kF4ufE0gtfmlLsiVbvpSlJoA+XIoYOFxBDhzn7TbAtLzWjYP/DohtiRnVzX3zwfTHy"
    "rMrM+KRW5d6AtZINVnFfsiybkdbd8BlrzWdsdhcVX2jVzQXbsFgbFmvDYj2QxQqgzyGwIq"
    "MUc1exvVNLJz+E1NOUuyOOnXfollqK41Hvy/AHf8OKG8hQjoQ7IQxtyboBx8x65SG5qcz3"
    "oCFqbRdnPjxtN4oNC/zfW/Uij1ubDtVicJt4MaonyDR6/Yfm0qDcoxYJ8iww84ItcUJSYX"
    "ecCsWFYXOseah3cVW4dGZ6zDpfWR7OkIkZGugiZ+rD5RKlgTzxW0MW7deppA/6hBt0iuko"
    "i3pyy6VR9m2sab0qLlyryIbA38AS3PC5XQbtpFb19t3U9w6WmetSbEHAdZDZjva3K18p/Q"
    "AvPKG4ccJfkhMerI0PIpSel0qqVqZG6IWUAz6utUF+eeRLvNQi5lZFzydzdk+cBtrvP3WJ"
    "XfR6qvy3Vbywu19RsJTN9nokTHm53FXESocIj8UqkaZQFZhWGTI3CKfmuJb3Tktds7PwdZ"
    "aRzH0hczEMTxzk/b8kITzyfeHF8dw3wr2SDy9jKhWM4uqHh8tEFoeHxYGFrEtFcXBRlUA4"
    "EK8guiuJkaFHmX2VRbh4f2dM5fn/68PPeSb2ZLs7S7iST7+Y/fgfAYszBA=="
)
