"""The US Consolidated Screening List (CSL) of the International Trade Administration (trade.gov), in its two
official bulk layouts, parsed as a stream.

The CSL merges thirteen US export-control and sanctions lists into one file, each record naming its list in
``source``: Commerce/BIS (Entity List ``EL``, Denied Persons ``DPL``, Unverified List ``UVL``, Military End User
``MEU``), State (Nonproliferation Sanctions ``ISN``, ITAR Debarred ``DTC``) and Treasury/OFAC (``SDN``, ``FSE``,
``SSI``, ``CAP``/CAPTA, ``CMIC``, ``NS-MBS``, ``PLC``). ``source`` reads like ``"Entity List (EL) - Bureau of Industry
and Security"``; :func:`source_code` takes the code from the parentheses (``"... (NS-MBS List) - ..."`` gives
``NS-MBS``).

* **CSV** (``consolidated.csv``): a header row, then one record a row, 29 columns: ``_id, source, entity_number,
  type, programs, name, title, addresses, federal_register_notice, start_date, end_date, standard_order,
  license_requirement, license_policy, call_sign, vessel_type, gross_tonnage, gross_registered_tonnage,
  vessel_flag, vessel_owner, remarks, source_list_url, alt_names, citizenships, dates_of_birth, nationalities,
  places_of_birth, source_information_url, ids``. Multi-valued fields are joined by ``"; "``; each address is
  its non-empty parts ``address, city, state, postal_code, country`` joined by ``", "`` (country an ISO 3166-1
  alpha-2 code). UTF-8, optionally with a byte-order mark; quoted fields may span lines.
* **JSON** (``consolidated.json``): ``{"results": [...], "sources_used": [...], "search_performed_at": ...,
  "total": ...}``; a result has ``id`` (``_id`` in the CSV), ``source``, ``type``, ``name``, ``alt_names`` (list),
  ``programs`` (list), ``addresses`` (list of ``{address, city, state, postal_code, country}``), ``ids`` (list of
  ``{type, number, country, issue_date, expiration_date}``), ``start_date``, ``federal_register_notice`` and the
  other CSV columns; empty values are ``null``, ``""`` or ``[]``.

Layout checked against public code that reads the official files: the CSV header in edX
``ecommerce`` (``populate_sdn_fallback_data_and_metadata`` tests, which download ``consolidated.csv``); the JSON
field set in OpenSanctions' ``datasets/us/trade_csl/crawler.py`` (which reads ``consolidated.json``) and in the
api-evangelist BIS data model (``data-model/bureau-of-industry-and-security-data-model.yml``: ``id`` opaque and
unique, ``entity_number`` the originating list's number and *not* unique across sources; ``type`` one of
Individual, Entity, Vessel, Aircraft or empty; address ``country`` ISO alpha-2; ``state`` in the bulk file).

Mapping to :class:`~equilibrium.sanctions.unxml.ListEntry`, the same for both layouts (a JSON record is first
flattened to its CSV row, so the two layouts of one release give equal entries and a store fed one layout and
then the other records no spurious changes):

* ``uid`` ``CSL-<_id>``; ``schema`` Person (Individual), Vessel, Airplane (Aircraft), else LegalEntity (as in
  the OFAC and UN importers: the list types no finer);
* ``programs``: the **source list code first** (``EL``, ``ISN``, ``SDN``...), then the record's programmes, so an
  Entity List entry is told from an ISN one wherever programmes are shown (screening, ``sanctions history``);
* ``reference``: the full ``source`` text; ``listed_on``: ``start_date``; ``remarks``: ``remarks`` and, when
  given, ``Federal Register notice: ...`` (so a re-published listing counts as a change);
* ``aliases``: ``alt_names`` as ``("aka", name)``; ``addresses``: ``street`` the address line without the
  country, ``city`` empty (the CSV does not delimit street from city), ``country`` the ISO alpha-2 code.

Not kept (the store has no place for them): identity documents, dates and places of birth, nationalities, vessel
particulars, licence requirement and policy, ``end_date``, and a JSON-only top-level ``country``. A malformed
file raises :class:`~equilibrium.errors.DataError` naming the file and line; the completeness checks are listed
at :func:`read_csl_csv` and :func:`read_csl_json`. ``total`` ("Total matching entries") and ``sources_used``
follow the ``SearchResponse`` envelope of the CSL API as described in the api-evangelist BIS data model
(``data-model/bureau-of-industry-and-security-data-model.yml``, corroborated there against the bulk
``consolidated.json``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from equilibrium.errors import DataError
from equilibrium.sanctions.entries import ListEntry
from equilibrium.sanctions.filechecks import (
    MAX_JSON_BYTES,
    check_entry,
    check_field,
    check_file,
    check_json_depth,
    csv_problem,
    head,
    looks_like,
    no_entries,
    require_utf8,
    tail,
)

CSV_COLUMNS = ("_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
               "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
               "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
               "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
               "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids")
"""The columns of ``consolidated.csv``, in the official order."""
REQUIRED = ("_id", "source", "type", "name", "programs", "addresses", "alt_names")
"""Columns a CSV must have (in any order) to be read; the others are optional."""
SEP = "; "
"""Separator of the values of a multi-valued CSV field."""
TYPES = {"individual": "Person", "entity": "LegalEntity", "vessel": "Vessel", "aircraft": "Airplane",
         "": "LegalEntity"}
"""CSL ``type`` (case-insensitive) to FollowTheMoney schema."""
MAX_ID = 60
"""Longest ``_id`` accepted: the store's uid column holds 64 characters, ``CSL-`` included."""

