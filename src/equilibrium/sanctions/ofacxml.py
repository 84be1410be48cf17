"""OFAC legacy XML (``sdnList``: the SDN list or the Consolidated non-SDN list), parsed as a stream.

Each ``sdnEntry`` has ``uid``, ``firstName``/``lastName``, ``sdnType``, ``programList/program``, ``remarks``,
``akaList/aka`` (``type`` a.k.a./f.k.a./n.k.a., ``category`` strong/weak, names) and ``addressList/address``. The
root's ``publshInformation/Publish_Date`` (MM/DD/YYYY) gives the list date. Namespaces are ignored. A malformed
file raises :class:`~equilibrium.errors.DataError` with the line and column; the entry count is checked against
``Record_Count`` when the file states it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from equilibrium.errors import DataError
from equilibrium.sanctions.entries import ListEntry, xml_errors


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _t(el: ET.Element | None, name: str) -> str:
    c = _child(el, name) if el is not None else None
    return " ".join((c.text or "").split()) if c is not None else ""


def publish_info(path: Path) -> tuple[str | None, int | None]:
    """(list date YYYY-MM-DD, stated record count) from ``publshInformation``."""
    date = count = None
    try:
        for _, el in ET.iterparse(path, events=("end",)):
            tag = _local(el.tag)
            if tag == "Publish_Date" and el.text:
                m, d, y = el.text.strip().split("/")
                date = f"{y}-{int(m):02d}-{int(d):02d}"
            elif tag == "Record_Count" and el.text:
                count = int(el.text.strip())
            elif tag == "publshInformation" or tag == "sdnEntry":
                break
    except (ET.ParseError, ValueError):
        return None, None
    return date, count


def read_ofac_xml(path: Path, list_prefix: str = "OFAC") -> Iterator[ListEntry]:
    """Stream the entries of an OFAC legacy XML file (uids ``OFAC-<uid>``, as in the CSV files)."""
    _, stated = publish_info(path)
    n = 0
    seen: set[str] = set()
    with xml_errors(path, "OFAC XML"):
        for _, el in ET.iterparse(path, events=("end",)):
            if _local(el.tag) != "sdnEntry":
                continue
            uid = _t(el, "uid")
            if not uid:
                raise DataError("malformed OFAC XML", [f"{path}: sdnEntry without uid"])
            if uid in seen:
                raise DataError("malformed OFAC XML", [f"{path}: duplicate uid {uid}"])
            seen.add(uid)
            last, first = _t(el, "lastName"), _t(el, "firstName")
            sdn_type = _t(el, "sdnType").lower()
            name = f"{last}, {first}" if first and sdn_type == "individual" else (last or first)
            programs = [" ".join((p.text or "").split()) for p in (_child(el, "programList") or [])]
            aliases = []
            for aka in _child(el, "akaList") or []:
                an = f"{_t(aka, 'lastName')}, {_t(aka, 'firstName')}" if _t(aka, "firstName") and \
                    sdn_type == "individual" else (_t(aka, "lastName") or _t(aka, "firstName"))
                kind = _t(aka, "type").lower().replace(".", "") or "aka"
                if _t(aka, "category").lower() == "weak":
                    kind = f"weak-{kind}"
                if an:
                    aliases.append((kind, an))
            addresses = []
            for ad in _child(el, "addressList") or []:
                street = ", ".join(x for x in (_t(ad, "address1"), _t(ad, "address2"), _t(ad, "address3")) if x)
                city = " ".join(x for x in (_t(ad, "city"), _t(ad, "stateOrProvince"), _t(ad, "postalCode")) if x)
                addresses.append({"street": street, "city": city, "country": _t(ad, "country")})
            schema = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}.get(sdn_type,
                                                                                              "LegalEntity")
            n += 1
            yield ListEntry(uid=f"{list_prefix}-{uid}", name=name, schema=schema, programs=[p for p in programs if p],
                            remarks=_t(el, "remarks"), reference=_t(el, "title"), aliases=aliases,
                            addresses=addresses)
            el.clear()
    if stated is not None and stated != n:
        raise DataError("truncated OFAC XML", [f"{path}: Record_Count says {stated} entries, the file holds {n}"])
