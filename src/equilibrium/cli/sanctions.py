"""``equilibrium sanctions actions|asymmetry|export``: the curated sanctions record."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from equilibrium.cli.common import console, handle_errors, print_json
from equilibrium.errors import InvalidInput

app = typer.Typer(help="The curated, sourced sanctions record: actions, asymmetry between countries, FtM export.",
                  no_args_is_help=True)


def _split(values: list[str]) -> list[str]:
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


@app.command("actions")
@handle_errors
def actions_cmd(
    target_country: str | None = typer.Option(None, "--target-country", help="Targets' country (ISO3 or name)."),
    sender: str | None = typer.Option(None, "--sender", help="Sanctioning state (ISO3) or UN/EU."),
    authority: str | None = typer.Option(None, "--authority", help="Legal authority (substring: 'CAATSA', "
                                                                   "'E.O. 13382', 'AECA §73')."),
    types: list[str] = typer.Option([], "--type", help="Action type(s): designation, menu-sanction, "
                                                       "statutory-sanction, waiver, delisting, "
                                                       "determination-not-made, statement, legislative-measure."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY[-MM[-DD]])."),
    until: str | None = typer.Option(None, "--until", help="Up to this date (YYYY[-MM[-DD]])."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The record's actions, sorted by date, with their legal authority, targets and sources."""
    from equilibrium.sanctions import actions

    res = actions(target_country=target_country, sender=sender, authority=authority, types=_split(types) or None,
                  since=since, until=until)
    if as_json:
        print_json(res)
        return
    t = Table(title=f"Sanctions record: {res['count']} action(s)")
    for col in ("Date", "Type", "Sender", "Authority", "List", "Targets", "Sources"):
        t.add_column(col, overflow="fold")
    for a in res["actions"]:
        targets = "; ".join(f"{x['name']} ({x.get('country', '?')})" for x in a["targets"])
        mark = " [yellow](unverified)[/]" if a["unverified"] else ""
        t.add_row(a["date"], a["type"] + mark, a["sender"], a["authority"], a["implementing_list"], targets,
                  str(len(a["sources"])))
    console.print(t)
    console.print("[dim]Sources: --json lists every source with title, publisher, date and URL.[/]")


