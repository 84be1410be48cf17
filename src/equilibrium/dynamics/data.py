"""Loaders of the dynamics data sets: SIPRI military expenditure, SIPRI arms-transfer (TIV) tables, COW National
Material Capabilities, Voeten's UNGA ideal points and the UNGA roll calls and votes of the ``unvotes`` package.

The product does not ship these files. :func:`locate` finds a file from ``path`` (a file or a folder), else from
``$EQUILIBRIUM_DATA_DIR`` by its usual names (also one or two folder levels down, e.g. a ``dynamics/`` subfolder),
else raises :class:`DataFileMissing` naming the publisher and how to obtain the file. What each data set is, who
publishes it, its usual file names, the layout the loader expects and the counts of a complete file are data:
``data/dynamics/datasets.yml`` (:func:`dataset_info`).

Every loader returns a :class:`Loaded`: a tidy :class:`pandas.DataFrame` (one row per country-year; per vote for the
votes; per roll call for the roll calls) and ``problems``, one line ``file:row: what`` per row or value that could
not be read (the row is left out, or the value left missing, as the line says) and per name that does not resolve
to an ISO3 code (kept with ``iso3`` missing). A file without the expected sheets or columns raises
:class:`~equilibrium.errors.DataError` naming the file and what was expected. Parsed files are cached per (path,
size, mtime): a second load of an unchanged file costs a copy of the frame.

Units (per column):

* SIPRI milex: ``milex_usd_m`` US$ m at constant 2022 prices and exchange rates; ``share_gdp_pct`` % of GDP.
* SIPRI TIV: ``tiv_m`` trend-indicator value, millions at constant 1990 prices (a volume measure of deliveries).
* COW NMC: ``milex`` thousands of current US$; ``milper`` thousands of personnel; ``irst`` thousands of tons;
  ``pec`` thousands of coal-ton equivalents; ``tpop``/``upop`` thousands of people; ``cinc`` share of the system
  total (0-1). COW's missing code -9 is read as missing.
* Voeten: ideal points on the common scale of Bailey, Strezhnev & Voeten (2017), dimensionless; ``nvotes_all``
  roll calls.
* Years are calendar years (SIPRI, COW, Voeten); roll calls carry their date and General Assembly ``session``.

Country codes are ISO 3166 alpha-3 (``iso3``), through the crosswalk of ``datasets.yml`` (historical states), the
COW state list of ``data/evidence/cow_states.yml`` (COW codes), then ``countrynames`` and ``pycountry``.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from equilibrium import diskcache
from equilibrium.errors import DataError, EquilibriumError, InvalidInput, MissingDependency, UnknownChoice
from equilibrium.provenance import data_path
from equilibrium.settings import get_settings
from equilibrium.userfiles import PathOverride

DATASETS: tuple[str, ...] = ("sipri-milex", "sipri-tiv-imports", "sipri-tiv-exports", "cow-nmc",
                             "voeten-idealpoints", "unvotes")
"""The data set ids, in the order they are listed."""

MILEX_COLUMNS = ("iso3", "country", "year", "milex_usd_m", "share_gdp_pct", "estimate", "uncertain", "note")
TIV_COLUMNS = ("iso3", "country", "year", "tiv_m")
NMC_COLUMNS = ("iso3", "ccode", "stateabb", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc")
IDEAL_COLUMNS = ("iso3", "ccode", "country", "year", "idealpoint_all", "idealpoint_fp", "q05_all", "q95_all",
                 "nvotes_all")
VOTE_COLUMNS = ("rcid", "iso3", "country", "vote")
ROLL_CALL_COLUMNS = ("rcid", "session", "date", "year", "importantvote", "short", "issue")


# --------------------------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class DatasetInfo:
    """One entry of ``datasets.yml``: who publishes the data set, how to obtain it, the file names looked for (per
    part; ``main`` for single-file data sets), the layout checked and the counts of a complete file."""

    id: str
    title: str
    short: str
    publisher: str
    url: str
    obtain: str
    licence: str
    sources: tuple[str, ...]
    unit: str
    files: dict[str, tuple[str, ...]]
    layout: dict[str, Any]
    expected: dict[str, dict[str, Any]]

    def expected_value(self, key: str) -> int | None:
        """The expected count or year ``key`` (``rows``, ``votes``, ``first_year`` ...), if stated."""
        e = self.expected.get(key)
        return int(e["value"]) if e and e.get("value") is not None else None

    def usual_names(self) -> list[str]:
        """Every file name (or pattern) looked for, all parts."""
        return [n for names in self.files.values() for n in names]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"id": self.id, "title": self.title, "short": self.short, "publisher": self.publisher,
                "url": self.url, "obtain": self.obtain, "licence": self.licence, "sources": list(self.sources),
                "unit": self.unit, "files": {k: list(v) for k, v in self.files.items()},
                "expected": self.expected}


@dataclass(frozen=True)
class _Catalogue:
    datasets: dict[str, DatasetInfo]
    names: dict[str, str]
    codes: dict[str, str]


def catalogue_file() -> Path:
    """``data/dynamics/datasets.yml``."""
    return data_path("dynamics", "datasets.yml")


@cache
def _catalogue() -> _Catalogue:
    from equilibrium.provenance.yamlio import load_yaml

    path = catalogue_file()
    doc = load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    errors: list[str] = []
    out: dict[str, DatasetInfo] = {}
    required = ("id", "title", "short", "publisher", "url", "obtain", "licence", "sources", "files", "layout")
    for i, raw in enumerate(data.get("datasets") or []):
        if not isinstance(raw, dict):
            errors.append(f"{doc.where(('datasets', i))}: a data set must be a mapping")
            continue
        missing = [k for k in required if k not in raw]
        if missing:
            errors.append(f"{doc.where(('datasets', i))}: missing {', '.join(missing)}")
            continue
        expected: dict[str, dict[str, Any]] = {}
        for key, e in (raw.get("expected") or {}).items():
            if not isinstance(e, dict) or "value" not in e or not e.get("sources"):
                errors.append(f"{doc.where(('datasets', i, 'expected', key))}: an expected figure needs a value and "
                              "sources")
                continue
            expected[str(key)] = dict(e)
        info = DatasetInfo(
            id=str(raw["id"]), title=str(raw["title"]), short=str(raw["short"]), publisher=str(raw["publisher"]),
            url=str(raw["url"]), obtain=" ".join(str(raw["obtain"]).split()),
            licence=" ".join(str(raw["licence"]).split()), sources=tuple(str(s) for s in raw["sources"]),
            unit=str(raw.get("unit") or ""),
            files={str(k): tuple(str(n) for n in v) for k, v in (raw["files"] or {}).items()},
            layout=dict(raw["layout"] or {}), expected=expected)
        out[info.id] = info
    absent = [d for d in DATASETS if d not in out]
    if absent:
        errors.append(f"{path}:1: no entry for {', '.join(absent)}")
    cw = data.get("crosswalk") or {}
    if errors:
        raise DataError(f"invalid {path}", errors)
    return _Catalogue(out, {" ".join(str(k).split()).casefold(): str(v) for k, v in (cw.get("names") or {}).items()},
                      {str(k).upper(): str(v) for k, v in (cw.get("codes") or {}).items()})


def check_dataset(dataset: str) -> str:
    """``dataset`` if it is a known id, else :class:`~equilibrium.errors.UnknownChoice` with close ids."""
    if dataset in DATASETS:
        return dataset
    raise UnknownChoice("dynamics data set", dataset, _close(dataset, DATASETS))


def dataset_info(dataset: str) -> DatasetInfo:
    """The ``datasets.yml`` entry of ``dataset``."""
    return _catalogue().datasets[check_dataset(dataset)]


def check_catalogue() -> list[str]:
    """Validate ``datasets.yml``: every data set present and every source id (data sets and expected counts)
    resolving in the bibliography. Returns the files checked; raises DataError listing ``file:line: message``."""
    from equilibrium.provenance import bibliography
    from equilibrium.provenance.yamlio import load_yaml

    _catalogue.cache_clear()
    cat = _catalogue()
    bib = bibliography()
    doc = load_yaml(catalogue_file())
    errors = []
    for i, raw in enumerate(doc.data.get("datasets") or []):
        ds = cat.datasets.get(str(raw.get("id")))
        if ds is None:
            continue
        for s in ds.sources:
            if s not in bib:
                errors.append(f"{doc.where(('datasets', i, 'sources'))}: unresolved source id {s!r}")
        for key, e in ds.expected.items():
            for s in e.get("sources") or []:
                if s not in bib:
                    errors.append(f"{doc.where(('datasets', i, 'expected', key))}: unresolved source id {s!r}")
    if errors:
        raise DataError(f"invalid {catalogue_file()}", errors)
    return [str(catalogue_file())]


# -------------------------------------------------------------------------------------------- country codes


@cache
def _cow_table() -> dict[int, tuple[str | None, str]]:
    """COW code -> (ISO3 or None, name), from ``data/evidence/cow_states.yml``."""
    import yaml

    path = data_path("evidence", "cow_states.yml")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"cannot read {path}", [f"{path}:1: {exc}"]) from None
    out: dict[int, tuple[str | None, str]] = {}
    for s in (raw or {}).get("states") or []:
        try:
            out[int(s["cow"])] = (str(s["iso3"]) if s.get("iso3") else None, str(s["name"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


@cache
def _cow_aliases() -> dict[str, str]:
    import yaml

    path = data_path("evidence", "cow_states.yml")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError):
        return {}
    return {" ".join(str(k).split()).casefold(): str(v) for k, v in ((raw or {}).get("aliases") or {}).items()}


def iso3_from_cow(ccode: Any) -> str | None:
    """ISO3 code of COW state ``ccode`` (``None`` for COW states without one, e.g. the Republic of Vietnam)."""
    try:
        hit = _cow_table().get(int(float(ccode)))
    except (TypeError, ValueError):
        return None
    return hit[0] if hit else None


def _from_code(code: str) -> str | None:
    """ISO3 for a two-letter ISO code or a countrynames code (``SUHH``...); ``None`` if unknown."""
    import pycountry

    c = code.strip().upper()
    special = _catalogue().codes.get(c)
    if special:
        return special
    if len(c) == 2:
        hit = pycountry.countries.get(alpha_2=c) or pycountry.historic_countries.get(alpha_2=c)
        return str(hit.alpha_3) if hit is not None else None
    return None


@lru_cache(maxsize=8192)
def iso3_of(name: str) -> str | None:
    """ISO3 code for a country name or code found in a data file; ``None`` when it does not resolve (non-state
    actors, organisations, aggregates such as 'Total')."""
    s = " ".join(str(name).split())
    if not s:
        return None
    key = s.casefold()
    cat = _catalogue()
    if key in cat.names:
        return cat.names[key]
    alias = _cow_aliases().get(key)
    if alias:
        return alias
    import countrynames
    import pycountry

    if re.fullmatch(r"[A-Za-z]{3}", s):
        hit3 = pycountry.countries.get(alpha_3=s.upper())
        if hit3 is not None:
            return str(hit3.alpha_3)
    code = countrynames.to_code(s)
    if code:
        return _from_code(code)
    try:
        return str(pycountry.countries.lookup(s).alpha_3)
    except LookupError:
        return None


def _close(query: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    pool = sorted(set(choices))
    return [m for m, score, _ in process.extract(query, pool, scorer=fuzz.WRatio, limit=limit) if score >= 50]


# --------------------------------------------------------------------------------------------------- locating


class DataFileMissing(MissingDependency):
    """A dynamics data file that is not found (the product cannot ship it): 503 problem+json with ``code``
    ``data-file-missing``, the data set, who publishes it, how to obtain it and the usual file names. The CLI
    prints the same one line and exits 2."""

    def __init__(self, dataset: str, message: str) -> None:
        self.dataset = dataset
        super().__init__(message)

    def to_problem(self) -> dict[str, object]:
        body = super().to_problem()
        info = dataset_info(self.dataset)
        data_dir = get_settings().data_dir
        body.update({"code": "data-file-missing", "dataset": info.id, "dataset_title": info.title,
                     "publisher": info.publisher, "obtain": info.obtain, "url": info.url,
                     "usual_names": info.usual_names(), "data_dir": str(data_dir) if data_dir else None})
        return body


def _not_found(info: DatasetInfo, part: str, looked: str) -> DataFileMissing:
    names = ", ".join(info.files[part])
    what = f"{info.short} data file" + (f" ({part.replace('_', ' ')})" if part != "main" else "")
    return DataFileMissing(info.id, f"{what} not found ({looked}; usual names: {names}). The product cannot "
                                    f"redistribute it: it is published by {info.publisher}; {info.obtain}. Then "
                                    "give --path FILE or set EQUILIBRIUM_DATA_DIR to the folder holding it.")


def _search(folder: Path, names: Iterable[str]) -> Path | None:
    for name in names:
        for pattern in (name, f"*/{name}", f"*/*/{name}"):
            hits = sorted((p for p in folder.glob(pattern) if p.is_file()), key=lambda p: (p.name, str(p)),
                          reverse="*" in name)
            if hits:
                return hits[0]
    return None


def _matches(path: Path, names: Iterable[str]) -> bool:
    return any(path.match(n) for n in names)


_PATH = PathOverride("dynamics_data_path")


def data_path_override(path: str | Path | None) -> AbstractContextManager[None]:
    """Within the block, loaders given no path search ``path`` (a file's folder or a folder) instead of
    ``$EQUILIBRIUM_DATA_DIR``: the CLI's ``--path``. The HTTP API never sets it (no server path from a request)."""
    return _PATH.use(path)


def locate(dataset: str, path: str | Path | None = None, part: str = "main") -> Path:
    """The file of ``dataset`` (for ``unvotes`` the ``part``: ``votes``, ``roll_calls`` or ``issues``).

    ``path`` may be a file or a folder; without it, ``$EQUILIBRIUM_DATA_DIR`` is searched for the usual names (also
    one and two folder levels down). A file given for another part of a multi-file data set (``un_votes.rda`` when
    the roll calls are wanted) stands for its folder. Raises :class:`DataFileMissing` naming the publisher.
    """
    info = dataset_info(dataset)
    if path is None:
        path = _PATH.get()
    if part == "main" and "main" not in info.files:
        part = next(iter(info.files))
    if part not in info.files:
        raise UnknownChoice(f"part of {info.id}", part, list(info.files))
    names = info.files[part]
    if path is not None:
        p = Path(path).expanduser()
        if p.is_file():
            if len(info.files) == 1 or _matches(p, names):
                return p
            p = p.parent
        if not p.exists():
            raise _not_found(info, part, f"{p}: no such file or folder")
        folder, looked = p, f"looked in {p}"
    else:
        data_dir = get_settings().data_dir
        if data_dir is None:
            raise _not_found(info, part, "no --path given and EQUILIBRIUM_DATA_DIR is not set")
        folder, looked = data_dir, f"looked in EQUILIBRIUM_DATA_DIR={data_dir}"
    hit = _search(folder, names)
    if hit is None:
        raise _not_found(info, part, looked)
    return hit


# ---------------------------------------------------------------------------------------------------- results


@dataclass
class Loaded:
    """A loaded data set: the tidy ``frame`` (a copy; change it freely), the ``problems`` found (one line each,
    ``file:row: what``), the ``path`` read and the ``dataset`` id."""

    frame: pd.DataFrame
    problems: list[str]
    path: Path
    dataset: str
    extra: dict[str, Any] = field(default_factory=dict)

    def years(self) -> tuple[int, int] | None:
        """First and last year in the frame (calendar years), if it has a ``year`` column."""
        if "year" not in self.frame or self.frame["year"].dropna().empty:
            return None
        y = self.frame["year"].dropna()
        return int(y.min()), int(y.max())

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (no frame)."""
        yrs = self.years()
        return {"dataset": self.dataset, "path": str(self.path), "rows": len(self.frame),
                "years": list(yrs) if yrs else None, "problems": len(self.problems),
                "problem_lines": list(self.problems)}


def _stat_key(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    return str(path.resolve()), st.st_size, st.st_mtime_ns


def _result(cached: tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]], path: Path, dataset: str) -> Loaded:
    frame, problems, extra = cached
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    return Loaded(out, list(problems), path, dataset, dict(extra))


def _wrong_columns(path: Path, what: str, expected: Iterable[str], found: Iterable[Any]) -> DataError:
    exp = ", ".join(str(c) for c in expected)
    got = ", ".join(str(c) for c in list(found)[:12])
    return DataError(f"{path.name} is not the expected file", [f"{path}:1: expected {what} with the columns {exp}; "
                                                               f"found {got or 'no columns'}"])


def _num(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


# ------------------------------------------------------------------------------------------------ SIPRI milex


def load_milex(path: str | Path | None = None) -> Loaded:
    """SIPRI military expenditure: one row per country-year with ``iso3, country, year``, ``milex_usd_m`` (US$ m,
    constant 2022 prices and exchange rates), ``share_gdp_pct`` (% of GDP), ``estimate`` (SIPRI marks the figure
    as its estimate (blue) or as highly uncertain (red), in either sheet), ``uncertain`` (red only) and ``note``
    (the country's SIPRI note markers, e.g. '§59'; their texts in ``frame.attrs['footnotes']``).

    Values SIPRI marks '...' (unavailable) are missing (None/NaN); years marked 'xxx' (the country did not exist)
    have no row. Rows of regions and sub-regions are skipped.
    """
    p = locate("sipri-milex", path)
    return _result(_milex_cached(*_stat_key(p)), p, "sipri-milex")


def _colour_flag(cell: Any, flags: dict[str, Any]) -> str | None:
    col = getattr(getattr(cell, "font", None), "color", None)
    if col is None:
        return None
    for flag in ("uncertain", "estimate"):
        spec = flags.get(flag) or {}
        if col.type == "indexed" and col.indexed in (spec.get("indexed") or []):
            return flag
        if col.type == "rgb" and isinstance(col.rgb, str) and col.rgb.upper() in (spec.get("rgb") or []):
            return flag
    return None


def _sheet_rows(path: Path, ws: Any, spec: dict[str, Any], layout: dict[str, Any], problems: list[str]
                ) -> dict[str, dict[str, Any]]:
    """Read one SIPRI sheet: {country: {"row": n, "note": str|None, "values": {year: (value, flag, marker)}}}."""
    name = spec["name"]
    want = int(spec.get("header_row", 6))
    rows = ws.iter_rows()
    header: list[Any] = []
    hrow = 0
    for i, row in enumerate(rows, start=1):
        vals = [c.value for c in row]
        if vals and isinstance(vals[0], str) and vals[0].strip() == "Country":
            header, hrow = vals, i
            break
        if i >= max(want, 15):
            break
    cols = [str(c).strip() if c is not None else "" for c in header]
    years = {j: int(float(c)) for j, c in enumerate(header)
             if j > 0 and isinstance(c, (int, float)) and 1800 < float(c) < 2200}
    if not header or "Notes" not in cols or not years:
        raise DataError(f"{path.name} is not the SIPRI military expenditure workbook",
                        [f"{path}: sheet {name!r}: expected a header row (row {want}) with "
                         f"{', '.join(spec.get('columns') or [])} and one column per year; found "
                         f"{', '.join(c for c in cols if c)[:200] or 'no header'}"])
    note_j = cols.index("Notes")
    missing = {str(m) for m in layout.get("missing") or []}
    not_state = {str(m) for m in layout.get("not_a_state") or []}
    flags = layout.get("flags") or {}
    out: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(rows, start=hrow + 1):
        if not row:
            continue
        first = row[0].value
        if not isinstance(first, str) or not first.strip():
            continue
        country = " ".join(first.split())
        cells = {years[j]: row[j] for j in years if j < len(row)}
        if all(c.value is None for c in cells.values()):
            continue  # a region or sub-region heading
        note_v = row[note_j].value if note_j < len(row) else None
        note = str(note_v).strip() if note_v not in (None, "") else None
        values: dict[int, tuple[float | None, str | None, str | None]] = {}
        for year, c in cells.items():
            v = c.value
            if v is None:
                values[year] = (None, None, None)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                values[year] = (float(v), _colour_flag(c, flags), None)
            else:
                s = " ".join(str(v).split())
                if s in not_state:
                    values[year] = (None, None, "xxx")
                elif s in missing or s == "":
                    values[year] = (None, None, "...")
                else:
                    try:
                        values[year] = (float(s.replace(",", "")), _colour_flag(c, flags), None)
                    except ValueError:
                        problems.append(f"{path}:{name}!{c.coordinate}: {country} {year}: {s!r} is not a number "
                                        "or a SIPRI marker (value left missing)")
                        values[year] = (None, None, "...")
        if country in out:
            problems.append(f"{path}:{name}!A{i}: {country} appears twice in the sheet (the first row is kept)")
            continue
        out[country] = {"row": i, "note": note, "values": values}
    return out


@lru_cache(maxsize=4)
def _milex_cached(path_s: str, size: int, mtime: int) -> tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]]:
    import openpyxl

    path = Path(path_s)
    info = dataset_info("sipri-milex")
    layout = info.layout
    sheets = layout["sheets"]
    problems: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a file that is not a workbook
        raise DataError(f"{path.name} is not an Excel workbook", [f"{path}:1: {type(exc).__name__}: {exc}"]
                        ) from None
    try:
        absent = [s["name"] for k, s in sheets.items() if k != "footnotes" and s["name"] not in wb.sheetnames]
        if absent:
            raise DataError(f"{path.name} is not the SIPRI military expenditure workbook",
                            [f"{path}: expected the sheets {', '.join(repr(a) for a in absent)}; found "
                             f"{', '.join(repr(s) for s in wb.sheetnames)}"])
        const = _sheet_rows(path, wb[sheets["constant"]["name"]], sheets["constant"], layout, problems)
        share = _sheet_rows(path, wb[sheets["share"]["name"]], sheets["share"], layout, problems)
        footnotes: dict[str, str] = {}
        fn = sheets.get("footnotes", {}).get("name")
        if fn and fn in wb.sheetnames:
            for row in wb[fn].iter_rows(values_only=True):
                if len(row) >= 2 and row[0] is not None and isinstance(row[1], str):
                    k = row[0]
                    key = str(int(k)) if isinstance(k, float) and k.is_integer() else str(k).strip()
                    if key and len(key) <= 4:
                        footnotes[key] = " ".join(row[1].split())
    finally:
        wb.close()
    scale = float(layout.get("share_scale", 100))
    sname = sheets["constant"]["name"]
    records: list[dict[str, Any]] = []
    for country in list(const) + [c for c in share if c not in const]:
        a = const.get(country)
        b = share.get(country)
        row_no = (a or b or {}).get("row")
        iso3 = iso3_of(country)
        if iso3 is None:
            problems.append(f"{path}:{sname}!A{row_no}: country name {country!r} does not resolve to an ISO3 code "
                            "(kept with iso3 missing)")
        note = (a or {}).get("note") or (b or {}).get("note")
        av = (a or {}).get("values", {})
        bv = (b or {}).get("values", {})
        for year in sorted(set(av) | set(bv)):
            va, fa, ma = av.get(year, (None, None, None))
            vb, fb, mb = bv.get(year, (None, None, None))
            if (ma == "xxx" or year not in av) and (mb == "xxx" or year not in bv):
                continue
            flags = {fa, fb}
            records.append({"iso3": iso3, "country": country, "year": year, "milex_usd_m": va,
                            "share_gdp_pct": vb * scale if vb is not None else None,
                            "estimate": bool(flags & {"estimate", "uncertain"}), "uncertain": "uncertain" in flags,
                            "note": note})
    frame = pd.DataFrame.from_records(records, columns=list(MILEX_COLUMNS))
    frame = _merge_duplicates(frame, ["milex_usd_m", "share_gdp_pct"], path, problems)
    frame["year"] = frame["year"].astype("int64")
    for c in ("milex_usd_m", "share_gdp_pct"):
        frame[c] = frame[c].astype("float64")
    frame.attrs["footnotes"] = footnotes
    frame.attrs["units"] = {"milex_usd_m": "US$ m, constant 2022", "share_gdp_pct": "% of GDP"}
    return frame, tuple(problems), {"countries": len(const)}


def _merge_duplicates(frame: pd.DataFrame, value_cols: list[str], path: Path, problems: list[str],
                      key: tuple[str, str] = ("iso3", "year")) -> pd.DataFrame:
    """Rows that share ``key`` (two names of one state, e.g. 'USSR' and 'Russia' before 1992): one row, each value
    from the row that has it; where both have a value the first is kept and the clash reported."""
    k = list(key)
    has = frame[k[0]].notna()
    dup = has & frame.duplicated(subset=k, keep=False)
    if not dup.any():
        return frame.reset_index(drop=True)
    keep: list[dict[str, Any]] = []
    clashes: dict[tuple[str, str], list[int]] = {}
    for (code, year), grp in frame[dup].groupby(k, sort=False):
        rows = grp.to_dict("records")
        merged = dict(rows[0])
        with_data = [r for r in rows if any(_num(r[c]) is not None for c in value_cols)]
        if with_data:
            merged = dict(with_data[0])
        for c in value_cols:
            vals = [r[c] for r in rows if _num(r[c]) is not None]
            if vals and _num(merged[c]) is None:
                merged[c] = vals[0]
        if len(with_data) > 1:
            names = ", ".join(str(r.get("country")) for r in with_data)
            clashes.setdefault((names, str(code)), []).append(int(year))
        keep.append(merged)
    for (names, code), years in clashes.items():
        problems.append(f"{path}: {names} all map to {code} with data in {len(years)} year(s), {min(years)}-"
                        f"{max(years)} (the values of {names.split(', ')[0]} are kept)")
    out = pd.concat([frame[~dup], pd.DataFrame.from_records(keep, columns=frame.columns)], ignore_index=True)
    return out.sort_values(k, kind="stable").reset_index(drop=True)


# -------------------------------------------------------------------------------------------------- SIPRI TIV


def load_tiv(kind: Literal["imports", "exports"], path: str | Path | None = None) -> Loaded:
    """SIPRI TIV table (``imports`` by recipient or ``exports`` by supplier): one row per entity-year with
    ``iso3, country, year, tiv_m`` (trend-indicator value, millions at constant 1990 prices). An empty cell is
    SIPRI's 'no deliveries recorded' and reads as 0; '0' means below 0.5 m. Non-state recipients (names marked
    '*'), organisations ('**') and the 'Others'/'Total' rows are kept with ``iso3`` missing. A preamble of text
    lines before the header (SIPRI's download) is skipped."""
    if kind not in ("imports", "exports"):
        raise UnknownChoice("TIV table", str(kind), ["imports", "exports"])
    ds = f"sipri-tiv-{kind}"
    p = locate(ds, path)
    return _result(_tiv_cached(ds, *_stat_key(p)), p, ds)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


@lru_cache(maxsize=8)
def _tiv_cached(ds: str, path_s: str, size: int, mtime: int
                ) -> tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]]:
    path = Path(path_s)
    layout = dataset_info(ds).layout
    name_col = str(layout["name_column"])
    other_col = "Supplier" if name_col == "Recipient" else "Recipient"
    aggregates = {str(a).casefold() for a in layout.get("aggregates") or []}
    lines = list(csv.reader(io.StringIO(_read_text(path))))
    problems: list[str] = []
    header: list[str] = []
    hline = 0
    for i, cells in enumerate(lines[: int(layout.get("preamble_max_lines", 30))], start=1):
        stripped = [c.strip() for c in cells]
        if name_col in stripped or other_col in stripped:
            header, hline = stripped, i
            break
    years = {j: int(c) for j, c in enumerate(header) if re.fullmatch(r"\d{4}", c)}
    if not header or name_col not in header or not years:
        found = header or (lines[0] if lines else [])
        what = (f"the SIPRI TIV {'imports' if name_col == 'Recipient' else 'exports'} table (a header row, after "
                f"any preamble, with a {name_col!r} column and one column per year)")
        if other_col in header:
            what += f"; this file has {other_col!r}: it is the other table"
        raise _wrong_columns(path, what, ["Rank", name_col, "1950", "...", "total"], found)
    name_j = header.index(name_col)
    records: list[dict[str, Any]] = []
    blanks: list[tuple[str | None, str, int]] = []
    for i, cells in enumerate(lines[hline:], start=hline + 1):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) <= name_j or not cells[name_j].strip():
            problems.append(f"{path}:{i}: no {name_col.lower()} name (row left out)")
            continue
        name = " ".join(cells[name_j].split())
        if len(cells) < max(years) + 1 and len(cells) < len(header) - 1:
            problems.append(f"{path}:{i}: {name}: {len(cells)} cells, the header has {len(header)} (row left out)")
            continue
        aggregate = name.casefold() in aggregates
        iso3 = None if aggregate or name.endswith("*") else iso3_of(name)
        if iso3 is None and not aggregate:
            problems.append(f"{path}:{i}: name {name!r} does not resolve to an ISO3 code (a non-state actor, an "
                            "organisation or an unknown name; kept with iso3 missing)")
        for j, year in years.items():
            s = cells[j].strip() if j < len(cells) else ""
            if s == "":
                v: float | None = None  # no deliveries recorded: 0 after merging the names of one state
                blanks.append((iso3, name, year))
            else:
                try:
                    v = float(s.replace(",", ""))
                except ValueError:
                    problems.append(f"{path}:{i}: {name} {year}: {s!r} is not a number (value left missing)")
                    v = None
            records.append({"iso3": iso3, "country": name, "year": year, "tiv_m": v})
    frame = pd.DataFrame.from_records(records, columns=list(TIV_COLUMNS))
    frame = _merge_duplicates(frame, ["tiv_m"], path, problems)
    if blanks:
        blank = pd.MultiIndex.from_tuples([(b[1], b[2]) for b in blanks])
        at = pd.MultiIndex.from_arrays([frame["country"], frame["year"]]).isin(blank)
        frame.loc[at & frame["tiv_m"].isna(), "tiv_m"] = 0.0
    frame["year"] = frame["year"].astype("int64")
    frame["tiv_m"] = frame["tiv_m"].astype("float64")
    frame.attrs["units"] = {"tiv_m": "SIPRI TIV, millions (constant 1990 prices)"}
    return frame, tuple(problems), {"entities": len({r["country"] for r in records})}


