"""Dynamics questions: the South Asian strategic order as data, estimated relationships, backtests, alignment
measures and scenario ensembles.

* ``dynamics.data`` — which data sets are found (SIPRI military expenditure and arms transfers, COW NMC, Voeten
  ideal points, UNGA votes), their rows, years and problems, or who publishes them and how to obtain them.

The data files are third-party and not shipped: they are looked up under ``$EQUILIBRIUM_DATA_DIR`` (the CLI's
``--path`` overrides it with :func:`equilibrium.dynamics.data.data_path_override`; the HTTP API never takes a
path). A missing file answers :class:`~equilibrium.dynamics.data.DataFileMissing` (503, with the publisher and how
to obtain it) on every edge. Money in constant 2022 US$ m, shares in %, years as calendar years.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from equilibrium.dynamics import data as ddata
from equilibrium.questions.base import Answer, Example, Params, Stated, question
from equilibrium.questions.common import stated_data
from equilibrium.settings import get_settings

__all__ = ["DatasetState", "DynamicsData", "DynamicsDataParams", "dynamics_data"]


class _M(BaseModel):
    model_config = ConfigDict(populate_by_name=True, ser_json_inf_nan="null")


def _folder_stated() -> Stated:
    over = ddata._PATH.get()
    if over is not None:
        return Stated(name="data folder", value=str(over), source="given")
    d = get_settings().data_dir
    return Stated(name="data folder", value=str(d) if d else "(EQUILIBRIUM_DATA_DIR not set)", source="default",
                  note="the files are third-party and not shipped: give --path or set EQUILIBRIUM_DATA_DIR")


# ================================================================================================ dynamics.data

class DynamicsDataParams(Params):
    """Which data sets to report (default all)."""

    dataset: Literal["sipri-milex", "sipri-tiv-imports", "sipri-tiv-exports", "cow-nmc", "voeten-idealpoints",
                     "unvotes"] | None = Field(None, description="One data set (default: all six).")


class DatasetState(_M):
    """One data set: found or not; rows (votes for unvotes), first and last year, problems (rows left out or
    names not resolved), the counts of a complete file beside those read, and when missing who publishes it and
    how to obtain it."""

    dataset: str
    title: str
    publisher: str
    obtain: str
    url: str
    sources: list[str]
    found: bool
    path: str | None
    rows: int | None
    years: list[int] | None
    problems: int | None
    counts: dict[str, int]
    expected: dict[str, int]
    message: str | None
    seconds: float | None


class DynamicsData(Answer):
    """The dynamics data sets: found or missing, with what each holds."""

    question: Literal["dynamics.data"] = "dynamics.data"
    datasets: list[DatasetState]
    found: int
    missing: int


@question("dynamics.data", params=DynamicsDataParams, answer=DynamicsData, cli=("dynamics", "data"),
          http=("GET", "/api/dynamics/data"), heavy=True,
          summary="Which dynamics data sets are found (SIPRI milex and TIV, COW NMC, Voeten ideal points, UNGA "
                  "votes): rows, years, problems; or who publishes them",
          examples=[Example({"dataset": "sipri-milex"}, ["--dataset", "sipri-milex"])])
def dynamics_data(p: DynamicsDataParams) -> DynamicsData:
    """Each data set found (rows, years, problems, read against a complete file's counts) or missing (publisher,
    how to obtain it)."""
    states = ddata.datasets_status(None, [p.dataset] if p.dataset else None)
    rows: list[dict[str, Any]] = [s.to_dict() for s in states]
    found = sum(1 for s in states if s.found)
    return DynamicsData(datasets=[DatasetState(**r) for r in rows], found=found, missing=len(states) - found,
                        defaults=[_folder_stated(), *stated_data("dynamics")],
                        notes=[] if found == len(states) else
                        ["Missing data sets cannot be shipped with the product: each entry says who publishes it "
                         "and how to obtain it."])