_CODE = re.compile(r"\(([^()]+)\)")
_ISO2 = re.compile(r"[A-Z]{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def source_code(source: str) -> str:
    """Short code of a CSL ``source``: the text in its parentheses less a trailing " List" (``EL``, ``NS-MBS``),
    else the part before " - "."""
    m = _CODE.search(source)
    if m is None:
        return _clean(source.split(" - ")[0])
    code = _clean(m.group(1))
    return code.removesuffix(" List") or code


def _clean(v: str) -> str:
    return " ".join(v.split())


def _split(v: str) -> list[str]:
    out: list[str] = []
    for x in v.split(SEP.strip()):
        x = _clean(x)
        if x and x not in out:
            out.append(x)
    return out


def _address(line: str) -> dict[str, str] | None:
    parts = [p for p in (_clean(x) for x in line.split(",")) if p]
    if not parts:
        return None
    country = parts.pop() if _ISO2.fullmatch(parts[-1]) else ""
    return {"street": ", ".join(parts), "city": "", "country": country}


def _entry(path: Path, line: int, rec: dict[str, str], seen: set[str], kind: str) -> ListEntry:
    def bad(reason: str) -> DataError:
        return DataError(f"malformed CSL {kind}", [f"{path}:{line}: {reason}"])

    for k, v in rec.items():
        check_field(path, line, v, k if k in CSV_COLUMNS else "a field")
    rid = _clean(rec.get("_id", ""))
    if not rid:
        raise bad("record without _id")
    if len(rid) > MAX_ID:
        raise bad(f"_id {rid[:20]}... is longer than {MAX_ID} characters")
    if rid in seen:
        raise bad(f"duplicate _id {rid}")
    seen.add(rid)
    name = _clean(rec.get("name", ""))
    if not name:
        raise bad(f"record {rid} has no name")
    source = _clean(rec.get("source", ""))
    if not source:
        raise bad(f"record {rid} has no source")
    typ = _clean(rec.get("type", "")).lower()
    if typ not in TYPES:
        raise bad(f"record {rid} has unknown type {rec.get('type')!r} (expected Individual, Entity, Vessel, "
                  "Aircraft or empty)")
    code = source_code(source)
    programs = [code] + [p for p in _split(rec.get("programs", "")) if p != code]
    aliases = [("aka", a) for a in _split(rec.get("alt_names", "")) if a != name]
    addresses = [a for a in (_address(x) for x in rec.get("addresses", "").split(SEP.strip())) if a]
    remarks = _clean(rec.get("remarks", ""))
    frn = _clean(rec.get("federal_register_notice", ""))
    if frn:
        remarks = f"{remarks}; Federal Register notice: {frn}" if remarks else f"Federal Register notice: {frn}"
    e = ListEntry(uid=f"CSL-{rid}", name=name, schema=TYPES[typ], programs=programs, remarks=remarks,
                  reference=source, listed_on=_clean(rec.get("start_date", "")), aliases=aliases, addresses=addresses)
    check_entry(path, line, e)
    return e


def _not_csl(path: Path, what: str, data: bytes) -> None:
    kind = looks_like(data)
    if kind.startswith(("XML", "JSON", "an OFAC")) and not (what == "CSL JSON" and kind.startswith("JSON")):
        raise DataError(f"not a {what} file", [f"{path}: it looks like {kind}"])


def read_csl_csv(path: Path) -> Iterator[ListEntry]:
    """Stream the records of a CSL ``consolidated.csv`` (columns found by the header's names; ``id`` is accepted
    for ``_id``).

    Refused with :class:`~equilibrium.errors.DataError` (one line): a missing, empty or oversized file; a file
    that is not UTF-8 (the encoding ``charset-normalizer`` sees is named; a byte-order mark is fine); XML, JSON or
    an OFAC CSV forced as ``csl-csv``; a first row that is not the CSL header (fewer than three CSL columns), that
    lacks a column of :data:`REQUIRED`, repeats a column or has the CSL columns out of the official order
    (:data:`CSV_COLUMNS`; other columns are allowed); a row without the header's field count, an unterminated
    quoted field, a last row without a line end (the file is cut short), a field over
    :data:`~equilibrium.sanctions.filechecks.MAX_FIELD_CHARS` or a name over ``MAX_NAME_CHARS``; a record
    without ``_id``, name or source, a repeated ``_id``; no records. The CSV states no record count: a file cut
    exactly at a row boundary cannot be told from a complete one (the JSON layout's ``total`` can).
    """
    path = Path(path)
    check_file(path, "CSL CSV")
    _not_csl(path, "CSL CSV", head(path))
    require_utf8(path, "CSL CSV")
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    seen: set[str] = set()

    def bad(line: int, reason: str) -> DataError:
        return DataError("malformed CSL CSV", [f"{path}:{line}: {reason}"])

    with fh:
        reader = csv.reader(fh, strict=True)
        start = 1
        try:
            header = [_clean(h) for h in next(reader, [])]
            if not any(header):
                raise bad(1, f"empty file; expected the CSL header ({', '.join(CSV_COLUMNS[:4])}, ...)")
            if "_id" not in header and "id" in header:
                header[header.index("id")] = "_id"
            known = [h for h in header if h in CSV_COLUMNS]
            if len(known) < 3:
                raise DataError("not a CSL CSV file", [f"{path}:1: the first row is not the CSL header "
                                                       f"({', '.join(CSV_COLUMNS[:4])}, ...); the file looks like "
                                                       f"{looks_like(head(path))}"])
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise bad(1, f"header lacks the column(s) {', '.join(missing)}")
            dup = next((h for h in known if known.count(h) > 1), None)
            if dup:
                raise bad(1, f"header names the column {dup} twice")
            for a, b in zip(known, known[1:], strict=False):
                if CSV_COLUMNS.index(a) > CSV_COLUMNS.index(b):
                    raise bad(1, f"header has {a} before {b}; the official column order is "
                              f"{', '.join(CSV_COLUMNS)}")
            end = tail(path)
            if not end.endswith((b"\n", b"\r")):
                raise DataError("truncated CSL CSV", [f"{path}: the last row has no line end: the file is cut "
                                                      "short"])
            pos = {h: i for i, h in enumerate(header) if h}
            start = reader.line_num + 1
            for row in reader:
                line, start = start, reader.line_num + 1
                if not any(c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise bad(line, f"expected {len(header)} columns, found {len(row)}")
                yield _entry(path, line, {h: row[i] for h, i in pos.items()}, seen, "CSV")
        except csv.Error as exc:
            raise bad(start, csv_problem(exc)) from None
        except UnicodeDecodeError:
            raise bad(reader.line_num + 1, "not UTF-8 text") from None
    if not seen:
        raise no_entries(path, "CSL CSV")


def _flat(v: Any) -> str:
    """A JSON value as its CSV cell: null → '', list → joined by '; ', scalars as text."""
    if v is None:
        return ""
    if isinstance(v, list):
        return SEP.join(_flat(x) for x in v if _flat(x))
    return str(v)


def _flat_address(a: Any) -> str:
    if isinstance(a, dict):
        return ", ".join(x for x in (_clean(_flat(a.get(k))) for k in ("address", "city", "state", "postal_code",
                                                                        "country")) if x)
    return _flat(a)


class _Lines:
    """Line numbers of offsets into a text, counted incrementally for increasing offsets."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


_WS = re.compile(r"[ \t\n\r]*")


def _top_level(path: Path) -> Iterator[tuple[str, int, Any]]:
    """``(key, line, value)`` for each member of the top-level JSON object, one ``("results", line, record)`` per
    element of ``results`` (decoded one at a time), after one ``("results[", line, None)`` where the array opens."""
    check_file(path, "CSL JSON", MAX_JSON_BYTES)
    _not_csl(path, "CSL JSON", head(path))
    require_utf8(path, "CSL JSON")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DataError("malformed CSL JSON", [f"{path}: not UTF-8 text"]) from None
    check_json_depth(text, path, "CSL JSON")
    lines = _Lines(text)
    dec = json.JSONDecoder()

    def skip(i: int) -> int:
        m = _WS.match(text, i)
        return m.end() if m else i

    def bad(i: int, reason: str) -> DataError:
        return DataError("malformed CSL JSON", [f"{path}:{lines.at(i)}: {reason}"])

    def expect(i: int, chars: str, what: str) -> str:
        if i >= len(text):
            raise bad(i, f"unexpected end of file; expected {what}")
        if text[i] not in chars:
            raise bad(i, f"expected {what}, found {text[i]!r}")
        return text[i]

    try:
        i = skip(0)
        if i >= len(text) or text[i] != "{":
            found = "an empty file" if i >= len(text) else f"{text[i]!r}"
            raise bad(i, f"expected a JSON object {{\"results\": [...]}}, found {found}")
        i = skip(i + 1)
        if expect(i, '"}', "a member name or '}'") == '"':
            while True:
                expect(i, '"', "a member name")
                key, i = dec.raw_decode(text, i)  # a member name is a JSON string
                i = skip(i)
                expect(i, ":", "':'")
                i = skip(i + 1)
                if key == "results" and not text.startswith("[", i):
                    raise bad(i, "\"results\" is not an array")
                if key == "results":
                    yield "results[", lines.at(i), None  # the array opens (it may be empty)
                    i = skip(i + 1)
                    if not text.startswith("]", i):
                        while True:
                            line = lines.at(i)
                            item, i = dec.raw_decode(text, i)
                            yield key, line, item
                            i = skip(i)
                            if expect(i, ",]", "',' or ']'") == "]":
                                break
                            i = skip(i + 1)
                    i += 1
                else:
                    line = lines.at(i)
                    value, i = dec.raw_decode(text, i)
                    yield key, line, value
                i = skip(i)
                if expect(i, ",}", "',' or '}'") == "}":
                    break
                i = skip(i + 1)
        i = skip(i + 1)
        if i < len(text):
            raise bad(i, "extra data after the top-level object")
    except json.JSONDecodeError as exc:
        raise DataError("malformed CSL JSON", [f"{path}:{exc.lineno}:{exc.colno}: {exc.msg}"]) from None


def search_date(path: Path) -> str | None:
    """``search_performed_at`` (YYYY-MM-DD) of a CSL ``consolidated.json``, or None when it has none."""
    for key, _, value in _top_level(Path(path)):
        if key == "search_performed_at" and isinstance(value, str) and _DATE.match(value):
            return value[:10]
    return None


def read_csl_json(path: Path) -> Iterator[ListEntry]:
    """Stream the records of a CSL ``consolidated.json`` (its ``results``; one record decoded at a time).

    Refused with :class:`~equilibrium.errors.DataError` (one line): a missing, empty or oversized file
    (:data:`~equilibrium.sanctions.filechecks.MAX_JSON_BYTES`); a file that is not UTF-8; XML or CSV forced as
    ``csl-json``; JSON nested deeper than ``MAX_JSON_DEPTH`` (checked without recursion); anything but one object
    with a ``results`` array (a cut file ends inside it); a result that is not an object, lacks ``id``, name or
    source, repeats an ``id``, or has an over-long value; a ``total`` other than the number of results (the API's
    ``total`` is the number of matching entries: a file holding fewer is one page of a search, not the list);
    a ``search_performed_at`` that is not a date, ``sources_used`` that is not an array; no results.
    """
    path = Path(path)
    seen: set[str] = set()
    found = False
    total: tuple[int, Any] | None = None
    count = 0
    for key, line, value in _top_level(path):
        if key == "total":
            total = (line, value)
        elif key == "search_performed_at" and not (isinstance(value, str) and _DATE.match(value)):
            raise DataError("malformed CSL JSON", [f"{path}:{line}: search_performed_at {str(value)[:40]!r} is not "
                                                   "a date"])
        elif key == "sources_used" and not isinstance(value, list):
            raise DataError("malformed CSL JSON", [f"{path}:{line}: sources_used is not an array"])
        if key == "results[":
            found = True
        if key != "results":
            continue
        if not isinstance(value, dict):
            raise DataError("malformed CSL JSON", [f"{path}:{line}: a result is not an object"])
        rec = {k: _flat(v) for k, v in value.items() if k != "addresses"}
        if "_id" not in rec or not rec["_id"].strip():
            rec["_id"] = rec.get("id", "")
        addrs = value.get("addresses")
        rec["addresses"] = SEP.join(x for x in (_flat_address(a) for a in addrs or []) if x) \
            if isinstance(addrs, list) else _flat(addrs)
        count += 1
        yield _entry(path, line, rec, seen, "JSON")
    if not found:
        raise DataError("malformed CSL JSON", [f"{path}:1: no \"results\" array"])
    if total is not None and (type(total[1]) is not int or total[1] != count):
        raise DataError("truncated CSL JSON", [f"{path}:{total[0]}: total says {str(total[1])[:20]} results, the "
                                               f"file holds {count}"])
    if count == 0:
        raise no_entries(path, "CSL JSON")
