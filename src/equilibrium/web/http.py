"""The HTTP layer around the app (one pure ASGI middleware, :class:`HttpLayer`, outside every other layer):

* **headers** on every response: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
  ``X-Frame-Options: DENY`` and a ``Content-Security-Policy`` (the page's own scripts, styles and ``data:``/``blob:``
  images only; the JSON answers ``default-src 'none'``; ``/docs`` may load Swagger UI from its CDN);
* **request size**: bodies over :data:`MAX_BODY_BYTES` are refused with 413 problem+json, whether the client
  announces a ``Content-Length`` or streams the body without one;
* **validators and caching** of ``GET`` answers: a strong ``ETag`` (BLAKE2b of the body) on every 200,
  ``304 Not Modified`` for a matching ``If-None-Match``, and ``Cache-Control`` by route (:data:`CACHE_POLICY`):
  ``public, max-age=3600`` for data that only changes with a release (the catalogue, sources, regions, boundaries,
  templates, the curated sanctions record, reach figures), ``no-cache`` (always revalidate) for answers backed by
  the store or by data files that can be replaced (screening, the network with list entries, evidence);
* a **response cache** of the release-data answers: the body (and its gzip) computed once per URL and served from
  memory, within :data:`RESPONSE_CACHE_BYTES`;
* **gzip** (level 6) for compressible bodies of 1 kB and more when the client accepts it, memoised on the ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from equilibrium.web.jsonio import dumps

MAX_BODY_BYTES = 1_000_000
"""Largest request body accepted (bytes); the biggest legitimate one (a 6-stage vehicle) is a few kB."""

RESPONSE_CACHE_BYTES = 32 * 1024 * 1024
"""Memory for cached release-data answers and for gzip bodies (each; least recently used out)."""

RELEASE = "public, max-age=3600"
REVALIDATE = "no-cache"

CACHE_POLICY: tuple[tuple[str, str, bool], ...] = (
    # (path prefix, Cache-Control, answers kept in the response cache)
    ("/api/health", "no-store", False),
    ("/api/sanctions/screen", REVALIDATE, False),
    ("/api/sanctions/network", REVALIDATE, False),
    ("/api/evidence/", REVALIDATE, False),
    ("/api/catalog/", RELEASE, True),
    ("/api/sources", RELEASE, True),
    ("/api/regions", RELEASE, True),
    ("/api/reach/", RELEASE, True),
    ("/api/trajectory/", RELEASE, True),
    ("/api/sanctions/actions", RELEASE, True),
    ("/api/sanctions/asymmetry", RELEASE, True),
    ("/openapi.json", RELEASE, True),
    ("/assets/", "public, max-age=31536000, immutable", False),
)
"""``Cache-Control`` of successful ``GET`` answers by path prefix (first match); anything else ``no-cache``."""

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
"""Policy of the page, from what the built front-end uses: its own module scripts and style sheet (no inline or
foreign script, no eval); ``style="..."`` attributes written by the page and by cytoscape (so inline styles are
allowed); the ``data:`` favicon and canvas/``blob:`` images; requests to its own API only."""

DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
"""Policy of ``/docs`` (FastAPI's Swagger UI page loads its script and style from jsDelivr and starts inline)."""

API_CSP = "default-src 'none'; frame-ancestors 'none'"
"""Policy of every non-HTML answer (nothing in a JSON body may load or run anything)."""

COMPRESSIBLE = ("application/json", "application/problem+json", "text/", "application/javascript",
                "image/svg+xml", "application/geo+json")


def policy(path: str) -> tuple[str, bool]:
    """``(Cache-Control, cacheable)`` of a successful ``GET path``."""
    for prefix, cc, keep in CACHE_POLICY:
        if path.startswith(prefix):
            return cc, keep
    return REVALIDATE, False


def strong_etag(body: bytes) -> str:
    """The quoted strong entity tag of ``body`` (BLAKE2b, 128 bits)."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header matches ``etag`` (weak comparison, the ``-gzip`` variant included)."""
    base = etag.strip('"').removesuffix("-gzip")
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"').removesuffix("-gzip")
        if tag == base:
            return True
    return False


class _Bytes:
    """A thread-safe LRU of byte strings within ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.data: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self.total = 0
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            item = self.data.get(key)
            if item is None:
                return None
            self.data.move_to_end(key)
            return item[1]

    def put(self, key: Any, value: Any, size: int) -> None:
        if size > self.max_bytes // 8:
            return
        with self.lock:
            old = self.data.pop(key, None)
            if old is not None:
                self.total -= old[0]
            self.data[key] = (size, value)
            self.total += size
            while self.total > self.max_bytes and self.data:
                _, (n, _) = self.data.popitem(last=False)
                self.total -= n


class _Cached:
    __slots__ = ("body", "etag", "gz", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes, etag: str) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.etag = etag
        self.gz: bytes | None = None


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", ()):
        if k == name:
            return str(v.decode("latin-1"))
    return ""


def _problem(status: int, title: str, detail: str, path: str, extra: tuple[tuple[bytes, bytes], ...] = ()) -> Message:
    body = dumps({"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": path})
    return {"headers": [(b"content-type", b"application/problem+json"),
                        (b"content-length", str(len(body)).encode()), *extra], "body": body}


class HttpLayer:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES,
                 cache_bytes: int = RESPONSE_CACHE_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.responses = _Bytes(cache_bytes)
        self.gzips = _Bytes(cache_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope["path"]
        accepts_gzip = "gzip" in _header(scope, b"accept-encoding").lower()
        inm = _header(scope, b"if-none-match")

        # --- request size ----------------------------------------------------------------------------
        if method not in ("GET", "HEAD", "OPTIONS"):
            length = _header(scope, b"content-length")
            if length.strip().isdigit() and int(length) > self.max_body_bytes:
                await self._send_413(send, path)
                return
            body, too_big = await self._read_body(receive)
            if too_big:
                await self._send_413(send, path)
                return
            receive = _replay(body, receive)

        # --- response cache --------------------------------------------------------------------------
        cache_control, keep = policy(path) if method == "GET" else ("", False)
        key = (path, scope.get("query_string", b""))
        if keep:
            hit: _Cached | None = self.responses.get(key)
            if hit is not None:
                await self._send_full(send, hit.status, list(hit.headers), hit.body, hit.etag, cache_control,
                                      accepts_gzip, inm, cached=hit, path=path)
                return

        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    assert start is not None
                    await self._finish(send, start, b"".join(chunks), method, path, cache_control, keep, key,
                                       accepts_gzip, inm)
                return
            await send(message)

        await self.app(scope, receive, capture)

    # --- helpers -------------------------------------------------------------------------------------
    async def _read_body(self, receive: Receive) -> tuple[bytes, bool]:
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return b"", True
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(parts), False

    async def _send_413(self, send: Send, path: str) -> None:
        status = 413
        msg = _problem(status, "Content Too Large",
                       f"the request body exceeds {self.max_body_bytes:,} bytes", path)
        headers = _security_headers(msg["headers"], "application/problem+json", path)
        headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": msg["body"]})

    async def _finish(self, send: Send, start: Message, body: bytes, method: str, path: str, cache_control: str,
                      keep: bool, key: Any, accepts_gzip: bool, inm: str) -> None:
        status = int(start["status"])
        headers = [(k, v) for k, v in start.get("headers", ())
                   if k.lower() != b"content-length" or method == "HEAD"]
        names = {k.lower() for k, _ in headers}
        encoded = b"content-encoding" in names
        if method == "GET" and status == 200 and not encoded:
            etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
            if etag is None or etag.startswith("W/"):
                headers = [(k, v) for k, v in headers if k.lower() != b"etag"]
                etag = strong_etag(body)
            entry = None
            if keep:
                entry = _Cached(status, headers, body, etag)
                self.responses.put(key, entry, len(body) + 512)
            await self._send_full(send, status, headers, body, etag, cache_control, accepts_gzip, inm, cached=entry,
                                  path=path)
            return
        if status >= 400 and b"cache-control" not in names:
            headers.append((b"cache-control", b"no-store"))
        ctype = _ctype(headers)
        if accepts_gzip and not encoded and _compressible(ctype, body) and method != "HEAD":
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        headers = _security_headers(headers, ctype, path)
        if method != "HEAD":
            headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _send_full(self, send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, etag: str,
                         cache_control: str, accepts_gzip: bool, inm: str, cached: _Cached | None,
                         path: str) -> None:
        ctype = _ctype(headers)
        headers = [(k, v) for k, v in headers if k.lower() != b"etag"]
        names = {k.lower() for k, _ in headers}
        if b"cache-control" not in names:
            headers = [*headers, (b"cache-control", cache_control.encode())]
        gz = _compressible(ctype, body)
        if gz:
            headers = [*headers, (b"vary", b"Accept-Encoding")]
        use_gzip = gz and accepts_gzip
        tag = etag[:-1] + '-gzip"' if use_gzip else etag
        headers = _security_headers([*headers, (b"etag", tag.encode())], ctype, path)
        if inm and etag_matches(inm, etag):
            keep = (b"etag", b"cache-control", b"vary", b"x-content-type-options", b"content-security-policy",
                    b"referrer-policy", b"x-frame-options", b"content-location", b"expires")
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(k, v) for k, v in headers if k.lower() in keep]})
            await send({"type": "http.response.body", "body": b""})
            return
        if use_gzip:
            data = cached.gz if cached is not None else None
            if data is None:
                data = self.gzips.get(etag)
                if data is None:
                    data = gzip.compress(body, compresslevel=6, mtime=0)
                    self.gzips.put(etag, data, len(data))
                if cached is not None:
                    cached.gz = data
            body = data
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _ctype(headers: list[tuple[bytes, bytes]]) -> str:
    return next((v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), "")


def _compressible(ctype: str, body: bytes) -> bool:
    return len(body) >= 1024 and any(ctype.startswith(c) for c in COMPRESSIBLE)


def _security_headers(headers: list[tuple[bytes, bytes]], ctype: str, path: str) -> list[tuple[bytes, bytes]]:
    names = {k.lower() for k, _ in headers}
    if ctype.startswith("text/html"):
        csp = DOCS_CSP if path.startswith("/docs") else PAGE_CSP
    else:
        csp = API_CSP
    add = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"DENY"), (b"content-security-policy", csp.encode())]
    return [*headers, *((k, v) for k, v in add if k not in names)]


def _replay(body: bytes, original: Receive) -> Receive:
    """A ``receive`` that hands the app the body read already, then waits on the client (for its disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
