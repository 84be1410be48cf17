"""``equilibrium evidence base-rate|cases|datasets|model``: sanctions data sets (GSDB, TIES, EUSANCT, China-TIES)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from equilibrium.cli.common import console, err_console, handle_errors, print_json

app = typer.Typer(help="Evidence from sanctions data sets (GSDB R3, TIES v4, EUSANCT, China-TIES): base rates with "
                       "95 % Wilson intervals, a country's episodes linked to the curated record, the files found.",
                  no_args_is_help=True)

_DATASET_HELP = "Data set: gsdb, ties, eusanct or china-ties."
_PATH_HELP = "The data file (or a folder holding it); default: its usual name under $EQUILIBRIUM_DATA_DIR."


def _pct(r: dict[str, Any]) -> tuple[str, str, str]:
    if r["share"] is None:
        return "—", f"0/{r['n']}", "—"
    lo, hi = r["ci95"]
    return f"{100 * r['share']:.1f} %", f"{r['k']}/{r['n']}", f"{100 * lo:.1f}–{100 * hi:.1f} %"


@app.command("base-rate")
@handle_errors
def base_rate_cmd(
    dataset: str = typer.Option(..., "--dataset", "-d", help=_DATASET_HELP),
    path: Path | None = typer.Option(None, "--path", help=_PATH_HELP),
    sender: str | None = typer.Option(None, "--sender", help="Sender: country name, ISO3, COW code, EU or UN."),
    target: str | None = typer.Option(None, "--target", help="Target: country name, ISO3 or COW code."),
    objective: str | None = typer.Option(None, "--objective", help="GSDB objective (e.g. democracy, prevent_war)."),
    issue: str | None = typer.Option(None, "--issue", help="Issue: code, slug or label (TIES family: e.g. 6, "
                                                           "deny_strategic_materials; GSDB: as --objective)."),
    since: int | None = typer.Option(None, "--since", help="Episodes starting in or after this year."),
    until: int | None = typer.Option(None, "--until", help="Episodes starting in or before this year."),
    sanction_type: str | None = typer.Option(None, "--type", help="Sanction type slug (GSDB: trade, arms, military, "
                                                                  "financial, travel, other; TIES: total_embargo, "
                                                                  "import_restriction, aid_termination, ...)."),
    multilateral: bool | None = typer.Option(None, "--multilateral/--unilateral",
                                             help="Only multilateral (or only unilateral) episodes."),
    role: str | None = typer.Option(None, "--role", help="China-TIES: China as 'sender' or 'target'."),
    by: str | None = typer.Option(None, "--by", help="Group by objective|issue, decade, sender, target, role, "
                                                     "multilateral."),
    include_ongoing: bool = typer.Option(False, "--include-ongoing",
                                         help="GSDB: keep ongoing pairs in the denominator (as not successful)."),
    threats: str = typer.Option("all", "--threats", help="TIES family: 'all' threat cases (default) or only "
                                                         "'concluded' ones in the threats-not-imposed share."),
    hse_threshold: int = typer.Option(9, "--hse-threshold", help="EUSANCT: HSE score counted as success (PIIE: 9)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Outcome shares of a data set under its documented default definition, each with n and a 95 % Wilson
    interval; filters narrow the episodes, --by splits them into groups."""
    from equilibrium.evidence.rates import base_rates

    res = base_rates(dataset, path=path, sender=sender, target=target, objective=objective, issue=issue,
                     since=since, until=until, sanction_type=sanction_type, multilateral=multilateral, role=role,
                     by=by, include_ongoing=include_ongoing, threats=threats, hse_threshold=hse_threshold)
    if as_json:
        print_json(res)
        return
    d = res["definition"]
    filt = ", ".join(f"{k}={v.get('code') or v.get('slug') if isinstance(v, dict) else v}"
                     for k, v in res["filters"].items() if v is not None and k != "period_rule")
    t = Table(title=f"{res['title']}: {res['rows']:,} {d['unit']} rows" + (f" ({filt})" if filt else ""))
    for col in ("Rate", "Share", "k/n", "95 % CI (Wilson)", "Denominator"):
        t.add_column(col, overflow="fold")
    for name, r in res["rates"].items():
        t.add_row(name, *_pct(r), d["rates"][name]["denominator"])
    console.print(t)
    if res.get("message"):
        err_console.print(f"[yellow]{res['message']}[/]")
    if res.get("groups"):
        names = list(res["rates"])
        g = Table(title=f"By {res['by']} ({res['group_rule']})")
        g.add_column("Group")
        g.add_column("Rows", justify="right")
        for name in names:
            g.add_column(name.removesuffix("_share"), justify="right", overflow="fold")
        for grp in res["groups"]:
            cells = []
            for name in names:
                r = grp["rates"][name]
                cells.append("—" if r["share"] is None else f"{100 * r['share']:.0f} % (n={r['n']})")
            g.add_row(grp["label"], str(grp["rows"]), *cells)
        console.print(g)
    console.print(f"[dim]Definition {d['name']}: {d['text']} Alternatives: {', '.join(d['alternatives'])}.[/]")
    if res.get("rows_excluded"):
        console.print(f"[dim]{res['rows_excluded']} row(s) of the file could not be read and were left out "
                      "(--json lists them).[/]")
    console.print("[dim]Sources: " + "; ".join(s.get("title", s["id"]) for s in res["sources"]) + "[/]")


