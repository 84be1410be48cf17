"""``equilibrium evidence base-rate|cases|datasets``: sanctions data sets (GSDB, TIES, EUSANCT, China-TIES)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
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