# ------------------------------------------------------------------------------------------------------ COW NMC


def load_nmc(path: str | Path | None = None) -> Loaded:
    """COW National Material Capabilities 6.0 (abridged): one row per state-year with ``iso3, ccode, stateabb,
    year, milex`` (thousands of current US$), ``milper`` (thousands), ``irst`` (thousands of tons), ``pec``
    (thousands of coal-ton equivalents), ``tpop``, ``upop`` (thousands), ``cinc`` (share of the system, 0-1).
    COW's -9 is missing. Where two COW codes map to one ISO3 in a year (West Germany and Germany in 1990), both rows
    are kept and the overlap is reported."""
    p = locate("cow-nmc", path)
    return _result(_nmc_cached(*_stat_key(p)), p, "cow-nmc")


def _one_line(exc: BaseException) -> str:
    """A reader's exception message on one line (pandas' parser messages end in a newline)."""
    return " ".join(str(exc).split())


@lru_cache(maxsize=4)
def _nmc_cached(path_s: str, size: int, mtime: int) -> tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]]:
    path = Path(path_s)
    layout = dataset_info("cow-nmc").layout
    required = [str(c) for c in layout["columns"]]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding_errors="replace")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{path.name} is not a CSV file", [f"{path}:1: {_one_line(exc)}"]) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise _wrong_columns(path, "the COW NMC abridged CSV", required, raw.columns)
    miss = str(layout.get("missing_code", -9))
    problems: list[str] = []
    num_cols = ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]
    out = pd.DataFrame({"ccode": pd.to_numeric(raw["ccode"], errors="coerce"),
                        "year": pd.to_numeric(raw["year"], errors="coerce"),
                        "stateabb": raw["stateabb"].str.strip()})
    bad = out["ccode"].isna() | out["year"].isna() | (out["ccode"] % 1 != 0) | (out["year"] % 1 != 0)
    for idx in out.index[bad]:
        problems.append(f"{path}:{int(idx) + 2}: ccode {raw.at[idx, 'ccode']!r} / year {raw.at[idx, 'year']!r} "
                        "is not a whole number (row left out)")
    for c in num_cols:
        s = raw[c].str.strip()
        vals = pd.to_numeric(s, errors="coerce")
        wrong = vals.isna() & (s != "") & ~bad
        for idx in raw.index[wrong]:
            problems.append(f"{path}:{int(idx) + 2}: {c} {s[idx]!r} is not a number (value left missing)")
        vals = vals.where(s != miss)
        out[c] = vals.astype("float64")
    out = out[~bad].copy()
    out["ccode"] = out["ccode"].astype("int64")
    out["year"] = out["year"].astype("int64")
    codes = {int(c): iso3_from_cow(c) for c in out["ccode"].unique()}
    out["iso3"] = out["ccode"].map(codes).astype("object")
    for cow, code in sorted(codes.items()):
        if code is None:
            problems.append(f"{path}: COW state {cow} ({_cow_table().get(cow, (None, 'unknown'))[1]}) has no ISO3 "
                            "code (kept with iso3 missing)")
    dup = out["iso3"].notna() & out.duplicated(subset=["iso3", "year"], keep=False)
    for (code, year), grp in out[dup].groupby(["iso3", "year"]):
        problems.append(f"{path}: COW states {', '.join(str(int(x)) for x in grp['ccode'])} all map to {code} in "
                        f"{int(year)} (both rows kept)")
    out = out[list(NMC_COLUMNS)].reset_index(drop=True)
    out.attrs["units"] = {"milex": "thousands of current US$", "milper": "thousands", "irst": "thousands of tons",
                          "pec": "thousands of coal-ton equivalents", "tpop": "thousands", "upop": "thousands",
                          "cinc": "share of the system total (0-1)"}
    return out, tuple(problems), {}


