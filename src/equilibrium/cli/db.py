"""``equilibrium db current|upgrade``: the store's schema revision (Alembic migrations)."""

from __future__ import annotations

import typer

from equilibrium.cli.common import console, handle_errors, print_json
from equilibrium.migrations import current, head, upgrade
from equilibrium.sanctions.store import open_engine

app = typer.Typer(help="The store's database (SQLite by default, PostgreSQL via EQUILIBRIUM_DATABASE_URL): "
                       "schema revision and migrations.", no_args_is_help=True)

_URL = typer.Option(None, "--url", help="SQLAlchemy URL (default: EQUILIBRIUM_DATABASE_URL or the SQLite file "
                                        "under EQUILIBRIUM_HOME).")


@app.command("current")
@handle_errors
def current_cmd(url: str | None = _URL, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The database's schema revision and this program's newest one."""
    eng = open_engine(url)
    cur, new = current(eng), head()
    res = {"url": eng.url.render_as_string(hide_password=True), "current": cur, "head": new,
           "up_to_date": cur == new}
    if as_json:
        print_json(res)
        return
    console.print(f"{res['url']}: revision {res['current'] or '(none)'}; newest {res['head']}"
                  + ("" if cur == new else " — run `equilibrium db upgrade`"))


@app.command("upgrade")
@handle_errors
def upgrade_cmd(url: str | None = _URL, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Bring the database to the newest schema revision (in one transaction; stores are also upgraded on first
    use)."""
    eng = open_engine(url)
    before, after = upgrade(eng)
    res = {"url": eng.url.render_as_string(hide_password=True), "before": before, "after": after}
    if as_json:
        print_json(res)
        return
    console.print(f"{res['url']}: {before or '(empty)'} → {after}")
