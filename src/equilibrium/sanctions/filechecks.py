"""Checks shared by every official-list reader: the file itself (exists, is a file, not empty, not too large), what
its first bytes say it is (so that a file forced through the wrong ``--format`` is named for what it is), its
encoding, safe XML parsing, and caps on the size of what is ingested.

Every check raises :class:`~equilibrium.errors.DataError` with one line naming the file (and the line where it
applies), before the store is touched: the store parses a whole file before it writes anything.

Limits (module constants, one place to change them):

* :data:`MAX_FILE_BYTES` 1 GiB per file; :data:`MAX_JSON_BYTES` 256 MiB for JSON (read whole). The largest
  official files are tens of MB (OFAC ``sdn.xml`` ~ 15 MB, the EU FSF XML ~ 25 MB, the CSL ``consolidated.json``
  ~ 30 MB), so the caps leave an order of magnitude of growth and stop only absurd inputs.
* :data:`MAX_FIELD_CHARS` 100,000 characters per CSV field or XML/JSON text value. OFAC's own data specification
  (``dat_spec.txt``, "SDN data specification") gives 1,000 characters as the longest column (``Remarks``); other
  lists' longest texts (CSL ``ids``, UN ``COMMENTS1``) are a few thousand.
* :data:`MAX_NAME_CHARS` 1,000 characters per name or alias. OFAC's specification gives ``SDN_Name`` 350
  characters; the longest real names in the shared OFAC files have 165. Names feed the screening index, whose
  key generation is linear but still per character.
* :data:`MAX_JSON_DEPTH` 64 levels of JSON nesting (the CSL ``results`` are 4 deep), checked without recursion;
  :data:`MAX_XML_DEPTH` 64 levels of XML elements (the UN list is 5 deep, the EU FSF 4).
* XML is parsed by ``defusedxml`` with DTDs forbidden: no official list file has a ``<!DOCTYPE``, so a DTD, an
  entity declaration (billion laughs) or an external entity (XXE) is refused with one line.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from equilibrium.errors import DataError

MAX_FILE_BYTES = 1 << 30
"""Largest list file read (1 GiB)."""
MAX_JSON_BYTES = 256 << 20
"""Largest JSON list file read (256 MiB; a JSON file is decoded from memory)."""
MAX_FIELD_CHARS = 100_000
"""Longest CSV field or XML/JSON text value ingested."""
MAX_NAME_CHARS = 1_000
"""Longest name or alias ingested."""
MAX_JSON_DEPTH = 64
"""Deepest JSON nesting (objects and arrays) read."""
MAX_XML_DEPTH = 64
"""Deepest XML element nesting read."""
SNIFF_BYTES = 65_536
"""How much of a file's start is looked at to tell what it is."""
EOF = b"\x1a"
"""The DOS end-of-file byte that ends each official OFAC legacy CSV file."""

OFAC_NAMESPACES = ("https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
                   "http://tempuri.org/sdnList.xsd")
"""Namespaces of OFAC's legacy ``sdnList`` XML: the Sanctions List Service's (since 2024) and the older one."""
EU_NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
"""Namespace of the EU FSF ``export``."""


def n(x: int) -> str:
    """A count with thousands separators (``10,000,000``)."""
    return f"{x:,}"


def check_file(path: Path, what: str, limit: int = MAX_FILE_BYTES) -> int:
    """The size of ``path`` in bytes; a missing file, a directory, an empty file or one over ``limit`` bytes is a
    one-line :class:`DataError`."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DataError(f"cannot read {path}: no such file") from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    if path.is_dir():
        raise DataError(f"cannot read {path}: it is a directory, not {what} file")
    if not path.is_file():
        raise DataError(f"cannot read {path}: not a regular file")
    if st.st_size == 0:
        raise DataError(f"empty {what}", [f"{path}: the file is empty (0 bytes); it holds no entries"])
    if st.st_size > limit:
        raise DataError(f"{what} too large", [f"{path}: {n(st.st_size)} bytes; the limit is {n(limit)}"])
    return st.st_size


def head(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first ``size`` bytes of ``path``."""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None


def tail(path: Path, size: int = 64) -> bytes:
    """The last ``size`` bytes of ``path``."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            end = fh.tell()
            fh.seek(max(0, end - size))
            return fh.read()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None


def is_utf16(data: bytes) -> bool:
    """Whether bytes open with a UTF-16/32 byte-order mark or hold NUL bytes (UTF-16 text without a mark)."""
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data


_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
ROOT_HINTS = {"CONSOLIDATED_LIST": "a UN consolidated list", "sdnList": "an OFAC sdnList XML",
              "export": "an EU FSF XML export", "sanctionsData": "an OFAC advanced XML (sdn_advanced.xml)",
              "html": "an HTML page, not a data file"}
"""What an XML root element's local name suggests the file is."""


