"""The root command lists its sub-commands without importing them, and says of each what the module says."""

from __future__ import annotations

import subprocess
import sys

import pytest

from equilibrium.cli.main import SUBCOMMANDS, load_subcommand


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_listed_help_is_the_module_help(name: str) -> None:
    real = load_subcommand(name)
    assert SUBCOMMANDS[name][2] == (real.help or "").strip().split("\n\n")[0].replace("\n", " ")


def test_root_help_imports_no_domain() -> None:
    code = ("import sys; from typer.testing import CliRunner; from equilibrium.cli.main import app; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = [m for m in ('equilibrium.geo', 'equilibrium.trajectory', 'equilibrium.sanctions', "
            "'equilibrium.evidence', 'equilibrium.questions', 'pandas', 'scipy', 'sqlalchemy') if m in sys.modules]; "
            "print(heavy); assert not heavy")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_subcommands_run_and_show_their_help(cli) -> None:
    from equilibrium.cli.main import app

    r = cli.invoke(app, ["catalog", "--help"])
    assert r.exit_code == 0 and "list" in r.output
    r = cli.invoke(app, ["catalog", "list", "--country", "PAK", "--json"])
    assert r.exit_code == 0 and '"systems"' in r.output
    r = cli.invoke(app, ["nosuch"])
    assert r.exit_code == 2
