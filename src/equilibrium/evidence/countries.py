"""Countries across the evidence data sets: ISO 3166 alpha-3 codes, names and Correlates of War (COW) codes.

* COW codes map through ``data/evidence/cow_states.yml`` (COW state list v2016 with an ISO3 crosswalk; a COW code
  keeps one ISO3 across name changes: 365 → RUS for the Soviet Union and Russia, 345 → SRB for Yugoslavia/Serbia).
  COW states without an ISO code (South Vietnam, 19th-century German states) get the code ``COW<n>``.
* Names map through the aliases of that file, then ``countrynames`` (exact, not fuzzy) and ``pycountry``.
* The European Union (TIES pseudo-code 1000, EEC, EC) and the United Nations are organisations with codes ``EU``
  and ``UN``.

:func:`resolve` is for user input: an unknown name raises :class:`~equilibrium.errors.NotFound` with close matches.
:func:`resolve_name` is for names in data files: it returns ``None`` for what it cannot resolve (GSDB lists
non-state senders such as ``G8`` or ``Commonwealth``, which stay as names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from equilibrium.errors import DataError, InvalidInput, NotFound
from equilibrium.evidence.codebooks import fast_yaml
from equilibrium.provenance import data_path
from equilibrium.provenance.yamlio import load_yaml

_COUNTRYNAMES_SPECIAL = {"SUHH": "RUS", "YUCS": "SRB", "CSHH": "CSK", "DD": "DDR", "ZR": "COD", "XK": "XKX",
                         "EU": "EU", "UN": "UN"}


@dataclass(frozen=True)
class Country:
    """A state (``code`` = ISO3, or ``COW<n>``) or an organisation (``EU``, ``UN``), with its COW codes."""

    code: str
    name: str
    cow: tuple[int, ...] = ()
    kind: str = "state"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"code": self.code, "name": self.name, "cow": list(self.cow), "kind": self.kind}


@dataclass(frozen=True)
class _Tables:
    by_cow: dict[int, Country]
    by_code: dict[str, Country]
    aliases: dict[str, str]


@cache
def _tables() -> _Tables:
    path = data_path("evidence", "cow_states.yml")
    raw = fast_yaml(path)
    data = raw if isinstance(raw, dict) else {}
    by_cow: dict[int, Country] = {}
    cows: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    ends: dict[str, str] = {}
    errors = []
    for i, s in enumerate(data.get("states") or []):
        try:
            cow, iso, name = int(s["cow"]), s.get("iso3"), str(s["name"])
        except (KeyError, TypeError, ValueError):
            errors.append(f"{load_yaml(path).where(('states', i))}: a state needs cow, iso3 and name")
            continue
        code = str(iso) if iso else f"COW{cow}"
        cows.setdefault(code, []).append(cow)
        end = str(s.get("years") or "0-0").rpartition("-")[2]
        # An ISO3 with several COW codes takes the name of the code that lasts longest (DEU: Germany, not GFR).
        if code not in names or end > ends[code]:
            names[code], ends[code] = name, end
    by_code: dict[str, Country] = {code: Country(code, names[code], tuple(cl)) for code, cl in cows.items()}
    for s in data.get("states") or []:
        if "cow" in s and s.get("name"):
            code = str(s.get("iso3") or f"COW{s['cow']}")
            # Each COW code keeps its own name (West Germany, Yemen Arab Republic) and the shared ISO3 entry's codes.
            by_cow[int(s["cow"])] = Country(code, str(s["name"]), by_code[code].cow)
    aliases: dict[str, str] = {}
    for o in data.get("organisations") or []:
        org = Country(str(o["code"]), str(o["name"]), tuple(int(x) for x in o.get("cow") or []), "organisation")
        by_code[org.code] = org
        for n in org.cow:
            by_cow[n] = org
        for a in [org.code, org.name, *(o.get("aliases") or [])]:
            aliases[str(a).casefold()] = org.code
    for k, v in (data.get("aliases") or {}).items():
        aliases[str(k).casefold()] = str(v)
    for code, c in by_code.items():
        aliases.setdefault(c.name.casefold(), code)
    if errors:
        raise DataError(f"invalid {path}", errors)
    return _Tables(by_cow, by_code, aliases)


def from_cow(code: Any) -> Country | None:
    """The state (or organisation) with COW code ``code``; ``None`` if unknown."""
    try:
        return _tables().by_cow.get(int(float(code)))
    except (TypeError, ValueError):
        return None


def _pycountry(code3: str) -> Country | None:
    import pycountry

    c = pycountry.countries.get(alpha_3=code3) or pycountry.historic_countries.get(alpha_3=code3)
    if c is None:
        return None
    return Country(code3, getattr(c, "common_name", None) or c.name)


def by_code(code: str) -> Country | None:
    """The country with ISO3 (or ``EU``/``UN``/``COW<n>``) ``code``; ``None`` if unknown."""
    t = _tables()
    u = code.strip().upper()
    if u in t.by_code:
        return t.by_code[u]
    alias = t.aliases.get(u.casefold())
    if alias and alias != u:
        return by_code(alias)
    if re.fullmatch(r"[A-Z]{3}", u):
        return _pycountry(u)
    return None


@lru_cache(maxsize=4096)
def resolve_name(name: str) -> Country | None:
    """A state or organisation for a name or code found in a data file; ``None`` when it cannot be resolved."""
    s = " ".join(str(name).split())
    if not s:
        return None
    if s.isdigit():
        return from_cow(s)
    t = _tables()
    if s.casefold() in t.aliases:
        return by_code(t.aliases[s.casefold()])
    if re.fullmatch(r"[A-Za-z]{3}", s):
        c = by_code(s)
        if c:
            return c
    import countrynames
    import pycountry

    code = countrynames.to_code(s)
    if not code:
        try:
            hit = pycountry.countries.lookup(s)
        except LookupError:
            return None
        return by_code(hit.alpha_3)
    code = code.upper()
    if code in _COUNTRYNAMES_SPECIAL:
        return by_code(_COUNTRYNAMES_SPECIAL[code])
    hit2 = pycountry.countries.get(alpha_2=code)
    return by_code(hit2.alpha_3) if hit2 else None


def resolve(query: Any) -> Country:
    """A state or organisation for user input: ISO3, ISO2, COW code, name, ``EU`` or ``UN``.

    Raises :class:`NotFound` with the closest known names when nothing matches.
    """
    s = " ".join(str(query).split())
    if not s:
        raise InvalidInput("give a country (ISO3 code, name or COW code)")
    if s.isdigit():
        c = from_cow(s)
        if c is None:
            raise NotFound("COW country code", s, _near_cow(int(s)))
        return c
    if re.fullmatch(r"[A-Za-z]{2}", s):
        import pycountry

        hit = pycountry.countries.get(alpha_2=s.upper())
        if hit is not None:
            c2 = by_code(hit.alpha_3)
            if c2:
                return c2
    c = resolve_name(s)
    if c is None:
        raise NotFound("country", s, suggest(s))
    return c


def suggest(query: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Up to three known country names or codes closest to ``query``."""
    from rapidfuzz import fuzz, process

    t = _tables()
    choices = sorted({c.name for c in t.by_code.values()} | set(t.by_code) | set(extra))
    return [m for m, score, _ in process.extract(query, choices, scorer=fuzz.WRatio, limit=3) if score >= 50]


