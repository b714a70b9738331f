#!/usr/bin/env python3
"""Regenerate the derived example files in examples/ from their sources.

Derived files:
  examples/crawl.warc.gz  <- scripts/example-sources/warc-article.html

The WARC is a WARC 1.1 file, gzip-compressed with one gzip member per record, holding:
  1. a warcinfo record;
  2. a request record for the article page;
  3. the HTTP response record for it (text/html; charset=utf-8), linked to the request by
     WARC-Concurrent-To;
  4. a response record for /robots.txt (text/plain);
  5. a response record for a PNG image (a valid 1x1 image), which readers should skip.

Output is deterministic: record ids are UUIDs derived from a fixed seed, dates are fixed and every
gzip member has mtime 0, so re-running gives identical bytes (for a given zlib build).

Usage:
  python3 scripts/make_examples.py            # write examples/crawl.warc.gz
  python3 scripts/make_examples.py --check    # exit 1 if the file on disk differs from a fresh build
  python3 scripts/make_examples.py --list     # print the records of the file on disk

Python standard library only. Licence: same as the repository.
"""

import argparse
import base64
import gzip
import hashlib
import struct
import sys
import uuid
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SOURCE_HTML = ROOT / "scripts" / "example-sources" / "warc-article.html"
WARC_OUT = EXAMPLES / "crawl.warc.gz"

SEED = "sitrep-examples/crawl.warc.gz/v1"
HOST = "daily.sitrep.example"
ARTICLE_PATH = "/africa/2017/08/19/kenya-opposition-supreme-court-petition"
IMAGE_PATH = "/images/2017/08/supreme-court-nairobi.png"
IP = "192.0.2.17"  # TEST-NET-1, reserved for documentation
CRLF = b"\r\n"


def record_id(name: str) -> str:
    """A deterministic WARC-Record-ID for the record called `name`."""
    return "<urn:uuid:%s>" % uuid.uuid5(uuid.NAMESPACE_URL, SEED + "/" + name)


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def gzip_member(data: bytes) -> bytes:
    """One gzip member with a fixed header (mtime 0, no name, OS unknown)."""
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x02\xff"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    body = compressor.compress(data) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + body + trailer


def header_block(lines) -> bytes:
    """Header lines joined with CRLF and closed by an empty line."""
    return b"".join(line.encode("utf-8") + CRLF for line in lines) + CRLF


def warc_record(fields, block: bytes) -> bytes:
    """A WARC 1.1 record: version line, fields, Content-Length, blank line, block, two CRLFs."""
    lines = ["WARC/1.1"] + ["%s: %s" % (k, v) for k, v in fields]
    lines.append("Content-Length: %d" % len(block))
    return header_block(lines) + block + CRLF + CRLF


def http_response(status: str, headers, payload: bytes) -> bytes:
    lines = ["HTTP/1.1 " + status] + ["%s: %s" % (k, v) for k, v in headers]
    lines.append("Content-Length: %d" % len(payload))
    return header_block(lines) + payload


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x80", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def response_record(name, uri, date, block, payload, concurrent_to=None):
    fields = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", record_id(name)),
        ("WARC-Date", date),
        ("WARC-Target-URI", uri),
        ("WARC-IP-Address", IP),
        ("WARC-Warcinfo-ID", record_id("warcinfo")),
    ]
    if concurrent_to:
        fields.append(("WARC-Concurrent-To", record_id(concurrent_to)))
    fields += [
        ("WARC-Block-Digest", sha1_b32(block)),
        ("WARC-Payload-Digest", sha1_b32(payload)),
        ("Content-Type", "application/http; msgtype=response"),
    ]
    return warc_record(fields, block)


