"""JSON for the API: numpy scalars and arrays become plain numbers and lists; NaN and ±inf become ``null``
(strict JSON has no non-finite numbers)."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from fastapi.encoders import jsonable_encoder
from starlette.responses import JSONResponse


def clean(obj: Any) -> Any:
    """``obj`` with numpy values converted and non-finite floats replaced by ``None``."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return clean(obj.tolist())
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        f = float(obj)
        return f if math.isfinite(f) else None
    if obj is None or isinstance(obj, str):
        return obj
    return clean(jsonable_encoder(obj))


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON of ``obj`` after :func:`clean`."""
    return json.dumps(clean(obj), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


class SafeJSONResponse(JSONResponse):
    """The app's default response class: :func:`dumps` instead of ``json.dumps``."""

    def render(self, content: Any) -> bytes:
        return dumps(content)
