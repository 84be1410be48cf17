"""Claims: the checkable statements of published commentaries, evaluated on the question layer.

A **claim** (``data/claims/<commentary>.yml``) is a short quote, its commentary, the checkable reading in one
sentence, a question of :data:`~equilibrium.questions.base.REGISTRY` with its parameters, and a **rule**: a
JMESPath query over the answer's JSON (:meth:`~equilibrium.questions.base.Answer.to_json`) with a comparison. Its
**alternatives** are the reasonable other settings of one parameter each (a boundary set, a time window, a range
figure by source), each with a weight and a reason; ``alternatives_rule`` entries are reasonable other thresholds
or definitions applied to the stated reading's answer (Wu et al.'s query perturbation).

The verdict is computed, never typed. The rule is run on the stated reading and on every alternative (answers
cached by question and canonical parameters across claims); the **robustness** r is the weighted share of the
settings (the stated reading weighs 1) under which the rule holds, leaving out settings whose question fails (they
are reported with the error). Scale: r ≥ 0.9 *supported*; ≥ 0.65 *mostly supported*; > 0.35 *mixed*; > 0.1
*mostly unsupported*; else *refuted*. Opinions and forecasts, and claims whose stated reading cannot be answered
(a data file missing), are *not checkable*, with the reason and the closest checkable evidence. The
**counter-setting** is the heaviest alternative whose outcome differs from the stated reading's.

Rules: ``eq``/``ne`` (numbers within ``tolerance``, anything else by equality), ``lt``/``le``/``gt``/``ge`` and
``between`` ``[lo, hi]`` (numbers; ``tolerance`` widens the bound in the claim's favour), ``truthy``/``falsy``
(Python truth: null, false, 0, empty string/list/object are false), ``contains`` (an element of a list, or a
substring of a string).

A claim may also carry a ``view``: what the workbench panel that shows its evidence sets beyond the question's
parameters (``system``: catalogue ids ticked on the reach map), checked against the catalogue like the parameters.

Each verdict exports as schema.org ``ClaimReview`` JSON-LD (:func:`claim_review`; ``url`` absolute under a
``base_url``); :func:`claimreview_problems` checks a document against Google's ClaimReview profile.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import json
import math
import pkgutil
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from equilibrium.catalog import catalog
from equilibrium.errors import DataError, EquilibriumError, NotFound
from equilibrium.provenance.bibliography import bibliography, data_path
from equilibrium.provenance.yamlio import LocatedYaml, load_yaml
from equilibrium.questions.base import REGISTRY, Answer, Example, Params, Stated, load_all, question, validation_message

__all__ = [
    "KINDS", "OPS", "RATING", "VERDICTS", "AlternativeRule", "AnswerCache", "Alternative", "Claim",
    "ClaimSet", "ClaimSummary", "ClaimVerdict", "ClaimView", "ClaimsCheck", "ClaimsCheckParams", "ClaimsExport",
    "ClaimsExportParams", "ClaimsFile", "ClaimsList", "ClaimsListParams", "ClosestEvidence", "Commentary",
    "CounterSetting", "NotCheckable", "Rule", "SettingResult", "SourceRef", "check", "check_all", "check_claim",
    "claim_review", "claimreview_problems", "claims_check", "claims_dir", "claims_export", "claims_list",
    "evaluate_rule", "export", "load_claims", "review_url", "use_claims_dir", "verdict_for",
]

Kind = Literal["threshold", "comparison", "count", "event", "trend", "base_rate", "causal", "forecast", "opinion"]
Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "between", "truthy", "falsy", "contains"]
Verdict = Literal["supported", "mostly supported", "mixed", "mostly unsupported", "refuted", "not checkable"]

KINDS: tuple[str, ...] = ("threshold", "comparison", "count", "event", "trend", "base_rate", "causal", "forecast",
                          "opinion")
OPS: tuple[str, ...] = ("eq", "ne", "lt", "le", "gt", "ge", "between", "truthy", "falsy", "contains")
VERDICTS: tuple[str, ...] = ("supported", "mostly supported", "mixed", "mostly unsupported", "refuted",
                             "not checkable")
RATING: dict[str, int] = {"refuted": 1, "mostly unsupported": 2, "mixed": 3, "mostly supported": 4, "supported": 5}
"""ClaimReview ``ratingValue`` of each checkable verdict (worst 1, best 5)."""
UNCHECKABLE_KINDS = ("opinion", "forecast")
REVIEW_URL = "/?claim={id}"
"""The workbench address of a claim's card (ClaimReview ``url``; relative to where the workbench is served unless
the export is given a ``base_url``)."""
GOOGLE_FACTCHECK = "https://developers.google.com/search/docs/appearance/structured-data/factcheck"
"""Google's ClaimReview requirements, which :func:`claimreview_problems` checks."""
_ID = r"^[a-z0-9][a-z0-9-]*$"


