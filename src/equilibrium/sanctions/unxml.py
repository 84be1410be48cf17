"""The UN Security Council Consolidated List (XML, ``sc-sanctions.xsd``), parsed as a stream.

``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) holds ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``
records: ``DATAID`` (stable id), ``FIRST_NAME``…``FOURTH_NAME``, ``UN_LIST_TYPE`` (regime), ``REFERENCE_NUMBER``,
``LISTED_ON``, ``COMMENTS1``, aliases (``*_ALIAS/ALIAS_NAME`` with ``QUALITY``) and addresses. Records are read
with ``xml.etree.ElementTree.iterparse`` and cleared as they go; a malformed file raises
:class:`~equilibrium.errors.DataError` with the line and column.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from equilibrium.errors import DataError
from equilibrium.sanctions.entries import ListEntry, xml_errors


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def generated_date(path: Path) -> str | None:
    """``dateGenerated`` (YYYY-MM-DD) of a UN consolidated list file, read from its root element."""
    with xml_errors(path, "UN XML"):
        for _, el in ET.iterparse(path, events=("start",)):
            d = el.get("dateGenerated")
            return d[:10] if d else None
    return None


def read_un_xml(path: Path) -> Iterator[ListEntry]:
    """Stream the individuals and entities of a UN consolidated list XML file."""
    with xml_errors(path, "UN XML"):
        ctx = ET.iterparse(path, events=("end",))
        seen: set[str] = set()
        for _, el in ctx:
            if el.tag not in ("INDIVIDUAL", "ENTITY"):
                continue
            dataid = _text(el.find("DATAID"))
            if not dataid:
                raise DataError("malformed UN XML", [f"{path}: {el.tag} without DATAID"])
            uid = f"UN-{dataid}"
            if uid in seen:
                raise DataError("malformed UN XML", [f"{path}: duplicate DATAID {dataid}"])
            seen.add(uid)
            parts = [_text(el.find(t)) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            name = " ".join(p for p in parts if p)
            if not name:
                raise DataError("malformed UN XML", [f"{path}: {el.tag} {dataid} has no name"])
            aliases = []
            for al in el.iter(f"{el.tag}_ALIAS"):
                n = _text(al.find("ALIAS_NAME"))
                if n:
                    q = _text(al.find("QUALITY")).lower() or "aka"
                    aliases.append(("weak-aka" if q in ("low", "a.k.a. low quality") else "aka", n))
            orig = _text(el.find("NAME_ORIGINAL_SCRIPT"))
            if orig:
                aliases.append(("original-script", orig))
            addresses = []
            for ad in el.iter(f"{el.tag}_ADDRESS"):
                street = _text(ad.find("STREET"))
                city = " ".join(x for x in (_text(ad.find("CITY")), _text(ad.find("STATE_PROVINCE"))) if x)
                country = _text(ad.find("COUNTRY"))
                if street or city or country:
                    addresses.append({"street": street, "city": city, "country": country})
            yield ListEntry(uid=uid, name=name, schema="Person" if el.tag == "INDIVIDUAL" else "LegalEntity",
                            programs=[p for p in [_text(el.find("UN_LIST_TYPE"))] if p],
                            remarks=_text(el.find("COMMENTS1")), reference=_text(el.find("REFERENCE_NUMBER")),
                            listed_on=_text(el.find("LISTED_ON")), aliases=aliases, addresses=addresses)
            el.clear()
