"""OFAC legacy XML (``sdnList``: the SDN list or the Consolidated non-SDN list), parsed as a stream.

Each ``sdnEntry`` has ``uid``, ``firstName``/``lastName``, ``sdnType``, ``programList/program``, ``remarks``,
``akaList/aka`` (``type`` a.k.a./f.k.a./n.k.a., ``category`` strong/weak, names) and ``addressList/address``. The
root's ``publshInformation/Publish_Date`` (MM/DD/YYYY) gives the list date and ``publshInformation/Record_Count``
the number of ``sdnEntry`` elements. The root must be ``sdnList`` in one of OFAC's namespaces; below it namespaces
are ignored. A malformed file raises :class:`~equilibrium.errors.DataError` with the line and column; the
completeness checks are listed at :func:`read_ofac_xml`.

Source: OFAC's SDN data specification (``dat_spec.txt``, "XML" part, and the ``sdn.xsd`` it points to:
``sdnList`` → ``publshInformation`` (``Publish_Date``, ``Record_Count``) and ``sdnEntry``), and the shared
2025-03-28 non-SDN file (namespace ``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML``,
``Record_Count`` 443 = its 443 entries).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from equilibrium.errors import DataError
from equilibrium.sanctions.entries import ListEntry, xml_errors
from equilibrium.sanctions.filechecks import (
    OFAC_NAMESPACES,
    check_entry,
    check_root,
    check_xml_start,
    no_entries,
    safe_iterparse,
)

WHAT = "OFAC XML"


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


def _date(path: Path, text: str) -> str:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date().isoformat()
    except ValueError:
        raise DataError("malformed OFAC XML", [f"{path}: Publish_Date {text.strip()[:40]!r} is not a date "
                                               "MM/DD/YYYY"]) from None


def _count(path: Path, text: str) -> int:
    t = text.strip()
    if not t.isdigit() or len(t) > 9:
        raise DataError("malformed OFAC XML", [f"{path}: Record_Count {t[:40]!r} is not a number"])
    return int(t)


def publish_info(path: Path) -> tuple[str | None, int | None]:
    """(list date YYYY-MM-DD, stated record count) from ``publshInformation``; None for what the file does not
    state. A file that is not an OFAC ``sdnList`` XML, is unsafe or malformed before the first entry, or states a
    date or count that does not parse, raises :class:`DataError`."""
    path = Path(path)
    check_xml_start(path, WHAT, "sdnList")
    date = count = None
    first = True
    with xml_errors(path, WHAT):
        for event, el in safe_iterparse(path, WHAT, ("start", "end")):
            if first:
                check_root(path, WHAT, el, "sdnList", OFAC_NAMESPACES)
                first = False
            if event != "end":
                continue
            tag = _local(el.tag)
            if tag == "Publish_Date" and (el.text or "").strip():
                date = _date(path, el.text or "")
            elif tag == "Record_Count" and (el.text or "").strip():
                count = _count(path, el.text or "")
            elif tag == "publshInformation" or tag == "sdnEntry":
                break
    return date, count


def read_ofac_xml(path: Path, list_prefix: str = "OFAC", *, allow_uncounted: bool = False) -> Iterator[ListEntry]:
    """Stream the entries of an OFAC legacy XML file (uids ``OFAC-<uid>``, as in the CSV files).

    Refused with :class:`~equilibrium.errors.DataError` (one line): a missing, empty, oversized, non-UTF-8
    (undeclared) or unsafe (DTD, entities) file; a root other than ``sdnList`` in an OFAC namespace
    (:data:`~equilibrium.sanctions.filechecks.OFAC_NAMESPACES`: e.g. a UN list forced as OFAC XML); a missing or
    unparseable ``Publish_Date``; an entry without ``uid``, a repeated ``uid``, an over-long name or field; no
    entries; and an entry count other than ``publshInformation/Record_Count``. A file without ``Record_Count``
    is refused unless ``allow_uncounted`` (``--allow-uncounted``): without the count, a file cut at an entry
    boundary and closed again cannot be told from a complete one.
    """
    path = Path(path)
    check_xml_start(path, WHAT, "sdnList")
    stated: int | None = None
    dated = False
    n = 0
    seen: set[str] = set()
    root: ET.Element | None = None
    with xml_errors(path, WHAT):
        for event, el in safe_iterparse(path, WHAT, ("start", "end")):
            if root is None:
                check_root(path, WHAT, el, "sdnList", OFAC_NAMESPACES)
                root = el
                continue
            if event != "end":
                continue
            tag = _local(el.tag)
            if tag == "Publish_Date" and n == 0:
                _date(path, el.text or "")
                dated = True
            elif tag == "Record_Count" and n == 0:
                stated = _count(path, el.text or "")
            if tag != "sdnEntry":
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
            if not name:
                raise DataError("malformed OFAC XML", [f"{path}: sdnEntry {uid} has no name"])
            e = ListEntry(uid=f"{list_prefix}-{uid}", name=name, schema=schema, programs=[p for p in programs if p],
                          remarks=_t(el, "remarks"), reference=_t(el, "title"), aliases=aliases, addresses=addresses)
            check_entry(path, f"sdnEntry {uid}", e)
            n += 1
            yield e
            el.clear()
            root.clear()  # drop the cleared entries from the root, keeping memory flat
    if not dated:
        raise DataError("malformed OFAC XML", [f"{path}: publshInformation/Publish_Date is missing"])
    if n == 0:
        raise no_entries(path, WHAT)
    if stated is None and not allow_uncounted:
        raise DataError("uncounted OFAC XML", [f"{path}: publshInformation/Record_Count is missing, so a file cut "
                                               "at an entry boundary cannot be told from a complete one; give "
                                               "--allow-uncounted to load it anyway"])
    if stated is not None and stated != n:
        raise DataError("truncated OFAC XML", [f"{path}: Record_Count says {stated} entries, the file holds {n}"])
