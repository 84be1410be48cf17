"""The bad-input matrix of the dynamics importers (SIPRI milex and TIV, COW NMC, Voeten ideal points, the unvotes
.rda files): every importer × every kind of broken or mislabelled file is refused with one line naming the file (a
:class:`DataError`), never a traceback; through the CLI (``equilibrium dynamics fit --path``) with exit status 2.

The files are authored here or are the synthetic fixtures of ``tests/fixtures/dynamics``; the real files are read
by the ``realdata`` tests in ``tests/dynamics``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equilibrium.cli.main import app
from equilibrium.dynamics import data as d
from equilibrium.errors import DataError

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "dynamics"
NMC = FIX / "cow" / "NMC-60-abridged.csv"
TIV = FIX / "sipri_tiv" / "TIV-Import-Top-200-1950-2022.csv"

LOADERS: dict[str, tuple[Callable[[Path], object], str]] = {
    "milex": (d.load_milex, "SIPRI-Milex-data-1949-2023.xlsx"),
    "tiv": (lambda p: d.load_tiv("imports", p), "TIV-Import-Top-200-1950-2022.csv"),
    "nmc": (d.load_nmc, "NMC-60-abridged.csv"),
    "idealpoints": (d.load_idealpoints, "IdealpointsJuly2025.dta"),
    "votes": (d.load_votes, "un_votes.rda"),
    "roll-calls": (d.load_roll_calls, "un_roll_calls.rda"),
}

BAD: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "random bytes": lambda: bytes(random.Random(7).randrange(256) for _ in range(4000)),
    "another data set (NMC)": NMC.read_bytes,
    "another data set (TIV)": TIV.read_bytes,
    "cut mid-header": lambda: NMC.read_bytes()[:25],
    "HTML error page": lambda: b"<!DOCTYPE html><html><body><h1>403 Forbidden</h1></body></html>\n",
}

# a loader given its own kind of file loads it: those cells are not bad input
OWN = {("nmc", "another data set (NMC)"), ("tiv", "another data set (TIV)")}
CELLS = [(k, b) for k in LOADERS for b in BAD if (k, b) not in OWN]


@pytest.mark.parametrize(("kind", "bad"), CELLS, ids=[f"{k}-{b}" for k, b in CELLS])
def test_bad_file_is_refused_with_one_line(kind: str, bad: str, tmp_path: Path) -> None:
    load, name = LOADERS[kind]
    path = tmp_path / name
    path.write_bytes(BAD[bad]())
    with pytest.raises(DataError) as exc:
        load(path)
    msg = str(exc.value)
    assert msg and name in msg, msg
    assert all("\n" not in line for line in [exc.value.args[0], *getattr(exc.value, "errors", [])]), msg
    assert "Traceback" not in msg


@pytest.mark.parametrize("bad", ["random bytes", "HTML error page", "another data set (TIV)"])
def test_cli_refuses_a_bad_milex_file_with_exit_2(bad: str, tmp_path: Path) -> None:
    (tmp_path / LOADERS["milex"][1]).write_bytes(BAD[bad]())
    r = CliRunner().invoke(app, ["dynamics", "fit", "--path", str(tmp_path)])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.stderr.count("\n") == 1, r.stderr
    assert LOADERS["milex"][1] in r.stderr
