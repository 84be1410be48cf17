"""Reversible, checked list history: the shrink guard, dry runs, real list dates, snapshots and drop-snapshot (the
store after dropping a snapshot equals the store that never loaded it), and concurrent loads on SQLite and
PostgreSQL (one list's loads serialised, a bounded wait ending in exit 2, readers never blocked)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from equilibrium.cli.main import app
from equilibrium.errors import Busy, InvalidInput, NotFound, UnknownChoice
from equilibrium.sanctions import store
from equilibrium.sanctions.store import (
    ShrinkRefused,
    check_list_date,
    drop_snapshot,
    dump,
    history,
    ingest,
    snapshots,
    write_transaction,
)

CLI = [str(Path(sys.executable).parent / "equilibrium")]


def sdn(uids: list[int], *, renamed: dict[int, str] | None = None) -> str:
    """An SDN CSV in the official legacy layout (authored, synthetic): one entity per ``uid``, ending in 0x1A."""
    renamed = renamed or {}
    rows = [f'{u},"{renamed.get(u, f"EXAMPLE TRADING {u} LTD")}",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
            f'"a.k.a. \'ETL {u}\'."' for u in uids]
    return "\r\n".join(rows) + "\r\n\x1a"


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="latin-1", newline="")
    return p


A_IDS = list(range(1000, 1040))           # 40 entities
B_IDS = A_IDS[1:] + [2000]                # one removed (2.5 %), one added
C_IDS = A_IDS[:10]                        # a "truncated" file: 30 of 40 gone


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {"A": write(tmp_path, "sdn_2024-01-01.csv", sdn(A_IDS)),
            "B": write(tmp_path, "sdn_2024-02-01.csv", sdn(B_IDS, renamed={1005: "RENAMED TRADING 1005"})),
            "C": write(tmp_path, "sdn_2024-03-01.csv", sdn(C_IDS))}


def test_shrink_guard_refuses_and_writes_nothing(files: dict[str, Path], db: str) -> None:
    ingest(files["A"], url=db)
    ingest(files["B"], url=db)  # 1 of 40 removed: under the 5 % guard
    before = dump(db)
    with pytest.raises(ShrinkRefused, match=r"would remove 31 of the 40 entities .* 77\.5%") as exc:
        ingest(files["C"], url=db)
    assert "\n" not in str(exc.value) and "OFAC-10" in str(exc.value) and exc.value.status == 409
    assert dump(db) == before
    with pytest.raises(ShrinkRefused):
        ingest(files["C"], url=db, max_shrink=0.5)
    rep = ingest(files["C"], url=db, max_shrink=0.8)
    assert (rep.removed, rep.added, rep.entities) == (31, 1, 10)


def test_dry_run_reports_and_writes_nothing(files: dict[str, Path], db: str) -> None:
    ingest(files["A"], url=db)
    before = dump(db)
    rep = ingest(files["B"], url=db, dry_run=True)
    assert rep.dry_run and (rep.added, rep.removed, rep.changed) == (1, 1, 1)
    assert rep.sample_added == [{"uid": "OFAC-2000", "name": "EXAMPLE TRADING 2000 LTD"}]
    assert rep.sample_removed == [{"uid": "OFAC-1000", "name": "EXAMPLE TRADING 1000 LTD"}]
    assert rep.sample_changed == [{"uid": "OFAC-1005", "name": "RENAMED TRADING 1005"}]
    big = ingest(files["C"], url=db, dry_run=True)  # a dry run shows a shrink instead of refusing it
    assert big.removed == 30
    assert dump(db) == before


def test_drop_snapshot_restores_the_store_exactly(tmp_path: Path, files: dict[str, Path], db: str) -> None:
    ingest(files["A"], url=db)
    ingest(files["B"], url=db)
    want = dump(db)
    ingest(files["C"], url=db, allow_shrink=True)
    assert history("OFAC-1020", url=db)["in_latest"] is False
    res = drop_snapshot("OFAC-SDN", "2024-03-01", url=db)
    assert res["replayed"] == ["2024-01-01", "2024-02-01"] and res["latest"]["list_date"] == "2024-02-01"
    assert dump(db) == want
    # ... equal to a store that only ever loaded A and B, too
    other = f"sqlite:///{tmp_path / 'other.db'}"
    ingest(files["A"], url=other)
    ingest(files["B"], url=other)
    assert dump(other) == want
    h = history("OFAC-1020", url=db)
    assert (h["first_seen"], h["last_seen"], h["in_latest"]) == ("2024-01-01", "2024-02-01", True)
    # dropping a middle snapshot replays the others: B's changes are now against nothing but A
    ingest(files["C"], url=db, allow_shrink=True)
    drop_snapshot("ofac-sdn", "2024-02-01", url=db)
    with pytest.raises(NotFound):  # added by B only: with B dropped it never existed
        history("OFAC-2000", url=db)
    h = history("OFAC-1000", url=db)  # removed by B, back in C: with B dropped, listed throughout
    assert (h["changes"], h["last_seen"]) == ([{"kind": "added", "list_date": "2024-01-01"}], "2024-03-01")
    assert [s["list_date"] for s in snapshots("OFAC-SDN", url=db)["snapshots"]] == ["2024-01-01", "2024-03-01"]


def test_reload_is_a_no_op_only_against_the_latest(files: dict[str, Path], db: str) -> None:
    ingest(files["A"], url=db)
    assert ingest(files["A"], url=db).unchanged_file
    ingest(files["B"], url=db)
    # the file of an earlier snapshot is not "loaded before": loaded with a later date it restores its state
    rep = ingest(files["A"], url=db, list_date="2024-02-15")
    assert not rep.unchanged_file and (rep.added, rep.removed, rep.changed) == (1, 1, 1)
    with pytest.raises(InvalidInput, match="date order"):
        ingest(files["B"], url=db, list_date="2024-01-15")
    listed = snapshots(url=db)["snapshots"]
    assert [(s["list_date"], s["latest"]) for s in listed] == [("2024-01-01", False), ("2024-02-01", False),
                                                               ("2024-02-15", True)]
    assert listed[0]["sha256"] == listed[2]["sha256"] and all(s["reversible"] for s in listed)
    assert (listed[1]["added"], listed[1]["removed"], listed[1]["changed"]) == (1, 1, 1)


@pytest.mark.parametrize("bad", ["2021-13-45", "2024-02-30", "9999-12-31", "2024-1-5", "1900-01-01", "tomorrow"])
def test_list_dates_must_be_real_and_not_in_the_future(files: dict[str, Path], db: str, bad: str) -> None:
    with pytest.raises(InvalidInput, match="list date"):
        ingest(files["A"], url=db, list_date=bad)
    assert snapshots(url=db)["count"] == 0


def test_check_list_date_tolerates_one_day_ahead() -> None:
    from datetime import date

    assert check_list_date("2026-12-07", today=date(2026, 12, 6)) == "2026-12-07"
    with pytest.raises(InvalidInput, match="future"):
        check_list_date("2026-12-08", today=date(2026, 12, 6))


def test_unknown_list_and_date_suggest(files: dict[str, Path], db: str) -> None:
    ingest(files["A"], url=db)
    with pytest.raises(UnknownChoice, match="OFAC-SDN"):
        drop_snapshot("ofacsdn", "2024-01-01", url=db)
    with pytest.raises(NotFound, match="2024-01-01"):
        drop_snapshot("OFAC-SDN", "2024-01-02", url=db)
    with pytest.raises(UnknownChoice):
        snapshots("UNSC", url=db)


def test_cli_snapshots_drop_and_dry_run(cli, files: dict[str, Path], tmp_path: Path,  # type: ignore[no-untyped-def]
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    for f in ("A", "B"):
        assert cli.invoke(app, ["sanctions", "ingest", str(files[f])]).exit_code == 0
    r = cli.invoke(app, ["sanctions", "ingest", str(files["C"])])
    assert r.exit_code == 2 and "would remove 31 of the 40" in r.output and "--allow-shrink" in r.output
    r = cli.invoke(app, ["sanctions", "ingest", str(files["C"]), "--dry-run"])
    assert r.exit_code == 0 and "dry run: nothing was written" in r.output and "removed: OFAC-1010" in r.output
    r = cli.invoke(app, ["sanctions", "ingest", str(files["C"]), "--allow-shrink", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["removed"] == 31
    r = cli.invoke(app, ["sanctions", "snapshots", "--json"])
    assert [s["list_date"] for s in json.loads(r.stdout)["snapshots"]] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    r = cli.invoke(app, ["sanctions", "snapshots"])
    assert r.exit_code == 0 and "2024-03-01 *" in r.output
    r = cli.invoke(app, ["sanctions", "drop-snapshot", "OFAC-SDN", "2024-03-01"])
    assert r.exit_code == 0 and "latest now 2024-02-01" in " ".join(r.output.split())
    r = cli.invoke(app, ["sanctions", "history", "OFAC-1020", "--json"])
    assert json.loads(r.stdout)["in_latest"] is True
    r = cli.invoke(app, ["sanctions", "drop-snapshot", "OFAC-SDN", "2024-03-01"])
    assert r.exit_code == 2 and "did you mean" in r.output


# ------------------------------------------------------------------------------------------------- concurrency

def _env(tmp_path: Path, db: str, wait: str = "60") -> dict[str, str]:
    return {**os.environ, "EQUILIBRIUM_HOME": str(tmp_path / "home"), "EQUILIBRIUM_DATABASE_URL": db,
            "EQUILIBRIUM_LOAD_WAIT_S": wait, "COLUMNS": "200"}


def test_concurrent_loads_of_one_list_are_serialised(files: dict[str, Path], tmp_path: Path, db: str) -> None:
    ingest(files["A"], url=db)  # migrated before the race
    cmd = [*CLI, "sanctions", "ingest", str(files["B"]), "--json"]

    def run(_: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd, capture_output=True, text=True, env=_env(tmp_path, db), timeout=120)

    with ThreadPoolExecutor(6) as ex:
        results = list(ex.map(run, range(6)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert not any("Traceback" in r.stderr for r in results)
    reps = [json.loads(r.stdout) for r in results]
    assert sum(not r["unchanged_file"] for r in reps) == 1  # one load, five no-ops against the latest
    assert [s["list_date"] for s in snapshots(url=db)["snapshots"]] == ["2024-01-01", "2024-02-01"]


@contextmanager
def held_write(db: str, write: Callable[[sa.Connection], object] | None = None) -> Iterator[None]:
    """A write transaction on the OFAC-SDN list (running ``write`` in it) held open by another thread for the
    duration of the block, then committed."""
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with write_transaction("OFAC-SDN", db) as c:
            if write is not None:
                write(c)
            held.set()
            release.wait(30)

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert held.wait(10)
        yield
    finally:
        release.set()
        t.join()


def test_a_second_load_waits_then_exits_2(files: dict[str, Path], tmp_path: Path, db: str) -> None:
    ingest(files["A"], url=db)
    before = dump(db)
    with held_write(db):
        t0 = time.monotonic()
        r = subprocess.run([*CLI, "sanctions", "ingest", str(files["B"])], capture_output=True, text=True,
                           env=_env(tmp_path, db, wait="1"), timeout=60)
        waited = time.monotonic() - t0
    assert r.returncode == 2, r.stderr
    assert "another load of OFAC-SDN is running" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert 1.0 <= waited < 30
    assert dump(db) == before
    with pytest.raises(Busy):
        with write_transaction("OFAC-SDN", db, wait_s=0.2):
            with write_transaction("OFAC-SDN", db, wait_s=0.2):
                pass  # pragma: no cover


def test_reads_keep_working_during_a_load(files: dict[str, Path], db: str) -> None:
    from equilibrium.sanctions.screening import screen

    ingest(files["A"], url=db)
    screen("Example Trading 1001 Ltd", url=db)  # (the first scoring in a process imports the matcher: seconds)
    def uncommitted(c: sa.Connection) -> None:
        c.execute(store.entity.update().where(store.entity.c.uid == "OFAC-1001").values(name="UNCOMMITTED"))

    with held_write(db, uncommitted):
        times = []
        for _ in range(5):
            t0 = time.monotonic()
            res = screen("Example Trading 1001 Ltd", url=db)
            h = history("OFAC-1001", url=db)
            times.append(time.monotonic() - t0)
            assert res["candidates"][0]["id"] == "OFAC-1001" and h["name"] == "EXAMPLE TRADING 1001 LTD"
        assert max(times) < 5  # not waiting for the writer (the p95 target is measured by bench_store)
    with store.engine(db).connect() as c:
        assert c.execute(sa.select(store.entity.c.name).where(store.entity.c.uid == "OFAC-1001")).scalar() == \
            "UNCOMMITTED"
