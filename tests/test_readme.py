"""The README's example outputs are live output (the way datasette tests its documentation): every ``$`` line in a
fenced block of the README runs, in README order, and every output line shown under it must still be printed (see
``scripts/readme_examples.py`` for the rules; ``python scripts/readme_examples.py --write`` rewrites the shown
outputs). A count, a distance or a verdict that changes in the code fails this test until the README shows it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"

_spec = importlib.util.spec_from_file_location("readme_examples", REPO / "scripts" / "readme_examples.py")
assert _spec is not None and _spec.loader is not None
rx = importlib.util.module_from_spec(_spec)
sys.modules["readme_examples"] = rx
_spec.loader.exec_module(rx)

CASES = rx.examples()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder (and home) for every README command, in README order."""
    return tmp_path_factory.mktemp("readme")


@pytest.mark.parametrize("ex", CASES, ids=[f"README:{c.line}" for c in CASES])
def test_readme_output_is_live(ex: rx.Example, scratch: Path) -> None:
    if ex.skip_reason:
        pytest.skip(f"README:{ex.line}: {ex.skip_reason}")
    proc = rx.run(ex, scratch)
    output = proc.stdout + proc.stderr
    want = ex.expected_exit
    if want is None:
        assert proc.returncode != 0, f"README:{ex.line}: `{ex.command}` shows an error but succeeded"
    else:
        assert proc.returncode == want, f"README:{ex.line}: `{ex.command}` exited {proc.returncode}:\n{output[-2000:]}"
    missing = rx.missing_line(ex.shown, output)
    assert missing is None, (f"README:{ex.line}: `{ex.command}` no longer prints\n  {missing.strip()}\n"
                             f"live output:\n{output[-3000:]}")


def test_questions_table_lists_the_registry() -> None:
    """The README's table of questions names every registered question with its CLI command and HTTP route."""
    from equilibrium.questions import load_all

    text = README.read_text(encoding="utf-8")
    for q in load_all().values():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{q.name}` |")), None)
        assert row is not None, f"README has no row for {q.name}"
        if q.cli:
            assert f"`equilibrium {' '.join(q.cli)}`" in row, row
        if q.http:
            assert f"`{q.http[0]} {q.http[1]}`" in row, row


def test_python_api_example_runs() -> None:
    """The README's Python API block runs as written (its asserts are the check)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    exec(compile(block, "README.md (Python API)", "exec"), {})  # noqa: S102 - the README's own example
