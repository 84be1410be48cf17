"""The EU Financial Sanctions Files (FSF) consolidated list, XML 1.1 (``xmlFullSanctionsList_1_1``), parsed as a
stream.

The root ``export`` (namespace ``http://eu.europa.ec/fpi/fsd/export``; attributes ``generationDate``, an ISO
timestamp, and ``globalFileId``) holds one ``sanctionEntity`` per listed person or entity: attributes
``logicalId`` (stable id), ``euReferenceNumber`` (``EU.27.28``), ``unitedNationId``, ``designationDate``,
``designationDetails``; children ``remark`` (text), ``regulation`` (attributes ``regulationType``,
``organisationType``, ``publicationDate``, ``entryIntoForceDate``, ``numberTitle``, ``programme`` — the regime code
such as ``RUS``, ``IRN``, ``TAQA`` — and a ``publicationUrl`` child), ``subjectType`` (``code`` person|enterprise,
``classificationCode`` P|E), ``nameAlias`` (``wholeName``, ``firstName``, ``middleName``, ``lastName``,
``nameLanguage``, ``function``, ``gender``, ``title``, ``strong`` true|false), ``address`` (``street``, ``poBox``,
``city``, ``zipCode``, ``region``, ``place``, ``countryIso2Code``, ``countryDescription``; ``00``/``UNKNOWN`` when
unknown), ``birthdate``, ``citizenship`` and ``identification``. Most children carry a ``regulationSummary`` and
may carry a ``remark``.

Layout checked against public code reading the official file: OpenSanctions'
``zavod/zavod/shed/fsf.py`` (used by ``datasets/eu/fsf/crawler.py``), and excerpts of the published file quoted in
other projects' tests (root ``<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="..."
globalFileId="...">``, the attribute sets above).

Mapping to :class:`~equilibrium.sanctions.unxml.ListEntry`: ``uid`` ``EU-<logicalId>``; ``schema`` Person
(person/P), else LegalEntity (enterprise/E, as the other importers type entities); primary ``name`` the first
``nameAlias`` with ``strong="true"`` (else the first), its ``wholeName`` (else first, middle and last name
joined); the other names, once each, are aliases ``("aka", name)``, or ``("weak-aka", name)`` when
``strong="false"``; ``programs`` the regulations' ``programme`` codes; ``reference`` ``euReferenceNumber``;
``listed_on`` ``designationDate``; ``remarks`` the entity's own ``remark`` texts; ``addresses`` with ``street``
(street, PO box), ``city`` (city, region, postcode) and ``country`` (the description, else the ISO code; addresses
with nothing known are left out). Births, citizenships and identity documents are not kept (the store has no place
for them). The root must be ``export`` in :data:`NAMESPACE`; below it namespaces are ignored. Records are read with
``defusedxml``'s ``iterparse`` (DTDs forbidden) and cleared as they go; a malformed file raises
:class:`~equilibrium.errors.DataError` with the line and column; the completeness checks are listed at
:func:`read_eu_xml`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from equilibrium.errors import DataError
from equilibrium.sanctions.entries import ListEntry, xml_errors
from equilibrium.sanctions.filechecks import (
    EU_NAMESPACE,
    check_entry,
    check_root,
    check_xml_start,
    date_attribute,
    no_entries,
    safe_iterparse,
)

WHAT = "EU FSF XML"
NAMESPACE = EU_NAMESPACE
"""XML namespace of the FSF export."""
SCHEMAS = {"person": "Person", "p": "Person", "enterprise": "LegalEntity", "e": "LegalEntity"}
"""``subjectType`` ``code`` or ``classificationCode`` (lower-cased) to FollowTheMoney schema."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _a(el: ET.Element, name: str) -> str:
    return " ".join((el.get(name) or "").split())


def generation_date(path: Path) -> str | None:
    """``generationDate`` (YYYY-MM-DD) of an EU FSF export file, read from its root element; a file that is not an
    EU FSF export, or whose date is missing or not a date-time, raises :class:`DataError`."""
    path = Path(path)
    check_xml_start(path, WHAT, "export")
    with xml_errors(path, WHAT):
        for _, el in safe_iterparse(path, WHAT, ("start",)):
            check_root(path, WHAT, el, "export", (NAMESPACE,))
            return date_attribute(path, WHAT, el, "generationDate")
    return None


