from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "badge" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "image_url" VARCHAR(2048),
    "secret" BOOL NOT NULL,
    "goals" JSONB NOT NULL,
    "reward_points" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "badge" IS 'An admin-defined badge. `goals` is a list of {metric, action, target} (see';
        CREATE TABLE IF NOT EXISTS "challenge" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ NOT NULL,
    "ends_at" TIMESTAMPTZ NOT NULL,
    "goals" JSONB NOT NULL,
    "reward_points" INT NOT NULL,
    "reward_badge_key" VARCHAR(100),
    "requires_enrollment" BOOL NOT NULL,
    "max_participants" INT,
    "archived" BOOL NOT NULL,
    "participants" INT NOT NULL,
    "completions" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_challenge_starts__6466fb" ON "challenge" ("starts_at");
CREATE INDEX IF NOT EXISTS "idx_challenge_ends_at_12f79a" ON "challenge" ("ends_at");
COMMENT ON TABLE "challenge" IS 'A time-boxed challenge over [starts_at, ends_at). `participants` and `completions` are';
        CREATE TABLE IF NOT EXISTS "program_version" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" BIGINT NOT NULL
);
COMMENT ON TABLE "program_version" IS 'One row whose `version` moves with every change to a badge or challenge definition.';
        CREATE TABLE IF NOT EXISTS "activity_day" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "action_key" VARCHAR(100) NOT NULL,
    "day" VARCHAR(10) NOT NULL,
    "count" INT NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_activity_da_member__226f6b" UNIQUE ("member_id", "action_key", "day")
);
COMMENT ON TABLE "activity_day" IS 'How many awarded interactions a member had on one calendar day (program time zone), per';
        CREATE TABLE IF NOT EXISTS "activity_stats" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "action_key" VARCHAR(100) NOT NULL,
    "interactions" BIGINT NOT NULL,
    "active_days" INT NOT NULL,
    "streak_run" INT NOT NULL,
    "streak_longest" INT NOT NULL,
    "last_active_on" VARCHAR(10),
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_activity_st_member__c93120" UNIQUE ("member_id", "action_key")
);
COMMENT ON TABLE "activity_stats" IS 'A member''s running totals per action (and for any action, `action_key` \"\"): what badge';
        CREATE TABLE IF NOT EXISTS "challenge_participant" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "enrolled_at" TIMESTAMPTZ,
    "progress" JSONB NOT NULL,
    "score" INT NOT NULL,
    "completed_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "challenge_id" VARCHAR(100) NOT NULL REFERENCES "challenge" ("key") ON DELETE RESTRICT,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_challenge_p_challen_04989e" UNIQUE ("challenge_id", "member_id")
);
CREATE INDEX IF NOT EXISTS "idx_challenge_p_member__dbc875" ON "challenge_participant" ("member_id", "challenge_id");
COMMENT ON TABLE "challenge_participant" IS 'A member''s place in a challenge: enrolment, progress per goal (see';
        CREATE TABLE IF NOT EXISTS "member_badge" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "earned_at" TIMESTAMPTZ NOT NULL,
    "source" VARCHAR(200) NOT NULL,
    "badge_id" VARCHAR(100) NOT NULL REFERENCES "badge" ("key") ON DELETE RESTRICT,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_member_badg_member__271494" UNIQUE ("member_id", "badge_id")
);
COMMENT ON TABLE "member_badge" IS 'A badge a member earned; (member, badge) is unique, so a badge is earned once.';
        CREATE TABLE IF NOT EXISTS "member_event" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(32) NOT NULL,
    "occurred_at" TIMESTAMPTZ NOT NULL,
    "message" VARCHAR(500) NOT NULL,
    "points" BIGINT,
    "subject" VARCHAR(200),
    "published" BOOL NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_member_even_member__a593a0" ON "member_event" ("member_id", "id");
