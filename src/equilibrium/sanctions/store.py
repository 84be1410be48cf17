"""The sanctions store (SQLAlchemy): official list snapshots, their entities with listing history, and changes.

SQLite file by default (``$EQUILIBRIUM_HOME/equilibrium.db``), any SQLAlchemy URL (PostgreSQL) through
``EQUILIBRIUM_DATABASE_URL``.

A load is checked before it writes and can be undone:

* the file is parsed completely, with the completeness and identity checks of its format (see the readers), before
  the store is touched; a file with no entries is refused;
* the list date is a real calendar date, not in the future, not before the list's latest snapshot, and not the date
  of a different snapshot already loaded;
* a snapshot that would remove more than ``max_shrink`` (default 5 %) of the entities of the list's latest snapshot
  is refused with the counts and a sample of what would go (``allow_shrink`` to load it anyway); ``dry_run``
  computes the changes and writes nothing;
* everything is written in one transaction; loading the file of the list's *latest* snapshot again is a no-op;
* every snapshot keeps the entries it loaded, so :func:`drop_snapshot` removes one and rebuilds the list's
  first/last-seen history exactly as if it had never been loaded.

Concurrency: SQLite runs in WAL mode (readers never wait for a load) with a busy timeout; writers take the write
lock up front (``BEGIN IMMEDIATE``). Loads of one list are serialised by a per-list lock (a lock file beside the
SQLite database; a transaction-level advisory lock on PostgreSQL); a second load waits ``load_wait_s`` (setting,
default 30 s) and then gives up with :class:`~equilibrium.errors.Busy`, having written nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import re
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from equilibrium.errors import Busy, DataError, InvalidInput, NotFound, UnknownChoice
from equilibrium.migrations import upgrade
from equilibrium.sanctions.csl import read_csl_csv, read_csl_json, search_date
from equilibrium.sanctions.entries import ListEntry
from equilibrium.sanctions.euxml import generation_date, read_eu_xml
from equilibrium.sanctions.namekeys import name_keys
from equilibrium.sanctions.ofac import read_sdn_csv
from equilibrium.sanctions.ofacxml import publish_info, read_ofac_xml
from equilibrium.sanctions.record import record
from equilibrium.sanctions.unxml import generated_date, read_un_xml
from equilibrium.settings import get_settings

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
    sa.Column("payload", sa.LargeBinary, nullable=True),
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

MAX_SHRINK = 0.05
"""Default largest share (0–1) of the latest snapshot's entities that a new snapshot of the same list may remove
without ``allow_shrink``: official lists change by a few per cent between releases; a file that drops more is far
more likely truncated or the wrong file than a real mass delisting."""

FUTURE_TOLERANCE = timedelta(days=1)
"""How far past today's UTC date a list date may lie (a list dated in Brussels or Canberra can be a day ahead)."""


def _forget_engines_in_child() -> None:
    # a forked process must not share its parent's pooled connections
    for e in _ENGINES.values():
        e.dispose(close=False)
    _ENGINES.clear()


