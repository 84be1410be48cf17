"""Keys of the screening index kept in the store (table ``sanctions_name_key``: per list entity, the keys of all its
names and aliases, space-separated; keys themselves never contain a space — a trigram's spaces are stored as ``_``).

A name's keys are its character trigrams (``g:`` + three characters of the ASCII-folded, lower-cased name padded
with two spaces, so that word starts and ends count) and the Metaphone key of each token of two or more letters
(``p:`` + key, from ``rigour``, the text library under nomenklatura), so that spelling variants that sound alike
(Muhammad / Mohammed, Sheikh / Shaikh) share keys even where they share few trigrams.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TOKEN = 32
"""Longest token passed to Metaphone (whose keys are kept to 20 characters anyway). ``rigour``'s ``metaphone`` takes
time quadratic in the token's length (40,000 letters 0.06 s, 800,000 about 25 s); capping the token keeps key
generation linear in the name's length. No real name has a word this long, so no real key changes."""


def normalise(text: str) -> str:
    """ASCII-folded, lower-case, punctuation as single spaces."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def trigrams(text: str) -> set[str]:
    """Character trigrams of the normalised text padded with two spaces (keys without the ``g:`` prefix)."""
    t = f"  {normalise(text)}  "
    return {t[i:i + 3] for i in range(len(t) - 2)}


def phonetic(text: str) -> set[str]:
    """Metaphone keys of the tokens of two or more letters (without the ``p:`` prefix; each token's first
    :data:`MAX_TOKEN` letters)."""
    from rigour.text.phonetics import metaphone

    out = set()
    for tok in normalise(text).split():
        if len(tok) >= 2 and tok.isalpha():
            k = metaphone(tok[:MAX_TOKEN])
            if k:
                out.add(k[:20])
    return out


def name_keys(text: str) -> set[str]:
    """Every index key of one name: ``g:`` trigrams and ``p:`` phonetic token keys."""
    return {"g:" + g.replace(" ", "_") for g in trigrams(text)} | {"p:" + p for p in phonetic(text)}
