from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "reward" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "cost" INT NOT NULL,
    "stock" INT,
    "per_member_limit" INT,
    "required_tier" VARCHAR(100),
    "active" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* An item of the catalog. `stock` null means unlimited; it only moves inside the */;
        CREATE TABLE IF NOT EXISTS "tier" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "threshold" INT NOT NULL,
    "multiplier" REAL NOT NULL,
    "benefits" JSON NOT NULL,
    "archived" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* An admin-defined level of the program. Never deleted: archived, so members' history holds. */;
        CREATE TABLE IF NOT EXISTS "redemption" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "cost" INT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* COMPLETED: COMPLETED\nCANCELLED: CANCELLED */,
    "idempotency_key" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "cancelled_at" TIMESTAMP,
    "cancel_reason" VARCHAR(500),
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    "reward_id" VARCHAR(100) NOT NULL REFERENCES "reward" ("key") ON DELETE RESTRICT,
    CONSTRAINT "uid_redemption_member__9a13b7" UNIQUE ("member_id", "idempotency_key")
) /* A member's redemption of a reward; (member, idempotency_key) is unique, so a repeated */;
CREATE INDEX IF NOT EXISTS "idx_redemption_member__b02314" ON "redemption" ("member_id", "id");
CREATE INDEX IF NOT EXISTS "idx_redemption_reward__9f8573" ON "redemption" ("reward_id", "member_id");
        ALTER TABLE "action" ADD "schedule" JSON;
        ALTER TABLE "member" ADD "tier_key" VARCHAR(100);
        ALTER TABLE "member" ADD "tier_retain_until" TIMESTAMP;
        ALTER TABLE "member" ADD "tier_since" TIMESTAMP;
        CREATE INDEX "idx_member_tier_re_de2508" ON "member" ("tier_retain_until");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_member_tier_re_de2508";
        ALTER TABLE "action" DROP COLUMN "schedule";
        ALTER TABLE "member" DROP COLUMN "tier_key";
        ALTER TABLE "member" DROP COLUMN "tier_retain_until";
        ALTER TABLE "member" DROP COLUMN "tier_since";
        DROP TABLE IF EXISTS "redemption";
        DROP TABLE IF EXISTS "tier";
        DROP TABLE IF EXISTS "reward";"""


MODELS_STATE = (
    "eJztXW1T27gW/iuafCnMUIamQHvpzs4EcLvpQsKEsO3dZccotpJoceSsZZdm9va/3yPJ7y"
    "8hDkkIXs8wxJF0JPk5snTOkyP5n8bENonF91uGS23WOEH/NBieELhI5eyhBp5Oo3SR4OKB"
    "JYviqMyAuw58hdQhtjiBJJNww6FTv/5GiyFsTih7bZIhZcRE95SZyB4iylziqJr2UY/IbC"
    "q+cYQdgu7J1IUyyB0ThD2TusiyR/uiTdM2oFHKRuup3mP0b4/orj0ikOlAI3/8CclQLflO"
    "ePB1eq8PKbHMBIT3ZCZqkBm6O5vKxLMxdj7KoqLvA92wLW/CYsWnM3dss7A83JtIHREG/X"
    "eJGYOWeZbl6yBIUr2FBNfxSNhNM0qAG8eeJRQkpFUXorSGrne6ff1a6+t6I6O8QCIGuJ9k"
    "AI6geACZSwQm+LtuETZyx/D1zcHBD9VQhIQqJlr8rdU7+6XV24FSu6JJG7SkhlXHz2qqvB"
    "+yEuxiVY2EPsJafpYAOyi/GrSDhAjuaPhvHO/mQng35+DdDPCO8I33LANzn3x382FOiW0O"
    "7UZjTVjPgbavfe2Lmiec/23FEd25bH2VYE9mfs5Ft/MpKB7TwNlF9zQF/NSWLWcwb7MCyC"
    "OBFNqQvC60D9Y1sEeiB6+bbw7fHb5/e3z4HorIXoYp7+boo93pp8C06ITmgfn5utvJRzOS"
    "SKFpUsNF/0MW5WtDtfHT0GNyyUIDj1ouZXxftPfzM4xtgdD8sZ0exgIym7sjR9YiK0iPbW"
    "6MielZORN3sULiMk9Sib8gbsscvmnsDdu2TPuB6ZxAT8wyM0yeaD3XpOeaCZkMiKM7ZGo7"
    "ylTOIHwKQBLM8lHOlU/BPIAK1oVzmLLZwX7a7V4kBvtpO71K3lyeamAwypEPhahL8jUgzP"
    "1vZWGPhDaIdWCcv1ioDYcISHTsZuE+hxyXTkjBZJKQTM/ovuh+cPESjXO4QbPLrJmv53kG"
    "ZPtSu+63Lq8SWjlv9TWR00xYkEHqznFqBQgrQV/a/V+Q+Ip+73a09KIQluv/3hB9wp5r68"
    "x+0LEZ8xeD1AC1hNa9qbmk1pOStda3ResBRjG1y94LjmN4H/O8RcIAG/cP2DH1TI7dtIvK"
    "ZrMmzUk6BTM8kjoT4IpuBmyUoGZ6YHU4SaYlJ3tvLmMlCsLSGpZ8lLf6MraRMcYMuoUext"
    "jdg/+EwX/qjiVrxF0YnGhAhrZDEGYmwkOXOPvoi0Ndl4AFP0PkG3Fmip9CEw/KCzIqQ2Gt"
    "taUnsFnUzFlJ6ajQSlTlH7cL/Ylme8ksZRf+p9l8+/Zd8+Dt8fujw3fvjt4fhAZiNmuepX"
    "ja/iTWz8TTGyyoxfwWDE7bKUNwhQIVZLjeNN8vwig23xcziiIvacLYUwFILr9VjHJCqIJI"
    "Hx8uAPTxYSHOIisJs4sdmHvKYBxJVBDgtZC1am0ow6pEEjWnsjynIhfiMrCHAjXqT2Cyat"
    "+zYl5Ike+5JV5IO/otuZHjhcSz53ohNFXwUSekywhSTgv4BolftG/kgENgjaAdRRzuIWqS"
    "ydQGj8CYoXsy2z1BGKSnFp6hIYxHDs4E5cixH7I+yLoaumW37E5VpUPJOwTpzHahvFh+6I"
    "gJeRBn8UYR4Av9Eqkeu4fxwJCfAdLcpZYF/0HcvGU7Pe2zdtbXzvfQTefXTvdLR2+d9dvd"
    "zu4e4rb0ngxsWdB5TgiX7hUag4KICBVwbUTdIi/pD5+PFdmx+xV30fgz5ULFy0Y3Kyk0cM"
    "U8OQhsw/AcR809IP5HLCsAXmbV7ti2umMxtZbwyWJSFbRmVxjqER/pycetBOA5olVEfR3u"
    "cDQfZcHWmDeRgLehV5gZJAN8JL3NeDeutM55u/PpBPkXt6z1pdU7185PkH9xy85aV1ciQX"
    "3esmCJOUHBVXr5XEhnx4uoLG1fxTR2nFYYmHq8HHkRSSylpC1zO9ZNXMRX7JJ+Rkq0go7G"
    "C3Escn7eyP6qFbe/Sio6JVpBRVfMo0xE2jm2QThfSvFp2RVofsum1xei6IWecBUiqWNBBZ"
    "CSflRWtjKhTxvxqRLP25Q4LiWlAjKTUjVvujxv6geY5REJxTZjQmibbfvn9qUyXGUa+Czq"
    "HxUH9iuZZZyrFNI+03gZVvTCMP8RDKsgNXoaHfwQsl3J0Qb3D3dNVAhaDxaBXvsM5pTn4Y"
    "AvwAwizsCGiq4N8dNZDhGcKbM3jw22otI6D4s/vqEKKZBecSSlkM3gjyBZkdjSJL7AjElt"
    "80QSoICzH0jSIyblqqDaBeUQGWeOho49ydlbta6WJCsMdqWI7Ab7SbLCIuZFiqo2kZ+tqG"
    "TZ/AdEXTSA9HuOxHKAdgh2LCrKYgZpYzoaE2e3mNCV3ZEPl+xzdBVQRf5zmqZ3a0p2KynZ"
    "UJ2LLmWR/iu4jK2DiI2ek0Uhjj1ZFcR45RRecvopB3KF+e23zQWAftssBFpkpTce5cbHzJ"
    "usQ5Ha3VvO3YsW+PKsWlyygqRalbiV2qusvcraq1zaqzRHxNGY68wauQ5llL0335cUBXUS"
    "llwotMii8M8eqkMwRFCM+dpm1gwpyhOpSvODhRYTlY4etz3HICr8R9yfH4ZjYI9L/44g2W"
    "1w5/ZH++guFgh0cti82xVuH0dqyDHCuXIWoYIJvif8lvlbHx6kTxr8/O9CRWQ4JHJvX8bF"
    "lE1HcUA7yfCjV1Bp8ANey90V2zGoMUYmMaB6HsQUwR1jx/d+eewuDNsTALi26NCCWzCSsU"
    "Z1DNCWOpx4InRbTgORzObMyIooYrFIh8dDU54Y9bCp0BQVt3iC1OctAzPg4kLrfNJOUHh5"
    "y05b5yJFfojQlI9ar9e6EKEp6grkup2+1umDlLoQpc41MPFk7dH1LWudf7657l/KwtE1tN"
    "Ht3FxDG+Ljlmlfr9q9/54g9Slq+03rXas21VV6gXgeX3rugTXFlmj1DqxJAn20EDF0NIcY"
    "OsrZb4It8ajpBfsf5k2IGdF6Xlx6XowsqzIjPilVudPH1rLBKm5LlmUz0rI1n7HVfEa9u6"
    "j4QatuLFjNYtUsVs1iLcli+dDnEFiRUoq5q9jeqYWDHwLqaerYIwdPPqA7akqOR56X4Q3+"
    "ghXXL0Md5Nr3hKEdkTdwMDNfcSQ2lXkcKqLmbnHkw2qbkWyYb//eyYM87iw6lIvBXeJQWu"
    "6SaXT8h+LSIJ1Tk/hxFphxf0ucK6iwB4e6kgvDxljxUB/iovDozFSfVbyyuJwhAzM0UEmT"
    "qQePSxQGsuJTQ+bt16mkDbrCDTrFdJRJudhyqZc9CTctV8WFax3REPgbaMLRPccqg3ZSqn"
    "r7bpoHh4uMdVFsjsN1mNmO9pctjvNewgpPCNZG+Esywv21cSlCabNUUrUiNQIrpBzwcaka"
    "+eWQdylY9CX5u7hM9daTtSzdEjJOc+eW+atJUrLe5bXNzJ3UlUNcuDndYy7NsdMWUHa6go"
    "3ofJOuyktXeYlDgWJuaRTfkbP77NSX/vhrj1hFx/vln/bzwqzHIrIpGy37RJjy9sJUEStF"
    "sTwVq0SYVxVhcogIzVrB49cLK6oSVOtkZ2OI5TC0STyLWVonWa7MNrVIVHCl4qgwcVMfcs"
    "8TE4btrmBYlcrkKV7ycDH501ohUbvSVm6ZQyCVu5Dieg5T1OmQOjIlbEUQuFxEPsojzcbi"
    "xLIJTHSrPlBMBASK88LU/cglOLZNrQ4T3LowQcPmOaTVnJer8MrFB67snSr/ikOpzrqXVx"
    "eaPGEqvBTHUHXOtIsLdRKVf5me/54n0q4+n+05zmer41KK0a8uJW6Iic2yltN7SrZmr7aN"
    "yshqWi9/ql9GsHqk8FqCmOuQr00tXcp1KYl0QqiKSK/qh446uG5DwXXZIb0CZHthRRVFNv"
    "Ecb1XYog99LikWKGUeIRaWeZwMY4i6ZBKEExrYxeJ18+iOu7Zxfyc7hiYEM8FIyTcQE1Me"
    "dyT31E7sb4TH4v+yLNhKqxf0V0hyxUIN90DYJI4fRyhu/pU85B9Z0MhTwwZL+pFV3byywl"
    "+/iwmqsgGDFQ4UXMtmobk7EfvkewERWL2diPPcM+1rP+GZZQ64DL2zi27nU1A8fepl+hXX"
    "NfO6OuYVZvUSYIbll0Jz27zPFYM5BdPStzDl8lsC1zzRGuK8MwL+9qg4cl8E8ZTzM1OC1a"
    "NP1hMOX79svX7Z+vMP9OpS//XL1qum9ZzfAcq+bL2OqNqCiKo+zd/t2qeP7XUNbIyFKCP5"
    "OvfXAJnY0IQs8o1YqQ2p+6gjjj9DilMzTxB2jDEssKaMaFJmI3+FxlS8L3GGxjbcXc5u17"
    "U1JXa83ohAaoTFkd1OsKkVHhdRAB0g8h0E+F5QAeJU7oCVe2jFgeGv4csAcyLFb9nO3QhP"
    "6JAa6g33IpHvn7auNb3f1np34WFtYyyCssJ3XdbE1BaZkDUx9WzbYIIHr4T/mZCpmZIc63"
    "wCvaNTK9ft/GjZuADYpFgK2aGQWxe2b/bXtYluDm7n3ZvTCw1d9bSz9nXbf7tNaHjJzKQb"
    "1NNaF5nX3DNYodxSrw+Kyzzp5UHLUas/DT2mDmqQyxllfF+09/MzUK5readQYAWU5QFiYh"
    "tkAsKUmgqoncItcQprKuDfqPUVUAHr9HBbxAE3qpHj4/o5e/O8XByVeczPLdbzis8g+rds"
    "fnmiWVvsnIHzz0uerRsTqaCL1jw6WiR24OioOHZA5KXsKXioSiDsF68gumtxgKFF8XKAMv"
    "5DTGTz7sPzhM6vzFF41sXsx/8BrPqBUw=="
)
