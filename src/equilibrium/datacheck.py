"""``equilibrium data check``: validate every shipped data file and count what it holds.

Fails (raises :class:`~equilibrium.errors.DataError` listing ``file:line: message``) on any schema error,
unknown unit or unresolved source id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from equilibrium.catalog import load_catalog
from equilibrium.dynamics.data import DATASETS as DYNAMICS_DATASETS
from equilibrium.dynamics.data import check_catalogue as check_dynamics_catalogue
from equilibrium.dynamics.data import dataset_info as dynamics_dataset_info
from equilibrium.errors import DataError
from equilibrium.evidence.codebooks import DATASETS, check_codebooks, codebook
from equilibrium.evidence.findings import findings_file, load_findings
from equilibrium.geo import regions, sites
from equilibrium.provenance import data_path, load_bibliography
from equilibrium.sanctions.record import load_record, record_files
from equilibrium.trajectory.assumptions import assumptions as _assumptions
from equilibrium.trajectory.dragtables import drag_tables
from equilibrium.trajectory.spec import load_cases
from equilibrium.trajectory.templates import _load as _load_templates


def _dynamics_findings(bib: Any) -> tuple[int, set[str]]:
    """The published arms-race findings (``data/dynamics/findings.yml``): count and cited source ids."""
    from equilibrium.dynamics.arms import findings_file, load_findings

    fs = load_findings(findings_file())
    return len(fs), {sid for f in fs for sid in f.source_ids()}


def _dynamics_alignment(bib: Any) -> tuple[int, set[str]]:
    """The published alignment figures (``data/dynamics/alignment.yml``): count and cited source ids."""
    from equilibrium.dynamics.alignment import load_published

    figs = load_published(None, bib)
    return len(figs), {sid for f in figs for sid in _ids(f)}


def _dynamics_scenarios(bib: Any) -> tuple[int, set[str]]:
    """The scenario files (``data/dynamics/scenarios/``): count and cited source ids."""
    from equilibrium.dynamics.model import load_scenarios

    scs = load_scenarios(bib=bib)
    return len(scs), {sid for sc in scs.values() for sid in sc.source_ids()}


def _ids(item: Any) -> list[str]:
    ids = item.source_ids() if hasattr(item, "source_ids") else getattr(item, "sources", [])
    return [s if isinstance(s, str) else str(getattr(s, "id", s)) for s in ids]


REPO_VALIDATION = Path(__file__).resolve().parents[2] / "validation" / "trajectory_cases.yaml"
"""Equilibrium's own trajectory validation cases (a source checkout; absent from an installed package)."""


@dataclass
class CheckReport:
    """Counts from a successful check (no units: these are counts of records)."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready view."""
        return {"ok": True, "counts": self.counts, "files": self.files, "warnings": self.warnings}


ExtraCheck = Callable[[Any], tuple[str, int, set[str]]]
"""A check of data files that belong to a higher layer (the claims, the events and population tables of the question
layer): given the bibliography, it returns ``(label, count, cited source ids)`` or raises DataError."""


