"""What every official-list importer yields (:class:`ListEntry`, in the store's terms), and the one place where XML
reading errors become :class:`~equilibrium.errors.DataError` with the file, line and column (a DTD, entity
declaration or external reference refused by ``defusedxml`` becomes one line, too)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException

from equilibrium.errors import DataError


@dataclass
class ListEntry:
    """A list entry in the store's terms: ``uid`` (``UN-110447``), primary name, FollowTheMoney schema,
    programmes, remarks, aliases ``(kind, name)``, addresses, the list's own reference and listing date."""

    uid: str
    name: str
    schema: str
    programs: list[str]
    remarks: str = ""
    reference: str = ""
    listed_on: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def xml_errors(path: Path, what: str) -> Iterator[None]:
    """Turn a malformed, unsafe or unreadable XML file read inside the block into a :class:`DataError`
    ``"malformed {what}"`` naming ``path:line:column`` (or ``"cannot read {path}"``). Works around a generator's
    loop, too."""
    try:
        yield
    except ET.ParseError as exc:
        line, col = exc.position
        raise DataError(f"malformed {what}", [f"{path}:{line}:{col}: {exc}"]) from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    except DefusedXmlException as exc:
        kind = {"DTDForbidden": "a DTD (<!DOCTYPE ...>)", "EntitiesForbidden": "an entity declaration",
                "ExternalReferenceForbidden": "an external reference"}.get(type(exc).__name__, "unsafe XML")
        raise DataError(f"unsafe {what}", [f"{path}: the file declares {kind}; official list files have none, and "
                                           "DTDs and entities are refused (XXE, entity expansion)"]) from None
