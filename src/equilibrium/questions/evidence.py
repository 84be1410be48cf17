"""Evidence questions: what published sanctions data sets (GSDB R3, TIES v4, EUSANCT, China-TIES) and the
literature say about sanction outcomes.

* ``evidence.datasets`` — which data files are found (path, sha256), each codebook's summary and its per-data-set
  facts (label, headline share and why, groupings, id column, goal groups), and each default definition.
* ``evidence.base_rate`` — outcome shares of one data set with n and 95 % Wilson intervals, filtered and grouped.
* ``evidence.cases`` — a country's episodes (as target by default) in every data set, linked to the curated record.
* ``evidence.model`` — a logit of an outcome on named covariates, robust SEs, AMEs, what it can and cannot identify.
* ``evidence.specs`` — the documented default model specifications.
* ``evidence.findings`` — the published findings beside our comparable computed share.

The data files are third-party and not shipped: they are looked up under ``$EQUILIBRIUM_DATA_DIR`` (the CLI's
``--path`` overrides it with :func:`equilibrium.evidence.loaders.data_path_override`; the HTTP API never takes a
path). A data set whose file is absent answers :class:`~equilibrium.evidence.loaders.DataFileMissing` (503, with
the publisher and how to obtain it) on every edge. Every answer states the data set, its file(s) with their
sha256, the success definition and the sample in ``defaults``. Shares are fractions 0-1.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from equilibrium.errors import EquilibriumError, InvalidInput
from equilibrium.evidence.codebooks import DATASETS, ByField, Codebook, check_dataset, codebook
from equilibrium.evidence.countries import resolve
from equilibrium.evidence.episodes import RecordAction
from equilibrium.evidence.episodes import cases as episode_cases
from equilibrium.evidence.findings import findings_file
from equilibrium.evidence.findings import to_dict as findings_to_dict
from equilibrium.evidence.loaders import DataFileMissing, load_dataset, locate, missing_entry, path_override
from equilibrium.evidence.models import default_specs, fit
from equilibrium.evidence.rates import base_rates, definition
from equilibrium.provenance import bibliography
from equilibrium.questions.base import Answer, Example, Params, Stated, question
from equilibrium.questions.common import Citation, citations, stated_data
from equilibrium.sanctions.record import record as sanctions_record
from equilibrium.settings import get_settings

__all__ = [
    "BaseRateParams", "CasesParams", "DatasetInfo", "EvidenceBaseRate", "EvidenceCases", "EvidenceDatasets",
    "EvidenceFindings", "EvidenceModel", "EvidenceSpecs", "ModelParams", "ShareRate", "base_rate", "cases",
    "datasets", "findings", "model", "specs",
]


# ------------------------------------------------------------------------------------------------ answer parts


class _M(BaseModel):
    model_config = ConfigDict(populate_by_name=True, ser_json_inf_nan="null")


class ShareRate(_M):
    """``k`` of ``n`` rows, the share ``k / n`` (fraction 0-1) and its 95 % Wilson interval ``[low, high]``
    (both ``None`` when ``n = 0``)."""

    k: int
    n: int
    share: float | None
    ci95: list[float] | None = Field(description="95 % Wilson score interval [low, high] (fractions 0-1).")


class RateRule(_M):
    """How one share is counted: numerator and denominator in words, and plain words for the share."""

    numerator: str
    denominator: str
    words: str


class DefinitionInfo(_M):
    """A named base-rate definition: unit, text, alternatives and every share it computes."""

    name: str
    unit: str
    text: str
    alternatives: list[str]
    rates: dict[str, RateRule]


class DataFile(_M):
    """A data file read: its role (``file``, or ``sender``/``target`` for China-TIES), path, size and sha256."""

    role: str
    path: str
    size_bytes: int
    sha256: str


class MissingInfo(_M):
    """Who publishes a data set not found, how to obtain it and the file names looked for."""

    dataset: str
    title: str
    publisher: str
    obtain: str
    url: str
    usual_names: list[str]


class LayoutSummary(_M):
    """One file layout of a codebook: role, format, usual names, variable counts."""

    role: str | None
    format: str
    files: list[str]
    variables: int
    unchecked_meanings: int


class CodeListSummary(_M):
    """A code list: how many codes, and whether its labels were checked against the publisher's codebook."""

    codes: int
    checked: bool


class GoalGroupInfo(_M):
    """Issue (GSDB: objective) slugs that stand for a kind of goal, the China-TIES file used, and why."""

    name: str
    label: str
    codes: list[str]
    role: str | None
    reason: str


class CodebookSummary(_M):
    """A data set's codebook in brief, with its per-data-set facts (all read from the codebook file)."""

    dataset: str
    title: str
    short: str
    label: str = Field(description="Short name for tables and the web panel.")
    publisher: str
    obtain: str
    url: str
    unit: str
    sources: list[str]
    codebook: str = Field(description="Path of the codebook file.")
    id_column: str
    headline: str = Field(description="The share shown first.")
    headline_words: str
    headline_why: str
    secondary: str | None
    by: list[str] = Field(description="The groupings offered for this data set.")
    goal_groups: list[GoalGroupInfo]
    layouts: list[LayoutSummary]
    codelists: dict[str, CodeListSummary]


