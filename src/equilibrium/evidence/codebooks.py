"""Codebooks of the evidence data sets, kept as data (``data/evidence/codebooks/*.yml``).

A codebook names, for each file layout of a data set, every column with its meaning, type, allowed codes and source,
and whether the meaning was checked against the publisher's documentation. It also says who publishes the data set
and how to obtain it (the product cannot redistribute these files). Loaders validate files against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from equilibrium.errors import DataError, NotFound
from equilibrium.provenance import bibliography, data_path
from equilibrium.provenance.yamlio import LocatedYaml, load_yaml

DATASETS: tuple[str, ...] = ("gsdb", "ties", "eusanct", "china-ties")
"""The data sets, by the name the CLI and the API use."""

BY_FIELDS: tuple[str, ...] = ("objective", "issue", "decade", "sender", "target", "role", "multilateral")
"""Every grouping a base rate can be split by (a codebook's ``by`` lists those that make sense for its data set)."""

ByField = Literal["objective", "issue", "decade", "sender", "target", "role", "multilateral"]

VarType = Literal["int", "year", "str", "flag", "code", "codes", "name", "cow", "country", "institutions"]


class _Var(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    meaning: str
    type: VarType
    codes: str | None = None
    separator: str | None = None
    nonnull: bool = False
    on_invalid: Literal["exclude", "blank"] = "exclude"
    checked: bool = True
    source: str | None = None


class _Layout(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["sender", "target"] | None = None
    format: Literal["csv", "xls"]
    files: list[str] = Field(min_length=1)
    variables: list[_Var] = Field(min_length=1)


class _Institution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    label: str


class _Share(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rate: str = Field(pattern=r"^[a-z][a-z0-9_]*_share$")
    words: str


class _Headline(_Share):
    verb: str
    why: str


class _GoalGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    codes: list[str] = Field(min_length=1)
    role: Literal["sender", "target"] | None = None
    reason: str


class _Codebook(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dataset: str
    title: str
    short: str
    sources: list[str] = Field(min_length=1)
    publisher: str
    obtain: str
    url: str
    unit: str
    label: str
    id_column: str
    headline: _Headline
    secondary: _Share | None = None
    by: list[ByField] = Field(min_length=1)
    rate_words: dict[str, str] = Field(default_factory=dict)
    goal_groups: list[_GoalGroup] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    encodings: list[str] = Field(default_factory=lambda: ["utf-8"])
    institutions: dict[int, _Institution] = Field(default_factory=dict)
    codelists: dict[str, dict[Any, Any]] = Field(default_factory=dict)
    layouts: list[_Layout] = Field(min_length=1)


@dataclass(frozen=True)
class Code:
    """One allowed code of a code list: its ``label``, a stable ``slug`` (filters, JSON), outcome ``stage``."""

    code: str
    label: str
    slug: str
    stage: str | None = None
    checked: bool = True


@dataclass(frozen=True)
class Variable:
    """One column of a file layout."""

    name: str
    meaning: str
    type: str
    codes: str | None
    separator: str | None
    nonnull: bool
    on_invalid: str
    checked: bool
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"name": self.name, "meaning": self.meaning, "type": self.type, "codes": self.codes,
                "separator": self.separator, "nonnull": self.nonnull, "on_invalid": self.on_invalid,
                "checked": self.checked, "source": self.source}


@dataclass(frozen=True)
class Layout:
    """The columns of one file of a data set (China-TIES has a sender and a target file)."""

    role: str | None
    format: str
    files: tuple[str, ...]
    variables: tuple[Variable, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names, in codebook order."""
        return tuple(v.name for v in self.variables)

    def variable(self, name: str) -> Variable:
        """The variable called ``name``."""
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)


@dataclass(frozen=True)
class Share:
    """A named share of a data set's base-rate definition with the words for it (``verb``: how a sentence states
    it; ``why``: why it is the headline)."""

    rate: str
    words: str
    verb: str = ""
    why: str = ""


@dataclass(frozen=True)
class GoalGroup:
    """Issue (GSDB: objective) slugs that stand for a kind of goal, and why; ``role``: the China-TIES file used."""

    name: str
    label: str
    codes: tuple[str, ...]
    role: str | None
    reason: str


@dataclass(frozen=True)
class Codebook:
    """A data set's codebook (see the module docstring)."""

    dataset: str
    title: str
    short: str
    sources: tuple[str, ...]
    publisher: str
    obtain: str
    url: str
    unit: str
    missing: tuple[str, ...]
    encodings: tuple[str, ...]
    institutions: dict[int, tuple[str, str]]
    codelists: dict[str, dict[str, Code]]
    layouts: tuple[Layout, ...]
    path: Path
    unchecked_lists: frozenset[str] = field(default_factory=frozenset)
    display_label: str = ""
    id_column: str = ""
    headline: Share = Share("", "")
    secondary: Share | None = None
    by: tuple[str, ...] = ()
    rate_words: dict[str, str] = field(default_factory=dict)
    goal_groups: tuple[GoalGroup, ...] = ()

    @property
    def issue_list(self) -> str:
        """The code list of the episodes' goals: ``objective`` (GSDB) or ``issue`` (the TIES family)."""
        return "objective" if "objective" in self.codelists else "issue"

    def goal_group(self, name: str) -> GoalGroup:
        """The goal group ``name``; :class:`NotFound` with the known names otherwise."""
        for g in self.goal_groups:
            if g.name == name:
                return g
        raise NotFound(f"{self.short} goal group", name, [g.name for g in self.goal_groups])

    def words(self, rate: str) -> str:
        """Plain words for the share ``rate`` (its name without ``_share`` when the codebook gives none)."""
        return self.rate_words.get(rate) or rate.removesuffix("_share").replace("_", " ")

    def layout(self, role: str | None = None) -> Layout:
        """The layout for ``role`` (``None`` for single-file data sets)."""
        for lay in self.layouts:
            if lay.role == role:
                return lay
        raise KeyError(role)

    def codes(self, name: str) -> dict[str, Code]:
        """The code list ``name`` (code text → :class:`Code`)."""
        return self.codelists[name]

    def label(self, codelist: str, code: Any) -> str | None:
        """Label of ``code`` in ``codelist``, or ``None``."""
        c = self.codelists.get(codelist, {}).get(_key(code))
        return c.label if c else None

    def find_code(self, codelist: str, query: str) -> Code | None:
        """The code whose code, slug or label equals ``query`` (case-insensitive), else ``None``."""
        q = str(query).strip().casefold()
        for c in self.codelists.get(codelist, {}).values():
            if q in (c.code.casefold(), c.slug.casefold(), c.label.casefold()):
                return c
        return None

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary: title, publisher, how to obtain, unit, files, variable counts, code lists."""
        return {
            "dataset": self.dataset, "title": self.title, "publisher": self.publisher, "obtain": self.obtain,
            "url": self.url, "unit": self.unit, "sources": list(self.sources), "codebook": str(self.path),
            "layouts": [{"role": lay.role, "format": lay.format, "files": list(lay.files),
                         "variables": len(lay.variables),
                         "unchecked_meanings": sum(1 for v in lay.variables if not v.checked)}
                        for lay in self.layouts],
            "codelists": {name: {"codes": len(codes), "checked": name not in self.unchecked_lists}
                          for name, codes in self.codelists.items()},
        }

    def to_dict(self) -> dict[str, Any]:
        """The whole codebook, JSON-ready."""
        out = self.summary()
        out["layouts"] = [{"role": lay.role, "format": lay.format, "files": list(lay.files),
                           "variables": [v.to_dict() for v in lay.variables]} for lay in self.layouts]
        out["codelists"] = {name: {c.code: {"label": c.label, "slug": c.slug, "stage": c.stage, "checked": c.checked}
                                   for c in codes.values()} for name, codes in self.codelists.items()}
        return out


def _key(code: Any) -> str:
    """Canonical text of a code: ``13.0`` → ``'13'``."""
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code).strip()


def codebook_path(dataset: str) -> Path:
    """Path of the codebook file of ``dataset``."""
    return data_path("evidence", "codebooks", dataset.replace("-", "_") + ".yml")


def check_dataset(dataset: str) -> str:
    """``dataset`` normalised (``China-TIES`` → ``china-ties``); :class:`NotFound` with close names otherwise."""
    d = str(dataset).strip().lower().replace("_", "-")
    if d in DATASETS:
        return d
    from rapidfuzz import fuzz, process

    raise NotFound("dataset", dataset, [m for m, _, _ in process.extract(d, list(DATASETS), scorer=fuzz.ratio,
                                                                         limit=2)])


@cache
def codebook(dataset: str) -> Codebook:
    """The validated codebook of ``dataset`` (cached); :class:`DataError` naming ``file:line`` if invalid."""
    return load_codebook(codebook_path(check_dataset(dataset)))


def fast_yaml(path: Path) -> Any:
    """Parse a YAML file with the C loader when available (no line numbers; see :func:`load_yaml` for those)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError):
        return load_yaml(path).data  # raises DataError with file:line


def load_codebook(path: Path, check_sources: bool = False) -> Codebook:
    """Load and validate one codebook file; with ``check_sources`` every source id must resolve in the
    bibliography (``equilibrium.evidence.check_codebooks`` and the tests do that)."""
    doc: LocatedYaml | _Lines = _Lines(path)
    try:
        raw = _Codebook.model_validate(fast_yaml(path))
    except ValidationError:
        located = load_yaml(path)
        doc = located
        try:
            raw = _Codebook.model_validate(located.data)
        except ValidationError as exc:
            raise DataError(f"invalid codebook {path}", [f"{located.where(e['loc'])}: "
                                                         f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                                         for e in exc.errors()]) from None
    errors: list[str] = []
    lists: dict[str, dict[str, Code]] = {}
    unchecked: set[str] = set()
    for name, entries in raw.codelists.items():
        list_checked = bool(entries.get("checked", True))
        if not list_checked:
            unchecked.add(name)
        codes: dict[str, Code] = {}
        for k, v in entries.items():
            if k == "checked":
                continue
            if not isinstance(v, dict) or "label" not in v:
                errors.append(f"{doc.where(('codelists', name, k))}: code {k!r} needs a label")
                continue
            key = _key(k)
            codes[key] = Code(code=key, label=str(v["label"]), slug=str(v.get("slug") or key),
                              stage=v.get("stage"), checked=list_checked and bool(v.get("checked", True)))
        lists[name] = codes
    layouts = []
    for i, lay in enumerate(raw.layouts):
        vars_ = []
        for j, v in enumerate(lay.variables):
            where = ("layouts", i, "variables", j)
            if v.codes is not None and v.codes not in lists:
                errors.append(f"{doc.where(where)}: {v.name}: unknown code list {v.codes!r}")
            if v.type in ("code", "codes") and v.codes is None:
                errors.append(f"{doc.where(where)}: {v.name}: type {v.type} needs 'codes'")
            if v.type == "codes" and not v.separator:
                errors.append(f"{doc.where(where)}: {v.name}: type codes needs a 'separator'")
            vars_.append(Variable(name=v.name, meaning=v.meaning, type=v.type, codes=v.codes, separator=v.separator,
                                  nonnull=v.nonnull, on_invalid=v.on_invalid, checked=v.checked,
                                  source=v.source or raw.sources[0]))
        layouts.append(Layout(role=lay.role, format=lay.format, files=tuple(lay.files), variables=tuple(vars_)))
    errors += _check_facts(doc, raw, lists)
    if check_sources:
        errors += _unresolved(doc, raw)
    if errors:
        raise DataError(f"invalid codebook {path}", errors)
    return Codebook(dataset=raw.dataset, title=raw.title, short=raw.short, sources=tuple(raw.sources),
                    publisher=raw.publisher, obtain=raw.obtain, url=raw.url, unit=raw.unit,
                    missing=tuple(raw.missing), encodings=tuple(raw.encodings),
                    institutions={k: (v.code, v.label) for k, v in raw.institutions.items()},
                    codelists=lists, layouts=tuple(layouts), path=path, unchecked_lists=frozenset(unchecked),
                    display_label=raw.label, id_column=raw.id_column,
                    headline=Share(raw.headline.rate, raw.headline.words, raw.headline.verb, raw.headline.why),
                    secondary=Share(raw.secondary.rate, raw.secondary.words) if raw.secondary else None,
                    by=tuple(raw.by), rate_words=dict(raw.rate_words),
                    goal_groups=tuple(GoalGroup(g.name, g.label, tuple(g.codes), g.role, g.reason)
                                      for g in raw.goal_groups))


def _check_facts(doc: LocatedYaml | _Lines, raw: _Codebook, lists: dict[str, dict[str, Code]]) -> list[str]:
    """The per-data-set facts agree with the rest of the codebook: the id column is in every layout, goal codes
    are slugs of the goal code list, groupings are not repeated, ``role`` only where the layouts have roles.
    (Whether the headline and secondary shares are shares of the data set's definition is checked by
    :func:`check_codebooks`, which can import the rates.)"""
    errors = []
    for i, lay in enumerate(raw.layouts):
        if raw.id_column not in {v.name for v in lay.variables}:
            errors.append(f"{doc.where(('id_column',))}: id_column {raw.id_column!r} is not a column of layout "
                          f"{lay.role or i}")
    goal_list = "objective" if "objective" in lists else "issue"
    slugs = {c.slug for c in lists.get(goal_list, {}).values()}
    roles = {lay.role for lay in raw.layouts}
    for k, g in enumerate(raw.goal_groups):
        bad = [c for c in g.codes if c not in slugs]
        if bad:
            errors.append(f"{doc.where(('goal_groups', k, 'codes'))}: goal group {g.name}: {bad} are not slugs of "
                          f"the {goal_list} code list")
        if g.role is not None and g.role not in roles:
            errors.append(f"{doc.where(('goal_groups', k, 'role'))}: goal group {g.name}: no layout has role "
                          f"{g.role!r}")
    if len(set(raw.by)) != len(raw.by):
        errors.append(f"{doc.where(('by',))}: a grouping is listed twice")
    if "role" in raw.by and roles == {None}:
        errors.append(f"{doc.where(('by',))}: 'role' needs layouts with roles")
    names = [g.name for g in raw.goal_groups]
    if len(set(names)) != len(names):
        errors.append(f"{doc.where(('goal_groups',))}: a goal group name is repeated")
    return errors


class _Lines:
    """Line lookup parsed only when an error needs it (the fast path has no line numbers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._doc: LocatedYaml | None = None

    def where(self, loc: Any) -> str:
        if self._doc is None:
            self._doc = load_yaml(self.path)
        return self._doc.where(loc)


def _unresolved(doc: LocatedYaml | _Lines, raw: _Codebook) -> list[str]:
    bib = bibliography()
    out = [f"{doc.where(('sources', k))}: unresolved source id {s!r}" for k, s in enumerate(raw.sources)
           if s not in bib]
    for i, lay in enumerate(raw.layouts):
        for j, v in enumerate(lay.variables):
            if v.source and v.source not in bib:
                out.append(f"{doc.where(('layouts', i, 'variables', j, 'source'))}: unresolved source id {v.source!r}")
    return out


def all_codebooks() -> dict[str, Codebook]:
    """Every data set's codebook, by data set name."""
    return {d: codebook(d) for d in DATASETS}


def check_codebooks() -> list[str]:
    """Validate every codebook with its source ids against the bibliography, and its headline, secondary and
    worded shares against the data set's base-rate definitions; return the files checked. :class:`DataError`
    listing every problem otherwise."""
    from equilibrium.evidence.rates import definition  # local: import cycle with evidence.rates (it imports codebooks)

    paths = [codebook_path(d) for d in DATASETS]
    errors: list[str] = []
    for d, p in zip(DATASETS, paths, strict=True):
        try:
            cb = load_codebook(p, check_sources=True)
        except DataError as exc:
            errors += exc.errors or [str(exc)]
            continue
        if cb.dataset != d:
            errors.append(f"{p}: dataset {cb.dataset!r} should be {d!r}")
            continue
        names = {r.name for r in definition(d).rates}
        doc = _Lines(p)
        shares = [("headline", cb.headline.rate)] + ([("secondary", cb.secondary.rate)] if cb.secondary else [])
        shares += [("rate_words", r) for r in cb.rate_words]
        for where, rate in shares:
            if rate not in names:
                errors.append(f"{doc.where((where,))}: {where}: {rate!r} is not a share of {d}'s base-rate "
                              f"definition (one of: {', '.join(sorted(names))})")
    if errors:
        raise DataError("invalid evidence codebooks", errors)
    return [str(p) for p in paths]