@app.command("cases")
@handle_errors
def cases_cmd(
    target: str = typer.Option(..., "--target", help="Country (ISO3, name or COW code), e.g. PAK or IND."),
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Only this data set. " + _DATASET_HELP),
    path: Path | None = typer.Option(None, "--path", help="With --dataset: " + _PATH_HELP),
    role: str = typer.Option("any", "--role", help="Episodes with the country as 'target', 'sender' or 'any'."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Every episode with the country as target (or sender) in each data set, with its years, senders, issue and
    outcome, linked to the curated sanctions record where the same episode appears there."""
    from equilibrium.evidence.episodes import cases

    res = cases(target, dataset=dataset, path=path, role=role)
    if as_json:
        print_json(res)
        return
    c = res["country"]
    t = Table(title=f"{c['name']} ({c['code']}): {res['count']} episode(s)")
    for col in ("Data set", "Case", "Years", "Role", "Senders", "Issue", "Outcome", "Record links"):
        t.add_column(col, overflow="fold")
    for e in res["cases"]:
        years = f"{e['start_year']}–{e['end_year'] or ('…' if e['ongoing'] else '?')}"
        senders = ", ".join(s["code"] for s in e["senders"])
        issues = "; ".join(i["label"] for i in e["issues"])
        links = ", ".join(x["action"] for x in e["links"][:3]) + (" …" if len(e["links"]) > 3 else "")
        t.add_row(e["dataset"], e["case_id"], years, e["role"], senders, issues, e["outcome"] or "—", links or "—")
    console.print(t)
    for ds, v in res["datasets"].items():
        if not v.get("found"):
            err_console.print(f"[yellow]{ds}: {v['message']}[/]", soft_wrap=True)
    console.print(f"[dim]Links: {res['link_rule']['strength']}[/]")


@app.command("datasets")
@handle_errors
def datasets_cmd(
    path: Path | None = typer.Option(None, "--path", help="Folder to search (default: $EQUILIBRIUM_DATA_DIR)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Which data files are found and where, and a summary of each codebook (publisher, unit, variables)."""
    from equilibrium.evidence import datasets

    res = datasets(path)
    if as_json:
        print_json(res)
        return
    t = Table(title="Evidence data sets (EQUILIBRIUM_DATA_DIR=" + (res["data_dir"] or "unset") + ")")
    for col in ("Data set", "Found", "Files / how to obtain", "Unit", "Variables", "Code lists"):
        t.add_column(col, overflow="fold")
    for ds, v in res["datasets"].items():
        cb = v["codebook"]
        where = "\n".join(f"{k}: {p}" for k, p in v["files"].items()) if v["found"] else cb["obtain"]
        nvars = ", ".join(f"{lay['role'] or 'file'} {lay['variables']} ({lay['unchecked_meanings']} unchecked)"
                          for lay in cb["layouts"])
        lists = ", ".join(f"{k}{'' if x['checked'] else '*'}" for k, x in cb["codelists"].items())
        t.add_row(f"{ds}\n{cb['title']}", "yes" if v["found"] else "[red]no[/]", where, cb["unit"], nvars, lists)
    console.print(t)
    console.print("[dim]* labels not checked against the publisher's codebook. Files are not shipped: give --path or "
                  "set EQUILIBRIUM_DATA_DIR.[/]")


def _pp(x: float) -> str:
    return f"{'+' if x >= 0 else '−'}{abs(100 * x):.1f}"


@app.command("model")
@handle_errors
def model_cmd(
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Data set: gsdb, ties or eusanct."),
    spec: str | None = typer.Option(None, "--spec", help="Default specification: a (goal type), b (US alone vs "
                                                         "multilateral), c (China involved; gsdb, ties)."),
    outcome: str | None = typer.Option(None, "--outcome", help="Outcome: success (default), success_total (gsdb), "
                                                               "success_threat (ties), success_own (eusanct)."),
    covariates: str | None = typer.Option(None, "--covariates", help="Comma list: multilateral, us_sender, "
                                                                     "sender_group, goal_class, "
                                                                     "goal_proliferation_military, decade, "
                                                                     "post_cold_war, china_involved."),
    list_specs: bool = typer.Option(False, "--list", help="List the default specifications and exit."),
    path: Path | None = typer.Option(None, "--path", help=_PATH_HELP),
    china_path: Path | None = typer.Option(None, "--china-path", help="China-TIES files (china_involved); default: "
                                                                      "searched next to --path."),
    sender: str | None = typer.Option(None, "--sender", help="Sender: country name, ISO3, COW code, EU or UN."),
    target: str | None = typer.Option(None, "--target", help="Target: country name, ISO3 or COW code."),
    objective: str | None = typer.Option(None, "--objective", help="GSDB objective (e.g. democracy, prevent_war)."),
    issue: str | None = typer.Option(None, "--issue", help="Issue: code, slug or label (TIES family)."),
    since: int | None = typer.Option(None, "--since", help="Episodes starting in or after this year."),
    until: int | None = typer.Option(None, "--until", help="Episodes starting in or before this year."),
    sanction_type: str | None = typer.Option(None, "--type", help="Sanction type slug."),
    multilateral: bool | None = typer.Option(None, "--multilateral/--unilateral",
                                             help="Only multilateral (or only unilateral) episodes."),
    include_ongoing: bool = typer.Option(False, "--include-ongoing",
                                         help="GSDB: keep ongoing pairs (as not successful)."),
    hse_threshold: int = typer.Option(9, "--hse-threshold", help="EUSANCT: HSE score counted as success (PIIE: 9)."),
    cluster: str | None = typer.Option(None, "--cluster", help="Cluster-robust SEs by 'target' or 'case', or "
                                                               "'none' for HC1 (default: target)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Logistic regression of an outcome on named covariates (robust SEs, average marginal effects, a plain-language
    summary); --spec runs a documented default specification, --list shows them. Associations, not causes."""
    from equilibrium.errors import InvalidInput
    from equilibrium.evidence.models import default_specs, fit

    if list_specs:
        specs = default_specs(dataset)
        if as_json:
            print_json({"specs": specs})
            return
        t = Table(title="Default model specifications (equilibrium evidence model --dataset D --spec ID)")
        for col in ("Spec", "Question", "Outcome ~ covariates", "Cannot identify"):
            t.add_column(col, overflow="fold")
        for s in specs:
            t.add_row(s["key"], s["question"], f"{s['outcome']} ~ {' + '.join(s['covariates'])}",
                      s["cannot_identify"][0])
        console.print(t)
        return
    if dataset is None:
        raise InvalidInput("give --dataset (gsdb, ties or eusanct), or --list")
    if spec is None and not covariates:
        raise InvalidInput("give --spec a|b|c or --covariates (see --list)")
    res = fit(dataset, outcome=outcome, covariates=covariates, spec_id=spec, path=path, china_path=china_path,
              sender=sender, target=target, objective=objective, issue=issue, since=since, until=until,
              sanction_type=sanction_type, multilateral=multilateral, include_ongoing=include_ongoing,
              hse_threshold=hse_threshold, cluster=cluster or "target")
    if as_json:
        print_json(res)
        return
    ames = {a["term"]: a for a in res["ame"]}
    t = Table(title=f"{res['title']}: logit of {res['outcome']} (n = {res['n']}, {res['events']} events"
                    + (f"; spec {res['spec']['key']}" if res["spec"] else "") + ")")
    for col in ("Term", "Coef.", "Robust SE", "p", "AME (pp)", "95 % CI (pp)"):
        t.add_column(col, justify="left" if col == "Term" else "right", overflow="fold")
    for c in res["coefficients"]:
        a = ames.get(c["term"])
        t.add_row(escape(c["term"]), f"{c['coef']:.3f}", f"{c['se']:.3f}", f"{c['p']:.3f}",
                  _pp(a["ame"]) if a else "", f"{_pp(a['ci95'][0])} to {_pp(a['ci95'][1])}" if a else "")
    console.print(t)
    console.print(f"[dim]SEs {res['covariance']}; McFadden pseudo-R² {res['pseudo_r2']:.3f}; AIC {res['aic']:.1f}; "
                  f"converged: {'yes' if res['converged'] else 'no'}.[/]")
    for line in res["summary"]:
        console.print(line, highlight=False)
    for w in res["warnings"]:
        err_console.print(f"[yellow]warning: {w}[/]", soft_wrap=True)
    if res["cannot_identify"]:
        console.print("[dim]What the data cannot identify: " + " ".join(res["cannot_identify"]) + "[/]")
