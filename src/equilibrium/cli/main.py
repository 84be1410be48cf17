"""The ``equilibrium`` command: one Typer app with a sub-app per domain.

The domain sub-apps are loaded when they are used (Click's documented "lazily loading subcommands" pattern,
on Typer's Click): the root ``--help`` lists them from :data:`SUBCOMMANDS` without importing them, and
``equilibrium catalog list`` imports the catalogue's command module only, not the trajectory engine, pandas or the
sanctions store. Each entry's help text is checked against the module's own by ``tests/cli/test_lazy.py``.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.core

from equilibrium import __version__
from equilibrium.cli.common import console

SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "catalog": ("equilibrium.cli.catalog", "app", "The sourced missile catalogue."),
    "reach": ("equilibrium.cli.reach", "app", "Geodesic reach between regions (ISO3, USA:conus, "
              "IND:andaman-nicobar, site:NAME, 'city:Name, CC', lat,lon)."),
    "regions": ("equilibrium.cli.regions", "regions", "List every region spec, or search them by name (countries, "
                "sub-regions, area:, site:, city:)."),
    "trajectory": ("equilibrium.cli.trajectory", "app", "Ballistic trajectories: flights, maximum range, "
                   "payload–range, lofted tests, motor sizing, Monte Carlo (rotating WGS-84 Earth, J2, US-1976 "
                   "atmosphere)."),
    "sanctions": ("equilibrium.cli.sanctions", "app", "The curated, sourced sanctions record: actions, asymmetry "
                  "between countries, FtM export."),
    "evidence": ("equilibrium.cli.evidence", "app", "Evidence from sanctions data sets (GSDB R3, TIES v4, EUSANCT, "
                 "China-TIES): base rates with 95 % Wilson intervals, a country's episodes linked to the curated "
                 "record, logit models, the files found, and the published findings."),
    "dynamics": ("equilibrium.cli.dynamics", "app", "Dynamics of the South Asian strategic order: data (SIPRI, "
                 "COW, UNGA), arms-race fits, backtests, alignment, scenario ensembles and sensitivity."),
    "claims": ("equilibrium.cli.claims", "app", "The commentaries' claims, checked on the question layer: "
               "verdicts with robustness, the counter-setting and the evidence; ClaimReview export."),
    "data": ("equilibrium.cli.data", "app", "Validate and inspect the sourced data files."),
    "serve": ("equilibrium.cli.serve", "serve", "Serve the web workbench and the HTTP API (OpenAPI at /docs)."),
    "brief": ("equilibrium.cli.brief", "brief", "Write a self-contained HTML brief (figures embedded; every number "
              "cited), opening with the bottom line."),
    "db": ("equilibrium.cli.db", "app", "The store's database (SQLite by default, PostgreSQL via "
           "EQUILIBRIUM_DATABASE_URL): schema revision and migrations."),
}
"""Sub-command name → (module, attribute: a Typer app or a command function, short help for the root listing;
empty: the module's own help, read by loading it)."""


def load_subcommand(name: str) -> Any:
    """The Click command (Typer's) of the sub-command ``name`` (imports its module)."""
    module, attr, _ = SUBCOMMANDS[name]
    obj = getattr(importlib.import_module(module), attr)
    if isinstance(obj, typer.Typer):  # a group even with one command (``data check``)
        cmd: Any = typer.main.get_group(obj)
    else:
        single = typer.Typer()
        single.command(name)(obj)
        cmd = typer.main.get_command(single)
    cmd.name = name
    return cmd


class _LazyCommand(typer.core.TyperCommand):
    """Stands in for a sub-command in the root listing; the real command is loaded when it is run or asked for
    help (``make_context`` hands over to it, so the context Click invokes is the real command's)."""

    def __init__(self, name: str) -> None:
        help_text = SUBCOMMANDS[name][2]
        self._real: Any = None
        super().__init__(name, help=help_text or None, short_help=help_text or None)
        if not help_text:
            self.help = self.short_help = self.real().get_short_help_str(limit=300)

    def real(self) -> Any:
        if self._real is None:
            self._real = load_subcommand(str(self.name))
        return self._real

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        return self.real().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        return self.real().invoke(ctx)

    def get_params(self, ctx: Any) -> Any:
        return self.real().get_params(ctx)

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        return self.real().shell_complete(ctx, incomplete)


class _LazyGroup(typer.core.TyperGroup):
    """The root group: its own commands (``serve``, ``brief``) plus the lazily loaded :data:`SUBCOMMANDS`."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*SUBCOMMANDS, *super().list_commands(ctx)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in SUBCOMMANDS:
            cache: dict[str, _LazyCommand] = self.__dict__.setdefault("_lazy", {})
            if cmd_name not in cache:
                cache[cmd_name] = _LazyCommand(cmd_name)
            return cache[cmd_name]
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    name="equilibrium",
    cls=_LazyGroup,
    help="Equilibrium: check claims about strategic stability and sanctions against sourced data and physics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"equilibrium {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Equilibrium command line."""


def main() -> None:
    """Console-script entry point."""
    app()
