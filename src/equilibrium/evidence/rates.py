"""Base rates of sanction outcomes with 95 % Wilson intervals, under named, documented definitions.

Every share is ``k / n`` with ``n`` the rows that meet the rate's denominator condition, and a 95 % Wilson score
interval (statsmodels ``proportion_confint(method="wilson")``). With ``n = 0`` the share and interval are ``None``.

Definitions (the default first; alternatives by option):

* **GSDB** – unit: case-objective pair (the ``objective`` and ``success`` lists are aligned pairwise).
  ``gsdb/concluded-pairs`` (default): pairs coded ``ongoing`` are left out. ``gsdb/all-pairs``
  (``include_ongoing=True``): ongoing pairs stay in the denominator and count as not successful.
  Rates: ``success_total_share`` (success_total), ``success_any_share`` (success_total or success_part),
  ``failed_share`` (failed), ``settlement_share`` (nego_settlement).
* **TIES** and **China-TIES** – unit: case. ``<dataset>/stages`` (default):
  ``threats_not_imposed_share`` = threat cases (threat = 1) never imposed (imposition = 0), over all threat cases
  with imposition coded;
  imposition stage, over imposed cases with a final outcome 6-10: ``imposed_target_acquiesced_share`` (6 or 7),
  ``imposed_negotiated_share`` (10), ``sender_capitulated_share`` (8), ``imposed_stalemate_share`` (9);
  threat stage, over threat cases not imposed with a final outcome 1-5: ``threat_target_acquiesced_share``
  (1 or 2), ``threat_negotiated_share`` (5), ``threat_sender_capitulated_share`` (3),
  ``threat_stalemate_share`` (4). ``<dataset>/stages-concluded-threats`` (``threats="concluded"``): the
  threats-not-imposed share counts only threat cases with a final outcome (1-10), leaving unresolved threats out.
  China-TIES adds ``ces_success_share`` (the data set's own ``success``, sender file only) and defaults to
  groups by ``role`` (China as sender, China as target).
* **EUSANCT** – unit: case. ``eusanct/hse-9`` (default; ``hse_threshold`` changes 9): ``hse_success_share`` =
  HSEscore ≥ 9 (the PIIE rule: policy result × sanctions contribution, 1-16) over all cases; the data set's own
  variables: ``success_share`` (success = 1, all cases), ``threat_success_share`` (threat_success = 1 among
  threat cases), ``sanctions_success_share`` (sanctions_success = 1 among imposed cases).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.evidence.codebooks import BY_FIELDS, Codebook, check_dataset, codebook, fast_yaml
from equilibrium.evidence.countries import name_of, resolve, suggest
from equilibrium.evidence.loaders import load_dataset
from equilibrium.provenance import data_path

Mask = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Rate:
    """One share: ``num`` rows among ``den`` rows, with both conditions in words."""

    name: str
    numerator: str
    denominator: str
    den: Mask
    num: Mask


@dataclass(frozen=True)
class Definition:
    """A named set of rates for one data set, its unit and its text."""

    name: str
    dataset: str
    unit: str
    text: str
    rates: tuple[Rate, ...]
    alternatives: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (conditions in words)."""
        return {"name": self.name, "unit": self.unit, "text": self.text, "alternatives": list(self.alternatives),
                "rates": {r.name: {"numerator": r.numerator, "denominator": r.denominator} for r in self.rates}}


def wilson(k: int, n: int) -> tuple[float, float] | None:
    """95 % Wilson score interval for ``k`` of ``n`` (``None`` when ``n == 0``)."""
    if n <= 0:
        return None
    if not 0 <= k <= n:
        raise InvalidInput(f"k = {k} must lie between 0 and n = {n}")
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    return float(lo), float(hi)


def share(k: int, n: int) -> dict[str, Any]:
    """``{k, n, share, ci95}`` (share and ci95 ``None`` when ``n == 0``)."""
    ci = wilson(k, n)
    return {"k": int(k), "n": int(n), "share": (k / n) if n else None, "ci95": list(ci) if ci else None}


# ---------------------------------------------------------------------------------------------- definitions


def _is(col: str) -> Mask:
    return lambda d: d[col].eq(True).fillna(False).astype(bool)


def _isnot(col: str) -> Mask:
    return lambda d: d[col].eq(False).fillna(False).astype(bool)


def _code_in(codes: set[Any]) -> Mask:
    return lambda d: d["outcome_code"].isin(list(codes)).fillna(False).astype(bool)


def _and(*ms: Mask) -> Mask:
    def f(d: pd.DataFrame) -> pd.Series:
        out = pd.Series(True, index=d.index)
        for m in ms:
            out &= m(d)
        return out
    return f


