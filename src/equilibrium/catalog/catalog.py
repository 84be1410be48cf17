"""Loading the missile catalogue (``data/missiles/*.yml``) and finding systems by fuzzy name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from equilibrium.catalog.models import MissileSystem
from equilibrium.errors import DataError, InvalidInput, NotFound
from equilibrium.provenance import UNITS, Bibliography, bibliography, data_path
from equilibrium.provenance.yamlio import load_yaml

_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10, "l": 50}
_ROMAN_RE = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})([a-d]?)$")


def _roman(token: str) -> str:
    """``"vi"`` → ``"6"``, ``"ia"`` → ``"1a"``, ``"xx"`` → ``"20"``; other tokens unchanged."""
    m = _ROMAN_RE.match(token)
    if not m or not (m.group(1) or m.group(2)):
        return token
    numeral = m.group(1) + m.group(2)
    total = 0
    for i, ch in enumerate(numeral):
        v = _ROMAN_DIGITS[ch]
        nxt = _ROMAN_DIGITS[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -v if v < nxt else v
    return f"{total}{m.group(3)}"


def normalise_name(name: str) -> str:
    """Canonical key for fuzzy lookup: lower case, roman numerals as digits, no punctuation or spaces.

    ``"Hatf-VI"`` → ``"hatf6"``; ``"V-2"`` → ``"v2"``; ``"Shaheen 3"`` and ``"Shaheen-III"`` → ``"shaheen3"``.
    """
    tokens = re.split(r"[\s\-_/'’.()]+", name.strip().lower())
    out: list[str] = []
    for tok in tokens:
        if not tok:
            continue
        out.append(_roman(tok) if out else tok)  # the first token is a word ("V-2"), never a numeral
    return "".join(out)


class Catalog:
    """The missile catalogue: systems by id, with lookup by name or alias."""

    def __init__(self, systems: Iterable[MissileSystem], bib: Bibliography) -> None:
        self.systems: dict[str, MissileSystem] = {s.id: s for s in systems}
        self.bibliography = bib
        self._keys: dict[str, str] = {}
        for s in self.systems.values():
            for n in (s.id, s.name, *s.aliases):
                self._keys.setdefault(normalise_name(n), s.id)

    def __iter__(self) -> Iterator[MissileSystem]:
        return iter(self.systems.values())

    def __len__(self) -> int:
        return len(self.systems)

    def find(self, name: str) -> MissileSystem:
        """The system called ``name`` (id, name or alias; case, spacing and roman numerals ignored).

        Raises :class:`NotFound` with the closest names when nothing matches exactly.
        """
        key = normalise_name(name)
        if not key:
            raise InvalidInput("empty missile name")
        if key in self._keys:
            return self.systems[self._keys[key]]
        matches = process.extract(key, list(self._keys), scorer=fuzz.WRatio, limit=8)
        names: list[str] = []
        for k, score, _ in matches:
            if score < 60:
                continue
            n = self.systems[self._keys[k]].name
            if n not in names:
                names.append(n)
        raise NotFound("missile system", name, names[:3])

    def range_summary(self, system: MissileSystem) -> dict[str, Any]:
        """JSON-ready range interval (km) of ``system``: ``low``, ``high``, ``nominal``, ``unverified``, per-source
        ``values`` (each with its ``attribution``), ``sources``, and ``by_attribution`` — the interval stated by
        officials, by analysts and by the press separately, so official claims and estimates stay apart.
        """
        out = system.range.summary()
        by: dict[str, dict[str, float]] = {}
        values = []
        for fig, dumped in zip(system.range.figures(), out["values"], strict=True):  # type: ignore[call-overload]
            who = self.bibliography.attribution(fig)
            values.append({**dumped, "attribution": who})
            cur = by.setdefault(who, {"low": fig.low, "high": fig.high})
            cur["low"], cur["high"] = min(cur["low"], fig.low), max(cur["high"], fig.high)
        out["values"] = values
        out["by_attribution"] = by
        return out

    def select(self, country: str | None = None, cls: str | None = None) -> list[MissileSystem]:
        """Systems of ``country`` (ISO3) and class ``cls`` (e.g. ``IRBM``), sorted by country then range."""
        out = list(self.systems.values())
        if country:
            c = country.upper()
            known = sorted({s.country for s in out})
            if c not in known:
                near = [m[0] for m in process.extract(c, known, limit=3)]
                raise NotFound("country in the catalogue", country, near)
            out = [s for s in out if s.country == c]
        if cls:
            k = cls.upper()
            known_cls = sorted({s.cls for s in self.systems.values()})
            if k not in known_cls:
                near = [m[0] for m in process.extract(k, known_cls, limit=3)]
                raise NotFound("missile class", cls, near)
            out = [s for s in out if s.cls == k]
        return sorted(out, key=lambda s: (s.country, s.range.nominal, s.name))


def _validate_file(path: Path, bib: Bibliography, errors: list[str]) -> list[MissileSystem]:
    doc = load_yaml(path)
    items: Any = doc.data.get("systems") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        errors.append(f"{path}:1: expected a top-level 'systems:' list")
        return []
    out: list[MissileSystem] = []
    for i, item in enumerate(items):
        try:
            system = MissileSystem.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ("systems", i, *err["loc"])
                errors.append(f"{doc.where(loc)}: {'.'.join(map(str, err['loc']))}: {err['msg']}")
            continue
        for field, value in system.cited_values().items():
            if value.unit not in UNITS:
                errors.append(f"{doc.where(('systems', i, field))}: unknown unit {value.unit!r}")
        for field in ("length", "diameter"):
            v = getattr(system, field)
            if v is not None and v.unit != "m":
                errors.append(f"{doc.where(('systems', i, field))}: {field} must be in m")
        for field in ("launch_mass", "payload"):
            v = getattr(system, field)
            if v is not None and v.unit != "kg":
                errors.append(f"{doc.where(('systems', i, field))}: {field} must be in kg")
        for sid in system.source_ids():
            if sid not in bib:
                errors.append(f"{doc.where(('systems', i))}: {system.id}: unresolved source id {sid!r}")
        out.append(system)
    return out


def load_catalog(paths: Iterable[Path] | None = None, bib: Bibliography | None = None) -> Catalog:
    """Load and validate catalogue files (default: every shipped ``data/missiles/*.yml``).

    Raises :class:`DataError` with ``file:line: message`` for invalid systems, unknown units, unresolved
    source ids and duplicate ids or names.
    """
    bib = bib or bibliography()
    files = sorted(paths) if paths is not None else sorted(data_path("missiles").glob("*.yml"))
    errors: list[str] = []
    systems: list[MissileSystem] = []
    for f in files:
        systems.extend(_validate_file(Path(f), bib, errors))
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    for s in systems:
        if s.id in ids:
            errors.append(f"duplicate system id {s.id!r}")
        ids[s.id] = s.id
        for n in (s.name, *s.aliases):
            key = normalise_name(n)
            if key in names and names[key] != s.id:
                errors.append(f"name {n!r} of {s.id!r} is also a name of {names[key]!r}")
            names.setdefault(key, s.id)
        if s.variant_of and s.variant_of not in {x.id for x in systems}:
            errors.append(f"{s.id}: variant_of {s.variant_of!r} is not a system id")
    if errors:
        raise DataError("invalid missile catalogue", errors)
    return Catalog(systems, bib)


@cache
def catalog() -> Catalog:
    """The shipped catalogue, loaded once."""
    return load_catalog()
