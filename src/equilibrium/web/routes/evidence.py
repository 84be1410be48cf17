"""Evidence from published sanctions data sets (GSDB R3, TIES v4, EUSANCT, China-TIES) and published findings.

The data files are not shipped: they are found under ``$EQUILIBRIUM_DATA_DIR`` (never from a path given over HTTP).
When a data set's file is absent the answer is a 409 problem (:class:`DataFileMissing`) naming the file, who
publishes it and how to obtain it; the published findings (``/api/evidence/findings``) ship with the product and are
always answered, with our comparable figure where the file is present and the same note where it is not.

Answers are cached per process on the files' path, size and modification time (the loaders cache the tidy tables
the same way), so a replaced file is read again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Query

from equilibrium.errors import EquilibriumError, InvalidInput
from equilibrium.web.problems import API_PROBLEMS, problem_responses

router = APIRouter(prefix="/api/evidence", tags=["evidence"], responses={**API_PROBLEMS, **problem_responses(409)})

HEADLINE: dict[str, str] = {
    "gsdb": "success_any_share",
    "ties": "imposed_target_acquiesced_share",
    "eusanct": "hse_success_share",
    "china-ties": "imposed_target_acquiesced_share",
}
"""The share each data set's panel shows first (any share of the definition can be asked for)."""

BY_CHOICES: dict[str, tuple[str, ...]] = {
    "gsdb": ("objective", "decade", "sender", "target", "multilateral"),
    "ties": ("issue", "decade", "sender", "target", "multilateral"),
    "eusanct": ("issue", "decade", "sender", "target", "multilateral"),
    "china-ties": ("role", "issue", "decade", "sender", "target", "multilateral"),
}
"""The ``by`` groupings that make sense for each data set (``objective`` is GSDB's name for the issue)."""

FileKey = tuple[tuple[str, str, int, int], ...]


class DataFileMissing(EquilibriumError):
    """A data set whose file is not under ``$EQUILIBRIUM_DATA_DIR``: 409 with who publishes it and how to get it."""

    status = 409
    title = "Data file missing"

    def __init__(self, datasets: list[str], message: str) -> None:
        self.datasets = datasets
        super().__init__(message)

    def to_problem(self) -> dict[str, object]:
        from equilibrium.settings import get_settings

        body = super().to_problem()
        body["code"] = "data-file-missing"
        body["missing"] = [missing_entry(ds) for ds in self.datasets]
        if len(self.datasets) == 1:
            one = missing_entry(self.datasets[0])
            body.update({k: v for k, v in one.items() if k != "title"}, dataset_title=one["title"])
        data_dir = get_settings().data_dir
        body["data_dir"] = str(data_dir) if data_dir else None
        return body


def missing_entry(ds: str) -> dict[str, Any]:
    """Who publishes ``ds``, how to obtain it and the file names looked for (JSON-ready)."""
    from equilibrium.evidence.codebooks import codebook

    cb = codebook(ds)
    return {"dataset": ds, "title": cb.title, "publisher": cb.publisher, "obtain": cb.obtain, "url": cb.url,
            "usual_names": [n for lay in cb.layouts for n in lay.files]}


def file_key(dataset: str) -> tuple[str, FileKey]:
    """``(dataset, ((role, path, size, mtime_ns), ...))`` of the data set's file(s); :class:`DataFileMissing`
    when they are not found."""
    from equilibrium.evidence.codebooks import check_dataset
    from equilibrium.evidence.loaders import locate

    ds = check_dataset(dataset)
    try:
        files = locate(ds)
    except InvalidInput as exc:
        raise DataFileMissing([ds], str(exc)) from None
    key = tuple(sorted((r or "", str(p), p.stat().st_size, p.stat().st_mtime_ns) for r, p in files.items()))
    return ds, key


def _try_key(ds: str) -> FileKey | None:
    try:
        return file_key(ds)[1]
    except DataFileMissing:
        return None


# ------------------------------------------------------------------------------------------------- datasets


