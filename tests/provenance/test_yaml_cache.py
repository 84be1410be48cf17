"""The YAML parse cache: same result as a fresh parse, keyed by content, never trusted beyond plain data."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from equilibrium.provenance import yamlio


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EQUILIBRIUM_CACHE_DIR", str(tmp_path / "home" / "cache"))
    return tmp_path / "home"


def test_cached_parse_equals_fresh_parse(home: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.yml"
    f.write_text("items:\n  - {x: 1, when: 2024-05-01}\n  - y: [1, 2]\n", encoding="utf-8")
    first = yamlio.load_yaml(f)
    assert list((home / "cache" / "yaml").iterdir())
    second = yamlio.load_yaml(f)
    assert second.data == first.data and second.where(("items", 1, "y")) == first.where(("items", 1, "y"))
    f.write_text("items:\n  - {x: 2}\n", encoding="utf-8")  # a changed file is parsed again
    assert yamlio.load_yaml(f).data == {"items": [{"x": 2}]}


def test_corrupt_or_foreign_cache_entries_are_ignored(home: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.yml"
    f.write_text("k: v\n", encoding="utf-8")
    yamlio.load_yaml(f)
    (entry,) = (home / "cache" / "yaml").iterdir()
    entry.write_bytes(b"garbage")
    assert yamlio.load_yaml(f).data == {"k": "v"}

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    entry.write_bytes(pickle.dumps(({"k": Evil()}, {})))
    assert yamlio.load_yaml(f).data == {"k": "v"}


def test_malformed_files_are_never_cached(home: Path, tmp_path: Path) -> None:
    f = tmp_path / "bad.yml"
    f.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(Exception, match="malformed YAML"):
        yamlio.load_yaml(f)
    assert not (home / "cache" / "yaml").exists() or not list((home / "cache" / "yaml").iterdir())
