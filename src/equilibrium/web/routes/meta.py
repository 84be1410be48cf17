"""Health and the bibliography (regions: the ``regions.search`` question, ``/api/regions``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from equilibrium import __version__
from equilibrium.provenance import bibliography
from equilibrium.settings import get_settings
from equilibrium.web.problems import API_PROBLEMS

router = APIRouter(prefix="/api", tags=["meta"], responses=API_PROBLEMS)


@router.get("/health", summary="Liveness and data versions")
def health() -> dict[str, Any]:
    """``{"status": "ok", "version", "atlas": {file: version}}``; ``atlas`` is empty before ``make setup``."""
    atlas_dir = get_settings().atlas_dir
    versions: dict[str, Any] = {}
    vf = atlas_dir / "versions.json"
    if vf.is_file():
        import json

        try:
            files = json.loads(vf.read_text(encoding="utf-8")).get("files", {})
            versions = {name: f"{v.get('package')} {v.get('version')}" for name, v in files.items()}
        except (ValueError, AttributeError):
            versions = {}
    return {"status": "ok", "version": __version__, "atlas": versions}


@router.get("/sources", summary="The bibliography")
def sources() -> dict[str, Any]:
    """``{"sources": [{"id", "title", "publisher", "date", "url", "kind", ...}]}``."""
    bib = bibliography()
    return {"sources": bib.cite(bib.sources)}


@router.get("/sources/{source_id}", summary="One bibliography entry")
def source(source_id: Annotated[str, Path(min_length=1, max_length=200)]) -> dict[str, Any]:
    """The source ``source_id``; unknown ids answer 404 with the closest ids as ``suggestions``."""
    return bibliography().cite([source_id])[0]