# ------------------------------------------------------------------------------------------------ file format

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Commentary(_Strict):
    """The published piece the claims come from, as published; ``source`` is its bibliography id."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    author: str = Field(min_length=1)
    outlet: str = Field(min_length=1)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="Publication date, YYYY-MM-DD.")
    url: str = Field(pattern=r"^https?://")
    source: str = Field(min_length=1, description="The commentary's id in sources.yml.")


@functools.lru_cache(maxsize=1024)
def _compile(query: str) -> Any:
    return jmespath.compile(query)


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


class Rule(_Strict):
    """A predicate on an answer's JSON: ``query`` (JMESPath) ``op`` ``value``, within ``tolerance``; ``says`` is the
    rule in words."""

    query: str = Field(min_length=1, description="JMESPath over the answer's JSON.")
    op: Op
    value: Any = None
    tolerance: float = Field(0.0, ge=0, description="Absolute tolerance for numeric comparisons.")
    says: str = Field(min_length=1, description="The rule in words.")

    @field_validator("query")
    @classmethod
    def _query_compiles(cls, v: str) -> str:
        try:
            _compile(v)
        except JMESPathError as exc:
            raise ValueError(f"bad JMESPath {v!r}: {' '.join(str(exc).split())}") from None
        return v

    @model_validator(mode="after")
    def _value_fits_op(self) -> Rule:
        v = self.value
        if self.op == "between":
            if not (isinstance(v, list) and len(v) == 2 and all(_is_number(x) for x in v) and v[0] <= v[1]):
                raise ValueError("op between needs value [lo, hi] (two numbers, lo ≤ hi)")
        elif self.op in ("lt", "le", "gt", "ge"):
            if not _is_number(v):
                raise ValueError(f"op {self.op} needs a number as value (got {v!r})")
        elif self.op in ("truthy", "falsy"):
            if v is not None:
                raise ValueError(f"op {self.op} takes no value")
        elif self.op == "contains" and v is None:
            raise ValueError("op contains needs a value (the element looked for)")
        return self


class Alternative(_Strict):
    """A reasonable other setting of one parameter (dotted for nested: ``window.start``), with its weight and
    reason."""

    param: str = Field(min_length=1)
    value: Any
    weight: float = Field(gt=0, le=100)
    reason: str = Field(min_length=1)


class AlternativeRule(_Strict):
    """A reasonable other threshold or definition, applied to the stated reading's answer."""

    rule: Rule
    weight: float = Field(gt=0, le=100)
    reason: str = Field(min_length=1)


class ClosestEvidence(_Strict):
    """The question (and parameters) closest to an uncheckable claim."""

    question: str
    params: dict[str, Any] = Field(default_factory=dict)


class NotCheckable(_Strict):
    """Why a claim cannot be checked, and the closest checkable evidence."""

    why: str = Field(min_length=1)
    closest: ClosestEvidence | None = None


class ClaimView(_Strict):
    """Settings of the workbench panel that "show the evidence" opens, beyond the question's parameters."""

    system: list[str] = Field(default_factory=list, max_length=12,
                              description="Catalogue ids ticked on the reach map (their range circles drawn).")


class Claim(_Strict):
    """One claim of a commentary (see the module docs for the fields)."""

    id: str = Field(pattern=_ID)
    quote: str = Field(min_length=1, max_length=300, description="Verbatim, short.")
    claim: str = Field(min_length=1, description="The checkable reading, one sentence.")
    not_checked: str | None = Field(None, description="What this reading does not check.")
    kind: Kind
    question: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    rule: Rule | None = None
    alternatives: list[Alternative] = Field(default_factory=list)
    alternatives_rule: list[AlternativeRule] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    not_checkable: NotCheckable | None = None
    view: ClaimView | None = Field(None, description="What the workbench panel that shows the evidence also sets "
                                                     "(not a question parameter).")

    @model_validator(mode="after")
    def _checkable_or_why(self) -> Claim:
        if self.kind in UNCHECKABLE_KINDS:
            if self.not_checkable is None:
                raise ValueError(f"a claim of kind {self.kind} is not checkable: give not_checkable.why (and "
                                 "not_checkable.closest, the closest checkable evidence)")
            if self.rule is not None or self.alternatives or self.alternatives_rule:
                raise ValueError(f"a claim of kind {self.kind} has no rule or alternatives: give not_checkable")
            return self
        if self.not_checkable is not None:
            if self.rule is not None:
                raise ValueError("give either a rule or not_checkable, not both")
            return self
        if self.question is None or self.rule is None:
            raise ValueError("a checkable claim needs question and rule (or not_checkable with the reason)")
        return self

    @property
    def checkable(self) -> bool:
        return self.not_checkable is None


class ClaimsFile(_Strict):
    """A claims file: one commentary and its claims."""

    commentary: Commentary
    claims: list[Claim]


# ------------------------------------------------------------------------------------------------ loading

_DIR_OVERRIDE: list[Path] = []


def claims_dir() -> Path:
    """The folder of claims files: ``equilibrium/data/claims``, or the one set by :func:`use_claims_dir`."""
    return _DIR_OVERRIDE[-1] if _DIR_OVERRIDE else data_path("claims")


@contextlib.contextmanager
def use_claims_dir(path: Path | str) -> Iterator[Path]:
    """Read claims from ``path`` inside the block (tests; every thread sees it)."""
    _DIR_OVERRIDE.append(Path(path))
    try:
        yield Path(path)
    finally:
        _DIR_OVERRIDE.pop()


class ClaimSet:
    """The loaded claims, in file order: by id, with each claim's commentary and ``file:line``."""

    def __init__(self) -> None:
        self.claims: dict[str, Claim] = {}
        self.commentary: dict[str, Commentary] = {}
        self.where: dict[str, str] = {}
        self.commentaries: list[Commentary] = []
        self.files: list[Path] = []

    def __len__(self) -> int:
        return len(self.claims)

    def get(self, claim_id: str) -> Claim:
        """The claim ``claim_id``; :class:`NotFound` with the closest ids otherwise."""
        if claim_id in self.claims:
            return self.claims[claim_id]
        raise NotFound("claim", claim_id, _close(claim_id, list(self.claims)))


def _close(name: str, choices: Sequence[str], n: int = 3) -> list[str]:
    """The closest of ``choices`` to ``name`` (rapidfuzz WRatio ≥ 60), best first."""
    from rapidfuzz import fuzz, process

    return [str(c) for c, _, _ in process.extract(name, list(choices), scorer=fuzz.WRatio, limit=n,
                                                  score_cutoff=60)]


