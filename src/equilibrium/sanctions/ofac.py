"""OFAC legacy CSV files (``sdn.csv`` with optional ``add.csv`` and ``alt.csv``), parsed as a stream.

``sdn.csv`` has no header and 12 columns: ``ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
Tonnage, GRT, Vess_flag, Vess_owner, Remarks``; ``-0-`` means empty; several programmes are joined by ``] [``;
the file may end with a DOS end-of-file byte (0x1A). ``add.csv``: ``ent_num, add_num, address, city/state/postal,
country, add_remarks``. ``alt.csv``: ``ent_num, alt_num, alt_type, alt_name, alt_remarks``. The remarks column
carries more aliases (``a.k.a. 'X'``, ``f.k.a.``, ``n.k.a.``) and identifiers (``Passport X (Country)``,
``Registration Number X (Country)``, ...) which :func:`parse_remarks` extracts. Files are Latin-1 (OFAC's legacy
encoding). Malformed rows raise :class:`~equilibrium.errors.DataError` naming the file and line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from equilibrium.errors import DataError

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


def _rows(path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    try:
        fh = path.open(encoding="latin-1", newline="")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        reader = csv.reader(fh)
        try:
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and row[0].strip() in ("", "\x1a")):
                    continue
                if len(row) != width:
                    raise DataError("malformed OFAC CSV", [f"{path}:{line}: expected {width} columns, found "
                                                           f"{len(row)}"])
                yield line, row
        except csv.Error as exc:
            raise DataError("malformed OFAC CSV", [f"{path}:{reader.line_num}: {exc}"]) from None


def read_sdn_csv(sdn: Path, add: Path | None = None, alt: Path | None = None) -> Iterator[SdnEntry]:
    """Stream the entries of an OFAC legacy ``sdn.csv`` (joined with ``add.csv``/``alt.csv`` when given)."""
    alts: dict[int, list[tuple[str, str]]] = {}
    if alt is not None:
        for line, r in _rows(alt, 5):
            uid = _int(r[0], alt, line)
            kind = _clean(r[2]).lower().replace(".", "") or "aka"
            alts.setdefault(uid, []).append((kind, _clean(r[3])))
    adds: dict[int, list[dict[str, str]]] = {}
    if add is not None:
        for line, r in _rows(add, 6):
            uid = _int(r[0], add, line)
            adds.setdefault(uid, []).append({"street": _clean(r[2]), "city": _clean(r[3]),
                                             "country": _clean(r[4]), "remarks": _clean(r[5])})
    seen: set[int] = set()
    for line, r in _rows(sdn, 12):
        uid = _int(r[0], sdn, line)
        if uid in seen:
            raise DataError("malformed OFAC CSV", [f"{sdn}:{line}: duplicate ent_num {uid}"])
        seen.add(uid)
        name = _clean(r[1])
        if not name:
            raise DataError("malformed OFAC CSV", [f"{sdn}:{line}: empty SDN_Name"])
        remarks = _clean(r[11])
        akas, ids = parse_remarks(remarks)
        programs = [p.strip(" []") for p in _clean(r[3]).split("] [") if p.strip(" []")]
        e = SdnEntry(uid=uid, name=name, sdn_type=_clean(r[2]).lower(), programs=programs, title=_clean(r[4]),
                     remarks=remarks, aliases=akas, identifiers=ids, addresses=adds.get(uid, []))
        known = {n for _, n in e.aliases}
        e.aliases += [(k, n) for k, n in alts.get(uid, []) if n and n not in known]
        yield e


def _int(v: str, path: Path, line: int) -> int:
    try:
        return int(v.strip())
    except ValueError:
        raise DataError("malformed OFAC CSV", [f"{path}:{line}: ent_num {v!r} is not a number"]) from None