class DatasetInfo(CodebookSummary):
    """One data set: its codebook facts, its default definition, and whether its file(s) were found."""

    found: bool
    files: list[DataFile]
    message: str | None = None
    missing: MissingInfo | None = None
    definition: DefinitionInfo


class Party(_M):
    """A sender or target as resolved: the query, its code (ISO3, EU, UN, COW<n> or a raw name) and name."""

    query: str | None = None
    code: str
    name: str
    cow: list[int] = Field(default_factory=list)


class CodeRef(_M):
    """A resolved code (issue, objective, sanction type): the query, code, slug and label."""

    query: str
    code: str | None = None
    slug: str
    label: str
    checked: bool | None = None


class GoalRef(_M):
    """A goal group filter as applied."""

    name: str
    label: str
    codes: list[str]
    reason: str


class Filters(_M):
    """The filters as resolved (absent: not applied)."""

    sender: Party | None = None
    target: Party | None = None
    objective: CodeRef | None = None
    issue: CodeRef | None = None
    goal: GoalRef | None = None
    since: int | None = None
    until: int | None = None
    sanction_type: CodeRef | None = None
    multilateral: bool | None = None
    role: str | None = None
    period_rule: str | None = None


class Group(_M):
    """One group of a ``by`` split: its key, label, rows and shares."""

    group: bool | int | str | None
    label: str
    rows: int
    rates: dict[str, ShareRate]


# ------------------------------------------------------------------------------------------------ helpers


@lru_cache(maxsize=64)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _data_files(files: dict[str | None, Path]) -> list[DataFile]:
    out = []
    for role, p in sorted(files.items(), key=lambda x: str(x[0] or "")):
        st = p.stat()
        out.append(DataFile(role=role or "file", path=str(p), size_bytes=st.st_size,
                            sha256=_sha256(str(p), st.st_size, st.st_mtime_ns)))
    return out


def _file_key(ds: str) -> tuple[tuple[str, str, int, int], ...] | None:
    """(role, path, size, mtime) of the data set's files, or ``None`` when not found."""
    try:
        files = locate(ds)
    except DataFileMissing:
        return None
    return tuple(sorted((r or "", str(p), p.stat().st_size, p.stat().st_mtime_ns) for r, p in files.items()))


def _given(p: Params) -> set[str]:
    """The parameters of ``p`` that differ from their defaults (``model_fields_set`` is not kept when the web layer
    re-validates the parameters' JSON)."""
    return {n for n, f in type(p).model_fields.items() if getattr(p, n) != f.default}


def _where() -> Stated:
    over = path_override()
    if over is not None:
        return Stated(name="data_path", value=str(over), source="given", note="--path")
    d = get_settings().data_dir
    return Stated(name="data_path", value=f"EQUILIBRIUM_DATA_DIR={d}" if d else "EQUILIBRIUM_DATA_DIR not set",
                  source="default")


def _stated_files(cb: Codebook, files: list[DataFile]) -> list[Stated]:
    return [Stated(name=f"file:{f.role}" if f.role != "file" else "file",
                   value=f"{f.path} ({f.size_bytes:,} bytes, sha256 {f.sha256[:16]})", source="data")
            for f in files]


def _definition_info(ds: str, d: Any) -> DefinitionInfo:
    cb = codebook(ds)
    return DefinitionInfo(name=d.name, unit=d.unit, text=d.text, alternatives=list(d.alternatives),
                          rates={r.name: RateRule(numerator=r.numerator, denominator=r.denominator,
                                                  words=cb.words(r.name)) for r in d.rates})


def _success_stated(cb: Codebook, d: Any, rate: str | None = None, source: str = "default") -> Stated:
    name = rate or cb.headline.rate
    r = next(x for x in d.rates if x.name == name)
    note = cb.headline.why if name == cb.headline.rate else None
    return Stated(name="success", value=f"{name} ({cb.words(name)}): {r.numerator}, over {r.denominator} "
                                        f"(definition {d.name})", source=source, note=note)


def _dataset_stated(cb: Codebook) -> Stated:
    return Stated(name="dataset", value=f"{cb.title} ({cb.dataset}); published by {cb.publisher}", source="data",
                  note=f"codebook {Path(cb.path).name}")


def _citations(ids: list[str] | tuple[str, ...]) -> list[Citation]:
    bib = bibliography()
    return citations(bib, [i for i in ids if i in bib])


def _codebook_summary(cb: Codebook) -> dict[str, Any]:
    s = cb.summary()
    return {
        "dataset": cb.dataset, "title": cb.title, "short": cb.short, "label": cb.display_label,
        "publisher": cb.publisher, "obtain": cb.obtain, "url": cb.url, "unit": cb.unit, "sources": list(cb.sources),
        "codebook": str(cb.path), "id_column": cb.id_column, "headline": cb.headline.rate,
        "headline_words": cb.headline.words, "headline_why": cb.headline.why,
        "secondary": cb.secondary.rate if cb.secondary else None, "by": list(cb.by),
        "goal_groups": [GoalGroupInfo(name=g.name, label=g.label, codes=list(g.codes), role=g.role, reason=g.reason)
                        for g in cb.goal_groups],
        "layouts": s["layouts"], "codelists": s["codelists"],
    }


