from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "webhook_endpoint" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "description" VARCHAR(2000) NOT NULL,
    "events" JSON NOT NULL,
    "enabled" INT NOT NULL,
    "secret" VARCHAR(100) NOT NULL,
    "previous_secret" VARCHAR(100),
    "previous_secret_until" TIMESTAMP,
    "failing_since" TIMESTAMP,
    "disabled_reason" VARCHAR(300),
    "deleted_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* A URL of the brand's that receives the events it subscribes to, signed with its secret. */;
        CREATE TABLE IF NOT EXISTS "webhook_message" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "message_id" VARCHAR(40) NOT NULL UNIQUE,
    "event" VARCHAR(32) NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* One message waiting to be fanned out to the endpoints: written in the transaction of the */;
        CREATE TABLE IF NOT EXISTS "webhook_delivery" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "message_id" VARCHAR(40) NOT NULL,
    "event" VARCHAR(32) NOT NULL,
    "body" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\nSUCCEEDED: SUCCEEDED\nFAILED: FAILED */,
    "attempts" INT NOT NULL,
    "failures" INT NOT NULL,
    "last_status_code" INT,
    "last_error" VARCHAR(300),
    "last_attempt_at" TIMESTAMP,
    "next_attempt_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "endpoint_id" BIGINT NOT NULL REFERENCES "webhook_endpoint" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_webhook_del_endpoin_172e23" UNIQUE ("endpoint_id", "message_id")
) /* One message to one endpoint, and how its attempts went. `next_attempt_at` is when a */;
CREATE INDEX IF NOT EXISTS "idx_webhook_del_endpoin_62c3f9" ON "webhook_delivery" ("endpoint_id", "id");
CREATE INDEX IF NOT EXISTS "idx_webhook_del_status_5b6f00" ON "webhook_delivery" ("status", "next_attempt_at");
CREATE INDEX IF NOT EXISTS "idx_webhook_del_endpoin_8e881f" ON "webhook_delivery" ("endpoint_id", "status", "next_attempt_at");
CREATE INDEX IF NOT EXISTS "idx_webhook_del_created_b8f7ae" ON "webhook_delivery" ("created_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "webhook_endpoint";
        DROP TABLE IF EXISTS "webhook_delivery";
        DROP TABLE IF EXISTS "webhook_message";"""


MODELS_STATE = (
    "eJztXWtz2zbW/isYf4k9o2hSx0n7Ojs7I9tK161jZ2yn7W61I0EkJKEmAZWkrGh3+99fHI"
    "D3m0lZkikGM51GJnEA8gEInPv574HNTWK53Z7hUc4OTtF/Dxi2ifiRutNBB3g+j67DBQ+P"
    "LdkUR23GrueIP8XVCbZcIi6ZxDUcOvf7P+gxhE2bstcmmVBGTPRAmYn4BFHmEUf11EW3RN"
    "6m8JeLsEPQA5l7og3yZgThhUk9ZPFpF8Y0uSEGpWy6ne4XjP65IEOPT4m46YhBfv+3uCy6"
    "JV+JG/w5fxhOKLHMBIQPZAU9yBtDbzWXF89n2Pkom8Kzj4cGtxY2izWfr7wZZ2F78W5wdU"
    "qYeH6PmDFo2cKy/DkILqmnFRc8Z0HCxzSjC+LF8cKCCQJq9QjRtYPh8PrmfnjXvx8ODzKT"
    "F1DEAPcvGQJHMfECZFciYOOvQ4uwqTcTf3735s1faqAICdUMRvyld3v+j97toWh1BENyMU"
    "tqWV37t47Vvb9kJ9jDqhsJfYS1/LcG2EH7zaAdXIjgjpb/zvE+roT3cQnexwHeEb7xJ8vA"
    "fE++evkwp8h2h/bBwZawLoH2vv/bPfRsu+6fVhzRw0+93yTY9sq/c3Vz/WPQPDYD51c3Zy"
    "ng51yOnMH8khVAHhGk0BaXt4X2m20t7Ck8wevj706+P/nh7fuTH0QT+ZThle9L5uPy+j4F"
    "pkVtmgfmT3c31/loRhQpNE1qeOh/yKLu1lA9+NtkweSRhcYLanmUuV0Y7+8vsLYBofK1nV"
    "7GABl3vakje5EdpNe2a8yIubByNu7iCYnTPGtK/AOxKXv4rrE3OLdMvmRDl4gnMevsMHmk"
    "eq9J7zU2scfEGTpkzh3FKmcQPhNAEszyUc6lT8E8Fh1sC+fwym4X+9nNzVVisZ9dpk/JL5"
    "/O+oJhlCtfNKIeyZ8BYPcf68IeEe0Q64A531uoDYcAJEPsZeG+EHc8apOCzSRBmd7RfdJu"
    "8GMfmXPxguYNs1b+PJcxkJef+nf3vU+fE7Ny0bvvw53jBAcZXD18nzoBwk7Qr5f3/0DwJ/"
    "rXzXU/fSiE7e7/dQDPhBceHzK+HGIzJi8GVwPUErO+mJtrznqSUs96U2Y9wCg27fLpQccx"
    "eYhJ3nBhjI2HJXbMYeYOP+ZFbbO37GM7fQUzPJVzBuDCY8a0UY/UW13g1UGBsiq43XlKYw"
    "UNh6bf8km91T/4EonHWiEMb0HMuELJRRip0xrNsIkEu84ZQQYWErmJHSTGQIdzh08dbCNY"
    "zug/4v5RB82Jk1FgbWmcAVNdIMxMNOEOkkOoS4cj9WP4QFYjNDgYHBx10f2MoAl1XC/+AK"
    "BIw3IcIYoQx3Olvszhy86ALWfUmCHqopl4A4wYWSJ1lKr2LnIEszhl1CVmBzRt4hn4woMe"
    "uXhPp0jX9rvPB8lZCh9Twiam7t9VVXHUzGED6LSQxVXtn2Zq/V2yuZo4xdT+3/Hx27ffH7"
    "95+/6Hdyfff//uhzchd5u9Vcbmnl3+CId/YusJuIFi5Vxy4qqq6JJULVTUbVAxGlPU4Vog"
    "+81biW4lcEuwTUNr8AXL4XRK5GS/vRaOC4TjvG25eK0miNq4Yo9/qLJkj38oXrNw768st5"
    "YGPov6R+4QOmU/k5XE/lI8JmZGnhzs81qfwo72DPO/gmUVXI2OZAcvQ94hudrE+4u3Jkr8"
    "vRUc9O3luVjTL8sF33nYX0YFfLBqUI0TdsO2T9twfS70lWDqFowJsJHHPdEWOM2Qq8xymh"
    "2U5TRP0XKGPTTG5pRkrblbGmjAphx6AUoxGsEPwJ5iwZi6HEkOmriuYGEfxSiugQXjPaOu"
    "x51VF31RgmtgKxZIMdd/EE/0L/hsmF/FGMc45w5aiNXuyMvhO1nceKjJ92qGVzO8+7TZ7o"
    "DhjQvINdd8irI1bNpOVn9azw66lDpWpBRVa8DfGI+sTqahOPlqoJok0qAWgGpxNiVuHWEu"
    "S6jBzbhXYNcb+t91np9Q8dGXpVzr+GuYTX/bCgktRWspWkvR60rR4OZ7SwzuJCWnnNudUg"
    "kaGg6dqOWT8vOvM46MGRYHiSmF0o74PxEi4pJ6MykhgixO0JgIqZZIIRVPBKfaRb861PMI"
    "Q+MVAtl0pXydkb0Q7cGxOSNAb3WkZ3hGa+n0haVTnrN5lQqmikAfF8XHRfxg5nMAJNdXuh"
    "jlBFELkX5/UgHo9yeFOMOtJMwedsTeUwfjiKKFAG/F8V+dDVmMiz10Iwrtn7u+f648iOvA"
    "HhJo1J/hFa39GFvm0Vbkx9gQj7YzafjKkT/OAotYseQRGs3WCLuUtF00koawEfhnYblFgE"
    "PWf20iloLRCa1p6tT8Cx26JMdIt7GuB2w0xTadUEMJGbKD7o/i/6OjD2hkclssxq7v4daN"
    "hXCKQZTQATKNLY2B5BFbi43IKjqKU0dxtoWZ01GcLxTFSW2x/Q8XjlVndSeI2qcPP35zUk"
    "X0hmYla/wkI3y7RPBiOfxbadhPRKRDrGrE/cgjuo6UEhLocNqNCy8Okfxo7YjxDJ22bOr4"
    "tm9VLtTxbW2e9Q3Et0XLg2BHzFme05lP+PHnW2IVqfQTFuBQ2t+zZVBkBv5rmzqTc2zPMZ"
    "3m5qsK73XKNCdGvFUFf2fBGhImOYeAEtyJuY2o52sw3I7yL6ag5piIVRGYWsGoCpbWGeRM"
    "WHjIFew+yUlctZ0xtI12T220Wuu0PY9hrWXarpbJJq6Lp7UgjpG0EOV3lVB+V4LyuyzKRc"
    "bvYtm70Pi9A+G7RTbCMWcLt1DKLjsi05StkbN3HHAgLUx1o2sSRO3Tpm7lpHTFluG5a8i/"
    "CcIWir/7K+5mtRyEmetMcYxMT3CjJ9gXC4dz4hikVgaDHMrdnVnfaeWw/owa9BlpbXBrp3"
    "kt9a8KbXmm+jfQV7YuEGgnGmAftRI9cITr09rgYSzlQgWlsBKniRkldDAdvIS3l5s6OpRK"
    "WqJUs1L0k4paX9VxBBnQZuJtIQ1aF32R05mbEm5rIw1Y8OZ+c+hc5sDAKLozn1uUuIgzQx"
    "KFGej4UubH4BOIE4KB/+BjSNPhFqe0iKvdfazTCS2SjeCph+KpVTOtpm6cmjqcoOwclHnb"
    "xMl26G/zMifgBt1tTGJQcy0WJEmpWZDGsSAJgSI4kOpubinC3clqLdnodGj9i4fWx4//JO"
    "61g+vjvgB7hnvV8PrUB18QYJ9d2BtAt3USSxrb5qYuEDuQBR8lOciTfMKb5UJPolkVcUfw"
    "Ba/HXEwYCmkRBxHg91Db30G+Vvioi0ZzcZEadI4F7iMpYYwMbs8FiCpmBzt5Gf+2MYwQdC"
    "AVqxDWkS26MiGtAVQukdFD2EJKPyPdafwk1tLPhrAJdwwh+4xgF0yMo4OKmma00kFFOqjo"
    "Gwsq2ifr7C73mDaJgvtinNXzu9786gCqBnl26QCqrdnIfYjW8tzKo9UOXJUcuBzy54KKFT"
    "8kzOGWZee6f5Sq6gt60FGyNdT2afGxxtaSR7rW7tK0tb/h/QU7xowK0b7m6o6T6SVdY0mv"
    "uZw3spRbfVDGdFc1cE1RaVi1j151qPczlFcHcH+Ls54jVK8fwB07jYYOXz7XlS8wV3yOut"
    "3DhfEyDn152JUZt1IYV7Bzxdnoqjav0N9ubmEDCjqBZ1zQ4SmSIhFIRJ2oahS4yIGOpiBZ"
    "3rO7LE6SB9W+yOiooxJ7L2wbTGgCGPGPawT5vSNGocRNL24aLPTTiwzJUXvtptdMNz0lu6"
    "91EKZIN3ASNkwS3d+DL8vvBFtGHYVynEbrlDeuU5Zbbw1JLmyvZbgC0Xg9KS5Fq/exJu9j"
    "Wlov/qj2U26rIq1HrHo9t9s0XQsdd7ZiHNI+zi/l4xwXsJ7r5Bzva8+Qr+zlnPrAtZvzN+"
    "LmvHDYR1qgCPLvdcqVP6KVGK6iwud+RpAkQbIvdHj24+vrs4sjNIFqaNJtWOwV1F7YQiZ6"
    "IBadcW4ij/s10kLVjipkiYLStgkN0BbGGDDsQnEFjICv0Xn/9llTg90hn9Q5j0OCFjqHV2"
    "J5atRLzTsPLI6LvLpyUJ1A8/09DPKQvLj5cnbVR59v++eXd5e+BiQUC+RNuBQ5A9z2e1dp"
    "7wtrPsO1wA0pNMCVAK4Hrga2KrDjWsCONbBVgbX4dBgxMLVQzpJqyKtAXpiQpti7MKJoU6"
    "z4xjTOiidfQw2ZIGyhFnJPtI6FyuYa7iJblXA5g6TvB3kCrn+rUyrfxhpVcGeYU2IQkBQX"
    "LnFeh0sO+d3EcwOhQ4HZjDsdRE1iz7m4b6zQA1kd+QmCHDK38Coj3m5jkAGbiGXuIuqpVP"
    "cJSnFrSpy5GF8WGATfB8YdG1v0PyBNczPojCHyVeCDzMXcAucJgqiQnB0yEc9pgnTNZDZ9"
    "5C05chdjm7ouuFMiASpUM1zMH8XzuaMOFCJcMvWHCjeWJjsZaIygDLw9X4j3FQ/tcFs+j2"
    "yLFuJLdcTfVHTJl0KCt7jx8AGNVNTIEMNqIuYojD4GSvWSMq+/K8saUm/ADs9vru/71/dy"
    "8LOb6y93yHCISaE+gAX+IpIcIw8/EHhU8VCPYpMn5lGxy4caCG7HZkLGWoj1G78dgzvHJw"
    "TKyS9c1U2aMrgisP2DGHLNJptrjUQjNRIP4uXrKCSC9m20DbyvopFIn2UxjcT7TILl6GOo"
    "im+MpH1BUNspYS4OgSzCxZHpQftWrOBdB6XHD4gaqzpF1grok0v7/UmFlf3+pHBhw620vG"
    "dSDPVBa/l7Jam0x1f5F7COx1fI1WQXf58t7IzhMZ2bwafeYUaMz/3ri8vrH2vOQEB2ivwf"
    "A9b7/Pn25pf+xSkKfg3Ybf+n/vk9XAt+paWGlzl7/1wIIcHLORlKVFMxml3qpN50t+Wjt2"
    "WVVIH3YwnCRf6PGt88fH2ptIbKL0ahPUwz+VUDyb4GoAkaDWkmUDih3qgnyGdpW4PvjtOZ"
    "Ush+hyXXVTupbJa2RQkIdl25SlYAK/4YynIVZGh1woIaCQvSes1c9rxIn5ghbaF8ujHHV+"
    "3I/9xlvxcmtIQmgpsK+jUmOk2rI3OaPNN4Pncghe4aE50i1fPc5Hl2CBgZgOUT+7Cbl9m1"
    "LF9blrZ9poq3xxWOy7fHhacl3Eo5+Ulbac14nASRZkvWiseJm7d1sEhZsEhitdUOFokQL1"
    "Cy1Eq3ovxJfhE9tQjw7WZZiUFW7HIUIPqk29HwMWj5pO/RDSNR6AqQIc7Ef0R5C50iNS3S"
    "UUd0biwcR/TvO85IJyBD3GSy4Jg4xLppA8I2+s9PjRI5XAFxNi+KdmJppBPLI7YWOXaIOx"
    "tbVuEUhERt8o19e/z9+xB6+KMM7LtPvaurrC4Flv46EkCcTkv0jeb/gy2+dgWyBF2bPpwd"
    "a4rl8VJTFojTaFFgvdD86IB/piwQc+DeM9Qrh+UnvvWENHDeuzvvXfQPsktaS1lPAxv/jh"
    "sVkX8ZmQIPcgSI+O1SAYKmGlaSH8C3HkxfKEadjCYIKhinowlOw1ACpCIJAi/8fEFiGwMN"
    "2ICNfCOqaCnd/BkHN/2JWv5AfwpRCrFBkcBXPBdcXbAHBr78/g1B7XrUssT/Bbk5YIeBb1"
    "UHfbn++frm1+th7/z+8uZaRT9AMIEBSTQc5BLihwjMIDkkIzK7APWKhZ4ol0YmOCATARAr"
    "oR2+rDTNhW5t3JDil+QDVUBAeCsAXt7SklQjJanktFbWUiao2sibbCNBk7ZZv4TNev/8d+"
    "vjnee6+2vv9kJ67qofA3be+/wZLqh/m+vIu46Fqr12qc3HGcRP7AzI5RqfFKlW+jRa6RPn"
    "v2pOdIq0hRPd4sSbc4cbxHXXmvg0rXbraPIXrr2xm6DbFd/MnDgezTOBlyZqj1E9K3Bvf7"
    "6wrUTo6cS3L6Rd11lZq6qAm5uV9UqwQcQZc9FRT1VPPMhRBee06pRphK2o/RDHCCpphg2L"
    "Qw4XsTtSbr5yQfeKLeTxOSJMTAdxO2jpQEYm8AkxiJ/nZUZ8CgTVsgMfEbiWqxXe9CADdi"
    "hft+M3CP4dhvlvltx5II7MQANaYI8jHxlEPaX4lS4uBp+vipW3cgz5Icneo18FCtzi9uIF"
    "tFa2oVrZcNaqnmbRNLfwJNuGLjb6HKpCHPuAWojxxrV4sV2pNsgtVnFv3s3ch0ywWE59aT"
    "9F20I9T6vE/ejkXm+iSW4uLz3NzZpmnwGto0yIkew+BVCLVAlBAfl14uGSpPoba9w3ltFk"
    "vLjEfSez45TL23dBBp1q0naYcKdWQVxVUdYPspAdQSlbGXEhT45TKfoKQcybyV+3xKSuau"
    "j6mVJl9i8EWVKzblhbG0n6YTkEGzP54fnpVn1JXY2J/NvKeUsO/wEk7rG4/uAiUMCiQ4Id"
    "i0JbzMS1GZ0Kgbskv2q5FN4pLLOrxW0tbjdvX9fitha3Wwr05sXtghR4ZZt1+2oA79jAGh"
    "3wdZnyJKXmyRvHk2s7rrbjNgDzNthxzSlx+sxzVge5AmV0u1MuS0LDIQlbVjLZWpSRoF6H"
    "DEMxX3NmrZByMkKq0/zwnGqkUtBz+cIxiAq4gffzA18MLGt+QAfysYU415120SgWenN6cj"
    "w6ArHP9U22DCprBLU5bPxA3AFTJTmlQ1QUCuSJjshkQmR9zoyIKYeOIm8OkwE/r0Sngcts"
    "zzvqCDpqzJBJDNG9G0TxiDfGji/9urG3MPgCAPA4PNAHEJljcr7bGTAc2KI9Ff5jBkbt8Q"
    "qNooRrIzQVjy4eGq/A6AwDSDuznzVB/C2wPRxNsU0nUEkFwqPiI3XVP0NbZnsar0aFgnFJ"
    "+JCuCNJY6RfbsNDqzUBEo2PCn8PWFgY6PB2Z8sygh11FpqiwxVOk/h0wwZNcXfWvf+yfov"
    "DngJ31LuCK/AciUz72b297VxCZon4JOlUlSVCpH9Dqoi/4Tdl79HvAehc/fbm7/yQbR7/F"
    "GFBb6VSVWBqw/m+fL2//eYrUv9DbL/3bOzWm+pU+rV5GsI/DWYMtTpHtsPjAwU7Y4neVtF"
    "TvSrRU73Iqy2ALPrUhnuRGtpdtiBlSvS+uvS9GbF6dFZ+kal357K2UUooztnVVK2larVxp"
    "tHJFp24u/tDaGwqmVWpapaZVamuq1Hzoc7Rp0aQUK9JiqVMqe2IEerC5w6cOtj+gEVUlZO"
    "GiXynSb0Md5PEHwtAh3Bs7mEEUA+SUgUK9iPrlYXPdMDY7jFTN+fyvX0LXohN5GKgqug9k"
    "7oGTh+uROVpS37FDKfbEdZeaxHf6wMz1M+JIlRYEYEjFHDZmSin2IU4qPp2VemYVrgw/V8"
    "jADI3jpXsjn5SnVVa1VFRl6TpayYNuMD9HsTrKpC5kXBrKv2tgnqZr48G1DdcM/ChmwoEK"
    "knXQTlK1L+3G8ZuTKmsdmpUIXCeZbDR/cMrW4sIThJoJ3ycm3D8b11Io7VaV1C63kYALqQ"
    "d8nEojvx7yHhUcfU39XZymfefJVo5uCZlLc/eW8tMkSamTvDRZcyfnyiGeeLnhgnk0h0+r"
    "MNnpDnYy57sUVdo05Q6ZEMfBlphEs5YQlCHcyE7aIBF08w69AWQuqKoeiePlJVIq5BYKqF"
    "vDOGyscHCQXTwoG1cD4zxSDfB9ngK6WFGaTPn7SL3V0MSrZxZt6vldXeDVHoqcRRrqpHok"
    "QAsywW4IrrugqzYCZmB7jumUPbcemN9N6+wfSbBmkMWdTZ9dPS3o5zN2PGrQOd5Lf5NqmK"
    "njYDP15toKkq7IVwWlmK/2M8FK1cpoI1gyjO2ZMOXFtbcRK2WhfC5WiZCNNsKEPY/Y8+du"
    "5YpF6Km+2grVGJvP5hIUUGfQU1thIo/PZw0UTP3HFrMH4HUxnW0GqEvVV1uhcgiEgm2ARb"
    "gNO2ovVKAMy01EXgsnpVJrE0q13NSyusliQG8YuefifxuFtZnGnHxUa/vzBXxCoVtfjJF4"
    "yrtviGNtq+U2hrg5YiKfELzscOCVhz3kcpt4M0gPbFGbeipBMZrxhYMOJ5gKthIFawKBit"
    "/tHKQg3M4oA+ZL3eAeaFPXhe2woypuH6mUTbCeVH9u4F9ocNsWi8hboQnB3kJID+rJ4KZL"
    "oJCeO2BURdKCP9gYA2wLscqcWAKnVy6yuPEQFb6TXVAXka8CbulwCAYruEIZuC7CHHUH7F"
    "Z0j7ilOsNMIGDilXRInDsLpsJkoT8Gp5e1Qn/w8RqBrQ9U5VQMyt/pWneNDXQNpqqqMS1o"
    "30JPws2b0dZImNhWV7Y2WaJ1AIkOIGkY29fZswASpW8pZDdDdcyTzOY4bFkhoEQ2jrg+gh"
    "3B8nyIah3L+0fANKn5luwV9smAuZIEsvZFXiDJprt/olKxenWdTnMv+Cw1t+uEFMcJNWPQ"
    "aMZAhdvX4QoiihayBFsJz5e7Xk3eK07TQpy34ketmVzN5LaAyc1sHRsAtm3GwjSu8e2ygb"
    "KDMkIWyg6hjfJJ2YGELZ+UHe5C7bCfV9BPbggF61DA38t6dTJ1f27ktp+SkUr1bEZ82PgI"
    "AzZfjC3qzlQnqmaATMUkddDU+4BGYYuRenFkY+fBDdIh+rHvS0LmYmRqWYgvibtmokPQA4"
    "fDBRe1sNJIYUUrhbeoFA6Sn64hC6ZItTTYaGnQJq6L8xiOMv45JGnht7SV/IQqJXK90yKi"
    "WStkpmGuAC+UkFClxKml7IhI2hfMvBVlR4JhSq1vzi2CWcECj9OlsB4Lwm1tJeGV3R4NZz"
    "c3V4lT4ewytX6vv3w66wvJXIIvGlGvYFlrtYdWezRcPG+6bS/wfS2U0GPOsU/K6DTWtk7x"
    "vtuPn1RdO1dIzWRqg5sWeEUZs4XDkEPdB4SlTxak/XfIRDScgb8VOVVX+FL6f0Wrsqh230"
    "YHGjAghbvSNjg4WM44kjUGZMI2dHXzz94VSPO9++Ht5d3Pqn6fENAfBgdgQYQexVp2VkjQ"
    "OMhbctlZocweF9KxO+STjDnxd/86bJvq7XyXruCqfM8hvKcW5xsqzodzVfU8CwnaeJZVs5"
    "WUmEqyyRIMwoycvD4lCRJCijalRN9YXgSxSUI5mlqYJmg0qnmsrTgdPOzkgFq2Fcep2gTr"
    "ruuaZFG/s7FlFe8RbQP87fH370OI4Y8yUO8+9a6ucjaGuijmnWLfPIp2XRRtjWKOAsxnh2"
    "vwVTGSFnJWxydVFGAnxfqvkyxnNSfYK8jJU8JdJajatG43xguAyOgKUXBoYTdnCX+0OC5A"
    "N0OZwncCpHuIcAl8Fzdfzq766PNt//zy7vLmOmlqkjeTasXbfu8qF3A+domTm+jrScTjpB"
    "ryKpDPh9iij3kOP8VYx2jWBLlhRootYxzT/tQ4B5NU7bMFVdGWF+vKM/nRtU1C2yS0TWJN"
    "m8RnVc/lF+K46t0zRolUi06ZVcKvDjN8jDWuFOMOev7ljLsEjXzakVTsu6r4iyqzbMwwmx"
    "Ll8qeigriDwnR4SMwuZVTWIs5YJLYwBtSw6UOVGfHSBpSGNsQfvlNg1MxFhyOT22JtdH1w"
    "urGboyNpDIE6BmCdsFbKYgFP6vEBe2DykaU9QhaiNvh8BYYMvxCziqIfL+y577PoRrVy1I"
    "v4MVSOzKGFZLlq9EDI3EUY4vNFb7Fod1nYmnqyHI5LCoOsnhNR9a2YNJ4piRQbK2JfVnUl"
    "ZYyoNUlwd6CgzBx9L7NFx5IA5WzPyRRBxVuzk2xXx1gckaqsIA5R5eXDyE0K97kH5gUox5"
    "CN4VQ6B5J1697KKAMmjR2uJ654gpVWe/KEOvJKOArsvO6cMLH1Mq58y23BuVQxBqceJccs"
    "nPXuVu8jpQh1T9uDm2kPNniezqck1Xiuokcr0g6kKIW9RY52slq9+oi6yRLawfnNp89X/f"
    "v+BVSa938O2Hnv+rx/dSWvBj/T+18lSW7j9eHTu1fu7BTtNBnSJk/NSwvPuppyNfTbW8jN"
    "gI1NCI9rzXuKVtdcanI8i5qtoVjKbp58VqLuTRO2T+O7ldAWrffd1dGlRJeaSCeI2oj0pt"
    "JKaA37CyQ7iKTxZyJ7G3bUUmQT33GjbBdheuJctViUurhMKRZr9aRKbCSbEzJCS+yiIHM1"
    "5IQd+X84oy66l8XlZUPQUIHqae5QGzsrJCSm0ygB2kx0ohi7hEpsK6MMmC3YnSDIQnbSkf"
    "p+aREQr03cLhqF9egEwzmCbl3iyXxrnSDxLYZZQ3M6JxZl4rJKtTBg2VwL4pnBHqGy7zJf"
    "A/0heoehWleQW0EMJBEHU4dK3RA0euXCgzNvZq2QgefIIhOZCdiWdg6+8JCKVUUTDgaSyr"
    "kXgv4P1GcRvnSJTs4Hu/YhGKfazCnYoNKKG+Q2SvRxWnD+JuSn+HdYd6JTtFpSbvJMZ46A"
    "HGtHWfh2Lr0O464Rxh0iuE56iBxibVVeM+zFZw/WnoYErZ6FZ8yCU1uVlCJro4pjB06EcV"
    "ZcKzmeEsUTK24DwnhmK8pOQ1AuaOuT8KJyTa0pIHXSP25ExeE7Yd4uLP8DLFB3JNp1qqg+"
    "hr5bYjUVyL3UM0iCV25U8ceB8aKMDYfURN8ddXwfRKW7WMyB+U495yjrqbmVEbQXY7O8GJ"
    "/kP5vJfH73ZsuMz8b8bp5iLBvJVb7bF3QjheYwqt9c2dybR7w75vHgYDes4zaSrovTzFoN"
    "QfVLWd2w11za3a3tt/uytn11+9DA8xropqhalDdyY8Aq9mQd7WaSsoVq7D31/8pRdoY1Rh"
    "sRNyAt07nSQmCzLpMPwjZPxwowRD1ihzU8Bdtn8WkXjVyPGw8j+WDIJpiBw75fP/QDRBrJ"
    "kCcVgwWZ7EwC9BmRYLPdQ3RAGAMQs1vGq4iql3+lIrGgkuhzpYiabrYbda1tkr1wc1xBsX"
    "Ah/60BdtC+hQq8rWTdjT9ZBuZ78rWARUiRtYDjLTum+r/dJ06oANHDT73fjhKn1NXN9Y9B"
    "89gMnF/dnGXEDh2YsrnAFLGr1wAzbK9Z2yyYc+IMfQc8efzWwDWPVEOcp9D5c0GhtoVH82"
    "wlZVaqFGH7vMu3o2sQTGFedpxSz4SIaIfuCAE7t7feCNrBq3ih76dkXCUySutD2jbrG9CH"
    "xA+8QEjP84vxiT/+fEssXCBS5CZI2LOVUGSW/mubiqN7KpUbGbXRvc9BFCuNAh6jksoImz"
    "Zlr2U2HGIiizwSK1DxBKly0LX0T1c2dvMUYceYiQPWlAkfFNvovkIzCoX/VmjGxdvlVB7f"
    "2lCQAugL86iFMIJXD7LvQBED0QC9QeSrIHA7QQfIpV5QnnC8oJb3Wvwxxi6R5AN2OJpim0"
    "6oIdd0Fy663bPeXX94f9m/HR2Bzz41ZtKpn3HQTmnFVNNYSK2YeimWPfzwasifCRqtKckz"
    "CIqno3MrV+wsSRWaJNtlStbvutuytZbgtolsoWMBxoTmuWv8dHdznQ9znCbNCVPDQ/9DFn"
    "W3BvXB3yYLpqK+5HFGmduF8f7+AipXwKhc5ZrWrqa4W+ggrXINuIC6eoAYmQ5M0KqAb1go"
    "1KqAb3HWG+4a8SsZzzh/uCCQzdxZHeQIu+kmnTK5d6kagzN41LpS4lu/pDEknAXfZsJM6X"
    "nZkdkJZ3wp075izwMVBpSyY14XjRj56g39i0GotoydxhnhdwtjDNiSOw9QlA+vxKyuwNMC"
    "WqNDIZxaRI4hxgenCzEGiLpiRCVuYy8Y55UrxHAh+B59UO4bEGU+YHdfzs/7/Yv+BWTd/d"
    "i7vOpfiEeZYGotxLobIYMvmB9UDheFLB8+duAcojLjImcBUrbDF9NZ4PQBj+oaM2IuxEMe"
    "YpkKUk0Xcj3sAAbiPZZAKp5qFPQcjqoSBPuXi7NEBvDK700hD9EC2RSR8YZBksgo410Kf3"
    "U7TvJE09h5qBNNNjPRZGx1ZGbhySLo7Y06O6miGjgp1gycZBQD4sutV4koJGghvG+PK8D7"
    "9rgQXriVklu5maNELPYECtq3AtxdOwF9ExlVP/evLy6vfzxF/o8YZ3CKwp8DpliEU59VSD"
    "M/lRSRG8+uGvANNZSQcZLWBHFvrtypz/7VADROogFNAwqlyYZqJxCYmTk2iUJg80i1u1YB"
    "xMRxeC1frSRV+xy13lay+rwtsfq8zVp9JGgx6SeDd7kGKYdcZw9qjtYoqyxMS7s15zuHXM"
    "93k+dbmwS+iWkOVFu52pAynVSKsE02/JeocZSdkex01M7M4yvT+7Ee92xGquaHSa3GRuXL"
    "Tc9CsdUjPlFPWz3iC6VKYakvt1eBun7sYAZxltI04BCD0Ee/hJ5UwYEJAbmLMXQwhhu8g1"
    "yx8oipXO3AcOESsc97OW5/2xkHfP4gR436Ex2OljPxczhYHL85fj+SRanARRBME6JX91T2"
    "A7WlGCGmMom43K+yx7iHxgS8+WbE7KJLT1LP+FKModLuSouLf46BTcThHvxUphtVzg9PMT"
    "gRqvy8vc+X0Ax+WnzqdlFv4kEbRaiy85IBmzvkkfJF8FLyGV3xKEGMrLSDgB1nIb0bR0H7"
    "oWo/lJdHoncWWpNUacUBCw0yM/xIELaswFLjUvFGypgj4BjKP0cyca/HuXhaAZF4e5O6sL"
    "x83GXlQpezDwMmPyPAER5LlTCEWQlNOIFn5uHId+EEo9XRNrL/aAPJrgwkC8eqIz77zZus"
    "2Vw/jrdiIG9pJG+9UN5ioNsXyrsbuNVZk0W62L0votDOfeWmlDWc+wiTR03ODl/m2xej0k"
    "F+1T37FOdQZ5eJKFq4o2/FAT7FptUBO4e0ffrnXYCueOO6qqrCTrRusslKq4QwU3fOM8R6"
    "rps814FkukaFvxzS9m2uWzHuRbJ83a8rSak/rSZ/WtrE801Msw7zaO00r5Xiwdfd0jzXrj"
    "oZHnJCNfZz+neb5sGH7ZPyJz8otgYFLTpVjEF2rHGtCJglplK/73GwiUwwA+sLlPgTF/wg"
    "EpWU/BQtHep5hAWZFOLFB5W9J2MM2tZAA6YqEIBBB+w5C8HKu50gi4SMaombKSAoRqaE6K"
    "JR5Mc/Cio4jnwQX4trA6biTUIDhxhQWo0c6OUDGoEX9Ug98FfxTAg0XMkYFeSKV3G1CWSf"
    "TSDNiRFpULYOHSGiI0T2B9xdR4hoaUqz2dt1JOoJTsaY5XGM/p1SThFHbZ5iEIsnVld0al"
    "ZFJ7+kTZ0jNEbSin0+5UPw7l0VF4J374o9COBepgBOHYT95i1EdyuWPDGil8sGFvtnxEh2"
    "76DxMgflxlwxXvQw++v/ATIUzus="
)
