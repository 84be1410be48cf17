"""The sourced missile catalogue: systems with ranges as intervals over per-source figures."""

from equilibrium.catalog.catalog import Catalog, catalog, load_catalog, normalise_name
from equilibrium.catalog.models import MissileSystem

__all__ = ["Catalog", "MissileSystem", "catalog", "load_catalog", "normalise_name"]