def _load_questions() -> None:
    """Import every question module (those :func:`load_all` lists and any other of the package)."""
    load_all()
    import equilibrium.questions as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if not mod.name.startswith("_") and mod.name not in ("base", "common"):
            importlib.import_module(f"equilibrium.questions.{mod.name}")


def _fmt_loc(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _clean_msg(msg: str) -> str:
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg


def _set_dotted(params: Mapping[str, Any], dotted: str, value: Any, model: type[Params]) -> dict[str, Any]:
    """``params`` with ``dotted`` (``a`` or ``a.b.0``) set to ``value``; a top-level name replaces the same
    field under its other name (``frm`` for ``from``)."""
    out: dict[str, Any] = json.loads(json.dumps(dict(params)))  # a deep copy of plain data
    head, *rest = dotted.split(".")
    field_of = {n: n for n in model.model_fields} | {f.alias: n for n, f in model.model_fields.items() if f.alias}
    if head in field_of:
        for k in list(out):
            if k != head and field_of.get(k) == field_of[head]:
                out[head] = out.pop(k)
    if not rest:
        out[head] = value
        return out
    node: Any = out.setdefault(head, {})
    for i, part in enumerate(rest):
        last = i == len(rest) - 1
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise ValueError(f"cannot set {dotted!r}: {'.'.join([head, *rest[:i]])} is not a mapping or list")
    return out


def _same_field(a: str, b: str, model: type[Params]) -> bool:
    """Whether ``a`` and ``b`` name the same field of ``model`` (by name or alias)."""
    field_of = {n: n for n in model.model_fields} | {f.alias: n for n, f in model.model_fields.items() if f.alias}
    return field_of.get(a, a) == field_of.get(b, b)


def _validate_params(question_name: str, params: Mapping[str, Any]) -> Params:
    """``params`` as the question's own params model (``None`` values dropped, as :func:`parse_params` does);
    :class:`ValidationError` otherwise."""
    model = REGISTRY[question_name].params
    clean = {k: v for k, v in params.items() if v is not None}
    p: Params = model.model_validate(clean)
    return p


def _param_errors(exc: ValidationError, model: type[Params]) -> list[tuple[tuple[Any, ...], str]]:
    """``(location, message)`` per error, unknown names with the closest known ones."""
    known = sorted({(f.alias or n) for n, f in model.model_fields.items()})
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        msg = _clean_msg(str(err.get("msg", "invalid")))
        if err.get("type") == "extra_forbidden":
            close = _close(str(loc[-1]) if loc else "", known)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            msg = f"unknown parameter{hint} (known: {', '.join(known)})"
        elif err.get("type") != "missing" and not isinstance(err.get("input"), dict | list):
            got = repr(err.get("input"))
            msg += f" (got {got})" if len(got) <= 60 else ""
        out.append((loc, msg))
    return out


def _check_semantics(doc: LocatedYaml, i: int, c: Claim, errors: list[str]) -> None:
    """Question names, parameters (the stated reading, each alternative, the closest evidence)."""

    def err(loc: Sequence[Any], field: str, msg: str) -> None:
        errors.append(f"{doc.where(('claims', i, *loc))}: claims[{i}].{field}: {msg}")

    def known(name: str, loc: Sequence[Any], field: str) -> bool:
        if name in REGISTRY:
            return True
        close = _close(name, list(REGISTRY))
        hint = f"; did you mean {', '.join(repr(x) for x in close)}?" if close else ""
        err(loc, field, f"unknown question {name!r}{hint}")
        return False

    if c.question is not None and known(c.question, ("question",), "question"):
        model = REGISTRY[c.question].params
        stated_ok = True
        try:
            _validate_params(c.question, c.params)
        except ValidationError as exc:
            stated_ok = False
            for loc, msg in _param_errors(exc, model):
                err(("params", *loc), _fmt_loc(("params", *loc)), msg)
        for j, alt in enumerate(c.alternatives):
            try:
                _validate_params(c.question, _set_dotted(c.params, alt.param, alt.value, model))
            except ValidationError as exc:
                for loc, msg in _param_errors(exc, model):
                    name = _fmt_loc(loc)
                    on_value = bool(loc) and _same_field(str(loc[0]), alt.param.split(".")[0], model)
                    if not (on_value or stated_ok):
                        continue  # the stated reading's own error, reported above
                    err(("alternatives", j, "value" if on_value else "param"), f"alternatives[{j}]",
                        f"with {alt.param} = {alt.value!r}: {name + ': ' if name else ''}{msg}")
            except ValueError as exc:
                err(("alternatives", j, "param"), f"alternatives[{j}].param", str(exc))
    elif c.alternatives and c.question is None:
        err(("alternatives",), "alternatives", "alternatives need a question")
    if c.view is not None and c.view.system:
        ids = [m.id for m in catalog()]
        for j, sid in enumerate(c.view.system):
            if sid not in ids:
                close = _close(sid, ids)
                hint = f"; did you mean {', '.join(repr(x) for x in close)}?" if close else ""
                err(("view", "system", j), f"view.system[{j}]", f"unknown catalogue system {sid!r}{hint}")
    nc = c.not_checkable
    if nc is not None and nc.closest is not None:
        base = ("not_checkable", "closest")
        if known(nc.closest.question, (*base, "question"), "not_checkable.closest.question"):
            model = REGISTRY[nc.closest.question].params
            try:
                _validate_params(nc.closest.question, nc.closest.params)
            except ValidationError as exc:
                for loc, msg in _param_errors(exc, model):
                    err((*base, "params", *loc), _fmt_loc(("not_checkable", "closest", "params", *loc)), msg)


def _file_claims(path: Path) -> tuple[LocatedYaml, ClaimsFile | None, list[str]] | None:
    """The claims file at ``path`` validated (``None`` when it is another data file of the folder: a mapping without
    a top-level ``claims:``, such as ``events.yml``). A file that is not a mapping at all (empty, a scalar, a list:
    a damaged claims file) is an error, not skipped, so that claims cannot vanish silently."""
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        return doc, None, [f"{path}:1: file: expected a mapping with a top-level 'claims:' list (and 'commentary:'),"
                           f" got {'an empty file' if doc.data is None else type(doc.data).__name__}"]
    if "claims" not in doc.data:
        return None
    errors: list[str] = []
    try:
        cf = ClaimsFile.model_validate(doc.data)
    except ValidationError as exc:
        for e in exc.errors(include_url=False):
            loc = tuple(e["loc"])
            errors.append(f"{doc.where(loc)}: {_fmt_loc(loc) or 'file'}: {_clean_msg(str(e['msg']))}")
        return doc, None, errors
    if cf.commentary.source not in bibliography():
        errors.append(f"{doc.where(('commentary', 'source'))}: commentary.source: unknown source id "
                      f"{cf.commentary.source!r} (add it to sources.yml)")
    for i, c in enumerate(cf.claims):
        _check_semantics(doc, i, c, errors)
    return doc, cf, errors


def _claim_files(paths: Sequence[Path | str] | None) -> list[Path]:
    if paths is not None:
        out: list[Path] = []
        for p in map(Path, paths):
            out.extend(sorted(p.glob("*.yml")) if p.is_dir() else [p])
        return out
    d = claims_dir()
    return sorted(d.glob("*.yml")) if d.is_dir() else []


@functools.lru_cache(maxsize=8)
def _load_cached(stamp: tuple[tuple[str, int, int], ...]) -> ClaimSet:
    return _load([Path(p) for p, _, _ in stamp])


def load_claims(paths: Sequence[Path | str] | None = None) -> ClaimSet:
    """Every claim of the claims files (``paths``: files or folders; default every ``*.yml`` of
    :func:`claims_dir` with a top-level ``claims:``), validated: the format, ids unique across files, each question
    registered (else the closest names), its parameters accepted by the question's own params model (the stated
    reading and every alternative), each rule's JMESPath compiled, the commentary's source in the bibliography.
    :class:`DataError` listing ``file:line: claims[i].field: message`` otherwise. Cached while the files are
    unchanged."""
    files = _claim_files(paths)
    stamp = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            raise DataError("claims file not found", [f"{f}: no such file"]) from None
        stamp.append((str(f), st.st_mtime_ns, st.st_size))
    return _load_cached(tuple(stamp))


def _load(files: list[Path]) -> ClaimSet:
    _load_questions()
    out = ClaimSet()
    errors: list[str] = []
    for path in files:
        got = _file_claims(path)
        if got is None:
            continue
        doc, cf, errs = got
        errors.extend(errs)
        if cf is None:
            continue
        out.files.append(path)
        out.commentaries.append(cf.commentary)
        for i, c in enumerate(cf.claims):
            where = doc.where(("claims", i))
            if c.id in out.claims:
                errors.append(f"{doc.where(('claims', i, 'id'))}: claims[{i}].id: duplicate claim id {c.id!r} "
                              f"(first at {out.where[c.id]})")
                continue
            out.claims[c.id] = c
            out.commentary[c.id] = cf.commentary
            out.where[c.id] = where
    if errors:
        raise DataError(f"invalid claims file{'s' if len({e.split(':')[0] for e in errors}) > 1 else ''}", errors)
    return out


# ------------------------------------------------------------------------------------------------ evaluation

class RuleError(EquilibriumError):
    """A rule that cannot be evaluated on an answer (the query gives null where a number is needed)."""

    title = "Rule not applicable"


def evaluate_rule(rule: Rule, data: Any) -> tuple[Any, bool]:
    """``(queried value, holds)`` of ``rule`` on ``data`` (an answer's JSON); :class:`RuleError` when the value
    does not fit the comparison."""
    value = _compile(rule.query).search(data)
    op, want, tol = rule.op, rule.value, rule.tolerance
    if op == "truthy":
        return value, bool(value)
    if op == "falsy":
        return value, not value
    if op == "contains":
        if isinstance(value, list):
            return value, want in value
        if isinstance(value, str) and isinstance(want, str):
            return value, want in value
        raise RuleError(f"{rule.query!r} gave {_short(value)}, not a list or string: cannot apply contains")
    if op in ("eq", "ne"):
        if _is_number(value) and _is_number(want):
            same = abs(float(value) - float(want)) <= tol
        else:
            same = value == want
        return value, same if op == "eq" else not same
    if not _is_number(value) or not math.isfinite(float(value)):
        raise RuleError(f"{rule.query!r} gave {_short(value)}, not a number: cannot apply {op}")
    x = float(value)
    if op == "between":
        lo, hi = float(want[0]), float(want[1])
        return value, lo - tol <= x <= hi + tol
    w = float(want)
    holds = {"lt": x < w + tol, "le": x <= w + tol, "gt": x > w - tol, "ge": x >= w - tol}[op]
    return value, holds


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def verdict_for(robustness: float) -> Verdict:
    """The verdict of robustness ``robustness`` (0–1) on the scale of the module docs."""
    r = round(robustness, 9)
    if r >= 0.9:
        return "supported"
    if r >= 0.65:
        return "mostly supported"
    if r > 0.35:
        return "mixed"
    if r > 0.1:
        return "mostly unsupported"
    return "refuted"


class AnswerCache:
    """Answers (or their errors) by (question, canonical JSON of the params), shared across claims."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], Answer | EquilibriumError] = {}
        self.asked = 0
        self.hits = 0

    def ask(self, name: str, params: Params) -> Answer:
        """The answer of ``name`` with ``params``; its :class:`EquilibriumError` (cached too) otherwise."""
        key = (name, params.key())
        self.asked += 1
        if key in self.data:
            self.hits += 1
        else:
            try:
                self.data[key] = REGISTRY[name](params)
            except EquilibriumError as exc:
                self.data[key] = exc
        got = self.data[key]
        if isinstance(got, EquilibriumError):
            raise got
        return got


class SourceRef(BaseModel):
    """A source cited by an answer: its bibliography id, title and address where known."""

    id: str
    title: str | None = None
    url: str | None = None


class SettingResult(BaseModel):
    """One setting a claim was checked under: the stated reading, an alternative parameter or an alternative
    rule; what its question answered (the queried value, the answer's stated defaults and cited sources) and
    whether the rule holds (``None`` with ``error`` when the question or the rule failed)."""

    setting: Literal["stated", "alternative", "alternative rule"]
    label: str = Field(description="`stated reading`, `PARAM = VALUE`, or `rule: …`.")
    reason: str | None = None
    weight: float
    question: str
    params: dict[str, Any]
    rule: str = Field(description="The rule in words.")
    value: Any = Field(None, description="What the rule's query gave.")
    holds: bool | None = None
    error: str | None = None
    defaults: list[Stated] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)


class CounterSetting(BaseModel):
    """The heaviest alternative whose outcome differs from the stated reading's."""

    label: str
    reason: str | None
    weight: float
    holds: bool
    value: Any = None


class ClaimVerdict(BaseModel):
    """A claim's computed verdict, robustness, counter-setting and evidence."""

    id: str
    quote: str
    claim: str
    not_checked: str | None = None
    kind: str
    commentary: str | None = Field(None, description="The commentary's id.")
    question: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    rule: str | None = Field(None, description="The rule in words.")
    verdict: Verdict
    holds: bool | None = Field(None, description="The rule on the stated reading.")
    robustness: float | None = Field(None, description="Weighted share (0–1) of the settings where the rule holds.")
    weight_held: float = 0.0
    weight_checked: float = 0.0
    settings_failed: int = Field(0, description="Settings left out because their question or rule failed.")
    counter: CounterSetting | None = None
    explanation: str = Field(description="The verdict in one or two sentences.")
    why: str | None = Field(None, description="Why the claim is not checkable.")
    closest: ClosestEvidence | None = None
    error: str | None = Field(None, description="The stated reading's error, when it could not be answered.")
    settings: list[SettingResult] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)


def _sources(data: Any) -> list[SourceRef]:
    """Every ``sources``/``citations`` entry found in an answer's JSON (ids resolved in the bibliography)."""
    found: dict[str, SourceRef] = {}

    def add(item: Any) -> None:
        if isinstance(item, str):
            found.setdefault(item, SourceRef(id=item))
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            ref = SourceRef(id=item["id"], title=item.get("title") if isinstance(item.get("title"), str) else None,
                            url=item.get("url") if isinstance(item.get("url"), str) else None)
            if found.get(ref.id) is None or found[ref.id].title is None:
                found[ref.id] = ref

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("sources", "citations") and isinstance(v, list):
                    for item in v:
                        add(item)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    bib = bibliography()
    out = []
    for ref in found.values():
        if ref.title is None and ref.id in bib:
            s = bib.get(ref.id)
            ref = SourceRef(id=ref.id, title=s.title, url=s.url)
        out.append(ref)
    return out


def _label(alt: Alternative) -> str:
    return f"{alt.param} = {json.dumps(alt.value, ensure_ascii=False)}"


def _pct(r: float) -> str:
    return f"{100 * r:.0f} %"


def check_claim(claim: Claim, cache: AnswerCache | None = None, *,
                commentary: Commentary | None = None) -> ClaimVerdict:
    """The verdict of ``claim``: its rule on the stated reading and on every alternative (answers from ``cache``),
    the robustness, the verdict and the counter-setting, with the evidence of each setting."""
    cache = cache or AnswerCache()
    base: dict[str, Any] = dict(id=claim.id, quote=claim.quote, claim=claim.claim, not_checked=claim.not_checked,
                                kind=claim.kind, commentary=commentary.id if commentary else None,
                                question=claim.question, params=dict(claim.params), evidence=list(claim.evidence),
                                rule=claim.rule.says if claim.rule else None)
    if claim.not_checkable is not None:
        nc = claim.not_checkable
        closest = f" Closest evidence: {nc.closest.question}." if nc.closest else ""
        return ClaimVerdict(**base, verdict="not checkable", why=nc.why, closest=nc.closest,
                            explanation=f"Not checkable ({claim.kind}): {nc.why}{closest}")
    assert claim.question is not None and claim.rule is not None  # the model's validator ensures it
    q = REGISTRY.get(claim.question)
    if q is None:
        _load_questions()
        q = REGISTRY[claim.question]
    settings: list[SettingResult] = []

    def run(kind: Literal["stated", "alternative", "alternative rule"], label: str, reason: str | None,
            weight: float, params: Mapping[str, Any], rule: Rule) -> SettingResult:
        res = SettingResult(setting=kind, label=label, reason=reason, weight=weight, question=q.name,
                            params=dict(params), rule=rule.says)
        try:
            model = _validate_params(q.name, params)
        except ValidationError as exc:
            res.error = f"invalid parameters: {validation_message(exc, q.params)}"
            return res
        try:
            answer = cache.ask(q.name, model)
            data = answer.to_json()
            res.defaults = list(answer.defaults)
            res.sources = _sources(data)
            res.value, res.holds = evaluate_rule(rule, data)
        except EquilibriumError as exc:
            res.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if len(str(exc).splitlines()) > 1:
                res.error += " (" + "; ".join(s.strip() for s in str(exc).splitlines()[1:4]) + ")"
        return res

    stated = run("stated", "stated reading", None, 1.0, claim.params, claim.rule)
    settings.append(stated)
    if stated.holds is None:
        return ClaimVerdict(**base, verdict="not checkable", settings=settings, error=stated.error,
                            why=f"the stated reading could not be answered: {stated.error}",
                            explanation=f"Not checkable: {q.name} failed on the stated reading: {stated.error}")
    for alt in claim.alternatives:
        try:
            changed = _set_dotted(claim.params, alt.param, alt.value, q.params)
        except ValueError as exc:
            settings.append(SettingResult(setting="alternative", label=_label(alt), reason=alt.reason,
                                          weight=alt.weight, question=q.name, params=dict(claim.params),
                                          rule=claim.rule.says, error=str(exc)))
            continue
        settings.append(run("alternative", _label(alt), alt.reason, alt.weight, changed, claim.rule))
    for ar in claim.alternatives_rule:
        settings.append(run("alternative rule", f"rule: {ar.rule.says}", ar.reason, ar.weight, claim.params,
                            ar.rule))
    ok = [s for s in settings if s.holds is not None]
    checked = sum(s.weight for s in ok)
    held = sum(s.weight for s in ok if s.holds)
    r = held / checked
    verdict = verdict_for(r)
    counter = None
    flips = [s for s in ok if s.setting != "stated" and s.holds != stated.holds]
    if flips:
        top = max(flips, key=lambda s: s.weight)  # the first of the heaviest, in file order
        assert top.holds is not None
        counter = CounterSetting(label=top.label, reason=top.reason, weight=top.weight, holds=top.holds,
                                 value=top.value)
    failed = len(settings) - len(ok)
    words = (f"The rule ({claim.rule.says}) {'holds' if stated.holds else 'does not hold'} on the stated reading; "
             f"it holds under {_pct(r)} of the weighted settings ({fmt_w(held)} of {fmt_w(checked)}, "
             f"{len(ok)} setting{'s' if len(ok) != 1 else ''}")
    words += (f"; {failed} left out: {'its' if failed == 1 else 'their'} question or rule failed)." if failed
              else ").")
    if counter is not None:
        words += (f" Strongest counter-setting: {counter.label} (weight {fmt_w(counter.weight)}"
                  f"{': ' + counter.reason if counter.reason else ''}), under which it "
                  f"{'holds' if counter.holds else 'does not hold'}.")
    else:
        words += " No alternative changes the outcome." if len(settings) > 1 else " No alternatives given."
    sources: dict[str, SourceRef] = {}
    for s in settings:
        for ref in s.sources:
            sources.setdefault(ref.id, ref)
    return ClaimVerdict(**base, verdict=verdict, holds=stated.holds, robustness=round(r, 4),
                        weight_held=held, weight_checked=checked, settings_failed=failed, counter=counter,
                        explanation=words, settings=settings, sources=list(sources.values()))


def fmt_w(x: float) -> str:
    """A weight as ``2`` or ``1.5``."""
    return f"{x:g}"


def check(claim_id: str, claims: ClaimSet | None = None, cache: AnswerCache | None = None) -> ClaimVerdict:
    """The verdict of the claim ``claim_id``; :class:`NotFound` with the closest ids otherwise."""
    cs = claims or load_claims()
    c = cs.get(claim_id)
    return check_claim(c, cache, commentary=cs.commentary[c.id])


def check_all(claims: ClaimSet | None = None, cache: AnswerCache | None = None) -> list[ClaimVerdict]:
    """The verdict of every claim, in file order (one answer cache shared across them)."""
    cs = claims or load_claims()
    cache = cache or AnswerCache()
    return [check_claim(c, cache, commentary=cs.commentary[c.id]) for c in cs.claims.values()]


# ------------------------------------------------------------------------------------------------ ClaimReview

def review_url(claim_id: str, base_url: str | None = None) -> str:
    """The address of a claim's card: ``/?claim=ID`` under ``base_url`` (where the workbench is served; absent:
    relative)."""
    rel = REVIEW_URL.format(id=claim_id)
    return base_url.rstrip("/") + rel if base_url else rel


def claim_review(v: ClaimVerdict, commentary: Commentary | None, base_url: str | None = None) -> dict[str, Any]:
    """The schema.org ``ClaimReview`` JSON-LD of verdict ``v`` (``itemReviewed``: the claim as it appeared in
    ``commentary``; ``url``: the claim's card, absolute when ``base_url`` is given)."""
    item: dict[str, Any] = {"@type": "Claim"}
    if commentary is not None:
        item["appearance"] = {"@type": "CreativeWork", "url": commentary.url, "headline": commentary.title,
                              "publisher": {"@type": "Organization", "name": commentary.outlet}}
        item["author"] = {"@type": "Person", "name": commentary.author}
        item["datePublished"] = commentary.date
    rating: dict[str, Any] = {"@type": "Rating"}
    if v.verdict in RATING:
        rating["ratingValue"] = RATING[v.verdict]
    rating.update({"bestRating": 5, "worstRating": 1, "alternateName": v.verdict.capitalize(),
                   "ratingExplanation": v.explanation})
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": review_url(v.id, base_url),
            "identifier": v.id, "claimReviewed": v.quote, "itemReviewed": item, "reviewRating": rating,
            "author": {"@type": "Organization", "name": "Equilibrium"}}


