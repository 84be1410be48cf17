"""``equilibrium dynamics data|fit|backtest|alignment|run|sensitivity``: the South Asian strategic order as data,
estimated arms-race relationships, forecast backtests, UNGA alignment and scenario ensembles. Each command asks one
question of :mod:`equilibrium.questions.dynamics` and renders only its answer; ``--path`` points it at a data file
or folder instead of ``$EQUILIBRIUM_DATA_DIR``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from equilibrium.cli.common import ask, console, handle_errors, print_stated
from equilibrium.dynamics.data import data_path_override
from equilibrium.questions import dynamics as q

app = typer.Typer(help="Dynamics of the South Asian strategic order: data (SIPRI, COW, UNGA), arms-race fits, "
                       "backtests, alignment, scenario ensembles and sensitivity.", no_args_is_help=True)

PATH = typer.Option(None, "--path", help="A data file or the folder holding the data sets; default: "
                                         "$EQUILIBRIUM_DATA_DIR.")
JSON = typer.Option(False, "--json", help="Print one JSON object (the HTTP API's answer).")


@app.command("data")
@handle_errors
def data_cmd(dataset: str | None = typer.Option(None, "--dataset", help="One data set: sipri-milex, "
                                                "sipri-tiv-imports, sipri-tiv-exports, cow-nmc, voeten-idealpoints, "
                                                "unvotes."),
             path: Path | None = PATH, as_json: bool = JSON) -> None:
    """Which data sets are found: rows, years, problems; or who publishes them and how to obtain them."""
    with data_path_override(path), console.status("Reading the data sets…"):
        a = ask(q.dynamics_data, as_json, dataset=dataset)
    if a is None:
        return
    t = Table(title=f"Dynamics data: {a.found} found, {a.missing} missing")
    for col in ("Data set", "Found", "Rows", "Years", "Problems", "Publisher / file"):
        t.add_column(col)
    for d in a.datasets:
        yrs = f"{d.years[0]}–{d.years[1]}" if d.years else "—"
        t.add_row(d.dataset, "yes" if d.found else "[red]no[/]", f"{d.rows:,}" if d.rows is not None else "—", yrs,
                  str(d.problems) if d.problems is not None else "—", d.path if d.found else d.publisher)
    console.print(t)
    for d in a.datasets:
        if not d.found:
            console.print(f"[dim]{d.dataset}: {d.obtain}[/]")
    print_stated(a)


def _p(x: float | None) -> str:
    return "—" if x is None else (f"{x:.2g}" if x < 0.001 else f"{x:.3f}")


@app.command("fit")
@handle_errors
def fit_cmd(system: str | None = typer.Option(None, "--system", help="bilateral (India ↔ Pakistan) or triad (China "
                                                                      "→ India → Pakistan)."),
            form: str | None = typer.Option(None, "--form", help="levels (default) or differences."),
            start: int | None = typer.Option(None, "--start", help="First year of the sample."),
            end: int | None = typer.Option(None, "--end", help="Last year of the sample."),
            path: Path | None = PATH, as_json: bool = JSON) -> None:
    """Arms racing on SIPRI military expenditure: Richardson action–reaction fits (HAC SE), Granger both ways, the
    VECM's Johansen rank, structural breaks found and tested, and the published findings beside the estimates."""
    with data_path_override(path), console.status("Fitting the arms-race system…"):
        a = ask(q.dynamics_fit, as_json, system=system, form=form, start=start, end=end)
    if a is None:
        return
    t = Table(title=f"Richardson fits ({a.system}, {a.form} form, log spending)")
    for col in ("Equation", "Coefficient", "Estimate", "HAC SE", "p", "Sample"):
        t.add_column(col)
    for actor, f in a.fits["fits"].items():
        for k, v in f["params"].items():
            t.add_row(actor, k, f"{v:+.3f}", f"{f['se'][k]:.3f}", _p(f["pvalues"][k]),
                      f"{f['years'][0]}–{f['years'][1]}, n={f['n']}")
    console.print(t)
    g = a.granger
    for test in g["tests"]:
        console.print(f"Granger {test['cause']} → {test['effect']}: p = {_p(test['p_value'])} (lag {g['lag']}, "
                      f"{g['transform']}, {g['n']} years)")
    v = a.vecm
    console.print(f"VECM (Johansen trace, 5 %): rank {v['rank']} — {v.get('note') or ''}")
    for actor, b in a.breaks.items():
        found = ", ".join(f"{x['year']} (Chow p {_p(x['p_value'])})" for x in b["found"]) or "none found"
        sf = b["sup_f"]
        console.print(f"Breaks in {actor}'s equation: {found}; sup-F at {sf['year']}: bootstrap p {_p(sf['p_value'])}")
    t = Table(title="Published findings beside the estimates")
    for col in ("Finding", "Claim", "Verdict", "Sources"):
        t.add_column(col)
    for f in a.findings:
        t.add_row(f["title"], f["claim"], f["verdict"], ", ".join(f["sources"]))
    console.print(t)
    print_stated(a)