def _all(d: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=d.index)


def _gsdb(include_ongoing: bool) -> Definition:
    if include_ongoing:
        den: Mask = _all
        dtext = "all case-objective pairs (ongoing pairs count as not successful)"
    else:
        def den(d: pd.DataFrame) -> pd.Series:
            return d["outcome_code"].ne("ongoing").fillna(False).astype(bool)
        dtext = "concluded case-objective pairs (success code not 'ongoing')"
    rates = (Rate("success_total_share", "success = success_total", dtext, den, _code_in({"success_total"})),
             Rate("success_any_share", "success = success_total or success_part", dtext, den,
                  _code_in({"success_total", "success_part"})),
             Rate("failed_share", "success = failed", dtext, den, _code_in({"failed"})),
             Rate("settlement_share", "success = nego_settlement", dtext, den, _code_in({"nego_settlement"})))
    name = "gsdb/all-pairs" if include_ongoing else "gsdb/concluded-pairs"
    text = ("Unit: the case-objective pair (GSDB's objective and success lists aligned pairwise). "
            + ("Ongoing pairs are kept and count as not successful." if include_ongoing
               else "Pairs still ongoing at the end of the data (right-censored) are left out."))
    return Definition(name, "gsdb", "case-objective pair", text, rates,
                      ("gsdb/concluded-pairs (default)", "gsdb/all-pairs (--include-ongoing)"))


def _stages(dataset: str, threats: str) -> Definition:
    threat, imposed, not_imposed = _is("threat"), _is("imposed"), _isnot("imposed")
    coded = _and(threat, lambda d: d["imposed"].notna().astype(bool))
    if threats == "concluded":
        tden = _and(coded, _code_in(set(range(1, 11))))
        ttext = "threat cases (threat = 1) with imposition coded and a final outcome 1-10"
    else:
        tden, ttext = coded, "threat cases (threat = 1) with imposition coded"
    iden = _and(imposed, _code_in(set(range(6, 11))))
    itext = "imposed cases (imposition = 1) with a final outcome 6-10"
    sden = _and(threat, not_imposed, _code_in(set(range(1, 6))))
    stext = "threat cases never imposed (imposition = 0) with a final outcome 1-5"
    rates = [
        Rate("threats_not_imposed_share", "imposition = 0", ttext, tden, not_imposed),
        Rate("imposed_target_acquiesced_share", "final outcome 6 or 7 (target acquiesced partly or totally)", itext,
             iden, _code_in({6, 7})),
        Rate("imposed_negotiated_share", "final outcome 10 (negotiated settlement)", itext, iden, _code_in({10})),
        Rate("sender_capitulated_share", "final outcome 8 (sender capitulated)", itext, iden, _code_in({8})),
        Rate("imposed_stalemate_share", "final outcome 9 (stalemate)", itext, iden, _code_in({9})),
        Rate("threat_target_acquiesced_share", "final outcome 1 or 2 (target acquiesced partly or completely)",
             stext, sden, _code_in({1, 2})),
        Rate("threat_negotiated_share", "final outcome 5 (negotiated settlement)", stext, sden, _code_in({5})),
        Rate("threat_sender_capitulated_share", "final outcome 3 (sender capitulated)", stext, sden, _code_in({3})),
        Rate("threat_stalemate_share", "final outcome 4 (stalemate)", stext, sden, _code_in({4})),
    ]
    if dataset == "china-ties":
        rates.append(Rate("ces_success_share", "success = 1 (CES v1's own success variable)",
                          "episodes with success coded (the sender file only)",
                          lambda d: d["success"].notna().astype(bool), _is("success")))
    suffix = "stages-concluded-threats" if threats == "concluded" else "stages"
    text = ("Unit: the case. Outcome stage is set by the imposition flag: imposition-stage shares are over imposed "
            "cases with a final outcome 6-10, threat-stage shares over threat cases never imposed with a final "
            "outcome 1-5; cases with no final outcome (unresolved) or with an outcome code of the other stage are "
            "left out of those denominators. "
            + ("The threats-not-imposed share counts only threat cases with a final outcome."
               if threats == "concluded" else "The threats-not-imposed share is over all threat cases whose "
               "imposition is coded."))
    return Definition(f"{dataset}/{suffix}", dataset, "case", text, tuple(rates),
                      (f"{dataset}/stages (default)", f"{dataset}/stages-concluded-threats (--threats concluded)"))


