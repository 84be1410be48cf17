#!/usr/bin/env python3
"""Copy the boundary files Equilibrium needs from npm packages into the package's atlas folder.

Usage: ``python scripts/copy_atlas.py NODE_MODULES DEST`` (the Makefile runs
``python scripts/copy_atlas.py web/node_modules src/equilibrium/data/atlas``).

Copies ``world-atlas/countries-10m.json``, ``world-atlas/countries-50m.json`` (npm world-atlas 2.0.2,
Natural Earth 4.1.0 admin-0) and ``us-atlas/states-10m.json`` (npm us-atlas 3.0.1, US Census), then writes
``versions.json`` with each file's npm package, package version, byte size and sha256. Standard library only.
Idempotent: a file whose sha256 already matches is left untouched, and ``versions.json`` is only rewritten
when its content changes. Exits 1 with a one-line message when a package or file is missing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

FILES: tuple[tuple[str, str], ...] = (
    ("world-atlas", "countries-10m.json"),
    ("world-atlas", "countries-50m.json"),
    ("us-atlas", "states-10m.json"),
)
"""(npm package, file name) pairs to copy."""


def sha256(path: Path) -> str:
    """Hex sha256 digest of the file at ``path``."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def copy_atlas(node_modules: Path, dest: Path) -> dict[str, object]:
    """Copy the atlas files from ``node_modules`` into ``dest``; return the ``versions.json`` document."""
    dest.mkdir(parents=True, exist_ok=True)
    packages: dict[str, dict[str, object]] = {}
    files: dict[str, dict[str, object]] = {}
    for package, name in FILES:
        pkg_dir = node_modules / package
        manifest = pkg_dir / "package.json"
        src = pkg_dir / name
        if not manifest.is_file() or not src.is_file():
            raise FileNotFoundError(f"{src} not found: run `npm ci` in web/ (npm package {package!r})")
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        packages.setdefault(package, {"version": meta.get("version"), "license": meta.get("license"),
                                      "homepage": meta.get("homepage")})
        digest = sha256(src)
        target = dest / name
        if not target.is_file() or sha256(target) != digest:
            tmp = target.with_suffix(".json.tmp")
            shutil.copyfile(src, tmp)
            tmp.replace(target)
        files[name] = {"package": package, "version": meta.get("version"), "bytes": src.stat().st_size,
                       "sha256": digest}
    doc: dict[str, object] = {"packages": packages, "files": files}
    text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    versions = dest / "versions.json"
    if not versions.is_file() or versions.read_text(encoding="utf-8") != text:
        versions.write_text(text, encoding="utf-8")
    return doc


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: copy_atlas.py NODE_MODULES DEST", file=sys.stderr)
        return 2
    try:
        doc = copy_atlas(Path(args[0]), Path(args[1]))
    except (FileNotFoundError, OSError, ValueError) as exc:
        print(f"copy_atlas: {exc}", file=sys.stderr)
        return 1
    files = doc["files"]
    assert isinstance(files, dict)
    print(f"copy_atlas: {len(files)} files in {args[1]} "
          + ", ".join(f"{n} ({f['package']}@{f['version']})" for n, f in files.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