# --------------------------------------------------------------------------------------------------- Voeten


def load_idealpoints(path: str | Path | None = None) -> Loaded:
    """Voeten's UNGA ideal points: one row per country-year with ``iso3, ccode, country, year, idealpoint_all``
    (all votes), ``idealpoint_fp`` (the file's ``idealpointfp`` estimate), ``q05_all``/``q95_all`` (5th/95th
    posterior percentiles of ``idealpoint_all``) and ``nvotes_all`` (roll calls). Ideal points are dimensionless,
    on a scale common to all years. ``iso3`` comes from the COW code (COW continuity), else the file's ``iso3c``."""
    p = locate("voeten-idealpoints", path)
    return _result(_ideal_cached(*_stat_key(p)), p, "voeten-idealpoints")


@lru_cache(maxsize=4)
def _ideal_cached(path_s: str, size: int, mtime: int) -> tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]]:
    path = Path(path_s)
    required = [str(c) for c in dataset_info("voeten-idealpoints").layout["columns"]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = pd.read_stata(path, convert_categoricals=False)
    except Exception as exc:  # noqa: BLE001 - pandas raises several kinds on a file that is not Stata
        raise DataError(f"{path.name} is not a Stata .dta file", [f"{path}:1: {type(exc).__name__}: {_one_line(exc)}"]
                        ) from None
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise _wrong_columns(path, "the Voeten ideal-point file", required, raw.columns)
    problems: list[str] = []
    ccode = pd.to_numeric(raw["ccode"], errors="coerce")
    year = pd.to_numeric(raw["year"], errors="coerce")
    bad = ccode.isna() | year.isna()
    for idx in raw.index[bad]:
        problems.append(f"{path}:row {int(idx) + 1}: ccode {raw.at[idx, 'ccode']!r} / year {raw.at[idx, 'year']!r} "
                        "missing (row left out)")
    names = raw["countryname"] if "countryname" in raw.columns else pd.Series([None] * len(raw), index=raw.index)
    out = pd.DataFrame({"ccode": ccode, "year": year})
    file_iso = raw["iso3c"].astype("object").where(raw["iso3c"].notna(), None)
    codes = {int(c): iso3_from_cow(c) for c in ccode.dropna().unique()}
    iso = [codes.get(int(c)) if c == c else None for c in ccode]
    out["iso3"] = [a if a else (str(b).strip() or None if isinstance(b, str) else None)
                   for a, b in zip(iso, file_iso, strict=True)]
    out["country"] = [str(n).strip() or (_cow_table().get(int(c), (None, None))[1] if c == c else None)
                      if isinstance(n, str) else None for n, c in zip(names, ccode, strict=True)]
    for src, dst in (("idealpointall", "idealpoint_all"), ("idealpointfp", "idealpoint_fp"), ("q5all", "q05_all"),
                     ("q95all", "q95_all"), ("nvotesall", "nvotes_all")):
        out[dst] = pd.to_numeric(raw[src], errors="coerce").astype("float64")
    out = out[~bad].copy()
    out["ccode"] = out["ccode"].astype("int64")
    out["year"] = out["year"].astype("int64")
    for c in sorted(int(x) for x in out.loc[out["iso3"].isna(), "ccode"].unique()):
        problems.append(f"{path}: COW state {c} has no ISO3 code (kept with iso3 missing)")
    dup = out["iso3"].notna() & out.duplicated(subset=["iso3", "year"], keep=False)
    for (code, yr), grp in out[dup].groupby(["iso3", "year"]):
        problems.append(f"{path}: COW states {', '.join(str(int(x)) for x in grp['ccode'])} all map to {code} in "
                        f"{int(yr)} (both rows kept)")
    out = out[list(IDEAL_COLUMNS)].reset_index(drop=True)
    out.attrs["units"] = {"idealpoint_all": "ideal point (dimensionless, common scale)", "nvotes_all": "roll calls"}
    return out, tuple(problems), {}


# -------------------------------------------------------------------------------------------------- unvotes


def _read_rda(path: Path, obj: str, required: list[str]) -> pd.DataFrame:
    try:
        import pyreadr
    except ImportError:  # pragma: no cover - a declared dependency
        raise MissingDependency("reading the unvotes .rda files needs the pyreadr package (pip install pyreadr)"
                                ) from None
    try:
        res = pyreadr.read_r(str(path))
    except Exception as exc:  # noqa: BLE001 - pyreadr raises its own and OS errors
        raise DataError(f"{path.name} is not an R data file",
                        [f"{path}:1: {type(exc).__name__}: {_one_line(exc)}"]) from None
    if obj in res:
        df = res[obj]
    elif len(res) == 1:
        df = next(iter(res.values()))
    else:
        raise DataError(f"{path.name} is not the expected R data file",
                        [f"{path}:1: expected the object {obj!r}; found {', '.join(map(str, res)) or 'none'}"])
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise _wrong_columns(path, f"the unvotes object {obj!r}", required, df.columns)
    return df


def load_votes(path: str | Path | None = None) -> Loaded:
    """UNGA votes (unvotes ``un_votes``): one row per country and roll call with ``rcid``, ``iso3``, ``country``
    and ``vote`` (``yes``, ``no`` or ``abstain``; absences are not in the data). ISO3 from the file's ISO alpha-2
    code, else from the country name."""
    p = locate("unvotes", path, part="votes")
    return _result(_votes_cached(*_stat_key(p)), p, "unvotes")


VOTES_CACHE_VERSION = "1"
"""Format version of the parsed-votes disk cache entries (bump when the parsed frame changes)."""


@lru_cache(maxsize=2)
def _votes_cached(path_s: str, size: int, mtime: int) -> tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]]:
    """The parsed votes, from the disk cache (Parquet bytes keyed by the file's path, size and mtime) when an
    unchanged file was parsed before: reading the .rda takes seconds, the Parquet copy a fraction of that."""
    key = diskcache.digest(VOTES_CACHE_VERSION, path_s, str(size), str(mtime))
    hit = diskcache.load("unvotes", key)
    if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], bytes):
        import pyarrow.parquet as pq

        frame = pq.read_table(io.BytesIO(hit[0])).to_pandas()
        frame["vote"] = pd.Categorical(frame["vote"].astype("object"), categories=["yes", "abstain", "no"])
        frame["country"] = frame["country"].astype("object")
        return frame, tuple(str(x) for x in hit[1]), {}
    out, problems, extra = _parse_votes(path_s)
    buf = io.BytesIO()
    out.to_parquet(buf, index=False)
    diskcache.store("unvotes", key, (buf.getvalue(), list(problems)))
    return out, problems, extra


