"""YAML loading that remembers line numbers, so validation errors name ``file:line``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from equilibrium.errors import DataError


class LocatedYaml:
    """A parsed YAML document plus the line of every mapping key and sequence item (1-based)."""

    def __init__(self, path: Path, data: Any, lines: dict[tuple[Any, ...], int]) -> None:
        self.path = path
        self.data = data
        self._lines = lines

    def line_of(self, loc: Sequence[Any]) -> int:
        """Line (1-based) of the deepest known prefix of ``loc`` (a path of keys and indices)."""
        loc = tuple(loc)
        while loc:
            if loc in self._lines:
                return self._lines[loc]
            loc = loc[:-1]
        return 1

    def where(self, loc: Sequence[Any]) -> str:
        """``file:line`` for ``loc``."""
        return f"{self.path}:{self.line_of(loc)}"


def _walk(node: yaml.Node, loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = loc + (key.value,)
            lines[sub] = key.start_mark.line + 1
            _walk(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = loc + (i,)
            lines[sub] = item.start_mark.line + 1
            _walk(item, sub, lines)


def load_yaml(path: Path | str) -> LocatedYaml:
    """Parse ``path`` as YAML; raise :class:`DataError` with ``file:line`` on a syntax error."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DataError("malformed YAML", [f"{path}:{line}: {exc.problem or exc}"]) from None
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _walk(node, (), lines)
    return LocatedYaml(path, data, lines)


def validate_items(doc: LocatedYaml, key: str, model: Any, errors: list[str], *, what: str = "entry",
                   prefix: Any = None) -> list[tuple[int, Any]]:
    """Validate every item of the top-level list ``key`` of ``doc`` with the pydantic ``model``.

    Returns ``(index, instance)`` for the items that validate; every problem goes to ``errors`` as
    ``file:line: field: message`` (``what`` names the item when the error concerns it as a whole; ``prefix(raw)``
    may add a label such as ``case X: ``). A missing or non-list ``key`` adds ``file:1: expected a top-level
    'key:' list``.
    """
    from pydantic import ValidationError

    items = doc.data.get(key) if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        errors.append(f"{doc.path}:1: expected a top-level '{key}:' list")
        return []
    out: list[tuple[int, Any]] = []
    for i, raw in enumerate(items):
        try:
            out.append((i, model.model_validate(raw)))
        except ValidationError as exc:
            label = prefix(raw, i) if prefix else ""
            for e in exc.errors():
                field = ".".join(str(x) for x in e["loc"]) or what
                errors.append(f"{doc.where((key, i, *e['loc']))}: {label}{field}: {e['msg']}")
    return out
