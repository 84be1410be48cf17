"""Logistic regressions of sanction outcomes on episode features, with robust standard errors, average marginal
effects (AMEs) and a plain-language summary — associations in observational data, never causal effects.

:func:`fit` builds the named variables below from a data set's tidy table (:func:`equilibrium.evidence.load`),
keeps the rows where the outcome and every covariate are coded, and fits a logit (statsmodels ``Logit``) with
HC1 or cluster-robust (by target, or by case) standard errors. :func:`fit_frame` is the fitting core on any
DataFrame. :func:`default_specs` lists the documented specifications for the commentaries' three questions.

**Outcomes** (1/0; missing — the row is left out — where the row is not in the denominator of the data set's
default base-rate definition, :func:`equilibrium.evidence.rates.definition`; the masks are reused, not redefined):

* ``success`` — GSDB: ``success_any_share`` (success_total or success_part, over concluded case-objective pairs;
  ``include_ongoing`` keeps ongoing pairs as failures); TIES: ``imposed_target_acquiesced_share`` (final outcome 6
  or 7 over imposed cases with a final outcome 6-10); EUSANCT: ``hse_success_share`` (HSEscore ≥ 9, the PIIE rule;
  ``hse_threshold`` changes 9).
* ``success_total`` (GSDB: total success only), ``success_threat`` (TIES: ``threat_target_acquiesced_share``,
  threat-stage outcomes 1 or 2 over threats never imposed), ``success_own`` (EUSANCT's own ``success`` variable).

**Covariates** (missing where the input is missing):

* ``multilateral`` — the tidy ``multilateral`` flag (more than one sender, or the EU/UN as sender; GSDB
  ``sender_mult``).
* ``us_sender`` — the United States (``USA``) is among the senders (the primary sender where the tidy senders are
  empty; missing when neither is known — TIES rows whose only sender is an institution the codebook does not
  list).
* ``sender_group`` — categorical, reference ``us_alone`` (the US the only sender, not multilateral);
  ``us_multilateral`` (the US among several senders or with the EU/UN); ``no_us`` (the US not a sender).
* ``goal_class`` — categorical on the primary goal (TIES/EUSANCT ``issue1``; GSDB: the pair's objective),
  reference ``modest_policy``; codes per class in :data:`GOAL_CLASSES`.
* ``goal_proliferation_military`` — 1 when the primary goal is in the ``military_proliferation`` class, 0 for any
  other coded goal.
* ``decade`` — categorical decade of the start year, reference the earliest decade in the sample.
* ``post_cold_war`` — the episode started in 1991 or later.
* ``china_involved`` — China is a sender or a target in the data set's own coding (``CHN`` in senders/targets),
  or (TIES) China-TIES cross-references the case: TIES ``caseid`` = ``TIES_code`` of the China-as-sender file or
  ``TIES Code`` of the China-as-target file. On the real files the 57 cross-referenced TIES cases all have China
  as a party in TIES's own coding already (4 of them with the other role), so the join adds no case; it is kept
  and its coverage reported. GSDB: own coding only — CES v1's ``GSDB_code`` refers to an earlier GSDB release (only
  1 of its 44 ids points to an R3 case with China as a sender), so it is checked and reported, not joined.
  EUSANCT: not available (China-TIES gives only a 0/1 EUSANCT flag, no case id; 7 EUSANCT cases have China as
  target). China as a party is not third-party (black-knight) support.

Not available: ``black_knight`` (no data set here codes third-party support for the target; HSE's black-knight
variable is not in any of these files), ``target_democracy`` and ``cost_target`` (TIES' ``targetcosts`` /
``anticipatedtargetcosts`` are in the raw file but not in the tidy table; only China-TIES codes
``democracy_target``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from equilibrium.errors import EquilibriumError, InvalidInput, NotFound
from equilibrium.evidence.codebooks import check_dataset, codebook
from equilibrium.evidence.loaders import load_dataset, locate, read_table
from equilibrium.evidence.rates import apply_filters, cite, definition

MODEL_DATASETS: tuple[str, ...] = ("gsdb", "ties", "eusanct")
"""Data sets :func:`fit` accepts."""

GOAL_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "ties": {
        "military_proliferation": ("contain_military_behavior", "end_proliferation", "deny_strategic_materials",
                                   "territorial_dispute"),
        "regime_change": ("destabilize_regime",),
        "trade_practices": ("trade_practices",),
        "modest_policy": ("contain_political_influence", "release_citizens_property", "alliance_choice",
                          "human_rights", "end_support_nonstate_actors", "drug_trafficking", "environmental_policies",
                          "economic_reform", "other"),
    },
    "eusanct": {
        "military_proliferation": ("contain_military_behavior", "end_proliferation", "deny_strategic_materials",
                                   "territorial_dispute"),
        "regime_change": ("leadership_change",),
        "modest_policy": ("contain_political_influence", "release_citizens_property", "alliance_choice",
                          "human_rights", "end_support_nonstate_actors", "drug_trafficking", "constitutional_order",
                          "election_fraud", "other"),
    },
    "gsdb": {
        "military_proliferation": ("end_war", "prevent_war", "territorial_conflict"),
        "regime_change": ("destab_regime",),
        "modest_policy": ("policy_change", "human_rights", "democracy", "terrorism", "other"),
    },
}
"""Goal classes of ``goal_class``: class → the codebook slugs of the primary goal (every slug in exactly one class).
TIES keeps trade disputes apart (681 of its 1,412 cases; HSE and Pape leave trade disputes out of foreign-policy
sanctions). GSDB has no proliferation objective: nuclear cases fall under policy_change or prevent_war."""

_GOAL_LABELS = {"military_proliferation": "military or proliferation goals", "regime_change": "regime-change goals",
                "trade_practices": "trade-practice disputes", "modest_policy": "modest policy-change goals"}

UNAVAILABLE: dict[str, str] = {
    "black_knight": "no data set here codes third-party support for the target (HSE's black-knight variable is not "
                    "in GSDB, TIES, EUSANCT or China-TIES); the nearest is china_involved (China as a sender or "
                    "target), which is not third-party support",
    "target_democracy": "not in the tidy tables of GSDB, TIES or EUSANCT (only China-TIES codes democracy_target)",
    "cost_target": "TIES' targetcosts / anticipatedtargetcosts are in the raw file but not in the tidy table",
}
"""Variables the commentaries ask about that these data cannot supply, and why."""


# ------------------------------------------------------------------------------------------------- variables


@dataclass(frozen=True)
class Var:
    """A named model variable: how it is built from the tidy table, and the words used to report it."""

    name: str
    role: str  # outcome | covariate
    kind: str  # binary | categorical | numeric
    datasets: tuple[str, ...]
    definition: Callable[[str], str]
    build: Callable[[pd.DataFrame, str, dict[str, Any]], pd.Series]
    phrase: str = ""  # binary: the '1' group; numeric: the unit; outcome: 'the probability of ...'
    contrast: str = ""  # binary: the '0' group
    reference: str | None = None  # categorical: reference level (None: earliest)
    levels: dict[str, str] = field(default_factory=dict)  # categorical: level → phrase


def _rate_outcome(rate: str) -> Callable[[pd.DataFrame, str, dict[str, Any]], pd.Series]:
    def build(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
        r = _rate(ds, rate, ctx)
        den, num = r.den(df), r.num(df)
        return num.astype("Int64").where(den, pd.NA)
    return build


def _rate(ds: str, name: str, ctx: dict[str, Any]) -> Any:
    opts: dict[str, Any] = {}
    if ds == "gsdb":
        opts["include_ongoing"] = bool(ctx.get("include_ongoing"))
    if ds == "eusanct":
        opts["hse_threshold"] = int(ctx.get("hse_threshold", 9))
    d = definition(ds, **opts)
    for r in d.rates:
        if r.name == name:
            return r
    raise KeyError(name)  # pragma: no cover - the names are fixed below


def _success(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    """The data set's headline share (its codebook's ``headline``) as a 0/1 outcome."""
    return _rate_outcome(codebook(ds).headline.rate)(df, ds, ctx)


def _success_def(ds: str) -> str:
    return {"gsdb": "GSDB success_total or success_part, over concluded case-objective pairs (rates: "
                    "success_any_share of gsdb/concluded-pairs; with include_ongoing, ongoing pairs count as 0)",
            "ties": "TIES final outcome 6 or 7 (target acquiesced partly or totally after imposition), over imposed "
                    "cases with a final outcome 6-10 (rates: imposed_target_acquiesced_share of ties/stages)",
            "eusanct": "EUSANCT HSEscore >= 9 (policy result x sanctions contribution, the PIIE rule), over all "
                       "cases (rates: hse_success_share of eusanct/hse-9; hse_threshold changes 9)"}[ds]


def _flag(col: str) -> Callable[[pd.DataFrame, str, dict[str, Any]], pd.Series]:
    return lambda df, ds, ctx: df[col].astype("boolean").astype("Int64")


def _senders(df: pd.DataFrame) -> list[tuple[str, ...]]:
    """The tidy senders, or the primary sender where the senders are empty (a TIES row whose only sender is an
    institution the codebook does not list, with the primary sender given); empty when neither is known."""
    return [tuple(s) if s else ((p,) if isinstance(p, str) and p else ())
            for s, p in zip(df["senders"], df["primary_sender"], strict=True)]


def _us_sender(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    vals = [pd.NA if not t else int("USA" in t) for t in _senders(df)]
    return pd.Series(vals, index=df.index, dtype="Int64")


def _sender_group(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    out: list[Any] = []
    for senders, multi in zip(_senders(df), df["multilateral"], strict=True):
        if not senders or pd.isna(multi):
            out.append(pd.NA)
        elif "USA" not in senders:
            out.append("no_us")
        else:
            out.append("us_multilateral" if bool(multi) else "us_alone")
    return pd.Series(out, index=df.index, dtype="object")


def _goal_of(ds: str) -> dict[str, str]:
    return {slug: cls for cls, slugs in GOAL_CLASSES[ds].items() for slug in slugs}


def _goal_class(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    m = _goal_of(ds)
    return pd.Series([m.get(x, pd.NA) if isinstance(x, str) else pd.NA for x in df["issue"]], index=df.index,
                     dtype="object")


def _goal_mil(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    g = _goal_class(df, ds, ctx)
    return pd.Series([pd.NA if pd.isna(x) else int(x == "military_proliferation") for x in g], index=df.index,
                     dtype="Int64")


def _goal_def(ds: str) -> str:
    lst = "objective" if ds == "gsdb" else "issue1"
    parts = "; ".join(f"{cls}: {', '.join(slugs)}" for cls, slugs in GOAL_CLASSES[ds].items())
    return f"class of the primary goal ({lst} slug), reference modest_policy. {parts}"


def _decade(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    return pd.Series([pd.NA if pd.isna(y) else f"{int(y) // 10 * 10}s" for y in df["start_year"]], index=df.index,
                     dtype="object")


def _post_cw(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    return df["start_year"].ge(1991).astype("Int64")


def _china(df: pd.DataFrame, ds: str, ctx: dict[str, Any]) -> pd.Series:
    own = [("CHN" in s) or ("CHN" in t) for s, t in zip(df["senders"], df["targets"], strict=True)]
    xref = _china_xref(ds, ctx)
    in_table = set(df["case_id"].astype(str))
    found = xref["ids"] & in_table
    own_ids = {str(c) for c, o in zip(df["case_id"], own, strict=True) if o}
    agree = len(found & own_ids)
    cov: dict[str, Any] = {"join": xref["join"], "china_ties_files": xref["files"],
                           "cross_referenced_ids": len(xref["ids"]), "cross_referenced_ids_found": len(found),
                           "cross_referenced_with_china_in_own_coding": agree, "used": xref["use"],
                           "rows_own_coding": int(sum(own)), "rows": len(df)}
    if xref["use"]:
        cross = [str(c) in xref["ids"] for c in df["case_id"]]
        both = [a or b for a, b in zip(own, cross, strict=True)]
        cov.update({"rows_cross_referenced": int(sum(cross)), "rows_added_by_cross_reference":
                    int(sum(b and not a for a, b in zip(own, cross, strict=True)))})
    else:
        both = own
    cov["rows_involved"] = int(sum(both))
    if xref.get("note"):
        cov["note"] = xref["note"]
    ctx.setdefault("coverage", {})["china_involved"] = cov
    return pd.Series([int(x) for x in both], index=df.index, dtype="Int64")


def _norm_id(x: Any) -> str | None:
    s = str(x).strip()
    if s in ("", ".", "nan", "NA"):
        return None
    try:
        return str(int(float(s)))
    except ValueError:
        return s


def _china_xref(ds: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """China-TIES case ids cross-referenced to ``ds``. TIES: used (TIES_code of the sender file, 'TIES Code' of the
    target file). GSDB: reported but not used — CES v1's GSDB_code refers to an earlier GSDB release (on the R3 file
    only 1 of its 44 ids points to a case with China as a sender)."""
    cb = codebook("china-ties")
    where = ctx.get("china_path")
    if where is None and ctx.get("path") is not None:
        p = Path(ctx["path"]).expanduser()
        where = p if p.is_dir() else p.parent
    use = ds == "ties"
    if ds == "ties":
        join = "TIES caseid = China-TIES TIES_code (China-as-sender file) or 'TIES Code' (China-as-target file)"
        note = None
    else:
        join = "none: China-TIES GSDB_code (sender file) checked against GSDB case_id and not used"
        note = ("China-TIES' GSDB_code refers to an earlier GSDB release: the R3 cases with those ids mostly do not "
                "involve China (see cross_referenced_with_china_in_own_coding), so china_involved uses GSDB's own "
                "sender and target names only")
    try:
        files = locate("china-ties", where)
    except EquilibriumError as exc:
        msg = (f"China-TIES files not found ({exc}); china_involved uses the data set's own coding only")
        ctx.setdefault("warnings", []).append(msg)
        return {"ids": set(), "files": {}, "join": join, "use": False, "note": note}
    cols = {"ties": {"sender": "TIES_code", "target": "TIES Code"}, "gsdb": {"sender": "GSDB_code"}}[ds]
    ids: set[str] = set()
    for role, col in cols.items():
        if role in files:
            raw = read_table(files[role], cb.encodings)
            if col in raw.columns:
                ids |= {i for i in map(_norm_id, raw[col]) if i is not None}
    return {"ids": ids, "files": {str(k): str(v) for k, v in files.items()}, "join": join, "use": use,
            "note": note}


def _china_def(ds: str) -> str:
    if ds == "ties":
        return ("1 when China (CHN) is a sender or the target in TIES's own coding, or China-TIES (CES v1) "
                "cross-references the case (TIES caseid = TIES_code of the China-as-sender file or 'TIES Code' of "
                "the China-as-target file); 0 otherwise. China as a party is not third-party (black-knight) "
                "support.")
    return ("1 when China is among GSDB's senders or targets (its own names); 0 otherwise. China-TIES' GSDB_code is "
            "not used: it refers to an earlier GSDB release and does not match R3 case ids. China as a party is not "
            "third-party (black-knight) support.")


_ALL = ("gsdb", "ties", "eusanct")
VARIABLES: dict[str, Var] = {v.name: v for v in (
    Var("success", "outcome", "binary", _ALL, _success_def, _success, phrase="the probability of success"),
    Var("success_total", "outcome", "binary", ("gsdb",),
        lambda ds: "GSDB success_total over concluded case-objective pairs (rates: success_total_share)",
        _rate_outcome("success_total_share"), phrase="the probability of total success"),
    Var("success_threat", "outcome", "binary", ("ties",),
        lambda ds: "TIES final outcome 1 or 2 (target acquiesced to the threat), over threats never imposed with a "
                   "final outcome 1-5 (rates: threat_target_acquiesced_share)",
        _rate_outcome("threat_target_acquiesced_share"), phrase="the probability of success at the threat stage"),
    Var("success_own", "outcome", "binary", ("eusanct",),
        lambda ds: "EUSANCT's own success variable (success = 1), over cases with success coded (rates: "
                   "success_share)", _rate_outcome("success_share"),
        phrase="the probability of success (EUSANCT's own coding)"),
    Var("multilateral", "covariate", "binary", _ALL,
        lambda ds: "1 when the episode has more than one sender or the EU/UN as sender (GSDB: sender_mult = 1)",
        _flag("multilateral"), phrase="Multilateral episodes", contrast="unilateral episodes"),
    Var("us_sender", "covariate", "binary", _ALL,
        lambda ds: "1 when the United States (USA) is among the senders (the primary sender where the tidy senders "
                   "are empty); missing when no sender is known",
        _us_sender, phrase="Episodes with the US among the senders", contrast="episodes without the US"),
    Var("sender_group", "covariate", "categorical", _ALL,
        lambda ds: "us_alone (reference: the US the only sender, not multilateral), us_multilateral (the US with "
                   "other senders or the EU/UN), no_us (the US not a sender)",
        _sender_group, reference="us_alone",
        levels={"us_alone": "the US acting alone", "us_multilateral": "Episodes with the US in a multilateral effort",
                "no_us": "Episodes without the US"}),
    Var("goal_class", "covariate", "categorical", _ALL, _goal_def, _goal_class, reference="modest_policy",
        levels={k: ("Episodes with " + v if k != "modest_policy" else v) for k, v in _GOAL_LABELS.items()}),
    Var("goal_proliferation_military", "covariate", "binary", _ALL,
        lambda ds: "1 when the primary goal is in the military_proliferation class ("
                   + ", ".join(GOAL_CLASSES[ds]["military_proliferation"]) + "), 0 for any other coded goal",
        _goal_mil, phrase="Episodes with military or proliferation goals", contrast="all other goals"),
    Var("decade", "covariate", "categorical", _ALL,
        lambda ds: "decade of the start year; reference the earliest decade in the sample", _decade),
    Var("post_cold_war", "covariate", "binary", _ALL, lambda ds: "1 when the episode started in 1991 or later",
        _post_cw, phrase="Episodes starting in 1991 or later", contrast="earlier episodes"),
    Var("china_involved", "covariate", "binary", ("gsdb", "ties"), _china_def, _china,
        phrase="Episodes with China as a sender or target", contrast="episodes without China"),
)}
"""The named variables (see the module docstring)."""


def variables(dataset: str | None = None) -> dict[str, dict[str, Any]]:
    """The variables available for ``dataset`` (all when ``None``) with their definitions (JSON-ready)."""
    out: dict[str, dict[str, Any]] = {}
    for v in VARIABLES.values():
        if dataset is not None and dataset not in v.datasets:
            continue
        out[v.name] = {"role": v.role, "kind": v.kind, "datasets": list(v.datasets), "reference": v.reference,
                       "definition": {ds: v.definition(ds) for ds in v.datasets if dataset in (None, ds)}}
    return out


def _check_var(name: str, ds: str, role: str) -> Var:
    key = str(name).strip()
    if key in UNAVAILABLE:
        raise InvalidInput(f"{key} is not available: {UNAVAILABLE[key]}")
    v = VARIABLES.get(key)
    if v is None or v.role != role:
        from rapidfuzz import process

        names = [n for n, x in VARIABLES.items() if x.role == role and ds in x.datasets]
        raise NotFound(role, key, [m for m, _, _ in process.extract(key, names, limit=3)])
    if ds not in v.datasets:
        raise InvalidInput(f"{key} is not defined for {ds} (only for {', '.join(v.datasets)})"
                           + ("; China-TIES gives EUSANCT only a 0/1 flag, no case id to join on"
                              if key == "china_involved" else ""))
    return v


# ---------------------------------------------------------------------------------------------- fitting core


def _fmt_share(x: float) -> str:
    return f"{'+' if x >= 0 else '−'}{abs(100 * x):.1f}"


def _design(data: pd.DataFrame, covariates: Sequence[str], categorical: dict[str, str | None]
            ) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    cols: dict[str, np.ndarray] = {"const": np.ones(len(data))}
    terms: list[dict[str, Any]] = []
    for c in covariates:
        x = data[c]
        if c in categorical:
            levels = sorted({str(v) for v in x})
            ref = categorical[c] or levels[0]
            if len(levels) < 2:
                raise InvalidInput(f"covariate {c} has no variation: every one of the {len(x)} rows is {levels[0]!r}")
            if ref not in levels:
                raise InvalidInput(f"reference level {ref!r} of {c} has no rows in the sample (levels: "
                                   f"{', '.join(levels)})")
            others = [lv for lv in levels if lv != ref]
            names = [f"{c}[{lv}]" for lv in others]
            for lv, nm in zip(others, names, strict=True):
                cols[nm] = (x.astype(str) == lv).to_numpy(dtype=float)
            terms.append({"covariate": c, "kind": "categorical", "reference": ref, "columns": names,
                          "levels": others, "counts": {lv: int((x.astype(str) == lv).sum()) for lv in levels}})
        else:
            v = pd.to_numeric(x, errors="coerce").astype(float)
            if v.isna().any():
                raise InvalidInput(f"covariate {c} is not numeric (e.g. {x[v.isna()].iloc[0]!r}); "
                                   "declare it categorical")
            if v.nunique() < 2:
                raise InvalidInput(f"covariate {c} has no variation: every one of the {len(v)} rows is {v.iloc[0]:g}")
            binary = set(v.unique()) <= {0.0, 1.0}
            cols[c] = v.to_numpy()
            terms.append({"covariate": c, "kind": "binary" if binary else "numeric", "columns": [c],
                          **({"counts": {"1": int((v == 1).sum()), "0": int((v == 0).sum())}} if binary else {})})
    return pd.DataFrame(cols, index=data.index), terms


def _separation(X: pd.DataFrame, y: np.ndarray, outcome: str) -> None:
    for col in X.columns[1:]:
        x = X[col].to_numpy()
        if not set(np.unique(x)) <= {0.0, 1.0}:
            continue
        for val in (1.0, 0.0):
            sel = x == val
            if sel.any() and np.all(y[sel] == y[sel][0]):
                what = f"{col} = {val:g}"
                raise InvalidInput(
                    f"perfect separation: all {int(sel.sum())} rows with {what} have {outcome} = {int(y[sel][0])}, "
                    f"so its coefficient has no finite maximum-likelihood estimate; merge or drop that level, or "
                    "drop the covariate")


def _lp_separation(X: pd.DataFrame, y: np.ndarray, outcome: str) -> None:
    """Complete or quasi-complete separation by any combination of covariates (Konis 2007): a direction ``w`` with
    ``(2y−1)·x'w ≥ 0`` for every row and ``> 0`` for some exists iff the logit MLE does not. Linear programme over
    columns scaled to max |x| = 1, ``w`` in [−1, 1]."""
    from scipy.optimize import linprog

    M = X.to_numpy(dtype=float)
    M = M / np.maximum(np.abs(M).max(axis=0), 1e-12)
    A = (2 * y - 1)[:, None] * M
    res = linprog(c=-A.sum(axis=0), A_ub=-A, b_ub=np.zeros(len(y)), bounds=[(-1, 1)] * M.shape[1], method="highs")
    if res.status == 0 and -res.fun > 1e-4:
        k = int(((A @ res.x) > 1e-6).sum())
        raise InvalidInput(
            f"perfect separation: a combination of the covariates predicts {outcome} exactly for {k} row(s), so the "
            "coefficients have no finite maximum-likelihood estimate; drop or merge covariates (or levels)")


def _linear_dependence(X: pd.DataFrame) -> None:
    rank = np.linalg.matrix_rank(X.to_numpy())
    if rank < X.shape[1]:
        for k in range(2, X.shape[1] + 1):
            if np.linalg.matrix_rank(X.iloc[:, :k].to_numpy()) < k:
                raise InvalidInput(f"the covariates are collinear: column {X.columns[k - 1]} is a linear combination "
                                   f"of the columns before it ({', '.join(X.columns[:k - 1])}); drop one of them")


def _cat_ame(res: Any, X: pd.DataFrame, term: dict[str, Any]) -> list[dict[str, Any]]:
    """Counterfactual AME of each level vs the reference: mean over rows of P(level) − P(reference), with all
    other covariates as observed; delta-method standard error from the (robust) covariance."""
    from scipy.stats import norm

    b = np.asarray(res.params)
    V = np.asarray(res.cov_params())
    base = X.to_numpy(copy=True)
    idx = [list(X.columns).index(c) for c in term["columns"]]
    base[:, idx] = 0.0
    p0 = 1 / (1 + np.exp(-base @ b))
    d0 = (p0 * (1 - p0))[:, None] * base
    out = []
    for lv, j in zip(term["levels"], idx, strict=True):
        x1 = base.copy()
        x1[:, j] = 1.0
        p1 = 1 / (1 + np.exp(-x1 @ b))
        ame = float(np.mean(p1 - p0))
        g = ((p1 * (1 - p1))[:, None] * x1 - d0).mean(axis=0)
        se = float(math.sqrt(max(g @ V @ g, 0.0)))
        z = ame / se if se > 0 else float("nan")
        p = float(2 * norm.sf(abs(z))) if se > 0 else float("nan")
        out.append({"term": X.columns[j], "covariate": term["covariate"], "level": lv,
                    "reference": term["reference"], "ame": ame, "se": se, "z": z, "p": p,
                    "ci95": [ame - 1.959963984540054 * se, ame + 1.959963984540054 * se],
                    "method": "discrete change level vs reference, averaged over the sample (delta method)"})
    return out


def fit_frame(data: pd.DataFrame, outcome: str, covariates: Sequence[str], *,
              categorical: dict[str, str | None] | None = None, robust: str = "HC1",
              groups: pd.Series | None = None, group_label: str = "group") -> dict[str, Any]:
    """Fit ``logit(P(outcome = 1)) = b0 + Σ b·covariates`` on ``data`` (rows with any missing value left out).

    ``categorical`` maps categorical covariates to their reference level (``None``: the first level in sort
    order); other covariates must be numeric (0/1 columns are reported as binary, their AME is the discrete change
    0 → 1). ``robust``: ``HC1`` (sandwich × n/(n−k)), ``HC0`` or ``nonrobust``; ``groups`` (aligned with ``data``)
    makes the standard errors cluster-robust (statsmodels ``cluster`` with its small-sample correction) and
    overrides ``robust``. Raises :class:`InvalidInput` for an outcome or covariate without variation, perfect
    separation, collinear covariates or a fit that fails; weak designs are reported in ``warnings``.
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    categorical = dict(categorical or {})
    covariates = list(dict.fromkeys(covariates))
    if not covariates:
        raise InvalidInput("give at least one covariate")
    missing = [c for c in [outcome, *covariates] if c not in data.columns]
    if missing:
        raise InvalidInput(f"no column(s) {', '.join(missing)} in the data")
    cols = [outcome, *covariates]
    keep = data[cols].notna().all(axis=1)
    if groups is not None:
        keep &= groups.reindex(data.index).notna()
    sub = data.loc[keep, cols]
    dropped = {c: int((data[c].isna() & data[outcome].notna()).sum()) for c in covariates}
    n = len(sub)
    y_raw = pd.to_numeric(sub[outcome], errors="coerce")
    if n == 0:
        raise InvalidInput(f"no rows have {outcome} and every covariate coded")
    if not set(y_raw.unique()) <= {0, 1}:
        raise InvalidInput(f"outcome {outcome} must be 0/1")
    y = y_raw.to_numpy(dtype=float)
    events = int(y.sum())
    if events in (0, n):
        raise InvalidInput(f"outcome {outcome} has no variation: all {n} rows with the outcome and covariates coded "
                           f"have {outcome} = {int(y[0])}; a logit cannot be fitted")
    X, terms = _design(sub, covariates, categorical)
    _linear_dependence(X)
    _separation(X, y, outcome)
    _lp_separation(X, y, outcome)
    k = X.shape[1]
    warn: list[str] = []
    for col in X.columns[1:]:
        x = X[col].to_numpy()
        if set(np.unique(x)) <= {0.0, 1.0}:
            sel = x == 1.0
            ev = int(y[sel].sum())
            if min(ev, int(sel.sum()) - ev) < 10:
                warn.append(f"sparse cell: {int(sel.sum())} rows with {col} = 1, of which {ev} with {outcome} = 1; "
                            f"its estimate rests on very few episodes")
    epp = min(events, n - events) / max(k - 1, 1)
    if epp < 10:
        warn.append(f"too few events: {min(events, n - events)} in the rarer outcome class for {k - 1} parameter(s) "
                    f"({epp:.1f} per parameter, fewer than 10): estimates and intervals may be unreliable")
    if groups is not None:
        g = pd.Series(groups).reindex(sub.index).astype(str)
        codes = pd.factorize(g)[0]
        n_clusters = int(codes.max()) + 1
        fit_kw: dict[str, Any] = {"cov_type": "cluster", "cov_kwds": {"groups": codes, "use_correction": True}}
        cov_label = f"cluster-robust by {group_label} ({n_clusters} clusters)"
        if n_clusters < 30:
            warn.append(f"only {n_clusters} clusters: cluster-robust standard errors may be too small")
    elif robust == "HC1":
        # statsmodels' discrete models give the same sandwich for HC0-HC3; singleton clusters with the small-sample
        # correction give G/(G-1)·(n-1)/(n-k) = n/(n-k), i.e. HC1.
        n_clusters = None
        fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": np.arange(n), "use_correction": True}}
        cov_label = "HC1 (heteroskedasticity-robust sandwich × n/(n−k))"
    elif robust in ("HC0", "nonrobust"):
        n_clusters = None
        fit_kw = {"cov_type": robust}
        cov_label = "HC0 (heteroskedasticity-robust sandwich)" if robust == "HC0" else "model-based (not robust)"
    else:
        raise InvalidInput(f"robust must be HC1, HC0 or nonrobust, not {robust!r}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = sm.Logit(y, X).fit(disp=0, maxiter=200, **fit_kw)
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise InvalidInput(f"the logit could not be fitted: {exc}") from None
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        raise InvalidInput("perfect separation: the covariates predict the outcome exactly for some rows, so the "
                           "coefficients have no finite maximum-likelihood estimate; drop or merge covariates")
    converged = bool(res.mle_retvals.get("converged", False))
    if not converged or any(issubclass(w.category, ConvergenceWarning) for w in caught):
        warn.append("the maximum-likelihood optimisation did not converge; do not rely on these estimates")
    params, bse, pv = np.asarray(res.params), np.asarray(res.bse), np.asarray(res.pvalues)
    ci = np.asarray(res.conf_int(alpha=0.05))
    coefs = [{"term": t, "coef": float(params[i]), "se": float(bse[i]), "z": float(params[i] / bse[i]),
              "p": float(pv[i]), "ci95": [float(ci[i, 0]), float(ci[i, 1])], "odds_ratio": float(np.exp(params[i]))}
             for i, t in enumerate(X.columns)]
    if any(not math.isfinite(c["se"]) for c in coefs):
        warn.append("some standard errors are not finite (near-separation or too few clusters)")
    ames: list[dict[str, Any]] = []
    simple = [c for t in terms if t["kind"] != "categorical" for c in t["columns"]]
    if simple:
        mfx = res.get_margeff(at="overall", method="dydx", dummy=True)
        m_ci = np.asarray(mfx.conf_int(alpha=0.05))
        names = list(X.columns[1:])
        for c in simple:
            j = names.index(c)
            kind = next(t["kind"] for t in terms if c in t["columns"])
            ames.append({"term": c, "covariate": c, "level": None, "reference": None, "ame": float(mfx.margeff[j]),
                         "se": float(mfx.margeff_se[j]), "z": float(mfx.tvalues[j]), "p": float(mfx.pvalues[j]),
                         "ci95": [float(m_ci[j, 0]), float(m_ci[j, 1])],
                         "method": ("discrete change 0 → 1, averaged over the sample" if kind == "binary"
                                    else "derivative dP/dx averaged over the sample")})
    for t in terms:
        if t["kind"] == "categorical":
            ames += _cat_ame(res, X, t)
    order = {c: i for i, c in enumerate(X.columns)}
    ames.sort(key=lambda a: order[a["term"]])
    return {"outcome": outcome, "covariates": covariates, "n": n, "events": events, "non_events": n - events,
            "rows_dropped_missing": dropped, "parameters": k, "events_per_parameter": epp,
            "pseudo_r2": float(res.prsquared), "pseudo_r2_kind": "McFadden", "aic": float(res.aic),
            "llf": float(res.llf), "llnull": float(res.llnull), "llr_p": float(res.llr_pvalue),
            "converged": converged, "iterations": int(res.mle_retvals.get("iterations", 0)),
            "covariance": cov_label, "clusters": n_clusters, "terms": terms, "coefficients": coefs, "ame": ames,
            "warnings": warn}


# ------------------------------------------------------------------------------------------------ summaries


def _sig(a: dict[str, Any]) -> str:
    lo, hi = a["ci95"]
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "its interval could not be computed"
    if lo > 0 or hi < 0:
        p = "p < 0.001" if a["p"] < 0.001 else f"p = {a['p']:.3f}"
        return f"distinguishable from zero at the 5 % level ({p})"
    return "not distinguishable from zero at the 5 % level"


def summarize(result: dict[str, Any], labels: dict[str, Var] | None = None, outcome_phrase: str | None = None
              ) -> list[str]:
    """One plain sentence per AME, with the model's own numbers (``labels`` supply the words for named
    variables; other columns are named as they are)."""
    labels = labels or {}
    n = result["n"]
    op = outcome_phrase or f"the probability that {result['outcome']} = 1"
    out = []
    for a in result["ame"]:
        v = labels.get(a["covariate"])
        if a["level"] is not None:
            who = (v.levels.get(a["level"]) if v else None) or f"{a['covariate']} = {a['level']}"
            ref = (v.levels.get(a["reference"]) if v else None) or str(a["reference"])
            head = f"{who[:1].upper()}{who[1:]} (vs {ref})"
            verb = "have"
        elif v is not None and v.kind == "binary":
            head, verb = f"{v.phrase} (vs {v.contrast})", "have"
        elif v is not None:
            head, verb = f"Each unit of {v.name}", "has"
        else:
            binary = any(t["kind"] == "binary" and a["term"] in t["columns"] for t in result["terms"])
            head, verb = (f"Rows with {a['covariate']} = 1 (vs 0)", "have") if binary else \
                (f"Each unit of {a['covariate']}", "has")
        lo, hi = a["ci95"]
        out.append(f"{head} {verb} an average marginal effect of {_fmt_share(a['ame'])} percentage points on {op} "
                   f"(95 % CI {_fmt_share(lo)} to {_fmt_share(hi)}; n = {n}); {_sig(a)}.")
    return out


# ----------------------------------------------------------------------------------------------- specs


_COMMON_CANNOT = [
    "Selection: senders impose sanctions where they expect them to work (and threaten where a threat suffices), so "
    "the episodes are not a random sample of disputes and the estimates do not say what sanctions would achieve "
    "elsewhere.",
    "These are associations, not causal effects: no covariate is assigned at random and unmeasured features of the "
    "dispute (stakes, the target's resolve, the sender's commitment) can drive both the covariate and the outcome.",
    "Success is the data set's coding of the outcome, not the sanctions' own contribution (except EUSANCT's HSE "
    "score, which includes a coded sanctions contribution).",
]


def default_specs(dataset: str | None = None) -> list[dict[str, Any]]:
    """The documented default specifications for the commentaries' three questions — (a) goal type, (b) unilateral
    US vs multilateral, (c) third-party (black-knight) support, proxied by China's involvement — for each data set
    where their variables exist (all data sets, or only ``dataset``)."""
    out: list[dict[str, Any]] = []
    for ds in MODEL_DATASETS:
        if dataset is not None and check_dataset(dataset) != ds:
            continue
        unit = "case-objective pair" if ds == "gsdb" else "case"
        out.append({
            "id": "a", "key": f"{ds}/a", "dataset": ds,
            "question": "Do sanctions for modest policy change succeed more often than those for military or "
                        "proliferation goals?",
            "outcome": "success", "covariates": ["goal_class", "multilateral"], "cluster": "target",
            "definition": f"Logit of success ({_success_def(ds)}) on goal_class ({_goal_def(ds)}) and multilateral; "
                          f"unit: {unit}; standard errors clustered by target.",
            "identifies": [
                "Whether the coded success rate differs by the class of the primary goal, holding the multilateral "
                "flag fixed, among episodes in this data set.",
            ],
            "cannot_identify": [
                "Whether a goal is harder to achieve by sanctions as such: goals differ in stakes, and senders pick "
                "which goals to pursue by sanctions.",
                *(["GSDB has no proliferation objective: nuclear cases are coded policy_change or prevent_war, so "
                   "'military_proliferation' here means war and territorial goals."] if ds == "gsdb" else []),
                *_COMMON_CANNOT],
        })
        out.append({
            "id": "b", "key": f"{ds}/b", "dataset": ds,
            "question": "Do unilateral US sanctions succeed less often than multilateral ones?",
            "outcome": "success", "covariates": ["sender_group", "goal_proliferation_military"], "cluster": "target",
            "definition": f"Logit of success ({_success_def(ds)}) on sender_group (reference us_alone; "
                          "us_multilateral; no_us) and goal_proliferation_military as a control; "
                          f"unit: {unit}; standard errors clustered by target.",
            "identifies": [
                "Whether episodes where the US acts alone have a different coded success rate from those where it "
                "acts with others, and from those without the US, with the goal's military class held fixed.",
            ],
            "cannot_identify": [
                "The effect of building a coalition: coalitions form for causes many states share and against "
                "targets where cooperation is easy, and multilateral episodes are often larger and longer.",
                *(["EUSANCT covers only EU, US and UN senders: 'no_us' means EU and/or UN without the US."]
                  if ds == "eusanct" else []),
                *(["GSDB rarely lists the US together with co-senders (EU and UN measures are mostly separate "
                   "cases), so the us_multilateral contrast rests on a handful of pairs; see the warnings."]
                  if ds == "gsdb" else []),
                *_COMMON_CANNOT],
        })
        if ds in ("gsdb", "ties"):
            out.append({
                "id": "c", "key": f"{ds}/c", "dataset": ds,
                "question": "Does third-party support for the target (a 'black knight') undermine sanctions?",
                "outcome": "success", "covariates": ["china_involved", "multilateral", "us_sender"],
                "cluster": "target",
                "definition": f"Logit of success ({_success_def(ds)}) on china_involved ({_china_def(ds)}), "
                              f"multilateral and us_sender; unit: {unit}; standard errors clustered by target.",
                "identifies": [
                    "Whether episodes in which China is a party (sender or target) have a different coded success "
                    "rate, with the multilateral flag and US participation held fixed.",
                ],
                "cannot_identify": [
                    "Black-knight support itself: no data set here codes third-party support for the target, and "
                    "China-TIES cross-references mark China as a sender or a target, not as a supporter of "
                    "someone else's target. The data cannot say whether China (or anyone) shielded a target.",
                    "Even a coded black knight would be endogenous: support flows to targets that resist, and "
                    "targets resist when they expect support.",
                    *_COMMON_CANNOT],
            })
    return out


def spec(dataset: str, spec_id: str) -> dict[str, Any]:
    """The default specification ``spec_id`` (a, b or c) for ``dataset``."""
    ds = check_dataset(dataset)
    sid = str(spec_id).strip().lower()
    for s in default_specs(ds if ds in MODEL_DATASETS else None):
        if s["dataset"] == ds and s["id"] == sid:
            return s
    if sid == "c" and ds == "eusanct":
        raise InvalidInput("spec c is not defined for eusanct: China-TIES gives EUSANCT cases only a 0/1 flag, no "
                           "case id to join on, and EUSANCT has no black-knight variable")
    raise NotFound(f"{ds} model spec", spec_id, [s["id"] for s in default_specs() if s["dataset"] == ds])


# ------------------------------------------------------------------------------------------------- fit()


def fit(dataset: str, *, outcome: str | None = None, covariates: Sequence[str] | str | None = None,
        spec_id: str | None = None, df: pd.DataFrame | None = None, path: Any = None, china_path: Any = None,
        sender: str | None = None, target: str | None = None, objective: str | None = None,
        issue: str | None = None, since: Any = None, until: Any = None, sanction_type: str | None = None,
        multilateral: bool | None = None, include_ongoing: bool = False, hse_threshold: int = 9,
        robust: str = "HC1", cluster: str | None = None) -> dict[str, Any]:
    """Logit of a named outcome on named covariates of ``dataset`` (gsdb, ties or eusanct), JSON-ready.

    Give ``spec_id`` (a default specification, :func:`default_specs`) or ``outcome`` and ``covariates`` (a list
    or a comma list). ``df`` is the tidy table (loaded from ``path`` or ``$EQUILIBRIUM_DATA_DIR`` when not given);
    filters as in :func:`equilibrium.evidence.base_rates`. ``robust``: HC1 (default), HC0 or nonrobust;
    ``cluster``: ``target`` or ``case`` for cluster-robust standard errors (default specs cluster by target).
    The result holds n, events, coefficients with robust SEs, AMEs with 95 % intervals, pseudo-R², AIC,
    convergence, warnings, plain-language ``summary`` sentences and, for a spec, what it can and cannot identify.
    """
    ds = check_dataset(dataset)
    if ds not in MODEL_DATASETS:
        raise InvalidInput(f"models are defined for {', '.join(MODEL_DATASETS)}, not {ds}")
    sp: dict[str, Any] | None = None
    if spec_id is not None:
        if covariates:
            raise InvalidInput("give a spec or covariates, not both")
        sp = spec(ds, spec_id)
        outcome = outcome or sp["outcome"]
        covs = list(sp["covariates"])
        cluster = sp["cluster"] if cluster is None else cluster
    else:
        if not covariates:
            raise InvalidInput("give covariates (or a default spec: a, b or c)")
        covs = [c.strip() for c in covariates.split(",")] if isinstance(covariates, str) else list(covariates)
        covs = [c for c in covs if c]
    outcome = outcome or "success"
    out_var = _check_var(outcome, ds, "outcome")
    cov_vars = [_check_var(c, ds, "covariate") for c in covs]
    if cluster not in (None, "none", "target", "case"):
        raise InvalidInput(f"cluster must be 'target', 'case' or none, not {cluster!r}")
    meta: dict[str, Any] = {}
    if df is None:
        ld = load_dataset(ds, path)
        df = ld.frame
        meta = {"files": {str(k) if k else "file": str(v) for k, v in ld.files.items()},
                "rows_excluded_by_loader": ld.excluded}
    if objective and issue and objective != issue:
        raise InvalidInput("give --objective or --issue, not both")
    sub, filters = apply_filters(df, ds, sender=sender, target=target, issue=objective or issue, since=since,
                                 until=until, sanction_type=sanction_type, multilateral=multilateral)
    ctx: dict[str, Any] = {"include_ongoing": include_ongoing, "hse_threshold": hse_threshold, "path": path,
                           "china_path": china_path}
    data = pd.DataFrame(index=sub.index)
    data[outcome] = out_var.build(sub, ds, ctx)
    for v in cov_vars:
        data[v.name] = v.build(sub, ds, ctx)
    groups = None
    if cluster in ("target", "case"):
        groups = sub["target" if cluster == "target" else "case_id"].astype("object")
    categorical = {v.name: v.reference for v in cov_vars if v.kind == "categorical"}
    res = fit_frame(data, outcome, [v.name for v in cov_vars], categorical=categorical, robust=robust,
                    groups=groups, group_label=cluster or "group")
    res["warnings"] = [*ctx.get("warnings", []), *res["warnings"]]
    labels = {v.name: v for v in cov_vars}
    defs = {v.name: v.definition(ds) for v in [out_var, *cov_vars]}
    unit = "case-objective pair" if ds == "gsdb" else "case"
    cb = codebook(ds)
    summary = summarize(res, labels, out_var.phrase)
    summary.append(f"Logit of {outcome} on {', '.join(covs)} in {cb.short}: n = {res['n']} {unit}s "
                   f"({res['events']} with {outcome} = 1); McFadden pseudo-R² {res['pseudo_r2']:.3f}; standard "
                   f"errors {res['covariance']}. Associations in observational data, not causal effects.")
    out: dict[str, Any] = {
        "dataset": ds, "title": cb.title, **meta, "spec": sp, "unit": unit, "filters": filters,
        "rows": len(sub), "rows_with_outcome": int(data[outcome].notna().sum()),
        "definitions": defs, "coverage": ctx.get("coverage", {}), **res, "summary": summary,
        "identifies": sp["identifies"] if sp else [],
        "cannot_identify": sp["cannot_identify"] if sp else list(_COMMON_CANNOT),
        "sources": cite(cb.sources),
    }
    return out
