from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "questionnaire" (
    "key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "title" VARCHAR(200) NOT NULL,
    "questions" JSONB NOT NULL,
    "completion_action" VARCHAR(100),
    "repeat_every_days" INT,
    "active" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "questionnaire" IS 'An admin-defined questionnaire. `questions` is a list of {key, prompt, kind, options,';
        CREATE TABLE IF NOT EXISTS "questionnaire_submission" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "idempotency_key" VARCHAR(128),
    "submitted_at" TIMESTAMPTZ NOT NULL,
    "is_latest" BOOL NOT NULL,
    "interaction_id" BIGINT REFERENCES "interaction" ("id") ON DELETE SET NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    "questionnaire_id" VARCHAR(100) NOT NULL REFERENCES "questionnaire" ("key") ON DELETE RESTRICT,
    CONSTRAINT "uid_questionnai_member__5801dd" UNIQUE ("member_id", "idempotency_key")
);
CREATE INDEX IF NOT EXISTS "idx_questionnai_member__533d46" ON "questionnaire_submission" ("member_id", "questionnaire_id", "is_latest");
COMMENT ON TABLE "questionnaire_submission" IS 'One accepted set of answers. Unique by (member, idempotency key): a replay finds this row';
        CREATE TABLE IF NOT EXISTS "questionnaire_answer" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "question_key" VARCHAR(100) NOT NULL,
    "choices" JSONB NOT NULL,
    "value" INT,
    "text" TEXT,
    "answered_at" TIMESTAMPTZ NOT NULL,
    "is_latest" BOOL NOT NULL,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    "questionnaire_id" VARCHAR(100) NOT NULL REFERENCES "questionnaire" ("key") ON DELETE RESTRICT,
    "submission_id" BIGINT NOT NULL REFERENCES "questionnaire_submission" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_questionnai_member__584e2b" UNIQUE ("member_id", "submission_id", "question_key")
);
CREATE INDEX IF NOT EXISTS "idx_questionnai_member__26b723" ON "questionnaire_answer" ("member_id", "questionnaire_id", "is_latest");
CREATE INDEX IF NOT EXISTS "idx_questionnai_questio_cf87be" ON "questionnaire_answer" ("questionnaire_id", "question_key", "is_latest", "value", "member_id");
COMMENT ON TABLE "questionnaire_answer" IS 'A member''s answer to one question in one submission (see the module docstring).';
        CREATE TABLE IF NOT EXISTS "questionnaire_answer_choice" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "questionnaire_id" VARCHAR(100) NOT NULL,
    "question_key" VARCHAR(100) NOT NULL,
    "option" VARCHAR(100) NOT NULL,
    "is_latest" BOOL NOT NULL,
    "answer_id" BIGINT NOT NULL REFERENCES "questionnaire_answer" ("id") ON DELETE CASCADE,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_questionnai_member__36481f" UNIQUE ("member_id", "answer_id", "option")
);
CREATE INDEX IF NOT EXISTS "idx_questionnai_questio_1eabaf" ON "questionnaire_answer_choice" ("questionnaire_id", "question_key", "option", "is_latest", "member_id");
CREATE INDEX IF NOT EXISTS "idx_questionnai_member__f4ec34" ON "questionnaire_answer_choice" ("member_id", "questionnaire_id", "is_latest");
COMMENT ON TABLE "questionnaire_answer_choice" IS 'One option a member chose in one answer, denormalised for set-based targeting: see the';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "questionnaire_answer_choice";
        DROP TABLE IF EXISTS "questionnaire";
        DROP TABLE IF EXISTS "questionnaire_submission";
        DROP TABLE IF EXISTS "questionnaire_answer";"""


MODELS_STATE = (
    "eJztfXtz27aa91fB6J/Y8yqe1HHSrrOzM76oPT7HsbO203a32pEgEpJwTAIqSVnRnu13f/"
    "EAvN9MyqJMMZjpNDKJByB/AIHn/vyrZ3OTWO7RmeFRznqn6F89hm0ifqTu9FEPLxbRdbjg"
    "4Yklm+KozcT1HPGnuDrFlkvEJZO4hkMXfv+9M4awaVP21iRTyoiJHikzEZ8iyjziqJ6O0B"
    "2Rtyn85SLsEPRIFp5og7w5QXhpUg9ZfHYEY5rcEINSNmum+yWjfy7JyOMzIm46YpA//kdc"
    "Ft2Sb8QN/lw8jqaUWGYCwkeyhh7kjZG3XsiLF3Ps/CybwrNPRga3ljaLNV+svTlnYXvxbn"
    "B1Rph4fo+YMWjZ0rL8OQguqacVFzxnScLHNKML4sXx0oIJAmr1CNG13mh0c/swuh88jEa9"
    "zOQFFDHA/UuGwFFMvADZlQjY+NvIImzmzcWfP7x795caKEJCNYMRfz27u/jb2d2BaHUIQ3"
    "IxS2pZ3fi3jtW9v2Qn2MOqGwl9hLX8twbYQfvtoB1ciOCOlv/O8T6uhPdxCd7HAd4RvvEn"
    "y8D8QL55+TCnyHaHdq/XENYl0D4Mfn+Anm3X/dOKI3rw+ex3Cba99u9c3978EjSPzcDF9e"
    "15CvgFlyNnML9iBZBHBCm0xeWm0H7X1MKewRO8Pf7h5MeTn95/PPlJNJFPGV75sWQ+rm4e"
    "UmBa1KZ5YP79/vYmH82IIoWmSQ0P/R+yqNsYqr1/ny6ZPLLQZEktjzL3CMb7j1dY24BQ+d"
    "pOL2OAjLvezJG9yA7Sa9s15sRcWjkbd/GExGleNCX+gdiWPXzX2BucWyZfsZFLxJOYdXaY"
    "PFK916T3GpvYE+KMHLLgjmKVMwifCyAJZvko59KnYJ6IDprCObyy28V+fnt7nVjs51fpU/"
    "Lr5/OBYBjlyheNqEfyZwDY/ae6sEdEO8Q6YM73FmrDIQDJCHtZuC/FHY/apGAzSVCmd3Sf"
    "9Cj4sY/MuXhB85ZZa3+eyxjIq8+D+4ezz18Ss3J59jCAO8cJDjK4evAxdQKEnaDfrh7+hu"
    "BP9N+3N4P0oRC2e/jvHjwTXnp8xPhqhM2YvBhcDVBLzPpyYW4460lKPettmfUAo9i0y6cH"
    "Hcf0MSZ5w4UJNh5X2DFHmTv8mBe1zd6yj+30FczwTM4ZgAuPGdNGPVFvfYnXvQJlVXC7/5"
    "zGChqOTL/ls3qrv/EVEo+1RhjegphxhZKLMFKnNZpjEwl2nTOCDCwkchM7SIyBDhYOnznY"
    "RrCc0f+K+4d9tCBORoHV0DhDprpAmJloyh0kh1CXDsbqx+iRrMdo2Bv2Do/Qw5ygKXVcL/"
    "4AoEjDchwhihDHc6W+zOGr/pCt5tSYI+qiuXgDjBhZIXWUqvYucgSzOGPUJWYfNG3iGfjS"
    "gx65eE+nSNf2h88HyVkKH1PCJqbuf6qq4qiZwwbQWSGLq9o/z9T6u2R7NXGKqf234+P373"
    "88fvf+408fTn788cNP70LuNnurjM09v/oFDv/E1hNwA8XKueTEVVXRJak6qKjbomI0pqjD"
    "tUD2m3cS3UrglmCbhtbgS5bD6ZTIyX57LRwXCMd523LxWk0QdXHFHv9UZcke/1S8ZuHeX1"
    "luLQ18FvWfuUPojP2DrCX2V+IxMTPy5GCf1/ocdrRnmP8VLKvganQkO3gV8g7J1SbeX7w1"
    "UeLvneCg764uxJp+XS743sP+Mirgg1WDapywG7Z93obrc6FvBFO3ZEyAjTzuibbAaYZcZZ"
    "bT7KMsp3mKVnPsoQk2ZyRrzW1ooCGbcegFKMVoBD8Ce4oFY+pyJDlo4rqChX0So7gGFoz3"
    "nLoed9ZH6KsSXANbsUCKuf6DeKJ/wWfD/CrGOMY599FSrHZHXg7fyeLGY02+VzO8muHdp8"
    "12BwxvXECuueZTlJ1h03ay+tN6dtCl1LEipag6A/7WeGR1Mo3EyVcD1SSRBrUAVIuzGXHr"
    "CHNZQg1uxr0Cu97I/67z/ISKj74s5UbHX8ts+k0rJLQUraVoLUVvKkWDm+8dMbiTlJxybv"
    "dLJWhoOHKils/Kz7/NOTLmWBwkphRK++L/RIiIK+rNpYQIsjhBEyKkWiKFVDwVnOoR+s2h"
    "nkcYmqwRyKZr5euM7KVoD47NGQG60ZFe4BmtpdNXlk55zuZVKpgqAn1cFB8X8YOZLwCQXF"
    "/pYpQTRB1E+uNJBaA/nhTiDLeSMHvYEXtPHYwjig4C3IjjvzobshgXe+hGFNo/d3P/XHkQ"
    "14E9JNCov8ArWvsxdsyjrciPsSUebefS8JUjf5wHFrFiySM0mm0Qdilpj9BYGsLG4J+F5R"
    "YBDln/solYCkY/tKapU/MvdOCSHCPd1roesvEM23RKDSVkyA6OfhH/Hx9+QmOT22IxHvke"
    "bkexEE4xiBI6QKaxpTGQPGFruRVZRUdx6ijOrjBzOorzlaI4qS22/9HSseqs7gRR9/Thx+"
    "9Oqoje0KxkjZ9khG+XCF4sh38rDfuJiHSIVY24H3lE15FSQgIdTrt14cUhkh+tHTGeodOW"
    "TR3f9r3KhTq+rcuzvoX4tmh5EOyIOctzOvMJf/7HHbGKVPoJC3Ao7e/ZMigyA//VpM7kAt"
    "sLTGe5+arCe/0yzYkRb1XB31mwhoRJziGgBHdibiPq+RoMt6/8iymoOaZiVQSmVjCqgqV1"
    "DjkTlh5yBbtPchJXNTOGttHuqY1Wa52a8xjWWqZmtUw2cV08qwVxjKSDKH+ohPKHEpQ/ZF"
    "EuMn4Xy96Fxu8dCN8dshFOOFu6hVJ22RGZpuyMnL3jgANpYaobXZMg6p42tZGT0hVbhudu"
    "IP8mCDso/u6vuJvVchBmbjLFMTI9wa2eYF8sHC2IY5BaGQxyKHd3Zv2glcP6M2rRZ6S1wZ"
    "2d5o3Uvyq05YXq30Bf2blAoJ1ogH3USvTAEa7Pa4NHsZQLFZTCSpwmZpTQwXTwCt5eburo"
    "QCppiVLNStFPKmp9VcchZECbi7eFNGhH6KucztyUcI2NNGTBm/vNoXOZAwOj6M5iYVHiIs"
    "4MSRRmoOMrmR+DTyFOCAb+J59Amg63OKVFXO3uY51OaJFsBE89Ek+tmmk1devU1OEEZeeg"
    "zNsmTrZDf5vXOQG36G5jEoOaG7EgSUrNgrSOBUkIFMGBVHdzSxHuTlbryEanQ+tfPbQ+fv"
    "wnca8dXB/3Bdgz3KuG16c++IIA++zC3gK6nZNY0ti2N3WB2IEs+ChJL0/yCW+WCz2JZlXE"
    "HcEXvJ1wMWEopEUcRIA/Qm1/H/la4cMjNF6Ii9SgCyxwH0sJY2xweyFAVDE72MnL+NfEME"
    "LQgVSsQlhHtujKhLQGULlERg9hCyn9jHSn8ZNYSz8bwqbcMYTsM4ZdMDGODipqm9FKBxXp"
    "oKLvLKhon6yzu9xjuiQK7otxVs/vZvOrA6ha5NmlA6gas5H7EG3kuZVHqx24KjlwOeTPJR"
    "UrfkSYwy3LznX/KFXVF/Sgo2RrqO3T4mONrSWPdKPdpW1rf8v7C3aMORWifc3VHSfTS7rG"
    "kt5wOW9lKXf6oIzprmrgmqLSsGofvepQ72corw7g/h5nPUeo3jyAO3YajRy+eqkrX2Cu+B"
    "J1u4cL43Uc+vKwKzNupTCuYOeKs9FVbV6hv93CwgYUdALPuKDDUyRFIpCI+lHVKHCRAx1N"
    "QbK8F3dZnCQPqn2R8WFfJfZe2jaY0AQw4h/XCPJ7R4xCiZte3DRY6KcXGZKj9tpNr51uek"
    "p23+ggTJFu4SRsmSS6vwdflt8Jtow6CuU4jdYpb12nLLfeGpJc2F7LcAWi8WZSXIpW72Nt"
    "3se0tF78Ue2n3FZFWo9Y9Xput2m6DjruNGIc0j7Or+XjHBewXurkHO9rz5Cv7OWc+sC1m/"
    "N34ua8dNjPtEAR5N/rlyt/RCsxXEWFz8OcIEmCZF/o4PyXtzfnl4doCtXQpNuw2CuovbSF"
    "TPRILDrn3EQe92ukhaodVcgSBaVtExqgBsYYMuxCcQWMgK/Ref/2WVOD3RGf1jmPQ4IOOo"
    "dXYnlq1EvNOw8sjou8unJQnULz/T0M8pC8vP16fj1AX+4GF1f3V74GJBQL5E24FDkD3A3O"
    "rtPeF9ZijmuBG1JogCsBXA9cDWxVYCe1gJ1oYKsCa/HZKGJgaqGcJdWQV4G8MCFNsXdhRN"
    "GlWPGtaZwVT76BGjJB2EEt5J5oHQuVzTXcRRqVcDmDpO+9PAHXv9UvlW9jjSq4MywoMQhI"
    "ikuXOG/DJYf8buK5gdCBwGzOnT6iJrEXXNw31uiRrA/9BEEOWVh4nRFvmxhkyKZimbuIei"
    "rVfYJS3JoRZyHGlwUGwfeBccfGFv1fkKa5GXTGEPkm8EHmcmGB8wRBVEjODpmK5zRBumYy"
    "mz7yVhy5y4lNXRfcKZEAFaoZLhdP4vnccR8KEa6Y+kOFG0uTnQw0RlAG3l4sxfuKh3a4LZ"
    "9HtkVL8aU64m8quuQrIcFb3Hj8hMYqamSEYTURcxxGHwOlekmZ19+VZQ2pN2QHF7c3D4Ob"
    "Bzn4+e3N13tkOMSkUB/AAn8RSY6Rhx8JPKp4qCexyRPzsNjlQw0Et2MzIWMtxPqN347Bne"
    "MTAuXkl67qJk0ZXBHY/pMYcs0mm2uNRCs1Eo/i5esoJIL2XbQNfKyikUifZTGNxMdMguXo"
    "Y6iKb4yke0FQzZQwF4dAFuHiyPSgfSdW8K6D0uMHRI1VnSLrBPTJpf3xpMLK/nhSuLDhVl"
    "reMymG+qC1/L2SVNrjq/wL2MTjK+Rqsot/wJZ2xvCYzs3gU+8wI8aXwc3l1c0vNWcgIDtF"
    "/o8hO/vy5e7218HlKQp+Ddnd4O+Diwe4FvxKSw2vc/b+uRRCgpdzMpSopmI0u9RJvTtqyk"
    "evYZVUgfdjCcJF/o8a3zx8fam0hsovRqE9TDP5VQPJvgagCRoNaSZQOKHeqCfIZ2k7g++O"
    "05lSyH6HJddVO6lslrZDCQh2XblKVgAr/hjKchVkaHXCghoJC9J6zVz2vEifmCHtoHy6Nc"
    "dX7cj/0mW/Fya0hCaCmwr6DSY6Tasjc9o803ixcCCF7gYTnSLV89zmeXYIGBmA5RP7sJuX"
    "2bUsX1uWtnumivfHFY7L98eFpyXcSjn5SVtpzXicBJFmSzaKx4mbt3WwSFmwSGK11Q4WiR"
    "AvULLUSrei/El+FT11CPBms6zEICt2OQoQfdbtaPQUtHzW9+iWkSh0BcgQZ+I/oryFTpGa"
    "FumoIzo3lo4j+vcdZ6QTkCFuMllwTBxiR2kDQhP956dGiRyugDibF0U7sbTSieUJW8scO8"
    "S9jS2rcApCoi75xr4//vFjCD38UQb2/eez6+usLgWW/iYSQJxOS/St5v+DLb52BbIEXZc+"
    "nB1riuXxUlMWiNNoUWCz0PzogH+hLBBz4N4z1CuH5Se+9YQ0cHF2f3F2Oehll7SWsp4HNv"
    "4dtyoi/yoyBfZyBIj47VIBgqYaVpIfwLceTF8oRp2MJggqGKejCU7DUAKkIgkCL/x8QaKJ"
    "gYZsyMa+EVW0lG7+jIOb/lQtf6A/hSiF2KBI4CueC64u2SMDX37/hqB2PWpZ4v+C3Byyg8"
    "C3qo++3vzj5va3m9HZxcPV7Y2KfoBgAgOSaDjIJcQPEZhDckhGZHYB6hULPVEujUxwQCYC"
    "IFZCO3xZaZoL3dq4IcUvyQeqgIDwVgC8vKUlqVZKUslpraylTFB1kTdpIkGTtlm/hs16//"
    "x36+Od57r729ndpfTcVT+G7OLsyxe4oP5tryPvJhaq7tqlth9nED+xMyCXa3xSpFrp02ql"
    "T5z/qjnRKdIOTnSHE28uHG4Q191o4tO02q2jzV+49sZug25XfDML4ng0zwRemqg9RvWiwL"
    "39+cIaidDTiW9fSbuus7JWVQG/LCtrhPj/y9njazjZ/OeSuNCCYeqQ+zAryt5uMbv1t7kW"
    "HCNxJlx0dKYKTfZytOY5rfplynMraj/CMYJKSnTD4pDuRhwklJtvXFBTYwt5fIEIEwgSt4"
    "9WDiSvAvcZg/gpcebEp0BQWDxwp4FruQr0bQ8yZAfydft+g+DfUZgqaMWdR+LIZD2gMPc4"
    "8pFB1FM6cukNZPDFuljPLceQ34LsPfpVoOsubi9eQCuwW6rADmet6sEfTXMHD/0m1NbR51"
    "AV4tgH1EGMt67wjO1KtUHusDVg+x75PmSCG3XqK0ZStB1UiXVKMxKd3JtNNMlNe6anuV3T"
    "7DOgdfQuMZLdZ0vqkNbF58g3Ch1MkupvrHXfWEbp8zoOajFZ+l4mEiqXt++DZEPVpO0wN1"
    "Gt2sGq+K4fjyI7gqq/MjhFnhynUvQVgpg3l7/uiEld1dD1k8rKRGkIEspmPdYaG0m6rDkE"
    "G3P54fmZaX1JXY2J/NvKz00O/wkk7om4/ugi0FWjA4Idi0JbzMS1OZ0JgbskFW25FN4vrE"
    "isxW0tbrdvX9fitha3Owr09sXtgmyBZZt198ol79gWHR3wdZnyJKXmyVvHk2uTtzZ5twDz"
    "3Zi8m5UqzRlxBsxz1r1cgTK63S+XJaHhiIQtK5lsLcpIUNpERuyYbzmz1kj5YyHVaX4kUz"
    "VSKei5fOkYRMUmwfv5MUIGluVRoAP52EKcO5odoXEsSun05Hh8CGKf65tsGRQhCcqY2PiR"
    "uEOmqpdK37EoasoTHZHplMhSphkRUw4dBSkdJGOj3ohOA+/iM++wL+ioMUcmMUT3bhDwJN"
    "4YO77068bewuBLAMDj8ECfQGSOyfluf8hwYIv2VKSUGRi1J2s0jnLTjdFMPLp4aLwGozMM"
    "IO3MfoIJ8bfA9mA8wzadQtEZiCSLj3Sk/hnZMjHWZD0uFIxLIq108ZTWSr/YhoVWbwYiGh"
    "0+/xK2tjAm5PkgnhfGh+wqiEdFeJ4i9e+QCZ7k+npw88vgFIU/h+z87BKuyH8giOfnwd3d"
    "2TUE8ahfgk4VlBJU6ge0uhwIflP2Hv0esrPLv3+9f/gsG0e/xRhQhupUVaMassHvX67u/u"
    "sUqX+ht18Hd/dqTPUrfVq9jmAfh7MGW5wi22Gdht5O2OIPlbRUH0q0VB9yivBgCz61EZ7m"
    "JgEo2xAzpHpf3HhfjNi8Ois+SdW5SuONVJ2KM7Z1VStpWq1cabVyRWe5Lv7Quhs1p1VqWq"
    "WmVWobqtR86HO0adGkFCvSYllmKntiBHqwhcNnDrY/oTFV1Xbhol9U029DHeTxR8LQAdyb"
    "OJhBFAOk34Gaxoj6lXRz3TC2O4xUzfn8r19t2KJTeRiogsOPZOGBk4frkQVaUd+xQyn2xH"
    "WXmsR3+sDM9ZMHSZUWBGBIxRw25kop9ilOKj6dtXpmFdkNP9fIwAxN4lWOI5+U51VWtVRU"
    "ZZlNOsmDbjGVSbE6yqQuJKcayb9rYJ6m6+LB1YRrBn4SM+FAsc06aCepupeh5PjdSZW1Ds"
    "1KBK6TTOKef3LKNuLCE4SaCd8nJtw/GzdSKO1WldQtt5GAC6kHfJxKI78Z8h4VHH1N/V2c"
    "pnvnSSNHt4TMpbl7S/lpkqTU+XDarLmTc+UQT7zcaMk8msOnVZjsdAc7mfNdiipdmnKHTI"
    "njYEtMollLCMoQbmUnbZEIun2H3gAyF1RVT8Tx8nJOFXILBdSdYRy2VmM5SMQeVNirgXEe"
    "qQb4IU8BXSXdDmjYnqi3Hpl4/cL6Vmd+V5d4vYciZ2G+nYR6JEALkuZuCa77oKsuAmZge4"
    "HpjL20dJrfTefsH0mw5pDwns1eXGgu6OcLdjxq0AXeS3+Tapip42A7pfm6CpIuXlgFpZiv"
    "9gvBSpUV6SJYMozthTDlxbV3EStloXwpVomQjS7ChD2P2IuXbuWKRThTfXUVqgk2X8wlKK"
    "DOoaeuwkSeXs4aKJgGTx1mD8DrYjbfDlBXqq+uQvVnPL3sCDN3RZwX4pbIWHsme/w+0DPm"
    "nBov3cVy0LuQ/X4fGLphhuNt4lgrb/JeougQCOncAqt/F3bUXahAqZ2no62Hk1KNdwmlWu"
    "6mWRtDMaC3jDxw8b+twtpOo2w+qrX9cgN+v9A9NyYQPOelO8KxttVylEP8KzGRTwjesjjw"
    "rsUecrlNvDmk+baoTT2VaBzN+dJBB1NMhXiIgjWBwFTn9nspCJsZZch87RmKHSN9JLVFhy"
    "r1Gqwn1Z8b+Akb3LbFIvLWaEqwt3SIq54MbroEaoe6Q0ZVRDz4dU4wwLYUq8yJJWJ74yKL"
    "G49RrU/ZBXUR+Sbglo7DYHiGK5SBCzLM0dGQ3YnuEbdUZ5gJBEy8lo7FC2fJVLg79MeAC7"
    "XW6J98skGA+iNVuVGDip+6vGdrA9aDqapqFA/ad9AjePvm8A0Sn3bVJbVLHiU6EEwHgrWM"
    "7evvWSCY0psWspuhWvVZZnMStqwQGCYbR1wfwY5geT5F5d3l/UNgmtR8S/YK+2TAXEkCWc"
    "MmLyBs290/U5xdvbpOi7sXfJaa201SA8QJNWPQasZApc2owxVEFB1kCRpJsyF3vZq8V5ym"
    "gzg3Eg+hmVzN5HaAyc1sHVsAtmtG/zSu8e2yhbKDciYolB1CX4NnZQcStnxWdrgPtcN+fl"
    "A/SSkUnkQBfy/rTsoSHLkZGPzUqlSqZzPiw9ZHGLLFcmJRd646UbU/ZEo1qYOm3ic0DluM"
    "1YsjGzuPbpDW1M9hsSJkIUamloX4irgbJiwFPXA4XHBRCyutFFa0UrhBpXCQxHgDWTBFqq"
    "XBVkuDNnFdnMdwlPHPIUkHv6VG8oyq1Ob1TouIZqPQt5a5ArxSYlGV2qqWsiMi6V5SgkaU"
    "HQmGKbW+ObcIZgULPE6XwnoiCJvaSsIruz0azm9vrxOnwvlVav3efP18PhCSuQRfNKJewb"
    "LWag+t9mi5eN52217gw14oocec3J+V0WmsbZ0inHc/f1b1KV0hNZOZDW5a4BVlzJcOQw51"
    "HxGWPllQvsMhU9FwDv5W5FRd4Svp/xWtyqIanFsdaMiAFO5K2+Cwt5pzJGuFyMSL6Pr2v8"
    "6uQZo/exjdXd3/Q9XhFAL647AHFkToUaxlZ40EjYO8FZedFcrscSEduyM+zZgT//Cvw7ap"
    "3s536QquyvccwXtqcb6l4nw4V1XPs5Cgi2dZNVtJiakkm/TEIMzIyc9VkugkpOhSaYOt5T"
    "cRmySUlaqFaYJGo5rH2orTwcNODqhlW3Gcqkuw7ro+URb1extbVvEe0TXA3x//+DGEGP4o"
    "A/X+89n1dc7GUBfFvFPsu0fRrouirVHMUYD57HANvipG0kHO6vikigLspFj/dZLlrBYEew"
    "W5tUq4qwRVl9bt1ngBEBldIQqOLOzmLOGfLY4L0M1QpvCdAukeIlwC3+Xt1/PrAfpyN7i4"
    "ur+6vUmamuTNpFrxbnB2nQs4n7jEyU3Y9yzicVINeRXIFyNs0ac8h59irGM0G4LcMiNFwx"
    "jHtD81zsEkVfdsQVW05cW68kydA22T0DYJbZPY0CbxhTgudQXg/wl68V6OUSLVol9mlVgE"
    "bUd/ho2fM0sUg73lGkrfizr9hVxwsaJ8jt15nT02aN+54lQfq4hyH4tFuY8ZUc7AjDNqYG"
    "tUF+QsZVOnWZfwrlvxq8OVvhrxzOELAIQGUNVAOkvZQcx/qOI2+0Ox2+wPGbfZCTdzLBcP"
    "5FtRzSe/fSfALXOLHfwujQ+h71MA4sHns98PEzLd9e3NL0HzGOgX17fn6d1aFzjuqodyRt"
    "x5JbZclUv9FfhpOQFZtjzZopwtV21HT7HGlVJPgfvNas5dgsY+7Vj627iqtip5Al8aY47Z"
    "jKhIHBWszx0UZptHYolRRqHXbFKABsaAErEDKOIqXtogrosM8YcfqxM1c9HB2OS2WLZHPj"
    "hHsZvjQ+mjBGUCwWnIWitHInhSjw/ZI5OPLIUSBLmrDL5Yg3+RDD9gnkpuNVnaCz+UyI1K"
    "0aoX8VMbODJFNWLwjuiRkIWLMKTNEr3FklCtIHaJerLarEsKcx9o0egVRaPYl1XddyBG1J"
    "kaMzvwG2jJFp3IaZq3QycblG7Qf2aaPu/MyRA2bcreyn2LmCjRxxEaB3+7stw2RhZ1ZVa/"
    "fz2SdR92R3vh9RHEpvURV8lKs5kBGxllyMAZSdCbf6EDsaOh8QzbdCqEWLmDJ4aIYBwf9i"
    "Gy06+9LPZ/sUG+dC+sWTfyJSUjW7YfNpUhoXiL9Khn1ZIEQ4JOyCg7ELrDbzGL8t/vb2/y"
    "UU4QpQUSanjo/+Q33RTivX+fLpmK0Z4sqeVR5h7BeP/R272AAiCVy4ppsTAldEAHGVlR7I"
    "AWkQqNqGZLZeVeHnH3DIKNZGjx/Vyk/LChj0yStkPBkFtzlJEl6/KqXpeF30VEO4y9C07X"
    "vQ2900qn4lUNgvStkNN7YYb5fVBC+UuyNEp+uTA3nPUkpZ71tsx6juoxzExfv8CqrhFTr7"
    "CcrmjSTAGKlyhP/CX3nAolWpkVFSl+BaWK+pQoZlWRgbLZDxiVXYLyAf6OlpBSXsiqA9xc"
    "WgSFYB/m5b/dev/PRKy6iVUZDDMCJUY2jDUiy+iiqDuyIErWD23N3E/0nGgv/njC1lK28g"
    "fQQbDtDIJNT2JVCTVN10FdTSPSaWF5smJNTYxE62m2rqcJN6qKKoKwvVYLZGVVj3zLkVeK"
    "vVGC9l1Qbe3aGUVxExuJiCnSDsqI+ysTZlUBCb6qhrotQac1bjrZVTsCS4rLjtYDPI+2i7"
    "g3wYVGImIu6GXiV4a0S4HEr+HFouOqmk9xn1SJvBDd7qsA03BnvvkE5Bdn9xdnl4Ne8c6+"
    "bdA7DHXeqVY7cDChbnBJnnuiLob+qkpvH8Bqqu8I7XoK8JEREVZy+1aOelGpNrl6Av206r"
    "OPTMK4Y2OLQk2FKXeQS7y3UI7XRB52ZkJiZLNT5GuwM+rwZoYZsrSm/AiNQ/lnjGzqONxx"
    "pdO2GuBNteSPoSFBPXOOAj3vg00rR3lYyj0hkwWqcdCuF+jh/Q5jqnitR2+1Hl1LMruVZL"
    "T9Yrd4R1tZ9cDOFzkwfocYa4XfjhV+PrtU9wRNkGk1SM2zVOtbdSKfV8e8KYVTJDhsU+/R"
    "OR+9NMyJHTVfydSCoL+Yzu85AT6pHqwqvifVldVkd2wYZCEWBMjJEIjne4geoa9yDaDJOq"
    "q4Tk1iL7gHacGR4H8PT2VMsgyvm4oV4oZhz7nieyMjqRIPDvGWDnNV6DM4wE2p43pI5jAX"
    "/5rUBLmeecRRYTEy+FCGV4cBMyh2WxAaEC9oDhloEKgnHgied11F9o89+ot857TA3kqBPT"
    "29NViPHNIuOLDswN4rNzZvs7iGNK32WtFeK1uc1r0XYmPnXm1JNkvbIe9GLc129DTROvfd"
    "6Se1FuEVtAjaiaJxJ4qCE3QLYF8le9uvo7Mq0lnGIYGzeAx08/X6upqzig5qfV0/lTsCgq"
    "1XoNeK3e2XqbKcZLs6AZgRqdQrib/hpT7lqpNA8j4E9Y+asjCz3kLmPMgorhoZRSW0IlJD"
    "pRRXcZ1VOApottwFAXUX495cPBGyxW6ybSWU+P6kK4l6HylV6NjL15cMilVQBs+TjgvBD5"
    "p3ydK4tcgzcRp7y5yjAySAAVvamUM7qVsKqdssA/Qubj9/uR48DC5PUfhzyC7Obi4G19fy"
    "avAzvf9VkhU+VhEV0jqlmKTwMePI8Po61tat++bFYp0wqBj9/UwdUyVhkAEbm2VtNu8p2i"
    "3MfDvlmbZPdCXNupqtkVjKbs2sgmnC7lmtPlTSd30o0Xd9yPrjaY3uro4uJbrURDpB1EWk"
    "tQ63RRqvujrcSBp/IbJ3YUcdRTbxHbeqWN4dmRLHwVYvVy3m3+uXK8VirZ5ViY1lc0LGaI"
    "VBXwW0xATHqrH/hzM+Qg9zgvyGgRvUwqE2dqSr1WkUXzUXnSjGLqESa2QUiMSCTPCMBD06"
    "fenOJWtdiNcm7hEai7Ug/lSihvThkq5kYvn3YXgYA8OsoQVdEIsyIjPAyzgvgRxzfe8uD7"
    "zEhMxiQliX8gJjfm2FT9E7jNS6IqYcSCIORTxkf+EzvnHhwZk3t9bIwAtkkal0QLNlBQ++"
    "9NCCw3pGyo+sYv75P3pB/z31WYQvXaKT88GufQjGqbqXqX573EaJPk4Lzt+F/BT/DutOdI"
    "pWS8ptnunMEZBj7SjzRcul36FPWnhlb53SQgTV8VnP2pRDrOslbeaUFrAHG09DglbPwgtm"
    "wamtSkqRdVHFsYNgtzgrrpUcz4niiRW3BWE8sxVlp+GWkQcu/tf4JLyqXFNrCkidFEBbUX"
    "H45UXvlpb/ARaoOxLt+lVUHyO/4GY1FciD1DNIgjeBcgJbyIHxTpV6ga/QATXRD4d9v7qm"
    "0l2o+hep5xxnE7M3MoKuz9mu+pzP8p/tZD5/eNcw47M1v5vnGMtWcpUf9gXdSKG5URG5HO"
    "LdMY+93m5YxyYysIjTzFqPQPVLWd0acrm0u1vb7/dlbfvq9pGBFzXQTVF1KExta8Dq0mHF"
    "UO+n/1eOsrNu6bBmzaPSMp0rLQQ26zL5IGxTpfg19YgNfvvS3ifYPotDrkfX48bjWD4Ysg"
    "lm4LBvUVs0Nj8JEsHOW2tk8yfiIspcauYnp9xu9xAdEMYAxOyWfUFsQh0oaX+El38jU2Ag"
    "SwyiK1u3jSsoFi7kvzXADtp3UIHXSF3r+JNlYC4uKpMi6wDHW3ZMNVFaRgembDMwRezqNc"
    "AM22vWNgvmgjgj3wFPHr81cM0j1RDnKXT+XFKoDeXRPFtJmZUqRdg97/JmdA26lLoupf76"
    "C30/JWNdSv17nPUt6EPiB14gpL8w80QyQcKerYRXSTjxQPPLfz/Q5+p9BzxGJZURNm3K3g"
    "rIKCMmssgTsQIVj28APkI30j9d2djNU4QdYy4OWFMmfFBso/sGzangzp01mnPxdjmlvhsb"
    "asiG7CvzqIUwgleXXumiV/G5QAP0DpFvgsDtBx0gl3q+z7yq2/tW/AHVUyT5kB2MZ9imU2"
    "rINX0EF92j87P7wejhanA3PgSffWrMpVM/46Cd0oqptrGQWjH1Wix7+OHVkD8TNFpTkmcQ"
    "FE9HF1au2PmzxXGRRTBBlkJ2CnRNYfvDUVO21hLcLm+/nl8P0Je7wcXV/ZVfED1kvOTNpB"
    "h0Nzi7TiE9EWBMaZ67RnEV+jiNLkNfrnLdoAx9wAXU1QPEyHRgglYFfMdCoVYFfI+z3nLX"
    "iN/IZM754yWxxC7trHs5wm66Sb9M7l2pxuAMHrWuVB/EJq4rnhF5XPo2E2ZKz8u+zE445y"
    "tVG9PzQIXhohVh3hEaM/LNG/kXg1BtGTuNM8JvA2MM2Yo7j0LatfFazOoaPC2gNToQwqlF"
    "5BhifHC6EGOAqCtGVOI29oJx3rhCDBeC7+En5b4BUeZDdv/14mIwuBxcIu6gn8+urgeX4l"
    "GmmFpLse7GyOBL5geVw0Uhy4ePHTiHLB1HvAByliBlO3w5mwdOH/CorjEnsiLpAZapINV0"
    "IdfDDmAg3mMFpOKpxkHP4ahENvUvF2eJDOCV35tCHqIFsiki4w2DJJFRxrsU/up2nOSZpr"
    "HzUCeabGeiydjqyMxCWQajOFUHdQMnVVQDJ8WagZOMYkB8uSyHtSjGOCToILzvjyvA+/64"
    "EF64lZJbuZmjRCz2BAradwLcXTsBfRcZVb8Mbi6vbn45Rf6PGGdwisKfQ6ZYhFOfVUgzP5"
    "UUkVvPrhrwDTWUkHGSzgRxb00BGbB/NQCNk2hA04Ba2PVGaicQmJk5NolCYPNItbtWAcTE"
    "cXgtX60kVfcctd5Xsvq8L7H6vM9afSRoMekng3e5BimHXGcPao/WKKssTEu7Nec7h1zPd5"
    "vnW5sEvotpDlRbtYskpgi7ZMPfgX6qJDNPXNmYMvvXzczjK9MHsR73bEaq5odJrcZW5ctN"
    "z0Kx1SM+Uc9bPeILpUphqa9314G6fuJgBnGW0jTgEINQCNaUNgNQwYEJAbnLCXQwgRu8j1"
    "yx8oipXO3AcOESsc97OW5/zYwDPn+Qo0b9iQ7Gq7n4ORouj98dfxzLolTgIgimCdGreyr7"
    "gdpSjBBTmURcDsMZmDHuoQkBb745MY/QlSep53wlxlBpd6XFxT/HwCbicA9+KtMNkx6LeI"
    "bBiVDl5z37cgXN4KfFZ+4ROpt60EYRquy8ZMgWDnmifBm8lHxGVzxKECMr7SBgx1lK78Zx"
    "0H6k2o/k5bHonYXWJPGo3BVdhwaZOX4iCFtWYKlxqXgjZcwRcIzkn2OZuNfjXDytgEi8vU"
    "ldWF4+7mCkgaoIn4ZMfkaAIzzWIyELV85KaMIJPDMPxr4LJxitDpvI/qMNJLsykCwdq474"
    "7Ddvs2Zz8zjeioG8pZG89UJ5i4HuXijvbuBWZ00W6WL3vohCO/eVm1I2cO4jTB41OTt8mW"
    "9fjEoH+VX37FOcQ51dJqLo4I7eiAN8ik2rA3YOaff0z7sAXfHGdVVVhZ1o3WSblVYJYabu"
    "nGeI9Vy3ea4DyXSDCn85pN3bXBsx7kWyfN2vK0mpP602f1raxPNdTLMO8+jsNG+U4sHX3d"
    "I81646GR5yQjX2c/p3m+bBh+2z8ifvFVuDghb9KsYgO9a4VgTMClOp3/c42ESmmIH1BUr8"
    "iQt+EIlKSn6KVg71PMKCTArx4oPK3pMxBjU10JCpCgRg0AF7zlKw8m4/yCIho1riZgoIip"
    "EpIY7QOPLjHwcVHMc+iG/FtSFT8SahgUMMKK1GDvTyCY3Bi3qsHvibeCYEGq5kjApyxau4"
    "2gSyzyaQ9sSItChbh44Q0REi+wPuriNEtDSl2exmHYnOBCdjzPM4Rv9OKaeIozbPMYjFE6"
    "srOrWropNf0qbOERoj6cQ+n/Ih+PChigvBhw/FHgRwL1MApw7CfvMOotuIJU+M6OWygcX+"
    "GTGS3TtovM5BuTVXjFc9zP76/0RYgzg="
)
