"""The bibliography (``data/sources.yml``): load, look up, and resolve source ids."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError
from rapidfuzz import process

from equilibrium.errors import DataError, NotFound
from equilibrium.provenance.models import Figure, Source
from equilibrium.provenance.yamlio import load_yaml


def data_path(*parts: str) -> Path:
    """Path of a file shipped in ``equilibrium/data``."""
    return Path(str(resources.files("equilibrium").joinpath("data", *parts)))


class Bibliography:
    """Sources by id. ``get`` raises :class:`NotFound` with close matches."""

    def __init__(self, sources: Iterable[Source]) -> None:
        self.sources: dict[str, Source] = {}
        for s in sources:
            self.sources[s.id] = s

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.sources

    def __len__(self) -> int:
        return len(self.sources)

    def get(self, source_id: str) -> Source:
        """The source with ``source_id``."""
        try:
            return self.sources[source_id]
        except KeyError:
            near = [m[0] for m in process.extract(source_id, list(self.sources), limit=3)]
            raise NotFound("source", source_id, near) from None

    def attribution(self, figure: Figure) -> str:
        """Who states ``figure``: its explicit ``attribution``, else derived from its sources' kinds.

        ``official``/``analyst`` sources map to themselves, ``press`` to ``press``; academic works count as
        ``analyst``; anything else (datasets, software, reference works) as ``other``.
        """
        if figure.attribution:
            return figure.attribution
        kinds = {self.get(s).kind for s in figure.sources if s in self.sources}
        for kind in ("official", "analyst"):
            if kind in kinds:
                return kind
        if "academic" in kinds:
            return "analyst"
        return "press" if "press" in kinds else "other"

    def cite(self, source_ids: Iterable[str]) -> list[dict[str, object]]:
        """JSON-ready citations (id, title, publisher, date, url, kind) for ``source_ids``."""
        return [self.get(s).model_dump(exclude_none=True) for s in dict.fromkeys(source_ids)]


def load_bibliography(paths: Iterable[Path] | None = None) -> Bibliography:
    """Load and validate bibliography files (default: the shipped ``sources.yml``).

    Raises :class:`DataError` listing ``file:line: message`` for every invalid entry or duplicate id.
    """
    paths = list(paths) if paths is not None else [data_path("sources.yml")]
    errors: list[str] = []
    sources: list[Source] = []
    seen: dict[str, str] = {}
    for path in paths:
        doc = load_yaml(path)
        items = (doc.data or {}).get("sources") if isinstance(doc.data, dict) else None
        if not isinstance(items, list):
            raise DataError("invalid bibliography", [f"{path}:1: expected a top-level 'sources:' list"])
        for i, item in enumerate(items):
            try:
                src = Source.model_validate(item)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ("sources", i, *err["loc"])
                    errors.append(f"{doc.where(loc)}: {'.'.join(map(str, err['loc'])) or 'entry'}: {err['msg']}")
                continue
            if src.id in seen:
                errors.append(f"{doc.where(('sources', i))}: duplicate source id {src.id!r} (first at {seen[src.id]})")
                continue
            seen[src.id] = doc.where(("sources", i))
            sources.append(src)
    if errors:
        raise DataError("invalid bibliography", errors)
    return Bibliography(sources)


@cache
def bibliography() -> Bibliography:
    """The shipped bibliography, loaded once."""
    return load_bibliography()