def _sqlite_setup(eng: sa.Engine, busy_timeout_s: float) -> None:
    """WAL journal, a busy timeout and explicit transactions on every SQLite connection of ``eng``: pysqlite's own
    transaction handling is switched off (SQLAlchemy's documented recipe) so that a write transaction can start with
    ``BEGIN IMMEDIATE`` (execution option ``immediate=True``) and readers run while a load writes."""

    @sa.event.listens_for(eng, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @sa.event.listens_for(eng, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")


def open_engine(url: str | None = None) -> sa.Engine:
    """An engine for ``url`` (default: the settings' database URL; an SQLite file's folder is created), kept per URL
    for the life of the process (and dropped in a forked child); the schema is not touched (see :func:`engine`).
    SQLite connections use WAL and a busy timeout of the ``load_wait_s`` setting (s)."""
    settings = get_settings()
    url = url or settings.database_url
    eng = _ENGINES.get(url)
    if eng is None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if not _ENGINES:
            os.register_at_fork(after_in_child=_forget_engines_in_child)
        if url.startswith("sqlite"):
            eng = sa.create_engine(url, connect_args={"timeout": settings.load_wait_s, "check_same_thread": False})
            _sqlite_setup(eng, settings.load_wait_s)
        else:
            eng = sa.create_engine(url, pool_pre_ping=True)
        _ENGINES[url] = eng
    return eng


def engine(url: str | None = None) -> sa.Engine:
    """:func:`open_engine`, with the schema brought to the newest migration (once per database and process)."""
    url = url or get_settings().database_url
    eng = open_engine(url)
    if url not in _MIGRATED:
        migrate(eng)
        _MIGRATED.add(url)
    return eng


def migrate(eng: sa.Engine) -> str:
    """Bring the schema to the newest Alembic revision (creating it on an empty database); return the revision.
    See :mod:`equilibrium.migrations`."""
    return upgrade(eng)[1]


# ------------------------------------------------------------------------------------------------ write locking

def _lock_key(list_name: str) -> int:
    """A signed 64-bit advisory-lock key for loads of ``list_name`` (PostgreSQL)."""
    d = hashlib.sha256(f"equilibrium.load:{list_name}".encode()).digest()
    return int.from_bytes(d[:8], "big", signed=True)


@contextmanager
def write_transaction(list_name: str, url: str | None = None, *, wait_s: float | None = None,
                      what: str = "load") -> Iterator[sa.Connection]:
    """A write transaction on the store holding the lock of ``list_name``: other loads (and drops) of that list wait
    up to ``wait_s`` seconds (default: the ``load_wait_s`` setting), then :class:`Busy` is raised and nothing is
    written. On SQLite the transaction starts with ``BEGIN IMMEDIATE`` (loads of other lists queue behind it);
    readers keep working (WAL). Commits when the block ends, rolls back on any exception."""
    wait = get_settings().load_wait_s if wait_s is None else wait_s
    eng = engine(url)
    busy = Busy(f"another {what} of {list_name} is running (waited {wait:g} s); nothing was written — try again "
                f"when it ends")
    if eng.dialect.name == "sqlite":
        from filelock import FileLock, Timeout

        db = eng.url.database
        lock_path = (f"{db}.{list_name}.lock" if db and db != ":memory:"
                     else str(Path(get_settings().home) / f"equilibrium.{list_name}.lock"))
        lock = FileLock(lock_path, timeout=wait)
        try:
            lock.acquire()
        except Timeout:
            raise busy from None
        try:
            conn = eng.connect().execution_options(immediate=True)
            try:
                conn.begin()
            except sa.exc.OperationalError as exc:
                conn.close()
                if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                    raise Busy(f"the store is busy: another writer held it for {wait:g} s; nothing was written — "
                               f"try again") from None
                raise
            with conn:
                try:
                    yield conn
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
        finally:
            lock.release()
        return
    with eng.connect() as conn, conn.begin():
        deadline = time.monotonic() + wait
        key = _lock_key(list_name)
        while not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar():
            if time.monotonic() >= deadline:
                raise busy
            time.sleep(0.2)
        yield conn


# ------------------------------------------------------------------------------------------------------- reports

@dataclass
class LoadReport:
    """Counts of one load (entities, names incl. aliases, addresses) and the changes against the list's latest
    snapshot; ``unchanged_file`` when the file is that of the latest snapshot (nothing was written); ``dry_run``
    when nothing was written on purpose; samples (up to 20 each) of the entities added, removed and changed, as
    ``{"uid", "name"}``; ``previous_entities``: the latest snapshot's entity count before this load (0 if none)."""

    list_name: str
    list_date: str
    entities: int
    names: int
    addresses: int
    added: int
    removed: int
    changed: int
    unchanged_file: bool
    dry_run: bool = False
    sha256: str = ""
    previous_entities: int = 0
    previous_date: str | None = None
    sample_added: list[dict[str, str]] = field(default_factory=list)
    sample_removed: list[dict[str, str]] = field(default_factory=list)
    sample_changed: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (counts and samples)."""
        return dataclasses.asdict(self)


class ShrinkRefused(InvalidInput):
    """A snapshot that would remove more than the allowed share of its list (status 409: the store's state, not the
    request's syntax, makes it refused). ``report`` is the dry-run :class:`LoadReport`."""

    status = 409
    title = "Snapshot would shrink the list"

    def __init__(self, message: str, report: LoadReport) -> None:
        super().__init__(message)
        self.report = report


FORMATS = ("ofac-csv", "ofac-xml", "ofac-nonsdn-xml", "un-xml", "csl-csv", "csl-json", "eu-xml")
"""Formats :func:`ingest` reads: OFAC legacy CSV/XML, the UN consolidated XML, the US Consolidated Screening List
(trade.gov CSV or JSON) and the EU Financial Sanctions Files XML."""
LIST_NAMES = {"ofac-csv": "OFAC-SDN", "ofac-xml": "OFAC-SDN", "ofac-nonsdn-xml": "OFAC-NONSDN", "un-xml": "UN-SC",
              "csl-csv": "US-CSL", "csl-json": "US-CSL", "eu-xml": "EU-FSF"}


def _sha(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        try:
            with p.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        except OSError as exc:
            raise DataError(f"cannot read {p}: {exc.strerror}") from None
    return h.hexdigest()


def _date_from_name(p: Path) -> str | None:
    m = re.search(r"(\d{4}-\d{2}-\d{2})", p.name)
    return m.group(1) if m else None


def check_list_date(value: str, *, today: date | None = None) -> str:
    """``value`` if it is a real calendar date ``YYYY-MM-DD`` not after today (UTC, with one day of tolerance for
    time zones); else :class:`InvalidInput` saying why."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise InvalidInput(f"list date {value!r} is not a date YYYY-MM-DD")
    try:
        d = date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"list date {value!r} is not a real calendar date ({exc})") from None
    today = today or datetime.now(UTC).date()
    if d > today + FUTURE_TOLERANCE:
        raise InvalidInput(f"list date {value} is in the future (today is {today.isoformat()} UTC)")
    if d.year < 1990:
        raise InvalidInput(f"list date {value} is before 1990; no electronic official list is that old")
    return value


def _check_file(p: Path, what: str = "file") -> Path:
    p = Path(p)
    if p.is_dir():
        raise InvalidInput(f"{p} is a directory; give the list {what}")
    if not p.is_file():
        raise InvalidInput(f"no such {what}: {p}")
    return p


def read_entries(path: Path, fmt: str, *, add: Path | None = None, alt: Path | None = None,
                 allow_uncounted: bool = False, allow_missing_eof: bool = False) -> list[ListEntry]:
    """Parse a list file completely, with its format's completeness and identity checks, into store entries;
    :class:`DataError` (file and line) for a malformed, truncated, empty or mislabelled file. ``allow_uncounted``:
    accept an OFAC XML without ``Record_Count``; ``allow_missing_eof``: accept OFAC CSV files without the final
    0x1A byte of the official files (a re-saved copy; its completeness then rests on complete rows only). No file
    with zero entries or a repeated entry id gets through a reader."""
    if fmt == "un-xml":
        entries = list(read_un_xml(path))
    elif fmt in ("ofac-xml", "ofac-nonsdn-xml"):
        entries = list(read_ofac_xml(path, allow_uncounted=allow_uncounted))
    elif fmt == "csl-csv":
        entries = list(read_csl_csv(path))
    elif fmt == "csl-json":
        entries = list(read_csl_json(path))
    elif fmt == "eu-xml":
        entries = list(read_eu_xml(path))
    else:
        entries = list(_ofac_entries(path, add, alt, require_eof=None if allow_missing_eof else True))
    return entries  # (every reader refuses a file with no entries and a repeated entry id, naming the line)


def _encode(entries: list[ListEntry]) -> bytes:
    return zlib.compress(json.dumps([dataclasses.asdict(e) for e in entries], ensure_ascii=False,
                                    separators=(",", ":")).encode(), 6)


def _decode(payload: bytes) -> list[ListEntry]:
    out = []
    for d in json.loads(zlib.decompress(payload)):
        d["aliases"] = [tuple(a) for a in d.get("aliases", [])]
        out.append(ListEntry(**d))
    return out


def _content(e: ListEntry) -> str:
    return hashlib.sha256(json.dumps([e.name, e.schema, e.programs, e.reference, e.remarks, e.aliases,
                                      e.addresses], sort_keys=True).encode()).hexdigest()


@dataclass
class _Plan:
    """The writes that make a list's current state that of a new snapshot (see :func:`_plan`)."""

    list_name: str
    list_date: str
    entries: list[ListEntry]
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    upd: list[dict[str, Any]] = field(default_factory=list)
    refresh: list[str] = field(default_factory=list)
    names_rows: list[dict[str, Any]] = field(default_factory=list)
    addr_rows: list[dict[str, Any]] = field(default_factory=list)
    key_rows: list[dict[str, Any]] = field(default_factory=list)
    changes: list[tuple[str, str]] = field(default_factory=list)  # (uid, kind)
    removed_ids: list[str] = field(default_factory=list)
    removed_names: dict[str, str] = field(default_factory=dict)
    previous: int = 0

    @property
    def n_names(self) -> int:
        return sum(1 + len(e.aliases) for e in self.entries)

    @property
    def n_addresses(self) -> int:
        return sum(len(e.addresses) for e in self.entries)

    def count(self, kind: str) -> int:
        return sum(1 for _, k in self.changes if k == kind)


def _plan(c: sa.Connection, list_name: str, list_date: str, entries: list[ListEntry]) -> _Plan:
    """Compare ``entries`` with the list's current state in the store (read on ``c``) and prepare every row to write;
    writes nothing."""
    prev = {r.uid: r for r in c.execute(sa.select(entity.c.uid, entity.c.name, entity.c.content,
                                                   entity.c.in_latest).where(entity.c.list_name == list_name))}
    plan = _Plan(list_name, list_date, entries, previous=sum(1 for r in prev.values() if r.in_latest))
    seen: set[str] = set()
    for e in entries:
        uid = e.uid
        seen.add(uid)
        content = _content(e)
        p = prev.get(uid)
        row = {"list_name": list_name, "uid": uid, "schema": e.schema, "name": e.name,
               "programs": json.dumps(e.programs), "remarks": e.remarks, "content": content,
               "last_seen": list_date, "in_latest": True}
        if p is None:
            plan.new_rows.append({**row, "first_seen": list_date})
            plan.changes.append((uid, "added"))
        else:
            plan.upd.append(row)
            if p.content != content or not p.in_latest:
                plan.changes.append((uid, "changed" if p.in_latest else "added"))
            if p.content != content:
                plan.refresh.append(uid)
        if p is None or p.content != content:
            plan.names_rows += [{"list_name": list_name, "uid": uid, "name": e.name, "kind": "primary"}]
            plan.names_rows += [{"list_name": list_name, "uid": uid, "name": n, "kind": k} for k, n in e.aliases]
            keys = name_keys(e.name).union(*(name_keys(n) for _, n in e.aliases))
            plan.key_rows.append({"list_name": list_name, "uid": uid, "keyset": " ".join(sorted(keys))})
            plan.addr_rows += [{"list_name": list_name, "uid": uid, "street": a["street"], "city": a["city"],
                                "country": a["country"]} for a in e.addresses]
    plan.removed_ids = [uid for uid, p in prev.items() if uid not in seen and p.in_latest]
    plan.removed_names = {uid: prev[uid].name for uid in plan.removed_ids}
    plan.changes += [(u, "removed") for u in plan.removed_ids]
    return plan


def _write(c: sa.Connection, plan: _Plan, sid: int) -> None:
    """Apply ``plan`` on ``c`` with its changes recorded under snapshot ``sid``."""
    ln = plan.list_name
    for chunk in _chunks(plan.refresh, 500):
        c.execute(name.delete().where(name.c.list_name == ln, name.c.uid.in_(chunk)))
        c.execute(address.delete().where(address.c.list_name == ln, address.c.uid.in_(chunk)))
        c.execute(name_key.delete().where(name_key.c.list_name == ln, name_key.c.uid.in_(chunk)))
    if plan.new_rows:
        c.execute(entity.insert(), plan.new_rows)
    if plan.upd:
        cols = [k for k in plan.upd[0] if k not in ("list_name", "uid")]
        stmt = (entity.update().where(entity.c.list_name == sa.bindparam("b_list"),
                                      entity.c.uid == sa.bindparam("b_uid"))
                .values({k: sa.bindparam(f"v_{k}") for k in cols}))
        c.execute(stmt, [{"b_list": r["list_name"], "b_uid": r["uid"], **{f"v_{k}": r[k] for k in cols}}
                         for r in plan.upd])
    for chunk in _chunks(plan.removed_ids, 500):
        c.execute(entity.update().where(entity.c.list_name == ln, entity.c.uid.in_(chunk)).values(in_latest=False))
    if plan.names_rows:
        c.execute(name.insert(), plan.names_rows)
    if plan.addr_rows:
        c.execute(address.insert(), plan.addr_rows)
    if plan.key_rows:
        c.execute(name_key.insert(), plan.key_rows)
    if plan.changes:
        c.execute(change.insert(), [{"snapshot_id": sid, "list_name": ln, "uid": u, "kind": k}
                                    for u, k in plan.changes])


def _sample(plan: _Plan, kind: str, n: int = 20) -> list[dict[str, str]]:
    names = {e.uid: e.name for e in plan.entries}
    names.update(plan.removed_names)
    return [{"uid": u, "name": names.get(u, "")} for u, k in plan.changes if k == kind][:n]


def _report(plan: _Plan, sha: str, prev_date: str | None, *, dry_run: bool = False) -> LoadReport:
    return LoadReport(plan.list_name, plan.list_date, len(plan.entries), plan.n_names, plan.n_addresses,
                      plan.count("added"), plan.count("removed"), plan.count("changed"), False, dry_run, sha,
                      plan.previous, prev_date, _sample(plan, "added"), _sample(plan, "removed"),
                      _sample(plan, "changed"))


def _latest(c: sa.Connection, list_name: str) -> Any:
    return c.execute(sa.select(snapshot.c.id, snapshot.c.list_date, snapshot.c.sha256, snapshot.c.entities,
                               snapshot.c.names, snapshot.c.addresses)
                     .where(snapshot.c.list_name == list_name)
                     .order_by(snapshot.c.list_date.desc(), snapshot.c.id.desc()).limit(1)).first()


def ingest(path: Path, *, fmt: str = "ofac-csv", list_date: str | None = None, add: Path | None = None,
           alt: Path | None = None, url: str | None = None, dry_run: bool = False, allow_shrink: bool = False,
           max_shrink: float = MAX_SHRINK, allow_uncounted: bool = False, allow_missing_eof: bool = False,
           wait_s: float | None = None) -> LoadReport:
    """Load an official list file into the store in one transaction (see the module docstring for every check).

    ``dry_run``: compute the changes against the latest snapshot and write nothing. ``max_shrink``: the largest
    share (0–1) of the latest snapshot's entities the load may remove unless ``allow_shrink``. ``allow_uncounted``:
    accept an OFAC XML file without ``Record_Count``; ``allow_missing_eof``: accept OFAC CSV files that lack the
    official end-of-file byte 0x1A (see :func:`read_entries`). ``wait_s``: how long to wait (s) for another load of
    the same list. Raises :class:`DataError` (malformed file), :class:`InvalidInput` (bad date, order),
    :class:`ShrinkRefused` and :class:`Busy`; in each case nothing was written."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}")
    if not (0 <= max_shrink <= 1):
        raise InvalidInput(f"max shrink {max_shrink} must be a share between 0 and 1")
    path = _check_file(path)
    if fmt != "ofac-csv" and (add or alt):
        raise InvalidInput("--add/--alt belong to OFAC CSV releases")
    add = _check_file(add, "add.csv file") if add is not None else None
    alt = _check_file(alt, "alt.csv file") if alt is not None else None
    # The list date: --list-date, else the file's own date, else one in the file name; for the CSL JSON the file
    # name comes before search_performed_at (the time of the export, not of the lists' publication).
    if list_date is None:
        if fmt == "csl-json":
            list_date = _date_from_name(path) or search_date(path)
        else:
            own = generated_date(path) if fmt == "un-xml" else generation_date(path) if fmt == "eu-xml" else \
                publish_info(path)[0] if fmt.endswith("xml") else None
            list_date = own or _date_from_name(path)
        if not list_date:
            raise InvalidInput("give --list-date YYYY-MM-DD (the file holds no date)")
    check_list_date(list_date)
    files = [p for p in (path, add, alt) if p is not None]
    sha = _sha(files)
    list_name = LIST_NAMES[fmt]
    entries = read_entries(path, fmt, add=add, alt=alt, allow_uncounted=allow_uncounted,
                           allow_missing_eof=allow_missing_eof)
    # (parsed and checked completely before the store is touched)
    if dry_run:
        with engine(url).connect() as c, c.begin():
            return _prepare(c, list_name, list_date, entries, sha, allow_shrink=True, max_shrink=max_shrink,
                            dry_run=True)[0]
    with write_transaction(list_name, url, wait_s=wait_s) as c:
        rep, plan = _prepare(c, list_name, list_date, entries, sha, allow_shrink=allow_shrink,
                             max_shrink=max_shrink)
        if plan is None:
            return rep
        res = c.execute(snapshot.insert().values(
            list_name=list_name, list_date=list_date, sha256=sha, files=json.dumps([str(p) for p in files]),
            loaded_at=datetime.now(UTC).isoformat(timespec="seconds"), entities=len(entries), names=plan.n_names,
            addresses=plan.n_addresses, payload=_encode(entries)))
        _write(c, plan, int(res.inserted_primary_key[0]))  # type: ignore[index]
    return rep


def _prepare(c: sa.Connection, list_name: str, list_date: str, entries: list[ListEntry], sha: str, *,
             allow_shrink: bool, max_shrink: float, dry_run: bool = False) -> tuple[LoadReport, _Plan | None]:
    """The checks against the store and the plan of a load (no writes): the report, and the plan (``None`` when the
    file is that of the latest snapshot)."""
    latest = _latest(c, list_name)
    if latest is not None and latest.sha256 == sha:
        return LoadReport(list_name, latest.list_date, latest.entities, latest.names, latest.addresses, 0, 0, 0,
                          True, dry_run, sha, latest.entities, latest.list_date), None
    if latest is not None and list_date < latest.list_date:
        raise InvalidInput(f"{list_name} snapshot of {latest.list_date} is already loaded; load snapshots in date "
                           f"order (this one is {list_date}), or drop the later one first with "
                           f"`equilibrium sanctions drop-snapshot {list_name} {latest.list_date}`")
    plan = _plan(c, list_name, list_date, entries)
    if latest is not None and list_date == latest.list_date and plan.changes:
        # (the same release in another layout — CSL CSV and JSON — holds the same entities and is recorded)
        raise InvalidInput(f"a different {list_name} snapshot of {list_date} is already loaded (file "
                           f"{latest.sha256[:12]}…, {len(plan.changes):,} entities differ); drop it first with "
                           f"`equilibrium sanctions drop-snapshot {list_name} {list_date}` or give another "
                           f"--list-date")
    rep = _report(plan, sha, latest.list_date if latest is not None else None, dry_run=dry_run)
    if plan.previous and not allow_shrink and rep.removed > max_shrink * plan.previous:
        share = rep.removed / plan.previous
        sample = "; ".join(f"{x['uid']} {x['name']}" for x in rep.sample_removed[:5])
        raise ShrinkRefused(
            f"refused: this {list_name} snapshot of {list_date} would remove {rep.removed:,} of the "
            f"{plan.previous:,} entities of the latest one ({latest.list_date}), {share:.1%} — more than the "
            f"{max_shrink:.0%} allowed (a truncated or wrong file?), e.g. {sample}; nothing was written. Check the "
            f"file (--dry-run lists the changes) or give --allow-shrink", rep)
    return rep, plan


def _ofac_entries(path: Path, add: Path | None, alt: Path | None, *,
                  require_eof: bool | None = True) -> Iterator[ListEntry]:
    for e in read_sdn_csv(path, add=add, alt=alt, require_eof=require_eof):
        yield ListEntry(uid=f"OFAC-{e.uid}", name=e.name, schema=e.schema, programs=e.programs, remarks=e.remarks,
                        reference=e.title, aliases=e.aliases, addresses=e.addresses)


def _chunks(xs: list[str], n: int) -> list[list[str]]:
    return [xs[i:i + n] for i in range(0, len(xs), n)]


# ------------------------------------------------------------------------------------------ history of snapshots

def _list_name(list_name: str) -> str:
    """The canonical name of a list (``ofac-sdn`` → ``OFAC-SDN``); :class:`UnknownChoice` with close matches."""
    known = sorted(set(LIST_NAMES.values()))
    up = list_name.strip().upper()
    if up in known:
        return up
    raise UnknownChoice("list", list_name, difflib.get_close_matches(up, known, n=3, cutoff=0.3) or known)


def snapshots(list_name: str | None = None, url: str | None = None) -> dict[str, Any]:
    """The snapshots loaded, per list in date order: list date, file SHA-256, files, when loaded (UTC), counts of
    entities/names/addresses and of the entities added/removed/changed against the previous snapshot, whether it
    can be dropped exactly (``reversible``) and which is the list's latest."""
    if list_name:
        list_name = _list_name(list_name)
    eng = existing_engine(url)
    if eng is None:  # no store yet: nothing loaded (and nothing created)
        return {"list": list_name, "count": 0, "snapshots": []}
    with eng.connect() as c:
        q = sa.select(snapshot.c.id, snapshot.c.list_name, snapshot.c.list_date, snapshot.c.sha256,
                      snapshot.c.files, snapshot.c.loaded_at, snapshot.c.entities, snapshot.c.names,
                      snapshot.c.addresses, (snapshot.c.payload.is_not(None)).label("reversible"))
        if list_name:
            q = q.where(snapshot.c.list_name == list_name)
        rows = c.execute(q.order_by(snapshot.c.list_name, snapshot.c.list_date, snapshot.c.id)).all()
        counts: dict[tuple[int, str], int] = {}
        for sid, kind, n in c.execute(sa.select(change.c.snapshot_id, change.c.kind, sa.func.count())
                                      .group_by(change.c.snapshot_id, change.c.kind)):
            counts[(sid, kind)] = n
    out = []
    for i, r in enumerate(rows):
        out.append({"list": r.list_name, "list_date": r.list_date, "sha256": r.sha256, "files": json.loads(r.files),
                    "loaded_at": r.loaded_at, "entities": r.entities, "names": r.names, "addresses": r.addresses,
                    "added": counts.get((r.id, "added"), 0), "removed": counts.get((r.id, "removed"), 0),
                    "changed": counts.get((r.id, "changed"), 0), "reversible": bool(r.reversible),
                    "latest": i + 1 == len(rows) or rows[i + 1].list_name != r.list_name})
    return {"list": list_name, "count": len(out), "snapshots": out}


def drop_snapshot(list_name: str, list_date: str, url: str | None = None, *,
                  wait_s: float | None = None) -> dict[str, Any]:
    """Remove the ``list_name`` snapshot of ``list_date`` (all files loaded for that date: a release may have been
    loaded in two layouts with the same entities) and rebuild the list's entities, names, addresses, screening
    keys, changes and first/last-seen dates by replaying the remaining snapshots in date order — the store is then
    exactly as if that snapshot had never been loaded. Runs under the list's load lock, in one transaction.
    Returns the dropped snapshot and the list's latest snapshot after the drop."""
    list_name = _list_name(list_name)
    with write_transaction(list_name, url, wait_s=wait_s, what="load or drop") as c:
        rows = c.execute(sa.select(snapshot.c.id, snapshot.c.list_date, snapshot.c.sha256, snapshot.c.entities,
                                   (snapshot.c.payload.is_not(None)).label("reversible"))
                         .where(snapshot.c.list_name == list_name)
                         .order_by(snapshot.c.list_date, snapshot.c.id)).all()
        target = [r for r in rows if r.list_date == list_date]
        if not target:
            dates = [r.list_date for r in rows]
            if not dates:
                raise NotFound(f"{list_name} snapshot (no snapshot of this list is loaded)", list_date)
            raise NotFound(f"{list_name} snapshot", list_date,
                           difflib.get_close_matches(list_date, dates, n=3, cutoff=0.0) or dates[-3:])
        drop_ids = {r.id for r in target}
        keep = [r for r in rows if r.id not in drop_ids]
        missing = [r.list_date for r in keep if not r.reversible]
        if missing:
            raise InvalidInput(f"cannot rebuild {list_name} without the {list_date} snapshot: the snapshot(s) of "
                               f"{', '.join(missing)} were loaded before reversible history (schema 0003) and keep "
                               f"no entries; reload them")
        for t in (change, name, address, name_key, entity):
            c.execute(t.delete().where(t.c.list_name == list_name))
        c.execute(snapshot.delete().where(snapshot.c.id.in_(drop_ids)))
        for r in keep:
            payload = c.execute(sa.select(snapshot.c.payload).where(snapshot.c.id == r.id)).scalar_one()
            entries = _decode(payload)
            _write(c, _plan(c, list_name, r.list_date, entries), r.id)
        after = keep[-1] if keep else None
    return {"list": list_name, "dropped": {"list_date": list_date, "sha256": target[-1].sha256,
                                            "entities": target[-1].entities, "files": len(target)},
            "replayed": [r.list_date for r in keep],
            "latest": ({"list_date": after.list_date, "sha256": after.sha256, "entities": after.entities}
                       if after is not None else None)}


def dump(url: str | None = None) -> list[tuple[Any, ...]]:
    """A canonical, order-independent dump of the store's list data (every table except surrogate ids and load
    times), for comparing two stores: sorted tuples ``(table, *values)``."""
    eng = engine(url)
    out: list[tuple[Any, ...]] = []
    with eng.connect() as c:
        sids = {r.id: (r.list_name, r.list_date) for r in c.execute(sa.select(snapshot.c.id, snapshot.c.list_name,
                                                                               snapshot.c.list_date))}
        for t in (snapshot, entity, name, address, name_key, change):
            cols = [col for col in t.c if col.name not in ("id", "loaded_at", "payload")]
            for r in c.execute(sa.select(*cols)):
                vals = tuple(sids.get(v, v) if col.name == "snapshot_id" else v for col, v in zip(cols, r, strict=True))
                out.append((t.name, *(str(v) for v in vals)))
    return sorted(out)


LOAD_HINT = ("no list is loaded in the store: load one with `equilibrium sanctions ingest FILE` (OFAC sdn.csv or "
             "SDN XML, UN consolidated XML, US Consolidated Screening List CSV/JSON, EU FSF XML)")


def loaded_lists(url: str | None = None) -> list[dict[str, Any]] | None:
    """The lists loaded in the store (``[{"list", "latest", "entities"}]``), without creating a store: ``None``
    when the store is an SQLite file that does not exist yet."""
    eng = existing_engine(url)
    if eng is None:
        return None
    with eng.connect() as c:
        latest: dict[str, str] = dict(c.execute(
            sa.select(snapshot.c.list_name, sa.func.max(snapshot.c.list_date)).group_by(snapshot.c.list_name)).all())
        counts: dict[str, int] = dict(c.execute(
            sa.select(entity.c.list_name, sa.func.count()).where(entity.c.in_latest.is_(True))
            .group_by(entity.c.list_name)).all())
    return [{"list": k, "latest": v, "entities": int(counts.get(k, 0))} for k, v in sorted(latest.items())]


def store_state(url: str | None = None) -> dict[str, Any]:
    """What the store holds, for answers to state: ``{"store": URL (password hidden), "exists": bool, "lists":
    [{"list", "list_date", "entities", "loaded_at", "sha256"}]}`` — the latest snapshot of every list loaded
    (``entities``: the entities of that list now in the screening index). Nothing is created."""
    url = url or get_settings().database_url
    shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    eng = existing_engine(url)
    if eng is None:
        return {"store": shown, "exists": False, "lists": []}
    with eng.connect() as c:
        rows = c.execute(sa.select(snapshot.c.id, snapshot.c.list_name, snapshot.c.list_date, snapshot.c.loaded_at,
                                   snapshot.c.sha256)
                         .order_by(snapshot.c.list_name, snapshot.c.list_date, snapshot.c.id)).all()
        counts: dict[str, int] = dict(c.execute(
            sa.select(entity.c.list_name, sa.func.count()).where(entity.c.in_latest.is_(True))
            .group_by(entity.c.list_name)).all())
    latest: dict[str, Any] = {}
    for r in rows:
        latest[r.list_name] = r
    return {"store": shown, "exists": True,
            "lists": [{"list": k, "list_date": r.list_date, "entities": int(counts.get(k, 0)),
                       "loaded_at": r.loaded_at, "sha256": r.sha256} for k, r in sorted(latest.items())]}


def existing_engine(url: str | None = None) -> sa.Engine | None:
    """The store's engine, or ``None`` when it is an SQLite file that does not exist yet (nothing is created)."""
    url = url or get_settings().database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).expanduser().is_file():
        return None
    return engine(url)


def history(uid: str, url: str | None = None) -> dict[str, Any]:
    """First-seen / last-seen dates (list dates) of entity ``uid`` (``OFAC-12345``) and its changes."""
    eng = engine(url)
    with eng.connect() as c:
        e = c.execute(sa.select(entity).where(entity.c.uid == uid)).first()
        if e is None:
            raise NotFound("list entity", uid)
        ch = c.execute(sa.select(change.c.kind, snapshot.c.list_date).join(snapshot)
                       .where(change.c.uid == uid).order_by(snapshot.c.list_date)).all()
    return {"uid": uid, "list": e.list_name, "name": e.name, "schema": e.schema, "programs": json.loads(e.programs),
            "first_seen": e.first_seen, "last_seen": e.last_seen, "in_latest": bool(e.in_latest),
            "changes": [{"kind": k, "list_date": d} for k, d in ch]}


def link_check(rec: Any = None, url: str | None = None) -> dict[str, Any]:
    """Curated targets against the loaded lists: ``resolved`` (list_id found, with the list's name for it),
    ``missing`` (list_id not in any loaded snapshot: load that list), ``unlisted`` (explicitly not on a list) and
    ``unlinked`` (neither: to be curated)."""
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
