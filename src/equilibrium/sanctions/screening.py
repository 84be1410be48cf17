"""Screening names against the loaded lists with nomenklatura's matchers on FollowTheMoney entities.

Candidates come from the screening index kept in the store (table ``sanctions_name_key``, written at ingest: the
character trigrams and Metaphone token keys of every name and alias, see :mod:`equilibrium.sanctions.namekeys`; no
search server): the entities sharing the most keys with the query (a phonetic key counts as two) are scored by a
nomenklatura algorithm — ``logic-v2`` by default (rule-based, explainable, cross-script), ``ofac`` for OFAC-parity
scores. A process reads the index's posting lists once and again when a new snapshot is loaded. Scores are 0–1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

from equilibrium.errors import DataError, InvalidInput, NotFound
from equilibrium.sanctions.namekeys import name_keys, normalise
from equilibrium.userfiles import read_bounded

ALGORITHMS = {"logic-v2": "logic-v2", "ofac": "ofac"}
SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "Thing")


MAX_QUERY_CHARS = 500
"""Longest name screened (characters): the longest names on the OFAC, UN and EU lists run to about 250 characters
(company names with their legal form); a longer query is not a name, and its key generation and matching grow
with its length (the HTTP API caps ``q`` at 200)."""
MAX_INPUT_ROWS = 10_000
"""Most rows of a ``screen --input`` CSV (names): screening takes 20–100 ms a name, so 10,000 rows take up to
about a quarter of an hour; split a longer file."""
MAX_INPUT_BYTES = 10_000_000
"""Largest ``screen --input`` file read (bytes, 10 MB): 10,000 rows of up to 500-character names and a few
columns fit."""

_PHONETIC_WEIGHT = 2
"""Weight of a shared Metaphone token key against one shared trigram in candidate retrieval."""


@dataclass
class _Index:
    key: tuple[Any, ...]
    grams: dict[str, np.ndarray]
    ents: list[dict[str, Any]]


_CACHE: dict[str, _Index] = {}


def _index(url: str | None) -> _Index:
    from equilibrium.sanctions.store import engine, entity, name, name_key, snapshot

    eng = engine(url)
    with eng.connect() as c:
        key = tuple(c.execute(sa.select(sa.func.count(snapshot.c.id), sa.func.max(snapshot.c.id))).one())
        cached = _CACHE.get(str(eng.url))
        if cached is not None and cached.key == key:
            return cached
        rows = c.execute(sa.select(entity.c.list_name, entity.c.uid, entity.c.schema, entity.c.name,
                                   entity.c.programs).where(entity.c.in_latest.is_(True))).all()
        names = c.execute(sa.select(name.c.list_name, name.c.uid, name.c.name, name.c.kind)
                          .where(name.c.kind != "primary")).all()
        keys = c.execute(sa.select(name_key.c.list_name, name_key.c.uid, name_key.c.keyset)).all()
    pos: dict[tuple[str, str], int] = {}
    ents: list[dict[str, Any]] = []
    for r in rows:
        pos[(r.list_name, r.uid)] = len(ents)
        ents.append({"list": r.list_name, "uid": r.uid, "schema": r.schema, "name": r.name,
                     "programs": json.loads(r.programs), "aliases": [], "weak": []})
    for n in names:
        i = pos.get((n.list_name, n.uid))
        if i is not None and n.kind != "primary":
            (ents[i]["weak"] if n.kind.startswith("weak") else ents[i]["aliases"]).append(n.name)
    grams: dict[str, list[int]] = defaultdict(list)
    for k in keys:
        i = pos.get((k.list_name, k.uid))
        if i is not None:
            for g in k.keyset.split():
                grams[g].append(i)
    idx = _Index(key, {g: np.asarray(v, dtype=np.int32) for g, v in grams.items()}, ents)
    _CACHE[str(eng.url)] = idx
    return idx


def _entity(e: dict[str, Any]) -> Any:
    from followthemoney import model

    schema = e["schema"] if e["schema"] in SCHEMATA else "LegalEntity"
    p = model.make_entity(schema)
    p.id = e["uid"]
    p.add("name", e["name"])
    for a in e["aliases"]:
        p.add("alias", a)
    for a in e["weak"]:
        p.add("weakAlias", a)
    return p


def screen(query: str, *, schema: str | None = None, country: str | None = None, limit: int = 10,
           algorithm: str = "logic-v2", candidates: int = 15, url: str | None = None) -> dict[str, Any]:
    """Candidates for ``query`` from the loaded lists, best first: ``id``, ``name``, ``score`` (0–1),
    ``programs``, ``lists``, ``explanation`` (the matcher's non-zero features)."""
    if len(query) > MAX_QUERY_CHARS:  # before the (slow) matcher imports
        raise InvalidInput(f"query is {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}")
    from followthemoney import model
    from nomenklatura.matching import ScoringConfig, get_algorithm

    if not query or not normalise(query):
        raise InvalidInput("the name to screen is empty")
    if not 1 <= limit <= 100:
        raise InvalidInput(f"limit must lie in [1, 100], not {limit}")
    if algorithm not in ALGORITHMS:
        raise NotFound("matching algorithm", algorithm, list(ALGORITHMS))
    if schema is not None and schema not in SCHEMATA:
        raise NotFound("schema", schema, [s for s in SCHEMATA if s.lower().startswith(schema[:2].lower())] or
                       list(SCHEMATA[:3]))
    idx = _index(url)
    if not idx.ents:
        raise InvalidInput("no list is loaded: run `equilibrium sanctions ingest FILE` first")
    counts = np.zeros(len(idx.ents), dtype=np.int32)
    for k in name_keys(query):
        post = idx.grams.get(k)
        if post is not None:
            counts[post] += _PHONETIC_WEIGHT if k.startswith("p:") else 1
    hit = np.flatnonzero(counts)
    if len(hit) > candidates:
        hit = hit[np.argpartition(-counts[hit], candidates - 1)[:candidates * 2]]
    pool = sorted(hit.tolist(), key=lambda i: (-int(counts[i]), i))[:candidates]
    q = model.make_entity(schema or "LegalEntity")
    # A distinct id per query: nomenklatura caches comparisons by entity id.
    q.id = "query-" + hashlib.sha1(f"{query}|{schema}|{country}".encode()).hexdigest()[:16]
    q.add("name", query)
    if country:
        q.add("country", country, fuzzy=True)
    algo = get_algorithm(ALGORITHMS[algorithm])
    assert algo is not None
    cfg = ScoringConfig.defaults()
    scored = []
    for i in pool:
        e = idx.ents[i]
        if schema == "Person" and e["schema"] not in ("Person", "LegalEntity"):
            continue
        if schema in ("Organization", "Company") and e["schema"] == "Person":
            continue
        res = algo.compare(q, _entity(e), cfg)
        expl = {k: {"score": round(float(v.score), 3), "detail": v.detail}
                for k, v in res.explanations.items() if v.score}
        scored.append((float(res.score), e, expl))
    scored.sort(key=lambda x: (-x[0], x[1]["uid"]))
    return {"query": query, "schema": schema, "country": country, "algorithm": algorithm,
            "candidates": [{"id": e["uid"], "name": e["name"], "score": round(s, 4), "schema": e["schema"],
                            "programs": e["programs"], "lists": [e["list"]], "explanation": ex}
                           for s, e, ex in scored[:limit]],
            "index": {"entities": len(idx.ents), "pool": len(pool),
                      "method": "candidate retrieval on the store's index of name trigrams and Metaphone keys, then "
                                f"nomenklatura {algorithm}"}}


def warm_up(url: str | None = None) -> float:
    """Load what the first screening needs — the matcher's imports, the store's index and rigour's name tagger
    (built on the first comparison: seconds, once per process) — by screening one listed name, or, when no list
    is loaded yet, by comparing two made-up names (so that the first screening after a load does not pay for the
    tagger); returns the seconds it took."""
    import time

    t0 = time.perf_counter()
    idx = _index(url)
    if idx.ents:
        screen(idx.ents[0]["name"][:MAX_QUERY_CHARS], limit=1, url=url)
        return time.perf_counter() - t0
    from followthemoney import model
    from nomenklatura.matching import ScoringConfig, get_algorithm

    a, b = model.make_entity("LegalEntity"), model.make_entity("Company")
    a.id, b.id = "warm-up-a", "warm-up-b"
    a.add("name", "Alpha Development Complex")
    b.add("name", "Alpha Development Company Ltd")
    for algorithm in ALGORITHMS.values():
        algo = get_algorithm(algorithm)
        if algo is not None:
            algo.compare(a, b, ScoringConfig.defaults())
    return time.perf_counter() - t0


@dataclass
class ScreeningInput:
    """The rows of a ``screen --input`` CSV: ``rows`` as ``(line, row)`` pairs (line 1 is the header), the
    ``encoding`` it was read in, and a ``note`` for the user when that is not UTF-8."""

    path: Path
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: str = "utf-8"
    note: str | None = None


def _decode(path: Path, raw: bytes) -> tuple[str, str, str | None]:
    """``(text, encoding, note)``: UTF-8 (a BOM allowed); otherwise the encoding charset-normalizer detects, but only
    when it is unambiguous (every equally plausible candidate gives the same text, e.g. UTF-16 with a BOM); else
    :class:`DataError` saying how to convert the file. No guessing between single-byte code pages."""
    try:
        return raw.decode("utf-8-sig"), "utf-8", None
    except UnicodeDecodeError as exc:
        bad = exc.start
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    best = min(matches, key=lambda m: m.percent_chaos) if matches else None
    if best is not None and best.percent_chaos <= 5.0:
        plausible = [m for m in matches if m.percent_chaos <= best.percent_chaos]
        if len({str(m) for m in plausible}) == 1:
            return str(best), best.encoding, f"{path} is not UTF-8: read as {best.encoding} (detected unambiguously)"
    line = raw[:bad].count(b"\n") + 1
    single_byte = all(b >= 0x20 or b in (9, 10, 13) for b in raw[:4096])  # no NUL bytes of UTF-16/32
    looks = "looks like a single-byte code page such as cp1252/latin-1" if single_byte else "encoding unknown"
    raise DataError(f"{path} is not UTF-8 (byte 0x{raw[bad]:02x} on line {line}; {looks}): convert it, e.g. "
                    f"iconv -f latin1 -t utf-8 {path} > utf8.csv")


def read_screening_csv(path: Path | str) -> ScreeningInput:
    """Read a CSV of names to screen (a header with a ``name`` column; optional ``schema``, ``country``) within
    :data:`MAX_INPUT_BYTES`, :data:`MAX_INPUT_ROWS` and :data:`MAX_QUERY_CHARS`; :class:`DataError` naming the
    file (and line) for an unreadable, non-UTF-8 (see :func:`_decode`), malformed or oversized file, a missing
    ``name`` column, an empty or too long name."""
    path = Path(path)
    raw = read_bounded(path, MAX_INPUT_BYTES, "a screening file", "; split it")
    text, encoding, note = _decode(path, raw)
    out = ScreeningInput(path=path, encoding=encoding, note=note)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fields = reader.fieldnames
        if not fields or "name" not in [f.strip() for f in fields]:
            found = ", ".join(repr(f) for f in fields or []) or "nothing"
            raise DataError(f"{path}:1: the header needs a 'name' column (found {found})")
        for row in reader:
            line = reader.line_num
            if len(out.rows) >= MAX_INPUT_ROWS:
                raise DataError(f"{path} has more than {MAX_INPUT_ROWS:,} rows, the limit for one screening run; "
                                "split it")
            row = {(k or "").strip(): v for k, v in row.items() if isinstance(v, str)}
            name = (row.get("name") or "").strip()
            if not name:
                raise DataError(f"{path}:{line}: empty name")
            if len(name) > MAX_QUERY_CHARS:
                raise DataError(f"{path}:{line}: the name is {len(name):,} characters; the limit is "
                                f"{MAX_QUERY_CHARS:,}")
            out.rows.append((line, row))
    except csv.Error as exc:
        raise DataError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from None
    return out
