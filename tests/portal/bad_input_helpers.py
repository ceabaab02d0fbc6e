"""The machinery of the bad-input battery (tests/portal/test_bad_input.py): one case per row, what a
refusal must look like, and the snapshot of the database and of storage that must not change.

A case names its persona, method, URL and body; a value may be a callable of the test's `World`,
which builds the objects the case needs on first use (pytest fixtures, looked up by name).
"""

import json
import mimetypes
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

CJK = re.compile(r"[\u3400-\u9fff]")
LETTER = re.compile(r"[^\W\d_]")

# Django's and DRF's English defaults, which a refusal must never show.
ENGLISH_LEAKS = (
    "This field",
    "Enter a valid",
    "Ensure this",
    "Select a valid",
    "Bad Request",
    "Forbidden",
    "Not Found",
    "JSON parse error",
    "Multipart form parse error",
    "No ",
    " matches the given query",
    "Invalid pk",
    "Expected a",
    "is not a valid",
)

# Keys of a JSON refusal whose values are data, not messages (the 409's register number).
JSON_DATA_KEYS = {"number", "challenge"}

SCRIPT = "<script>alert(1)</script>"
HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
MAX_BODY = 5 * 1024 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE


# --- the cases ----------------------------------------------------------------------------------


Lazy = Any  # a value, or a callable taking the World


@dataclass(frozen=True)
class Case:
    """One bad request and what its refusal must be.

    `data`: a dict (multipart, or JSON with content_type="application/json"), or a str/bytes body
    sent as is with `content_type`. `prep`: run before the snapshot (a first submission, a
    tracked session), given the World and the client. `target`: an object whose fields must be
    unchanged afterwards. `status`: the exact 4xx expected, when one is. `says`: a phrase the
    answer must contain. `settings`: overrides for this case only.
    """

    id: str
    url: Lazy
    persona: str | None = None
    method: str = "get"
    data: Lazy = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    prep: Callable | None = None
    target: Callable | None = None
    status: int | None = None
    says: str | None = None
    settings: dict = field(default_factory=dict)
    csrf: bool = False  # send without a CSRF token, checks enforced


def resolve(value, world):
    return value(world) if callable(value) else value


class World:
    """The objects of a case, built on first use from the fixtures of the same names."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._request.getfixturevalue(name)


# --- what must not change -----------------------------------------------------------------------


def db_snapshot() -> dict[str, int]:
    """The row count of every table the project's models use, history tables and M2M tables
    included (one entry per table: proxies share their concrete model's)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in counts:
            continue
        counts[meta.db_table] = model._base_manager.count()
    return counts


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}


def field_values(obj) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def stored_files(root) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- what a refusal must look like --------------------------------------------------------------


class _ErrorRegions(HTMLParser):
    """The text of the elements that carry a page's error messages: class errorlist, errors or
    reason, or role="alert"."""

    CLASSES = {"errorlist", "errors", "reason"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.regions: list[list[str]] = []
        self._stack: list[int | None] = []  # per open element: the region it opened, if any

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        opens = classes & self.CLASSES or attributes.get("role") == "alert"
        if opens:
            self.regions.append([])
        self._stack.append(len(self.regions) - 1 if opens else None)

    def handle_endtag(self, tag):
        if tag in self.VOID or not self._stack:
            return
        self._stack.pop()

    def handle_data(self, data):
        for index in {i for i in self._stack if i is not None}:
            self.regions[index].append(data)


def error_regions(html: str) -> list[str]:
    parser = _ErrorRegions()
    parser.feed(html)
    return [" ".join("".join(parts).split()) for parts in parser.regions]


def json_messages(data, key: str = "") -> list[str]:
    """Every message string of a JSON refusal (values, not keys; not the data keys)."""
    if isinstance(data, dict):
        return [m for k, v in data.items() if k not in JSON_DATA_KEYS for m in json_messages(v, k)]
    if isinstance(data, list):
        return [m for item in data for m in json_messages(item, key)]
    return [data] if isinstance(data, str) else []


def refusal_problems(response) -> list[str]:
    """What is wrong with `response` as a refusal in Chinese (empty when nothing is)."""
    problems = []
    if not 400 <= response.status_code < 500:
        problems.append(f"status {response.status_code}, not a 4xx")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    problems += [f"English default {leak!r} in the body" for leak in ENGLISH_LEAKS if leak in text]
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            messages = json_messages(json.loads(text))
        except ValueError:
            return [*problems, "a JSON answer that does not parse"]
        if not messages:
            problems.append("no message in the JSON answer")
        problems += [f"message without Chinese: {m!r}" for m in messages if not CJK.search(m)]
    else:
        # A region holding no letter at all (a count, a mark) says nothing that could leak.
        regions = [r for r in error_regions(text) if LETTER.search(r)]
        if not regions:
            problems.append("no error region (errorlist, errors, reason, role=alert) on the page")
        problems += [
            f"error region without Chinese: {r[:120]!r}" for r in regions if not CJK.search(r)
        ]
    return problems


def excerpt(response, limit: int = 600) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("text/html"):
        regions = [r for r in error_regions(text) if r]
        text = " | ".join(regions) or re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    return text[:limit]


# --- bodies and files ---------------------------------------------------------------------------


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 246  # a Windows executable's header


def exe_named(name: str, content_type: str | None = None) -> SimpleUploadedFile:
    """An executable disguised by its name and the type it declares (the name's, by default)."""
    declared = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return SimpleUploadedFile(name, EXE, content_type=declared)


def big_png(megabytes: float, name: str = "big.png") -> SimpleUploadedFile:
    padding = b"\x00" * int(megabytes * 1024 * 1024)
    return SimpleUploadedFile(name, png_bytes() + padding, content_type="image/png")


def oversized_form(field_name: str = "description", **fields) -> str:
    """An urlencoded body whose text fields exceed DATA_UPLOAD_MAX_MEMORY_SIZE."""
    from urllib.parse import urlencode

    return urlencode({**fields, field_name: "a" * (MAX_BODY + 1024)})


def too_many_fields(count: int = 1001) -> str:
    """An urlencoded body with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (1000)."""
    return "&".join(f"f{i}=1" for i in range(count))


def oversized_json(**fields) -> str:
    return json.dumps({**fields, "description": "a" * (MAX_BODY + 1024)})


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MULTIPART_WITHOUT_BOUNDARY = "multipart/form-data"
BROKEN_MULTIPART = b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n'