def _is_date(x: object) -> bool:
    try:
        dt.date.fromisoformat(str(x))
    except ValueError:
        return False
    return True


def claimreview_problems(doc: Mapping[str, Any], *, absolute_url: bool = True) -> list[str]:
    """What keeps ``doc`` from Google's ClaimReview profile (:data:`GOOGLE_FACTCHECK`): the required
    ``claimReviewed``, ``reviewRating`` with ``alternateName`` and ``url`` (absolute unless ``absolute_url`` is
    false); the recommended ``author`` with a name and ``itemReviewed`` Claim with an ``appearance`` (or
    ``firstAppearance``) URL, an author and an ISO ``datePublished``; a ``ratingValue``, when given, between
    ``worstRating`` and ``bestRating``. Empty when the document passes. Property names and value types against
    the schema.org vocabulary are checked separately (the tests type-check the export with ``schema-dts``)."""
    out: list[str] = []
    if doc.get("@context") not in ("https://schema.org", "http://schema.org", "https://schema.org/"):
        out.append("@context is not schema.org")
    if doc.get("@type") != "ClaimReview":
        out.append("@type is not ClaimReview")
    if not str(doc.get("claimReviewed") or "").strip():
        out.append("claimReviewed is missing (required)")
    url = str(doc.get("url") or "")
    if not url:
        out.append("url is missing (required)")
    elif absolute_url and not re.match(r"^https?://[^/\s]+", url):
        out.append(f"url {url!r} is not absolute (Google requires it; export with a base_url)")
    rating = doc.get("reviewRating")
    if not isinstance(rating, Mapping) or rating.get("@type") != "Rating":
        out.append("reviewRating is missing or not a Rating (required)")
    else:
        if not str(rating.get("alternateName") or "").strip():
            out.append("reviewRating.alternateName is missing (required)")
        if "ratingValue" in rating:
            lo, hi, val = rating.get("worstRating", 1), rating.get("bestRating", 5), rating["ratingValue"]
            if not (_is_number(val) and _is_number(lo) and _is_number(hi) and lo <= val <= hi):
                out.append(f"reviewRating.ratingValue {val!r} is not between worstRating and bestRating")
    author = doc.get("author")
    if not isinstance(author, Mapping) or not str(author.get("name") or "").strip():
        out.append("author has no name (recommended)")
    item = doc.get("itemReviewed")
    if not isinstance(item, Mapping) or item.get("@type") != "Claim":
        out.append("itemReviewed is missing or not a Claim (recommended)")
    else:
        where = item.get("appearance") or item.get("firstAppearance")
        if not isinstance(where, Mapping) or not str(where.get("url") or "").startswith(("http://", "https://")):
            out.append("itemReviewed has no appearance with an absolute url (recommended)")
        if not isinstance(item.get("author"), Mapping) or not item["author"].get("name"):
            out.append("itemReviewed.author has no name (recommended)")
        if not _is_date(item.get("datePublished")):
            out.append("itemReviewed.datePublished is not an ISO 8601 date (recommended)")
    return out


