"""Loaders of the evidence data sets: GSDB R3, TIES v4/v4.1, EUSANCT (case level), China-TIES (CES v1).

The product does not ship these files. :func:`locate` finds a file from ``path`` (a file or a folder), else from
``$EQUILIBRIUM_DATA_DIR`` by its usual file name (also one or two folder levels down), else raises
:class:`~equilibrium.errors.InvalidInput` naming the publisher and how to obtain the file.

Every file is checked against its codebook (:mod:`equilibrium.evidence.codebooks`): a file without the columns the
product needs raises :class:`~equilibrium.errors.DataError` naming the file, the missing and unexpected columns and
which data set the file looks like. A row with an invalid code is reported (:class:`Problem`: file, row, case,
column, value, reason) and left out, or, for descriptive columns marked ``on_invalid: blank``, kept with that value
missing. Nothing is dropped silently.

:func:`load` returns a tidy :class:`pandas.DataFrame` with the columns of :data:`TIDY_COLUMNS` (one row per case;
for GSDB one row per case-objective pair), plus each data set's own columns listed in :data:`EXTRA_COLUMNS`.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from equilibrium.errors import DataError, EquilibriumError, InvalidInput, MissingDependency
from equilibrium.evidence.codebooks import DATASETS, Codebook, Layout, Variable, check_dataset, codebook
from equilibrium.evidence.countries import Country, from_cow, name_of, resolve_name, split_names
from equilibrium.settings import get_settings
from equilibrium.userfiles import PathOverride

TIDY_COLUMNS: dict[str, str] = {
    "dataset": "data set name (gsdb, ties, eusanct, china-ties)",
    "role": "China-TIES only: China's role in the episode, 'sender' or 'target' (which file the row comes from)",
    "file": "path of the file the row was read from",
    "row": "1-based row of the file (the header is row 1)",
    "case_id": "the data set's case identifier (text)",
    "name": "episode name where the data set has one (China-TIES), else empty",
    "start_year": "first year of the episode (EUSANCT: earliest of the EU, US, UN start years)",
    "end_year": "last year (missing when unresolved; GSDB gives the last year of data for running cases)",
    "ongoing": "the episode (GSDB: the case-objective pair) was still running at the end of the data",
    "targets": "tuple of target codes: ISO3, EU/UN, COW<n> for states without ISO code, or the raw name of a "
               "non-state target",
    "target": "first target code",
    "target_name": "display name(s) of the target(s)",
    "senders": "tuple of sender codes (same coding as targets; EU and UN where an institution sends)",
    "primary_sender": "the primary sender's code (TIES primarysender; GSDB the first listed; EUSANCT the EU when "
                      "Euprimarysender, else the first of US, EU, UN)",
    "sender_name": "display name(s) of the sender(s)",
    "multilateral": "more than one sender, or an institution (EU, UN) as sender; GSDB: sender_mult",
    "issues": "tuple of issue slugs (GSDB: the pair's objective; TIES family: issue1-3)",
    "issue": "primary issue slug (GSDB: the pair's objective; TIES family: issue1)",
    "sanction_types": "tuple of sanction-type slugs (imposed types where imposed, else threatened types)",
    "threat": "sanctions were threatened (missing for GSDB, which records impositions only)",
    "imposed": "sanctions were imposed (always true for GSDB)",
    "outcome_code": "outcome code: TIES-family finaloutcome (integer) or the GSDB success code (text)",
    "outcome": "label of the outcome code",
    "stage": "stage of the outcome code: threat, imposed or other",
    "success": "the data set's own binary success variable where it has one (EUSANCT success, CES success)",
}
"""Columns common to every tidy table, with their meaning."""

EXTRA_COLUMNS: dict[str, dict[str, str]] = {
    "gsdb": {"pair": "position of the objective in the case's list (1-based)",
             "sanctioned_state": "raw target text", "sanctioning_state": "raw sender text"},
    "ties": {"institution_ids": "tuple of sending-institution ids"},
    "eusanct": {"hse_score": "HSEscore (policyresult x sanctioncontribution)", "policyresult": "HSE policy result 1-4",
                "sanctioncontribution": "HSE sanctions contribution 1-4",
                "threat_success": "EUSANCT threat_success", "sanctions_success": "EUSANCT sanctions_success",
                "datasource": "data sets the case comes from"},
    "china-ties": {"china_outcome": "CES chinaoutcome score", "institution_ids": "tuple of institution ids"},
}
"""Columns particular to one data set."""

_REQUIRED: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("gsdb", None): ("case_id", "sanctioned_state", "sanctioning_state", "begin", "end", "trade", "arms",
                     "military", "financial", "travel", "other", "sender_mult", "objective", "success"),
    ("ties", None): ("caseid", "startyear", "endyear", "ongoingasofyear", "sender1", "sender2", "sender3", "sender4",
                     "sender5", "primarysender", "targetstate", "institution", "institutionid", "issue1", "issue2",
                     "issue3", "threat", "sanctiontypethreat", "imposition", "sanctiontype", "finaloutcome"),
    ("eusanct", None): ("caseid", "targetstate", "EU", "US", "UN", "Euprimarysender", "startyearEU", "startyearUS",
                        "startyearUN", "endyearEU", "endyearUS", "endyearUN", "enddateEU", "enddateUS", "enddateUN",
                        "sender2", "sender3", "sender4", "sender5", "issue1", "issue2", "issue3", "threat", "sanction",
                        "finaloutcome", "threat_success", "sanctions_success", "success", "policyresult",
                        "sanctioncontribution", "HSEscore"),
    ("china-ties", "sender"): ("Case ID", "caseid_name", "ccode_target", "state2", "sender1", "sender2",
                               "primarysender", "institution", "institutionid", "startyear", "endyear",
                               "ongoingasofyear", "issue1", "issue2", "threatsanct", "threatsanct_type", "imposesanct",
                               "imposesanct_type", "finaloutcome", "success", "chinaoutcome"),
    ("china-ties", "target"): ("Case ID", "caseid_name", "startyear", "endyear", "ongoingasofyear", "primarysender",
                               "sender1", "sender2", "sender3", "sender4", "sender5", "institution", "institutionid",
                               "issue1", "issue2", "issue3", "threat", "sanctiontypethreat", "imposition",
                               "sanctiontype", "finaloutcome"),
}
"""Columns each layout must have: the ones the tidy table is built from."""


@dataclass(frozen=True)
class Problem:
    """A row or value the loader could not read: where, what, why, and what it did (``excluded``: the row is left
    out; ``blanked``: the value is set to missing; ``warning``: nothing left out)."""

    file: str
    row: int | None
    case_id: str | None
    column: str | None
    value: str | None
    reason: str
    action: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row is not None else self.file
        case = f" case {self.case_id}" if self.case_id else ""
        col = f" {self.column}={self.value!r}" if self.column is not None else ""
        return f"{where}:{case}{col}: {self.reason} ({self.action})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"file": self.file, "row": self.row, "case_id": self.case_id, "column": self.column,
                "value": self.value, "reason": self.reason, "action": self.action}


@dataclass
class Loaded:
    """A loaded data set: the tidy ``frame``, the ``files`` read (by role), the ``problems`` found, the rows read
    per role, and the roles whose file was not found (China-TIES may come with only one of its two files)."""

    dataset: str
    frame: pd.DataFrame
    files: dict[str | None, Path]
    problems: list[Problem] = field(default_factory=list)
    rows_read: dict[str | None, int] = field(default_factory=dict)
    missing_roles: list[str] = field(default_factory=list)

    @property
    def excluded(self) -> int:
        """Number of source rows left out."""
        return sum(1 for p in self.problems if p.action == "excluded")

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (no frame)."""
        return {"dataset": self.dataset, "files": {str(k) if k else "file": str(v) for k, v in self.files.items()},
                "rows_read": {str(k) if k else "file": v for k, v in self.rows_read.items()},
                "rows_excluded": self.excluded, "tidy_rows": len(self.frame),
                "missing_files": self.missing_roles, "problems": [p.to_dict() for p in self.problems]}