class _Dataset(Params):
    dataset: str = Field(min_length=1, max_length=40, description="Data set: gsdb, ties, eusanct or china-ties.",
                         examples=["gsdb"])

    @field_validator("dataset", mode="before")
    @classmethod
    def _norm(cls, v: object) -> object:
        return v.strip().lower().replace("_", "-") if isinstance(v, str) else v


# ---------------------------------------------------------------------------------------------- evidence.datasets


class DatasetsParams(Params):
    """No parameters: the data folder is ``$EQUILIBRIUM_DATA_DIR`` (the CLI's ``--path`` overrides it)."""


class EvidenceDatasets(Answer):
    """Every evidence data set: found or not (and how to obtain it), its codebook facts and default definition."""

    question: Literal["evidence.datasets"] = "evidence.datasets"
    data_dir: str | None = Field(description="EQUILIBRIUM_DATA_DIR, if set.")
    searched: str | None = Field(description="The folder or file searched instead (the CLI's --path), if any.")
    datasets: dict[str, DatasetInfo]


@question("evidence.datasets", params=DatasetsParams, answer=EvidenceDatasets, cli=("evidence", "datasets"),
          http=("GET", "/api/evidence/datasets"), cache=0,
          summary="The evidence data sets: files found (sha256), codebook facts, default definitions",
          examples=[Example({}, [])])
def datasets(p: DatasetsParams) -> EvidenceDatasets:
    """For each data set: ``found`` with its files (path, size, sha256), or ``message`` and ``missing`` (who
    publishes it and how to obtain it); its codebook summary and facts (label, headline share and why, groupings,
    id column, goal groups) and its default base-rate ``definition``."""
    out: dict[str, DatasetInfo] = {}
    for ds in DATASETS:
        cb = codebook(ds)
        entry: dict[str, Any] = _codebook_summary(cb)
        entry["definition"] = _definition_info(ds, definition(ds))
        try:
            entry.update(found=True, files=_data_files(locate(ds)))
        except EquilibriumError as exc:
            entry.update(found=False, files=[], message=str(exc).splitlines()[0],
                         missing=MissingInfo(**missing_entry(ds)))
        out[ds] = DatasetInfo(**entry)
    data_dir = get_settings().data_dir
    over = path_override()
    found = [ds for ds, e in out.items() if e.found]
    return EvidenceDatasets(
        data_dir=str(data_dir) if data_dir else None, searched=str(over) if over else None, datasets=out,
        defaults=[_where(), *stated_data("codebooks"),
                  Stated(name="found", value=", ".join(found) or "none", source="data")],
        notes=["The data files are third-party and not shipped: each must be obtained from its publisher."])


# --------------------------------------------------------------------------------------------- evidence.base_rate


class _Filters(Params):
    sender: str | None = Field(None, min_length=1, max_length=80,
        description="Sender: country name, ISO3, COW code, EU or UN.")
    target: str | None = Field(None, min_length=1, max_length=80, description="Target: country name, ISO3 or COW code.")
    objective: str | None = Field(None, min_length=1, max_length=80,
        description="GSDB objective, e.g. democracy, prevent_war.")
    issue: str | None = Field(None, min_length=1, max_length=80,
        description="Issue: code, slug or label (TIES family: e.g. 6, "
                                                               "deny_strategic_materials; GSDB: as objective).")
    goal: str | None = Field(None, min_length=1, max_length=40, description="A goal group of the data set's codebook "
                                                              "(goal_groups), e.g. nonproliferation.")
    since: int | None = Field(None, ge=1800, le=2100, description="Episodes starting in or after this year.")
    until: int | None = Field(None, ge=1800, le=2100, description="Episodes starting in or before this year.")
    sanction_type: str | None = Field(None, min_length=1, max_length=80,
        description="Sanction type slug (GSDB: trade, arms, "
                                                                       "military, financial, travel, other; TIES: "
                                                                       "total_embargo, import_restriction, ...).")
    multilateral: bool | None = Field(None, description="Only multilateral (true) or unilateral (false) episodes.")
    include_ongoing: bool = Field(False, description="GSDB: keep ongoing pairs in the denominator (as not "
                                                     "successful).")
    hse_threshold: int = Field(9, ge=1, le=16, description="EUSANCT: HSE score counted as success (PIIE: 9).")

    @model_validator(mode="after")
    def _one_issue(self) -> _Filters:
        if self.objective and self.issue and self.objective != self.issue:
            raise ValueError("give objective or issue, not both")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")
        return self


class BaseRateParams(_Dataset, _Filters):
    """Which data set, which episodes (filters), which groups, and the options of its definition."""

    role: Literal["sender", "target"] | None = Field(None, description="China-TIES: China as sender or target.")
    by: ByField | None = Field(None, description="Group by objective|issue, decade, sender, target, role, "
                                                 "multilateral.")
    threats: Literal["all", "concluded"] = Field("all", description="TIES family: 'all' threat cases or only "
                                                                    "'concluded' ones in the threats-not-imposed "
                                                                    "share.")


