"""``equilibrium evidence base-rate|cases|datasets|model|specs|findings``: sanctions data sets (GSDB, TIES, EUSANCT,
China-TIES) and the published findings. Each command asks one question of :mod:`equilibrium.questions.evidence` and
renders only its answer; ``--path`` points the question at a data file or folder instead of
``$EQUILIBRIUM_DATA_DIR``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from equilibrium.cli.common import ask, console, err_console, handle_errors, print_stated
from equilibrium.errors import InvalidInput
from equilibrium.evidence.loaders import data_path_override
from equilibrium.questions import evidence as q

app = typer.Typer(help="Evidence from sanctions data sets (GSDB R3, TIES v4, EUSANCT, China-TIES): base rates with "
                       "95 % Wilson intervals, a country's episodes linked to the curated record, logit models, "
                       "the files found, and the published findings.",
                  no_args_is_help=True)

_DATASET_HELP = "Data set: gsdb, ties, eusanct or china-ties."
_PATH_HELP = "The data file (or a folder holding it); default: its usual name under $EQUILIBRIUM_DATA_DIR."


def _pct(r: q.ShareRate) -> tuple[str, str, str]:
    if r.share is None or r.ci95 is None:
        return "—", f"0/{r.n}", "—"
    lo, hi = r.ci95
    return f"{100 * r.share:.1f} %", f"{r.k}/{r.n}", f"{100 * lo:.1f}–{100 * hi:.1f} %"


def _sources(cites: list[q.Citation]) -> None:
    console.print("[dim]Sources: " + escape("; ".join(s.title or s.id for s in cites)) + "[/]")


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
    goal: str | None = typer.Option(None, "--goal", help="A goal group of the codebook, e.g. nonproliferation."),
    since: int | None = typer.Option(None, "--since", help="Episodes starting in or after this year."),
    until: int | None = typer.Option(None, "--until", help="Episodes starting in or before this year."),
    sanction_type: str | None = typer.Option(None, "--type", help="Sanction type slug (GSDB: trade, arms, military, "
                                                                  "financial, travel, other; TIES: total_embargo, "
                                                                  "import_restriction, aid_termination, ...)."),
    multilateral: bool | None = typer.Option(None, "--multilateral/--unilateral",
                                             help="Only multilateral (or only unilateral) episodes."),
    role: str | None = typer.Option(None, "--role", help="China-TIES: China as 'sender' or 'target'."),
    by: str | None = typer.Option(None, "--by", help="Group by objective|issue, decade, sender, target, role, "
                                                     "multilateral (the data set's codebook lists its choices)."),
    include_ongoing: bool | None = typer.Option(None, "--include-ongoing",
                                                help="GSDB: keep ongoing pairs in the denominator (as not "
                                                     "successful)."),
    threats: str | None = typer.Option(None, "--threats", help="TIES family: 'all' threat cases (default) or only "
                                                               "'concluded' ones in the threats-not-imposed share."),
    hse_threshold: int | None = typer.Option(None, "--hse-threshold",
                                             help="EUSANCT: HSE score counted as success (PIIE: 9)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Outcome shares of a data set under its documented default definition, each with n and a 95 % Wilson
    interval; filters narrow the episodes, --by splits them into groups."""
    with data_path_override(path):
        res = ask(q.base_rate, as_json, dataset=dataset, sender=sender, target=target, objective=objective,
                  issue=issue, goal=goal, since=since, until=until, sanction_type=sanction_type,
                  multilateral=multilateral, role=role, by=by, include_ongoing=include_ongoing, threats=threats,
                  hse_threshold=hse_threshold)
    if res is None:
        return
    d = res.definition
    t = Table(title=f"{res.title}: {res.rows:,} {d.unit} rows")
    for col in ("Rate", "Share", "k/n", "95 % CI (Wilson)", "Denominator"):
        t.add_column(col, overflow="fold")
    for name, r in res.rates.items():
        t.add_row(name, *_pct(r), d.rates[name].denominator)
    console.print(t)
    if res.groups:
        names = list(res.rates)
        g = Table(title=f"By {res.by} ({res.group_rule})")
        g.add_column("Group")
        g.add_column("Rows", justify="right")
        for name in names:
            g.add_column(name.removesuffix("_share"), justify="right", overflow="fold")
        for grp in res.groups:
            cells = []
            for name in names:
                r = grp.rates[name]
                cells.append("—" if r.share is None else f"{100 * r.share:.0f} % (n={r.n})")
            g.add_row(escape(grp.label), str(grp.rows), *cells)
        console.print(g)
    console.print(f"[dim]Definition {d.name}: {escape(d.text)} Alternatives: {escape(', '.join(d.alternatives))}.[/]")
    console.print(f"[dim]Headline share: {res.headline} ({escape(d.rates[res.headline].words)}).[/]")
    if res.rows_excluded:
        console.print(f"[dim]{res.rows_excluded} row(s) of the file could not be read and were left out "
                      "(--json lists them).[/]")
    print_stated(res, ["dataset", "file", "file:sender", "file:target", "success", "sample"])
    _sources(res.sources)