def _eusanct(threshold: int) -> Definition:
    if not 1 <= threshold <= 16:
        raise InvalidInput(f"the HSE threshold must lie between 1 and 16, not {threshold}")
    rates = (
        Rate("hse_success_share", f"HSEscore >= {threshold} (policy result x sanctions contribution)", "all cases",
             _all, lambda d: d["hse_score"].ge(threshold).fillna(False).astype(bool)),
        Rate("success_share", "success = 1 (EUSANCT's own variable)", "all cases with success coded",
             lambda d: d["success"].notna().astype(bool), _is("success")),
        Rate("threat_success_share", "threat_success = 1", "threat cases with threat_success coded",
             _and(_is("threat"), lambda d: d["threat_success"].notna().astype(bool)), _is("threat_success")),
        Rate("sanctions_success_share", "sanctions_success = 1", "imposed cases with sanctions_success coded",
             _and(_is("imposed"), lambda d: d["sanctions_success"].notna().astype(bool)), _is("sanctions_success")),
    )
    text = (f"Unit: the case. HSE success = HSEscore >= {threshold} (the PIIE rule is 9 or more); the data set's "
            "own success, threat_success and sanctions_success variables as coded.")
    return Definition(f"eusanct/hse-{threshold}", "eusanct", "case", text, rates,
                      ("eusanct/hse-9 (default)", "eusanct/hse-N (--hse-threshold N)"))


def definition(dataset: str, *, include_ongoing: bool = False, threats: str = "all",
               hse_threshold: int = 9) -> Definition:
    """The definition of ``dataset``'s base rates under the given options (see the module docstring)."""
    ds = check_dataset(dataset)
    if threats not in ("all", "concluded"):
        raise InvalidInput(f"threats must be 'all' or 'concluded', not {threats!r}")
    if include_ongoing and ds != "gsdb":
        raise InvalidInput("--include-ongoing applies to GSDB only (TIES-style definitions leave unresolved "
                           "cases out of the outcome denominators by construction)")
    if threats != "all" and ds not in ("ties", "china-ties"):
        raise InvalidInput("--threats applies to TIES and China-TIES only")
    if hse_threshold != 9 and ds != "eusanct":
        raise InvalidInput("--hse-threshold applies to EUSANCT only")
    if ds == "gsdb":
        return _gsdb(include_ongoing)
    if ds == "eusanct":
        return _eusanct(hse_threshold)
    return _stages(ds, threats)


def definitions() -> dict[str, list[dict[str, Any]]]:
    """Every data set's default definition and its alternatives (JSON-ready)."""
    return {ds: [definition(ds).to_dict()] for ds in ("gsdb", "ties", "eusanct", "china-ties")}


# --------------------------------------------------------------------------------------------------- filters



def _party(query: str, df: pd.DataFrame, column: str, kind: str) -> dict[str, Any]:
    """Resolve a sender/target query to a code; raw non-state names in the data (GSDB) are accepted as they are."""
    try:
        c = resolve(query)
        return {"query": query, "code": c.code, "name": c.name, "cow": list(c.cow)}
    except NotFound:
        raws = sorted({x for t in df[column] for x in t if len(x) > 6 and not x.startswith("COW")})
        for r in raws:
            if r.casefold() == " ".join(str(query).split()).casefold():
                return {"query": query, "code": r, "name": r, "cow": []}
        raise NotFound(kind, query, suggest(str(query), tuple(raws))) from None


def _issue(cb: Codebook, query: str) -> dict[str, Any]:
    lst = "objective" if cb.dataset == "gsdb" else "issue"
    c = cb.find_code(lst, query)
    if c is None:
        from rapidfuzz import process

        choices = [x.slug for x in cb.codelists[lst].values()] + [x.label for x in cb.codelists[lst].values()]
        near = list(dict.fromkeys(m for m, _, _ in process.extract(str(query), choices, limit=3)))
        raise NotFound("objective" if lst == "objective" else f"{cb.short} issue", query, near)
    return {"query": query, "code": c.code, "slug": c.slug, "label": c.label}


_TYPE_LISTS = {"gsdb": ("sanction_type",), "ties": ("sanctiontype", "sanctiontypethreat"),
               "eusanct": ("sanction_type",), "china-ties": ("sanctiontype", "sanctiontypethreat", "ces_type")}


def _stype(cb: Codebook, query: str) -> dict[str, Any]:
    q = str(query).strip()
    for lst in _TYPE_LISTS[cb.dataset]:
        c = cb.find_code(lst, q) or cb.find_code(lst, f"type_{q}")
        if c is not None and (lst != "sanctiontypethreat" or not q.isdigit()):
            return {"query": query, "slug": c.slug, "label": c.label, "checked": c.checked}
    from rapidfuzz import process

    slugs = sorted({c.slug for lst in _TYPE_LISTS[cb.dataset] for c in cb.codelists[lst].values()})
    raise NotFound(f"{cb.short} sanction type", query, [m for m, _, _ in process.extract(q, slugs, limit=3)])


