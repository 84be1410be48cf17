"""OFAC legacy CSV files (``sdn.csv`` with optional ``add.csv`` and ``alt.csv``), parsed as a stream.

``sdn.csv`` has no header and 12 columns: ``ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
Tonnage, GRT, Vess_flag, Vess_owner, Remarks``; ``-0-`` means empty; several programmes are joined by ``] [``;
the file ends with a DOS end-of-file byte (0x1A). ``add.csv``: ``ent_num, add_num, address, city/state/postal,
country, add_remarks``. ``alt.csv``: ``ent_num, alt_num, alt_type, alt_name, alt_remarks``. The remarks column
carries more aliases (``a.k.a. 'X'``, ``f.k.a.``, ``n.k.a.``) and identifiers (``Passport X (Country)``,
``Registration Number X (Country)``, ...) which :func:`parse_remarks` extracts. Files are Latin-1 (OFAC's legacy
encoding). Malformed rows raise :class:`~equilibrium.errors.DataError` naming the file and line; the checks that
a file is complete and consistent are listed at :func:`read_sdn_csv`.

Source: OFAC, "Specially Designated Nationals and Blocked Persons: data specification" (``dat_spec.txt``, updated
2023-09-25; also quoted in moov-io/watchman's "file structure" page): CSV "records separated by carriage
returns", ``-0-`` for null, column sizes (``SDN_Name`` 350, ``Remarks`` 1000), ``ent_num``/``add_num``/``alt_num``
"unique record identifier" integers linking add/alt rows to sdn rows. The trailing 0x1A is not in the
specification; it ends every official file seen (the shared 2021-08-18 and 2024-05-03 ``sdn.csv`` and the 2026
``add.csv``/``alt.csv``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from equilibrium.errors import DataError
from equilibrium.sanctions.filechecks import (
    EOF,
    MAX_FIELD_CHARS,
    MAX_NAME_CHARS,
    check_field,
    check_file,
    csv_problem,
    head,
    is_utf16,
    looks_like,
    n,
    no_entries,
    tail,
)

EMPTY = "-0-"
_AKA = re.compile(r"\b([afn])\.k\.a\.\s*'([^']+)'", re.IGNORECASE)
_ID = re.compile(r"(?:^|;\s*)(Passport|National ID No\.|Registration Number|Tax ID No\.|Company Number|"
                 r"Business Registration Number|Trade License No\.|Identification Number|SWIFT/BIC|IMO|"
                 r"Cedula No\.|D-U-N-S Number|Unified Social Credit Code \(USCC\))\s+([^;(]+?)\s*(?:\(([^)]+)\))?"
                 r"(?=;|\.$|$)")


@dataclass
class SdnEntry:
    """One SDN entry: ``uid`` (OFAC ent_num), primary ``name``, ``sdn_type`` (individual, vessel, aircraft, or ''
    for entities), ``programs``, ``title``, ``remarks``, and what the remarks and alt/add files add."""

    uid: int
    name: str
    sdn_type: str
    programs: list[str]
    title: str
    remarks: str
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (kind: aka|fka|nka|alt, name)
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)  # (type, value, country)
    addresses: list[dict[str, str]] = field(default_factory=list)

    @property
    def schema(self) -> str:
        """FollowTheMoney schema: Person, Vessel, Airplane or LegalEntity."""
        return {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}.get(self.sdn_type,
                                                                                        "LegalEntity")


def _clean(v: str) -> str:
    v = v.strip()
    return "" if v == EMPTY else v


def parse_remarks(remarks: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Aliases ``(aka|fka|nka, name)`` and identifiers ``(type, value, country)`` found in an SDN remarks text."""
    aliases = [(f"{m.group(1).lower()}ka", m.group(2).strip()) for m in _AKA.finditer(remarks)]
    ids = [(m.group(1), m.group(2).strip(), (m.group(3) or "").strip()) for m in _ID.finditer(remarks)]
    return aliases, ids


def _not_ofac(path: Path, data: bytes) -> None:
    if is_utf16(data):
        raise DataError("not an OFAC CSV", [f"{path}: the file is UTF-16 (or binary), not an OFAC CSV (OFAC's "
                                            "legacy CSV files are Latin-1 text)"])
    kind = looks_like(data)
    if not kind.startswith("an OFAC legacy CSV"):
        raise DataError("not an OFAC CSV", [f"{path}: it looks like {kind}, not an OFAC legacy CSV (sdn.csv rows "
                                            "start with an ent_num)"])


def _check_end(path: Path, data: bytes, require_eof: bool | None) -> None:
    end = tail(path)
    if end.rstrip(b" \t\r\n").endswith(EOF):
        return
    if require_eof or (require_eof is None and b"\r\n" in data):
        raise DataError("truncated OFAC CSV", [f"{path}: the file does not end with the DOS end-of-file byte 0x1A "
                                               "that ends every official OFAC CSV file: it is cut short"])
    if not end.endswith(b"\n"):
        raise DataError("truncated OFAC CSV", [f"{path}: the last row has no line end and the file no end-of-file "
                                               "byte 0x1A: it is cut short"])


