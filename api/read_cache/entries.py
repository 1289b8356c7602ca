"""A cached answer as stored in Redis: one line of header, then the response body, gzipped.

    PLRC2 <member version> <program version> <valid until, µs since the epoch> <ETag as JSON>
    <ETag as graphql-response+json>\\n<the body as the executed answer sent it, gzipped>

The body is kept compressed (a progress screen of 50 badges is about 10 KB of JSON, 0.8 KB
gzipped: the cache's memory is a twelfth, and so are the bytes a mobile app downloads). A hit
sends the gzip bytes as they are to a client that accepts them (`Content-Encoding: gzip`), and
decompresses them (about 10 µs) for one that does not; it never decodes the JSON. The versions
are the tokens read before the answer was computed (`domain.infra.read_versions`); the ETags are
`api.http_caching.etag_of` of the uncompressed body for each media type the answer may be sent
as, so a hit never hashes (the gzip representation's ETag is the same one marked `-gzip`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

MAGIC = b"PLRC2"
GZIP = 31  # zlib's wbits for the gzip container (what `Content-Encoding: gzip` carries)


@dataclass(frozen=True)
class Entry:
    member: bytes
    program: bytes
    valid_until_us: int
    etag_json: bytes
    etag_graphql: bytes
    gzipped: bytes

    @classmethod
    def of(
        cls,
        member: bytes,
        program: bytes,
        valid_until_us: int,
        etags: tuple[str, str],
        body: bytes,
    ) -> Entry:
        return cls(
            member, program, valid_until_us, etags[0].encode(), etags[1].encode(), gzip(body)
        )

    def encode(self) -> bytes:
        header = b" ".join(
            [
                MAGIC,
                self.member,
                self.program,
                str(self.valid_until_us).encode(),
                self.etag_json,
                self.etag_graphql,
            ]
        )
        return header + b"\n" + self.gzipped

    def body(self) -> bytes:
        """The body as the executed answer sent it."""
        return zlib.decompress(self.gzipped, GZIP)

    def valid_at(self, member: bytes | None, program: bytes | None, now: datetime) -> bool:
        """Whether this answer is still the truth: the same versions, before its time is up."""
        return (
            member == self.member
            and program == self.program
            and microseconds(now) < self.valid_until_us
        )


def decode(raw: bytes) -> Entry | None:
    """The entry, or None for anything else (another release's format: a miss)."""
    header, newline, gzipped = raw.partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 6 or parts[0] != MAGIC:
        return None
    try:
        valid_until = int(parts[3])
    except ValueError:
        return None
    return Entry(parts[1], parts[2], valid_until, parts[4], parts[5], gzipped)


def gzip(body: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, GZIP)
    return compressor.compress(body) + compressor.flush()


def gzip_etag(etag: bytes) -> bytes:
    """The strong ETag of the gzip representation: another one than the identity's."""
    return etag[:-1] + b'-gzip"' if etag.endswith(b'"') else etag


def microseconds(moment: datetime) -> int:
    """`moment` as whole microseconds since the epoch (exact: datetimes hold microseconds)."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