@app.command("backtest")
@handle_errors
def backtest_cmd(target: str | None = typer.Option(None, "--target", help="IND or PAK (default)."),
                 first_origin: int | None = typer.Option(None, "--first-origin",
                                                     help="First forecast origin (year; default 1995)."),
                 last_origin: int | None = typer.Option(None, "--last-origin",
                                                    help="Last forecast origin (year; default 2018)."),
                 path: Path | None = PATH, as_json: bool = JSON) -> None:
    """Rolling-origin forecasts 1–5 years ahead, scored by MASE and MAPE per horizon against a random walk with
    drift and ARIMA; a model is skilful only where it beats the random walk."""
    with data_path_override(path), console.status("Backtesting…"):
        a = ask(q.dynamics_backtest, as_json, target=target, first_origin=first_origin, last_origin=last_origin)
    if a is None:
        return
    scores = a.result["scores"]
    hs = sorted({s["horizon"] for s in scores})
    models = list(dict.fromkeys(s["model"] for s in scores))
    t = Table(title=f"Backtest of {a.target}'s military expenditure: MASE by horizon (years; lower is better)")
    t.add_column("Model")
    for h in hs:
        t.add_column(f"h={h}", justify="right")
    rw = {s["horizon"]: s["mase"] for s in scores if s["model"] == "random_walk"}
    for m in models:
        cells = []
        for h in hs:
            s = next((x for x in scores if x["model"] == m and x["horizon"] == h), None)
            if s is None or s["mase"] is None:
                cells.append("—")
                continue
            better = m != "random_walk" and rw.get(h) is not None and s["mase"] < rw[h]
            cells.append(f"[green]{s['mase']:.2f}[/]" if better else f"{s['mase']:.2f}")
        t.add_row(m, *cells)
    console.print(t)
    console.print(a.summary)
    print_stated(a)


@app.command("alignment")
@handle_errors
def alignment_cmd(dyad: list[str] = typer.Option(None, "--dyad", help="A pair like PAK-USA (repeatable; default "
                                                                      "PAK–USA, PAK–CHN, IND–USA, IND–CHN, PAK–IND)."),
                  start: int | None = typer.Option(None, "--start", help="First year (default 1972)."),
                  end: int | None = typer.Option(None, "--end", help="Last year."),
                  subset: str | None = typer.Option(None, "--subset", help="all (default), resolutions or important."),
                  path: Path | None = PATH, as_json: bool = JSON) -> None:
    """UNGA alignment: ideal-point distance, vote coincidence, Lijphart agreement and S-scores by decade, trends
    with intervals, tested breaks, and which measures drift toward China."""
    with data_path_override(path), console.status("Computing alignment (UNGA votes and ideal points)…"):
        a = ask(q.dynamics_alignment, as_json, dyads=dyad or None, start=start, end=end, subset=subset)
    if a is None:
        return
    t = Table(title="Trends per decade (95 % interval) and breaks")
    for col in ("Dyad", "Measure", "Trend / decade", "95 % CI", "Breaks"):
        t.add_column(col)
    for tr in a.report["trends"]:
        ci = tr.get("ci95") or [None, None]
        brk = ", ".join(str(b.get("year")) for b in tr.get("breaks", [])) or "none"
        slope = tr.get("slope_per_decade")
        dy = tr.get("dyad", "")
        t.add_row("–".join(dy) if isinstance(dy, list) else str(dy), tr.get("measure", ""),
                  "—" if slope is None else f"{slope:+.3g}",
                  "—" if ci[0] is None else f"{ci[0]:+.3g} to {ci[1]:+.3g}", brk)
    console.print(t)
    console.print(a.drift)
    for c in a.published:
        console.print(f"[dim]{c.get('figure', '')}: published {c.get('stated', '')!r}; {c.get('relation', '')}[/]")
    print_stated(a)