@app.command("cases")
@handle_errors
def cases_cmd(
    target: str = typer.Option(..., "--target", help="Country (ISO3, name or COW code), e.g. PAK or IND."),
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Only this data set. " + _DATASET_HELP),
    path: Path | None = typer.Option(None, "--path", help="A folder holding the data files, or with --dataset the "
                                                          "data file; default: $EQUILIBRIUM_DATA_DIR."),
    role: str | None = typer.Option(None, "--role", help="Episodes with the country as 'target' (default), "
                                                         "'sender' or 'any'."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Every episode with the country as target (or sender) in each data set, with its years, senders, issue and
    outcome, linked to the curated sanctions record where the same episode appears there."""
    if path is not None and dataset is None and path.is_file():
        raise InvalidInput("--path FILE needs --dataset (which data set the file is); or give a folder")
    with data_path_override(path):
        res = ask(q.cases, as_json, target=target, dataset=dataset, role=role)
    if res is None:
        return
    c = res.country
    t = Table(title=f"{c.name} ({c.code}) as {res.role}: {res.count} episode(s)")
    for col in ("Data set", "Case", "Years", "Role", "Senders", "Issue", "Outcome", "Record links"):
        t.add_column(col, overflow="fold")
    for e in res.cases:
        years = f"{e.start_year}–{e.end_year or ('…' if e.ongoing else '?')}"
        senders = ", ".join(s.code for s in e.senders)
        issues = "; ".join(i.label for i in e.issues)
        links = ", ".join(x.action for x in e.links[:3]) + (" …" if len(e.links) > 3 else "")
        t.add_row(e.dataset, e.case_id, years, e.role, escape(senders), escape(issues),
                  escape(e.outcome or "—"), links or "—")
    console.print(t)
    for ds, v in res.datasets.items():
        if not v.found:
            err_console.print(f"[yellow]{ds}: {escape(v.message or '')}[/]", soft_wrap=True)
    print_stated(res, ["role", "sample", "data_path"])


@app.command("datasets")
@handle_errors
def datasets_cmd(
    path: Path | None = typer.Option(None, "--path", help="Folder to search (default: $EQUILIBRIUM_DATA_DIR)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Which data files are found and where, and a summary of each codebook (publisher, unit, headline share)."""
    with data_path_override(path):
        res = ask(q.datasets, as_json)
    if res is None:
        return
    t = Table(title="Evidence data sets (EQUILIBRIUM_DATA_DIR=" + (res.data_dir or "unset") + ")")
    for col in ("Data set", "Found", "Files / how to obtain", "Unit", "Headline share", "Code lists"):
        t.add_column(col, overflow="fold")
    for ds, v in res.datasets.items():
        where = "\n".join(f"{f.role}: {f.path} (sha256 {f.sha256[:12]})" for f in v.files) if v.found else v.obtain
        lists = ", ".join(f"{k}{'' if x.checked else '*'}" for k, x in v.codelists.items())
        t.add_row(f"{ds}\n{v.title}", "yes" if v.found else "[red]no[/]", escape(where), escape(v.unit),
                  f"{v.headline}\n({escape(v.headline_words)})", lists)
    console.print(t)
    console.print("[dim]* labels not checked against the publisher's codebook. Files are not shipped: give --path or "
                  "set EQUILIBRIUM_DATA_DIR.[/]")


def _pp(x: float) -> str:
    return f"{'+' if x >= 0 else '−'}{abs(100 * x):.1f}"


@app.command("specs")
@handle_errors
def specs_cmd(
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Data set: gsdb, ties or eusanct."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The documented default model specifications (equilibrium evidence model --dataset D --spec ID)."""
    res = ask(q.specs, as_json, dataset=dataset)
    if res is None:
        return
    t = Table(title="Default model specifications (equilibrium evidence model --dataset D --spec ID)")
    for col in ("Spec", "Question", "Outcome ~ covariates", "Cannot identify"):
        t.add_column(col, overflow="fold")
    for s in res.specs:
        t.add_row(s.key, s.question, f"{s.outcome} ~ {' + '.join(s.covariates)}", s.cannot_identify[0])
    console.print(t)


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
    list_specs: bool = typer.Option(False, "--list", help="List the default specifications and exit (as "
                                                          "`evidence specs`)."),
    path: Path | None = typer.Option(None, "--path", help=_PATH_HELP + " China-TIES files (china_involved) are "
                                                                       "searched in the same folder."),
    sender: str | None = typer.Option(None, "--sender", help="Sender: country name, ISO3, COW code, EU or UN."),
    target: str | None = typer.Option(None, "--target", help="Target: country name, ISO3 or COW code."),
    objective: str | None = typer.Option(None, "--objective", help="GSDB objective (e.g. democracy, prevent_war)."),
    issue: str | None = typer.Option(None, "--issue", help="Issue: code, slug or label (TIES family)."),
    since: int | None = typer.Option(None, "--since", help="Episodes starting in or after this year."),
    until: int | None = typer.Option(None, "--until", help="Episodes starting in or before this year."),
    sanction_type: str | None = typer.Option(None, "--type", help="Sanction type slug."),
    multilateral: bool | None = typer.Option(None, "--multilateral/--unilateral",
                                             help="Only multilateral (or only unilateral) episodes."),
    include_ongoing: bool | None = typer.Option(None, "--include-ongoing",
                                                help="GSDB: keep ongoing pairs (as not successful)."),
    hse_threshold: int | None = typer.Option(None, "--hse-threshold",
                                             help="EUSANCT: HSE score counted as success (PIIE: 9)."),
    cluster: str | None = typer.Option(None, "--cluster", help="Cluster-robust SEs by 'target' or 'case', or "
                                                               "'none' for HC1 (default: target)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Logistic regression of an outcome on named covariates (robust SEs, average marginal effects, a plain-language
    summary); --spec runs a documented default specification, --list shows them. Associations, not causes."""
    if list_specs:
        specs_cmd(dataset=dataset, as_json=as_json)
        return
    if dataset is None:
        raise InvalidInput("give --dataset (gsdb, ties or eusanct), or --list")
    with data_path_override(path):
        res = ask(q.model, as_json, dataset=dataset, spec=spec, outcome=outcome, covariates=covariates,
                  sender=sender, target=target, objective=objective, issue=issue, since=since, until=until,
                  sanction_type=sanction_type, multilateral=multilateral, include_ongoing=include_ongoing,
                  hse_threshold=hse_threshold, cluster=cluster)
    if res is None:
        return
    ames = {a.term: a for a in res.ame}
    t = Table(title=f"{res.title}: logit of {res.outcome} (n = {res.n}, {res.events} events"
                    + (f"; spec {res.spec.key}" if res.spec else "") + ")")
    for col in ("Term", "Coef.", "Robust SE", "p", "AME (pp)", "95 % CI (pp)"):
        t.add_column(col, justify="left" if col == "Term" else "right", overflow="fold")
    for c in res.coefficients:
        a = ames.get(c.term)
        t.add_row(escape(c.term), f"{c.coef:.3f}", f"{c.se:.3f}", f"{c.p:.3f}",
                  _pp(a.ame) if a else "", f"{_pp(a.ci95[0])} to {_pp(a.ci95[1])}" if a else "")
    console.print(t)
    console.print(f"[dim]SEs {res.covariance}; McFadden pseudo-R² {res.pseudo_r2:.3f}; AIC {res.aic:.1f}; "
                  f"converged: {'yes' if res.converged else 'no'}.[/]")
    for line in res.summary:
        console.print(escape(line), highlight=False)
    for w in res.warnings:
        err_console.print(f"[yellow]warning: {escape(w)}[/]", soft_wrap=True)
    if res.cannot_identify:
        console.print("[dim]What the data cannot identify: " + escape(" ".join(res.cannot_identify)) + "[/]")


@app.command("findings")
@handle_errors
def findings_cmd(
    path: Path | None = typer.Option(None, "--path", help="Folder holding the data files (default: "
                                                          "$EQUILIBRIUM_DATA_DIR)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The published findings on whether sanctions work, each beside our comparable share where the data file is
    installed."""
    with data_path_override(path):
        res = ask(q.findings, as_json)
    if res is None:
        return
    t = Table(title=f"Published findings ({res.count}, {res.unverified} unverified)")
    for col in ("Finding", "Published", "Ours (comparable share)"):
        t.add_column(col, overflow="fold")
    for f in res.findings:
        vals = "; ".join(f"{v.label}: " + (f"{100 * v.value:.0f} %" if v.unit == "share" and v.value is not None
                                           else f"{v.value if v.value is not None else f'{v.min}–{v.max}'}")
                         + (" (unverified)" if v.unverified else "") for v in f.values[:3])
        ours = []
        for c in f.compare_with:
            x = c.computed
            if x.status == "ok" and x.share is not None and x.ci95 is not None:
                ours.append(f"{c.dataset} {c.measure}: {100 * x.share:.1f} % ({100 * x.ci95[0]:.0f}–"
                            f"{100 * x.ci95[1]:.0f} %, n={x.n})")
            else:
                ours.append(f"{c.dataset}: {'not installed' if x.status == 'missing' else x.message or '—'}")
        t.add_row(escape(f.title) + (" [yellow](unverified)[/]" if f.unverified else ""), escape(vals) or "—",
                  escape("\n".join(ours)) or "—")
    console.print(t)
    print_stated(res, ["data_path"])
