"""A country's episodes across the data sets, linked to the curated record (independent counts from the raw files)."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd
import pytest

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.evidence import cases as domain_cases
from equilibrium.evidence.loaders import DataFileMissing
from equilibrium.questions.evidence import record_actions


def cases(*args: object, **kwargs: object) -> dict:
    """The domain function with the curated record's actions, as the question layer passes them."""
    actions, record = record_actions()
    return domain_cases(*args, actions=actions, record=record, **kwargs)  # type: ignore[arg-type]


def _xls(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(path)


def test_fixture_cases_and_links(fixtures: Path) -> None:
    res = cases("PAK", dataset="ties", path=fixtures / "TIESv4.csv")
    assert res["country"]["code"] == "PAK" and res["count"] == 1
    (ep,) = res["cases"]
    assert ep["case_id"] == "1998051002" and ep["role"] == "target" and (ep["start_year"], ep["end_year"]) == (
        1998, 2001)
    assert [s["code"] for s in ep["senders"]] == ["USA", "CAN"]
    assert ep["outcome"] == "Negotiated settlement after imposition"
    ids = [x["action"] for x in ep["links"]]
    assert "us-1998-05-glenn-pakistan-aecas102" in ids
    glenn = next(x for x in ep["links"] if x["action"] == "us-1998-05-glenn-pakistan-aecas102")
    assert glenn["strength"] == "strong" and glenn["timing"] == "start" and "nonproliferation" in glenn["themes"]
    assert all(x["strength"] == "weak" for x in ep["weak_links"])
    assert set(res["link_rule"]) == {"country", "sender", "years", "strength", "timing"}


def test_sender_role(fixtures: Path) -> None:
    assert cases("IND", dataset="china-ties", path=fixtures)["count"] == 0  # the country as target by default
    res = cases("IND", dataset="china-ties", path=fixtures, role="any")
    assert [(e["case_id"], e["role"], e["china_role"]) for e in res["cases"]] == [
        ("202006750710", "sender", "target")]
    assert res["cases"][0]["links"] == []
    assert cases("IND", dataset="china-ties", path=fixtures, role="target")["count"] == 0


def test_bad_input(fixtures: Path) -> None:
    with pytest.raises(NotFound, match="did you mean 'Pakistan'"):
        cases("Pakistn", dataset="ties", path=fixtures / "TIESv4.csv")
    with pytest.raises(InvalidInput, match="--path needs --dataset"):
        cases("PAK", path=fixtures / "TIESv4.csv")
    with pytest.raises(DataFileMissing, match="no evidence data set found"):
        cases("PAK")
    with pytest.raises(InvalidInput, match="role"):
        cases("PAK", dataset="ties", path=fixtures / "TIESv4.csv", role="victim")


@pytest.mark.realdata
def test_pakistan_cases_in_every_data_set(evidence_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(evidence_dir))
    res = cases("PAK", role="any")
    per = res["datasets"]
    # Independent counts from the raw files.
    with (evidence_dir / "GSDB_R3.csv").open(encoding="utf-8", newline="") as fh:
        g = [r for r in csv.DictReader(fh) if r["case_id"] != "1275"]  # 1275 is unreadable (and not Pakistani)

    def has(s: str) -> bool:
        return "Pakistan" in [x.strip() for x in s.split(",")]

    assert per["gsdb"]["as_target"] == sum(1 for r in g if has(r["sanctioned_state"]))
    assert per["gsdb"]["as_sender"] == sum(1 for r in g if has(r["sanctioning_state"]) and not has(
        r["sanctioned_state"]))
    t = _xls(evidence_dir / "TIESv4.xls")
    senders = t[[f"sender{i}" for i in range(1, 6)] + ["primarysender"]]
    assert per["ties"]["as_target"] == int((t["targetstate"] == 770).sum())
    assert per["ties"]["count"] == int(((t["targetstate"] == 770) | (senders == 770).any(axis=1)).sum())
    e = _xls(evidence_dir / "EUSANCT_Dataset_Case-level.xls")
    assert per["eusanct"]["count"] == int(((e["targetstate"] == 770) |
                                           (e[[f"sender{i}" for i in range(2, 6)]] == 770).any(axis=1)).sum())
    assert per["china-ties"]["count"] == 0
    assert res["count"] == sum(v["count"] for v in per.values())

    by_id = {(c["dataset"], c["case_id"]): c for c in res["cases"]}
    pressler = [x["action"] for x in by_id[("gsdb", "384")]["links"]]
    assert pressler[0] == "us-1990-pressler-pak-aid-cutoff"
    for key in (("gsdb", "615"), ("ties", "1998051002"), ("eusanct", "1998051002")):
        assert "us-1998-05-glenn-pakistan-aecas102" in [x["action"] for x in by_id[key]["links"]], key
    assert "us-1999-10-s508-pakistan" in [x["action"] for x in by_id[("gsdb", "634")]["links"]]


@pytest.mark.realdata
def test_india_glenn(evidence_dir: Path) -> None:
    res = cases("India", dataset="ties", path=evidence_dir / "TIESv4.xls", role="target")
    ep = next(c for c in res["cases"] if c["case_id"] == "1998051001")
    assert "us-1998-05-13-glenn-india-aecas102" in [x["action"] for x in ep["links"]]
    assert all(c["role"] == "target" for c in res["cases"])