@router.get("/datasets", summary="The evidence data sets: files found, codebook, definition, shares")
def datasets() -> dict[str, Any]:
    """For each data set: ``found`` and its ``files``, or ``message`` with the publisher and how to obtain it;
    its codebook summary, default ``definition`` (the shares it computes), the ``headline`` share and the ``by``
    groupings offered."""
    from equilibrium.evidence import datasets as run
    from equilibrium.evidence.rates import definition

    res = run()
    for ds, entry in res["datasets"].items():
        entry["definition"] = definition(ds).to_dict()
        entry["headline"] = HEADLINE[ds]
        entry["by"] = list(BY_CHOICES[ds])
        if not entry["found"]:
            entry["missing"] = missing_entry(ds)
    return res


# ----------------------------------------------------------------------------------------------- base rates


@lru_cache(maxsize=256)
def _base_rates(ds: str, key: FileKey, params: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    from equilibrium.evidence.rates import base_rates as run

    return run(ds, **dict(params))


@router.get("/base-rate", summary="Outcome shares of a data set with n and 95 % Wilson intervals")
def base_rate(
    dataset: Annotated[str, Query(min_length=1, max_length=40, description="gsdb, ties, eusanct or china-ties")],
    sender: Annotated[str | None, Query(max_length=80, description="Country name, ISO3, COW code, EU or UN")] = None,
    target: Annotated[str | None, Query(max_length=80, description="Country name, ISO3 or COW code")] = None,
    objective: Annotated[str | None, Query(max_length=80, description="GSDB objective, e.g. democracy")] = None,
    issue: Annotated[str | None, Query(max_length=80, description="Issue code, slug or label")] = None,
    since: Annotated[int | None, Query(ge=1800, le=2100, description="Start year, inclusive")] = None,
    until: Annotated[int | None, Query(ge=1800, le=2100, description="Start year, inclusive")] = None,
    sanction_type: Annotated[str | None, Query(max_length=80, description="Sanction type slug")] = None,
    multilateral: Annotated[bool | None, Query(description="Only multilateral (true) or unilateral (false)")] = None,
    role: Annotated[str | None, Query(max_length=10, description="China-TIES: sender or target")] = None,
    by: Annotated[str | None, Query(max_length=20, description="objective|issue, decade, sender, target, role, "
                                                               "multilateral")] = None,
    include_ongoing: Annotated[bool, Query(description="GSDB: ongoing pairs count as not successful")] = False,
    threats: Annotated[str, Query(max_length=10, description="TIES family: all or concluded")] = "all",
    hse_threshold: Annotated[int, Query(ge=1, le=16, description="EUSANCT: HSE score counted as success")] = 9,
) -> dict[str, Any]:
    """What ``equilibrium evidence base-rate --json`` prints, plus ``headline`` (the share shown first). A missing
    data file answers 409 with the publisher and how to obtain it; an unknown country, objective or grouping 404
    with ``suggestions``."""
    ds, key = file_key(dataset)
    params = {"sender": sender or None, "target": target or None, "objective": objective or None,
              "issue": issue or None, "since": since, "until": until, "sanction_type": sanction_type or None,
              "multilateral": multilateral, "role": role or None, "by": by or None,
              "include_ongoing": include_ongoing, "threats": threats, "hse_threshold": hse_threshold}
    res = _base_rates(ds, key, tuple(params.items()))
    return {**res, "headline": HEADLINE[ds]}


# ---------------------------------------------------------------------------------------------------- cases


@lru_cache(maxsize=64)
def _cases(target: str, dataset: str | None, role: str, keys: tuple[tuple[str, FileKey | None], ...]
           ) -> dict[str, Any]:
    from equilibrium.evidence.episodes import cases as run

    return run(target, dataset=dataset, role=role)


@router.get("/cases", summary="A country's episodes in every data set, linked to the curated record")
def cases(
    target: Annotated[str, Query(min_length=1, max_length=60, description="ISO3, name or COW code, e.g. PAK")],
    dataset: Annotated[str | None, Query(max_length=40, description="Only this data set")] = None,
    role: Annotated[str, Query(max_length=10, description="any, target or sender")] = "any",
) -> dict[str, Any]:
    """``{"country", "count", "cases": [...], "datasets": {...}}`` as ``equilibrium evidence cases --json``; each
    data set not found says who publishes it and how to obtain it (``missing``). With ``dataset`` whose file is
    absent, or when no file is found at all, 409."""
    from equilibrium.evidence.codebooks import DATASETS
    from equilibrium.evidence.countries import resolve

    if role not in ("any", "target", "sender"):
        raise InvalidInput(f"role must be any, target or sender, not {role!r}")
    code = resolve(target).code
    if dataset:
        ds, key = file_key(dataset)
        keys: tuple[tuple[str, FileKey | None], ...] = ((ds, key),)
    else:
        ds = None
        keys = tuple((d, _try_key(d)) for d in DATASETS)
        if all(k is None for _, k in keys):
            raise DataFileMissing(list(DATASETS), "no evidence data set found under EQUILIBRIUM_DATA_DIR: each file "
                                                  "must be obtained from its publisher (see `missing`)")
    res = _cases(code, ds, role, keys)
    per = {d: ({**v, "missing": missing_entry(d)} if not v.get("found") else v) for d, v in res["datasets"].items()}
    return {**res, "datasets": per}


# ------------------------------------------------------------------------------------------------- findings

def _computed(c: dict[str, Any], keys: dict[str, FileKey | None]) -> dict[str, Any]:
    """Our share for a finding's ``compare_with`` entry (its ``measure``, split ``by`` and restricted to a ``sender``
    as it says), with n, 95 % Wilson interval and definition, or why there is none."""
    ds = c["dataset"].replace("_", "-")
    measure: str = c["measure"]
    filters: dict[str, Any] = {"sender": c["sender"]} if c.get("sender") else {}
    by: str | None = c.get("by")
    key = keys.get(ds)
    if key is None:
        m = missing_entry(ds)
        return {"status": "missing", "dataset": ds, **m,
                "message": f"{m['title']} is not installed: it is provided by {m['publisher']}; {m['obtain']}."}
    params = {"by": by, **filters}
    res = _base_rates(ds, key, tuple(sorted(params.items())))
    d = res["definition"]
    out: dict[str, Any] = {
        "status": "ok", "dataset": ds, "title": res["title"], "rates": [measure], "label": measure,
        **res["rates"][measure], "definition": d["name"], "unit": d["unit"],
        "numerator": d["rates"][measure]["numerator"], "denominator": d["rates"][measure]["denominator"],
        "filters": filters, "by": by,
    }
    if by:
        out["groups"] = [{"group": g["group"], "label": g["label"], **g["rates"][measure]} for g in res["groups"]]
    if ds == "gsdb":
        alt = _base_rates(ds, key, tuple(sorted({**params, "by": None, "include_ongoing": True}.items())))
        out["alternative"] = {"definition": alt["definition"]["name"], **alt["rates"][measure]}
    return out


@lru_cache(maxsize=8)
def _findings(keys: tuple[tuple[str, FileKey | None], ...]) -> dict[str, Any]:
    from equilibrium.evidence.findings import to_dict
    from equilibrium.provenance import bibliography

    res = to_dict(bib=bibliography())
    by_ds = dict(keys)
    for f in res["findings"]:
        for c in f["compare_with"]:
            try:
                c["computed"] = _computed(c, by_ds)
            except EquilibriumError as exc:  # a file that does not validate: say so, keep the finding
                c["computed"] = {"status": "error", "message": str(exc).splitlines()[0]}
    return res


@router.get("/findings", summary="Published findings on whether sanctions work, beside our computed shares")
def findings() -> dict[str, Any]:
    """``{"findings": [...], "count", "unverified"}``: each finding with its published values, the definition of
    success its authors used, its sample and citations (``references``), whether it is verified, and for every
    ``compare_with`` our ``computed`` share (with n, 95 % Wilson interval and definition) — or, when the data
    file is absent, ``status: "missing"`` with the publisher and how to obtain it."""
    from equilibrium.evidence.codebooks import DATASETS

    keys = tuple((d, _try_key(d)) for d in DATASETS)
    res = _findings(keys)
    missing = [d for d, k in keys if k is None]
    return {**res, "data_files_missing": [missing_entry(d) for d in missing]}