# ------------------------------------------------------------------------------------------------ questions

class ClaimsListParams(Params):
    """Which claims: all, or those of one commentary or kind."""

    commentary: str | None = Field(None, max_length=100, description="Only this commentary's claims (its id).",
                                   examples=["eroding-equilibrium"])
    kind: Kind | None = Field(None, description="Only claims of this kind.")


class ClaimSummary(BaseModel):
    """A claim as written (nothing run): quote, reading, kind, the question that answers it and its rule."""

    id: str
    quote: str
    claim: str
    not_checked: str | None = None
    kind: str
    commentary: str
    question: str | None
    params: dict[str, Any]
    rule: str | None = Field(None, description="The rule in words.")
    alternatives: int = Field(description="How many alternative settings (parameters and rules).")
    checkable: bool
    why: str | None = Field(None, description="Why it is not checkable (opinion, forecast).")
    view: ClaimView | None = Field(None, description="What the evidence panel also sets (ticked systems).")


class ClaimsList(Answer):
    """The claims of the commentaries, in file order (nothing run: `claims.check` computes the verdicts)."""

    question: Literal["claims.list"] = "claims.list"
    count: int
    commentaries: list[Commentary]
    claims: list[ClaimSummary]


def _claims_defaults(cs: ClaimSet) -> list[Stated]:
    files = ", ".join(p.name for p in cs.files) or "none"
    return [Stated(name="data:claims", value=f"{len(cs.files)} file{'s' if len(cs.files) != 1 else ''} ({files}), "
                   f"{len(cs)} claims", source="data")]