def _parse_votes(path_s: str) -> tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]]:
    path = Path(path_s)
    spec = dataset_info("unvotes").layout["objects"]["votes"]
    raw = _read_rda(path, str(spec["name"]), [str(c) for c in spec["columns"]])
    problems: list[str] = []
    rcid = pd.to_numeric(raw["rcid"], errors="coerce")
    vote = raw["vote"].astype("object").astype("string").str.strip().str.lower()
    ok_vote = vote.isin(["yes", "no", "abstain"]).fillna(False).astype(bool)
    bad = (rcid.isna() | (rcid % 1 != 0) | ~ok_vote).to_numpy()
    for idx in raw.index[bad][:50]:
        problems.append(f"{path}:row {int(idx) + 1}: rcid {raw.at[idx, 'rcid']!r} / vote {raw.at[idx, 'vote']!r} "
                        "not readable (row left out)")
    if int(bad.sum()) > 50:
        problems.append(f"{path}: {int(bad.sum()) - 50} more unreadable rows left out")
    country = raw["country"].astype("object")
    pairs = pd.DataFrame({"country": country, "code": raw["country_code"].astype("object")}).drop_duplicates()
    lookup: dict[Any, str | None] = {}
    for name, code in pairs.itertuples(index=False):
        iso = _from_code(code) if isinstance(code, str) and code.strip() else None
        if isinstance(name, str):
            by_name = _catalogue().names.get(" ".join(name.split()).casefold())
            iso = by_name or iso or iso3_of(name)
        if lookup.get(name) is None:
            lookup[name] = iso
        if iso is None:
            problems.append(f"{path}: country {name!r} (code {code!r}) does not resolve to an ISO3 code (votes "
                            "kept with iso3 missing)")
    out = pd.DataFrame({"rcid": rcid, "iso3": country.map(lookup), "country": country, "vote": vote})
    out = out[~bad].copy()
    out["rcid"] = out["rcid"].astype("int64")
    out["vote"] = pd.Categorical(out["vote"].astype("object"), categories=["yes", "abstain", "no"])
    dup = out["iso3"].notna() & out.duplicated(subset=["rcid", "iso3"], keep=False)
    if dup.any():
        problems.append(f"{path}: {int(dup.sum())} votes share a roll call and an ISO3 code (two names of one state; "
                        "kept)")
    out = out[list(VOTE_COLUMNS)].reset_index(drop=True)
    return out, tuple(problems), {}


