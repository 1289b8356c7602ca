from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "badge" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "image_url" VARCHAR(2048),
    "secret" INT NOT NULL,
    "goals" JSON NOT NULL,
    "reward_points" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* An admin-defined badge. `goals` is a list of {metric, action, target} (see */;
        CREATE TABLE IF NOT EXISTS "challenge" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "starts_at" TIMESTAMP NOT NULL,
    "ends_at" TIMESTAMP NOT NULL,
    "goals" JSON NOT NULL,
    "reward_points" INT NOT NULL,
    "reward_badge_key" VARCHAR(100),
    "requires_enrollment" INT NOT NULL,
    "max_participants" INT,
    "archived" INT NOT NULL,
    "participants" INT NOT NULL,
    "completions" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* A time-boxed challenge over [starts_at, ends_at). `participants` and `completions` are */;
CREATE INDEX IF NOT EXISTS "idx_challenge_starts__6466fb" ON "challenge" ("starts_at");
CREATE INDEX IF NOT EXISTS "idx_challenge_ends_at_12f79a" ON "challenge" ("ends_at");
        CREATE TABLE IF NOT EXISTS "goal_trigger" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "metric" VARCHAR(32) NOT NULL,
    "action_key" VARCHAR(100) NOT NULL,
    "badge_key" VARCHAR(100),
    "challenge_key" VARCHAR(100)
) /* An index of goals by (metric, action): which badges and challenges a fact can move. */;
CREATE INDEX IF NOT EXISTS "idx_goal_trigge_badge_k_77cb65" ON "goal_trigger" ("badge_key");
CREATE INDEX IF NOT EXISTS "idx_goal_trigge_challen_765604" ON "goal_trigger" ("challenge_key");
CREATE INDEX IF NOT EXISTS "idx_goal_trigge_metric_ac0bb7" ON "goal_trigger" ("metric", "action_key");
        CREATE TABLE IF NOT EXISTS "activity_day" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "action_key" VARCHAR(100) NOT NULL,
    "day" VARCHAR(10) NOT NULL,
    "count" INT NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_activity_da_member__226f6b" UNIQUE ("member_id", "action_key", "day")
) /* How many awarded interactions a member had on one calendar day (program time zone), per */;
        CREATE TABLE IF NOT EXISTS "activity_stats" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "action_key" VARCHAR(100) NOT NULL,
    "interactions" BIGINT NOT NULL,
    "active_days" INT NOT NULL,
    "streak_run" INT NOT NULL,
    "streak_longest" INT NOT NULL,
    "last_active_on" VARCHAR(10),
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_activity_st_member__c93120" UNIQUE ("member_id", "action_key")
) /* A member's running totals per action (and for any action, `action_key` ""): what badge */;
        CREATE TABLE IF NOT EXISTS "challenge_participant" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "enrolled_at" TIMESTAMP,
    "progress" JSON NOT NULL,
    "score" INT NOT NULL,
    "completed_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "challenge_id" VARCHAR(100) NOT NULL REFERENCES "challenge" ("key") ON DELETE RESTRICT,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_challenge_p_challen_04989e" UNIQUE ("challenge_id", "member_id")
) /* A member's place in a challenge: enrolment, progress per goal (see */;
CREATE INDEX IF NOT EXISTS "idx_challenge_p_member__dbc875" ON "challenge_participant" ("member_id", "challenge_id");
        CREATE TABLE IF NOT EXISTS "member_badge" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "earned_at" TIMESTAMP NOT NULL,
    "source" VARCHAR(200) NOT NULL,
    "badge_id" VARCHAR(100) NOT NULL REFERENCES "badge" ("key") ON DELETE RESTRICT,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_member_badg_member__271494" UNIQUE ("member_id", "badge_id")
) /* A badge a member earned; (member, badge) is unique, so a badge is earned once. */;
        CREATE TABLE IF NOT EXISTS "member_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "occurred_at" TIMESTAMP NOT NULL,
    "message" VARCHAR(500) NOT NULL,
    "points" BIGINT,
    "subject" VARCHAR(200),
    "published" INT NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT
) /* Something that happened to a member, stored in the transaction that caused it and */;
CREATE INDEX IF NOT EXISTS "idx_member_even_member__a593a0" ON "member_event" ("member_id", "id");
CREATE INDEX IF NOT EXISTS "idx_member_even_publish_d8a1a2" ON "member_event" ("published", "id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "badge";
        DROP TABLE IF EXISTS "member_event";
        DROP TABLE IF EXISTS "challenge";
        DROP TABLE IF EXISTS "activity_stats";
        DROP TABLE IF EXISTS "goal_trigger";
        DROP TABLE IF EXISTS "member_badge";
        DROP TABLE IF EXISTS "activity_day";
        DROP TABLE IF EXISTS "challenge_participant";"""


MODELS_STATE = (
    "eJztXWtz4jjW/isqvkxSRfP2pNOXN721VSRhejKThi5Cb8/uMAXCFqCNLTOWSZqd7f++Op"
    "LvF4IJJsStL4mRdST7kSydu/5q2I5JLN5qGx51WOMM/dVg2CbiInWniRp4sYjKocDDE0tW"
    "xVGdCfdc8VOUTrHFiSgyCTdcuvDbb7QZwqZN2QuTTCkjJrqlzETOFFHmEVe11EJ9Im9T+M"
    "URdgm6JQtP1EHenCC8NKmHLGfWgj5NxxCdUjarpvklo38uychzZkTcdEUnv/8hikWz5Cvh"
    "wc/F7WhKiWUmILwlK2hB3hh5q4UsvJhj9ydZFZ59MjIca2mzWPXFyps7LKwv3g1KZ4SJ5/"
    "eIGYOWLS3LH4OgSD2tKPDcJQkf04wKxIvjpQUDBNTqEaKyxmjU7Q1GN53BaNTIDF5AEQPc"
    "LzIEjmLgBchcImDjryOLsJk3Fz9/fPnym+ooQkJVgx7/0e5f/NzuH4lax9ClI0ZJTauuf+"
    "tE3fsmG8EeVs1I6COs5f8SYAf1d4N2UBDBHU3/veN9shHeJ2vwPgnwjvCNP1kG5gH56uXD"
    "nCLbH9qNRkVYr4F20PltAC3bnP9pxRE9+tj+TYJtr/w7173uh6B6bAQurnvnKeAXjuw5g/"
    "kVK4A8IkihLYqrQvtlVRN7Bk/w4uTH07en7169OX0nqsinDEverhmPq+4gBaZFbZoH5i83"
    "vW4+mhFFCk2TGh76L7IorwzVxt+mSya3LDRZUsujjLegv78/wdwGhNbP7fQ0Bsgc7s1c2Y"
    "psID23uTEn5tLKWbiLByRO86gh8TfEQ1nD94294TiW6dyzESfiScwyK0weqV5r0muNTewJ"
    "cUcuWTiuYpUzCJ8LIAlm+Sjn0qdgnogGqsI5LNnvZD/v9a4Tk/38Kr1Lfv543hEMo5z5oh"
    "L1SP4IALt/Vxb2iGiPWAfM+bOF2nAJQDLCXhbuS3HHozYpWEwSlOkV3SdtBRfPkTkXL2j2"
    "mLXyx3kdA3n1sXMzaH/8lBiVy/agA3dOEhxkUHr0JrUDhI2gL1eDnxH8RP/qdTvpTSGsN/"
    "hXA54JLz1nxJz7ETZj8mJQGqCWGPXlwtxy1JOUetQPZdQDjGLDLp8edBzT25jkDQUTbNze"
    "Y9ccZe44J05R3ewt+8ROl2CGZ3LMAFx4zJg26o56q0u8ahQoq4LbzYc0VlBxZPo1H9Rb/e"
    "zcI/FYK4ThLYgZVyhxhJHardEcm0iw6w4jyMBCIjexi0Qf6GjhOjMX2wimM/qPuH/cRAvi"
    "ZhRYFfUzZKoJhJmJpo6LZBeq6GisLka3ZDVGw8awcdxCgzlBU+pyL/4AoEjDsh8hihDX41"
    "Jf5jr3zSG7n1NjjihHc/EGGDFyj9RWqupz5ApmccYoJ2YTNG3iGZylBy064j3dIl3b7z4f"
    "JEcpfEwJmxi6PzZVxVEzhw2gs0IWV9V/mKn1V8nD1cQppvb/T05evXp78vLVm3evT9++ff"
    "3uZcjdZm+tY3PPrz7A5p9YegJuoFg5lxy4TVV0SaoaKup2qBiNKepwKZD96rVEdyNw12Cb"
    "htZwliyH01kjJ/v1tXBcIBznLcvFczVBVMcZe/Jukyl78q54zsK9b1luLQ18FvWfHJfQGf"
    "uVrCT2V+IxMTPy5GCf1/oYNvTMMP8WTKugNNqSXXwf8g7J2SbeX7w1UeJvX3DQ/asLMaef"
    "lgu+8bA/jQr4YFVhM06Yh3UftuH6XOgPgqlbMibARp7jibrAaYZcZZbTbKIsp3mG7ufYQx"
    "NszkjWmltRR0M2c6AVoBS9EXwL7CkWjCl3kOSgCeeChb0TvXADC8Z7TrnnuKsW+qwE18BW"
    "LJBi3H8QT7Qv+GwYX8UYxzjnJlqK2e7K4vCdLMe4Lcn3aoZXM7zPabHdA8MbF5BLzvkUZW"
    "3YtL3M/rSeHXQpZaxIKaragL8zHlntTCOx85VANUmkQS0A1XLYjPAywlyWUIObca/A3Bv5"
    "33Wen1Dx1pel3Gr7OzCbftUKCS1FaylaS9HbStHg5tsnhuMmJaec2821EjRUHLlRzQfl5y"
    "9zBxlzLDYSUwqlTfGXCBHxnnpzKSGCLE7QhAiplkghFU8Fp9pCX1zqeYShyQqBbLpSvs7I"
    "Xor64NicEaAr7ekRntFaOn1i6dTJWbzWCqaKQG8XxdtFfGN2FgBIrq90McoJohoi/eZ0A6"
    "DfnBbiDLeSMHvYFWtPGYwjihoCXInjv9obshgXe+hGFNo/d3v/XLkRl4E9JNCoP8IrWvsx"
    "1syjrciP8UA82s6l4StH/jgPLGLFkkdoNNsi7FLSttBYGsLG4J+F5RIBDll/2URMBaMZWt"
    "PUrvkNHXGSY6TbWdNDNp5hm06poYQM2UDrg/g7Pn6PxnAxcOlsRtwxOJ1xJL8EkGNsaQAk"
    "d9ha7kQ+0ZGbOnKzLgycjtx8oshNaoslf7R0rTKzO0FUPx34ycvTTcRtqLZmjp9mBG5OBP"
    "+Vw7OtDfWJiHRYVYlYH7ktl5FMQgIdQrtzgcUlkgctHSWeodPWTB3T9r3Kgjqmrc6jvoOY"
    "tmh6EOyKMctzNPMJf/q1T6wiNX7C6htK+M9sGhSZfr9VqScRHLMFXGSuriS62VynLzES1T"
    "Zwc4bv9MXEERijkBY54BX8O/ew6/ERmFQJM+HiuIXGC1FIDbrAAqqxtKeODcdeWET6GI4h"
    "1VRWf1JJN0Mmo0/EVEW2aMoESy4ka5A5r7CF1GLFwSDsx+1J92jCpo5rEI7GwLYn+tE6Fa"
    "1TeRbrk9ap1FenEq6HZZmzBOF+eLN9rjHPlxXLcuD+Rld2hGNkenwPeXy1/kjrj74H/ZEP"
    "kTSHlg0Fy6OtnzWgkngwl/y5pGLGjwhzHcuySV7M/lq7QEEL2khQwkiQFh9LLC15pFutLo"
    "c293e8vmDXmFMh2pec3XEyPaVLTOktp/NOpnKtN8qY7qoErikqDau2X9XdkqHtV9/jqO/U"
    "fhXbjUbgQ/k4Q1ZoePkUNfsMJ8bTWrTi2K0zbqUw3sDOFWejN7V5hdlpFhY2IIcNwpFV6g"
    "xJkQgkomaUKAeS8YCOpsA/+NFNFvsFQ4IjMj5uqljGpW2DCU0AI/5xIwhpjBiF4mQ7CdOg"
    "H92bzrUTT8kT1f9DBzkeZJCjkt232ghTpDvYCQ9MEn2+G1+W3wmWjDIK5TiN1invXKcsl9"
    "4SklxYX8twBaLxdlJcilavY4e8jmlpvfijep5y2ybSesSql0vik6aroeNOJcYhnTHpiTIm"
    "JQSsJPClkyYl3D2fGfKb5k1Kf+AFqZOyc3sH+OqkVE+WlCoW49zI0QXFbzfXqYBARTLyYj"
    "U3iRBX4dTOFKnsyJMVOkqGa8skyuAuLP0SVP7kcKJCmPdU1EMGZtLnOPd03l33MWRDdklc"
    "MGiiqevYaCzd6lt+8Pn/oXG4WvhlTeSSez+9VZAHy36fzRgNubGYyYfgEe0/LVSHQ0tE58"
    "FRwp2v4spayZNYxFuNQ48N2Xf0FcsSyhEn3oaO1KBuAmDk8KUyQGt908Hpm6LB2pytCChq"
    "yFO8OtmApXh1UshRwK1slmGdU3s/bPJWPmv7cFarRdxGnvhXEusMoca7CO8DSfRzFSWbz+"
    "Ps4rfXcnY0VfFBxq4nOBOVnTR5mlwLfZbjLm1tR4olbiJqEnvhCN7IWCExtQQ3hgX1wsIr"
    "NBXTAg62gLPcnPssd1dVR8DiJbgzUc4cD1hBJdkA/RkwZfGj6gS+cF6IKF2yW+bcByybZM"
    "I8alkITvQg5pAd9Tu/dC4Gncsm+tz9tdv70h21LwZXve6xPA8ETIsGfG2uYN6IHyc3ByMj"
    "JDvyHEQLObq4xTD2vrkneRQfdAc5WpdyEjiGsXRdpeoT5L/HbgXAy1uaRTxIFlFzMHs8FS"
    "T1uZUAPIe0jqhXkfc2Wo+yYHfY0s4ooNIxej71IePd+NTpXl51P5wh/2LI2l/a/cvO5Rny"
    "L4bsov3pExSo/0MWbDFnKLhKb58bjdmbTYYsbc6IjdibbLAE5uWyFEcU9YtH2X2G4viOnQ"
    "F5vVkvRVpDu94zseNtZL6N818lBzpFWsOBrrEBd+E6BuF8q4FP02oHjUP+wlWo68g/l72c"
    "HJWlrY2r057PmhPfzIK4HiVlHf5iVDpB+va+fdqB4okcKLR1//lb968FG0TciSMaupE+rz"
    "mK4Eyd5jptsBXVHoVutKXCPFSchMOkBVs2BAEa8EOsmNQxz/xzjpf+iVF9YlKuKnJINIZc"
    "Ir2YpfU9x+RfVU9SKyz4SmMu+aexSmFGWOyIZeTfVqpk2f17RD00USc+w3aAjgh2LQp1Mb"
    "uFc55nc+IeFyt05ePIj0s+c3QVqIoKgke0SvYgVbLhcG5s5AzHv4bbWBWK2Og72RTi2JdV"
    "Q4x3rsJLLj/lQK6xfnv3DigFYS3rFuv6RbbsWdyLNvjyWrU4ZQ2VanXSrWipUkuVWqrcWq"
    "o0Z8TtMM9dNXIFyuh2c70sCRVHJKy5kWuRRZXnM4hd0inGfOEwa4WUyhOpRvOdhTYjlYIe"
    "d5au4XtRw/v5bjgGXnIp3xEkH1uIc61ZC41jjkBnpydwehgVDaopxyC/QJDv2sa3hA+Zf8"
    "bxvZRJA/O/Jxoi0ylRp9KnRUzZdeQHdJR0P/pBNBoY8NrecZBm2ySGaJ4HPkXijbHrS788"
    "9hYydbcocOCBSriLR75G2gfoQAVObMPYlhuBiGZ/bGRNBmIzT4eHXVMe6fWwL9cU5bd4ht"
    "T/IRNswPV1p/uhc4bCyyE7b19CifwHrik/dfr99jW4pqgrQdfrDjrdgaBSF1DrsiNYPNl6"
    "dD1k7ctfPt8MPsrK0bXoo9f9fCP6gH9D1vnt01X/n2dI/YfW/tHp36g+1VV6g3gaWXptXv"
    "diTrR+ed2TQL/eSDH0eo1i6HVejIEFn9qo4KDjdQtihlSvi1uvixFnVWbGJ6lqd0hHJYdG"
    "xHnJstqMNK3WZxy0PkMn8yj+0OrrC6a1WFqLpbVYW2qxfOhzFFjRoBTrrmKxUxs7PwSqJ5"
    "kNDkMKAGpKHY9KJjn5t9hx/TrURZ5zSxg6gnsTFzPzB44gqGzJRUPUPC72fNhtN1Ib5vO/"
    "/tFvFp3KzUCe+4ZuycIDvwrukUWY38DXpYlyTk3i+1lgxv2QOA9UYZATQerCsDFXeqj3cV"
    "Lx6azUMyt/ZbhcyTwME1VkL5aen4ThsUfFlVtBd7l0HhAPusMAnWJ1lEk5hFyOyh4Yl6ar"
    "48ZVhTcEvhMj4ZY9FD5JVb+4m6pOhf+3Q9lWXHiCUDPhz4kJ9/fGrRRK+1Ul1ctTI+BCyg"
    "Efp9LIb4e8RwVHX1J/F6ep335SydYtIeM0d21Zv5skKXWU1yFr7uRYucQTLzdaMo/m8Gkb"
    "DHa6gb2MuT6PdPMhL5EUKJm/4456q5EpROGcfa7EwSltv6lLvHqG7GORtimTr02iBWkddg"
    "TXTdBUHQGLslw+Dqy6H8qTSPMSuVw9ErVUAq46giW90R8JU154Wh2xUlrPx2KV8LysI0wq"
    "Se/jYFL6fZm2t64wkTuSe2hoeZg6d6S+q7lLwPd2B4t5P2yoTlBVb35TH2GhDS78Rh8yxK"
    "mDyzc1x8nKCAf2MoJdRsz3UapIef8YTGZqiGRaRuyTiVJFgBwhYOeZ4Xbd/AOJHtWr6/jf"
    "A9KVrTklTo7tNg5ZccIaWgieu4CfdXEsox6NKGpo2KzEuVEl/y5nuI/T1BBnfYDRs3OV0D"
    "5me/IxyywdOwC2bhJkGtf4cnmArntKMi2UHULB9UHZgYQ1H5Qdbhxb8OCQ591LZ2UP+P2m"
    "n+cdfOJy/d78GFIKx/qYGfFh5z0M2WI5sSifq0ZUkiMZyAIHVdvUe4/GYY2xenFkY/dWOd"
    "85zA8f5feELPxM9s494VuGiUIW+bC7oFALKwcprNxSVmrbD+rXcMfffXYXnan5O5EGbcI5"
    "zmM41vHPIUkNv6VKojtVDodyu0VEs5Ur2IF5xTxROKcKKCil7IhI6ucKVomyI8Ewpea341"
    "gEs4IJHqdLYT0RhFUtJWHJfreG817vOrErnF+l5m/388fzjpDMJfiiEvUKprVWe2i1x4GL"
    "54cbWhezhuaI50lbabF07ibrlckxHJFCoBuc8wYv9T73MDjwSs4a41yykHHROea9CnoZMp"
    "eIUu6JEm/pMiVxT6krS8JeIPqOQ9oqeR6dVBLY4rPY9WlwgZiu3kcuqLEcw1pOPzg53XB4"
    "DgNWCH5QvU5JTE5+PH17+u7Vm9MQ+LBkHd45/Oz3cKLYRe/jp+uOPB4svIQzxLoXnetrdY"
    "yYf5le/zZiE3aeJkkfrvcUh+vppCLF6Nc3ntGAhc2ythv3FK0OPTpkxaQarVH5IxkzhPVT"
    "41Sio9RKhX1tXUp0KYl0gqiOSFd2wr1W31TvtRJJ449Eth82VFNkE9/xgSnGJPS5SrFgUN"
    "YpxMI6DyvDGKIesYNcUAb2sOVApnLuOcbtWD4YsglmoJGyqC0qm/KsKpkQ3XbuCI8lb8pq"
    "wXbaPKi/QiVXzJulKYhN4vpJoODlQevm3CNLdPLYnE8l5ci6Zh7dodNosYKqbLanGmd5qs"
    "Q+uDaN9IB8LVAE1i+N9DrxrPPbICGZZU4nDaWz6173Q1A9fWRpSkWiNa871LyKVb0EmGH9"
    "Gjlv7AzMhWAtfQ5Tbr8lcM0j1RDnHfDw55KCFx5kYCknZ6YI66c+qSaXoUxInmNoXOcCEx"
    "Ht0f8lYOeerfuLVv0XT/T6qv6XC3PLUU9S6lE/lFHPsQOEkf2l01HpbAmNNVqoSrMlDGh+"
    "qvIBfShRecBjbKQywqZN2QsBGWSjRRa5I1Yqm3gLdeHsOqR0auYZwq4xFxusKT2aFNvIf0"
    "BzCiFKKzR3xNvl5EiorCtIV/4ZsuAhDOetu0FGcvG5QAX0EpGvgoA3gwYQp14QSCVPe38h"
    "fkwwJ5J8yI7GM2zTKTXknG5BIW+dt286o8FVpz8OT9qbY3DKAu2UVkwdGgupFVNPxbKHH1"
    "4J+TNBozUlec7p4unowsoVO3+yHFwAbJIshewU6KrC9sdWVRmQ1+B22ft8ft1Bn/qdi6ub"
    "q143yXjJm0kxqN9pX6ezTAgwpjQvruiXm143H+Y4TZoTpoaH/ossyiuDuvG36ZKpWGC5nV"
    "HGW9Df359A5QoYrVe5prWrKe4WGkirXAMuoKweIEamI2G0KuA7Fgq1KuB7HPUdqAKqlHDb"
    "xBViVCNHxvXvNNdJuTiq85CcWzzOOz5A6nsJfnkkW1ssnAnhn5c8GDlGUkMR7eT16018B1"
    "6/LvYdgHspfkp8VCUQ9qvXEN1KBGDRo+dnF9pUfoiR7F98eBrX+Z0JCk+6mX37H18A+bM="
)
