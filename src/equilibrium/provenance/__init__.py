"""Provenance: the bibliography, cited values and the checks that tie every number to a source."""

from equilibrium.provenance.bibliography import Bibliography, bibliography, data_path, load_bibliography
from equilibrium.provenance.models import UNITS, CitedValue, Figure, Source

__all__ = ["UNITS", "Bibliography", "CitedValue", "Figure", "Source", "bibliography", "data_path",
           "load_bibliography"]