def load_roll_calls(path: str | Path | None = None) -> Loaded:
    """UNGA roll calls (unvotes ``un_roll_calls``): one row per roll call with ``rcid``, ``session`` (General
    Assembly number), ``date``, ``year`` (calendar year of the vote), ``importantvote`` (the US State Department's
    'important' votes, from the 39th session; missing before), ``short`` (description) and ``issue`` (the issues of
    ``un_roll_call_issues`` joined with '; ', missing when none). Without the issues file ``issue`` is missing and
    a problem says so."""
    p = locate("unvotes", path, part="roll_calls")
    try:
        ip: Path | None = locate("unvotes", p.parent if path is None else path, part="issues")
    except DataFileMissing:
        ip = None
    key = _stat_key(p)
    ikey = _stat_key(ip) if ip is not None else ("", 0, 0)
    return _result(_roll_calls_cached(*key, *ikey), p, "unvotes")


@lru_cache(maxsize=2)
def _roll_calls_cached(path_s: str, size: int, mtime: int, ipath_s: str, isize: int, imtime: int
                       ) -> tuple[pd.DataFrame, tuple[str, ...], dict[str, Any]]:
    path = Path(path_s)
    objs = dataset_info("unvotes").layout["objects"]
    spec = objs["roll_calls"]
    raw = _read_rda(path, str(spec["name"]), [str(c) for c in spec["columns"]])
    problems: list[str] = []
    rcid = pd.to_numeric(raw["rcid"], errors="coerce")
    date = pd.to_datetime(raw["date"], errors="coerce")
    bad = rcid.isna() | date.isna()
    for idx in raw.index[bad]:
        problems.append(f"{path}:row {int(idx) + 1}: rcid {raw.at[idx, 'rcid']!r} / date {raw.at[idx, 'date']!r} "
                        "not readable (row left out)")
    imp = pd.to_numeric(raw["importantvote"], errors="coerce")
    out = pd.DataFrame({"rcid": rcid, "session": pd.to_numeric(raw["session"], errors="coerce"), "date": date,
                        "year": date.dt.year, "importantvote": imp.map(lambda v: None if v != v else bool(v)),
                        "short": raw["short"].astype("object").where(raw["short"].notna(), None)})
    out = out[~bad].copy()
    out["rcid"] = out["rcid"].astype("int64")
    out["session"] = out["session"].astype("Int64")
    out["year"] = out["year"].astype("int64")
    out["importantvote"] = out["importantvote"].astype("boolean")
    issues: dict[int, str] = {}
    n_issues = 0
    if ipath_s:
        ispec = objs["issues"]
        iraw = _read_rda(Path(ipath_s), str(ispec["name"]), [str(c) for c in ispec["columns"]])
        n_issues = len(iraw)
        grouped: dict[int, set[str]] = {}
        for r, iss in zip(pd.to_numeric(iraw["rcid"], errors="coerce"), iraw["issue"].astype("object"), strict=True):
            if r == r and isinstance(iss, str):
                grouped.setdefault(int(r), set()).add(iss)
        issues = {r: "; ".join(sorted(v)) for r, v in grouped.items()}
    else:
        problems.append(f"{path}: no un_roll_call_issues.rda beside it: the issue column is missing")
    out["issue"] = out["rcid"].map(issues).astype("object")
    out["issue"] = out["issue"].where(out["issue"].notna(), None)
    out = out[list(ROLL_CALL_COLUMNS)].reset_index(drop=True)
    return out, tuple(problems), {"issues_rows": n_issues, "issues_path": ipath_s or None}