CREATE INDEX IF NOT EXISTS "idx_member_even_publish_d8a1a2" ON "member_event" ("published", "id");
COMMENT ON TABLE "member_event" IS 'Something that happened to a member, stored in the transaction that caused it and';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "challenge_participant";
        DROP TABLE IF EXISTS "program_version";
        DROP TABLE IF EXISTS "challenge";
        DROP TABLE IF EXISTS "badge";
        DROP TABLE IF EXISTS "member_event";
        DROP TABLE IF EXISTS "member_badge";
        DROP TABLE IF EXISTS "activity_day";
        DROP TABLE IF EXISTS "activity_stats";"""


MODELS_STATE = (
    "eJztXWtz4jjW/isqvnRSRVM96eub3toqktA9mUlDF6GnZ3eYAmEL0MaWGMuE5p3t/766+H"
    "4hNsEE3PoSHFlHsh/J0jmPjo7+btjURBZrtQ0XU9I4B383CLQRv0jcaYIGXCzCdJHgwokl"
    "s8Iwz4S5Dv+Xp06hxRBPMhEzHLzwym+0CYCmjclzE00xQSa4w8QEdAowcZGjSmqBPpK3sf"
    "iPAeggcIcWLs8D3DkCcGliF1h01hJ1mtTglWIyq6b4JcF/LdHIpTPEbzq8kj/+5Mm8WPQN"
    "Mf/fxd1oipFlxiC8Q2tRgrwxctcLmXg5h84HmVU8+2RkUGtpk0j2xdqdUxLk5+8mUmeI8O"
    "d3kRmBliwty2sDP0k9LU9wnSUKHtMME/iLw6UlGkhIq0cI0xqjUbc3GN12BqNRI9V4vkQE"
    "cC/J4DjyhucgM4mADb+NLERm7pz/+9OLF99VRSESKpuo8bd2//Lndv+E5zoVVVLeSqpbdb"
    "1bZ+red1kIdKEqRkIfYi1/S4Dt598N2n5CCHfY/feO91khvM824H3m4x3iG32yFMwD9M3N"
    "hjkhtj+0G42KsN4A7aDz+0CUbDP2lxVF9ORT+3cJtr327tz0uh/97JEWuLzpXSSAX1BZcw"
    "rza5IDeSiQQJsnV4X2i6o69kw8wfOzn169ffXu5ZtX73gW+ZRBytsN7XHdHSTAtLCNs8D8"
    "5bbXzUYzlEigaWLDBf8FFmaVodr4x3RJ5JQFJktsuZiwlqjvn0/QtwVCm/t2shsLyChzZ4"
    "4sRRaQ7NvMmCNzaWUM3PkNEpV5VJN4E+KhjOH7xt6g1DLpiowY4k9ilhlhskT1WJMca2xk"
    "T5AzctCCOkpVTiF8wYFEkGSjnCmfgHnCC6gK5yBlv539ote7iXX2i+vkLPnl00WHK4yy5/"
    "NM2EXZLSDU/fuysIdCe8TaV86PFmrDQQKSEXTTcF/xOy62Uc5gEpNMjuieaMu/OEblnL+g"
    "2SPW2mvnTQrk9afO7aD96XOsVa7ag464cxbTIP3UkzeJGSAoBHy9HvwMxL/g371uJzkpBP"
    "kG/26IZ4JLl44IXY2gGbEX/VQftVirLxfmlq0el9Stfiit7mMUaXb59ILjmN5FLG+RMIHG"
    "3Qo65ih1h57RvLzpW/aZnUyBBM5kmwlwxWNG2Kh77K6v4LqRQ1b5t5sPMVYi48j0cj7IW/"
    "1MV4A/1hpA8RbIjBJKDECgZmswhybg6jolCBiQW+QmdACvA5wsHDpzoA1Edwb/z++fNsEC"
    "OSkCq6J6hkQVASAxwZQ6QFahkk7G6mJ0h9ZjMGwMG6ctMJgjMMUOc6MPIIg0KOvhpghyXC"
    "b5MoeumkOymmNjDjADc/4GEBC0AmoqVfkZcLiyOCOYIbMpmDb+DHTpihIpf08nj2v7w9OD"
    "ZCsFjylh4033Z1EqDpsZagCe5aq4Kv/DSq03Sh4uE6eU2v87O3v58u3Zi5dv3r1+9fbt63"
    "cvAu02fWuTmntx/VFM/rGhx9cG8sm5eMMVpejiUjUk6nZIjEaIOlgKZC97LdEtBO4GbJPQ"
    "GnRJMjSdDXayl18bxznGcdawnN9XY0J17LFn74p02bN3+X1W3Pue1taSwKdR/0AdhGfkV7"
    "SW2F/zx4TEyLKDPV3rU1DQkWH+3e9Wfmo4JTtwFegO8d7G35+/NVLmb59r0P3rS96nn1YL"
    "vnWh141y9GCVoZgmzIK8D6/helroM67ULQnhYAOXujyv0DQDrTKtaTZBWtM8B6s5dMEEmj"
    "OUXs2tqKIhmVFRipDktSF4J9RTyBVTRoHUoBFjXIW957UwA3LFe46ZS511C3xRhqu/VsyR"
    "Isx7EJeXz/Vs0b5KMY5ozk2w5L3dkcnBO1nUuCup92qFVyu8xzTY7kHhjRrIJft8QrI2at"
    "peen+SZxdcSplVpIRUbcDfmY6sZqYRn/lKoBoX0qDmgGpRMkOsjDGXFtTgptwrIHNH3ned"
    "5SeUP/WlJbea/g5sTb9qQkJb0dqK1lb0tla0cPPtI4M6ccsp43ZzowUtMo6cMOeD9vPXOQ"
    "XGHPKJxJRGaZP/RdxEXGF3Li1EYYsjMEHcqkXSSIVTrqm2wFcHuy4iYLIGwjZdK19nYC95"
    "fuHYnDKgK63pEZ7R2jp9YuuUZgxeGw1TJaCni/zpIjox04UAJNNXOh/lmFANkX7zqgDQb1"
    "7l4ixuxWF2ocPHnjIYhxI1BLgSx381N6QxzvfQDSW0f+72/rlyIi4DeyCgUX+EV7T2Y6yZ"
    "R1ueH+OBeLRdyIWvDPvjwl8Ry7c8gkWzLbZdStkWGMuFsLHwz4JyiBAOWX/biHcFoxmspq"
    "lZ8zs4YShjkW5nRQ/JeAZtPMWGMjJkAa2P/O/49D0Ym9TmnbEV2brJC1fGhrBlbLkIiO6h"
    "tdyJjaJ3b+rdm3VR4vTuzSfavYltPuyPlo5VpnfHhOrHg5+9eFXE5BbZNvTxVymjmyGug2"
    "XobRu3+4RCemtVif0+cmouY50EAnob7c6NFgdJPbT0TvGUnF7R1PvaflR7UO9rq3Or72Bf"
    "W9g9EHR4m2U5m3mCH37tIyuPyo+t/AZW/pF1g7zl3+9VciVcY7aEFpnJl4Q3m5s4EyOWrY"
    "Crs/hOn08oxxgEsoAKz+A/mAsdl43Esioiprg4bYHxgidiAy8gh2os11THBrUXFvIoC+hk"
    "OTpXUc2QyB0ovKsCmxdlitVcEbBBkifQAmqwYmJR2Nu7J12kEZlSx0AMjIXaHqtHcyqaUz"
    "mK8UlzKvXlVILxsKxyFhPcj262zzHmeFWxtAbuTXRlWzgiptv3kNtX80eaP/oR+CMPIrkk"
    "WnY7WJZs/VYDKtkT5qC/lpj3+BEiDrUsG2Xt29+4LpBTgl4kKLFIkDQfSwwtWaJbjS6H1v"
    "d3PL5Ax5hjbtqX7N1RMd2lS3TpLbvzTrpyrSfKCHdVAteElIZVr1/VfSVDr1/9iK2+0/Wr"
    "yGw0cujqkQtZwcLL57DYI+wYT7uiFcVu0+JWAuMC61xRNbromlcQoWZhQUPEsQEwXJU6B9"
    "IkEhZRMwyWIwLyCI4mx0f40UXm+waLIEdofNpU+xmXti2W0Dgw/IcZ/rbGUFHID7gTWxr0"
    "dvgm4+1Ew/KE+f/UGx0PcqOjst23mggTojuYCQ/MEj3eiS+t7/hDRhlCOSqjOeWdc8py6C"
    "1hyQX5tQ2XYxpvZ8UlZPU4dsjjmLbW8z+q47TbiljroapeLpBPUq6GjjuVLA7pqElPFDUp"
    "ZmDFgS8dOCnm7nlkyBeNnZT8wHPCJ6X79g7w1YGpniww1XUYlrSRwQVFbzc3UUA4kfFB4q"
    "dHEFBxrOLnjrTAF9m4kpE5UcA1ATaRvaAuIsYa3KH16TmAXHphwTWY8rYXe7LFqR90lQ5L"
    "VVVFQzIkscjPPJ1Ql+efqv4v5Lk4iR1qwvEVkaV56pLc8Uma+JGluTRzsWUBEfsZmUNy0u"
    "/80rkcdK6a4Ev3127va3fUvhxc97qnMnK0IKAM8ck6gCHkeVPPBRUltsW7FGC3SLjnyPtm"
    "xnzOPxJFRPNayk5ADWPpOEoh5OJ/RG75wMtbmrg6SOJKx4/eY/zoxOdWAvAM0TqiXkWEtH"
    "A8SoPdIUs7paYkPbk96UPGu/G507267n48B97FkLS/tvtXnatz4F0MyWX782eRoH6HxJ9i"
    "zoF/lZw+C7XZmyJNljR6Iy32Ju1SB1m5eHahRP28Fncfyy46Y6dA3kz+JERryP4cCdtTiO"
    "SL6l8lGzohWsOGrjHNt3CogRjbquGTsprGP+QvXG2IGHkneJazo9KytVkQ2/OpJPybWSDH"
    "xajssnBESofS3H4FWNPsT0Szaw74+DngG64GIWdCeUG30jMigwhO5WluYoOtMPcocLYo5Q"
    "yovOm8U6dlQfIcZyLpWkzNc+9EvKV3tkAfmZipjEyEowAOkr4uYOpQO00KV1aTZIW5XmnM"
    "pf40VoEuEIkcxge824pKltW/B9gFE3U2oJgOwAmCjoVFXkjuxImAszlyTvMJXfk48uOSzx"
    "xe+VRRjouhpmQPkpINmrPoVBa2fw2nsSqI2PA7KQpx5MuqIcY7p/Diw085kGvMb788KwD0"
    "y7NcoMWtQs6Pmwbr+vk/7tncCyf48qxaVLKGpFqduBVtVWqrUluVW1uV5gw5HeI660amQR"
    "nebm62JUXGEQpyFnItsjD/Q6fS7JJOMeZzSqw1UJQnUIVmOwsVE5WGHqNLx0DK/Ue8n+eG"
    "Y8Alk/YdAvKxuTnXmrXAOOIIdP7qTJwzgXmBqssRsQvNj4powzvEhsQ7DW8lbVJ/+d/lBa"
    "HpFKnzS5Mmpqw69AM6ibsfPeOF+gt4bffUD8ZoIoMXz3yfIv7G0PGsXxZ5CxngkSdQ8UAF"
    "ozPGfY20D9CBGpzQFm1brgVCmf2pkTVpiGKeDg+7pjzS62FfrinKb/EcqN8h4WrAzU2n+7"
    "FzDoLLIbloX4kU+SNcUz50+v32jXBNUVdcrtcddLoDLqUuRK6rDlfxZOnh9ZC0r375cjv4"
    "JDOH17yOXvfLLa9D/AxJ5/fP1/1/nQP1K0r7rdO/VXWqq+QE8TS29Mbon/maaP2if8aBfl"
    "2IGHq9gRh6nXEEIbTEpzbKORJv04CYEtXj4tbjYqhZlenxcanahXKuJLRwVJcsy2YkZTWf"
    "cdB8ht7ymf+h1dcXTLNYmsXSLNaWLJYHfQaBFTZKPncV2TtV2PnBp55kzBBovwdjbEqOR4"
    "UcmvyHz7heHuwAl94hAk7EvYkDifmMAbGpbMl4Qdg8zfd82G01kg3z9F/vgBALT+VkIE8H"
    "AXdo4Qq/CuaiBVhhz5dCcWk8nWETeX4WkDBvS5wrqLCVg13JhUFjrnio91FR/ums1TMrf2"
    "VxuQYGJGCikuzFkn8uoRvIIw4UKTeC7nLoPCAddIcbdPLpKBMzseVyVPZYkaRcHSeuKrwh"
    "4D1vCafs0aFxqfrtu6nq7ND/UHF09RZaeExQK+HHpIR7c+NWhNJ+qaR6eWr4Wkg54KNSGv"
    "ntkHcx1+hL8ndRmfrNJ5VM3RIyhjPHls2zSVxS7/I6ZOZOtpWDXP5yoyVxcYaeVqCxkwXs"
    "pc31qVXFmzxFJuWTHvH4HffYXY9MbgpnzHMlwmu3vaKu4PoI1cc8tilu6vhoibAOO4Lr1i"
    "+qjoAFgcF06PbCmEVcrh6JWiIAVx3Bkt7oj4Qpa3taHbFSrOdjsYp5XtYRJnmMnT4z/SGY"
    "0D3KPFqqPEyde1Tf0dxBwvd2B4N5PyioTlBVv/ymPsLcNbjgG31oIU4db1l0OU5mBtBfL0"
    "PQIch8H4aKlPdPxZKZaiIZlhF6YjxVCQDKDeysZbhdF/9AoEf16nr/7wFxZRvOEpFtu41D"
    "VlSwhisEx27gp10cy9CjoUQNFzYrcW5U5xmXW7iPytQQZx3m/uhcJbSP2Z58zFJDxw6ArZ"
    "sFmcQ1OlweoOueskxzbYfAcH3QdkBBzgdth1tqcx1cxHl3k1HZfX2/6cV5Fz5xmX5v3h5S"
    "7ApvupT5sPMahmSxnFiYzVUhKsiR3MgijjO0sfsejIMcY/XiwIbOnXK+o8TbPspWCC28SP"
    "Z0hdiW20RFFPmgOj9RGysHaazcYVJq2vfz13DG3310Fx2p+QexBm3EGMxSODbpz4FIDb+l"
    "SnZ3qhgO5WaLUGYrV7AD84p5ou2cakNBKbIjFKmfK1glZEdMYUr0b0otBElOB4/KJbCecM"
    "GqhpIgZb9Tw0WvdxObFS6uE/23++XTRYdb5hJ8ngm7Od1a0x6a9jhw8/xwt9Z9VjvPfkMO"
    "yzl9LpGjuclK9/axje4jmYsdQkdXYDWn3Jwde7JjYNN7EctJbFNTMZiMOSQzpMxrtQJHHR"
    "B4RgHeuphgeapcylSvoA6x264j9sN5RzVwU96YewZ4mI2Bk7FJbd43WpHE8ancnid2WjAg"
    "41r5J9qJmsWRdEOymks7XUanMuhiLZYbpS1BXBUNebK0Fx4vwMLdfOoFvHVKR3rkABnDCt"
    "whtGAADoksjVrijstzq2hX2JUb9hjKXch8zKrlj8ICPPII8Hz7PvJFFVeaI0J6A0VxnbmE"
    "A3CVQ3PEUSVjWI67seQPyU48X5nw76Go2IMsRhPxUu8zz+kUG0bSfhIOWsiQFanxuJJahs"
    "RBPJW5PMVdOkSNxVPsyJSgFjHyMhFRUB4VKvlbm2ssuz6o02dQ1ftIXTcS/l1TqAdHoRqU"
    "ZdjGueD72esUX+qR09cPdtjjZe/T55uOPLkxuBTHO3YvOzc36oRH7zI5/hWy4HYewU6fe/"
    "oU557qeE/56Nd3q7khBjZuNG7V7glZvSv0kNeMVGuNyp+WmxKsH8NeyfKR5nv3NXUp06Uk"
    "0jGhOiK9K9dNzaw/gUNhaI0/Etl+UFBNkY19xwe1ZuFBn0mK+Y2yiRAL8jxMhhGAXWT7Yf"
    "oM6EKLikMkmEuNu7F8MGAjSAQjZWGbZzblMYKS01eLC2FcvTQLttPiBf0VkFwRR8MmF1Zc"
    "P/LItWdqqcHilTyW7C9pR9Y1KPQO/fnzCaqygfhqHICvEteNjRH+B+hbDhFYvwj/m8yzzu"
    "+DmGWWOjg6sM5uet2PfvbkadIJikQzrztkXvmoXgLMIH+N/Op2BuaCq5aehimn3xK4Zolq"
    "iLPO3vlriYWDtAiOVc7OTAjWjz6pJsysPCsiY6Fxk3diKLRH10RfnTtaz0RN/ed39PpS/8"
    "uFuWWrxyV1qx9Kq2esAwRBV0pHCtSBbBobWKhKA9kMcPYpEgP80BkSvo5RiDKCpo3Jc+nu"
    "iUxgoXtkJQ56aIGudMlUnJp5DqBjzPkEa0qPJqU2smdgjsXu0TWYU/52GeFrKqtK+LZ+EQ"
    "FKAQTi1X33Uv65iAzgBUDfuABr+gUAhl1/j+tkiS33Of9nAhmS4kNyMp5BG0+xIft0SySy"
    "1kX7tjMaXHf64+AQ1DkUTlmCndLE1KGpkJqYeiqVPfjwStifMRnNlGTtG+JPhxdWptn5wa"
    "IwB9i4WALZqZCrCtufWlX5Vm/A7ar35eKmAz73O5fXt9e9blzxkjfjZlC/075JBgDiYExx"
    "1pbPX2573WyYozJJTRgbLvgvsDCrDOrGP6ZLosI0yOkME9YS9f3zCShXgdFmyjXJria0W1"
    "FAknL1tYCyPEBETG9S1FTAD2wUairgR2z1HVABVVq4beRwM6qRYeN6d5qbrFwY5nnIzs1v"
    "Z71z8Eh2DubbZ/n7Butgop29fl3Ed+D163zfAXEvoU/xj6oEwl72GqJbiQHMa3S9wG9F7Y"
    "eIyP7Nh6dxnd+ZofCkk9n3/wGWEaaf"
)