def build_warc() -> bytes:
    article = SOURCE_HTML.read_bytes()
    article_uri = "https://%s%s" % (HOST, ARTICLE_PATH)
    records = []

    # 1. warcinfo
    info = header_block(
        [
            "software: sitrep scripts/make_examples.py",
            "format: WARC File Format 1.1",
            "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf: sitrep-examples",
            "description: Example crawl written for the sitrep project (fictionalised report)",
            "robots: obey",
        ]
    )[:-2]  # application/warc-fields: no trailing blank line
    records.append(
        warc_record(
            [
                ("WARC-Type", "warcinfo"),
                ("WARC-Record-ID", record_id("warcinfo")),
                ("WARC-Date", "2017-08-19T08:02:10Z"),
                ("WARC-Filename", WARC_OUT.name),
                ("Content-Type", "application/warc-fields"),
            ],
            info,
        )
    )

    # 2. request for the article
    request = header_block(
        [
            "GET %s HTTP/1.1" % ARTICLE_PATH,
            "Host: %s" % HOST,
            "User-Agent: sitrep-example-crawler/1.0 (+https://%s/bot)" % HOST,
            "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
            "Accept-Language: en",
            "Accept-Encoding: identity",
            "Connection: close",
        ]
    )
    records.append(
        warc_record(
            [
                ("WARC-Type", "request"),
                ("WARC-Record-ID", record_id("article-request")),
                ("WARC-Date", "2017-08-19T08:02:11Z"),
                ("WARC-Target-URI", article_uri),
                ("WARC-IP-Address", IP),
                ("WARC-Warcinfo-ID", record_id("warcinfo")),
                ("WARC-Concurrent-To", record_id("article-response")),
                ("WARC-Block-Digest", sha1_b32(request)),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            request,
        )
    )

    # 3. the article's response
    block = http_response(
        "200 OK",
        [
            ("Date", "Sat, 19 Aug 2017 08:02:11 GMT"),
            ("Server", "nginx"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Last-Modified", "Sat, 19 Aug 2017 04:45:00 GMT"),
            ("Cache-Control", "max-age=300"),
            ("Connection", "close"),
        ],
        article,
    )
    records.append(
        response_record(
            "article-response", article_uri, "2017-08-19T08:02:11Z", block, article, "article-request"
        )
    )

    # 4. robots.txt
    robots = (
        b"User-agent: *\n"
        b"Disallow: /login\n"
        b"Disallow: /subscribe\n"
        b"\n"
        b"Sitemap: https://daily.sitrep.example/sitemap.xml\n"
    )
    block = http_response(
        "200 OK",
        [
            ("Date", "Sat, 19 Aug 2017 08:02:12 GMT"),
            ("Server", "nginx"),
            ("Content-Type", "text/plain"),
            ("Connection", "close"),
        ],
        robots,
    )
    records.append(
        response_record(
            "robots-response", "https://%s/robots.txt" % HOST, "2017-08-19T08:02:12Z", block, robots
        )
    )

    # 5. an image: not an article, readers should skip it
    png = tiny_png()
    block = http_response(
        "200 OK",
        [
            ("Date", "Sat, 19 Aug 2017 08:02:13 GMT"),
            ("Server", "nginx"),
            ("Content-Type", "image/png"),
            ("Connection", "close"),
        ],
        png,
    )
    records.append(
        response_record(
            "image-response", "https://%s%s" % (HOST, IMAGE_PATH), "2017-08-19T08:02:13Z", block, png
        )
    )

    return b"".join(gzip_member(r) for r in records)


def read_warc(data: bytes):
    """Yield (headers dict, block bytes) for each record of a (gzipped) WARC."""
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    pos = 0
    while pos < len(raw):
        end = raw.index(b"\r\n\r\n", pos)
        head = raw[pos:end].decode("utf-8").split("\r\n")
        if head[0] != "WARC/1.1":
            raise ValueError("record at byte %d: expected WARC/1.1, found %r" % (pos, head[0]))
        fields = dict(line.split(": ", 1) for line in head[1:])
        length = int(fields["Content-Length"])
        block = raw[end + 4 : end + 4 + length]
        if raw[end + 4 + length : end + 8 + length] != b"\r\n\r\n":
            raise ValueError("record at byte %d: block not followed by CRLF CRLF" % pos)
        yield fields, block
        pos = end + 8 + length


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file on disk")
    parser.add_argument("--list", action="store_true", help="print the records of the file on disk")
    args = parser.parse_args()

    if args.list:
        for fields, block in read_warc(WARC_OUT.read_bytes()):
            print(fields["WARC-Type"], fields.get("WARC-Target-URI", "-"), len(block), "bytes")
        return 0

    fresh = build_warc()
    if args.check:
        if not WARC_OUT.exists() or WARC_OUT.read_bytes() != fresh:
            print("%s is out of date: run python3 scripts/make_examples.py" % WARC_OUT, file=sys.stderr)
            return 1
        print("%s is up to date" % WARC_OUT.relative_to(ROOT))
        return 0

    WARC_OUT.write_bytes(fresh)
    print("wrote %s (%d bytes)" % (WARC_OUT.relative_to(ROOT), len(fresh)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