class EvidenceBaseRate(Answer):
    """Outcome shares of one data set under a named definition, each with n and a 95 % Wilson interval."""

    question: Literal["evidence.base_rate"] = "evidence.base_rate"
    dataset: str
    title: str
    label: str
    files: list[DataFile]
    rows_read: int = Field(description="Rows of the file(s) read.")
    rows_excluded: int = Field(description="Rows of the file(s) that could not be read and were left out.")
    problems: list[str] = Field(description="The rows left out or values blanked, with why.")
    missing_files: list[str] = Field(description="China-TIES: the role whose file was not found.")
    definition: DefinitionInfo
    filters: Filters
    rows: int = Field(description="Tidy rows (in the definition's unit) after the filters.")
    unit: str
    headline: str = Field(description="The data set's headline share (its codebook's choice).")
    rates: dict[str, ShareRate]
    ongoing_pairs: int | None = Field(None, description="GSDB: pairs still ongoing among the rows.")
    message: str | None = None
    by: str | None = None
    group_rule: str | None = None
    groups: list[Group] = Field(default_factory=list)
    sources: list[Citation]


def _base_rate_stated(cb: Codebook, d: Any, res: dict[str, Any], files: list[DataFile], given: set[str]
                      ) -> list[Stated]:
    filt = ", ".join(f"{k}={v.get('code') or v.get('slug') or v.get('name') if isinstance(v, dict) else v}"
                     for k, v in res["filters"].items() if v is not None and k != "period_rule")
    opts = {"include_ongoing", "threats", "hse_threshold"} & given
    return [_dataset_stated(cb), *_stated_files(cb, files), _where(),
            Stated(name="definition", value=f"{d.name}: {d.text}", source="given" if opts else "default"),
            _success_stated(cb, d),
            Stated(name="sample", value=f"{res['rows']:,} {d.unit} rows" + (f" ({filt})" if filt else
                                                                             " (all rows of the file)")
                   + (f"; {res['rows_excluded']} unreadable row(s) of the file left out" if res.get("rows_excluded")
                      else ""), source="given" if filt else "default"),
            *stated_data("codebooks")]


@question("evidence.base_rate", params=BaseRateParams, answer=EvidenceBaseRate, cli=("evidence", "base-rate"),
          http=("GET", "/api/evidence/base-rate"), cache=0,
          summary="Outcome shares of a sanctions data set with n and 95 % Wilson intervals",
          examples=[Example({"dataset": "gsdb", "by": "objective"}, ["--dataset", "gsdb", "--by", "objective"]),
                    Example({"dataset": "ties", "target": "PAK"}, ["--dataset", "ties", "--target", "PAK"])])
def base_rate(p: BaseRateParams) -> EvidenceBaseRate:
    """Shares of ``p.dataset`` under its default definition (or the alternative the options select), with ``n``
    and a 95 % Wilson interval each, filtered and grouped ``by`` a field. China-TIES without ``by`` or ``role`` is
    grouped by role. The data file missing: :class:`~equilibrium.evidence.loaders.DataFileMissing`."""
    ds = check_dataset(p.dataset)
    cb = codebook(ds)
    d = definition(ds, include_ongoing=p.include_ongoing, threats=p.threats, hse_threshold=p.hse_threshold)
    ld = load_dataset(ds)
    files = _data_files(ld.files)
    res = base_rates(ds, path=None, sender=p.sender, target=p.target, objective=p.objective, issue=p.issue,
                     since=p.since, until=p.until, sanction_type=p.sanction_type, multilateral=p.multilateral,
                     role=p.role, by=p.by, include_ongoing=p.include_ongoing, threats=p.threats,
                     hse_threshold=p.hse_threshold, goal=p.goal)
    res["files"] = files
    res["definition"] = _definition_info(ds, d)
    res["sources"] = _citations(cb.sources)
    notes = []
    if ds == "china-ties" and p.by is None and not p.role:
        notes.append("China-TIES is grouped by China's role (sender or target) unless a role or another grouping "
                     "is given: the two files are different populations.")
    if res.get("message"):
        notes.append(res["message"])
    given = _given(p)
    return EvidenceBaseRate(**{k: v for k, v in res.items() if k in EvidenceBaseRate.model_fields},
                            label=cb.display_label, headline=cb.headline.rate,
                            defaults=_base_rate_stated(cb, d, res, files, given), notes=notes)


# ------------------------------------------------------------------------------------------------- evidence.cases


class CasesParams(Params):
    """Whose episodes, in which data set (all by default), and in which role."""

    target: str = Field(min_length=1, max_length=60, description="Country: ISO3, name or COW code, e.g. PAK.",
                        examples=["PAK"])
    dataset: str | None = Field(None, min_length=1, max_length=40,
        description="Only this data set (gsdb, ties, eusanct, "
                                                                 "china-ties).")
    role: Literal["target", "sender", "any"] = Field("target", description="Episodes with the country as 'target' "
                                                                           "(default), 'sender' or 'any'.")


class CountryRef(_M):
    """A resolved country: code, name, COW codes, kind."""

    code: str
    name: str
    cow: list[int]
    kind: str


class NamedCode(_M):
    """A party of an episode: its code and name."""

    code: str
    name: str