# ---------------------------------------------------------------------------------------------------- series


def series(frame: pd.DataFrame, iso3s: list[str], column: str, start: int | None = None, end: int | None = None
           ) -> pd.DataFrame:
    """``column`` of ``frame`` (a tidy frame with ``iso3`` and ``year``) wide by year: index ``year`` (every year
    from ``start`` to ``end``, default the span of the data), one column per ISO3 code in the order given, in the
    unit of ``column``; NaN where a year has no value. Country names resolve too ('Pakistan' -> PAK).

    Raises :class:`~equilibrium.errors.InvalidInput` for an unknown country (with close matches), an unknown
    column, or a country without any value of ``column`` in ``start``-``end`` (naming the country and the period).
    Where two rows share a country-year (two COW codes of one state), the later row in the frame is used.
    """
    for c in ("iso3", "year"):
        if c not in frame.columns:
            raise InvalidInput(f"the frame has no {c!r} column (give a tidy frame from a dynamics loader)")
    if column not in frame.columns or column in ("iso3", "year"):
        raise UnknownChoice("column", column, _close(column, [c for c in frame.columns if c not in ("iso3", "year")]))
    if start is not None and end is not None and start > end:
        raise InvalidInput(f"the period {start}-{end} ends before it starts")
    if not iso3s:
        raise InvalidInput("give at least one country (ISO3 code)")
    known = set(frame["iso3"].dropna().astype(str))
    codes: list[str] = []
    for q in iso3s:
        s = " ".join(str(q).split())
        code = s.upper() if s.upper() in known else (iso3_of(s) if s else None)
        if code is None or code not in known:
            names = (frame[["iso3", "country"]].dropna().drop_duplicates() if "country" in frame.columns
                     else pd.DataFrame({"iso3": sorted(known), "country": sorted(known)}))
            label = {str(r.iso3): f"{r.iso3} ({r.country})" for r in names.itertuples()}
            by_name = {str(r.country): str(r.iso3) for r in names.itertuples()}
            hits = _close(s, list(label) + list(by_name))
            sugg = list(dict.fromkeys(label[by_name.get(h, h)] for h in hits if by_name.get(h, h) in label))
            if code is not None and code not in known:
                raise UnknownChoice(f"country in this data set ({code} has no rows)", s, sugg)
            raise UnknownChoice("country", s, sugg)
        if code not in codes:
            codes.append(code)
    sub = frame.loc[frame["iso3"].isin(codes), ["iso3", "year", column]]
    sub = sub.assign(**{column: pd.to_numeric(sub[column], errors="coerce")})
    data = sub.dropna(subset=[column])
    lo = start if start is not None else (int(data["year"].min()) if not data.empty else 0)
    hi = end if end is not None else (int(data["year"].max()) if not data.empty else 0)
    period = f"{lo}-{hi}" if not data.empty or (start is not None and end is not None) else "any year"
    for code in codes:
        have = data.loc[data["iso3"] == code, "year"]
        if data.empty or have[(have >= lo) & (have <= hi)].empty:
            span = f"{int(have.min())}-{int(have.max())}" if not have.empty else "no year"
            raise InvalidInput(f"no {column} data for {code} in {period} (the data have {code} for {span})")
    data = data[(data["year"] >= lo) & (data["year"] <= hi)]
    data = data.drop_duplicates(subset=["iso3", "year"], keep="last")
    wide = data.pivot(index="year", columns="iso3", values=column)
    wide = wide.reindex(index=pd.Index(range(lo, hi + 1), name="year"), columns=codes).astype("float64")
    wide.columns.name = None
    return wide