@question("claims.list", params=ClaimsListParams, answer=ClaimsList, cli=("claims", "list"),
          http=("GET", "/api/claims"), summary="The claims of the commentaries: quote, reading, kind and question",
          examples=[Example({}, []), Example({"kind": "opinion"}, ["--kind", "opinion"])])
def claims_list(p: ClaimsListParams) -> ClaimsList:
    """Every claim (of ``p.commentary`` and ``p.kind`` when given) as written; an unknown commentary id raises
    :class:`NotFound` with the closest ids."""
    cs = load_claims()
    ids = [c.id for c in cs.commentaries]
    if p.commentary is not None and p.commentary not in ids:
        raise NotFound("commentary", p.commentary, _close(p.commentary, ids))
    rows = []
    for c in cs.claims.values():
        com = cs.commentary[c.id]
        if (p.commentary and com.id != p.commentary) or (p.kind and c.kind != p.kind):
            continue
        nc = c.not_checkable
        closest = nc.closest.question if nc is not None and nc.closest is not None else None
        rows.append(ClaimSummary(id=c.id, quote=c.quote, claim=c.claim, not_checked=c.not_checked, kind=c.kind,
                                 commentary=com.id, question=c.question or closest,
                                 params=dict(c.params), rule=c.rule.says if c.rule else None,
                                 alternatives=len(c.alternatives) + len(c.alternatives_rule),
                                 checkable=c.checkable, why=c.not_checkable.why if c.not_checkable else None,
                                 view=c.view))
    return ClaimsList(count=len(rows), commentaries=list(cs.commentaries), claims=rows,
                      defaults=_claims_defaults(cs))