class IssueLabel(_M):
    """An issue of an episode: slug and label."""

    slug: str
    label: str


class PairOutcome(_M):
    """GSDB: one objective of a case and its outcome."""

    objective: str
    success: str
    label: str


class Link(_M):
    """A curated-record action the episode plausibly covers, with the conditions it met."""

    action: str
    announcement: str
    title: str
    date: str
    type: str
    sender: str
    authority: str
    strength: Literal["strong", "weak"]
    themes: list[str]
    timing: Literal["start", "within"]
    matched: list[str]


class Episode(_M):
    """One episode of a data set with the country as target or sender (GSDB: the case's pairs folded)."""

    dataset: str
    case_id: str
    name: str | None
    role: Literal["target", "sender"]
    china_role: str | None
    start_year: int | None
    end_year: int | None
    ongoing: bool
    targets: list[NamedCode]
    senders: list[NamedCode]
    primary_sender: str | None
    multilateral: bool
    issues: list[IssueLabel]
    threat: bool | None
    imposed: bool | None
    sanction_types: list[str]
    file: str
    row: int
    outcome: str | None
    outcomes: list[PairOutcome] | None = None
    outcome_code: int | None = None
    hse_score: int | None = None
    success: bool | None = None
    links: list[Link]
    weak_links: list[Link]


class CasesDataset(_M):
    """Per data set: found with its files and counts, or why not and how to obtain it."""

    found: bool
    label: str
    files: list[DataFile] = Field(default_factory=list)
    count: int = 0
    as_target: int = 0
    as_sender: int = 0
    linked: int = 0
    rows_excluded_at_load: int = 0
    message: str | None = None
    missing: MissingInfo | None = None


class RecordInfo(_M):
    """The curated sanctions record the episodes were linked to."""

    actions: int | None = None
    files: list[str] = Field(default_factory=list)
    error: str | None = None


class Theme(_M):
    """A theme tying issue codes to record authorities."""

    issues: list[str]
    authorities: list[str]


class EvidenceCases(Answer):
    """A country's episodes in the data sets, linked to the curated sanctions record."""

    question: Literal["evidence.cases"] = "evidence.cases"
    country: CountryRef
    role: str
    count: int
    datasets: dict[str, CasesDataset]
    record: RecordInfo
    link_rule: dict[str, str]
    themes: dict[str, Theme]
    cases: list[Episode]


def record_actions() -> tuple[list[RecordAction], dict[str, Any]]:
    """The curated sanctions record's actions as the episode links need them, and what to say about the record
    (its size and files; or why it could not be loaded, in which case no episode is linked)."""
    try:
        rec = sanctions_record()
    except EquilibriumError as exc:
        return [], {"error": f"the curated record could not be loaded: {str(exc).splitlines()[0]}"}
    acts = [RecordAction(r.action.id, r.announcement.id, r.announcement.title, r.date, r.year, r.action.type,
                         r.action.sender, r.action.authority.text,
                         frozenset(t.country for t in r.action.targets if t.country)) for r in rec]
    return acts, {"actions": len(acts), "files": [str(f) for f in rec.files]}


@question("evidence.cases", params=CasesParams, answer=EvidenceCases, cli=("evidence", "cases"),
          http=("GET", "/api/evidence/cases"), cache=0,
          summary="A country's episodes in every sanctions data set, linked to the curated record",
          examples=[Example({"target": "PAK"}, ["--target", "PAK"]),
                    Example({"target": "IND", "dataset": "gsdb", "role": "any"},
                            ["--target", "IND", "--dataset", "gsdb", "--role", "any"])])
def cases(p: CasesParams) -> EvidenceCases:
    """Every episode with ``p.target`` in role ``p.role`` (target by default) in each data set found (or only
    ``p.dataset``), with links to the curated record; data sets not found say who publishes them and how to obtain
    them. No data set found (or ``p.dataset``'s file absent): :class:`DataFileMissing`."""
    c = resolve(p.target)  # an unknown country is named as such before any file is looked for
    ds = check_dataset(p.dataset) if p.dataset else None
    actions, record = record_actions()
    res = episode_cases(c.code, dataset=ds, role=p.role, actions=actions, record=record)
    per: dict[str, CasesDataset] = {}
    stated: list[Stated] = []
    for name, v in res["datasets"].items():
        cb = codebook(name)
        if v.get("found"):
            files = _data_files(load_dataset(name).files)
            per[name] = CasesDataset(**{**v, "files": files}, label=cb.display_label)
            stated += [_dataset_stated(cb), *_stated_files(cb, files)]
        else:
            per[name] = CasesDataset(found=False, label=cb.display_label, message=str(v.get("message", "")),
                                     missing=MissingInfo(**missing_entry(name)))
    n_found = sum(1 for v in per.values() if v.found)
    stated += [_where(),
               Stated(name="role", value=p.role, source="given" if "role" in _given(p) else "default"),
               Stated(name="sample", value=f"{res['count']} episode(s) of {c.name} ({c.code}) as {p.role} in "
                                           f"{n_found} data set(s) found", source="data"),
               Stated(name="success", value="each episode's own outcome coding (GSDB: per objective; TIES family: "
                                            "final outcome); no share is computed", source="default"),
               *stated_data("codebooks", "record")]
    return EvidenceCases(country=CountryRef(**res["country"]), role=res["role"], count=res["count"], datasets=per,
                         record=RecordInfo(**res["record"]), link_rule=res["link_rule"],
                         themes={k: Theme(**v) for k, v in res["themes"].items()},
                         cases=[Episode(**e) for e in res["cases"]], defaults=stated,
                         notes=[f"Links: {res['link_rule']['strength']}"])


