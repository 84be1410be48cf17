"""The bad-input matrix of the claims importers (a commentary's claims file, the events and population tables):
every kind of broken file is refused with ``file:line`` on one line (a :class:`DataError`), never skipped or
half-loaded; through the CLI (``equilibrium claims list``) with exit status 2 and no traceback.

A damaged claims file in the claims folder is an error, not "another data file" skipped: otherwise its claims would
vanish from the set without a word.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equilibrium.cli.main import app
from equilibrium.errors import DataError
from equilibrium.questions.claims import load_claims, use_claims_dir
from equilibrium.questions.events import load_events, load_population

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "claims" / "good" / "synthetic.yml"

LOADERS: dict[str, Callable[[Path], object]] = {
    "claims": lambda p: load_claims([p]),
    "events": load_events,
    "population": load_population,
}

BAD: dict[str, bytes] = {
    "empty": b"",
    "random bytes": bytes(random.Random(3).randrange(256) for _ in range(2000)),
    "a list": b"- a\n- b\n",
    "a scalar": b"just some text\n",
    "YAML syntax error": b"events: [\n  {id: x\n",
    "duplicate key": b"".join(k + b":\n  - id: a\n    id: b\n" for k in (b"claims", b"events", b"population")),
    "cut mid-file": GOOD.read_bytes()[: len(GOOD.read_bytes()) // 2],
    "wrong encoding": "claims:\n  - id: caf\u00e9\n".encode("utf-16"),
}
CELLS = [(k, b) for k in LOADERS for b in BAD if not (b == "cut mid-file" and k != "claims")]


@pytest.mark.parametrize(("kind", "bad"), CELLS, ids=[f"{k}-{b}" for k, b in CELLS])
def test_bad_file_is_refused_with_file_and_line(kind: str, bad: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.yml"
    path.write_bytes(BAD[bad])
    with pytest.raises(DataError) as exc:
        LOADERS[kind](path)
    lines = getattr(exc.value, "errors", []) or [str(exc.value)]
    assert any(f"{path}:" in line for line in lines), str(exc.value)
    assert all("\n" not in line for line in lines), lines


@pytest.mark.parametrize("bad", ["empty", "random bytes", "a list", "YAML syntax error", "cut mid-file"])
def test_a_damaged_claims_file_stops_the_cli_with_exit_2(bad: str, tmp_path: Path) -> None:
    (tmp_path / "synthetic.yml").write_bytes(GOOD.read_bytes())
    (tmp_path / "damaged.yml").write_bytes(BAD[bad])
    with use_claims_dir(tmp_path):
        r = CliRunner().invoke(app, ["claims", "list"])
    assert r.exit_code == 2, r.output
    assert "damaged.yml" in r.output and "Traceback" not in r.output
