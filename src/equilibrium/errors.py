"""The single exception root of Equilibrium and its user-facing subclasses.

Every error a user can cause (an unknown name, a malformed file, an unphysical parameter) is an
:class:`EquilibriumError`. The CLI prints it as one line and exits 2; the web API answers it as RFC 9457
``application/problem+json`` with the class's ``status``.
"""

from __future__ import annotations

from collections.abc import Sequence


class EquilibriumError(Exception):
    """Root of every error raised by Equilibrium on purpose.

    ``status`` is the HTTP status the web layer answers with; ``title`` is a short, stable summary.
    """

    status: int = 400
    title: str = "Equilibrium error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_problem(self) -> dict[str, object]:
        """Return the RFC 9457 problem-details body for this error (no units)."""
        return {"type": "about:blank", "title": self.title, "status": self.status, "detail": self.message}


class NotFound(EquilibriumError):
    """A name (region, city, site, missile system, source id) that does not exist.

    ``suggestions`` holds the closest known names, best first.
    """

    status = 404
    title = "Not found"

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")

    def to_problem(self) -> dict[str, object]:
        body = super().to_problem()
        body["suggestions"] = self.suggestions
        return body


class InvalidInput(EquilibriumError):
    """A malformed or unphysical parameter (bad coordinates, negative range, ...)."""

    status = 422
    title = "Invalid input"


class UnknownChoice(InvalidInput):
    """An unknown value of a parameter that must be one of a known set (a template id, a country code): 422 with
    the closest known values in ``suggestions``. :class:`NotFound` (404) is for a named thing that is absent."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")

    def to_problem(self) -> dict[str, object]:
        body = super().to_problem()
        body["suggestions"] = self.suggestions
        return body


class DataError(EquilibriumError):
    """A data file that does not validate. ``errors`` lists ``file:line: message`` strings."""

    status = 422
    title = "Invalid data"

    def __init__(self, message: str, errors: Sequence[str] = ()) -> None:
        self.errors = list(errors)
        if len(self.errors) == 1:  # one problem: one line (``malformed OFAC CSV: sdn.csv:12: ...``)
            detail = f"{message}: {self.errors[0]}"
        else:
            detail = message if not self.errors else message + ":\n  " + "\n  ".join(self.errors)
        super().__init__(detail)

    def to_problem(self) -> dict[str, object]:
        body = super().to_problem()
        body["errors"] = self.errors
        return body


class MissingDependency(EquilibriumError):
    """A file the product needs but does not ship (e.g. boundaries not yet installed by ``make setup``)."""

    status = 503
    title = "Missing dependency"


class Busy(EquilibriumError):
    """The store is held by another writer (another load of the same list) for longer than the stated wait; or a
    computation did not finish within its time budget. Nothing was written; try again later."""

    status = 503
    title = "Busy"
