"""Equilibrium: a workbench for strategic stability and sanctions analysis.

Every figure is traceable to a source in ``equilibrium/data/sources.yml``. The domain packages
(``provenance``, ``catalog``, ``geo``) are pure library code; ``cli``, ``web`` and ``report`` are the edges.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
