"""Evidence: what published sanctions data sets say about outcomes (GSDB R3, TIES v4, EUSANCT, China-TIES).

Public API (imported lazily: importing this package loads nothing):

* ``load(dataset, path=None) -> pandas.DataFrame`` – the tidy table (columns: ``loaders.TIDY_COLUMNS`` and
  ``loaders.EXTRA_COLUMNS``); ``load_dataset`` also returns the files read and the rows it could not read.
* ``base_rates(dataset, df=None, *, path, sender, target, objective|issue, since, until, sanction_type,
  multilateral, role, by, include_ongoing, threats, hse_threshold) -> dict`` – shares with ``n`` and 95 % Wilson
  intervals under named definitions (``rates.definition``).
* ``cases(country, *, dataset=None, path=None, role="any") -> dict`` – a country's episodes in every data set,
  linked to the curated sanctions record.
* ``datasets(path=None) -> dict`` – which files are found and where, with each codebook's summary.
* ``fit(dataset, *, outcome, covariates | spec_id, df, path, filters, robust, cluster) -> dict`` – logit of an outcome
  on named covariates with robust SEs, average marginal effects and a plain-language summary;
  ``default_specs()`` – the documented specifications (a) goal type, (b) US alone vs multilateral, (c) China
  involved (``equilibrium.evidence.models``).
* ``codebook(dataset)``, ``resolve_country(query)``, ``wilson(k, n)``, ``DATASETS``.

Datasets are named ``gsdb``, ``ties``, ``eusanct`` and ``china-ties``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from equilibrium.evidence.codebooks import DATASETS, check_codebooks, codebook
    from equilibrium.evidence.countries import resolve as resolve_country
    from equilibrium.evidence.episodes import cases
    from equilibrium.evidence.loaders import datasets, load, load_dataset, locate
    from equilibrium.evidence.models import default_specs, fit
    from equilibrium.evidence.rates import base_rates, definition, wilson

__all__ = ["DATASETS", "base_rates", "cases", "check_codebooks", "codebook", "datasets", "default_specs", "definition",
           "fit", "load", "load_dataset", "locate", "resolve_country", "wilson"]

_LAZY = {
    "DATASETS": ("equilibrium.evidence.codebooks", "DATASETS"),
    "codebook": ("equilibrium.evidence.codebooks", "codebook"),
    "check_codebooks": ("equilibrium.evidence.codebooks", "check_codebooks"),
    "resolve_country": ("equilibrium.evidence.countries", "resolve"),
    "load": ("equilibrium.evidence.loaders", "load"),
    "load_dataset": ("equilibrium.evidence.loaders", "load_dataset"),
    "locate": ("equilibrium.evidence.loaders", "locate"),
    "datasets": ("equilibrium.evidence.loaders", "datasets"),
    "base_rates": ("equilibrium.evidence.rates", "base_rates"),
    "definition": ("equilibrium.evidence.rates", "definition"),
    "wilson": ("equilibrium.evidence.rates", "wilson"),
    "cases": ("equilibrium.evidence.episodes", "cases"),
    "fit": ("equilibrium.evidence.models", "fit"),
    "default_specs": ("equilibrium.evidence.models", "default_specs"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name]
        return getattr(importlib.import_module(mod), attr)
    raise AttributeError(f"module 'equilibrium.evidence' has no attribute {name!r}")