def check_all(extra: Sequence[ExtraCheck] = ()) -> CheckReport:
    """Validate the bibliography, the missile catalogue, the named sites and every data file of the domain packages
    (plus the ``extra`` checks the caller brings); return counts. Raises DataError listing every problem."""
    report = CheckReport()
    errors: list[str] = []
    try:
        bib = load_bibliography()
    except DataError as exc:
        raise DataError("data check failed", exc.errors) from None
    report.files.append(str(data_path("sources.yml")))
    report.counts["sources"] = len(bib)
    used: set[str] = set()

    try:
        cat = load_catalog(bib=bib)
    except DataError as exc:
        errors.extend(exc.errors)
        cat = None
    report.files.extend(str(p) for p in sorted(data_path("missiles").glob("*.yml")))
    if cat is not None:
        report.counts["systems"] = len(cat)
        report.counts["countries"] = len({s.country for s in cat})
        values = [v for s in cat for v in s.cited_values().values()]
        figures = [f for v in values for f in v.figures()]
        report.counts["cited_values"] = len(values)
        report.counts["figures"] = len(figures)
        report.counts["unverified_figures"] = sum(1 for f in figures if f.unverified)
        report.counts["ranges_with_2plus_sources"] = sum(
            1 for s in cat if len({k for f in s.range.figures() for k in f.sources}) >= 2)
        for s in cat:
            used.update(s.source_ids())

    try:
        site_list = sites.yaml_sites()
    except DataError as exc:
        errors.extend(exc.errors)
        site_list = ()
    if data_path("sites", "sites.yml").is_file():
        report.files.append(str(data_path("sites", "sites.yml")))
    report.counts["sites"] = len(site_list)
    report.counts["unverified_sites"] = sum(1 for x in site_list if x.unverified)
    for site in site_list:
        for sid in site.source_ids:
            if sid not in bib:
                errors.append(f"{data_path('sites', 'sites.yml')}: site {site.id}: unresolved source id {sid!r}")
        used.update(site.source_ids)
    try:
        _load_templates.cache_clear()
        tmpl = _load_templates().templates
    except DataError as exc:
        errors.extend(exc.errors)
        tmpl = {}
    report.files.append(str(data_path("trajectory", "templates.yml")))
    report.counts["trajectory_templates"] = len(tmpl)
    for t in tmpl.values():
        for sid in t.source_ids():
            if sid not in bib:
                errors.append(f"{data_path('trajectory', 'templates.yml')}: template {t.id}: unresolved source id "
                              f"{sid!r}")
        used.update(t.source_ids())
    try:
        drag_tables.cache_clear()
        dtabs = drag_tables()
    except DataError as exc:
        errors.extend(exc.errors)
        dtabs = {}
    report.files.append(str(data_path("trajectory", "drag.yml")))
    report.counts["drag_tables"] = len(dtabs)
    for dt in dtabs.values():
        for sid in dt.sources:
            if sid not in bib:
                errors.append(f"{data_path('trajectory', 'drag.yml')}: table {dt.id}: unresolved source id {sid!r}")
        used.update(dt.sources)
    apath = data_path("trajectory", "assumptions.yml")
    report.files.append(str(apath))
    try:
        _assumptions.cache_clear()
        assum = _assumptions()
    except DataError as exc:
        errors.extend(exc.errors)
    else:
        cited = [("expansion.isp_ratio_sea_level_to_vacuum", assum.expansion.isp_ratio_sea_level_to_vacuum)]
        if assum.reentry is not None:
            cited.append(("reentry.ballistic_coefficient", assum.reentry.ballistic_coefficient))
        report.counts["trajectory_assumptions"] = len(cited)
        for where, cv in cited:
            for sid in cv.source_ids():
                if sid not in bib:
                    errors.append(f"{apath}: {where}: unresolved source id {sid!r}")
            used.update(cv.source_ids())
    try:
        report.files.extend(check_dynamics_catalogue())
    except DataError as exc:
        errors.extend(exc.errors)
    else:
        report.counts["dynamics_datasets"] = len(DYNAMICS_DATASETS)
        for ds in DYNAMICS_DATASETS:
            used.update(dynamics_dataset_info(ds).sources)
    for label, loader in (("dynamics_findings", _dynamics_findings), ("dynamics_alignment_figures",
                                                                       _dynamics_alignment),
                          ("dynamics_scenarios", _dynamics_scenarios)):
        try:
            n_items, ids = loader(bib)
        except DataError as exc:
            errors.extend(exc.errors)
        else:
            report.counts[label] = n_items
            used.update(ids)
    vpath = REPO_VALIDATION
    if vpath.is_file():  # the repository's own validation cases cite bibliography ids
        report.files.append(str(vpath))
        try:
            vcases = load_cases(vpath)
        except DataError as exc:
            errors.extend(exc.errors)
            vcases = {}
        report.counts["validation_cases"] = len(vcases)
        for c in vcases.values():
            for sid in c.sources:
                if " " in sid:  # a full citation, not an id
                    continue
                if sid not in bib:
                    errors.append(f"{vpath}: case {c.id}: unresolved source id {sid!r}")
                used.add(sid)
    for t in tmpl.values():
        if t.drag_table and t.drag_table not in dtabs:
            errors.append(f"{data_path('trajectory', 'templates.yml')}: template {t.id}: unknown drag table "
                          f"{t.drag_table!r}")
    files = record_files()
    report.files.extend(str(f) for f in files)
    try:
        rec = load_record(files, bib) if files else None
    except DataError as exc:
        errors.extend(exc.errors)
        rec = None
    if rec is not None:
        report.counts["sanctions_announcements"] = len(rec.announcements)
        report.counts["sanctions_actions"] = len(rec)
        report.counts["unverified_sanctions_actions"] = sum(1 for r in rec if r.action.unverified)
        used.update(rec.source_ids())
    if findings_file().is_file():
        report.files.append(str(findings_file()))
        try:
            published = load_findings(bib=bib)
        except DataError as exc:
            errors.extend(exc.errors)
            published = []
        report.counts["published_findings"] = len(published)
        report.counts["unverified_published_findings"] = sum(1 for f in published if f.unverified)
        for f in published:
            used.update(f.source_ids())
    try:
        report.files.extend(check_codebooks())
        books = [codebook(d) for d in DATASETS]
    except DataError as exc:
        errors.extend(exc.errors)
        books = []
    report.counts["evidence_codebooks"] = len(books)
    for cb in books:
        used.update(cb.sources)
        used.update(v.source for lay in cb.layouts for v in lay.variables if v.source)
    # Sources cited by code rather than by data files: boundary data sets, cities, geodesy.
    used.update(regions.WORLD_SOURCES + regions.US_SOURCES + ("geonames-cities", "karney-2013", "nga-wgs84",
                                                         "forden-2007-gmf", "us-standard-atmosphere-1976",
                                                         "ussa1976-package"))
    from equilibrium.dynamics.alignment import MEASURE_SOURCES  # the agreement measures' definitions

    for measure, sid in MEASURE_SOURCES.items():
        if sid not in bib:
            errors.append(f"equilibrium.dynamics.alignment: measure {measure}: unresolved source id {sid!r}")
    used.update(MEASURE_SOURCES.values())
    for check in extra:
        try:
            label, count, ids = check(bib)
        except DataError as exc:
            errors.extend(exc.errors)
        else:
            report.counts[label] = count
            used.update(ids)
    if errors:
        raise DataError("data check failed", errors)
    unused = sorted(set(bib.sources) - used)
    report.counts["sources_cited"] = len(used & set(bib.sources))
    if unused:
        report.warnings.append(f"{len(unused)} bibliography entries are not cited by any data file")
    return report
