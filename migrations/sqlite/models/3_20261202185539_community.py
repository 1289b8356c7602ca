from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "referral_program" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "referrer_points" INT NOT NULL,
    "referee_points" INT NOT NULL,
    "conversion_action" VARCHAR(100) NOT NULL,
    "apply_within_days" INT NOT NULL,
    "monthly_cap" INT,
    "updated_at" TIMESTAMP NOT NULL
) /* The program's referral rules: one row (id 1), changed by `updateReferralProgram`. */;
        CREATE TABLE IF NOT EXISTS "content" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "subject" VARCHAR(200),
    "body" TEXT NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "media_urls" JSON NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED */,
    "quality" REAL NOT NULL,
    "score" REAL NOT NULL,
    "upvotes" INT NOT NULL,
    "downvotes" INT NOT NULL,
    "points_awarded" BIGINT NOT NULL,
    "interaction_id" BIGINT,
    "bonus_awarded" INT NOT NULL,
    "idempotency_key" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "moderated_at" TIMESTAMP,
    "approved_at" TIMESTAMP,
    "rejection_reason" VARCHAR(32),
    "author_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_content_author__56d7d9" UNIQUE ("author_id", "idempotency_key"),
    CONSTRAINT "uid_content_author__022299" UNIQUE ("author_id", "fingerprint")
) /* A piece of user-generated content. Unique per (author, idempotency key), so a replay */;
CREATE INDEX IF NOT EXISTS "idx_content_status_46575f" ON "content" ("status", "id");
CREATE INDEX IF NOT EXISTS "idx_content_author__a6eda5" ON "content" ("author_id", "id");
CREATE INDEX IF NOT EXISTS "idx_content_subject_acf82e" ON "content" ("subject", "status", "id");
        CREATE TABLE IF NOT EXISTS "content_vote" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "value" SMALLINT NOT NULL,
    "voted_at" TIMESTAMP NOT NULL,
    "content_id" BIGINT NOT NULL REFERENCES "content" ("id") ON DELETE CASCADE,
    "voter_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_content_vot_content_7f70f3" UNIQUE ("content_id", "voter_id")
) /* One member's vote on one piece: unique, so concurrent votes replace, never add. */;
        CREATE TABLE IF NOT EXISTS "member_attempt" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT
) /* One counted attempt of a member at something limited per hour (failed referral codes, */;
CREATE INDEX IF NOT EXISTS "idx_member_atte_member__0628bb" ON "member_attempt" ("member_id", "kind", "at");
CREATE INDEX IF NOT EXISTS "idx_member_atte_at_c866d3" ON "member_attempt" ("at");
        CREATE TABLE IF NOT EXISTS "referral" (
    "created_at" TIMESTAMP NOT NULL,
    "converted_at" TIMESTAMP,
    "referrer_rewarded" INT NOT NULL,
    "referrer_points" BIGINT NOT NULL,
    "referee_points" BIGINT NOT NULL,
    "referrer_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    "referee_id" VARCHAR(128) NOT NULL PRIMARY KEY REFERENCES "member" ("id") ON DELETE RESTRICT
) /* `referee` was referred by `referrer`. The referee is the primary key: a member has at */;
CREATE INDEX IF NOT EXISTS "idx_referral_referre_05040a" ON "referral" ("referrer_id", "converted_at");
        ALTER TABLE "member" ADD "content_approved" INT NOT NULL DEFAULT 0;
        ALTER TABLE "member" ADD "referral_code" VARCHAR(32);
        ALTER TABLE "member" ADD "referrals_converted" INT NOT NULL DEFAULT 0;
        CREATE UNIQUE INDEX "uid_member_referra_3d4c01" ON "member" ("referral_code");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "uid_member_referra_3d4c01";
        ALTER TABLE "member" DROP COLUMN "content_approved";
        ALTER TABLE "member" DROP COLUMN "referral_code";
        ALTER TABLE "member" DROP COLUMN "referrals_converted";
        DROP TABLE IF EXISTS "referral";
        DROP TABLE IF EXISTS "content";
        DROP TABLE IF EXISTS "member_attempt";
        DROP TABLE IF EXISTS "referral_program";
        DROP TABLE IF EXISTS "content_vote";"""


MODELS_STATE = (
    "eJztXf1v4zbS/lcI/7IJ4DW22Y/2socDnMTtpc0mQeJt+159sGmJjnmRKFeUk/X19n9/Oa"
    "S+PxzJsRxZS6DoOhKHlB5S5MzDmeFfHdsxicV7fcOjDusco786DNtE/Ejd6aIOXiyi63DB"
    "w1NLFsVRmSn3XPGnuDrDFifikkm44dKFX3+nzxA2bcpem2RGGTHRPWUmcmaIMo+4qqYeui"
    "HyNoW/OMIuQfdk4YkyyJsThJcm9ZDl3PWgTdMxRKOU3dVT/ZLRP5dk7Dl3RNx0RSN//Ftc"
    "FtWSL4QHfy7uxzNKLDMB4T1ZQQ3yxthbLeTF0zl2f5RF4dmnY8OxljaLFV+svLnDwvLi3e"
    "DqHWHi+T1ixqBlS8vy+yC4pJ5WXPDcJQkf04wuiBfHSws6CKTVI0TXOuPx5dVwfDsYjsed"
    "TOcFEjHA/UuGwFF0vACZSwRs/GVsEXbnzcWf371581U1FCGhikGLv/ZvTv/ZvzkQpQ6hSU"
    "f0khpWl/6tI3Xvq6wEe1hVI6GPsJb/VgA7KL8dtIMLEdzR8N853kel8D5ag/dRgHeEb/zJ"
    "MjAPyRcvH+aU2O7Q7nRqwnoNtMPB70Oo2eb8TyuO6MGn/u8SbHvl37m4uvwpKB7rgdOLq5"
    "MU8AtHtpzB/JwVQB4JpNAWl+tC+01dA/sOnuD10Xfvvn/3w9sP734QReRThle+X9Mf55fD"
    "FJgWtWkemD/fXl3moxlJpNA0qeGh/yGL8tpQ7fx9tmRyyULTJbU8yngP2vvHC4xtQGj92E"
    "4PY4DM4d6dK2uRFaTHNjfmxFxaORN3cYfEZZ7VJf6C2JQ5fNfYG45jmc4jG3MinsSsMsPk"
    "ieq5Jj3X2MSeEnfskoXjKlU5g/CJAJJglo9yrnwK5qmooC6cwyu7HewnV1cXicF+cp5eJT"
    "9/OhkIhVGOfFGIeiS/B0Ddf6gKeyS0Q6wD5XxvoTZcApCMsZeF+0zc8ahNCiaThGR6RvdF"
    "e8GPfVTOxQuaV8xa+f28ToE8/zS4HfY/XSd65aw/HMCdo4QGGVw9+JBaAcJK0G/nw38i+B"
    "P96+pykF4UwnLDf3XgmfDSc8bMeRxjM2YvBlcD1BK9vlyYG/Z6UlL3elN6PcAo1u3y6YHj"
    "mN3HLG+4MMXG/SN2zXHmjnPkFJXN3rKP7PQVzPCd7DMAFx4zxkY9UG91hledArIquN19ir"
    "GCgmPTL/kkb/VP5xGJx1ohDG9BzDihxBFGarVGc2wioa47jCADC4vcxC4SbaCDhevcudhG"
    "MJzRf8X9wy5aEDdDYNXUzoipKhBmJpo5LpJNqEsHE/VjfE9WEzTqjDqHPTScEzSjLvfiDw"
    "BEGpbtCFOEuB6XfJnrPHZH7HFOjTmiHM3FG2DEyCNSS6kqz5ErlMU7Rjkxu8C0iWdwlh7U"
    "6Ij3dIu4tj98PUj2UviYEjbRdf8uS8VRM0cNoHeFKq4q/7RS68+SzWXilFL7t6Ojt2+/P3"
    "rz9sMP7999//37H96E2m321jo19+T8J1j8E1NPoA0Uk3PJjitL0SWlWkjUbZEYjRF1uBLI"
    "fvFWolsK3DXYpqE1nCXL0XTW2Ml+eW0cFxjHedNy8VhNCLVxxB79UGbIHv1QPGbh3testp"
    "YGPov6j45L6B37hawk9ufiMTEz8uxgX9f6FFa0Z5h/DYZVcDVakl38GOoOydEm3l+8NVHm"
    "743QoG/OT8WYflkt+NbD/jAq0INVgXKaMA/LPr2H62uhr4RSt2RMgI08xxNlQdMMtcqspt"
    "lFWU3zGD3OsYem2Lwj2d3cmhoasTsHagFJ0RrB96CeYqGYcgdJDZpwLlTYB9EKN7BQvOeU"
    "e4676qHPynAN9ooFUoz7D+KJ+oWeDf2rFOOY5txFSzHaXXk5fCfLMe4r6r1a4dUK7z5Ntj"
    "tQeOMGcsUxn5JsjZq2k9Gf5tmBS6myi5SSag34W9OR1co0FitfBVSTQhrUAlAth90RXsWY"
    "ywpqcDPuFZh7Y/+7zvMTKl76spIbLX8N29Ovm5DQVrS2orUVvakVDW6+N8Rw3KTllHO7u9"
    "aChoJjNyr5pP3829xBxhyLhcSURmlX/J8IE/GRenNpIYItTtCUCKuWSCMVz4Sm2kO/udTz"
    "CEPTFQLbdKV8nZG9FOXBsTljQNfa0jM8o7V1+sLWqZMzea01TJWAXi6Kl4v4wuwsAJBcX+"
    "lilBNCLUT6w7sSQH94V4gz3ErC7GFXzD1VMI4kWghwLY7/am3IYlzsoRtJaP/czf1z5UJc"
    "BfZQQKP+DK9o7cfYMo+2Ij/Ghni0nciNrxz74yTYESu2PMJNsw3CLqVsD03kRtgE/LOwnC"
    "LAIesvm4ihYHTD3TS1an5FB5zkbNJtreoRm9xhm86ooYwMWUHvJ/H/yeFHNDEdWwzGXix0"
    "U1SujA2wZWy5CUgesLXcio2iozd19GZblDgdvflC0ZvUFtP+eOlaVUZ3Qqh9PPjRm3dlTG"
    "4otmaMv8sY3ZwIHSxHb1sb7hMJ6dCqCvE+cmmuYp2EAjqMdutGi0ukHlo5Ujwjp3c0dVzb"
    "t2oP6ri2Nvf6FuLaouFBsCv6LM/ZzBf88ZcbYhVR+Ymd39DK37NhULT9+7VOrkRozBZokb"
    "l8SXSzu44zMRLFSrg6w3f6euoIjFEoixzwDP6De9j1+Bi2VQkz4cdhD00W4iI16AILqCZy"
    "T3ViOPbCIj5lgd08R+c6mhkxGYEihiqyRVUm7OZCwgZJnmALqcmKw6awH7snXaQJmzmuQT"
    "iagNqeaEdzKppT2Yv5SXMq7eVUwvmwqnKWENyNbrbLOWZ/VbGsBu4vdFV7OCam+7fJ/av5"
    "I80ffQv8kQ+R3BKtGg6WJ9u+3YBaYsJc8ueSihE/Jsx1LMsmeXH7a/cFCmrQmwQVNgnS5m"
    "OFqSVPdKPZpWljf8vzC3aNORWmfcXRHRfTQ7rCkN5wOG9lKLd6oYxxVxVwTUlpWPX+Vdt3"
    "MvT+1bfY61vdv4qtRmPXeXzmRla48XIdVbuHA+Nld7Ti2K3b3EphXGKfK65Gl93zCjPULC"
    "xsQB4bhKNdqWMkTSKwiLpRshxIyAMcTYGP8LOrLPYNhiRHZHLYVfGMS9uGLTQBjPiHG0FY"
    "Y6QoFCfcSWwN+hG+6Xw78bQ8Ufl/60DHRgY6Ktt9o4UwJbqFlbBhluj+LnxZfSeYMqoQyn"
    "EZzSlvnVOWU28FSy4sr224AtN4MysuJavnsSbPY9paL/6o9tNuK2OtR6p6tUQ+abkWOu7U"
    "sjmksya9UNakhIGVBL5y4qSEu+eeIV82d1L6Ay9In5Qd21vAVyemerHEVKcO80gBD+Tf6q"
    "6lfmKFSpA9C0oMArHZS07c12FvI7+aHvose1bSMQdiIZs7bhdRk9gLR9w3VuierA5l5mSM"
    "XLKw1IECKfpn+42M2EyMMI6o15UMT0JS3Loj7kK0L6POgRlijmtji/4X3KAdM6iMIfJF4I"
    "PM5cICaokgykfMJTPxnCakvmIyYxbyHh3El1Obci4PYhGgQoj7cvEgno9PuhCd/sjUH8oZ"
    "Wxo00g1bnnxiL5bifcVDu44tn0eWDbNCw/kozqOfE/ojmiifmrF/CMwk9M1W5xPDS6K5Iw"
    "aTjHmn3ogdnF5dDgeXQ9n4ydXl51skdEKTeryLLGDTpDhGHr4n8KjioR6IK17ysJgQUw3B"
    "7VhPqDTUXRS/HYM7hzGDHGNLrqpJSwZXBLb/IYYcs8nimllrJLMGx2pXUZ+C8m3UnD6UUZ"
    "zS9kVMb/qQCWSOPoay+MZE2uciVk9eK7EIZBEu9tsPyrdiBO/aZT++QFQY1SmxVkBfd048"
    "Wyz6GJJHVGLDk1KaD98+Hx5qNdnBP2BLO2OWpSNXfOkdxgtdDy7Pzi9/qtgDgdgx8n+MWP"
    "/6+ubq18HZMQp+jdjN4OfB6RCuBb/SVsPLrL1/LoWR4OWsDD9aDi5YGmIyqe6ZgVBt+xe9"
    "unYw1oB6dvX55GKArm8Gp+e35/6HErKp8qZU4kMfyptB/6Lc3tAahIt2hzS+efj6VmmF3b"
    "eYhN5/S++/hZZ9BUATMhrSjBt1gt6oZshnZVuD747P7Ymdf5S7G1Ly7KT8TZF9Ds/YcT9M"
    "HbZc9zGsi+TIyOpwjgrhHGleM1c9L+ITM6IttE9ryY6v3Rw2GfZNcmso5c0CW1Puhh2dlt"
    "V+S03uabxYuJBgaIOOTonqfm5yP7sENhlA5RPzMK92ukmebPu2Kt4elVgu3x4VrpZwKxXh"
    "K/dKK3orJYS0WrKRt1J8e1u70qxzpUmMtsquNBHiBSRLpWA05U/yq6ipRYDXG4MWg6zY5S"
    "hA9Em3o/FDUPJJ36MrFjsMHcSQw8R/RHkLHSPVLdJRR1RuLF1X1O87zkgnIEPcVKe0i0Us"
    "e/pdDfXnB45FDlcgnI0a004sjXRigaNCcvYhbm1sWYVdEArtjnWsvyPeHn3/IYQe/lgH9u"
    "2n/sVFlkuBob+JBRCX0xZ9o/X/YIqvOm0l5dr04eyYKZbLS0VbIC6jTYHNAheiBf65YQtR"
    "TXuGeumghcS3nrAGTvu3p/2zQSc7pLWV9TSw8e+4UfEK59FWYCfHgIjfXmtA0FTBUvaDOn"
    "ebmCgmnYwmUBZANprgOAwlQCqSIPDCzzck6mhoxEZs4m+iipLSzZ854KY/U8Mf5I8hSiHW"
    "KBL4iueCq0t2z8CX378hpLlHLUv8X4ibI3YQ+FZ10efLXy6vfrsc90+H51eXKvoBggkMCD"
    "FyESfEDxGYQ+oMOMbPcxD1io2eKNIoExywJmdG9LJyay50a3MMaX5JPVAFBIS3AuDlLW1J"
    "NdKSSnZraZYyIdVG3aSO8FW9Z/0Se9b7579bHe88193f+jdn0nNX/Rix0/71NVxQ/zbXkX"
    "eTHar27kttP84gvmJnQF7P+KRENenTaNInrn9V7OiUaAs7usVpSRauYxDON+r4tKx262jy"
    "F669sZvA7YpvZkFcj+Ztga9NYxeTelbg3v58YbVE6Om0QC/EruucNfufs+ZCqEHEnTqiol"
    "sZq5dDBGfKdNexwVZUehyG/1VKXqyy//ouH7IiSDss/T+ISx3zWBKgAmdvLn/dEJNyVZD7"
    "eVtkLDKCnC1ZUri2liQrLPRKYy71Jz/5CyShmQf+LMi/rahk2fxHRD00FdfvOYLlAB0Q7F"
    "oUymImrs3p3Zy4a7K9yMeRH5d85uhXQBUVpETWlGwjKdmwO8suZVH/t3AZq4OIjb6TshDH"
    "vqwWYrx1Ci85/VQDucX89vZ9zAsC8tdN1u3L17xjcy9a4KuzanHJFpJqbeJWtFWprUptVW"
    "5sVZp3xB0wz111cg3K6HZ3vS0JBcckLFnKtciijATZQ6VTjPnaYdYKKcoTqUrznYXKiUpD"
    "jztL1yDK/Qfez3fDMbDMQAoVyMcW5lzvrocmMUeg43dHk0Mw+7gfycAgz2eQKdTG94SPZP"
    "TCCkl6NnJM8kRFZDaDeLwHkjExZdORH9BB0v3olag02MDre4ddIUeNOTKJIarngU+ReGPs"
    "+tYvj72F4SwBAM+BByqyRdf4D+mUoI01OLENfVutByIZ7RT+HE2y0NPhadeUZ3o97Mo1Rf"
    "ktHiP174gJNeDiYnD50+AYhT9H7KR/BlfkP+Ca8uPg5qZ/Aa4p6peQU2mShZT6AaXOBkLF"
    "k7VHv0esf/bz59vhJ1k4+i3agOTKxyrH8ogNfr8+v/m/Y6T+hdp+HdzcqjbVr/QC8TK2dB"
    "zOCppoSmyH2Qc7O9FE35ciht6vIYbe56SWxRZ8amM8y3VtXzchZkT1vLjxvBhpVlVGfFJq"
    "OwP+ZbWD+nMpx3XJqmxGWlbzGY3mM3TupuIPrb2+YJrF0iyWZrE2ZLF86HMIrKhTirmrWO"
    "xUaeeHgHqSZ5xi+yOaUHWGjDoiWR4V4ZehLvKce8LQAdybupiZrziCoDI4qQdR/3yYXM+H"
    "7TYj2TBf//XP0LHoTC4G6hide7LwwK+Ce2SBHqnvS6G4NHGdU5P4fhaYcT8kzgMq7NGlnu"
    "TCsDFXPNTHuKj4dFbqmZW/MvxcIQMzNI2f3RO5gTxNWVWiqNbF67RSB91igE4xHWVSDiGX"
    "Y/l3BczTcm1cuOrwhsAPoidcOEKiCtpJqfbF3Ry9eVdmrEOxNQbXu0w42n8cyjbSwhOCWg"
    "nfJyXcXxs3IpR2SyW1y1Mj0EKqAR+X0shvhrxHhUZfkb+Ly7RvPall6ZaQcZo7t6xfTZKS"
    "Osqrycyd7CuXeOLlxkvm0Rw9rURnpyvYSZ/v0lRpU5e7ZEZcF1uiE81KRlBGcCszaYNM0O"
    "370AaQcaCqHojr5UVSFmoLBdKtURy2dnJQkF4syBtfAeM8UQ3wMI+ALiZKkzl/Hqi3Gpt4"
    "9cyszX2/qjN1dviemZxFDHWSHgnQglQwW4LrNqiqjYAZc8hMxu6enRE8qOcaux416ALvpQ"
    "tFOczUDLedHOptBUlnmS+DUszj95lgpfI/thEsGQz1TJjyoqPbiJXadHsuVgnH/zbChD2P"
    "2IvnTuVqg7mv6morVFNsPltLUECdQE1thYk8PF81UDANHlqsHrgEomS2sO7dhBW1FyogLX"
    "IzRlXCSVEfbUKpkjtRlkMqBvSKkaEj/rdVWJtJuuejWtnvKlj8Ct2vYqvjU15YYxwrWyqG"
    "UMa7ERP5guANhQPvKewh7tjEm0M2b4vaFApCJvG5s3TRwQxToSuhYEwgoGJ5t5OCsJ5WRs"
    "w3JcGNy6acw3TYVUcjHapsNjCeVH088AMzHNsWg8hboRnB3lKoxOrJ4CYnkPGcjxhVQYbg"
    "tzPFANtSjDI3ltvmFUeWY9xHGcplFZQj8kXALR3DYGMBrlAGLmbQR70RuxHVI8dSlWEmED"
    "DxSjqOLdwlBDJOV7I+Ru/mnrVC/3GmGwQg3ovrsvv9POU6KXljAxKDriq76RGUb6HHVw3H"
    "UlY/6bWtLkdt2jHUjv7a0b9hal93zxz9FYlQqG6GHMOTyuY0LFnC8V8WjrQ+gl2h8nyMDq"
    "WR9w9BaYqdeol9MVCupAByxNjKc/jfdvVPHCmjXl1nGtwLPUv17Sahn3FBrRg0WjFQYdFV"
    "tIJIooUqQS1h1HLWq6h7xWVaiHMt/q5aydVKbguU3MzUsQVg27YDlsY1Pl020HZQO2uFtk"
    "O48fak7UDCkk/aDrchO+ylz38M9P2uf6Ik8snbTIStn62OSno2Yz5svYURWyynFuVzVYlK"
    "py5T5kgOmnof0SQsMVEvjmzs3qswX4f5ier4IyEL/8xM55HwDRPSAQ8cNhdc1MZKI40VTQ"
    "rXSArrM+G+EWvQJpzjPIVjnf4cirTwW6olj5zKFltttYhkNgptaJgrwAsljlOpSyqRHZFI"
    "+4JOayE7EgpTanw7jkUwKxjgcbkU1lMhWNdUEl7Z7dJwcnV1kVgVTs5T4/fy86eTgbDMJf"
    "iiEPUKhrWmPTTt0XDzvLl7e9cqx9WvxOXq3TMmeqpEd52V7mfMGj/ECpfyJ3OdR/Q4d4Q5"
    "O/FlJ8h2HiBrPCTEUtnejTlmd0SZ12oHznFRGE+FRO9SRqHW/OT1W24D8noNIPOWfyisMO"
    "WNuW+AR8U4OpiYji3GRi92cXIo/b0gpwtHMoO+PPAMnlC0fC/U0xF7nEs7XebBN5zFCrYb"
    "pS3BPOWpNl3aC58X4FHeMPUC/j6lK4MvkMyWj+4JWXCEwQdO1BbzKJN59aknU4NxUriR+Z"
    "xdy2+FBXhmPHCxfR/7osorzTGh1gQE70BnrhA2XOfUHHO0z5mWk274xVOymyxX5aDJSFR5"
    "3roEXirmHREevGGsIDVN1k/CJQuZHDczH9fSyoi5RFzlnrjiLV2m5uIZdeWVsBWYeTmcXc"
    "IRcxR/awuNpYz/RupRMp4ceQyqeh+p68YOmtQUauMoVMPhObbxmrQLvHUnfGwtnQVkA1jm"
    "UDzlzu6IpJtsmXVOrz5dXwyGgzM4dcP/OWKn/cvTwcWFvBr8TM9/pSy4rZ+VkZ69cnunaK"
    "bJiDa5a17aaNaZ5cuh396klgZMbMJo3KjfU7I6/1yT94xUb43XnVa1rpvHzzyoqmE9u4Pt"
    "I8337mrpUqZLRaQTQm1Eeluum5pZfwGHwsgafyayN2FFLUU28R03as8iTAGQS4tF6QHWkW"
    "KxUk9SYhNZnJAJesQcBdkhIO564v/hTnpoKA/akAWDs0IWLrWxu0LCYjqOgozmohKl2CUo"
    "sVpaGTFbqDvgGRjU6HYl3y93BMRrE95DkzA3Z3BmLieejGnqBsHl6qDdBV0QOAK467szjl"
    "jWn1E8M+xHqAh35jPQH6N3GKtxRdSJKsqFMTyiNygEh/HaDvPmFhxYskAWmcloe1vuczhL"
    "LzhxeObABklp/8ag/o76LMKXXsPJ+WBXXgTjUvqkk01OOtGG81NzeDvsp/h3WLWjU7LaUm"
    "5yT2eWgJzdjnUuUrny2lWqgqtUiOAmLpg5wnpXedOjzZV6sHE3JGR1LzyjF9zKVFJKrI0U"
    "xw6cB+OquCY5njLFEyNuC8Z4ZirKdkOQkq/2TnhRu6ZSF5AqIZZboTh858ubpeV/gAV0R6"
    "Jctwz1MfZ9NctRIMPoONRXPMqq50J7x4pecB7RATXRd4dd3wdRcRfLBSjfqeecZD00a2lB"
    "ezE2y4vxSf2zmcrnd2+afMpJFcWykVrl+31BNyI0x1Hi/9LbvXnCu1MeO53dqI61nMG7WF"
    "irMVC/lBUcy1M4sHNldze23+7L2Pbp9rGBFxXQTUm1KDZza8Aq9WQTdjMp2UIae0/9v3LI"
    "zjCPdyPiBuTOdK61EOxZr7MPwjJPxwowRD1ih3myhdpnOXc9NOGeY9xP5IMhm2AGDvt+ju"
    "6PEGkkQ55U7BVlnJoE5DMmwXarh+iAMAYgtm8Zz9StXv6VisSCbN3PtSIqutlu1bW2SfuF"
    "29MKio0L+W8FsIPyLSTwaolsjz9ZBuYh+VKgIqTEWqDxrlumBr8PEytUgOjBp/7vh4lV6u"
    "Lq8qegeKwHTi+uTjJmhw5M2V5gipjVK4AZlteqbRbMBXHHvgOeXH4r4JonqiHOI3T+XFLI"
    "HwWnlFfbpUoJts+7vB6uAQ6hzdEj1nomREI7dEcI1Lm99UbQDl7FA30/LeMykVGaD2lbr2"
    "+BD9HnFNZxAl9F4mhIJbmRoY2GvgZRTBoFOkYpygibNmWvZTYcYiKLPBAroHj8DeAeupT+"
    "6WqP3TxG2DXmYoE1ZcIHpTbyV2hOIbnuCs0d8XY5p3vU1hSk/vnMPGohjODVg+w74nOBAu"
    "gNIl+EAO8GFSBOvSAF8HRJLe+1+AOOiZPiI3YwucM2nVFDjukeXOS9k/7tYDw8H9xMDsFn"
    "nxpz6dTPHGCnNDHVNBVSE1MvpbKHH14F+zMho5mSvA1B8XR0YeWanT9aDi7aEUyIpZCdgV"
    "xd2H7Xq2uvdQ1uZ1efTy4G6PpmcHp+e351mVS85M2kGXQz6F+kz0cRYMxonrvGz7dXl/kw"
    "x2XSmjA1PPQ/ZFFeG9Sdv8+WTEV9yeWMMt6D9v7xApQrYLSeck2zqyntFipIU66BFlCVB4"
    "iJ6cAETQV8w0ahpgK+xV5vuGtEn7jCjOrk2Lj+ne46KxdHZZ6yc4v7WbskN8sluTCxarF9"
    "VpxWtQ0m2tH792V8B96/L/YdgHsZD84qCPvFW4huLQawaNHzz8Uqaz/ERHZvPtRPnNZqKL"
    "zoYvb1/wGhjVVp"
)
