"""YAML loading that remembers line numbers, so validation errors name ``file:line``.

Every file, bundled or user-supplied (``--spec``), is read with PyYAML's safe loader under three limits, so that a
hostile or broken file fails at once with one ``file:line`` :class:`DataError` instead of hanging: at most
:data:`MAX_YAML_BYTES`, nesting at most :data:`MAX_YAML_DEPTH` deep, and no anchors or aliases (``&a`` / ``*a``,
also ``<<: *a`` merges), which a "billion laughs" file uses to expand a few lines into exponentially many nodes.
The product's own data files use none of them. A mapping with two equal keys is refused too (PyYAML would silently
keep the last value and drop the other without a word).

A parse is kept on disk (``$EQUILIBRIUM_HOME/cache/yaml``, keyed by the file's SHA-256), so a command does not
parse the same unchanged catalogue again (pure-Python parsing is the slowest part of a short command's start).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from equilibrium import diskcache
from equilibrium.errors import DataError
from equilibrium.userfiles import read_bounded

MAX_YAML_BYTES = 1_000_000
"""Largest YAML file read (bytes, 1 MB): the largest bundled file (sources.yml) is about 130 kB and a case file a
few kB."""
MAX_YAML_DEPTH = 40
"""Deepest nesting of mappings and sequences accepted (levels): the bundled files nest at most about 8 deep."""


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader refusing anchors and aliases and nesting deeper than :data:`MAX_YAML_DEPTH`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = yaml.SafeLoader.peek_event(self)
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} refused: anchors and aliases are "
                                              "not allowed (write the values out)", mark)
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, f"anchor &{event.anchor} refused: anchors and aliases "
                                              "are not allowed (write the values out)", mark)
        if self._depth >= MAX_YAML_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


PARSE_CACHE_VERSION = 2
"""Bumped whenever the parse (the loader's limits, :func:`_walk`) changes, so older cache entries are not used."""


def _cache_get(key: str) -> tuple[Any, dict[tuple[Any, ...], int]] | None:
    """The parse of the file whose SHA-256 is ``key``, from the disk cache, or ``None``. Pure-Python YAML parsing
    takes ~0.1 s per 100 kB; the bundled catalogue would cost ~1 s per command."""
    value = diskcache.load("yaml", f"v{PARSE_CACHE_VERSION}-{MAX_YAML_DEPTH}-{key}")
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict):
        return value[0], value[1]
    return None


def _cache_put(key: str, value: tuple[Any, dict[tuple[Any, ...], int]]) -> None:
    diskcache.store("yaml", f"v{PARSE_CACHE_VERSION}-{MAX_YAML_DEPTH}-{key}", value)


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


def _duplicate_keys(node: yaml.Node, path: Path, found: list[str]) -> None:
    """Add ``file:line`` for every key repeated within one mapping under ``node`` to ``found`` (scalar keys are
    compared by their resolved tag and text, so ``1`` and ``"1"`` differ as they do once constructed)."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[tuple[str, str], int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                ident = (key.tag, key.value)
                line = key.start_mark.line + 1
                if ident in seen:
                    found.append(f"{path}:{line}: duplicate key '{key.value}' in one mapping (first at line "
                                 f"{seen[ident]}); PyYAML would keep only the last value: merge or rename them")
                else:
                    seen[ident] = line
            _duplicate_keys(value, path, found)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _duplicate_keys(item, path, found)


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
    """Parse ``path`` as YAML within the module's limits; raise :class:`DataError` with ``file:line`` on a syntax
    error, an anchor or alias, too deep a nesting or a key repeated within one mapping, and naming the file when it
    is too large or not UTF-8."""
    path = Path(path)
    raw = read_bounded(path, MAX_YAML_BYTES, "a YAML file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataError("YAML file is not UTF-8", [f"{path}:{line}: byte 0x{raw[exc.start]:02x} at offset "
                                                   f"{exc.start} is not UTF-8"]) from None
    key = hashlib.sha256(raw).hexdigest()
    cached = _cache_get(key)
    if cached is not None:
        return LocatedYaml(path, cached[0], cached[1])
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            duplicates: list[str] = []
            _duplicate_keys(node, path, duplicates)
            if duplicates:
                raise DataError("duplicate keys in a YAML mapping", duplicates)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DataError("malformed YAML", [f"{path}:{line}: {exc.problem or exc}"]) from None
    except yaml.YAMLError as exc:  # e.g. a reader error (control characters) without a mark
        raise DataError("malformed YAML", [f"{path}:1: {exc}"]) from None
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _walk(node, (), lines)
    _cache_put(key, (data, lines))
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
