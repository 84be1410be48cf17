"""The question layer's contract: typed parameters, typed answers, one registry.

A **question** is one use case a user can ask of Equilibrium ("how far is Pakistan from the continental United
States?", "what share of the GSDB's episodes succeeded?"). Each is one plain function ``fn(params) -> answer``:

* ``params`` is a frozen :class:`Params` model: the question's parameter names, units (in the field names and
  descriptions: ``range_km``, ``payload_kg``), defaults and bounds, defined once. The CLI, the HTTP API (query
  string or JSON body), the brief and the claims build it; a bad value is refused here, with the reason, whatever
  the edge (:func:`parse_params` turns pydantic's errors into one :class:`~equilibrium.errors.InvalidInput` line).
* the answer is an :class:`Answer` model: a typed result with a JSON schema (so ``/openapi.json`` documents every
  response), which also **states its defaults** (:attr:`Answer.defaults`: launch point, Earth model, boundary
  set, data versions…) and the reasons two related figures differ (:attr:`Answer.notes`).

:data:`REGISTRY` holds every question with its CLI command and HTTP route, so the web layer builds its routes
from it and a contract test runs every question through the Python API, the CLI's ``--json`` and the HTTP API and
checks that the three answers are equal (:meth:`Answer.to_json`).

No side effects at import: question modules register themselves when :func:`load_all` (or their own import)
runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from equilibrium.errors import InvalidInput, NotFound

__all__ = [
    "REGISTRY", "Answer", "Example", "Params", "Question", "Stated", "ask", "get_question", "load_all",
    "parse_params", "question",
]


class Params(BaseModel):
    """Base of every question's parameters: immutable, unknown names refused, fields addressable by name or
    alias (``from`` on the wire, ``frm`` in Python), strings stripped before their bounds are checked.

    Validation must be idempotent: the web layer sends :meth:`key` (the validated parameters as JSON) to a worker
    process, which validates it again; so a validator that rewrites a value (upper-casing a code) runs in
    ``mode="before"`` and gives a value that validates to itself."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, str_strip_whitespace=True)

    def key(self) -> str:
        """A canonical JSON string of the parameters (cache key)."""
        return self.model_dump_json(by_alias=True)


class Stated(BaseModel):
    """One default or assumption an answer rests on, stated so that a reader can see and change it.

    ``name`` is what it is (``launch``, ``earth``, ``boundaries``, ``calibration``, ``data:GSDB``); ``value`` is
    the setting in words (``Sargodha, PAK (32.05°N, 72.67°E), azimuth 343° toward the target``); ``source`` is
    where it came from: ``default`` (the question's own default), ``given`` (the user set it), ``data`` (a data
    file or version), or ``assumed`` (an assumption of the model, flagged)."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: str
    source: Literal["default", "given", "data", "assumed"] = "default"
    note: str | None = None


class Answer(BaseModel):
    """Base of every answer: the question's typed result, its stated defaults and its notes.

    ``to_json()`` is *the* JSON form, equal on every edge: the CLI's ``--json`` prints it, the HTTP API sends it,
    the contract test compares it. Non-finite floats become ``null`` (strict JSON)."""

    model_config = ConfigDict(populate_by_name=True, ser_json_inf_nan="null")

    question: str = Field(description="The question answered, e.g. `reach.distance`.")
    defaults: list[Stated] = Field(default_factory=list,
                                   description="Defaults, data versions and assumptions the answer rests on.")
    notes: list[str] = Field(default_factory=list,
                             description="Caveats, and why this answer differs from a related figure.")

    def to_json(self) -> dict[str, Any]:
        """The answer as plain JSON (aliases as keys, NaN/inf as ``null``)."""
        data: dict[str, Any] = json.loads(self.to_json_text())
        return data

    def to_json_text(self) -> str:
        """:meth:`to_json` as compact JSON text (what the HTTP API sends)."""
        return self.model_dump_json(by_alias=True)

    def stated(self, name: str) -> Stated | None:
        """The stated default called ``name``, if any."""
        return next((s for s in self.defaults if s.name == name), None)


P = TypeVar("P", bound=Params)
A = TypeVar("A", bound=Answer)


Where = Literal["server", "physics", "screening"] | Callable[[P], Literal["server", "physics"]]
"""Where the web layer runs a question: a place, or a function of the params giving one."""


@dataclass(frozen=True)
class Example:
    """A worked call of a question: its parameters (JSON names), the CLI arguments that ask the same (without the
    command words and ``--json``), and what the contract test may ignore (keys whose values legitimately vary
    between runs, dotted paths)."""

    params: Mapping[str, Any]
    cli: Sequence[str]
    volatile: Sequence[str] = ()
    slow: bool = False


@dataclass(frozen=True)
class Question(Generic[P, A]):
    """One registered question.

    ``name``: dotted, ``domain.verb`` (``reach.distance``). ``fn``: the function. ``params``/``answer``: the models.
    ``cli``: the command words (``("reach", "distance")``), or ``()`` when the CLI has no command for it.
    ``http``: ``(method, path)``, or ``None`` when not served. ``runs_in``: where the web layer runs it
    (``"server"``, or the worker pool ``"physics"``/``"screening"`` for work that needs a time budget or its own
    process), or a function of the params giving one of those. ``heavy``: a miss costs seconds of CPU (the web
    layer limits how many run at once). ``cache``:
    answers the web layer keeps (0: none, e.g. for answers that depend on a store that changes).
    """

    name: str
    fn: Callable[[P], A]
    params: type[P]
    answer: type[A]
    summary: str
    cli: tuple[str, ...] = ()
    http: tuple[Literal["GET", "POST"], str] | None = None
    runs_in: Where[P] = "server"
    heavy: bool = False
    cache: int = 64
    examples: tuple[Example, ...] = field(default_factory=tuple)

    def where(self, params: P) -> str:
        """Where the web layer runs this question with ``params``: ``runs_in``, or ``runs_in(params)`` when it is a
        function (e.g. a reach question flies the physics, in the worker pool, only when a system is given)."""
        return self.runs_in(params) if callable(self.runs_in) else self.runs_in

    def __call__(self, params: P | Mapping[str, Any] | None = None, /, **kwargs: Any) -> A:
        """Ask the question with a params model, a mapping (JSON names or Python names) or keywords."""
        return self.fn(self.parse(params, **kwargs))

    def parse(self, params: P | Mapping[str, Any] | None = None, /, **kwargs: Any) -> P:
        """The params model for ``params``/``kwargs``; :class:`InvalidInput` (one line) when they do not validate."""
        if isinstance(params, self.params) and not kwargs:
            return params
        data: dict[str, Any] = {}
        if isinstance(params, BaseModel):
            data.update(params.model_dump(by_alias=True))
        elif params is not None:
            data.update(params)
        data.update(kwargs)
        return parse_params(self.params, data)


REGISTRY: dict[str, Question[Any, Any]] = {}
"""Every question by name, in registration order."""


def question(name: str, *, params: type[P], answer: type[A], summary: str, cli: Sequence[str] = (),
             http: tuple[Literal["GET", "POST"], str] | None = None,
             runs_in: Where[P] = "server", heavy: bool = False, cache: int = 64,
             examples: Sequence[Example] = ()) -> Callable[[Callable[[P], A]], Question[P, A]]:
    """Register the decorated function as the question ``name`` (see :class:`Question` for the fields) and return
    the :class:`Question`, which is callable like the function (with a model, a mapping or keywords)."""

    def register(fn: Callable[[P], A]) -> Question[P, A]:
        if name in REGISTRY and REGISTRY[name].fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"question {name!r} registered twice")
        q: Question[P, A] = Question(name=name, fn=fn, params=params, answer=answer, summary=summary,
                                     cli=tuple(cli), http=http, runs_in=runs_in, heavy=heavy, cache=cache,
                                     examples=tuple(examples))
        REGISTRY[name] = q
        return q

    return register


def _loc(loc: Sequence[int | str], model: type[BaseModel]) -> str:
    """A pydantic error location as the parameter's public (alias) name, e.g. ``from`` or ``payloads_kg[2]``."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = str(part)
        if i == 0:
            f = model.model_fields.get(name)
            if f is not None and f.alias:
                name = f.alias
        out += ("." if out else "") + name
    return out