def _fan_rows(t: Table, label: str, fan: dict[str, list[float]], years: list[int], fmt: str) -> None:
    for i in sorted({0, len(years) // 2, len(years) - 1}):
        t.add_row(label if i == 0 else "", str(years[i]), format(fan["p5"][i], fmt), format(fan["p50"][i], fmt),
                  format(fan["p95"][i], fmt))


@app.command("run")
@handle_errors
def run_cmd(scenario: str = typer.Option("baseline", "--scenario", help="baseline, sanctions-intensify, "
                                                                         "engagement or us-india-deepens."),
            n_runs: int = typer.Option(2000, "-n", "--runs", help="Runs."),
            years: int = typer.Option(30, "--years", help="Years simulated after the data's last year."),
            seed: int = typer.Option(0, "--seed", help="Seed (results identical for any --workers)."),
            compare_with: str | None = typer.Option(None, "--compare-with", help="Also run this scenario on the "
                                                                                  "same seeds; show the difference."),
            workers: int = typer.Option(1, "--workers", help="Local worker processes."),
            scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (or 'local')."),
            out: Path | None = typer.Option(None, "--out", help="Folder for Parquet parts (resumable)."),
            path: Path | None = PATH, as_json: bool = JSON) -> None:
    """Scenario ensemble: fan charts (P5/P50/P95) of the India/Pakistan expenditure ratio, Pakistan's alignment
    and the cumulative sanctions cost; with --compare-with the paired difference."""
    from equilibrium.cli.common import print_json
    from equilibrium.questions.base import parse_params

    p = parse_params(q.RunParams, {"scenario": scenario, "n_runs": n_runs, "years": years, "seed": seed,
                                   "compare_with": compare_with})
    with data_path_override(path), console.status(f"Running {n_runs:,} runs of {scenario}…"):
        a = q.run_answer(p, workers=workers, scheduler=scheduler, out_dir=out)
    if as_json:
        print_json(a.to_json())
        return
    e = a.ensemble
    yrs = e["years"]
    t = Table(title=f"{a.scenario}: {e['n_runs']:,} runs, P5 / P50 / P95")
    for col in ("Output", "Year", "P5", "P50", "P95"):
        t.add_column(col, justify="right" if col not in ("Output",) else "left")
    for key, label, fmt in (("milex_ratio", "India/Pakistan milex ratio", ".2f"),
                            ("alignment", "Pakistan alignment (0 US, 1 China)", ".2f"),
                            ("cost_pct_gdp", "cumulative sanctions cost (% GDP)", ".2f"),
                            ("china_share", "China's share of Pakistan's arms imports", ".2f")):
        if key in e["outputs"]:
            _fan_rows(t, label, e["outputs"][key], yrs, fmt)
    console.print(t)
    if a.comparison is not None:
        c = a.comparison
        t = Table(title=f"Difference {c['b']} − {c['a']} in {yrs[-1]} (paired runs)")
        for col in ("Output", "P5", "P50", "P95", "median 95 % CI"):
            t.add_column(col)
        for key, d in c["difference"].items():
            if key.startswith("milex_") and key != "milex_ratio":
                continue
            t.add_row(key, f"{d['p5'][-1]:+.3g}", f"{d['p50'][-1]:+.3g}", f"{d['p95'][-1]:+.3g}",
                      f"{d['p50_lo95'][-1]:+.3g} to {d['p50_hi95'][-1]:+.3g}")
        console.print(t)
    print_stated(a)


@app.command("sensitivity")
@handle_errors
def sensitivity_cmd(scenario: str | None = typer.Option(None, "--scenario",
                                                        help="Scenario whose parameters vary (default baseline)."),
                    method: str | None = typer.Option(None, "--method", help="morris (screen, default) or sobol."),
                    n: int | None = typer.Option(None, "-n",
                                                 help="Morris trajectories or Sobol base sample (2^k; default 64)."),
                    years: int | None = typer.Option(None, "--years", help="Years simulated (default 30)."),
                    seed: int | None = typer.Option(None, "--seed", help="Seed (default 0)."),
                    path: Path | None = PATH, as_json: bool = JSON) -> None:
    """Global sensitivity (SALib) of the scenario model's last-year outputs: Morris μ*/σ or Sobol S1/ST."""
    with data_path_override(path), console.status(f"{method or 'morris'} sensitivity…"):
        a = ask(q.dynamics_sensitivity, as_json, scenario=scenario, method=method, n=n, years=years, seed=seed)
    if a is None:
        return
    r = a.result
    for out in r["outputs"].values():
        t = Table(title=f"{a.method}: {out['meaning']} in {r['year']} (top 6 factors)")
        if a.method == "morris":
            for col in ("Factor", "Kind", "μ*", "± 95 %", "σ"):
                t.add_column(col)
            for ix in out["indices"][:6]:
                t.add_row(ix["factor"], ix["kind"], f"{ix['mu_star']:.3g}", f"{ix['mu_star_conf']:.2g}",
                          f"{ix['sigma']:.3g}")
        else:
            for col in ("Factor", "Kind", "S1", "ST", "flag"):
                t.add_column(col)
            for ix in out["indices"][:6]:
                t.add_row(ix["factor"], ix["kind"], f"{ix['s1']:.3g} ± {ix['s1_conf']:.2g}",
                          f"{ix['st']:.3g} ± {ix['st_conf']:.2g}", "unreliable" if ix.get("unreliable") else "")
        console.print(t)
    print_stated(a)
