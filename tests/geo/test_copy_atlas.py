"""scripts/copy_atlas.py: copies the npm boundary files with versions and sha256; idempotent."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "web" / "node_modules"


def _module():
    spec = importlib.util.spec_from_file_location("copy_atlas", REPO / "scripts" / "copy_atlas.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_copy_is_idempotent(tmp_path: Path) -> None:
    if not (NODE_MODULES / "world-atlas" / "package.json").is_file():
        pytest.skip("web/node_modules is absent (run npm ci in web/)")
    mod = _module()
    assert mod.main([str(NODE_MODULES), str(tmp_path)]) == 0
    versions = json.loads((tmp_path / "versions.json").read_text())
    assert versions["packages"]["world-atlas"]["version"] == "2.0.2"
    assert versions["packages"]["us-atlas"]["version"] == "3.0.1"
    assert set(versions["files"]) == {"countries-10m.json", "countries-50m.json", "states-10m.json"}
    stamp = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert mod.main([str(NODE_MODULES), str(tmp_path)]) == 0
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamp


def test_missing_package_is_reported(tmp_path: Path) -> None:
    assert _module().main([str(tmp_path / "nope"), str(tmp_path / "out")]) == 1
    assert _module().main([]) == 2
