"""Episodes of the evidence data sets for one country (Pakistan, India, ...), linked to the curated sanctions record.

Every episode in which the country is a target (or a sender) is listed with its years, senders, issues and outcome.
Each episode targeting the country is linked to actions of the curated record (``equilibrium.sanctions``) that the
same episode plausibly covers; :data:`LINK_RULE` states the rule and every link says which conditions it met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from equilibrium.errors import InvalidInput, MissingDependency
from equilibrium.evidence.codebooks import DATASETS, check_dataset, codebook
from equilibrium.evidence.countries import name_of, resolve
from equilibrium.evidence.loaders import DataFileMissing, load_dataset

# Themes tie a data set's issue codes to the legal authorities the record cites for the same kind of measure.
THEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "nonproliferation": {
        "issues": ("prevent_war", "deny_strategic_materials", "end_proliferation"),
        "authorities": ("Symington", "Pressler", "Glenn", "AECA", "Arms Export Control Act", "missile", "13382",
                        "Brownback", "Export-Import Bank", "nuclear", "NDAA"),
    },
    "democracy": {
        "issues": ("democracy", "destab_regime", "destabilize_regime", "leadership_change", "constitutional_order"),
        "authorities": ("§508", "Section 508", "coup"),
    },
    "terrorism": {
        "issues": ("terrorism", "end_support_nonstate_actors"),
        "authorities": ("13224", "terror"),
    },
}
"""Issue slugs per theme (GSDB objectives and TIES-family issues) and authority keywords (case-insensitive)."""

LINK_RULE: dict[str, str] = {
    "country": "the record action has a target in the episode's target country (episodes where the country is "
               "only a sender get no links: the record holds measures against South Asian targets)",
    "sender": "the action's sender (ISO3, UN, EU) is one of the episode's senders",
    "years": "the action's year lies in [start year - 1, end year + 1]; an unresolved episode runs to the last "
             "year of its data set, an episode without an end year and not marked ongoing to its start year",
    "strength": "'strong' when the episode's issue and the action's authority belong to the same theme "
                "(nonproliferation, democracy, terrorism; see THEMES): these are the episode's `links`; actions "
                "meeting country, sender and years only are listed apart as `weak_links` (same window, other "
                "subject: not evidence that the record holds the same episode)",
    "timing": "'start' when the action's year is within one year of the episode's start year, else 'within'",
}
"""The matching rule between data-set episodes and record actions, in words (returned with every answer)."""


@dataclass(frozen=True)
class RecordAction:
    """One action of the curated sanctions record, as the episode links need it (the question layer builds these
    from :mod:`equilibrium.sanctions.record`; this package does not import the sanctions domain)."""

    id: str
    announcement: str
    title: str
    date: str
    year: int
    type: str
    sender: str
    authority: str
    targets: frozenset[str]


def _themes(issues: tuple[str, ...]) -> list[str]:
    return [name for name, t in THEMES.items() if set(issues) & set(t["issues"])]


def _authority_themes(authority: str) -> list[str]:
    a = authority.casefold()
    return [name for name, t in THEMES.items() if any(k.casefold() in a for k in t["authorities"])]


def _links(ep: dict[str, Any], country: str, actions: list[RecordAction], last_year: int) -> list[dict[str, Any]]:
    if ep["role"] != "target" or ep["start_year"] is None:
        return []
    start = int(ep["start_year"])
    end = ep["end_year"] if ep["end_year"] is not None else (last_year if ep["ongoing"] else start)
    lo, hi = start - 1, int(end) + 1
    themes = _themes(tuple(i["slug"] for i in ep["issues"]))
    senders = {s["code"] for s in ep["senders"]}
    out = []
    for a in actions:
        if country not in a.targets or a.sender not in senders or not lo <= a.year <= hi:
            continue
        shared = sorted(set(themes) & set(_authority_themes(a.authority)))
        out.append({"action": a.id, "announcement": a.announcement, "title": a.title, "date": a.date,
                    "type": a.type, "sender": a.sender, "authority": a.authority,
                    "strength": "strong" if shared else "weak", "themes": shared,
                    "timing": "start" if abs(a.year - start) <= 1 else "within",
                    "matched": ["country", "sender", "years"] + (["authority"] if shared else [])})
    out.sort(key=lambda x: (x["strength"] != "strong", x["timing"] != "start", x["date"], x["action"]))
    return out


def _episodes(df: pd.DataFrame, ds: str, country: str) -> list[dict[str, Any]]:
    """One dict per episode where ``country`` is a target or a sender (GSDB pairs folded into their case)."""
    cb = codebook(ds)
    hit = df[df["targets"].map(lambda t: country in t) | df["senders"].map(lambda t: country in t)]
    issue_list = "objective" if ds == "gsdb" else "issue"
    labels = {c.slug: c.label for c in cb.codelists[issue_list].values()}
    out = []
    for (_, case_id), part in hit.groupby(["role", "case_id"], sort=False, dropna=False):
        r = part.iloc[0]
        role = "target" if country in r["targets"] else "sender"
        issues = tuple(dict.fromkeys(x for t in part["issues"] for x in t))
        ep: dict[str, Any] = {
            "dataset": ds, "case_id": str(case_id), "name": r["name"] or None, "role": role,
            "china_role": r["role"] if ds == "china-ties" else None,
            "start_year": None if pd.isna(r["start_year"]) else int(r["start_year"]),
            "end_year": None if pd.isna(r["end_year"]) else int(r["end_year"]),
            "ongoing": bool(part["ongoing"].eq(True).any()),
            "targets": [{"code": c, "name": name_of(c)} for c in r["targets"]],
            "senders": [{"code": c, "name": name_of(c)} for c in r["senders"]],
            "primary_sender": r["primary_sender"], "multilateral": bool(r["multilateral"]),
            "issues": [{"slug": s, "label": labels.get(s, s)} for s in issues],
            "threat": None if pd.isna(r["threat"]) else bool(r["threat"]),
            "imposed": None if pd.isna(r["imposed"]) else bool(r["imposed"]),
            "sanction_types": list(r["sanction_types"]),
            "file": r["file"], "row": int(r["row"]),
        }
        if ds == "gsdb":
            ep["outcomes"] = [{"objective": o, "success": s, "label": lab} for o, s, lab in
                              zip(part["issue"], part["outcome_code"], part["outcome"], strict=True)]
            ep["outcome"] = "; ".join(f"{labels.get(o, o)}: {lab}" for o, lab in zip(part["issue"], part["outcome"],
                                                                                    strict=True))
        else:
            code = r["outcome_code"]
            ep["outcome_code"] = None if pd.isna(code) else int(code)
            ep["outcome"] = r["outcome"] if isinstance(r["outcome"], str) else "no final outcome coded"
            if ds == "eusanct":
                ep["hse_score"] = int(r["hse_score"])
                ep["success"] = bool(r["success"])
            if ds == "china-ties" and not pd.isna(r["success"]):
                ep["success"] = bool(r["success"])
        out.append(ep)
    return out


def cases(country: str, *, dataset: str | None = None, path: Any = None, role: str = "target",
          actions: Sequence[RecordAction] = (), record: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every episode with ``country`` as target (or sender) in each available data set, with links to the curated
    record (JSON-ready). ``dataset``/``path`` restrict to one data set and file; without them each data set is
    looked up in ``$EQUILIBRIUM_DATA_DIR`` and those not found are listed with how to obtain them.
    ``role``: ``target`` (default), ``sender`` or ``any``. ``actions`` are the curated record's actions to link to,
    ``record`` what to say about the record (its size and files, or the error that kept it from loading)."""
    if role not in ("any", "target", "sender"):
        raise InvalidInput(f"role must be any, target or sender, not {role!r}")
    c = resolve(country)
    if path is not None and dataset is None:
        raise InvalidInput("--path needs --dataset (which data set the file is)")
    names = [check_dataset(dataset)] if dataset else list(DATASETS)
    actions = list(actions)
    rec_meta = dict(record or {"actions": len(actions)})
    out_cases: list[dict[str, Any]] = []
    per: dict[str, Any] = {}
    missing: list[str] = []
    for ds in names:
        try:
            ld = load_dataset(ds, path if dataset else None)
        except MissingDependency as exc:
            if dataset:
                raise
            per[ds] = {"found": False, "message": str(exc)}
            missing.append(str(exc))
            continue
        df = ld.frame
        last = int(pd.concat([df["start_year"], df["end_year"]]).max())
        eps = _episodes(df, ds, c.code)
        if role != "any":
            eps = [e for e in eps if e["role"] == role]
        for e in eps:
            found = _links(e, c.code, actions, last)
            e["links"] = [x for x in found if x["strength"] == "strong"]
            e["weak_links"] = [x for x in found if x["strength"] != "strong"]
        per[ds] = {"found": True, "files": {str(k) if k else "file": str(v) for k, v in ld.files.items()},
                   "count": len(eps), "as_target": sum(1 for e in eps if e["role"] == "target"),
                   "as_sender": sum(1 for e in eps if e["role"] == "sender"),
                   "linked": sum(1 for e in eps if e["links"]), "rows_excluded_at_load": ld.excluded}
        out_cases += eps
    if not any(v.get("found") for v in per.values()):
        raise DataFileMissing(names, "no evidence data set found: each file must be obtained from its publisher; "
                              + " ".join(missing))
    out_cases.sort(key=lambda e: (e["start_year"] or 0, DATASETS.index(e["dataset"]), e["case_id"]))
    return {"country": c.to_dict(), "role": role, "count": len(out_cases), "datasets": per,
            "record": rec_meta, "link_rule": LINK_RULE, "themes": {k: {"issues": list(v["issues"]),
                                                                      "authorities": list(v["authorities"])}
                                                                  for k, v in THEMES.items()},
            "cases": out_cases}