def _near_cow(code: int) -> list[str]:
    known = sorted(_tables().by_cow)
    near = sorted(known, key=lambda k: abs(k - code))[:3]
    return [f"{k} ({_tables().by_cow[k].name})" for k in near]


def split_names(text: str) -> list[tuple[str, Country | None]]:
    """Split a GSDB-style comma list of state names (``'Denmark, Netherlands,  Sweden'``) into resolved parts.

    Names with an inner comma (``'Korea, North'``, ``'Egypt, Arab Rep.'``) are kept whole: two neighbouring parts
    are joined when the second does not resolve alone and the pair does.
    """
    whole = resolve_name(text)
    if whole is not None:
        return [(" ".join(text.split()), whole)]
    parts = [" ".join(p.split()) for p in str(text).split(",")]
    parts = [p for p in parts if p]
    out: list[tuple[str, Country | None]] = []
    i = 0
    while i < len(parts):
        if i + 1 < len(parts) and resolve_name(parts[i + 1]) is None:
            pair = f"{parts[i]}, {parts[i + 1]}"
            c = resolve_name(pair)
            if c is not None:
                out.append((pair, c))
                i += 2
                continue
        out.append((parts[i], resolve_name(parts[i])))
        i += 1
    return out


def name_of(code: str) -> str:
    """Display name of a code (ISO3, EU, UN, COW<n>); the code itself if unknown (a raw name stays as it is)."""
    c = by_code(code) if len(code) <= 6 else None
    return c.name if c else code
