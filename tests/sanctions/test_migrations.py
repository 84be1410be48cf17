"""Alembic migrations of the store: empty database to head, a pre-migration (version 0.1) store stamped and
upgraded with its screening keys back-filled, a database from a newer program refused."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from equilibrium.cli.main import app
from equilibrium.errors import InvalidInput
from equilibrium.migrations import current, head, upgrade
from equilibrium.sanctions.namekeys import name_keys


def test_empty_database_to_head(db: str) -> None:
    eng = sa.create_engine(db)
    before, after = upgrade(eng)
    assert before is None and after == head() == "0003"
    tables = set(sa.inspect(eng).get_table_names())
    assert {"sanctions_snapshot", "sanctions_entity", "sanctions_name", "sanctions_name_key",
            "alembic_version"} <= tables
    assert upgrade(eng) == ("0003", "0003")  # idempotent


def test_pre_migration_store_is_stamped_and_backfilled(db: str) -> None:
    eng = sa.create_engine(db)
    upgrade(eng, "0001")
    with eng.begin() as c:  # what version 0.1 left: its tables, a schema_version row, no alembic_version
        c.execute(sa.text("DROP TABLE alembic_version"))
        c.execute(sa.text("INSERT INTO equilibrium_meta (key, value) VALUES ('schema_version', '1')"))
        c.execute(sa.text("INSERT INTO sanctions_name (list_name, uid, name, kind) VALUES "
                          "('OFAC-SDN', 'OFAC-1', 'Alpha Works', 'primary'), "
                          "('OFAC-SDN', 'OFAC-1', 'Muhammad Trading', 'aka')"))
    assert current(eng) is None
    assert upgrade(eng) == (None, "0003")
    with eng.connect() as c:
        (row,) = c.execute(sa.text("SELECT keyset FROM sanctions_name_key WHERE uid = 'OFAC-1'")).one()
    keys = set(row.split())
    assert keys == name_keys("Alpha Works") | name_keys("Muhammad Trading")
    assert "p:MHMT" in keys


def test_unknown_revision_refused(db: str) -> None:
    eng = sa.create_engine(db)
    upgrade(eng)
    with eng.begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(InvalidInput, match="upgrade Equilibrium"):
        upgrade(eng)


def test_db_cli(db: str) -> None:
    r = CliRunner().invoke(app, ["db", "current", "--url", db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["current"] is None
    r = CliRunner().invoke(app, ["db", "upgrade", "--url", db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["after"] == "0003"
    r = CliRunner().invoke(app, ["db", "current", "--url", db])
    assert "revision 0003" in " ".join(r.output.split())


def test_ingest_writes_the_screening_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from equilibrium.sanctions.store import ingest

    p = tmp_path / "sdn_2024-01-01.csv"
    p.write_text('7,"MUHAMMAD SHAIKH TRADING",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
                 '"a.k.a. \'MST\'."\n\x1a', encoding="latin-1")
    url = f"sqlite:///{tmp_path / 's.db'}"
    ingest(p, url=url)
    with sa.create_engine(url).connect() as c:
        (row,) = c.execute(sa.text("SELECT keyset FROM sanctions_name_key WHERE uid = 'OFAC-7'")).one()
    assert set(row.split()) == name_keys("MUHAMMAD SHAIKH TRADING") | name_keys("MST")
    # a spelling that sounds alike shares the phonetic keys
    assert {"p:MHMT", "p:XK"} <= name_keys("Mohammed Sheikh") & set(row.split())
