"""Plain-text tables for the benchmarks' output (one place for the column layout)."""

from __future__ import annotations

from collections.abc import Sequence


def print_table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print ``rows`` under ``head``, columns padded to their widest cell, preceded by a blank line."""
    widths = [max(len(str(x[i])) for x in [head, *rows]) for i in range(len(head))]
    print()
    print(" | ".join(str(h).ljust(w) for h, w in zip(head, widths, strict=True)))
    print("+".join("-" * (w + 2) for w in widths))
    for row in rows:
        print(" | ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