# ------------------------------------------------------------------------------------------- status / summary


@dataclass(frozen=True)
class DatasetStatus:
    """Whether a data set was found and what it holds: ``rows`` (tidy rows; votes for unvotes), ``years`` (first
    and last calendar year), the count of ``problems``, the counts of a complete file (``expected``) beside what was
    read (``counts``), and when not found the publisher and how to obtain it (``message``)."""

    dataset: str
    title: str
    publisher: str
    obtain: str
    url: str
    sources: tuple[str, ...]
    found: bool
    path: str | None = None
    rows: int | None = None
    years: tuple[int, int] | None = None
    problems: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"dataset": self.dataset, "title": self.title, "publisher": self.publisher, "obtain": self.obtain,
                "url": self.url, "sources": list(self.sources), "found": self.found, "path": self.path,
                "rows": self.rows, "years": list(self.years) if self.years else None, "problems": self.problems,
                "counts": dict(self.counts), "expected": dict(self.expected), "message": self.message,
                "seconds": round(self.seconds, 3) if self.seconds is not None else None}


def _load_for_status(ds: str, path: str | Path | None) -> tuple[Loaded, dict[str, int]]:
    if ds == "sipri-milex":
        ld = load_milex(path)
        return ld, {"rows": len(ld.frame), "countries": int(ld.extra.get("countries", 0))}
    if ds in ("sipri-tiv-imports", "sipri-tiv-exports"):
        ld = load_tiv("imports" if ds.endswith("imports") else "exports", path)
        return ld, {"rows": len(ld.frame), "entities": int(ld.extra.get("entities", 0))}
    if ds == "cow-nmc":
        ld = load_nmc(path)
        return ld, {"rows": len(ld.frame)}
    if ds == "voeten-idealpoints":
        ld = load_idealpoints(path)
        return ld, {"rows": len(ld.frame)}
    votes = load_votes(path)
    rc = load_roll_calls(path)
    ld = Loaded(votes.frame, votes.problems + rc.problems, votes.path, ds,
                {"roll_calls": rc.frame, "issues_rows": rc.extra.get("issues_rows", 0)})
    return ld, {"votes": len(votes.frame), "roll_calls": len(rc.frame),
                "issues": int(rc.extra.get("issues_rows") or 0)}