# --------------------------------------------------------------------------------------------------- locating


def usual_names(dataset: str) -> dict[str | None, tuple[str, ...]]:
    """The usual file names of each layout of ``dataset``."""
    return {lay.role: lay.files for lay in codebook(check_dataset(dataset)).layouts}


class DataFileMissing(MissingDependency):
    """A data set whose file is not found (the product cannot ship it): 503 problem+json with ``code``
    ``data-file-missing``, who publishes the file, how to obtain it and the usual file names (``missing``: one entry
    per data set), and the data folder searched. The same one line on the CLI."""

    def __init__(self, datasets: list[str], message: str) -> None:
        self.datasets = datasets
        super().__init__(message)

    def to_problem(self) -> dict[str, object]:
        body = super().to_problem()
        body["code"] = "data-file-missing"
        body["missing"] = [missing_entry(ds) for ds in self.datasets]
        if len(self.datasets) == 1:
            one = missing_entry(self.datasets[0])
            body.update({k: v for k, v in one.items() if k != "title"}, dataset_title=one["title"])
        data_dir = get_settings().data_dir
        body["data_dir"] = str(data_dir) if data_dir else None
        return body


def missing_entry(dataset: str) -> dict[str, Any]:
    """Who publishes ``dataset``, how to obtain it and the file names looked for (JSON-ready)."""
    cb = codebook(check_dataset(dataset))
    return {"dataset": cb.dataset, "title": cb.title, "publisher": cb.publisher, "obtain": cb.obtain, "url": cb.url,
            "usual_names": [n for lay in cb.layouts for n in lay.files]}


