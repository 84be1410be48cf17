"""``equilibrium sanctions ...``: the curated sanctions record (actions, asymmetry, network, FtM export) and the store
of loaded lists (ingest, snapshots, history, screening). The questions are asked through
:mod:`equilibrium.questions.sanctions`; ingest, drop-snapshot, export and link-check change or write things."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from equilibrium.cli.common import (
    ask,
    check_output_path,
    console,
    err_console,
    handle_errors,
    print_json,
    print_stated,
)
from equilibrium.errors import InvalidInput
from equilibrium.questions.sanctions import (
    SanctionsNetwork,
    sanctions_actions,
    sanctions_asymmetry,
    sanctions_history,
    sanctions_network,
    sanctions_screen,
    sanctions_snapshots,
)
from equilibrium.sanctions import to_ftm
from equilibrium.sanctions.csl import CSV_COLUMNS

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
    res = ask(sanctions_actions, as_json, target_country=target_country, sender=sender, authority=authority,
              types=_split(types) or None, since=since, until=until)
    if res is None:
        return
    t = Table(title=f"Sanctions record: {res.count} action(s)")
    for col in ("Date", "Type", "Sender", "Authority", "List", "Targets", "Sources"):
        t.add_column(col, overflow="fold")
    for a in res.actions:
        targets = "; ".join(f"{x.name} ({x.country or '?'})" for x in a.targets)
        mark = " [yellow](unverified)[/]" if a.unverified else ""
        t.add_row(a.date, a.type + mark, a.sender, escape(a.authority), a.implementing_list, escape(targets),
                  str(len(a.sources)))
    console.print(t)
    console.print("[dim]Sources: --json lists every source with title, publisher, date and URL.[/]")


@app.command("asymmetry")
@handle_errors
def asymmetry_cmd(
    countries: list[str] = typer.Argument(..., help="Target countries to compare (ISO3 or names), e.g. IND PAK."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY[-MM[-DD]])."),
    until: str | None = typer.Option(None, "--until", help="Up to this date."),
    sender: str | None = typer.Option(None, "--sender", help="Only this sender (ISO3, UN or EU)."),
    categories: list[str] = typer.Option([], "--category", help="Count only these categories (repeat or comma-"
                                                                "separate): designation-state, designation-private, "
                                                                "menu-sanction, statutory-sanction, waiver, "
                                                                "delisting, determination-not-made, statement, "
                                                                "legislative-measure."),
    scope: str | None = typer.Option(None, "--scope", help="all (default) or proliferation (proliferation-related "
                                                           "actions only)."),
    verified_only: bool = typer.Option(False, "--verified-only", help="Leave out actions whose record entry is "
                                                                      "marked unverified."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Per country and year: actions by category (state vs private designations, waivers, determinations not
    made, ...) and by authority, with the actions behind each count."""
    res = ask(sanctions_asymmetry, as_json, countries=countries, since=since, until=until, sender=sender,
              categories=_split(categories) or None, scope=scope, verified_only=verified_only or None)
    if res is None:
        return
    t = Table(title="Actions by category" + (f" since {since}" if since else "")
              + (" (proliferation-related)" if res.scope == "proliferation" else ""))
    t.add_column("Category")
    for iso in res.countries:
        t.add_column(iso, justify="right")
    for c in res.categories:
        t.add_row(c, *[str(res.by_country[iso].totals[c].count if c in res.by_country[iso].totals else 0)
                       for iso in res.countries])
    t.add_row("[bold]total[/]", *[f"[bold]{res.by_country[iso].total}[/]" for iso in res.countries])
    t.add_row("[dim]of which unverified[/]", *[f"[dim]{res.by_country[iso].unverified.count}[/]"
                                               for iso in res.countries])
    console.print(t)
    for iso in res.countries:
        auth = res.by_country[iso].by_authority
        if auth:
            console.print(f"[bold]{iso}[/] by authority: " + escape("; ".join(f"{k} {v.count}"
                                                                                for k, v in auth.items())))
    print_stated(res, ["scope", "categories", "window", "records"])