def _year(name: str, v: Any) -> int | None:
    if v is None or v == "":
        return None
    try:
        y = int(v)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a year (e.g. 1990), not {v!r}") from None
    if not 1800 <= y <= 2100:
        raise InvalidInput(f"{name} must be a year between 1800 and 2100, not {y}")
    return y


def apply_filters(df: pd.DataFrame, dataset: str, *, sender: str | None = None, target: str | None = None,
                  issue: str | None = None, since: Any = None, until: Any = None, sanction_type: str | None = None,
                  multilateral: bool | None = None, role: str | None = None, goal: str | None = None
                  ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Rows of the tidy table ``df`` matching every filter, and the filters as resolved (JSON-ready).

    goal: a goal group of the data set's codebook (``goal_groups``, e.g. ``nonproliferation``): rows any of whose
    issues (GSDB: the pair's objective) is one of the group's codes.

    sender/target: any of the row's senders/targets (country names, ISO3, COW codes, EU, UN); issue: any of the
    row's issues (GSDB: the pair's objective); since/until: start year, inclusive; sanction_type: any of the row's
    types; multilateral: True/False; role (China-TIES): China as 'sender' or 'target'.
    """
    ds = check_dataset(dataset)
    cb = codebook(ds)
    out: dict[str, Any] = {}
    mask = pd.Series(True, index=df.index)
    if sender:
        f = _party(sender, df, "senders", "sender")
        mask &= df["senders"].map(lambda t: f["code"] in t).astype(bool)
        out["sender"] = f
    if target:
        f = _party(target, df, "targets", "target")
        mask &= df["targets"].map(lambda t: f["code"] in t).astype(bool)
        out["target"] = f
    if issue:
        f = _issue(cb, issue)
        mask &= df["issues"].map(lambda t: f["slug"] in t).astype(bool)
        out["objective" if ds == "gsdb" else "issue"] = f
    if goal:
        g = cb.goal_group(str(goal).strip().lower())
        codes = set(g.codes)
        mask &= df["issues"].map(lambda t: bool(codes & set(t))).astype(bool)
        out["goal"] = {"name": g.name, "label": g.label, "codes": list(g.codes), "reason": g.reason}
    y0, y1 = _year("since", since), _year("until", until)
    if y0 is not None and y1 is not None and y0 > y1:
        raise InvalidInput(f"--since {y0} is after --until {y1}")
    if y0 is not None:
        mask &= df["start_year"].ge(y0).fillna(False).astype(bool)
        out["since"] = y0
    if y1 is not None:
        mask &= df["start_year"].le(y1).fillna(False).astype(bool)
        out["until"] = y1
    if sanction_type:
        f = _stype(cb, sanction_type)
        mask &= df["sanction_types"].map(lambda t: f["slug"] in t).astype(bool)
        out["sanction_type"] = f
    if multilateral is not None:
        mask &= df["multilateral"].eq(bool(multilateral)).fillna(False).astype(bool)
        out["multilateral"] = bool(multilateral)
    if role:
        if ds != "china-ties":
            raise InvalidInput("--role applies to China-TIES only (China as 'sender' or 'target')")
        if role not in ("sender", "target"):
            raise InvalidInput(f"--role must be 'sender' or 'target', not {role!r}")
        mask &= df["role"].eq(role).fillna(False).astype(bool)
        out["role"] = role
    if out.get("sender") or out.get("target"):
        out["period_rule"] = "start year" if (y0 or y1) else None
    if y0 is not None or y1 is not None:
        out["period_rule"] = "the episode's start year lies in [since, until]"
    return df[mask], out


# ---------------------------------------------------------------------------------------------------- groups


def _group_keys(df: pd.DataFrame, cb: Codebook, by: str) -> tuple[pd.Series, Callable[[Any], str], str]:
    if by in ("objective", "issue"):
        lst = "objective" if cb.dataset == "gsdb" else "issue"
        labels = {c.slug: c.label for c in cb.codelists[lst].values()}
        rule = ("the pair's objective" if cb.dataset == "gsdb"
                else "the primary issue (issue1); a case is counted once")
        return df["issue"], lambda k: labels.get(k, str(k)), rule
    if by == "decade":
        keys = (df["start_year"] // 10 * 10).astype("Int64")
        return keys, lambda k: f"{int(k)}s", "decade of the start year"
    if by == "sender":
        return df["primary_sender"], name_of, "the primary sender (GSDB: the first sender listed)"
    if by == "target":
        return df["target"], name_of, "the (first) target"
    if by == "role":
        if cb.dataset != "china-ties":
            raise InvalidInput("--by role applies to China-TIES only")
        return df["role"], lambda k: f"China as {k}", "China's role (which file the episode comes from)"
    if by == "multilateral":
        return df["multilateral"], lambda k: "multilateral" if k else "unilateral", "multilateral vs unilateral"
    raise NotFound("--by field", by, [m for m in BY_FIELDS if m[0] == str(by)[:1]] or list(BY_FIELDS[:3]))


def _rates(df: pd.DataFrame, d: Definition) -> dict[str, Any]:
    out = {}
    for r in d.rates:
        den = r.den(df)
        n = int(den.sum())
        k = int((den & r.num(df)).sum())
        out[r.name] = share(k, n)
    return out


@cache
def _sources_index() -> dict[str, dict[str, Any]]:
    raw = fast_yaml(data_path("sources.yml")) or {}
    return {s["id"]: s for s in raw.get("sources") or [] if isinstance(s, dict) and "id" in s}


def cite(ids: list[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """Citations (id, title, author, publisher, date, url, kind) for source ids (unknown ids: just the id)."""
    idx = _sources_index()
    keys = ("id", "title", "author", "publisher", "date", "url", "kind", "note")
    return [{k: idx[i][k] for k in keys if k in idx.get(i, {})} if i in idx else {"id": i} for i in ids]


def base_rates(dataset: str, df: pd.DataFrame | None = None, *, path: Any = None, sender: str | None = None,
               target: str | None = None, objective: str | None = None, issue: str | None = None,
               since: Any = None, until: Any = None, sanction_type: str | None = None,
               multilateral: bool | None = None, role: str | None = None, by: str | None = None,
               include_ongoing: bool = False, threats: str = "all", hse_threshold: int = 9,
               goal: str | None = None) -> dict[str, Any]:
    """Base rates of ``dataset`` under its default definition (or the alternatives the options select), with
    ``n`` and a 95 % Wilson interval per share, optionally filtered and grouped ``by`` a field (JSON-ready).

    ``df`` is the tidy table from :func:`equilibrium.evidence.load` (loaded from ``path`` or
    ``$EQUILIBRIUM_DATA_DIR`` when not given). China-TIES without ``by`` or ``role`` is grouped by role.
    """
    ds = check_dataset(dataset)
    cb = codebook(ds)
    d = definition(ds, include_ongoing=include_ongoing, threats=threats, hse_threshold=hse_threshold)
    meta: dict[str, Any] = {}
    if df is None:
        ld = load_dataset(ds, path)
        df = ld.frame
        meta = {"files": {str(k) if k else "file": str(v) for k, v in ld.files.items()},
                "rows_read": sum(ld.rows_read.values()), "rows_excluded": ld.excluded,
                "problems": [str(p) for p in ld.problems if p.action != "warning"],
                "missing_files": ld.missing_roles}
    if objective and issue and objective != issue:
        raise InvalidInput("give --objective or --issue, not both")
    sub, filters = apply_filters(df, ds, sender=sender, target=target, issue=objective or issue, since=since,
                                 until=until, sanction_type=sanction_type, multilateral=multilateral, role=role,
                                 goal=goal)
    if by is None and ds == "china-ties" and not role:
        by = "role"
    res: dict[str, Any] = {"dataset": ds, "title": cb.title, **meta, "definition": d.to_dict(),
                           "filters": filters, "rows": len(sub), "unit": d.unit, "rates": _rates(sub, d)}
    if ds == "gsdb":
        res["ongoing_pairs"] = int(sub["ongoing"].eq(True).sum())
    if len(sub) == 0:
        res["message"] = "no rows match the filters: every share has n = 0 (no share, no interval)"
    if by is not None:
        keys, label, rule = _group_keys(sub, cb, by)
        groups: list[dict[str, Any]] = []
        for key, part in sub.groupby(keys, dropna=False, sort=True):
            k = None if pd.isna(key) else (key.item() if hasattr(key, "item") else key)
            groups.append({"group": k, "label": "not coded" if k is None else label(k), "rows": len(part),
                           "rates": _rates(part, d)})
        if by != "decade":
            groups.sort(key=lambda g: (-int(g["rows"]), str(g["group"])))
        res.update({"by": by, "group_rule": rule, "groups": groups})
    res["sources"] = cite(cb.sources)
    return res
