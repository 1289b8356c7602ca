from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "campaign" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(100) NOT NULL UNIQUE,
    "name" VARCHAR(200) NOT NULL,
    "message" VARCHAR(500) NOT NULL,
    "target" JSON NOT NULL,
    "bonus_points" BIGINT NOT NULL,
    "badge_key" VARCHAR(100),
    "starts_at" TIMESTAMP NOT NULL,
    "ends_at" TIMESTAMP NOT NULL,
    "holdout_percent" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* A retention campaign: whom it targets, what it offers, when, and the holdout share. */;
        CREATE TABLE IF NOT EXISTS "churn_fit" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "as_of" VARCHAR(10) NOT NULL UNIQUE,
    "r" REAL NOT NULL,
    "alpha" REAL NOT NULL,
    "a" REAL NOT NULL,
    "b" REAL NOT NULL,
    "log_likelihood" REAL NOT NULL,
    "members" INT NOT NULL,
    "fitted_at" TIMESTAMP NOT NULL
) /* The churn model (BG-NBD) fitted by maximum likelihood to every member's active days */;
        CREATE TABLE IF NOT EXISTS "campaign_member" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "held_out" INT NOT NULL,
    "decided_at" TIMESTAMP NOT NULL,
    "campaign_id" BIGINT NOT NULL REFERENCES "campaign" ("id") ON DELETE RESTRICT,
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_campaign_me_campaig_6ecc80" UNIQUE ("campaign_id", "member_id")
) /* A targeted member's draw: treated (offered the bonus and message) or held out. Unique per */;
CREATE INDEX IF NOT EXISTS "idx_campaign_me_campaig_80022e" ON "campaign_member" ("campaign_id", "held_out");
        CREATE TABLE IF NOT EXISTS "member_insight" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "as_of" VARCHAR(10) NOT NULL,
    "recency" INT NOT NULL,
    "frequency" INT NOT NULL,
    "monetary" BIGINT NOT NULL,
    "r" SMALLINT NOT NULL,
    "f" SMALLINT NOT NULL,
    "m" SMALLINT NOT NULL,
    "segment" VARCHAR(24) NOT NULL,
    "repeat_days" INT NOT NULL,
    "weeks_to_last" REAL NOT NULL,
    "weeks_observed" REAL NOT NULL,
    "p_alive" REAL,
    "churn_risk" VARCHAR(8),
    "member_id" VARCHAR(128) NOT NULL REFERENCES "member" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_member_insi_member__c43140" UNIQUE ("member_id", "as_of")
) /* A member's RFM scores, segment and churn risk as of one refresh date: one row per member */;
CREATE INDEX IF NOT EXISTS "idx_member_insi_as_of_8568f8" ON "member_insight" ("as_of", "segment");
CREATE INDEX IF NOT EXISTS "idx_member_insi_as_of_24bc96" ON "member_insight" ("as_of", "churn_risk");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "campaign_member";
        DROP TABLE IF EXISTS "campaign";
        DROP TABLE IF EXISTS "churn_fit";
        DROP TABLE IF EXISTS "member_insight";"""


MODELS_STATE = (
    "eJztXWtz2zbW/isYfYk9o2hSx0n7Ojs7I9tK161jZ2yn7W61I0EkJKEmQZak7Gp3899fHI"
    "D3m0lZlCkGM51GJnEA8gEInPv5b8+0dGK4g6HmUYv1TtB/ewybhP9I3emjHrbt6Dpc8PDM"
    "EE1x1Gbmeg7/k1+dY8Ml/JJOXM2htt9/b8gQ1k3KXutkThnR0T1lOrLmiDKPOLKnAboh4j"
    "aFv1yEHYLuie3xNshbEoRXOvWQYS0GMKZuaXxQyhbNdL9i9M8VmXjWgvCbDh/k93/zy7xb"
    "8hdxgz/t+8mcEkNPQHhP1tCDuDHx1ra4eLbEzkfRFJ59NtEsY2WyWHN77S0tFrbn7wZXF4"
    "Tx5/eIHoOWrQzDn4PgknxafsFzViR8TD26wF8crwyYIKCWjxBd600mV9d3k9vR3WTSy0xe"
    "QBED3L+kcRz5xHOQXYGAif+aGIQtvCX/87s3b77KgSIkZDMY8Zfhzdk/hjcHvNUhDGnxWZ"
    "LL6sq/dSTvfRWdYA/LbgT0Edbi3xpgB+23g3ZwIYI7Wv47x/uoEt5HJXgfBXhH+MafLAPz"
    "HfnLy4c5RbY7tHu9hrAugfZu9Nsd9Gy67p9GHNGDT8PfBNjm2r9zeX31Y9A8NgNnl9enKe"
    "BtS4ycwfyCFUAeEaTQ5pebQvtNUwt7AU/w+ui74++Pf3j7/vgH3kQ8ZXjl+5L5uLi6S4Fp"
    "UJPmgfnT7fVVPpoRRQpNnWoe+h8yqNsYqr2/zVdMHFlotqKGR5k7gPH+/gJrGxAqX9vpZQ"
    "yQWa63cEQvooP02na1JdFXRs7GXTwhcZpnTYl/ILZlD9819pplGbr1yCYu4U+i19lh8kjV"
    "XpPea0xizogzcYhtOZJVziB8yoEkmOWjnEufgnnGO2gK5/DKbhf76fX1ZWKxn16kT8kvn0"
    "5HnGEUK583oh7JnwFg9x/qwh4R7RDrgDnfW6g1hwAkE+xl4T7ndzxqkoLNJEGZ3tF90kHw"
    "Yx+Zc/6C+jUz1v48lzGQF59Gt3fDT58Ts3I+vBvBnaMEBxlcPXifOgHCTtCvF3f/QPAn+t"
    "f11Sh9KITt7v7Vg2fCK8+aMOtxgvWYvBhcDVBLzPrK1jec9SSlmvW2zHqAUWzaxdODjmN+"
    "H5O84cIMa/eP2NEnmTvWkVXUNnvLPDLTVzDDCzFnAC48Zkwb9UC99Tle9wqUVcHt/lMaK2"
    "g40f2WT+qt/mE9Iv5Ya4ThLYgeVyi5CCN5WqMl1hFn1y1GkIa5RK5jB/Ex0IHtWAsHmwiW"
    "M/oPv3/YRzZxMgqshsYZM9kFwkxHc8tBYgh56WAqf0zuyXqKxr1x73CA7pYEzanjevEHAE"
    "UaFuNwUYQ4niv0ZY712B+zxyXVloi6aMnfACNGHpE8SmV7FzmcWVww6hK9D5o2/gzWyoMe"
    "Lf6eTpGu7XefDxKzFD6mgI1P3b+rquKonsMG0EUhiyvbP83U+rtkezVxkqn9v6Ojt2+/P3"
    "rz9v0P746///7dD29C7jZ7q4zNPb34EQ7/xNYTcAPFyrnkxFVV0SWpOqio26JiNKaow7VA"
    "9pt3Et1K4JZgm4ZWs1Ysh9MpkZP99ko4LhCO87bl4rWaIOriij36ocqSPfqheM3Cva9Zbi"
    "0NfBb1j5ZD6IL9TNYC+wv+mJhpeXKwz2t9CjvaM8y/BssquBodyQ5+DHmH5Grj78/fmkjx"
    "94Zz0DcXZ3xNvywXfOthfxkV8MGyQTVO2A3bPm3D9bnQV5ypWzHGwUae5fG2wGmGXGWW0+"
    "yjLKd5gh6X2EMzrC9I1prb0EBjtrCgF6DkoxF8D+wp5oypayHBQRPX5SzsAx/F1TBnvJfU"
    "9SxnPUBfpOAa2Io5Usz1H8Tj/XM+G+ZXMsYxzrmPVny1O+Jy+E6Gpd3X5HsVw6sY3n3abH"
    "fA8MYF5JprPkXZGTZtJ6s/rWcHXUodK1KKqjPgb41HlifThJ98NVBNEilQC0A1LLYgbh1h"
    "LkuowM24V2DXm/jfdZ6fUPHRl6Xc6PhrmU2/aYWEkqKVFK2k6E2laHDzvSGa5SQlp5zb/V"
    "IJGhpOnKjlk/Lzr0sLaUvMDxJdCKV9/n/CRcRH6i2FhAiyOEEzwqVaIoRUPOec6gD96lDP"
    "IwzN1ghk07X0dUbmircHx+aMAN3oSM/wjFbS6QtLp1bO5lUqmEoCdVwUHxfxg9myAZBcX+"
    "lilBNEHUT6/XEFoN8fF+IMt5Iwe9jhe08djCOKDgLciOO/PBuyGBd76EYUyj93c/9ccRDX"
    "gT0kUKg/wyta+TF2zKOtyI+xJR5tp8LwlSN/nAYWsWLJIzSabRB2KWgHaCoMYVPwz8Jiiw"
    "CHrP+ahC8FrR9a0+Sp+RUduCTHSLe1rsdsusAmnVNNChmig8GP/P/Tww9oqlsmX4yDWOgm"
    "71wKGyDLmMIISB6wsdqKjKKiN1X0ZleYOBW9+ULRm9Tk2/5k5Rh1VneCqHt68KM3x1VEbm"
    "hWssaPM0K3SzgPlsO3lYb7REQqtKpGvI84mutIJyGBCqPdutDiEMGH1o4Uz9Api6aKa/tW"
    "5UEV19blWd9CXFu0PAh2+JzlOZv5hB9/viFGkSo/YfkNpfw9WwZF5t+vTepKzrBpY7rIzV"
    "MV3uuXaUy0eKsKfs6cNSRMcA4BJbgRWyainq+5cPvSr5iCemPOV0VgYgVjKlhYl5ArYeUh"
    "l7P7JCdhVTNjKNvsntpmldapOU9hpWVqVstkEtfFi1oQx0g6iPK7Sii/K0H5XRblIqN3se"
    "xdaPTegfDdIdvgzGIrt1DKLjsi05SdkbN3HGggLEt1o2oSRN3TpjZyUrp8y/DcDeTfBGEH"
    "xd/9FXezWg7C9E2mOEamJrjVE+yLhRObOBqplbkgh3J3Z9Z3SjmsPqMWfUZKG9zZad5I/S"
    "tDWp6p/g30lZ0LANqJBthHrUQPHOH6tDZ4Eku1UEEpLMVpokeJHHQHP8Lbi00dHQglLZGq"
    "WSH6CUWtr+o4hMxnS/62kP5sgL6I6cxNBdfYSGMWvLnfHDoXuS8wiu7YtkGJiyymCaIw85"
    "z1KPJiWHOID4KB/7BmkJ7DLU5lEVe7+1inE1kkG8FTT/hTy2ZKTd06NXU4Qdk5KPO2iZPt"
    "0N/mZU7ALbrb6ESj+kYsSJJSsSCtY0ESAkVwINXd3FKEu5PVOrLRqZD6Fw+pjx//SdxrB9"
    "XHfQH2DPeqYfWpD74gsD67sLeAbuckljS27U1ZwHcgAz5K0suTfMKb5UJPolkVcYfzBa9n"
    "Fp8wFNIiC0SA30Ntfx/5WuHDAZra/CLVqI057lMhYUw1y7Q5iDJmBzt5mf6aGIYLOpCClQ"
    "vryORd6ZDOACqWiOghbCCpnxHuNH7yauFnQ9jccjQu+0xhF0yMo4KK2ma0UkFFKqjoGwsq"
    "2ifr7C73mC6JgvtinFXzu9n8qgCqFnl2qQCqxmzkPkQbeW7l0SoHrkoOXA75c0X5ip8Q5l"
    "iGYea6f5Sq6gt6UFGyNdT2afGxxtaSR7rR7tK2tb/l/QU72pJy0b7m6o6TqSVdY0lvuJy3"
    "spQ7fVDGdFc1cE1RKViVj151qPczlFcFcH+Ls54jVG8ewB07jSaO9fhcV77AXPE56nYPF8"
    "bLOPTlYVdm3EphXMHOFWejq9q8Qn8728AaFHICz7igwxMkRCKQiPpRtShwkQMdTUGSvGd3"
    "WZwcD6p8kelhXyb0XpkmmNA4MPwfVwvyekeMQombXtw0WOinFxmSo/bKTa+dbnpSdt/oIE"
    "yRbuEkbJkkur8HX5bfCbaMOgrlOI3SKW9dpyy23hqSXNheyXAFovFmUlyKVu1jbd7HlLRe"
    "/FHtp9xWRVqPWPV6brdpug467jRiHFI+zi/l4xwXsJ7r5Bzva8+Qr+zlnPrAlZvzN+LmvH"
    "LYR1qgCPLv9cuVP7wVH66iwuduSZAgQaIvdHD64+ur0/NDNIcqaMJtmO8V1FyZXCa6JwZd"
    "WpaOPMuvjRaqdmQBSxSUtE1ogBoYY8ywC0UVMAK+RuX922dNDXYn1rzOeRwSdNA5vBLLU6"
    "NOat55YFi4yKsrB9U5NN/fwyAPyfPrL6eXI/T5ZnR2cXvha0BCsUDchEuRM8DNaHiZ9r4w"
    "7CWuBW5IoQCuBHA9cBWwVYGd1QJ2poCtCqxhLSYRA1ML5SypgrwK5IUJaYq9CyOKLsWKb0"
    "3jLHnyDdSQCcIOaiH3ROtYqGyu4S7SqIRrMUj63ssTcP1b/VL5NtaogjuDTYlGQFJcucR5"
    "HS455HcTzw2EDjhmS8vpI6oT07b4fW2N7sn60E8Q5BDbwOuMeNvEIGM258vcRdSTqe4TlP"
    "zWgjg2H18UFgTfB2Y5Jjbof0CatvSgM4bIXxwfpK9sA5wnCKJccnbInD+nDtI1E9n0kfdo"
    "IXc1M6nrgjsl4qBCFcOV/cCfz532oQDhI5N/yHBjYbITgcYIyr+b9oq/L39oxzLF84i2aM"
    "W/VIf/TXmX1iOX4A1Lu/+ApjJqZIJhNRF9GkYfA6V8SZHX3xVlDak3Zgdn11d3o6s7Mfjp"
    "9dWXW6Q5RKdQH8AAfxFBjpGH7wk8Kn+oB77JE/2w2OVDDgS3YzMhYi34+o3fjsGd4xMCZe"
    "RXruwmTRlc4dj+QTSxZpPNlUailRqJe/7ydRQSQfsu2gbeV9FIpM+ymEbifSbBcvQxVMU3"
    "RtK9IKhmSpfzQyCLcHFketC+Eyt410Hp8QOixqpOkXUC+uTSfn9cYWW/Py5c2HArLe/pFE"
    "N90Fr+Xkkq5fFV/gVs4vEVcjXZxT9iKzNjeEznZvCpd5gR4/Po6vzi6seaMxCQnSD/x5gN"
    "P3++uf5ldH6Cgl9jdjP6aXR2B9eCX2mp4WXO3j9XXEjwck6GEtVUjGaXOqk3g6Z89BpWSR"
    "V4P5YgXOT/qPDNw9eXSmuo/GIUysM0k181kOxrAJqgUZBmAoUT6o16gnyWtjP47jidKYXs"
    "d1hwXbWTymZpO5SAYNeVq0QFsOKPoSxXQYZWJSyokbAgrdfMZc+L9IkZ0g7Kp1tzfFWO/M"
    "9d9nthQktoIixdQr/BRKdpVWROm2ca27YDKXQ3mOgUqZrnNs+zQ8DIACwf34fdvMyuZfna"
    "srTdM1W8PapwXL49Kjwt4VbKyU/YSmvG4ySIFFuyUTxO3LytgkXKgkUSq612sEiEeIGSpV"
    "a6FelP8gvvqUOAN5tlJQZZsctRgOiTbkeTh6Dlk75H14xEoStAhizG/yPSW+gEyWkRjjq8"
    "c23lOLx/33FGOAFp/CYTBcf4ITZIGxCa6D8/NUrkcAXE2bwoyomllU4sD9hY5dghbk1sGI"
    "VTEBJ1yTf27dH370Po4Y8ysG8/DS8vs7oUWPqbSABxOiXRt5r/D7b42hXIEnRd+nB2rCkW"
    "x0tNWSBOo0SBzULzowP+mbJAzIF7z1CvHJaf+NYT0sDZ8PZseD7qZZe0krKeBjb+HbcqIv"
    "8iMgX2cgSI+O1SAYKmGlaSH8C3HkxfKEadjCYIKhinowlOwlACJCMJAi/8fEGiiYHGbMym"
    "vhGVtxRu/swCN/25XP5AfwJRCrFBEceXPxdcXbF7Br78/g1O7XrUMPj/Obk+ZgeBb1Uffb"
    "n6+er616vJ8Ozu4vpKRj9AMIEGSTQc5BLihwgsITkkIyK7APWKhZ4ol0YmOCATARAroR2+"
    "rDDNhW5tlibEL8EHyoCA8FYAvLilJKlWSlLJaa2spUxQdZE3aSJBk7JZv4TNev/8d+vjne"
    "e6++vw5lx47sofY3Y2/PwZLsh/2+vIu4mFqrt2qe3HGcRP7AzI5RqfFKlS+rRa6RPnv2pO"
    "dIq0gxPd4cSbtmNpxHU3mvg0rXLraPMXrryx26Db5d+MTRyP5pnASxO1x6ieFbi3P19YIx"
    "F6KvHtC2nXVVbWqirg9mZlveRsEHFmFu9oKKsn9nJUwTmt+mUaYSNqP8ExgkqaYc2wIIcL"
    "3x2ppb9yQfeKDeRZNiKMTwdx++jRgYxM4BOiET/Py5L4FAiqZQc+InAtVyu87UHG7EC8bt"
    "9vEPw7CfPfPFrOPXFEBhrQAnsW8pFB1JOKX+Hioln2ulh5K8YQH5LoPfpVoMAtbs9fQGll"
    "W6qVDWet6mkWTXMHT7ImdLHR51AV4tgH1EGMt67Fi+1KtUHusIp7+27mPmScxXLqS/sp2g"
    "7qeTol7kcn92YTTXJzealpbtc0+wxoHWVCjGT3KYA6pEoICshvEg+XJFXfWOu+sYwm48Ul"
    "7luRHadc3r4NMuhUk7bDhDu1CuLKirJ+kIXoCErZiogLcXKcCNGXC2LeUvy6ITp1ZUPXz5"
    "Qqsn8hyJKadcNqbCThh+UQrC3Fh+enW/UldTkm8m9L5y0x/AeQuGf8+r2LQAGLDgh2DApt"
    "MePXlnTBBe6S/KrlUni/sMyuEreVuN2+fV2J20rc7ijQ2xe3C1LglW3W3asBvGMDa3TA12"
    "XKk5SKJ28dT67suMqO2wLMu2DH1RfEGTHPWfdyBcrodr9cloSGExK2rGSyNSgjQb0OEYai"
    "v7aYsUbSyQjJTvPDc6qRCkHPtVaORmTADbyfH/iiYVHzAzoQj83FucFigKax0JuT46PpIY"
    "h9rm+yZVBZI6jNYeJ74o6ZLMkpHKKiUCCPd0TmcyLqc2ZETDF0FHlzkAz4ecU7DVxmh95h"
    "n9NRbYl0ovHu3SCKh78xdnzp1429hWatAADPggf6ACJzTM53+2OGA1u0J8N/9MCoPVujaZ"
    "RwbYoW/NH5Q+M1GJ1hAGFn9rMm8L85tgfTBTbpHCqpQHhUfKSB/GdiimxPs/W0UDAuCR9S"
    "FUFaK/1iExZavRmIaFRM+HPY2sJAh6cjU54Z9LCryBQZtniC5L9jxnmSy8vR1Y+jExT+HL"
    "PT4TlcEf9AZMrH0c3N8BIiU+QvTierJHEq+QNanY84vyl6j36P2fD8py+3d59E4+g3HwNq"
    "K53IEktjNvrt88XNP0+Q/Bd6+2V0cyvHlL/Sp9XLCPZxOGuwxSmyHRYf6O2ELX5XSUv1rk"
    "RL9S6nsgw24FOb4HluZHvZhpghVfvixvtixObVWfFJqs6Vz26klFKcsa2rWknTKuVKq5Ur"
    "KnVz8YfW3VAwpVJTKjWlUttQpeZDn6NNiyalWJEWS51S2RMj0IPZjrVwsPkBTaksIQsX/U"
    "qRfhvqIM+6JwwdwL2ZgxlEMUBOGSjUi6hfHjbXDWO7wwjVnM//+iV0DToXh4GsontPbA+c"
    "PFyP2OiR+o4dUrHHr7tUJ77TB2aunxFHqLQgAEMo5rC2lEqxD3FS/ums5TPLcGX4uUYaZm"
    "gWL90b+aQ8rbKqpaIqS9fRSR50i/k5itVROnUh49JE/F0D8zRdFw+uJlwz8AOfCQcqSNZB"
    "O0nVvbQbR2+Oq6x1aFYicB1nstH8YVG2EReeIFRM+D4x4f7ZuJFCabeqpG65jQRcSD3g41"
    "QK+c2Q9yjn6Gvq7+I03TtPGjm6BWQuzd1byk+TJKVK8tJmzZ2YK4d4/OUmK+bRHD6twmSn"
    "O9jJnO9SVOnSlDtkThwHG3wS9VpCUIZwKztpi0TQ7Tv0BpC5oKp6II6Xl0ipkFsooO4M47"
    "C1wsFBdvGgbFwNjPNIFcB3eQroYkVpMuXvA/XWEx2vn1m0aeh3dY7XeyhyFmmok+qRAC3I"
    "BLsluG6DrroImIZNG9MFe249ML+bztk/kmAtIYs7Wzy7elrQz2fseFSjNt5Lf5NqmMnjYD"
    "v15roKkqrIVwWlmK/2M8FK1croIlgijO2ZMOXFtXcRK2mhfC5WiZCNLsKEPY+Y9nO3cski"
    "DGVfXYVqhvVncwkSqFPoqaswkYfnswYSptFDh9kD8LpYLLcD1IXsq6tQOQRCwbbAItyEHX"
    "UXKlCG5SYir4WTVKl1CaVabmpZ3WQxoNeM3Fn8f1uFtZ3GnHxUa/vzBXxCoVtfjJF4yrtv"
    "gmNtq+U2hrg5oiOfELzscOCVhz3kWibxlpAe2KAm9WSCYrS0Vg46mGPK2UoUrAkEKn6330"
    "tB2MwoY+ZL3eAeaFLXhe2wLytuH8qUTbCeZH9u4F+oWabJF5G3RnOCvRWXHuSTwU2XQCE9"
    "d8yojKQFf7AZBthWfJU5sQROr1xkWNp9VPhOdEFdRP7icAuHQzBYwRXKwHUR5mgwZje8e2"
    "QZsjPMOAI6XguHRNtZMRkmC/0xOL2MNfrDmm0Q2HpPZU7FoPydqnXX2kDXYKqqGtOC9h30"
    "JNy+GW2DhIlddWXrkiVaBZCoAJKWsX39PQsgkfqWQnYzVMc8yWzOwpYVAkpE44jrI9jhLM"
    "+HqNaxuH8ITJOcb8FeYZ8MmCtBIGpf5AWSbLv7JyoVy1dX6TT3gs+Sc7tJSHGcUDEGrWYM"
    "ZLh9Ha4gouggS9BIeL7Y9WryXnGaDuLciB+1YnIVk9sBJjezdWwB2K4ZC9O4xrfLFsoO0g"
    "hZKDuENsonZQcStnxSdrgNtcN+XkE/uSEUrEMBfy/q1YnU/bmR235KRirUsxnxYesjjJm9"
    "mhnUXcpOZM0AkYpJ6KCp9wFNwxZT+eLIxM69G6RD9GPfHwmx+cjUMJD1SNwNEx2CHjgcLr"
    "iohJVWCitKKdygUjhIfrqBLJgiVdJgq6VBk7guzmM4yvjnkKSD31Ij+QllSuR6p0VEs1HI"
    "TMtcAV4oIaFMiVNL2RGRdC+YuRFlR4JhSq1vyzIIZgULPE6XwnrGCZvaSsIruz0aTq+vLx"
    "OnwulFav1effl0OuKSuQCfN6JewbJWag+l9mi5eN52217g+1ooocecY5+U0WmsbZ3ifTcf"
    "P8m6di6XmsnCBDct8IrSliuHIYe69wgLnyxI+++QOW+4BH8rciKvWI/C/ytalUW1+7Y60J"
    "gBKdwVtsFx73FpIVFjQCRsQ5fX/xxegjQ/vJvcXNz+LOv3cQH9ftwDCyL0yNeys0acxkHe"
    "oyU6K5TZ40I6difWPGNO/N2/DtumfDvfpSu4Kt5zAu+pxPmWivPhXFU9z0KCLp5l1WwlJa"
    "aSbLIEjTAtJ69PSYKEkKJLKdG3lheBb5JQjqYWpgkahWoea8tPBw87OaCWbcVxqi7Buuu6"
    "JlnUb01sGMV7RNcAf3v0/fsQYvijDNTbT8PLy5yNoS6KeafYN4+iWRdFU6GYowDz2eEafF"
    "WMpIOc1dFxFQXYcbH+6zjLWdkEewU5eUq4qwRVl9bt1ngBEBldLgpODOzmLOGPhoUL0M1Q"
    "pvCdA+keIlwC3/n1l9PLEfp8Mzq7uL24vkqamsTNpFrxZjS8zAXcmrnEyU309STicVIFeR"
    "XI7Qk26EOew08x1jGaDUFumZGiYYxj2p8a52CSqnu2oCra8mJdeSY/urJJKJuEsklsaJP4"
    "LOu5/EIcV757xiiRatEvs0r41WEmD7HGlWLcQc//uLRcgqY+7VQo9l1Z/EWWWdaWmC2IdP"
    "mTUUGWg8J0eIjPLmVU1CLOWCQaGANq2Iygygx/aQ1KQ2v8D98pMGrmooOpbpl8bQxiF6eH"
    "wggC9QvAKmGspaUCnpCPfM+sxzF7XAo7hChArVn2GgwYfgFmGT0/W5m276voRjVy5Av4sV"
    "OOyJ2FRJlqdE+I7SIMcfm8t1iUuyhoTT1RBsclhcFVz4mk+lZMGc+UQIqNFLEvqrpyMkbU"
    "meS3O1BMZo68l9maY8l/crblZGqg4i3ZSbarYySOSGU2EIfIsvJhxGZY8V5bQxmGbOym1D"
    "WQrDt3I6OMmTByuB6/4nEWWu7Fc+qIK+EosPO6NmF862WW9Ck3OcdSxQicepQcc3DWq1u+"
    "j5Ae5D1lB26nHViz8nQ9JSnGcxU8SoHWEyIU9lY5Wslqdeoj6jZLZr2z60+fL0d3o3OoMO"
    "//HLOz4dXZ6PJSXA1+pve/ShLc1uvCp3ev3Nkp2mkypG2empcWmlUV5Wrod7eAmwYbGxca"
    "N5r3FK2qtdTmOBY5WxO+lN08+axEzZsm7J6mt5GQFqXv3dXRJUWXmkgniLqI9LbSSSjN+g"
    "skOYik8WciexN21FFkE99xq2wWYVriXLVYlLK4TCkWa/WkSmwqmhMyRY/YRUHGasgFO/X/"
    "cKYDdCeKyouGoKEC1ZPtUBM7a8QlppMo8dmSdyIZu4RKrJFRxszk7E4QXCE66Qt9v7AI8N"
    "cm7gBNwzp0nOGcQrcu8USetX6Q8BbDrCGb2sSgjF+WKRbGLJtjgT8z2CNk1l3ma6A/RO8w"
    "kesKcirwgQTi/IGITNkQNHrlwoMzb2mskYZtZJC5yABsCjuHtfKQjFFFcwsMJJVzLgT99+"
    "RnEb50iU7OB7v2IRin2s4p2KKSilvkNkr0cUpw/ibkp/h3WHeiU7RKUm7zTGeOgBxrR1nY"
    "di69Ct+uEb4dIrhJWogcYmVV3jDcxWcPNp6GBK2ahWfMglNblZQi66KKYwfOg3FWXCk5nh"
    "LFEytuC8J4ZivKTkNQJqjxSXhRuabWFJA6aR+3ouLwnS9vVob/ARaoOxLt+lVUHxPfV7Oa"
    "CuRO6BkEwSs3qvTjwHhRpoYDqqPvDvu+D6LUXaxsYL5TzznNemg2MoLyYmyXF+OT/Gc7mc"
    "/v3jTM+GzN7+YpxrKVXOW7fUE3UmhOorrNlc29ecS7Yx57vd2wjk0kW+enmbGegOqXsrrh"
    "rrm0u1vbb/dlbfvq9omG7Rropqg6lC9ya8BK9mQT7WaSsoNq7D31/8pRdoa1RVsRNyAs07"
    "nSQmCzLpMPwjZPxwowRD1ihrU7OdtnWIsBmrqepd1PxYMhk2AGDvt+3dAPEGkkQp5k7BVk"
    "sNMJ0GdEgu12D9EBYQxAzG4Zrx4qX/6VjMSCCqLPlSJqutlu1bW2TfbC7XEFxcKF+LcG2E"
    "H7DirwGsm2G3+yDMx35K8CFiFF1gGOt+yYGv12lzihAkQPPg1/O0ycUpfXVz8GzWMzcHZ5"
    "fZoRO1RgyvYCU/iuXgPMsL1ibbNg2sSZ+A544vitgWseqYI4T6Hz54pCTQuP5tlKyqxUKc"
    "LueZc3o2vgTGFeVpxSz4SIaIfuCAE7t7feCMrBq3ih76dkXCUySulDujbrW9CHxA+8QEjP"
    "84vxiT/+fEMMXCBS5CZI2LOVUGSW/tqk4uiOCuVGRm1053MQxUqjgMeopDLCuknZa5ENh+"
    "jIIA/ECFQ8vgF4gK6Ef7q0sesnCDvakh+wukj4INlG9xVaUij4t0ZLi79dTsXxxoaC1D9f"
    "mEcNhBG8epB9B4oX8AboDSJ/cQK3H3SAXOoFZQlnK2p4r/kfM+wSQT5mB9MFNumcamJND+"
    "CiOzgd3o4mdxejm+kh+OxTbSmc+pkF2imlmGobC6kUUy/FsocfXg35M0GjNCV5BkH+dNQ2"
    "csXOkhShSbJdpmL9btCUrbUEt21kCZ1xMOY0z13jp9vrq3yY4zRpTphqHvofMqjbGNS9v8"
    "1XTEZ9ieOMMncA4/39BVSugFG5yjWtXU1xt9BBWuUacAF19QAxMhWYoFQB37BQqFQB3+Ks"
    "t9w1YkgcLkb1cmRc/06/TMrFUZun5NzieVYuye1ySS5MrFosnxWnVe2CiHb07l0V34F374"
    "p9B+BexoOzDsJ+8w6i24gAzEf0cmvtFMsPMZLdiw/NK04bFRRe9DD7+v/KkQnq"
)
