"""``equilibrium claims list|check ID|check --all|export``: the commentaries' claims and their computed verdicts
(robustness over reasonable alternative settings, the strongest counter-setting, the evidence of every setting),
exported as schema.org ClaimReview JSON-LD."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from equilibrium.cli.common import ask, check_output_path, console, handle_errors, print_stated, writing
from equilibrium.errors import InvalidInput
from equilibrium.questions import claims as q

app = typer.Typer(help="The commentaries' claims, checked on the question layer: verdicts with robustness, the "
                       "counter-setting and the evidence; ClaimReview export.",
                  no_args_is_help=True)

_STYLE = {"supported": "green", "mostly supported": "green", "mixed": "yellow", "mostly unsupported": "red",
          "refuted": "bold red", "not checkable": "dim"}


def _verdict(v: q.ClaimVerdict) -> str:
    return f"[{_STYLE[v.verdict]}]{v.verdict}[/]"


def _value(x: Any) -> str:
    text = json.dumps(x, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


@app.command("list")
@handle_errors
def list_cmd(
    commentary: str | None = typer.Option(None, "--commentary", help="Only this commentary's claims (its id)."),
    kind: str | None = typer.Option(None, "--kind", help="Only claims of this kind (threshold, comparison, count, "
                                                         "event, trend, base_rate, causal, forecast, opinion)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List the claims as written: quote, kind and the question that answers each (nothing is run)."""
    res = ask(q.claims_list, as_json, commentary=commentary, kind=kind)
    if res is None:
        return
    t = Table(title=f"Claims ({res.count})")
    for col in ("Claim", "Kind", "Quote", "Question"):
        t.add_column(col, overflow="fold")
    for c in res.claims:
        t.add_row(c.id, c.kind, escape(c.quote), escape(c.question or "—") + ("" if c.checkable else
                                                                             " [dim](not checkable)[/]"))
    console.print(t)
    for com in res.commentaries:
        console.print(f"[dim]{escape(com.id)}: {escape(com.title)} — {escape(com.author)}, {escape(com.outlet)}, "
                      f"{com.date}[/]", highlight=False)


def _one(v: q.ClaimVerdict) -> None:
    console.print(f"[bold]{v.id}[/] — {_verdict(v)}"
                  + (f", robustness {100 * v.robustness:.0f} %" if v.robustness is not None else ""))
    console.print(f"[italic]“{escape(v.quote)}”[/]")
    console.print(f"Reading: {escape(v.claim)}")
    if v.not_checked:
        console.print(f"[dim]Not checked: {escape(v.not_checked)}[/]")
    if v.settings:
        t = Table(title=f"Evidence: {v.question} — rule: {escape(v.rule or '')}", show_lines=True)
        for col in ("Setting", "Weight", "Parameters", "Value", "Holds", "Reason / error"):
            t.add_column(col, overflow="fold")
        for s in v.settings:
            holds = "—" if s.holds is None else ("[green]yes[/]" if s.holds else "[red]no[/]")
            params = ", ".join(f"{k}={json.dumps(x, ensure_ascii=False)}" for k, x in s.params.items())
            note = f"[red]{escape(s.error)}[/]" if s.error else escape(s.reason or "")
            t.add_row(escape(s.label), f"{s.weight:g}", escape(params), escape(_value(s.value)), holds, note)
        console.print(t)
    console.print(escape(v.explanation))
    if v.closest is not None:
        console.print(f"[dim]Closest evidence: {escape(v.closest.question)} "
                      f"{escape(json.dumps(v.closest.params, ensure_ascii=False))}[/]")
    for line in v.evidence:
        console.print(f"[dim]• {escape(line)}[/]")
    if v.sources:
        console.print("[dim]Sources: " + escape("; ".join(s.title or s.id for s in v.sources[:12]))
                      + (f" (+{len(v.sources) - 12} more)" if len(v.sources) > 12 else "") + "[/]")
    data = {d.name: d.value for s in v.settings for d in s.defaults if d.source == "data"}
    for name, value in data.items():
        console.print(f"[dim]{escape(name)}: {escape(value)}[/]", highlight=False)


@app.command("check")
@handle_errors
def check_cmd(
    claim_id: str | None = typer.Argument(None, metavar="ID", help="A claim id (see `claims list`)."),
    all_: bool = typer.Option(False, "--all", help="Check every claim."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Compute the verdict of one claim (with the evidence of every setting) or of every claim (--all)."""
    if claim_id is None and not all_:
        raise InvalidInput("give a claim id (see `equilibrium claims list`) or --all")
    if claim_id is not None and all_:
        raise InvalidInput("give a claim id or --all, not both")
    start = time.perf_counter()
    res = ask(q.claims_check, as_json, id=claim_id)
    if res is None:
        return
    if claim_id is not None:
        _one(res.verdicts[0])
        return
    t = Table(title=f"Claims checked ({res.count})")
    for col in ("Claim", "Verdict", "Robustness", "Counter-setting"):
        t.add_column(col, overflow="fold")
    for v in res.verdicts:
        rob = f"{100 * v.robustness:.0f} %" if v.robustness is not None else "—"
        counter = (f"{v.counter.label} (w {v.counter.weight:g})" if v.counter else
                   (escape(v.error or v.why or "") if v.verdict == "not checkable" else "none"))
        t.add_row(v.id, _verdict(v), rob, escape(counter) if v.counter else counter)
    console.print(t)
    tally = ", ".join(f"{n} {k}" for k, n in res.tally.items() if n)
    console.print(f"[dim]{tally}; {res.settings_checked} settings, {res.answers_computed} distinct answers, "
                  f"{time.perf_counter() - start:.1f} s[/]", highlight=False)
    print_stated(res, ["data:claims", "scale"])


@app.command("export")
@handle_errors
def export_cmd(
    fmt: str = typer.Option("claimreview", "--format", help="claimreview (schema.org ClaimReview JSON-LD per "
                                                            "claim) or json (the verdicts)."),
    claim_id: str | None = typer.Option(None, "--id", help="Only this claim."),
    base_url: str | None = typer.Option(None, "--base-url", help="Where the workbench is served (http(s) URL): "
                                                                 "each ClaimReview url becomes BASE/?claim=ID "
                                                                 "(absent: relative)."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write the list to this file (JSON)."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as one JSON object."),
) -> None:
    """Export the verdicts as a JSON list: ClaimReview JSON-LD objects or the verdicts themselves; to stdout, or
    to --out FILE."""
    if out is not None:
        check_output_path(out, (".json", ".jsonld"), option="--out")
    res = ask(q.claims_export, as_json and out is None, format=fmt, id=claim_id, base_url=base_url)
    if res is None:
        return
    text = json.dumps(res.items, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    with writing(out):
        out.write_text(text, encoding="utf-8")
    console.print(f"Wrote {res.count} {'ClaimReview objects' if res.format == 'claimreview' else 'verdicts'} "
                  f"to {out}")