def _entry(path: Path, el: ET.Element) -> ListEntry:
    lid = _a(el, "logicalId")
    if not lid:
        raise DataError("malformed EU FSF XML", [f"{path}: sanctionEntity without logicalId"])
    st = _children(el, "subjectType")
    codes = [_a(st[0], "code").lower(), _a(st[0], "classificationCode").lower()] if st else []
    schema = next((SCHEMAS[c] for c in codes if c in SCHEMAS), None)
    if schema is None:
        raise DataError("malformed EU FSF XML", [f"{path}: sanctionEntity {lid}: subjectType "
                                                 f"{'/'.join(c for c in codes if c) or 'missing'} is neither "
                                                 "person nor enterprise"])
    names: list[tuple[str, bool]] = []
    for na in _children(el, "nameAlias"):
        whole = _a(na, "wholeName") or " ".join(x for x in (_a(na, "firstName"), _a(na, "middleName"),
                                                            _a(na, "lastName")) if x)
        if whole:
            names.append((whole, _a(na, "strong").lower() != "false"))
    if not names:
        raise DataError("malformed EU FSF XML", [f"{path}: sanctionEntity {lid} has no name"])
    primary = next((n for n, strong in names if strong), names[0][0])
    aliases: list[tuple[str, str]] = []
    known = {primary}
    for n, strong in names:
        if n not in known:
            known.add(n)
            aliases.append(("aka" if strong else "weak-aka", n))
    programs: list[str] = []
    for reg in _children(el, "regulation"):
        p = _a(reg, "programme")
        if p and p not in programs:
            programs.append(p)
    addresses = []
    for ad in _children(el, "address"):
        street = ", ".join(x for x in (_a(ad, "street"), _a(ad, "poBox")) if x)
        city = " ".join(x for x in (_a(ad, "city"), _a(ad, "region"), _a(ad, "zipCode")) if x)
        desc, iso = _a(ad, "countryDescription"), _a(ad, "countryIso2Code")
        country = desc if desc and desc.upper() != "UNKNOWN" else iso if iso and iso != "00" else ""
        if street or city or country:
            addresses.append({"street": street, "city": city, "country": country})
    remarks = "; ".join(t for t in (" ".join((r.text or "").split()) for r in _children(el, "remark")) if t)
    return ListEntry(uid=f"EU-{lid}", name=primary, schema=schema, programs=programs, remarks=remarks,
                     reference=_a(el, "euReferenceNumber"), listed_on=_a(el, "designationDate"), aliases=aliases,
                     addresses=addresses)


def read_eu_xml(path: Path) -> Iterator[ListEntry]:
    """Stream the sanction entities of an EU FSF XML 1.1 export file.

    Refused with :class:`~equilibrium.errors.DataError` (one line): a missing, empty, oversized, non-UTF-8
    (undeclared) or unsafe (DTD, entities) file; a root other than ``export`` in the FSF namespace
    (:data:`NAMESPACE`; e.g. a UN or OFAC file forced as ``eu-xml``); a missing or invalid ``generationDate``; a
    file that is not well-formed (a cut file); an entity without ``logicalId``, name or a person/enterprise
    subject type, a repeated ``logicalId``, an over-long name or field; no ``sanctionEntity`` at all. The export
    states no entity count, so well-formedness (the closed root) is the completeness check.
    """
    path = Path(path)
    check_xml_start(path, WHAT, "export")
    seen: set[str] = set()
    root: ET.Element | None = None
    with xml_errors(path, WHAT):
        for event, el in safe_iterparse(path, WHAT, ("start", "end")):
            if root is None:
                check_root(path, WHAT, el, "export", (NAMESPACE,))
                date_attribute(path, WHAT, el, "generationDate")
                root = el
                continue
            if event != "end" or _local(el.tag) != "sanctionEntity":
                continue
            e = _entry(path, el)
            if e.uid in seen:
                raise DataError("malformed EU FSF XML", [f"{path}: duplicate logicalId {e.uid[3:]}"])
            seen.add(e.uid)
            check_entry(path, f"sanctionEntity {e.uid[3:]}", e)
            yield e
            el.clear()
            root.clear()  # drop the cleared records from the root, keeping memory flat
    if not seen:
        raise no_entries(path, WHAT)