def validation_message(exc: ValidationError, model: type[BaseModel]) -> str:
    """One line for a failed validation: ``range_km: Input should be greater than or equal to 0 (got -5); ...``."""
    parts = []
    for err in exc.errors(include_url=False):
        where = _loc(err.get("loc", ()), model)
        msg = str(err.get("msg", "invalid"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        got = err.get("input")
        shown = "" if err.get("type") in ("missing", "extra_forbidden") or isinstance(got, dict) else \
            f" (got {got!r})" if len(repr(got)) <= 60 else ""
        if err.get("type") == "extra_forbidden":
            known = sorted((f.alias or n) for n, f in model.model_fields.items())
            msg = f"unknown parameter; known: {', '.join(known)}"
        parts.append(f"{where}: {msg}{shown}" if where else f"{msg}{shown}")
    return "; ".join(parts)


def parse_params(model: type[P], data: Mapping[str, Any]) -> P:
    """``model`` validated from ``data`` (``None`` values dropped, so a default applies); :class:`InvalidInput`
    with one line naming each bad parameter otherwise."""
    clean = {k: v for k, v in data.items() if v is not None}
    try:
        return model.model_validate(clean)
    except ValidationError as exc:
        raise InvalidInput(validation_message(exc, model)) from None


QUESTION_MODULES = ("catalog", "reach", "trajectory", "sanctions", "evidence", "dynamics", "regions", "events",
                    "claims")
"""The modules of :mod:`equilibrium.questions` that register questions, in the order they are listed."""


def load_all() -> dict[str, Question[Any, Any]]:
    """Import every question module (each registers its questions) and return :data:`REGISTRY`."""
    import importlib

    for mod in QUESTION_MODULES:
        importlib.import_module(f"equilibrium.questions.{mod}")
    return REGISTRY


def get_question(name: str) -> Question[Any, Any]:
    """The registered question ``name``; :class:`NotFound` with close names otherwise."""
    load_all()
    if name in REGISTRY:
        return REGISTRY[name]
    import difflib

    raise NotFound("question", name, difflib.get_close_matches(name, list(REGISTRY), n=5, cutoff=0.5))


def ask(name: str, params: Params | Mapping[str, Any] | None = None, /, **kwargs: Any) -> Answer:
    """Ask the question ``name`` (e.g. ``ask("reach.distance", {"from": "PAK", "to": "USA:conus"})``): what the
    claims use, and the Python API's one entry point."""
    q = get_question(name)
    answer: Answer = q(params, **kwargs)
    return answer