def _text_head(data: bytes) -> str:
    return data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").decode("latin-1")


def xml_root(data: bytes) -> str | None:
    """The root element's local name in the first bytes of an (UTF-8 or ASCII-compatible) XML file, skipping the
    declaration, comments and processing instructions; None when there is none."""
    text = data.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    i = 0
    while True:
        j = text.find(b"<", i)
        if j < 0:
            return None
        if text.startswith((b"<?", b"<!--"), j):
            end = text.find(b"?>" if text.startswith(b"<?", j) else b"-->", j)
            if end < 0:
                return None
            i = end + 2
            continue
        if text.startswith(b"<!", j):  # a DOCTYPE: the root follows
            i = j + 2
            continue
        m = _ROOT.match(text, j)
        return m.group(2).decode("ascii", "replace") if m else None


def looks_like(data: bytes) -> str:
    """A short description of what a file's first bytes look like, for "not a ... file" messages."""
    if is_utf16(data):
        return "UTF-16 text (or binary)"
    t = _text_head(data)
    if not t:
        return "blank text"
    if t.startswith("<"):
        root = xml_root(data)
        hint = ROOT_HINTS.get(root or "")
        return f"XML with root element {root}" + (f" ({hint}?)" if hint else "") if root else "XML"
    if t.startswith(("{", "[")):
        return "JSON (a CSL consolidated.json?)"
    first = t.splitlines()[0] if t.splitlines() else ""
    cells = [c.strip().strip('"') for c in first.split(",")]
    if cells and cells[0] in ("_id", "id") and "source" in cells:
        return "a CSL consolidated.csv (its header row)"
    if len(cells) >= 2 and cells[0].isdigit():
        return "an OFAC legacy CSV (sdn/add/alt.csv)"
    return "text of another kind"


def require_utf8(path: Path, what: str, data_head: bytes | None = None) -> None:
    """Refuse a file that is not UTF-8 (a UTF-8 byte-order mark is fine), naming the encoding
    ``charset-normalizer`` finds and the line of the first bad byte. Reads the file in chunks (linear)."""
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1
    try:
        with path.open("rb") as fh:
            first = True
            while True:
                chunk = fh.read(1 << 20)
                if first and is_utf16(chunk[:4096]):
                    _not_utf8(path, what, chunk[:SNIFF_BYTES], None)
                first = False
                try:
                    dec.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    line += chunk.count(b"\n", 0, exc.start)
                    _not_utf8(path, what, chunk[max(0, exc.start - 4096):exc.start + 4096], line)
                if not chunk:
                    return
                line += chunk.count(b"\n")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None


def _not_utf8(path: Path, what: str, sample: bytes, line: int | None) -> None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    enc = best.encoding if best is not None else "unknown"
    where = f"{path}:{line}" if line else str(path)
    raise DataError(f"{what} is not UTF-8", [f"{where}: the file is not UTF-8 (looks like {enc}); convert it with "
                                             f"iconv -f {enc.replace('_', '-')} -t utf-8"])


_DECL = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")


