"""The sanctions store (SQLAlchemy): official list snapshots, their entities with listing history, and changes.

SQLite file by default (``$EQUILIBRIUM_HOME/equilibrium.db``), any SQLAlchemy URL (PostgreSQL) through
``EQUILIBRIUM_DATABASE_URL``. A load runs in one transaction: a malformed file leaves the store exactly as it was.
Loading the same file again changes nothing (files are identified by their SHA-256). Loading a newer snapshot of
the same list records the entities added, removed and changed, and keeps each entity's first-seen and last-seen
list dates. Snapshots of one list must be loaded in date order.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from equilibrium.errors import DataError, InvalidInput
from equilibrium.sanctions.namekeys import name_keys

metadata = sa.MetaData()

snapshot = sa.Table(
    "sanctions_snapshot", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("list_name", sa.String(32), nullable=False),
    sa.Column("list_date", sa.String(10), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("files", sa.Text, nullable=False),
    sa.Column("loaded_at", sa.String(32), nullable=False),
    sa.Column("entities", sa.Integer, nullable=False),
    sa.Column("names", sa.Integer, nullable=False),
    sa.Column("addresses", sa.Integer, nullable=False),
    sa.UniqueConstraint("list_name", "sha256", name="uq_snapshot_file"),
)
entity = sa.Table(
    "sanctions_entity", metadata,
    sa.Column("list_name", sa.String(32), primary_key=True),
    sa.Column("uid", sa.String(64), primary_key=True),
    sa.Column("schema", sa.String(32), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("programs", sa.Text, nullable=False),
    sa.Column("remarks", sa.Text, nullable=False),
    sa.Column("content", sa.String(64), nullable=False),
    sa.Column("first_seen", sa.String(10), nullable=False),
    sa.Column("last_seen", sa.String(10), nullable=False),
    sa.Column("in_latest", sa.Boolean, nullable=False),
)
name = sa.Table(
    "sanctions_name", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("list_name", sa.String(32), nullable=False),
    sa.Column("uid", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Index("ix_name_entity", "list_name", "uid"),
)
address = sa.Table(
    "sanctions_address", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("list_name", sa.String(32), nullable=False),
    sa.Column("uid", sa.String(64), nullable=False),
    sa.Column("street", sa.Text, nullable=False),
    sa.Column("city", sa.Text, nullable=False),
    sa.Column("country", sa.Text, nullable=False),
    sa.Index("ix_address_entity", "list_name", "uid"),
)
change = sa.Table(
    "sanctions_change", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("sanctions_snapshot.id"), nullable=False),
    sa.Column("list_name", sa.String(32), nullable=False),
    sa.Column("uid", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
)
meta_table = sa.Table(
    "equilibrium_meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
name_key = sa.Table(
    "sanctions_name_key", metadata,
    sa.Column("list_name", sa.String(32), primary_key=True),
    sa.Column("uid", sa.String(64), primary_key=True),
    sa.Column("keyset", sa.Text, nullable=False),
)


_MIGRATED: set[str] = set()
_ENGINES: dict[str, sa.Engine] = {}


def _forget_engines_in_child() -> None:
    # a forked process must not share its parent's pooled connections
    for e in _ENGINES.values():
        e.dispose(close=False)
    _ENGINES.clear()


def open_engine(url: str | None = None) -> sa.Engine:
    """An engine for ``url`` (default: the settings' database URL; an SQLite file's folder is created), kept per URL
    for the life of the process (and dropped in a forked child); the schema is not touched (see :func:`engine`)."""
    from equilibrium.settings import get_settings

    url = url or get_settings().database_url
    eng = _ENGINES.get(url)
    if eng is None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if not _ENGINES:
            import os

            os.register_at_fork(after_in_child=_forget_engines_in_child)
        eng = _ENGINES[url] = sa.create_engine(url, future=True)
    return eng


def engine(url: str | None = None) -> sa.Engine:
    """:func:`open_engine`, with the schema brought to the newest migration (once per database and process)."""
    from equilibrium.settings import get_settings

    url = url or get_settings().database_url
    eng = open_engine(url)
    if url not in _MIGRATED:
        migrate(eng)
        _MIGRATED.add(url)
    return eng


def migrate(eng: sa.Engine) -> str:
    """Bring the schema to the newest Alembic revision (creating it on an empty database); return the revision.
    See :mod:`equilibrium.migrations`."""
    from equilibrium.migrations import upgrade

    return upgrade(eng)[1]


@dataclass
class LoadReport:
    """Counts of one load (entities, names incl. aliases, addresses) and the changes against the list's previous
    snapshot; ``unchanged_file`` when the same file had been loaded before."""

    list_name: str
    list_date: str
    entities: int
    names: int
    addresses: int
    added: int
    removed: int
    changed: int
    unchanged_file: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (counts)."""
        return dict(self.__dict__)


