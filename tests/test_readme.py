"""The README's example outputs are live output: every ``$ equilibrium …`` line in a fenced block of the README is
run, and every output line printed under it in the README must appear in the live output, in order (a line ``…``
stands for lines left out; table rules and blank lines are ignored; runs of spaces compare as one). So a count, a
distance or a verdict that changes in the code makes this test fail until the README says the new figure.

A command followed by no output lines in the README is run too and must succeed (exit 0), unless its line ends with
a comment containing ``not run`` (a server, or a command that needs files this machine lacks). Commands that need
data the test machine may lack (``../shared/data``, a loaded list) are listed in :data:`NEEDS` and skipped with the
reason when it is absent.
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


@pytest.mark.parametrize(("lineno", "cmd", "expected"), CASES, ids=[f"README:{c[0]}" for c in CASES])
def test_readme_output_is_live(lineno: int, cmd: str, expected: list[str], tmp_path: Path) -> None:
    argv, comment = _command(cmd)
    if "not run" in comment:
        pytest.skip(f"README:{lineno} is marked not run")
    if "../shared/data" in cmd and not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    exe = shutil.which("equilibrium", path=str(Path(sys.executable).parent)) or "equilibrium"
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb",
           "EQUILIBRIUM_HOME": str(tmp_path / "home")}
    if "../shared/data" in cmd:
        argv = [a.replace("../shared/data", str(SHARED)) for a in argv]
    proc = subprocess.run([exe, *argv[1:]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    shows_error = any(_norm(x).startswith("error:") for x in expected)
    if not shows_error:
        assert proc.returncode == 0, f"README:{lineno}: `{cmd}` failed:\n{output[-2000:]}"
    missing = _matches(expected, output)
    assert missing is None, (f"README:{lineno}: `{cmd}` no longer prints\n  {missing.strip()}\n"
                             f"live output:\n{output[-3000:]}")
