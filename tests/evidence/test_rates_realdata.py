"""Every default base rate, recomputed independently from the raw files with plain csv/pandas code (no product
code is used for the expected values), must equal the product's output; so must filtered and grouped counts.

The independent code applies the definitions as documented in ``equilibrium.evidence.rates`` and leaves out the
rows the loader reports as unreadable (asserted here: GSDB case 1275, whose objective and success lists differ in
length; the China-TIES sender row without a start year).
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from equilibrium.evidence import base_rates

pytestmark = pytest.mark.realdata


def _xls(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(path)


def _check(res: dict[str, Any], expected: dict[str, tuple[int, int]]) -> None:
    assert set(expected) <= set(res["rates"])
    for name, (k, n) in expected.items():
        got = res["rates"][name]
        assert (got["k"], got["n"]) == (k, n), name
        if n:
            assert got["share"] == pytest.approx(k / n)
            lo, hi = got["ci95"]
            assert lo <= k / n <= hi
        else:
            assert got["share"] is None and got["ci95"] is None


# ------------------------------------------------------------------------------------------------------ GSDB


def _gsdb_pairs(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pairs, skipped = [], []
    for r in rows:
        objs = [x.strip() for x in r["objective"].split(",")]
        sucs = [x.strip() for x in r["success"].split(",")]
        if len(objs) != len(sucs):
            skipped.append(r["case_id"])
            continue
        for o, s in zip(objs, sucs, strict=True):
            pairs.append({**r, "obj": o, "suc": s})
    return pairs, skipped


def _gsdb_expected(pairs: list[dict[str, str]], include_ongoing: bool = False) -> dict[str, tuple[int, int]]:
    den = pairs if include_ongoing else [p for p in pairs if p["suc"] != "ongoing"]
    n = len(den)

    def count(*codes: str) -> int:
        return sum(1 for p in den if p["suc"] in codes)

    return {"success_total_share": (count("success_total"), n),
            "success_any_share": (count("success_total", "success_part"), n),
            "failed_share": (count("failed"), n), "settlement_share": (count("nego_settlement"), n)}


def test_gsdb_default_rates(evidence_dir: Path) -> None:
    path = evidence_dir / "GSDB_R3.csv"
    pairs, skipped = _gsdb_pairs(path)
    assert skipped == ["1275"]
    res = base_rates("gsdb", path=path)
    assert res["rows"] == len(pairs) == 1758
    assert res["rows_excluded"] == 1 and "1275" in res["problems"][0]
    assert res["definition"]["name"] == "gsdb/concluded-pairs"
    _check(res, _gsdb_expected(pairs))
    assert res["ongoing_pairs"] == sum(1 for p in pairs if p["suc"] == "ongoing")


def test_gsdb_include_ongoing(evidence_dir: Path) -> None:
    path = evidence_dir / "GSDB_R3.csv"
    pairs, _ = _gsdb_pairs(path)
    res = base_rates("gsdb", path=path, include_ongoing=True)
    assert res["definition"]["name"] == "gsdb/all-pairs"
    _check(res, _gsdb_expected(pairs, include_ongoing=True))


def test_gsdb_filters_and_groups(evidence_dir: Path) -> None:
    path = evidence_dir / "GSDB_R3.csv"
    pairs, _ = _gsdb_pairs(path)

    def names(s: str) -> list[str]:
        return [x.strip() for x in s.split(",")]

    pak = [p for p in pairs if "Pakistan" in names(p["sanctioned_state"])]
    _check(base_rates("gsdb", path=path, target="PAK"), _gsdb_expected(pak))
    us = [p for p in pairs if "United States" in names(p["sanctioning_state"])]
    _check(base_rates("gsdb", path=path, sender="United States"), _gsdb_expected(us))
    dem = [p for p in pairs if p["obj"] == "democracy" and 1990 <= int(p["begin"]) <= 1999]
    _check(base_rates("gsdb", path=path, objective="democracy", since=1990, until=1999), _gsdb_expected(dem))
    multi = [p for p in pairs if p["sender_mult"] == "1"]
    _check(base_rates("gsdb", path=path, multilateral=True), _gsdb_expected(multi))
    trade = [p for p in pairs if p["trade"] == "1"]
    _check(base_rates("gsdb", path=path, sanction_type="trade"), _gsdb_expected(trade))

    res = base_rates("gsdb", path=path, by="decade")
    assert [g["group"] for g in res["groups"]] == sorted({int(p["begin"]) // 10 * 10 for p in pairs})
    for g in res["groups"]:
        part = [p for p in pairs if int(p["begin"]) // 10 * 10 == g["group"]]
        assert g["rows"] == len(part)
        exp = _gsdb_expected(part)
        assert {k: (v["k"], v["n"]) for k, v in g["rates"].items()} == exp
    res = base_rates("gsdb", path=path, by="objective")
    for g in res["groups"]:
        part = [p for p in pairs if p["obj"] == g["group"]]
        assert {k: (v["k"], v["n"]) for k, v in g["rates"].items()} == _gsdb_expected(part)


# ------------------------------------------------------------------------------------------------------ TIES


def _stage_expected(threat: pd.Series, imp: pd.Series, fo: pd.Series, concluded: bool = False
                    ) -> dict[str, tuple[int, int]]:
    coded = imp.notna()
    not_imp = (imp == False) & coded  # noqa: E712 - elementwise on an object column with NaN
    threat, imp = threat.fillna(False).astype(bool), imp.fillna(False).astype(bool)
    tden = threat & coded & (fo.between(1, 10) if concluded else True)
    iden = imp & fo.between(6, 10)
    sden = threat & not_imp & fo.between(1, 5)

    def kn(den: pd.Series, codes: list[int]) -> tuple[int, int]:
        return int((den & fo.isin(codes)).sum()), int(den.sum())

    return {"threats_not_imposed_share": (int((tden & not_imp).sum()), int(tden.sum())),
            "imposed_target_acquiesced_share": kn(iden, [6, 7]), "imposed_negotiated_share": kn(iden, [10]),
            "sender_capitulated_share": kn(iden, [8]), "imposed_stalemate_share": kn(iden, [9]),
            "threat_target_acquiesced_share": kn(sden, [1, 2]), "threat_negotiated_share": kn(sden, [5]),
            "threat_sender_capitulated_share": kn(sden, [3]), "threat_stalemate_share": kn(sden, [4])}


def _ties_expected(t: pd.DataFrame, concluded: bool = False) -> dict[str, tuple[int, int]]:
    return _stage_expected(t["threat"] == 1, t["imposition"] == 1, t["finaloutcome"], concluded)


def test_ties_default_rates(evidence_dir: Path) -> None:
    path = evidence_dir / "TIESv4.xls"
    t = _xls(path)
    res = base_rates("ties", path=path)
    assert res["rows"] == len(t) == 1412 and res["rows_excluded"] == 0
    assert res["definition"]["name"] == "ties/stages"
    _check(res, _ties_expected(t))
    # The published context says "almost half" of threats were never imposed; TIES v4 gives 567 of 1,053.
    assert res["rates"]["threats_not_imposed_share"]["k"] == 567


def test_ties_concluded_threats(evidence_dir: Path) -> None:
    path = evidence_dir / "TIESv4.xls"
    _check(base_rates("ties", path=path, threats="concluded"), _ties_expected(_xls(path), concluded=True))


def test_ties_filters_and_groups(evidence_dir: Path) -> None:
    path = evidence_dir / "TIESv4.xls"
    t = _xls(path)
    _check(base_rates("ties", path=path, target="PAK"), _ties_expected(t[t["targetstate"] == 770]))
    _check(base_rates("ties", path=path, target="770"), _ties_expected(t[t["targetstate"] == 770]))
    senders = t[[f"sender{i}" for i in range(1, 6)]]
    _check(base_rates("ties", path=path, sender="USA", since=1990, until=1999),
           _ties_expected(t[(senders == 2).any(axis=1) & t["startyear"].between(1990, 1999)]))
    issues = t[["issue1", "issue2", "issue3"]]
    _check(base_rates("ties", path=path, issue="6"), _ties_expected(t[(issues == 6).any(axis=1)]))
    _check(base_rates("ties", path=path, issue="deny_strategic_materials"),
           _ties_expected(t[(issues == 6).any(axis=1)]))

    res = base_rates("ties", path=path, by="issue")
    assert sum(g["rows"] for g in res["groups"]) == len(t)
    for g in res["groups"]:
        code = {"contain_political_influence": 1, "deny_strategic_materials": 6, "trade_practices": 13,
                "human_rights": 8}.get(g["group"])
        if code is not None:
            part = t[t["issue1"] == code]
            assert g["rows"] == len(part)
            assert {k: (v["k"], v["n"]) for k, v in g["rates"].items()} == _ties_expected(part)


# --------------------------------------------------------------------------------------------------- EUSANCT


def _eusanct_expected(e: pd.DataFrame, threshold: int = 9) -> dict[str, tuple[int, int]]:
    th = (e["threat"] == 1) & e["threat_success"].notna()
    im = (e["sanction"] == 1) & e["sanctions_success"].notna()
    return {"hse_success_share": (int((e["HSEscore"] >= threshold).sum()), len(e)),
            "success_share": (int((e["success"] == 1).sum()), int(e["success"].notna().sum())),
            "threat_success_share": (int((th & (e["threat_success"] == 1)).sum()), int(th.sum())),
            "sanctions_success_share": (int((im & (e["sanctions_success"] == 1)).sum()), int(im.sum()))}


def test_eusanct_default_rates(evidence_dir: Path) -> None:
    path = evidence_dir / "EUSANCT_Dataset_Case-level.xls"
    e = _xls(path)
    res = base_rates("eusanct", path=path)
    assert res["rows"] == len(e) == 326 and res["definition"]["name"] == "eusanct/hse-9"
    _check(res, _eusanct_expected(e))
    _check(base_rates("eusanct", path=path, hse_threshold=12), _eusanct_expected(e, 12))


def test_eusanct_filters(evidence_dir: Path) -> None:
    path = evidence_dir / "EUSANCT_Dataset_Case-level.xls"
    e = _xls(path)
    _check(base_rates("eusanct", path=path, sender="EU"), _eusanct_expected(e[e["EU"] == 1]))
    _check(base_rates("eusanct", path=path, target="Pakistan"), _eusanct_expected(e[e["targetstate"] == 770]))
    start = e[["startyearEU", "startyearUS", "startyearUN"]].min(axis=1)
    _check(base_rates("eusanct", path=path, since=2000), _eusanct_expected(e[start >= 2000]))
    res = base_rates("eusanct", path=path, by="sender")
    assert sum(g["rows"] for g in res["groups"]) == len(e)


# ------------------------------------------------------------------------------------------------ China-TIES


def _china(evidence_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    d = evidence_dir / "china_ties"
    s = pd.read_csv(d / "CESv1Sender_2025c.csv", encoding="cp1252")
    t = pd.read_csv(d / "CESv1Target_2025c.csv", encoding="cp1252")
    assert s["startyear"].isna().sum() == 1  # the one row the loader reports and leaves out
    return s[s["startyear"].notna()], t


def _china_expected(s: pd.DataFrame, t: pd.DataFrame) -> dict[str, tuple[int, int]]:
    both = pd.DataFrame({
        "threat": pd.concat([s["threatsanct"] == 1, t["threat"] == 1], ignore_index=True),
        "imp": pd.concat([s["imposesanct"].map({1: True, 0: False}), t["imposition"].map({1: True, 0: False})],
                         ignore_index=True),
        "fo": pd.concat([s["finaloutcome"], t["finaloutcome"]], ignore_index=True)})
    out = _stage_expected(both["threat"], both["imp"], both["fo"])
    out["ces_success_share"] = (int((s["success"] == 1).sum()), int(s["success"].notna().sum()))
    return out


def test_china_ties_default_rates(evidence_dir: Path) -> None:
    s, t = _china(evidence_dir)
    res = base_rates("china-ties", path=evidence_dir / "china_ties")
    assert res["rows"] == len(s) + len(t) == 192
    assert res["definition"]["name"] == "china-ties/stages" and res["by"] == "role"
    _check(res, _china_expected(s, t))
    groups = {g["group"]: g for g in res["groups"]}
    for role, exp in (("sender", _china_expected(s, t.iloc[0:0])), ("target", _china_expected(s.iloc[0:0], t))):
        assert {k: (v["k"], v["n"]) for k, v in groups[role]["rates"].items()} == exp
    only = base_rates("china-ties", path=evidence_dir / "china_ties", role="target")
    _check(only, _china_expected(s.iloc[0:0], t))


def test_all_four_from_data_dir(evidence_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(evidence_dir.parent))
    for ds in ("gsdb", "ties", "eusanct", "china-ties"):
        res = base_rates(ds)
        assert res["rows"] > 0 and all(r["n"] > 0 for r in res["rates"].values())
