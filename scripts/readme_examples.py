"""The README's examples as live output: parse the ``$ …`` lines of its fenced blocks, run them the way a reader
following the README would, and (``python scripts/readme_examples.py --write``) rewrite the output shown under each
command with what it prints now. ``tests/test_readme.py`` runs the same commands and fails when a shown line is no
longer printed.

Rules:

* ``$ equilibrium …`` lines run the installed command; ``$ head …``/``$ cp …`` lines run in a shell (to make a
  file a later command reads). All run in README order in one scratch folder with one ``EQUILIBRIUM_HOME``.
* a relative path that exists in the repository (``tests/fixtures/…``, ``../shared/…``) is given as that file;
* a command whose line ends with a comment containing ``not run`` is not run (a server);
* output lines are compared after whitespace runs collapse to one space; table rules are ignored; ``…`` skips lines;
  a line ending in `` …`` is cut short (its start must match); a timestamp ``YYYY-MM-DD HH:MM`` matches any
  timestamp, a SQLite file path any path;
* a command must succeed unless its output shows an ``error:`` line or its comment says ``exits N`` (then it must
  exit N); one shown with output keeps at most :data:`MAX_LINES` lines
  when rewritten (then ``…``).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SHARED = REPO.parent / "shared" / "data"
MAX_LINES = 14
SHELL_COMMANDS = ("head", "cp")

RULE = re.compile(r"^[\s━─┏┓┗┛┡┩┃│╇╈┯┷┳┻╋┼═╞╡╪└┘┴┬├┤+\-]*$")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
SQLITE = re.compile(r"sqlite:///\S+\.db")


@dataclass
class Example:
    """One ``$`` line of the README: where it is, the command, the output lines shown under it, and whether an
    earlier example of its README section reads ``../shared`` (it then depends on what that one loaded)."""

    line: int
    command: str
    shown: list[str] = field(default_factory=list)
    after_shared: bool = False

    @property
    def argv(self) -> list[str]:
        lexer = shlex.shlex(self.command, posix=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        return list(lexer)

    @property
    def comment(self) -> str:
        return self.command[self.command.index("#"):] if "#" in self.command else ""

    @property
    def expected_exit(self) -> int | None:
        """The exit status the README promises: ``N`` from an ``exits N`` comment, ``None`` (non-zero) for a shown
        ``error:`` line, else 0."""
        m = re.search(r"\bexits (\d+)", self.comment)
        if m:
            return int(m.group(1))
        return None if any(_norm(x).startswith("error:") for x in self.shown) else 0

    @property
    def skip_reason(self) -> str | None:
        if "not run" in self.comment:
            return "marked not run"
        if ("../shared" in self.command or self.after_shared) and not SHARED.is_dir():
            return f"{SHARED} is absent (this example reads it, or follows one in its section that does)"
        if self.argv[1:2] == ["evidence"] and not (SHARED / "evidence").is_dir():
            return f"the evidence data sets ({SHARED / 'evidence'}) are absent"
        return None


def examples(text: str | None = None) -> list[Example]:
    """Every runnable ``$`` line in the README's plain fenced blocks, with the output lines shown under it."""
    text = README.read_text(encoding="utf-8") if text is None else text
    out: list[Example] = []
    in_block = False
    cur: Example | None = None
    shared_seen = False  # an example of the current "## " section reads ../shared
    for no, raw in enumerate(text.splitlines(), 1):
        if raw.startswith("## "):
            shared_seen = False
        if raw.startswith("```"):
            if cur:
                out.append(cur)
            cur = None
            in_block = not in_block and raw.strip() in ("```", "```console", "```text")
            continue
        if not in_block:
            continue
        if raw.startswith("$ "):
            if cur:
                out.append(cur)
            cmd = raw[2:]
            cur = Example(no, cmd, after_shared=shared_seen) \
                if cmd.split(" ", 1)[0] in ("equilibrium", *SHELL_COMMANDS) else None
            shared_seen = shared_seen or "../shared" in cmd
        elif cur is not None:
            cur.shown.append(raw)
    return out


def _norm(line: str) -> str:
    line = SQLITE.sub("sqlite:///<path>", STAMP.sub("<time>", line))
    return re.sub(r"\s+", " ", line).strip()


def missing_line(shown: list[str], actual: str) -> str | None:
    """``None`` when every shown line occurs in ``actual``'s lines in order; else the first one that does not."""
    lines = [_norm(x) for x in actual.splitlines()]
    i = 0
    for want in shown:
        w = _norm(want)
        if not w or w == "…" or RULE.match(want):
            continue
        if w.endswith(" …"):  # a line cut short in the README: its beginning must be printed
            w = w[:-2]
        while i < len(lines) and w not in lines[i]:
            i += 1
        if i == len(lines):
            return want
        i += 1
    return None


def _resolve(arg: str) -> str:
    if arg.startswith("-") or "/" not in arg:
        return arg
    p = (REPO / arg).resolve()
    return str(p) if p.exists() else arg


def run(ex: Example, scratch: Path) -> subprocess.CompletedProcess[str]:
    """Run ``ex`` in ``scratch`` (its home under ``scratch/home``) as the README shows it."""
    env = {**os.environ, "COLUMNS": "116", "NO_COLOR": "1", "TERM": "dumb", "EQUILIBRIUM_HOME": str(scratch / "home")}
    if (SHARED / "evidence").is_dir():
        env["EQUILIBRIUM_DATA_DIR"] = str(SHARED / "evidence")
    argv = ex.argv
    if argv[0] in SHELL_COMMANDS:
        cmd = " ".join(shlex.quote(_resolve(a)) if a != ">" else a for a in argv)
        return subprocess.run(["bash", "-c", cmd], cwd=scratch, env=env, capture_output=True, text=True, timeout=60)
    exe = shutil.which("equilibrium", path=str(Path(sys.executable).parent)) or "equilibrium"
    return subprocess.run([exe, *(_resolve(a) for a in argv[1:])], cwd=scratch, env=env, capture_output=True,
                          text=True, timeout=900)


def rendered(output: str) -> list[str]:
    """Live output as the README shows it: no table rules or blank lines, trailing spaces cut, at most
    :data:`MAX_LINES` lines (then ``…``)."""
    lines = [x.rstrip() for x in output.splitlines() if x.strip() and not RULE.match(x)]
    return lines if len(lines) <= MAX_LINES else [*lines[:MAX_LINES - 1], "…"]


def write(scratch: Path) -> int:
    """Rewrite every shown output in the README with live output; returns the number of examples changed."""
    lines = README.read_text(encoding="utf-8").splitlines()
    changed = 0
    results: dict[int, list[str]] = {}
    for ex in examples():
        if ex.skip_reason:
            print(f"README:{ex.line}: skipped ({ex.skip_reason})", file=sys.stderr)
            continue
        proc = run(ex, scratch)
        print(f"README:{ex.line}: exit {proc.returncode}: {ex.command[:80]}", file=sys.stderr)
        if ex.shown and missing_line(ex.shown, proc.stdout + proc.stderr) is not None:
            results[ex.line] = rendered(proc.stdout + proc.stderr)
    for ex in reversed(examples()):  # bottom-up: earlier line numbers stay valid
        if ex.line in results:
            start = ex.line  # index of the first shown line (0-based) is ex.line
            lines[start:start + len(ex.shown)] = results[ex.line]
            changed += 1
    README.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":
    import tempfile

    if "--write" not in sys.argv:
        sys.exit("usage: python scripts/readme_examples.py --write   (rewrites the README's shown outputs)")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{write(Path(tmp))} example(s) rewritten")
