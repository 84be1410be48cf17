"""A mapping with two equal keys is refused with ``file:line`` (PyYAML alone keeps the last value silently)."""

from __future__ import annotations

from pathlib import Path

import pytest

from equilibrium.errors import DataError
from equilibrium.provenance import yamlio


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_CACHE_DIR", str(tmp_path / "cache"))


def test_duplicate_key_in_flow_mapping_is_refused_with_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "dup.yml"
    f.write_text("items:\n  - id: a\n  - {id: b, note: one, x: 1, note: two}\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        yamlio.load_yaml(f)
    text = str(exc.value) + " ".join(exc.value.errors)
    assert f"{f}:3" in text and "note" in text


def test_duplicate_key_in_block_mapping_names_both_lines(tmp_path: Path) -> None:
    f = tmp_path / "dup.yml"
    f.write_text("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        yamlio.load_yaml(f)
    text = str(exc.value) + " ".join(exc.value.errors)
    assert f"{f}:5" in text and "line 3" in text and "'c'" in text


def test_equal_keys_in_different_mappings_are_fine(tmp_path: Path) -> None:
    f = tmp_path / "ok.yml"
    f.write_text("items:\n  - {id: a, note: x}\n  - {id: b, note: y}\n1: int\n'1': str\n", encoding="utf-8")
    assert yamlio.load_yaml(f).data["items"][1] == {"id": "b", "note": "y"}


def test_a_cached_parse_does_not_bypass_the_check(tmp_path: Path) -> None:
    f = tmp_path / "dup.yml"
    f.write_text("k: 1\nk: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError):
            yamlio.load_yaml(f)