@app.command("asymmetry")
@handle_errors
def asymmetry_cmd(
    countries: list[str] = typer.Argument(..., help="Target countries to compare (ISO3 or names), e.g. IND PAK."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY[-MM[-DD]])."),
    until: str | None = typer.Option(None, "--until", help="Up to this date."),
    sender: str | None = typer.Option(None, "--sender", help="Only this sender (ISO3, UN or EU)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Per country and year: actions by category (state vs private designations, waivers, determinations not
    made, ...) and by authority, with the actions behind each count."""
    from equilibrium.sanctions import asymmetry

    res = asymmetry(countries, since=since, until=until, sender=sender)
    if as_json:
        print_json(res)
        return
    cats = res["categories"]
    t = Table(title="Actions by category" + (f" since {since}" if since else ""))
    t.add_column("Category")
    for iso in res["countries"]:
        t.add_column(iso, justify="right")
    for c in cats:
        t.add_row(c, *[str(res["by_country"][iso]["totals"].get(c, {}).get("count", 0)) for iso in res["countries"]])
    t.add_row("[bold]total[/]", *[f"[bold]{res['by_country'][iso]['total']}[/]" for iso in res["countries"]])
    console.print(t)
    for iso in res["countries"]:
        auth = res["by_country"][iso]["by_authority"]
        if auth:
            console.print(f"[bold]{iso}[/] by authority: " + "; ".join(f"{k} {v['count']}" for k, v in auth.items()))


@app.command("export")
@handle_errors
def export_cmd(out: Path = typer.Option(..., "-o", "--out", help="Write FollowTheMoney entities (JSON lines)."),
               ) -> None:
    """Export the curated record as FollowTheMoney entities (targets and Sanction entities), one JSON per line."""
    from equilibrium.sanctions import to_ftm

    ents = to_ftm()
    try:
        out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ents), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    console.print(f"Wrote {len(ents)} entities to {out}")


@app.command("ingest")
@handle_errors
def ingest_cmd(
    path: Path = typer.Argument(..., help="Official list file (OFAC sdn.csv, UN consolidated XML)."),
    fmt: str | None = typer.Option(None, "--format", help="File format: ofac-csv, ofac-xml, ofac-nonsdn-xml, "
                                                          "un-xml (default: guessed from the file)."),
    list_date: str | None = typer.Option(None, "--list-date", help="Publication date YYYY-MM-DD (default: from "
                                                                    "the file name)."),
    add: Path | None = typer.Option(None, "--add", help="OFAC add.csv (addresses) of the same release."),
    alt: Path | None = typer.Option(None, "--alt", help="OFAC alt.csv (aliases) of the same release."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Load a list snapshot into the store (one transaction; the same file twice changes nothing); report
    entities, names, addresses and the additions, removals and changes against the previous snapshot."""
    from equilibrium.sanctions.store import ingest

    with console.status(f"Loading {path}…"):
        fmt = fmt or _guess_format(path)
        rep = ingest(path, fmt=fmt, list_date=list_date, add=add, alt=alt).to_dict()
    if as_json:
        print_json(rep)
        return
    note = " (this file was loaded before: nothing changed)" if rep["unchanged_file"] else ""
    console.print(f"{rep['list_name']} {rep['list_date']}: {rep['entities']:,} entities, {rep['names']:,} names, "
                  f"{rep['addresses']:,} addresses; added {rep['added']:,}, removed {rep['removed']:,}, changed "
                  f"{rep['changed']:,}{note}")


@app.command("history")
@handle_errors
def history_cmd(uid: str = typer.Argument(..., help="List entity id, e.g. OFAC-11357 or UN-110447."),
                as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """First-seen and last-seen list dates of a list entity, and its recorded changes."""
    from equilibrium.sanctions.store import history

    h = history(uid)
    if as_json:
        print_json(h)
        return
    console.print(f"{h['uid']} {h['name']} ({', '.join(h['programs'])}): first seen {h['first_seen']}, last seen "
                  f"{h['last_seen']}{'' if h['in_latest'] else ' (removed)'}")


@app.command("link-check")
@handle_errors
def link_check_cmd(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Check that every curated target with a list id resolves to an entity of the loaded lists, and list the
    targets that are explicitly unlisted or not yet linked."""
    from equilibrium.sanctions.store import link_check

    res = link_check()
    if as_json:
        print_json(res)
        return
    loaded = ", ".join(f"{x['list']} ({x['latest']})" for x in res["lists_loaded"]) or "none (run sanctions ingest)"
    console.print(f"Lists loaded: {loaded}")
    c = res["counts"]
    console.print(f"Curated targets: {c['resolved']} resolved, {c['missing']} with a list id not in the loaded "
                  f"lists, {c['unlisted']} explicitly unlisted, {c['unlinked']} not linked")
    for x in res["missing"]:
        console.print(f"  missing: {x['list_id']} {x['target']} ({x['action']})")


@app.command("screen")
@handle_errors
def screen_cmd(
    name: str | None = typer.Argument(None, help="Name to screen (or --input FILE)."),
    schema: str | None = typer.Option(None, "--schema", help="Person, Organization, Company, LegalEntity, Vessel."),
    country: str | None = typer.Option(None, "--country", help="Country (ISO code or name) of the query."),
    limit: int = typer.Option(10, "--limit", help="Candidates to return (1–100)."),
    algorithm: str = typer.Option("logic-v2", "--algorithm", help="logic-v2 (default) or ofac."),
    input_: Path | None = typer.Option(None, "--input", help="CSV with a 'name' column (optional 'schema', "
                                                             "'country'): screen every row."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Screen a name (or a CSV of names) against the loaded lists: candidates with score, programmes, lists and
    the matcher's explanation."""
    from equilibrium.sanctions.screening import screen

    if (name is None) == (input_ is None):
        raise InvalidInput("give a NAME or --input FILE")
    if name is not None:
        res = screen(name, schema=schema, country=country, limit=limit, algorithm=algorithm)
        if as_json:
            print_json(res)
            return
        t = Table(title=f"Screening {name!r} ({algorithm}; {res['index']['entities']:,} list entities)")
        for col in ("Score", "Id", "Name", "Programmes", "Why"):
            t.add_column(col, overflow="fold")
        for c in res["candidates"]:
            why = "; ".join(f"{k} {v['score']}" for k, v in c["explanation"].items())
            t.add_row(f"{c['score']:.2f}", c["id"], c["name"], ", ".join(c["programs"]), why)
        console.print(t)
        return
    import csv

    from rich.progress import Progress

    try:
        with input_.open(encoding="utf-8", newline="") as fh:  # type: ignore[union-attr]
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "name" not in reader.fieldnames:
                raise InvalidInput(f"{input_}: needs a header with a 'name' column")
            rows = list(reader)
    except OSError as exc:
        raise InvalidInput(f"cannot read {input_}: {exc.strerror}") from None
    out = []
    with Progress(console=console, transient=True, disable=as_json) as prog:
        task = prog.add_task("Screening", total=len(rows))
        for i, r in enumerate(rows, start=2):
            if not (r.get("name") or "").strip():
                raise InvalidInput(f"{input_}:{i}: empty name")
            res = screen(r["name"], schema=r.get("schema") or schema, country=r.get("country") or country,
                         limit=limit, algorithm=algorithm)
            out.append({"line": i, "query": r["name"], "candidates": res["candidates"]})
            prog.advance(task)
    if as_json:
        print_json({"results": out})
        return
    for o in out:
        best = o["candidates"][0] if o["candidates"] else None
        console.print(f"{o['query']}: " + (f"{best['score']:.2f} {best['id']} {best['name']}" if best else "—"))


def _guess_format(path: Path) -> str:
    """ofac-csv for .csv; for XML, the root element tells (CONSOLIDATED_LIST: UN; sdnList: OFAC, non-SDN when the
    file name says 'consolidated' or 'nonsdn')."""
    if path.suffix.lower() != ".xml":
        return "ofac-csv"
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if "<CONSOLIDATED_LIST" in head:
        return "un-xml"
    if "<sdnList" in head:
        low = path.name.lower()
        return "ofac-nonsdn-xml" if ("consolidated" in low or "nonsdn" in low) else "ofac-xml"
    raise InvalidInput(f"cannot tell the format of {path}; give --format (ofac-csv, ofac-xml, ofac-nonsdn-xml, "
                       "un-xml)")