def _not_found(cb: Codebook, looked: str) -> DataFileMissing:
    names = ", ".join(n for lay in cb.layouts for n in lay.files)
    return DataFileMissing([cb.dataset], f"{cb.short} data file not found ({looked}; usual names: {names}). The "
                           f"product cannot redistribute it: it is provided by {cb.publisher}; {cb.obtain}. Then "
                           f"give --path FILE or set EQUILIBRIUM_DATA_DIR to the folder holding it.")


_PATH = PathOverride("evidence_data_path")


def data_path_override(path: str | Path | None) -> AbstractContextManager[None]:
    """Within the block, data sets are looked for at ``path`` (a file or a folder) instead of
    ``$EQUILIBRIUM_DATA_DIR``: the CLI's ``--path``. The HTTP API never sets it (no server path from a request)."""
    return _PATH.use(path)


def path_override() -> Path | None:
    """The path set by :func:`data_path_override`, if any."""
    return _PATH.get()


def _search(folder: Path, names: Iterable[str]) -> Path | None:
    for name in names:
        for pattern in (name, f"*/{name}", f"*/*/{name}"):
            hits = sorted(p for p in folder.glob(pattern) if p.is_file())
            if hits:
                return hits[0]
    return None


def locate(dataset: str, path: str | Path | None = None, data_dir: str | Path | None = None
           ) -> dict[str | None, Path]:
    """The file(s) of ``dataset``: ``{role: path}`` (role ``None`` for single-file data sets).

    ``path`` may be a file or a folder; without it, ``data_dir`` (default ``$EQUILIBRIUM_DATA_DIR``) is searched.
    A single China-TIES file is assigned to the sender or target layout by its columns.
    """
    ds = check_dataset(dataset)
    cb = codebook(ds)
    if path is None and data_dir is None:
        path = _PATH.get()
    if path is not None:
        p = Path(path).expanduser()
        if p.is_file():
            if len(cb.layouts) == 1:
                return {cb.layouts[0].role: p}
            return {_role_of(cb, p): p}
        if not p.exists():
            raise InvalidInput(f"{p}: no such file or folder")
        folder, looked = p, f"looked in {p}"
    else:
        if data_dir is None:
            data_dir = get_settings().data_dir
        if data_dir is None:
            raise _not_found(cb, "no --path given and EQUILIBRIUM_DATA_DIR is not set")
        folder, looked = Path(data_dir).expanduser(), f"looked in EQUILIBRIUM_DATA_DIR={data_dir}"
    found = {lay.role: hit for lay in cb.layouts if (hit := _search(folder, lay.files)) is not None}
    if not found:
        raise _not_found(cb, looked)
    return found


def _role_of(cb: Codebook, path: Path) -> str | None:
    cols = set(read_table(path).columns)
    best = max(cb.layouts, key=lambda lay: len(cols & set(lay.columns)) / len(lay.columns))
    return best.role


# ---------------------------------------------------------------------------------------------------- reading


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_table(path: Path, encodings: Iterable[str] = ("utf-8", "cp1252")) -> pd.DataFrame:
    """Read a CSV, XLS or XLSX file (format sniffed from its first bytes) as text cells ('' for empty), with column
    names stripped and empty unnamed columns (trailing commas) dropped. Cached on path, size and mtime."""
    st = path.stat()
    return _read_table(str(path), st.st_size, st.st_mtime_ns, tuple(encodings)).copy()