class ClaimsCheckParams(Params):
    """Which claim to check: one by id, or all."""

    id: str | None = Field(None, max_length=100, description="A claim id; absent: every claim.",
                           examples=["no-pakistani-missile-reaches-us"])


class ClaimsCheck(Answer):
    """Computed verdicts, with robustness, counter-setting and the evidence of every setting."""

    question: Literal["claims.check"] = "claims.check"
    count: int
    tally: dict[str, int] = Field(description="How many claims got each verdict.")
    answers_computed: int = Field(description="Distinct question answers computed (cached across claims).")
    settings_checked: int = Field(description="Settings evaluated (stated readings and alternatives).")
    verdicts: list[ClaimVerdict]


def _run(claim_id: str | None) -> tuple[ClaimSet, list[ClaimVerdict], AnswerCache]:
    cs = load_claims()
    cache = AnswerCache()
    verdicts = check_all(cs, cache) if claim_id is None else [check(claim_id, cs, cache)]
    return cs, verdicts, cache


def _defaults(cs: ClaimSet, verdicts: list[ClaimVerdict]) -> list[Stated]:
    out = _claims_defaults(cs)
    out.append(Stated(name="scale", value="robustness r ≥ 0.9 supported; ≥ 0.65 mostly supported; > 0.35 mixed; "
                      "> 0.1 mostly unsupported; else refuted (stated reading weight 1, alternatives by their "
                      "weights; failed settings left out)", source="default"))
    seen: set[tuple[str, str]] = set()
    for v in verdicts:
        for s in v.settings:
            for d in s.defaults:
                if d.source == "data" and (d.name, d.value) not in seen:
                    seen.add((d.name, d.value))
                    out.append(d)
    return out