# ------------------------------------------------------------------------------------------------ evidence.model


class SpecInfo(_M):
    """A documented default model specification."""

    id: str
    key: str
    dataset: str
    question: str
    outcome: str
    covariates: list[str]
    cluster: str
    definition: str
    identifies: list[str]
    cannot_identify: list[str]


class SpecsParams(Params):
    """The default specifications of one data set (all when absent)."""

    dataset: str | None = Field(None, min_length=1, max_length=40, description="gsdb, ties or eusanct.")


class EvidenceSpecs(Answer):
    """The documented default model specifications: (a) goal type, (b) US alone vs multilateral, (c) China."""

    question: Literal["evidence.specs"] = "evidence.specs"
    specs: list[SpecInfo]


@question("evidence.specs", params=SpecsParams, answer=EvidenceSpecs, cli=("evidence", "specs"),
          http=("GET", "/api/evidence/specs"), summary="The documented default logit specifications",
          examples=[Example({}, []), Example({"dataset": "ties"}, ["--dataset", "ties"])])
def specs(p: SpecsParams) -> EvidenceSpecs:
    """The default specifications (``evidence model --spec a|b|c``) for every data set or ``p.dataset``."""
    return EvidenceSpecs(specs=[SpecInfo(**s) for s in default_specs(p.dataset)],
                         defaults=[Stated(name="model", value="logit with cluster-robust (by target) standard "
                                                              "errors and average marginal effects",
                                          source="default")])


class ModelParams(_Dataset, _Filters):
    """A default specification (``spec``) or an outcome and covariates, the filters, and the standard errors."""

    spec: Literal["a", "b", "c"] | None = Field(None, description="Default specification: a (goal type), b (US "
                                                                  "alone vs multilateral), c (China involved; "
                                                                  "gsdb, ties).")
    outcome: str | None = Field(None, min_length=1, max_length=40,
        description="Outcome: success (default: the data set's "
                                                                 "headline share), success_total (gsdb), "
                                                                 "success_threat (ties), success_own (eusanct).")
    covariates: list[str] | None = Field(None, max_length=12, description="Covariates (a comma list on the CLI): "
                                                                          "multilateral, us_sender, sender_group, "
                                                                          "goal_class, goal_proliferation_military, "
                                                                          "decade, post_cold_war, china_involved.")
    cluster: Literal["target", "case", "none"] = Field("target", description="Cluster-robust SEs by 'target' or "
                                                                             "'case', or 'none' for HC1.")

    @field_validator("spec", "cluster", mode="before")
    @classmethod
    def _lower(cls, v: object) -> object:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("covariates", mode="before")
    @classmethod
    def _split(cls, v: object) -> object:
        if isinstance(v, str):
            v = [v]
        if isinstance(v, list | tuple):
            out = [c.strip() for x in v for c in (x.split(",") if isinstance(x, str) else [x])]
            return [c for c in out if c != ""] or None
        return v

    @model_validator(mode="after")
    def _spec_or_covariates(self) -> ModelParams:
        if self.spec is None and not self.covariates:
            raise ValueError("give spec (a, b or c) or covariates (see `evidence specs`)")
        if self.spec is not None and self.covariates:
            raise ValueError("give a spec or covariates, not both")
        return self


class Coefficient(_M):
    """One logit coefficient with its robust standard error, z, p, 95 % CI and odds ratio."""

    term: str
    coef: float
    se: float
    z: float
    p: float
    ci95: list[float]
    odds_ratio: float


class MarginalEffect(_M):
    """An average marginal effect (change in probability, fraction 0-1) with SE, z, p and 95 % CI."""

    term: str
    covariate: str
    level: str | None
    reference: str | None
    ame: float
    se: float
    z: float
    p: float
    ci95: list[float]
    method: str


class Term(_M):
    """A covariate as it entered the design: kind, reference level, design columns and counts per level."""

    covariate: str
    kind: str
    columns: list[str]
    reference: str | None = None
    levels: list[str] | None = None
    counts: dict[str, int] | None = None


class Coverage(_M):
    """How a constructed covariate covers the sample (china_involved: the China-TIES join)."""

    join: str
    china_ties_files: dict[str, str]
    cross_referenced_ids: int
    cross_referenced_ids_found: int
    cross_referenced_with_china_in_own_coding: int
    used: bool
    rows_own_coding: int
    rows: int
    rows_involved: int
    rows_cross_referenced: int | None = None
    rows_added_by_cross_reference: int | None = None
    note: str | None = None


