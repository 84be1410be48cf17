"""Dynamics of the South Asian strategic order: data (SIPRI military expenditure and arms transfers, COW NMC,
UNGA ideal points and votes), arms-race estimation and backtests, alignment measures, and a scenario model run as
ensembles with global sensitivity. Submodules are imported where used (no side effects at import)."""
