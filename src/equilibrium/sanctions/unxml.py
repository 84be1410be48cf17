"""The UN Security Council Consolidated List (XML, ``sc-sanctions.xsd``), parsed as a stream.

``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) holds ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``
records: ``DATAID`` (stable id), ``FIRST_NAME``…``FOURTH_NAME``, ``UN_LIST_TYPE`` (regime), ``REFERENCE_NUMBER``,
``LISTED_ON``, ``COMMENTS1``, aliases (``*_ALIAS/ALIAS_NAME`` with ``QUALITY``) and addresses. Records are read
with ``defusedxml``'s ``iterparse`` (DTDs forbidden) and cleared as they go; a malformed file raises
:class:`~equilibrium.errors.DataError` with the line and column; the completeness checks are listed at
:func:`read_un_xml`.

Source: the UN Security Council's schema ``https://www.un.org/sc/resources/sc-sanctions.xsd`` (named in each
file's ``xsi:noNamespaceSchemaLocation``; ``CONSOLIDATED_LIST`` with attribute ``dateGenerated`` of type
``xs:dateTime``, children ``INDIVIDUALS`` and ``ENTITIES``) and the three shared files (2018-10-29, 2025-04-19,
2025-11-20), none of which states a record count.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from equilibrium.errors import DataError
from equilibrium.sanctions.entries import ListEntry, xml_errors
from equilibrium.sanctions.filechecks import (
    check_entry,
    check_root,
    check_xml_start,
    date_attribute,
    no_entries,
    safe_iterparse,
)

WHAT = "UN XML"
ROOT = "CONSOLIDATED_LIST"
"""Root element of the UN consolidated list."""
CONTAINERS = ("INDIVIDUALS", "ENTITIES")
"""The two containers every complete UN consolidated list has (either may be empty, but both are present)."""


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def generated_date(path: Path) -> str | None:
    """``dateGenerated`` (YYYY-MM-DD) of a UN consolidated list file, read from its root element; a file that is
    not a UN consolidated list, or whose date is missing or not a date-time, raises :class:`DataError`."""
    path = Path(path)
    check_xml_start(path, WHAT, ROOT)
    with xml_errors(path, WHAT):
        for _, el in safe_iterparse(path, WHAT, ("start",)):
            check_root(path, WHAT, el, ROOT)
            return date_attribute(path, WHAT, el, "dateGenerated")
    return None


def read_un_xml(path: Path) -> Iterator[ListEntry]:
    """Stream the individuals and entities of a UN consolidated list XML file.

    Refused with :class:`~equilibrium.errors.DataError` (one line): a missing, empty, oversized, non-UTF-8
    (undeclared) or unsafe (DTD, entities) file; a root other than ``CONSOLIDATED_LIST`` (e.g. an OFAC or EU file
    forced as ``un-xml``); a missing or invalid ``dateGenerated``; a file that is not well-formed (a cut file: the
    root is not closed); a missing ``INDIVIDUALS`` or ``ENTITIES`` container; a record without ``DATAID`` or name,
    a repeated ``DATAID``, an over-long name or field; no records. The UN file states no record count, so a file
    cut at a record boundary *and closed again* by hand cannot be detected: well-formedness, both containers and
    the closed root are the check.
    """
    path = Path(path)
    check_xml_start(path, WHAT, ROOT)
    containers: set[str] = set()
    n = 0
    root: ET.Element | None = None
    parent: ET.Element | None = None
    with xml_errors(path, WHAT):
        seen: set[str] = set()
        depth = 0
        for event, el in safe_iterparse(path, WHAT, ("start", "end")):
            if event == "start":
                depth += 1
                if root is None:
                    check_root(path, WHAT, el, ROOT)
                    date_attribute(path, WHAT, el, "dateGenerated")
                    root = el
                elif depth == 2:
                    parent = el
                    if el.tag in CONTAINERS:
                        containers.add(el.tag)
                continue
            depth -= 1
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
                an = _text(al.find("ALIAS_NAME"))
                if an:
                    q = _text(al.find("QUALITY")).lower() or "aka"
                    aliases.append(("weak-aka" if q in ("low", "a.k.a. low quality") else "aka", an))
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
            e = ListEntry(uid=uid, name=name, schema="Person" if el.tag == "INDIVIDUAL" else "LegalEntity",
                          programs=[p for p in [_text(el.find("UN_LIST_TYPE"))] if p],
                          remarks=_text(el.find("COMMENTS1")), reference=_text(el.find("REFERENCE_NUMBER")),
                          listed_on=_text(el.find("LISTED_ON")), aliases=aliases, addresses=addresses)
            check_entry(path, f"{el.tag} {dataid}", e)
            n += 1
            yield e
            el.clear()
            if parent is not None:
                parent.clear()  # drop the cleared records from their container, keeping memory flat
    missing = [c for c in CONTAINERS if c not in containers]
    if missing:
        raise DataError("truncated UN XML", [f"{path}: no {' or '.join(missing)} container under "
                                             f"{ROOT}: the file is cut short or not a complete consolidated list"])
    if n == 0:
        raise no_entries(path, WHAT)