def datasets_status(path: str | Path | None = None, datasets: Iterable[str] | None = None) -> list[DatasetStatus]:
    """For each data set (default all): found or not (and then who publishes it and how to obtain it), the path,
    rows, years covered, problems count, read against the counts of a complete file. ``path`` is a folder to
    search (default ``$EQUILIBRIUM_DATA_DIR``). Loads every file found (cached)."""
    import time

    out: list[DatasetStatus] = []
    for ds in datasets or DATASETS:
        info = dataset_info(ds)
        base: dict[str, Any] = {"dataset": info.id, "title": info.title, "publisher": info.publisher,
                                "obtain": info.obtain, "url": info.url, "sources": info.sources}
        expected = {k: int(e["value"]) for k, e in info.expected.items() if not k.endswith("_year")}
        t0 = time.perf_counter()
        try:
            ld, counts = _load_for_status(ds, path)
        except EquilibriumError as exc:
            out.append(DatasetStatus(**base, found=False, expected=expected, message=str(exc)))
            continue
        years = ld.years()
        if ds == "unvotes":
            rc = ld.extra["roll_calls"]
            years = (int(rc["year"].min()), int(rc["year"].max())) if not rc.empty else None
        out.append(DatasetStatus(**base, found=True, path=str(ld.path), rows=len(ld.frame), years=years,
                                 problems=len(ld.problems), counts=counts, expected=expected,
                                 seconds=time.perf_counter() - t0))
    return out


def summary(path: str | Path | None = None) -> dict[str, Any]:
    """JSON-ready answer to 'which dynamics data sets are there': the data folder and :func:`datasets_status`."""
    data_dir = get_settings().data_dir
    return {"data_dir": str(data_dir) if data_dir else None, "searched": str(path) if path is not None else None,
            "datasets": [s.to_dict() for s in datasets_status(path)]}


def clear_cache() -> None:
    """Forget every parsed file (the next load reads the files again)."""
    for f in (_milex_cached, _tiv_cached, _nmc_cached, _ideal_cached, _votes_cached, _roll_calls_cached):
        f.cache_clear()
