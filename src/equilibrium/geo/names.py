"""Name folding and close-match suggestions shared by every kind of region spec (countries, areas, sites,
cities): one place, so that ``site:karachi``, ``city:Karachi`` and ``Karachi`` are folded and matched alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["close_matches", "fold", "slug"]


def fold(text: str) -> str:
    """Accent- and case-insensitive form of ``text`` (NFKD, combining marks dropped, casefolded, stripped)."""
    if text.isascii():  # nothing to decompose (most names): 10× faster
        return text.casefold().strip()
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).casefold().strip()


def slug(text: str) -> str:
    """Lower-case ASCII slug: ``"New Delhi"`` → ``"new-delhi"``."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def close_matches(query: str, choices: Mapping[str, str] | Iterable[str], limit: int = 3,
                  cutoff: float = 60.0) -> list[str]:
    """Up to ``limit`` values of ``choices`` whose key is closest to ``query`` (rapidfuzz WRatio on folded text,
    score ≥ ``cutoff`` of 100), best first, duplicates dropped. ``choices`` maps a searchable key (a name, an
    alias) to the value to suggest (a spec); a plain iterable suggests its own items."""
    from rapidfuzz import fuzz, process, utils

    table = dict(choices) if isinstance(choices, Mapping) else {c: c for c in choices}
    keys = list(table)
    out: list[str] = []
    for _key, _score, _i in process.extract(fold(query), [fold(k) for k in keys], scorer=fuzz.WRatio,
                                           processor=utils.default_process, limit=limit * 4,
                                           score_cutoff=cutoff):
        value = table[keys[_i]]
        if value not in out:
            out.append(value)
        if len(out) >= limit:
            break
    return out