def check_xml_start(path: Path, what: str, expected_root: str) -> None:
    """Checks before an XML file is parsed: it is a file, not empty, starts like XML (else: what it looks like),
    and is UTF-8 unless a byte-order mark or its declaration names another encoding."""
    check_file(path, what)
    data = head(path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # XML 1.0 §4.3.3: a byte-order mark declares UTF-16; the parser reads it
    if not _text_head(data).startswith("<"):
        raise DataError(f"not {article(what)} file", [f"{path}: it does not start with '<' (it looks like "
                                                      f"{looks_like(data)}); expected <{expected_root}>"])
    m = _DECL.match(data)
    if m is None or m.group(1).decode("ascii").lower().replace("_", "-") in ("utf-8", "utf8", "us-ascii"):
        require_utf8(path, what)


def article(what: str) -> str:
    """``what`` with its indefinite article (an OFAC XML, a UN XML)."""
    return ("an " if what[:1] in "AEFHILMNORSUX" and not what.startswith("UN") else "a ") + what


def safe_iterparse(path: Path, what: str, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
    """``(event, element)`` of an XML file parsed with ``defusedxml`` (DTDs, entities and external references
    forbidden) and element nesting capped at :data:`MAX_XML_DEPTH`; errors become one-line
    :class:`DataError` (use inside :func:`~equilibrium.sanctions.entries.xml_errors`)."""
    from defusedxml.ElementTree import iterparse

    depth = 0
    want = set(events)
    for event, el in iterparse(str(path), events=("start", "end"), forbid_dtd=True):
        if event == "start":
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise DataError(f"malformed {what}", [f"{path}: elements nested more than {MAX_XML_DEPTH} deep"])
        else:
            depth -= 1
        if event in want:
            yield event, el


def local(tag: str) -> str:
    """An XML tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    """An XML tag's namespace ('' when none)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def check_root(path: Path, what: str, el: ET.Element, expected: str,
               namespaces: tuple[str, ...] | None = None) -> None:
    """Refuse an XML root other than ``expected`` (local name), or outside ``namespaces`` when given."""
    name, ns = local(el.tag), namespace(el.tag)
    if name != expected:
        hint = ROOT_HINTS.get(name)
        raise DataError(f"not {article(what)} file", [f"{path}: root element is {name}" +
                                                      (f" ({hint}?)" if hint else "") + f", expected {expected}"])
    if namespaces is not None and ns not in namespaces:
        raise DataError(f"not {article(what)} file", [f"{path}: root element {name} is in namespace "
                                                      f"{ns or '(none)'}, expected {' or '.join(namespaces)}"])


def check_field(path: Path, line: int | str, value: str, label: str, limit: int = MAX_FIELD_CHARS) -> None:
    """Refuse a value longer than ``limit`` characters (``"name on line 3 is 10,000,000 characters; the limit is
    1,000"``); ``line`` is a line number or a description (``"sdnEntry 17"``)."""
    if len(value) > limit:
        where = f"on line {line}" if isinstance(line, int) else f"of {line}"
        raise DataError("oversized value", [f"{path}: {label} {where} is {n(len(value))} characters; the limit is "
                                            f"{n(limit)}"])


def check_entry(path: Path, where: int | str, entry: Any) -> None:
    """Caps on one :class:`~equilibrium.sanctions.entries.ListEntry` (or OFAC ``SdnEntry``): its name and aliases
    at :data:`MAX_NAME_CHARS`, remarks, reference and address parts at :data:`MAX_FIELD_CHARS`."""
    check_field(path, where, entry.name, "name", MAX_NAME_CHARS)
    for _, alias in entry.aliases:
        check_field(path, where, alias, "alias", MAX_NAME_CHARS)
    check_field(path, where, entry.remarks, "remarks")
    for prog in entry.programs:
        check_field(path, where, prog, "programme")
    for a in entry.addresses:
        for k, v in a.items():
            check_field(path, where, v, f"address {k}")


def no_entries(path: Path, what: str) -> DataError:
    """The error for a file that parses but holds no entries (never a valid list snapshot)."""
    return DataError(f"empty {what}", [f"{path}: the file holds no entries"])


_JSON_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


def check_json_depth(text: str, path: Path, what: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` (objects and arrays), scanning the text once without recursion (so
    a deeply nested file gives this one line, never a ``RecursionError``)."""
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                line = text.count("\n", 0, m.start()) + 1
                raise DataError(f"malformed {what}", [f"{path}:{line}: JSON nested more than {limit} levels deep"])
        elif c in "]}":
            depth -= 1


def csv_problem(exc: Exception) -> str:
    """What a :class:`csv.Error` means for a list file, in words: a quote left open at the end (the file is cut
    short), a field over the csv module's limit, or the module's own message."""
    import csv

    msg = str(exc)
    if "unexpected end of data" in msg:
        return "unterminated quoted field at the end of the file: it is cut short"
    if "field limit" in msg:
        return f"a field is longer than {n(csv.field_size_limit())} characters; the limit is {n(MAX_FIELD_CHARS)}"
    return msg


def date_attribute(path: Path, what: str, el: ET.Element, attr: str) -> str:
    """The list date ``YYYY-MM-DD`` of the ISO date-time in attribute ``attr`` of ``el`` (the UN ``dateGenerated``,
    the EU ``generationDate``); a missing or unparseable value is a one-line :class:`DataError`."""
    from datetime import datetime

    d = (el.get(attr) or "").strip()
    if not d:
        raise DataError(f"malformed {what}", [f"{path}: {local(el.tag)} has no {attr} attribute"])
    try:
        datetime.fromisoformat(d)
    except ValueError:
        raise DataError(f"malformed {what}", [f"{path}: {attr} {d[:40]!r} is not an ISO date-time"]) from None
    return d[:10]