class EvidenceModel(Answer):
    """A logit of an outcome on named covariates: estimates with robust SEs and 95 % CIs, average marginal effects,
    the sample, and what the specification can and cannot identify. Associations, not causes."""

    question: Literal["evidence.model"] = "evidence.model"
    dataset: str
    title: str
    files: list[DataFile]
    rows_excluded_by_loader: int
    spec: SpecInfo | None
    unit: str
    filters: Filters
    rows: int = Field(description="Rows after the filters.")
    rows_with_outcome: int
    definitions: dict[str, str] = Field(description="Each variable's definition.")
    coverage: dict[str, Coverage]
    outcome: str
    covariates: list[str]
    n: int = Field(description="Rows in the fit (outcome and every covariate coded).")
    events: int
    non_events: int
    rows_dropped_missing: dict[str, int] = Field(description="Rows left out because the variable is missing.")
    parameters: int
    events_per_parameter: float
    pseudo_r2: float
    pseudo_r2_kind: str
    aic: float
    llf: float
    llnull: float
    llr_p: float
    converged: bool
    iterations: int
    covariance: str
    clusters: int | None
    terms: list[Term]
    coefficients: list[Coefficient]
    ame: list[MarginalEffect]
    warnings: list[str]
    summary: list[str]
    identifies: list[str]
    cannot_identify: list[str]
    sources: list[Citation]


@question("evidence.model", params=ModelParams, answer=EvidenceModel, cli=("evidence", "model"),
          http=("GET", "/api/evidence/model"), cache=0, heavy=True,
          summary="Logit of a sanctions outcome on named covariates (robust SEs, average marginal effects)",
          examples=[Example({"dataset": "ties", "spec": "b"}, ["--dataset", "ties", "--spec", "b"])])
def model(p: ModelParams) -> EvidenceModel:
    """Logistic regression of ``p.outcome`` (default ``success``: the data set's headline share as 0/1) on the
    covariates of ``p.spec`` or ``p.covariates``, with cluster-robust or HC1 standard errors, average marginal
    effects, a plain-language summary and what the data can and cannot identify."""
    if p.goal:
        raise InvalidInput("goal applies to base rates only; use issue or objective")
    ds = check_dataset(p.dataset)
    cb = codebook(ds)
    ld = load_dataset(ds)
    files = _data_files(ld.files)
    res = fit(ds, outcome=p.outcome, covariates=p.covariates, spec_id=p.spec, path=path_override(),
              sender=p.sender, target=p.target, objective=p.objective, issue=p.issue, since=p.since, until=p.until,
              sanction_type=p.sanction_type, multilateral=p.multilateral, include_ongoing=p.include_ongoing,
              hse_threshold=p.hse_threshold, cluster=p.cluster)
    res["files"] = files
    res["sources"] = _citations(cb.sources)
    res.setdefault("rows_excluded_by_loader", ld.excluded)
    filt = ", ".join(k for k, v in res["filters"].items() if v is not None and k != "period_rule")
    stated = [_dataset_stated(cb), *_stated_files(cb, files), _where(),
              Stated(name="outcome", value=f"{res['outcome']}: {res['definitions'][res['outcome']]}",
                     source="given" if p.outcome else "default",
                     note=cb.headline.why if res["outcome"] == "success" else None),
              Stated(name="specification", value=(f"{res['spec']['key']}: " if res["spec"] else "")
                     + f"logit of {res['outcome']} on {', '.join(res['covariates'])}",
                     source="given"),
              Stated(name="standard_errors", value=res["covariance"],
                     source="given" if "cluster" in _given(p) else "default"),
              Stated(name="sample", value=f"{res['n']} {res['unit']}s in the fit ({res['events']} with "
                                          f"{res['outcome']} = 1) of {res['rows']} rows"
                                          + (f" after filters ({filt})" if filt else ""), source="data"),
              *stated_data("codebooks")]
    return EvidenceModel(**{k: v for k, v in res.items() if k in EvidenceModel.model_fields}, defaults=stated,
                         notes=["Associations in observational data, not causal effects."])


# --------------------------------------------------------------------------------------------- evidence.findings


class FindingsParams(Params):
    """No parameters: the shipped findings table, each beside our share from the data files found."""


class FindingValueOut(_M):
    """One published number (shares as fractions 0-1)."""

    label: str
    unit: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    stated: str | None = None
    sources: list[str]
    unverified: bool
    note: str | None = None
    counts_share: float | None = None


class SampleOut(_M):
    """What a finding was computed on."""

    dataset: str
    cases: int | None = None
    period: str | None = None
    note: str | None = None


class SourceRefOut(_M):
    """A source of a finding with where in it (locator)."""

    id: str
    locator: str | None = None


class Reference(SourceRefOut):
    """A source with its bibliography entry."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    kind: str | None = None


class VerificationOut(_M):
    """Whether a finding was confirmed and how."""

    status: str
    basis: str
    checked: str


class ComputedGroup(ShareRate):
    """Our share in one group of the comparison's split."""

    group: bool | int | str | None
    label: str


class Alternative(ShareRate):
    """Our share under the alternative definition (GSDB: ongoing pairs kept)."""

    definition: str