@lru_cache(maxsize=16)
def _read_table(path_s: str, size: int, mtime: int, encodings: tuple[str, ...]) -> pd.DataFrame:
    path = Path(path_s)
    try:
        head = path.open("rb").read(8)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    try:
        if head.startswith(b"\xd0\xcf\x11\xe0") or head.startswith(b"PK\x03\x04"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                df = pd.read_excel(path, dtype=object, header=0)
            df = df.apply(lambda col: col.map(_cell)) if len(df) else df.astype(str)
        else:
            data = path.read_bytes()
            text = None
            for enc in encodings:
                try:
                    text = data.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            if text is None:
                raise DataError(f"{path}: cannot decode the file as text ({', '.join(encodings)})")
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
            df = df.apply(lambda col: col.str.strip())
    except (ValueError, pd.errors.ParserError, OSError) as exc:
        raise DataError(f"{path}: cannot read the file as CSV or Excel: {exc}") from None
    df.columns = [str(c).strip() for c in df.columns]
    drop = [c for c in df.columns if (not c or c.startswith("Unnamed:")) and not df[c].astype(bool).any()]
    return df.drop(columns=drop)


def _guess(cols: set[str]) -> str:
    best, score = None, 0.0
    for ds in DATASETS:
        cb = codebook(ds)
        for lay in cb.layouts:
            s = len(cols & set(lay.columns)) / len(lay.columns)
            if s > score:
                best, score = (cb, lay), s
    if best is None or score < 0.5:
        return "it does not look like any of the four data sets (GSDB, TIES, EUSANCT, China-TIES)"
    cb, lay = best
    what = f"the {cb.short} {lay.role} file" if lay.role else f"the {cb.short} file"
    return f"it looks like {what} (dataset {cb.dataset!r}; {score:.0%} of its columns present)"


def check_columns(cb: Codebook, lay: Layout, path: Path, cols: list[str]) -> list[Problem]:
    """:class:`DataError` when a column the product needs is missing; warnings for other differences."""
    have = set(cols)
    required = _REQUIRED[(cb.dataset, lay.role)]
    missing = [c for c in required if c not in have]
    unexpected = [c for c in cols if c not in set(lay.columns)]
    if missing:
        what = f"{cb.short} {lay.role} file" if lay.role else f"{cb.short} file"
        raise DataError(f"{path} is not a {what}: the columns do not match its codebook", [
            f"missing columns: {', '.join(missing)}",
            f"unexpected columns: {', '.join(unexpected[:20]) or 'none'}" + (" ..." if len(unexpected) > 20 else ""),
            _guess(have)])
    out = [Problem(str(path), None, None, c, None, "column not in the codebook (kept, not used)", "warning")
           for c in unexpected]
    out += [Problem(str(path), None, None, c, None, "codebook column absent from the file", "warning")
            for c in lay.columns if c not in have]
    return out


# ---------------------------------------------------------------------------------------------------- parsing

_INT = re.compile(r"^[+-]?\d+(\.0+)?$")


def _to_int(s: str) -> int | None:
    return int(float(s)) if _INT.match(s) else None


def _tokens(s: str, sep: str) -> list[str]:
    parts = s.split() if sep.strip() == "" else s.split(sep)
    return [p.strip() for p in parts if p.strip()]


def _parse(var: Variable, cb: Codebook, s: str) -> tuple[Any, str | None]:
    """Parse one non-empty cell; return ``(value, None)`` or ``(None, reason)``."""
    t = var.type
    if t == "str" or t == "name":
        return s, None
    if t in ("int", "year", "flag"):
        n = _to_int(s)
        if n is None:
            return None, "not an integer"
        if t == "year" and not 1800 <= n <= 2100:
            return None, "not a plausible year"
        if t == "flag" and n not in (0, 1):
            return None, "not 0 or 1"
        return n, None
    if t == "code":
        codes = cb.codelists[var.codes or ""]
        key = str(_to_int(s)) if _to_int(s) is not None else s
        if key not in codes:
            return None, f"code not in the codebook list {var.codes!r} ({_allowed(codes)})"
        return (int(key) if key.lstrip("-").isdigit() else key), None
    if t == "codes":
        codes = cb.codelists[var.codes or ""]
        out = []
        for tok in _tokens(s, var.separator or ","):
            key = str(_to_int(tok)) if _to_int(tok) is not None else tok
            if key not in codes:
                return None, f"code {tok!r} not in the codebook list {var.codes!r} ({_allowed(codes)})"
            out.append(key)
        return tuple(out), None
    if t == "cow":
        c = from_cow(s) if _to_int(s) is not None else None
        return (c, None) if c is not None else (None, "unknown COW country code")
    if t == "country":
        c = from_cow(s) if _to_int(s) is not None else resolve_name(s)
        return (c, None) if c is not None else (None, "unknown country (neither a COW code nor a known name)")
    if t == "institutions":
        ids = [_to_int(x) for x in s.split()]
        if any(i is None for i in ids):
            return None, "institution ids must be integers"
        return tuple(i for i in ids if i is not None), None
    return s, None


def _allowed(codes: dict[str, Any]) -> str:
    keys = list(codes)
    return "allowed: " + ", ".join(keys[:12]) + (" ..." if len(keys) > 12 else "")


def parse_rows(cb: Codebook, lay: Layout, raw: pd.DataFrame, path: Path, id_column: str
               ) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Validate every cell against the codebook: ``([(file_row, values)], problems)``; excluded rows are left out."""
    missing = {"", *cb.missing}
    present = [v for v in lay.variables if v.name in raw.columns]
    columns = {v.name: raw[v.name].tolist() for v in present}
    ids = raw[id_column].tolist() if id_column in raw.columns else [""] * len(raw)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    for i in range(len(raw)):
        file_row = i + 2
        vals: dict[str, Any] = {}
        excluded = False
        for v in present:
            s = columns[v.name][i]
            if s in missing:
                if v.nonnull:
                    problems.append(Problem(str(path), file_row, ids[i] or None, v.name, s, "missing value",
                                            "excluded"))
                    excluded = True
                vals[v.name] = None
                continue
            value, reason = _parse(v, cb, s)
            if reason is not None:
                action = "blanked" if v.on_invalid == "blank" and not v.nonnull else "excluded"
                problems.append(Problem(str(path), file_row, ids[i] or None, v.name, s, reason, action))
                excluded = excluded or action == "excluded"
            vals[v.name] = value
        if not excluded:
            rows.append((file_row, vals))
    return rows, problems


# ---------------------------------------------------------------------------------------------------- building


def _code(c: Country | None) -> str | None:
    return c.code if c is not None else None


def _names(codes: Iterable[str], fallback: dict[str, str] | None = None) -> str:
    fb = fallback or {}
    return ", ".join(fb.get(c) or name_of(c) for c in codes)


def _dedupe(xs: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for x in xs if x))


def _issue_slugs(cb: Codebook, codes: Iterable[Any]) -> tuple[str, ...]:
    lst = cb.codelists["issue"]
    return _dedupe(lst[str(c)].slug for c in codes if c is not None and str(c) in lst)


def _type_slugs(cb: Codebook, codelist: str, codes: Iterable[str] | None) -> tuple[str, ...]:
    lst = cb.codelists[codelist]
    return _dedupe(lst[c].slug for c in codes or () if c in lst)


def _outcome(cb: Codebook, code: Any) -> tuple[str | None, str | None]:
    if code is None:
        return None, None
    c = cb.codelists["finaloutcome"].get(str(code))
    return (c.label, c.stage) if c else (None, None)


def _institutions(cb: Codebook, flag: Any, ids: tuple[int, ...] | None) -> list[str]:
    if flag != 1 or not ids:
        return []
    return [cb.institutions[i][0] for i in ids if i in cb.institutions]


def _bool(x: Any) -> bool | None:
    return None if x is None else bool(x)


def _build_gsdb(cb: Codebook, rows: list[tuple[int, dict[str, Any]]], path: Path, problems: list[Problem]
                ) -> list[dict[str, Any]]:
    out = []
    labels = cb.codelists["success"]
    for file_row, r in rows:
        objs, sucs = r["objective"], r["success"]
        if len(objs) != len(sucs):
            problems.append(Problem(str(path), file_row, str(r["case_id"]), "objective/success",
                                    f"{','.join(objs)} / {','.join(sucs)}",
                                    f"objective lists {len(objs)} item(s) but success {len(sucs)}: the case-objective "
                                    "pairs cannot be aligned", "excluded"))
            continue
        tparts = split_names(r["sanctioned_state"])
        sparts = split_names(r["sanctioning_state"])
        targets = _dedupe(c.code if c else raw for raw, c in tparts)
        senders = _dedupe(c.code if c else raw for raw, c in sparts)
        types = tuple(t for t in ("trade", "arms", "military", "financial", "travel", "other") if r.get(t) == 1)
        base = {
            "dataset": "gsdb", "role": None, "file": str(path), "row": file_row, "case_id": str(r["case_id"]),
            "name": "", "start_year": r["begin"], "end_year": r["end"], "targets": targets,
            "target": targets[0] if targets else None, "target_name": _names(targets),
            "senders": senders, "primary_sender": senders[0] if senders else None, "sender_name": _names(senders),
            "multilateral": r["sender_mult"] == 1, "sanction_types": types, "threat": None, "imposed": True,
            "stage": "imposed", "success": None, "sanctioned_state": r["sanctioned_state"],
            "sanctioning_state": r["sanctioning_state"],
        }
        for j, (obj, suc) in enumerate(zip(objs, sucs, strict=True)):
            out.append({**base, "pair": j + 1, "issues": (obj,), "issue": obj, "outcome_code": suc,
                        "outcome": labels[suc].label, "ongoing": suc == "ongoing"})
    return out


def _build_ties(cb: Codebook, rows: list[tuple[int, dict[str, Any]]], path: Path, problems: list[Problem]
                ) -> list[dict[str, Any]]:
    out = []
    for file_row, r in rows:
        states = [r.get(f"sender{i}") for i in range(1, 6)]
        state_codes = _dedupe(_code(c) for c in states)
        senders = _dedupe([*state_codes, *_institutions(cb, r.get("institution"), r.get("institutionid"))])
        primary = _code(r.get("primarysender")) or (senders[0] if senders else None)
        target = _code(r["targetstate"])
        imposed = r["imposition"] == 1
        types = (_type_slugs(cb, "sanctiontype", r.get("sanctiontype")) if imposed
                 else _type_slugs(cb, "sanctiontypethreat", r.get("sanctiontypethreat")))
        label, stage = _outcome(cb, r.get("finaloutcome"))
        issues = _issue_slugs(cb, [r.get("issue1"), r.get("issue2"), r.get("issue3")])
        out.append({
            "dataset": "ties", "role": None, "file": str(path), "row": file_row, "case_id": str(r["caseid"]),
            "name": "", "start_year": r["startyear"], "end_year": r.get("endyear"),
            "ongoing": r.get("endyear") is None and r.get("ongoingasofyear") is not None,
            "targets": (target,), "target": target, "target_name": _names([target] if target else []),
            "senders": senders, "primary_sender": primary, "sender_name": _names(senders),
            "multilateral": r.get("institution") == 1 or len(state_codes) > 1,
            "issues": issues, "issue": issues[0] if r.get("issue1") is not None and issues else None,
            "sanction_types": types, "threat": r["threat"] == 1, "imposed": imposed,
            "outcome_code": r.get("finaloutcome"), "outcome": label, "stage": stage, "success": None,
            "institution_ids": r.get("institutionid") or (),
        })
    return out


def _build_eusanct(cb: Codebook, rows: list[tuple[int, dict[str, Any]]], path: Path, problems: list[Problem]
                   ) -> list[dict[str, Any]]:
    out = []
    for file_row, r in rows:
        if r["HSEscore"] != r["policyresult"] * r["sanctioncontribution"]:
            problems.append(Problem(str(path), file_row, str(r["caseid"]), "HSEscore", str(r["HSEscore"]),
                                    f"HSEscore is not policyresult x sanctioncontribution "
                                    f"({r['policyresult']} x {r['sanctioncontribution']})", "excluded"))
            continue
        flags = [code for code, col in (("USA", "US"), ("EU", "EU"), ("UN", "UN")) if r.get(col) == 1]
        senders = _dedupe([*flags, *(_code(r.get(f"sender{i}")) for i in range(2, 6))])
        primary = "EU" if r.get("Euprimarysender") == 1 else (flags[0] if flags else None)
        starts = [int(r[f"startyear{s}"]) for s in ("EU", "US", "UN") if r.get(f"startyear{s}") is not None]
        ends = [int(r[f"endyear{s}"]) for s in ("EU", "US", "UN") if r.get(f"endyear{s}") is not None]
        ongoing = any(str(r.get(f"enddate{s}") or "").lower() == "ongoing" for s in ("EU", "US", "UN"))
        imposed = r["sanction"] == 1
        stage_cols = [s for s in ("EU", "US", "UN") if r.get(("imposition" if imposed else "threat") + s) == 1]
        codes = [c for s in stage_cols for c in (r.get(("imposition" if imposed else "threat") + s + "_type") or ())]
        label, stage = _outcome(cb, r["finaloutcome"])
        issues = _issue_slugs(cb, [r.get("issue1"), r.get("issue2"), r.get("issue3")])
        target = _code(r["targetstate"])
        out.append({
            "dataset": "eusanct", "role": None, "file": str(path), "row": file_row, "case_id": str(r["caseid"]),
            "name": "", "start_year": min(starts) if starts else None, "end_year": max(ends) if ends else None,
            "ongoing": ongoing, "targets": (target,), "target": target,
            "target_name": _names([target] if target else []), "senders": senders, "primary_sender": primary,
            "sender_name": _names(senders),
            "multilateral": len(senders) > 1 or any(s in ("EU", "UN") for s in senders),
            "issues": issues, "issue": issues[0] if issues else None,
            "sanction_types": _type_slugs(cb, "sanction_type", codes), "threat": r["threat"] == 1,
            "imposed": imposed, "outcome_code": r["finaloutcome"], "outcome": label, "stage": stage,
            "success": r["success"] == 1, "hse_score": r["HSEscore"], "policyresult": r["policyresult"],
            "sanctioncontribution": r["sanctioncontribution"], "threat_success": _bool(r.get("threat_success")),
            "sanctions_success": _bool(r.get("sanctions_success")), "datasource": r.get("datasource"),
        })
    return out


def _build_china(cb: Codebook, rows: list[tuple[int, dict[str, Any]]], path: Path, problems: list[Problem],
                 role: str) -> list[dict[str, Any]]:
    out = []
    for file_row, r in rows:
        inst = _institutions(cb, r.get("institution"), r.get("institutionid"))
        if role == "sender":
            state_codes = _dedupe(_code(r.get(k)) for k in ("sender1", "sender2"))
            target = _code(r["ccode_target"])
            threat, imposed = _bool(r.get("threatsanct")), _bool(r.get("imposesanct"))
            types = _type_slugs(cb, "ces_type", r.get("imposesanct_type") if imposed else r.get("threatsanct_type"))
            tname = r.get("state2") or _names([target] if target else [])
            success = _bool(r.get("success"))
            issue_codes = [r.get("issue1"), r.get("issue2")]
        else:
            state_codes = _dedupe(_code(r.get(f"sender{i}")) for i in range(1, 6))
            target = "CHN"
            threat, imposed = _bool(r.get("threat")), _bool(r.get("imposition"))
            types = (_type_slugs(cb, "sanctiontype", r.get("sanctiontype")) if imposed
                     else _type_slugs(cb, "sanctiontypethreat", r.get("sanctiontypethreat")))
            tname = "China"
            success = None
            issue_codes = [r.get("issue1"), r.get("issue2"), r.get("issue3")]
        senders = _dedupe([*state_codes, *inst])
        primary = _code(r.get("primarysender")) or (senders[0] if senders else None)
        label, stage = _outcome(cb, r.get("finaloutcome"))
        issues = _issue_slugs(cb, issue_codes)
        out.append({
            "dataset": "china-ties", "role": role, "file": str(path), "row": file_row, "case_id": str(r["Case ID"]),
            "name": r.get("caseid_name") or "", "start_year": r["startyear"], "end_year": r.get("endyear"),
            "ongoing": r.get("endyear") is None and r.get("ongoingasofyear") is not None,
            "targets": (target,) if target else (), "target": target, "target_name": tname, "senders": senders,
            "primary_sender": primary, "sender_name": _names(senders),
            "multilateral": r.get("institution") == 1 or len(state_codes) > 1,
            "issues": issues, "issue": issues[0] if r.get("issue1") is not None and issues else None,
            "sanction_types": types, "threat": threat, "imposed": imposed, "outcome_code": r.get("finaloutcome"),
            "outcome": label, "stage": stage, "success": success,
            "china_outcome": r.get("chinaoutcome") if role == "sender" else None,
            "institution_ids": r.get("institutionid") or (),
        })
    return out


_BUILDERS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "gsdb": _build_gsdb, "ties": _build_ties, "eusanct": _build_eusanct}


def _frame(dataset: str, records: list[dict[str, Any]]) -> pd.DataFrame:
    cols = list(TIDY_COLUMNS) + list(EXTRA_COLUMNS.get(dataset, {}))
    df = pd.DataFrame.from_records(records, columns=cols) if records else pd.DataFrame(columns=cols)
    for c in ("start_year", "end_year", "row"):
        df[c] = df[c].astype("Int64")
    for c in ("ongoing", "multilateral", "threat", "imposed", "success"):
        df[c] = df[c].astype("boolean")
    if dataset != "gsdb":
        df["outcome_code"] = df["outcome_code"].astype("Int64")
    for c in ("threat_success", "sanctions_success"):
        if c in df:
            df[c] = df[c].astype("boolean")
    for c in ("hse_score", "policyresult", "sanctioncontribution", "china_outcome", "pair"):
        if c in df:
            df[c] = df[c].astype("Int64")
    return df


def load_dataset(dataset: str, path: str | Path | None = None, data_dir: str | Path | None = None) -> Loaded:
    """Locate, read, validate and tidy ``dataset`` (see the module docstring). Cached on the files' size and mtime."""
    ds = check_dataset(dataset)
    files = locate(ds, path, data_dir)
    key = tuple(sorted(((r or ""), str(p), p.stat().st_size, p.stat().st_mtime_ns) for r, p in files.items()))
    return _load_cached(ds, key)


@lru_cache(maxsize=16)
def _load_cached(ds: str, key: tuple[tuple[str, str, int, int], ...]) -> Loaded:
    cb = codebook(ds)
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    files: dict[str | None, Path] = {}
    rows_read: dict[str | None, int] = {}
    for role_s, path_s, _, _ in key:
        role = role_s or None
        path = Path(path_s)
        lay = cb.layout(role)
        raw = read_table(path, cb.encodings)
        problems += check_columns(cb, lay, path, list(raw.columns))
        rows, probs = parse_rows(cb, lay, raw, path, cb.id_column)
        problems += probs
        if ds == "china-ties":
            records += _build_china(cb, rows, path, problems, role or "sender")
        else:
            records += _BUILDERS[ds](cb, rows, path, problems)
        files[role] = path
        rows_read[role] = len(raw)
    missing = [lay.role for lay in cb.layouts if lay.role not in files and lay.role is not None]
    problems.sort(key=lambda p: (p.file, p.row or 0))
    return Loaded(ds, _frame(ds, records), files, problems, rows_read, missing)


def load(dataset: str, path: str | Path | None = None) -> pd.DataFrame:
    """The tidy table of ``dataset`` (a copy). ``df.attrs`` holds ``dataset``, ``files`` and ``problems`` (dicts)."""
    ld = load_dataset(dataset, path)
    df = ld.frame.copy()
    df.attrs = {"dataset": ld.dataset, "files": {str(k): str(v) for k, v in ld.files.items()},
                "problems": [p.to_dict() for p in ld.problems]}
    return df


def datasets(path: Any = None) -> dict[str, Any]:
    """For each data set: its codebook summary and where its file(s) were found (``path`` is a folder to search;
    default ``$EQUILIBRIUM_DATA_DIR``), or why not and how to obtain them."""
    out: dict[str, Any] = {}
    for ds in DATASETS:
        entry: dict[str, Any] = {"codebook": codebook(ds).summary()}
        try:
            files = locate(ds, path)
            entry["found"] = True
            entry["files"] = {str(k) if k else "file": str(v) for k, v in files.items()}
        except EquilibriumError as exc:
            entry["found"] = False
            entry["message"] = str(exc)
        out[ds] = entry
    data_dir = get_settings().data_dir
    return {"data_dir": str(data_dir) if data_dir else None, "searched": str(path) if path else None,
            "datasets": out}