def _rows(path: Path, width: int, require_eof: bool | None) -> Iterator[tuple[int, list[str]]]:
    path = Path(path)
    check_file(path, "OFAC CSV")
    data = head(path)
    _not_ofac(path, data)
    _check_end(path, data, require_eof)
    try:
        fh = path.open(encoding="latin-1", newline="")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None

    def bad(line: int, reason: str) -> DataError:
        return DataError("malformed OFAC CSV", [f"{path}:{line}: {reason}"])

    with fh:
        reader = csv.reader(fh, strict=True)
        line = 1
        try:
            for row in reader:
                line, nxt = line, reader.line_num + 1
                try:
                    if not row or (len(row) == 1 and row[0].strip() in ("", EOF.decode())):
                        continue
                    for i, v in enumerate(row):
                        if EOF.decode() in v or "\n" in v or "\r" in v:
                            raise bad(line, "unterminated quoted field (a quote opened here runs over "
                                      + ("the end-of-file byte 0x1A" if EOF.decode() in v else "a line end")
                                      + "): the row is cut short")
                        if len(v) > MAX_FIELD_CHARS:
                            raise bad(line, f"field {i + 1} is {n(len(v))} characters; the limit is "
                                      f"{n(MAX_FIELD_CHARS)}")
                    if len(row) != width:
                        raise bad(line, f"expected {width} columns, found {len(row)}")
                    yield line, row
                finally:
                    line = nxt
        except csv.Error as exc:
            raise bad(line, csv_problem(exc)) from None


def read_sdn_csv(sdn: Path, add: Path | None = None, alt: Path | None = None, *,
                 require_eof: bool | None = None) -> Iterator[SdnEntry]:
    """Stream the entries of an OFAC legacy ``sdn.csv`` (joined with ``add.csv``/``alt.csv`` when given).

    Refused with :class:`~equilibrium.errors.DataError` (one line, before any entry is yielded where the check
    allows): a missing, empty or oversized file; UTF-16 or another format (XML, JSON, a CSL CSV); a file cut short
    (see below); a row without its 12 (sdn) / 6 (add) / 5 (alt) columns or with an unterminated quote; an
    ``ent_num``/``add_num``/``alt_num`` that is not a number, or repeated; an empty or over-long name
    (:data:`~equilibrium.sanctions.filechecks.MAX_NAME_CHARS`) or field (``MAX_FIELD_CHARS``); an add/alt row whose
    ``ent_num`` is not in ``sdn.csv`` (the first named, with the count); a file with no entries.

    End of file: every official OFAC CSV file (CRLF line ends, as the data specification's "records separated by
    carriage returns" says) ends with the DOS end-of-file byte 0x1A. ``require_eof`` None (the default) requires it
    of files with CRLF line ends, i.e. as published; a file whose line ends were rewritten to LF (by git or an
    editor, which may drop the byte) must instead end with a complete row (a line end). True requires the byte of
    every file; False never.
    """
    alts: dict[int, list[tuple[str, str]]] = {}
    alt_first: dict[int, int] = {}
    add_first: dict[int, int] = {}
    if alt is not None:
        nums: set[int] = set()
        for line, r in _rows(alt, 5, require_eof):
            uid = _int(r[0], alt, line)
            num = _int(r[1], alt, line, "alt_num")
            if num in nums:
                raise DataError("malformed OFAC CSV", [f"{alt}:{line}: duplicate alt_num {num}"])
            nums.add(num)
            name = _clean(r[3])
            check_field(Path(alt), line, name, "alt_name", MAX_NAME_CHARS)
            kind = _clean(r[2]).lower().replace(".", "") or "aka"
            alts.setdefault(uid, []).append((kind, name))
            alt_first.setdefault(uid, line)
    adds: dict[int, list[dict[str, str]]] = {}
    if add is not None:
        nums = set()
        for line, r in _rows(add, 6, require_eof):
            uid = _int(r[0], add, line)
            num = _int(r[1], add, line, "add_num")
            if num in nums:
                raise DataError("malformed OFAC CSV", [f"{add}:{line}: duplicate add_num {num}"])
            nums.add(num)
            adds.setdefault(uid, []).append({"street": _clean(r[2]), "city": _clean(r[3]),
                                             "country": _clean(r[4]), "remarks": _clean(r[5])})
            add_first.setdefault(uid, line)
    seen: set[int] = set()
    for line, r in _rows(sdn, 12, require_eof):
        uid = _int(r[0], sdn, line)
        if uid in seen:
            raise DataError("malformed OFAC CSV", [f"{sdn}:{line}: duplicate ent_num {uid}"])
        seen.add(uid)
        name = _clean(r[1])
        if not name:
            raise DataError("malformed OFAC CSV", [f"{sdn}:{line}: empty SDN_Name"])
        check_field(Path(sdn), line, name, "name", MAX_NAME_CHARS)
        remarks = _clean(r[11])
        akas, ids = parse_remarks(remarks)
        programs = [p.strip(" []") for p in _clean(r[3]).split("] [") if p.strip(" []")]
        e = SdnEntry(uid=uid, name=name, sdn_type=_clean(r[2]).lower(), programs=programs, title=_clean(r[4]),
                     remarks=remarks, aliases=akas, identifiers=ids, addresses=adds.get(uid, []))
        known = {n for _, n in e.aliases}
        e.aliases += [(k, n) for k, n in alts.get(uid, []) if n and n not in known]
        yield e
    if not seen:
        raise no_entries(Path(sdn), "OFAC CSV")
    for f, firsts in ((alt, alt_first), (add, add_first)):
        orphans = sorted((line, u) for u, line in firsts.items() if u not in seen)
        if f is not None and orphans:
            line, uid = orphans[0]
            more = f" ({n(len(orphans))} such ent_nums in all)" if len(orphans) > 1 else ""
            raise DataError("inconsistent OFAC CSV release", [f"{f}:{line}: ent_num {uid} is not in {sdn}{more}; "
                                                              "add.csv and alt.csv must come from the release of "
                                                              "sdn.csv"])


_NUM = re.compile(r"\d{1,12}")


def _int(v: str, path: Path, line: int, what: str = "ent_num") -> int:
    v = v.strip()
    if not _NUM.fullmatch(v):
        raise DataError("malformed OFAC CSV", [f"{path}:{line}: {what} {v[:40]!r} is not a number"])
    return int(v)
