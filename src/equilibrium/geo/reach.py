"""Compatibility names for the reach algorithms, which live one module per algorithm:

* :mod:`equilibrium.geo.distance` — nearest, full-coverage and single-site distances (:func:`distance`);
* :mod:`equilibrium.geo.coverage` — share of a target's area and city population within a range;
* :mod:`equilibrium.geo.field` — the global distance raster and the web page's slider payload;
* :mod:`equilibrium.geo.rings` — reach polygons (GeoJSON);
* :mod:`equilibrium.geo.samples` — what they share (boundary indexes, seed grids, area samples).

The catalogue verdicts (which systems reach a target) are a question: :mod:`equilibrium.questions.reach`.
New code imports the modules above; this one keeps older imports (``from equilibrium.geo import reach``) working.
"""

from __future__ import annotations

from equilibrium.geo.coverage import CoverageResult, CoverageSamples, coverage, coverage_samples
from equilibrium.geo.distance import METHOD, DistanceResult, distance, nearest_km
from equilibrium.geo.field import DistanceField, distance_field
from equilibrium.geo.rings import geodesic_area_m2, ring
from equilibrium.geo.samples import index_of

__all__ = ["METHOD", "CoverageResult", "CoverageSamples", "DistanceField", "DistanceResult", "coverage",
           "coverage_samples", "distance", "distance_field", "geodesic_area_m2", "index_of", "nearest_km", "ring"]
