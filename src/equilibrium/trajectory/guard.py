"""One guard around the engine for callers that answer users: arithmetic failures on an odd vehicle (an overflow,
a NaN state, an empty array) become :class:`~equilibrium.errors.InvalidInput` (one line; HTTP 422), never a
traceback or a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from equilibrium.errors import EquilibriumError, InvalidInput

T = TypeVar("T")

__all__ = ["engine_call"]


def engine_call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` with numpy's floating-point warnings silenced; an ``ArithmeticError``,
    ``ValueError`` or ``IndexError`` that is not already an :class:`EquilibriumError` becomes
    :class:`InvalidInput` ``the trajectory engine could not fly this vehicle: …``."""
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    except EquilibriumError:
        raise
    except (ArithmeticError, ValueError, IndexError) as exc:
        raise InvalidInput(f"the trajectory engine could not fly this vehicle: {exc}") from exc