@app.command("export")
@handle_errors
def export_cmd(out: Path = typer.Option(..., "-o", "--out", help="Write FollowTheMoney entities (JSON lines)."),
               ) -> None:
    """Export the curated record as FollowTheMoney entities (targets and Sanction entities), one JSON per line."""
    check_output_path(out)
    ents = to_ftm()
    try:
        out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ents), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    console.print(f"Wrote {len(ents)} entities to {out}")


@app.command("ingest")
@handle_errors
def ingest_cmd(
    path: Path = typer.Argument(..., help="Official list file (OFAC sdn.csv or XML, UN consolidated XML, US CSL "
                                          "consolidated.csv/.json, EU FSF XML)."),
    fmt: str | None = typer.Option(None, "--format", help="File format: ofac-csv, ofac-xml, ofac-nonsdn-xml, "
                                                          "un-xml, csl-csv, csl-json, eu-xml (default: guessed "
                                                          "from the file; a forced format must match the file)."),
    list_date: str | None = typer.Option(None, "--list-date", help="Publication date YYYY-MM-DD (default: the "
                                                                    "file's own date, else one in its name)."),
    add: Path | None = typer.Option(None, "--add", help="OFAC add.csv (addresses) of the same release."),
    alt: Path | None = typer.Option(None, "--alt", help="OFAC alt.csv (aliases) of the same release."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file and print what would be added, removed "
                                                          "and changed; write nothing."),
    allow_shrink: bool = typer.Option(False, "--allow-shrink", help="Load even if the snapshot removes more than "
                                                                    "--max-shrink of the list's latest snapshot."),
    max_shrink: float = typer.Option(5.0, "--max-shrink", min=0.0, max=100.0,
                                     help="Largest share (%) of the latest snapshot's entities a load may remove "
                                          "without --allow-shrink."),
    allow_uncounted: bool = typer.Option(False, "--allow-uncounted", help="Accept an OFAC XML file without "
                                                                          "Record_Count (its completeness cannot "
                                                                          "be checked)."),
    allow_missing_eof: bool = typer.Option(False, "--allow-missing-eof", help="Accept OFAC CSV files without the "
                                                                              "official end-of-file byte 0x1A (a "
                                                                              "re-saved copy; rows must still be "
                                                                              "complete)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Load a list snapshot into the store: the file is checked for completeness first, a load that would remove
    more than 5 % of the list is refused, everything is written in one transaction, and any snapshot can be dropped
    again (`sanctions drop-snapshot`). Reports entities, names, addresses and the additions, removals and changes
    against the latest snapshot."""
    from equilibrium.sanctions.store import ingest  # local: pulls sqlalchemy

    with console.status(f"Checking {path}…"):
        fmt = fmt or _guess_format(path)
        rep = ingest(path, fmt=fmt, list_date=list_date, add=add, alt=alt, dry_run=dry_run,
                     allow_shrink=allow_shrink, max_shrink=max_shrink / 100, allow_uncounted=allow_uncounted,
                     allow_missing_eof=allow_missing_eof).to_dict()
    if as_json:
        print_json(rep)
        return
    note = (" (this file is the list's latest snapshot: nothing changed)" if rep["unchanged_file"]
            else " — dry run: nothing was written" if rep["dry_run"] else "")
    prev = (f" against {rep['previous_date']} ({rep['previous_entities']:,} entities)" if rep["previous_date"]
            else " (first snapshot of this list)")
    console.print(f"{rep['list_name']} {rep['list_date']}: {rep['entities']:,} entities, {rep['names']:,} names, "
                  f"{rep['addresses']:,} addresses; added {rep['added']:,}, removed {rep['removed']:,}, changed "
                  f"{rep['changed']:,}{prev if not rep['unchanged_file'] else ''}{note}")
    if rep["dry_run"] and not rep["unchanged_file"]:
        for kind in ("added", "removed", "changed"):
            sample = rep[f"sample_{kind}"]
            if sample:
                more = rep[kind] - len(sample)
                console.print(f"  {kind}: " + "; ".join(f"{x['uid']} {x['name']}" for x in sample)
                              + (f" … and {more:,} more" if more > 0 else ""), highlight=False)


@app.command("snapshots")
@handle_errors
def snapshots_cmd(
    list_name: str | None = typer.Argument(None, help="List: OFAC-SDN, OFAC-NONSDN, UN-SC, US-CSL, EU-FSF "
                                                      "(default: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The list snapshots loaded in the store: list date, file hash, counts, changes against the previous snapshot,
    and when each was loaded."""
    res = ask(sanctions_snapshots, as_json, list_name=list_name)
    if res is None:
        return
    if not res.snapshots:
        console.print("No list snapshot is loaded (run `equilibrium sanctions ingest FILE`).")
        return
    from rich import box

    t = Table(title=f"Snapshots loaded ({res.count})", box=box.SIMPLE_HEAD, pad_edge=False)
    for col, just in (("List", "left"), ("Date", "left"), ("Entities", "right"), ("Changes", "left"),
                      ("File", "left"), ("Loaded (UTC)", "left")):
        t.add_column(col, justify=just, no_wrap=True)  # type: ignore[arg-type]
    for x in res.snapshots:
        flags = "".join(f for f, on in ((" *", x.latest), (" (not reversible)", not x.reversible)) if on)
        t.add_row(x.list_name, x.list_date + flags, f"{x.entities:,}",
                  f"+{x.added:,} −{x.removed:,} ~{x.changed:,}", x.sha256[:8],
                  x.loaded_at[:16].replace("T", " "))
    console.print(t)
    console.print("[dim]* latest snapshot of its list. Changes: added, removed, changed against the previous "
                  "snapshot.[/]")
    console.print("[dim]Undo a load with `equilibrium sanctions drop-snapshot LIST DATE`.[/]")
    print_stated(res, ["store"])


@app.command("drop-snapshot")
@handle_errors
def drop_snapshot_cmd(
    list_name: str = typer.Argument(..., help="List: OFAC-SDN, OFAC-NONSDN, UN-SC, US-CSL, EU-FSF."),
    list_date: str = typer.Argument(..., help="Date of the snapshot to drop (YYYY-MM-DD; see `sanctions "
                                              "snapshots`)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Remove one snapshot and rebuild the list's history (first/last seen, changes, names, screening index)
    exactly as if it had never been loaded."""
    from equilibrium.sanctions.store import drop_snapshot  # local: pulls sqlalchemy

    with console.status(f"Dropping {list_name} {list_date} and rebuilding the list's history…"):
        res = drop_snapshot(list_name, list_date)
    if as_json:
        print_json(res)
        return
    latest = res["latest"]
    console.print(f"Dropped {res['list']} {res['dropped']['list_date']} ({res['dropped']['entities']:,} entities); "
                  f"history rebuilt from {len(res['replayed'])} snapshot(s); latest now "
                  + (f"{latest['list_date']} ({latest['entities']:,} entities)" if latest else "none"))


@app.command("history")
@handle_errors
def history_cmd(uid: str = typer.Argument(..., help="List entity id, e.g. OFAC-11357 or UN-110447."),
                as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """First-seen and last-seen list dates of a list entity, and its recorded changes."""
    h = ask(sanctions_history, as_json, uid=uid)
    if h is None:
        return
    console.print(escape(f"{h.uid} {h.name} ({', '.join(h.programs)}; {h.list_name}): first seen {h.first_seen}, "
                         f"last seen {h.last_seen}{'' if h.in_latest else ' (removed)'}"))
    for c in h.changes:
        console.print(f"  {c.list_date} {c.kind}", highlight=False)


@app.command("link-check")
@handle_errors
def link_check_cmd(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Check that every curated target with a list id resolves to an entity of the loaded lists, and list the
    targets that are explicitly unlisted or not yet linked."""
    from equilibrium.sanctions.store import link_check  # local: pulls sqlalchemy

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
    limit: int | None = typer.Option(None, "--limit", help="Candidates to return (1–100; default 10)."),
    algorithm: str | None = typer.Option(None, "--algorithm", help="logic-v2 (default) or ofac."),
    input_: Path | None = typer.Option(None, "--input", help="CSV with a 'name' column (optional 'schema', "
                                                             "'country'): screen every row."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Screen a name (or a CSV of names) against the loaded lists: candidates with score, programmes, lists and
    the matcher's explanation."""
    if (name is None) == (input_ is None):
        raise InvalidInput("give a NAME or --input FILE")
    if name is not None:
        res = ask(sanctions_screen, as_json, q=name, schema_=schema, country=country, limit=limit,
                  algorithm=algorithm)
        if res is None:
            return
        t = Table(title=f"Screening {name!r} ({res.algorithm}; {res.index.entities:,} list entities)")
        for col in ("Score", "Id", "Name", "Programmes", "Why"):
            t.add_column(col, overflow="fold")
        for c in res.candidates:
            why = "; ".join(f"{k} {v.score}" for k, v in c.explanation.items())
            t.add_row(f"{c.score:.2f}", c.id, escape(c.name), escape(", ".join(c.programs)), why)
        console.print(t)
        print_stated(res, [d.name for d in res.defaults if d.name.startswith("list:")])
        return
    from rich.progress import Progress

    from equilibrium.sanctions.screening import read_screening_csv  # local: pulls numpy and sqlalchemy

    src = read_screening_csv(input_)  # type: ignore[arg-type]  # UTF-8 (or unambiguous), row and length caps
    if src.note:
        err_console.print(f"note: {src.note}", highlight=False, markup=False, soft_wrap=True)
    out: list[dict[str, Any]] = []
    with Progress(console=console, transient=True, disable=as_json) as prog:
        task = prog.add_task("Screening", total=len(src.rows))
        for i, r in src.rows:
            res = sanctions_screen(q=r["name"], schema_=r.get("schema") or schema, country=r.get("country") or country,
                                   limit=limit, algorithm=algorithm)
            out.append({"line": i, "query": r["name"],
                        "candidates": [c.model_dump(mode="json", by_alias=True) for c in res.candidates]})
            prog.advance(task)
    if as_json:
        print_json({"results": out})
        return
    for o in out:
        best = o["candidates"][0] if o["candidates"] else None
        console.print(f"{o['query']}: " + (f"{best['score']:.2f} {best['id']} {best['name']}" if best else "—"),
                      highlight=False, markup=False)


@app.command("network")
@handle_errors
def network_cmd(
    country: str | None = typer.Argument(None, help="Target country (ISO3 or name), e.g. PAK; none: every action."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY[-MM[-DD]])."),
    until: str | None = typer.Option(None, "--until", help="Up to this date (YYYY[-MM[-DD]])."),
    fmt: str | None = typer.Option(None, "--format", help="json (default with -o) or graphml (needs -o)."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write the graph to this file."),
    no_lists: bool = typer.Option(False, "--no-lists", help="Do not attach the store's list entries."),
    as_json: bool = typer.Option(False, "--json", help="Print the graph as one JSON object."),
) -> None:
    """Senders, actions, targets (suppliers included), legal authorities, programmes and list entries as a graph:
    a summary, the graph as JSON, or GraphML for Gephi/yEd."""
    if fmt is not None and fmt not in ("json", "graphml"):
        raise InvalidInput(f"--format must be json or graphml, not {fmt!r}")
    if fmt is None and out is not None:
        fmt = "graphml" if out.suffix.lower() == ".graphml" else "json"
    if fmt == "graphml" and out is None:
        raise InvalidInput("--format graphml needs -o FILE")
    if fmt == "graphml" and as_json:
        raise InvalidInput("--json prints JSON; drop it to write GraphML")
    if out is not None:
        check_output_path(out)
    res = ask(sanctions_network, as_json and out is None, country=country, since=since, until=until,
              lists=False if no_lists else None)
    if res is None:
        return
    if fmt == "graphml":
        assert out is not None
        from equilibrium.sanctions.network import to_graphml  # local: pulls networkx and sqlalchemy

        to_graphml(_graph(res), out)
        console.print(f"Wrote {res.counts.nodes} nodes and {res.counts.edges} edges to {out}")
        return
    if out is not None:
        try:
            out.write_text(json.dumps(res.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
        console.print(f"Wrote {res.counts.nodes} nodes and {res.counts.edges} edges to {out}")
        return
    what = res.country or "all countries"
    span = "".join(x for x in (f" since {since}" if since else "", f" until {until}" if until else ""))
    t = Table(title=f"Sanctions network: {what}{span}\n{res.counts.nodes} nodes, {res.counts.edges} edges")
    t.add_column("Node kind")
    t.add_column("Count", justify="right")
    for k, v in res.counts.by_kind.items():
        t.add_row(k, str(v))
    console.print(t)
    top = Table(title="Targets named in the most actions")
    for col in ("Actions", "Target", "Country", "Kind"):
        top.add_column(col, justify="right" if col == "Actions" else "left", overflow="fold")
    ents = sorted((n for n in res.nodes if n.group == "entity"), key=lambda n: (-(n.actions or 0), n.name or ""))
    for n in ents[:10]:
        top.add_row(str(n.actions or 0), escape(n.name or n.label), n.country or "?", n.kind)
    console.print(top)
    rel = res.counts.actions_by_relation
    linked = rel.get("mentions", 0) + rel.get("title", 0)
    if linked:
        console.print(f"{linked} action(s) linked by the record's text (suppliers and related acts) besides the "
                      f"{rel.get('target', 0)} with a target in {what}.")
    console.print(f"[dim]List entries: {escape(res.lists)}. --json or -o FILE [--format graphml] for the graph.[/]")


def _graph(res: SanctionsNetwork) -> Any:
    """The answer's graph as a :class:`networkx.MultiDiGraph` (edge keys: their kind), for GraphML."""
    import networkx as nx

    g = nx.MultiDiGraph(country=res.country or "", since=res.since or "", until=res.until or "", lists=res.lists)
    for n in res.nodes:
        d = n.model_dump(by_alias=True, exclude_none=True)
        g.add_node(d.pop("id"), **d)
    for e in res.edges:
        d = e.model_dump(exclude_none=True)
        g.add_edge(d.pop("source"), d.pop("target"), key=d["kind"], **d)
    return g


def _guess_format(path: Path) -> str:
    """The format of a list file from its name and first bytes: JSON (.json, or text opening with ``{``/``[``) is
    csl-json; a CSV whose first row names three or more CSL columns (_id, source, ...) is csl-csv, any other CSV
    ofac-csv (OFAC's has no header); for XML the root element tells (export in the EU FSF namespace: eu-xml;
    CONSOLIDATED_LIST: UN; sdnList: OFAC, non-SDN when the file name says 'consolidated' or 'nonsdn')."""
    from equilibrium.sanctions.store import FORMATS  # local: pulls sqlalchemy

    if path.is_dir():
        raise InvalidInput(f"{path} is a directory; give the list file")
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if suffix == ".json" or head.startswith(("{", "[")):
        return "csl-json"
    if suffix != ".xml" and not head.startswith("<"):
        header = {c.strip().strip('"') for c in (head.splitlines() or [""])[0].split(",")}
        return "csl-csv" if len(header & set(CSV_COLUMNS)) >= 3 else "ofac-csv"
    if re.search(r"<(?:\w+:)?export\b", head) and ("fpi/fsd/export" in head or "sanctionEntity" in head):
        return "eu-xml"
    if "<CONSOLIDATED_LIST" in head:
        return "un-xml"
    if "<sdnList" in head:
        low = path.name.lower()
        return "ofac-nonsdn-xml" if ("consolidated" in low or "nonsdn" in low) else "ofac-xml"
    raise InvalidInput(f"cannot tell the format of {path}; give --format ({', '.join(FORMATS)})")
