"""The README's example outputs are live output: every ``$ equilibrium …`` line in a fenced block of the README is
run, and every output line printed under it in the README must appear in the live output, in order (a line ``…``
stands for lines left out; table rules and blank lines are ignored; runs of spaces compare as one). So a count, a
distance or a verdict that changes in the code makes this test fail until the README says the new figure.

A command followed by no output lines in the README is run too and must succeed (exit 0), unless its line ends with
a comment containing ``not run`` (a server). The commands run in README order in one scratch folder with one
``EQUILIBRIUM_HOME``, as a reader following the README would (a list ingested above is there for ``history`` below);
a relative path that exists in the repository (``tests/fixtures/…``, ``../shared/…``) is given as that file.
Commands that read ``../shared`` (real third-party files) or the evidence data sets are skipped with the reason when
that folder is absent.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SHARED = REPO.parent / "shared" / "data"

RULE = re.compile(r"^[\s━─┏┓┗┛┡┩┃│╇╈┯┷┳┻╋┼═╞╡╪+\-]*$")
"""Table rules and box-drawing-only lines: not compared."""


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def _blocks() -> list[tuple[int, str, list[str]]]:
    """``(line number, command, expected output lines)`` for every ``$ equilibrium`` line in a fenced block."""
    out: list[tuple[int, str, list[str]]] = []
    in_block = False
    cur: tuple[int, str, list[str]] | None = None
    for no, raw in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("```"):
            if in_block and cur:
                out.append(cur)
            cur = None
            in_block = not in_block and raw.strip() in ("```", "```console", "```text")
            continue
        if not in_block:
            continue
        if raw.startswith("$ "):
            if cur:
                out.append(cur)
            cur = (no, raw[2:], []) if raw[2:].startswith("equilibrium ") else None
        elif cur is not None:
            cur[2].append(raw)
    return out


def _command(cmd: str) -> tuple[list[str], str]:
    """The argv of ``cmd`` and its trailing comment (``# …``)."""
    comment = ""
    lexer = shlex.shlex(cmd, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    argv = list(lexer)
    if "#" in cmd:
        comment = cmd[cmd.index("#"):]
    return argv, comment


def _matches(expected: list[str], actual: str) -> str | None:
    """``None`` when every expected line occurs in ``actual``'s lines in order; else the first missing line."""
    lines = [_norm(x) for x in actual.splitlines()]
    i = 0
    for want in expected:
        w = _norm(want)
        if not w or w == "…" or RULE.match(want):
            continue
        while i < len(lines) and w not in lines[i]:
            i += 1
        if i == len(lines):
            return want
        i += 1
    return None


CASES = _blocks()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder (and home) for every README command, in README order."""
    return tmp_path_factory.mktemp("readme")


def _resolve(arg: str) -> str:
    """``arg`` as an absolute path when it names a file or folder of the repository (or ``../shared``)."""
    if arg.startswith("-") or "/" not in arg:
        return arg
    p = (REPO / arg).resolve()
    return str(p) if p.exists() else arg


@pytest.mark.parametrize(("lineno", "cmd", "expected"), CASES, ids=[f"README:{c[0]}" for c in CASES])
def test_readme_output_is_live(lineno: int, cmd: str, expected: list[str], scratch: Path) -> None:
    argv, comment = _command(cmd)
    if "not run" in comment:
        pytest.skip(f"README:{lineno} is marked not run")
    if "../shared" in cmd and not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    if argv[1:2] == ["evidence"] and not (SHARED / "evidence").is_dir():
        pytest.skip(f"the evidence data sets ({SHARED / 'evidence'}) are absent")
    exe = shutil.which("equilibrium", path=str(Path(sys.executable).parent)) or "equilibrium"
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb",
           "EQUILIBRIUM_HOME": str(scratch / "home")}
    if (SHARED / "evidence").is_dir():
        env["EQUILIBRIUM_DATA_DIR"] = str(SHARED / "evidence")
    argv = [_resolve(a) for a in argv]
    proc = subprocess.run([exe, *argv[1:]], cwd=scratch, env=env, capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    shows_error = any(_norm(x).startswith("error:") for x in expected)
    if not shows_error:
        assert proc.returncode == 0, f"README:{lineno}: `{cmd}` failed:\n{output[-2000:]}"
    missing = _matches(expected, output)
    assert missing is None, (f"README:{lineno}: `{cmd}` no longer prints\n  {missing.strip()}\n"
                             f"live output:\n{output[-3000:]}")
