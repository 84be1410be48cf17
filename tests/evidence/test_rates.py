"""Base rates on the synthetic files (counts worked out by hand from the fixture rows), the Wilson interval against
the closed formula, the definitions, filters, groups and bad input."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.evidence import base_rates, definition, load, wilson
from equilibrium.evidence.rates import share


def _kn(res: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {k: (v["k"], v["n"]) for k, v in res["rates"].items()}


def test_wilson_40_of_115_against_the_closed_formula() -> None:
    # HSE's 40 successes of 115 episodes. Wilson: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
    k, n, z = 40, 115, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo, hi = wilson(k, n)  # type: ignore[misc]
    assert lo == pytest.approx(centre - half, abs=1e-12) and hi == pytest.approx(centre + half, abs=1e-12)
    assert (round(lo, 4), round(hi, 4)) == (0.2670, 0.4385)  # checked by hand from the formula above


def test_wilson_edges() -> None:
    assert wilson(0, 0) is None
    lo, hi = wilson(0, 10)  # type: ignore[misc]
    assert lo == pytest.approx(0.0, abs=1e-12) and 0.27 < hi < 0.28
    lo, hi = wilson(10, 10)  # type: ignore[misc]
    assert hi == pytest.approx(1.0) and 0.72 < lo < 0.73
    assert share(0, 0) == {"k": 0, "n": 0, "share": None, "ci95": None}
    with pytest.raises(InvalidInput):
        wilson(5, 3)


def test_gsdb_fixture(fixtures: Path) -> None:
    path = fixtures / "GSDB_R3.csv"
    res = base_rates("gsdb", path=path)
    # concluded pairs: (prevent_war, failed), (prevent_war, success_total), (policy_change, success_part),
    # (policy_change, nego_settlement), (human_rights, success_total); two ongoing pairs left out.
    assert _kn(res) == {"success_total_share": (2, 5), "success_any_share": (3, 5), "failed_share": (1, 5),
                        "settlement_share": (1, 5)}
    assert res["ongoing_pairs"] == 2 and res["rows_excluded"] == 2 and len(res["problems"]) == 2
    assert res["rates"]["success_total_share"]["ci95"] == pytest.approx(list(wilson(2, 5)))  # type: ignore[arg-type]
    res = base_rates("gsdb", path=path, include_ongoing=True)
    assert _kn(res)["success_total_share"] == (2, 7) and res["definition"]["name"] == "gsdb/all-pairs"
    assert res["sources"][0]["id"] == "gsdb-r3-dataset" and res["sources"][0]["url"]


def test_ties_fixture(fixtures: Path) -> None:
    path = fixtures / "TIESv4.csv"
    assert _kn(base_rates("ties", path=path)) == {
        "threats_not_imposed_share": (3, 6), "imposed_target_acquiesced_share": (1, 3),
        "imposed_negotiated_share": (1, 3), "sender_capitulated_share": (1, 3), "imposed_stalemate_share": (0, 3),
        "threat_target_acquiesced_share": (1, 2), "threat_negotiated_share": (0, 2),
        "threat_sender_capitulated_share": (1, 2), "threat_stalemate_share": (0, 2)}
    res = base_rates("ties", path=path, threats="concluded")
    assert _kn(res)["threats_not_imposed_share"] == (2, 4)
    assert res["definition"]["name"] == "ties/stages-concluded-threats"


def test_eusanct_fixture(fixtures: Path) -> None:
    path = fixtures / "EUSANCT_Dataset_Case-level.csv"
    assert _kn(base_rates("eusanct", path=path)) == {
        "hse_success_share": (2, 4), "success_share": (2, 4), "threat_success_share": (1, 3),
        "sanctions_success_share": (1, 3)}
    assert _kn(base_rates("eusanct", path=path, hse_threshold=16))["hse_success_share"] == (1, 4)


def test_china_fixture_by_role(fixtures: Path) -> None:
    res = base_rates("china-ties", path=fixtures)
    groups = {g["group"]: _kn(g) for g in res["groups"]}
    assert groups["sender"]["threats_not_imposed_share"] == (1, 3)
    assert groups["sender"]["imposed_target_acquiesced_share"] == (1, 2)
    assert groups["sender"]["threat_stalemate_share"] == (1, 1)
    assert groups["sender"]["ces_success_share"] == (1, 3)
    # The target file's second episode has no threat coded; the first was threatened and imposed.
    assert groups["target"]["threats_not_imposed_share"] == (0, 1)
    assert groups["target"]["sender_capitulated_share"] == (1, 1)
    assert groups["target"]["ces_success_share"] == (0, 0)


def test_filters(fixtures: Path) -> None:
    path = fixtures / "TIESv4.csv"
    res = base_rates("ties", path=path, target="Pakistan")
    assert res["rows"] == 1 and res["filters"]["target"]["code"] == "PAK"
    assert base_rates("ties", path=path, target="IND", sender="United States")["rows"] == 2
    assert base_rates("ties", path=path, sender="EU")["rows"] == 1
    assert base_rates("ties", path=path, issue="Trade practices")["rows"] == 3
    assert base_rates("ties", path=path, since=1992, until=1995)["rows"] == 3
    assert base_rates("ties", path=path, multilateral=True)["rows"] == 2
    assert base_rates("ties", path=path, sanction_type="aid_termination")["rows"] == 2
    g = load("gsdb", fixtures / "GSDB_R3.csv")
    assert base_rates("gsdb", df=g, sender="Commonwealth")["rows"] == 1  # a non-state sender by its name
    assert base_rates("gsdb", df=g, objective="policy_change")["rows"] == 2


def test_by_groups(fixtures: Path) -> None:
    res = base_rates("ties", path=fixtures / "TIESv4.csv", by="decade")
    assert [(g["label"], g["rows"]) for g in res["groups"]] == [("1990s", 7)]
    res = base_rates("gsdb", path=fixtures / "GSDB_R3.csv", by="objective")
    rows = {g["group"]: g["rows"] for g in res["groups"]}
    assert rows == {"prevent_war": 2, "policy_change": 2, "human_rights": 2, "destab_regime": 1}
    assert res["group_rule"] == "the pair's objective"
    res = base_rates("eusanct", path=fixtures / "EUSANCT_Dataset_Case-level.csv", by="multilateral")
    assert {g["label"]: g["rows"] for g in res["groups"]} == {"multilateral": 2, "unilateral": 2}


def test_empty_filter_result_has_n_zero(fixtures: Path) -> None:
    res = base_rates("ties", path=fixtures / "TIESv4.csv", target="FRA")
    assert res["rows"] == 0 and "no rows match" in res["message"]
    assert all(r == {"k": 0, "n": 0, "share": None, "ci95": None} for r in res["rates"].values())
    res = base_rates("gsdb", path=fixtures / "GSDB_R3.csv", target="PAK", since=2020, by="decade")
    assert res["rows"] == 0 and res["groups"] == []


def test_bad_input(fixtures: Path) -> None:
    path = fixtures / "TIESv4.csv"
    with pytest.raises(NotFound, match="did you mean 'Pakistan'"):
        base_rates("ties", path=path, target="Pakistn")
    with pytest.raises(NotFound, match="deny_strategic_materials"):
        base_rates("ties", path=path, issue="strategic materials")
    with pytest.raises(NotFound, match="objective 'democrcy'; did you mean 'democracy'"):
        base_rates("gsdb", path=fixtures / "GSDB_R3.csv", objective="democrcy")
    with pytest.raises(NotFound, match="sanction type"):
        base_rates("ties", path=path, sanction_type="embargo-ish")
    with pytest.raises(InvalidInput, match="after --until"):
        base_rates("ties", path=path, since=2000, until=1990)
    with pytest.raises(InvalidInput, match="GSDB only"):
        base_rates("ties", path=path, include_ongoing=True)
    with pytest.raises(InvalidInput, match="China-TIES only"):
        base_rates("ties", path=path, role="sender")
    with pytest.raises(NotFound, match="--by field"):
        base_rates("ties", path=path, by="colour")


def test_definitions_are_documented() -> None:
    for ds in ("gsdb", "ties", "eusanct", "china-ties"):
        d = definition(ds)
        assert d.text and d.alternatives and d.rates
        for r in d.rates:
            assert r.numerator and r.denominator
    assert [r.name for r in definition("ties").rates][:4] == [
        "threats_not_imposed_share", "imposed_target_acquiesced_share", "imposed_negotiated_share",
        "sender_capitulated_share"]
    assert definition("eusanct", hse_threshold=12).name == "eusanct/hse-12"