@question("claims.check", params=ClaimsCheckParams, answer=ClaimsCheck, cli=("claims", "check"),
          http=("GET", "/api/claims/check"), heavy=True, cache=0,
          summary="Computed verdicts of the claims: robustness over alternatives, counter-setting, evidence",
          examples=[Example({"id": "no-pakistani-missile-reaches-us"}, ["no-pakistani-missile-reaches-us"]),
                    Example({"id": "no-pakistani-missile"}, ["no-pakistani-missile"])])
def claims_check(p: ClaimsCheckParams) -> ClaimsCheck:
    """The verdict of claim ``p.id`` (:class:`NotFound` with the closest ids when unknown), or of every claim."""
    cs, verdicts, cache = _run(p.id)
    tally = {k: 0 for k in VERDICTS}
    for v in verdicts:
        tally[v.verdict] += 1
    return ClaimsCheck(count=len(verdicts), tally=tally, answers_computed=len(cache.data),
                       settings_checked=sum(len(v.settings) for v in verdicts), verdicts=verdicts,
                       defaults=_defaults(cs, verdicts))


class ClaimsExportParams(Params):
    """The export format, and optionally one claim."""

    format: Literal["claimreview", "json"] = Field("claimreview", description="claimreview: schema.org "
                                                   "ClaimReview JSON-LD per claim; json: the verdicts.")
    id: str | None = Field(None, max_length=100, description="Only this claim; absent: every claim.")
    base_url: str | None = Field(None, max_length=300,
                                 description="Where the workbench is served (absolute http(s) URL): each "
                                             "ClaimReview url becomes BASE/?claim=ID; absent: a relative url.",
                                 examples=["https://equilibrium.example.org"])

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", v):
            raise ValueError("not an absolute http(s) URL without query or fragment, e.g. "
                             "https://equilibrium.example.org")
        return v


class ClaimsExport(Answer):
    """The verdicts exported: a list of ClaimReview JSON-LD objects, or of verdicts."""

    question: Literal["claims.export"] = "claims.export"
    format: str
    count: int
    items: list[dict[str, Any]]


def export(fmt: Literal["claimreview", "json"] = "claimreview", claim_id: str | None = None,
           base_url: str | None = None) -> list[dict[str, Any]]:
    """Every verdict (or ``claim_id``'s) as ClaimReview JSON-LD objects (``claimreview``; urls under ``base_url``)
    or as verdict JSON."""
    cs, verdicts, _ = _run(claim_id)
    if fmt == "claimreview":
        return [claim_review(v, cs.commentary.get(v.id), base_url) for v in verdicts]
    return [v.model_dump(mode="json") for v in verdicts]


@question("claims.export", params=ClaimsExportParams, answer=ClaimsExport, cli=("claims", "export"),
          http=("GET", "/api/claims/export"), heavy=True, cache=0,
          summary="The verdicts as schema.org ClaimReview JSON-LD, or as JSON",
          examples=[Example({"format": "claimreview", "id": "no-pakistani-missile-reaches-us"},
                            ["--format", "claimreview", "--id", "no-pakistani-missile-reaches-us"]),
                    Example({"format": "json", "id": "pakistan-fifth-most-populous"},
                            ["--format", "json", "--id", "pakistan-fifth-most-populous"])])
def claims_export(p: ClaimsExportParams) -> ClaimsExport:
    """The verdicts of every claim (or ``p.id``'s) in ``p.format``."""
    cs = load_claims()
    items = export(p.format, p.id, p.base_url)
    defaults = _claims_defaults(cs)
    if p.format == "claimreview":
        defaults.append(Stated(name="url", value=p.base_url or "relative",
                               source="given" if p.base_url else "default",
                               note="each ClaimReview url is the claim's card in the workbench, /?claim=ID"
                                    + ("" if p.base_url else "; give base_url for absolute urls (Google requires "
                                                            "them)")))
    return ClaimsExport(format=p.format, count=len(items), items=items, defaults=defaults)