class Computed(_M):
    """Our comparable share (``status: ok``), or why there is none (``missing``: the file is not installed, with
    who publishes it; ``error``: the file did not load)."""

    status: Literal["ok", "missing", "error"]
    dataset: str | None = None
    title: str | None = None
    message: str | None = None
    publisher: str | None = None
    obtain: str | None = None
    url: str | None = None
    usual_names: list[str] | None = None
    label: str | None = None
    k: int | None = None
    n: int | None = None
    share: float | None = None
    ci95: list[float] | None = None
    definition: str | None = None
    unit: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    filters: dict[str, str] = Field(default_factory=dict)
    by: str | None = None
    groups: list[ComputedGroup] | None = None
    alternative: Alternative | None = None


class ComparisonOut(_M):
    """Which of our shares to read beside the finding, why the two differ, and our share."""

    dataset: str
    measure: str
    by: str | None
    sender: str | None
    why_differs: str
    computed: Computed


class FindingOut(_M):
    """One published finding: values, definition of success, sample, sources, verification, our comparison."""

    id: str
    title: str
    kind: str
    finding: str
    values: list[FindingValueOut]
    definition: str
    unit_of_analysis: str
    sample: SampleOut
    sources: list[SourceRefOut]
    verification: VerificationOut
    unverified: bool
    partly_unverified: bool
    compare_with: list[ComparisonOut]
    note: str | None = None
    references: list[Reference]


class EvidenceFindings(Answer):
    """The published findings on whether sanctions work, each beside our comparable computed share."""

    question: Literal["evidence.findings"] = "evidence.findings"
    count: int
    unverified: int
    findings: list[FindingOut]
    data_files_missing: list[MissingInfo]


FileKey = tuple[tuple[str, str, int, int], ...]


def _computed(c: dict[str, Any], keys: dict[str, FileKey | None]) -> dict[str, Any]:
    ds = c["dataset"].replace("_", "-")
    measure: str = c["measure"]
    sender: str | None = c.get("sender") or None
    filters: dict[str, str] = {"sender": sender} if sender else {}
    by: str | None = c.get("by")
    if keys.get(ds) is None:
        m = missing_entry(ds)
        return {"status": "missing", **m,
                "message": f"{m['title']} is not installed: it is provided by {m['publisher']}; {m['obtain']}."}
    res = base_rates(ds, by=by, sender=sender)
    d = res["definition"]
    out: dict[str, Any] = {
        "status": "ok", "dataset": ds, "title": res["title"], "label": measure, **res["rates"][measure],
        "definition": d["name"], "unit": d["unit"], "numerator": d["rates"][measure]["numerator"],
        "denominator": d["rates"][measure]["denominator"], "filters": filters, "by": by,
    }
    if by:
        out["groups"] = [{"group": g["group"], "label": g["label"], **g["rates"][measure]} for g in res["groups"]]
    if ds == "gsdb":
        alt = base_rates(ds, include_ongoing=True, sender=sender)
        out["alternative"] = {"definition": alt["definition"]["name"], **alt["rates"][measure]}
    return out


@lru_cache(maxsize=8)
def _findings(keys: tuple[tuple[str, FileKey | None], ...], where: str) -> str:
    res = findings_to_dict(bib=bibliography())
    by_ds = dict(keys)
    for f in res["findings"]:
        for c in f["compare_with"]:
            try:
                c["computed"] = _computed(c, by_ds)
            except EquilibriumError as exc:  # a file that does not validate: say so, keep the finding
                c["computed"] = {"status": "error", "message": str(exc).splitlines()[0]}
    return EvidenceFindings(count=res["count"], unverified=res["unverified"],
                            findings=[FindingOut(**f) for f in res["findings"]],
                            data_files_missing=[]).model_dump_json()


@question("evidence.findings", params=FindingsParams, answer=EvidenceFindings, cli=("evidence", "findings"),
          http=("GET", "/api/evidence/findings"), cache=0,
          summary="Published findings on whether sanctions work, beside our computed shares",
          examples=[Example({}, [])])
def findings(p: FindingsParams) -> EvidenceFindings:
    """Each published finding with its values, the definition of success its authors used, its sample, citations
    and verification, and for every ``compare_with`` our ``computed`` share (n, 95 % Wilson interval, definition)
    — or, when the data file is absent, ``status: missing`` with the publisher and how to obtain it."""
    keys = tuple((d, _file_key(d)) for d in DATASETS)
    ans = EvidenceFindings.model_validate_json(_findings(keys, str(path_override())))
    missing = [d for d, k in keys if k is None]
    ans.data_files_missing = [MissingInfo(**missing_entry(d)) for d in missing]
    stated = [Stated(name="findings", value=f"{findings_file().name}: {ans.count} findings, {ans.unverified} "
                                             "unverified", source="data"), _where()]
    for d, k in keys:
        if k is not None:
            cb = codebook(d)
            stated += [_dataset_stated(cb), *_stated_files(cb, _data_files(locate(d)))]
    stated += [Stated(name="success", value="our share is the one each finding's compare_with names, under the "
                                            "data set's default definition; the finding's own definition is in "
                                            "its `definition`", source="default"),
               *stated_data("codebooks", "bibliography")]
    ans.defaults = stated
    if missing:
        ans.notes = [f"Not installed: {', '.join(missing)}; their comparable shares are not computed."]
    return ans