FORMATS = ("ofac-csv", "ofac-xml", "ofac-nonsdn-xml", "un-xml", "csl-csv", "csl-json", "eu-xml")
"""Formats :func:`ingest` reads: OFAC legacy CSV/XML, the UN consolidated XML, the US Consolidated Screening List
(trade.gov CSV or JSON) and the EU Financial Sanctions Files XML."""
LIST_NAMES = {"ofac-csv": "OFAC-SDN", "ofac-xml": "OFAC-SDN", "ofac-nonsdn-xml": "OFAC-NONSDN", "un-xml": "UN-SC",
              "csl-csv": "US-CSL", "csl-json": "US-CSL", "eu-xml": "EU-FSF"}


def _sha(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        try:
            h.update(p.read_bytes())
        except OSError as exc:
            raise DataError(f"cannot read {p}: {exc.strerror}") from None
    return h.hexdigest()


def _date_from_name(p: Path) -> str | None:
    m = re.search(r"(\d{4}-\d{2}-\d{2})", p.name)
    return m.group(1) if m else None


def ingest(path: Path, *, fmt: str = "ofac-csv", list_date: str | None = None, add: Path | None = None,
           alt: Path | None = None, url: str | None = None) -> LoadReport:
    """Load an official list file into the store in one transaction (see module docstring)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}")
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    from equilibrium.sanctions.csl import read_csl_csv, read_csl_json, search_date
    from equilibrium.sanctions.euxml import generation_date, read_eu_xml
    from equilibrium.sanctions.ofacxml import publish_info, read_ofac_xml
    from equilibrium.sanctions.unxml import generated_date, read_un_xml

    if fmt != "ofac-csv" and (add or alt):
        raise InvalidInput("--add/--alt belong to OFAC CSV releases")
    # The list date: --list-date, else the file's own date, else one in the file name; for the CSL JSON the file
    # name comes before search_performed_at (the time of the export, not of the lists' publication).
    if fmt == "csl-json":
        list_date = list_date or _date_from_name(path) or search_date(path)
    else:
        own = generated_date(path) if fmt == "un-xml" else generation_date(path) if fmt == "eu-xml" else \
            publish_info(path)[0] if fmt.endswith("xml") else None
        list_date = list_date or own or _date_from_name(path)
    if not list_date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", list_date):
        raise InvalidInput("give --list-date YYYY-MM-DD (the file holds no date)")
    files = [p for p in (path, add, alt) if p is not None]
    sha = _sha(files)
    list_name = LIST_NAMES[fmt]
    if fmt == "un-xml":
        entries = list(read_un_xml(path))
    elif fmt in ("ofac-xml", "ofac-nonsdn-xml"):
        entries = list(read_ofac_xml(path))
    elif fmt == "csl-csv":
        entries = list(read_csl_csv(path))
    elif fmt == "csl-json":
        entries = list(read_csl_json(path))
    elif fmt == "eu-xml":
        entries = list(read_eu_xml(path))
    else:
        entries = list(_ofac_entries(path, add, alt))
    # (parsed fully before the store is touched: a malformed file changes nothing)
    eng = engine(url)
    with eng.begin() as c:
        old = c.execute(sa.select(snapshot).where(snapshot.c.list_name == list_name,
                                                  snapshot.c.sha256 == sha)).first()
        if old is not None:
            return LoadReport(list_name, old.list_date, old.entities, old.names, old.addresses, 0, 0, 0, True)
        latest = c.execute(sa.select(sa.func.max(snapshot.c.list_date))
                           .where(snapshot.c.list_name == list_name)).scalar()
        if latest is not None and list_date < latest:
            raise InvalidInput(f"{list_name} snapshot of {latest} is already loaded; load snapshots in date order "
                               f"(this one is {list_date})")
        prev = {r.uid: r for r in c.execute(sa.select(entity).where(entity.c.list_name == list_name))}
        n_names = sum(1 + len(e.aliases) for e in entries)
        n_addr = sum(len(e.addresses) for e in entries)
        res = c.execute(snapshot.insert().values(
            list_name=list_name, list_date=list_date, sha256=sha, files=json.dumps([str(p) for p in files]),
            loaded_at=datetime.now(UTC).isoformat(timespec="seconds"), entities=len(entries), names=n_names,
            addresses=n_addr))
        sid = res.inserted_primary_key[0]  # type: ignore[index]
        added = changed = 0
        seen: set[str] = set()
        new_rows: list[dict[str, Any]] = []
        upd: list[dict[str, Any]] = []
        names_rows: list[dict[str, Any]] = []
        addr_rows: list[dict[str, Any]] = []
        key_rows: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for e in entries:
            uid = e.uid
            seen.add(uid)
            content = hashlib.sha256(json.dumps([e.name, e.schema, e.programs, e.reference, e.remarks, e.aliases,
                                                 e.addresses], sort_keys=True).encode()).hexdigest()
            p = prev.get(uid)
            row = {"list_name": list_name, "uid": uid, "schema": e.schema, "name": e.name,
                   "programs": json.dumps(e.programs), "remarks": e.remarks, "content": content,
                   "last_seen": list_date, "in_latest": True}
            if p is None:
                new_rows.append({**row, "first_seen": list_date})
                changes.append({"snapshot_id": sid, "list_name": list_name, "uid": uid, "kind": "added"})
                added += 1
            else:
                upd.append(row)
                if p.content != content or not p.in_latest:
                    kind = "changed" if p.in_latest else "added"
                    changes.append({"snapshot_id": sid, "list_name": list_name, "uid": uid, "kind": kind})
                    changed += kind == "changed"
                    added += kind == "added"
            if p is None or p.content != content:
                names_rows += [{"list_name": list_name, "uid": uid, "name": e.name, "kind": "primary"}]
                names_rows += [{"list_name": list_name, "uid": uid, "name": n, "kind": k} for k, n in e.aliases]
                keys = name_keys(e.name).union(*(name_keys(n) for _, n in e.aliases))
                key_rows.append({"list_name": list_name, "uid": uid, "keyset": " ".join(sorted(keys))})
                addr_rows += [{"list_name": list_name, "uid": uid, "street": a["street"], "city": a["city"],
                               "country": a["country"]} for a in e.addresses]
        refresh = [str(r["uid"]) for r in upd if prev[str(r["uid"])].content != r["content"]]
        for chunk in _chunks(refresh, 500):
            c.execute(name.delete().where(name.c.list_name == list_name, name.c.uid.in_(chunk)))
            c.execute(address.delete().where(address.c.list_name == list_name, address.c.uid.in_(chunk)))
            c.execute(name_key.delete().where(name_key.c.list_name == list_name, name_key.c.uid.in_(chunk)))
        if new_rows:
            c.execute(entity.insert(), new_rows)
        for r in upd:
            c.execute(entity.update().where(entity.c.list_name == list_name, entity.c.uid == r["uid"])
                      .values({k: v for k, v in r.items() if k not in ("list_name", "uid")}))
        removed_ids = [uid for uid, p in prev.items() if uid not in seen and p.in_latest]
        for chunk in _chunks(removed_ids, 500):
            c.execute(entity.update().where(entity.c.list_name == list_name, entity.c.uid.in_(chunk))
                      .values(in_latest=False))
        changes += [{"snapshot_id": sid, "list_name": list_name, "uid": u, "kind": "removed"} for u in removed_ids]
        if names_rows:
            c.execute(name.insert(), names_rows)
        if addr_rows:
            c.execute(address.insert(), addr_rows)
        if key_rows:
            c.execute(name_key.insert(), key_rows)
        if changes:
            c.execute(change.insert(), changes)
    return LoadReport(list_name, list_date, len(entries), n_names, n_addr, added, len(removed_ids), changed, False)


def _ofac_entries(path: Path, add: Path | None, alt: Path | None) -> Any:
    from equilibrium.sanctions.entries import ListEntry
    from equilibrium.sanctions.ofac import read_sdn_csv

    for e in read_sdn_csv(path, add=add, alt=alt):
        yield ListEntry(uid=f"OFAC-{e.uid}", name=e.name, schema=e.schema, programs=e.programs, remarks=e.remarks,
                        reference=e.title, aliases=e.aliases, addresses=e.addresses)


def _chunks(xs: list[str], n: int) -> list[list[str]]:
    return [xs[i:i + n] for i in range(0, len(xs), n)]


def history(uid: str, url: str | None = None) -> dict[str, Any]:
    """First-seen / last-seen dates (list dates) of entity ``uid`` (``OFAC-12345``) and its changes."""
    eng = engine(url)
    with eng.connect() as c:
        e = c.execute(sa.select(entity).where(entity.c.uid == uid)).first()
        if e is None:
            from equilibrium.errors import NotFound

            raise NotFound("list entity", uid)
        ch = c.execute(sa.select(change.c.kind, snapshot.c.list_date).join(snapshot)
                       .where(change.c.uid == uid).order_by(snapshot.c.list_date)).all()
    return {"uid": uid, "name": e.name, "schema": e.schema, "programs": json.loads(e.programs),
            "first_seen": e.first_seen, "last_seen": e.last_seen, "in_latest": bool(e.in_latest),
            "changes": [{"kind": k, "list_date": d} for k, d in ch]}


def link_check(rec: Any = None, url: str | None = None) -> dict[str, Any]:
    """Curated targets against the loaded lists: ``resolved`` (list_id found, with the list's name for it),
    ``missing`` (list_id not in any loaded snapshot: load that list), ``unlisted`` (explicitly not on a list) and
    ``unlinked`` (neither: to be curated)."""
    from equilibrium.sanctions.record import record

    rec = rec if rec is not None else record()
    eng = engine(url)
    out: dict[str, list[dict[str, Any]]] = {"resolved": [], "missing": [], "unlisted": [], "unlinked": []}
    with eng.connect() as c:
        for r in rec:
            for t in r.action.targets:
                item = {"action": r.action.id, "target": t.name, "country": t.country, "list_id": t.list_id}
                if t.list_id:
                    hit = c.execute(sa.select(entity.c.list_name, entity.c.name, entity.c.in_latest)
                                    .where(entity.c.uid == t.list_id)).first()
                    if hit is None:
                        out["missing"].append(item)
                    else:
                        out["resolved"].append({**item, "list": hit.list_name, "list_name": hit.name,
                                                "in_latest": bool(hit.in_latest)})
                elif t.unlisted:
                    out["unlisted"].append(item)
                else:
                    out["unlinked"].append(item)
        lists = [{"list": ln, "latest": d} for ln, d in c.execute(
            sa.select(snapshot.c.list_name, sa.func.max(snapshot.c.list_date)).group_by(snapshot.c.list_name))]
    return {"lists_loaded": lists, **{k: v for k, v in out.items()},
            "counts": {k: len(v) for k, v in out.items()}}
