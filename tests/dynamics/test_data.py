"""The dynamics data loaders: locating files, the official layouts (synthetic fixtures), bad input, the cache, the
wide series and the status summary; and the real files of ../shared/data/dynamics (``realdata``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equilibrium.dynamics import data as d
from equilibrium.errors import DataError, InvalidInput, UnknownChoice

# ------------------------------------------------------------------------------------------------ catalogue


def test_catalogue_lists_every_dataset_with_resolving_sources() -> None:
    assert d.check_catalogue()
    for ds in d.DATASETS:
        info = d.dataset_info(ds)
        assert info.publisher and info.obtain and info.url.startswith("http")
        assert info.usual_names()
    assert d.dataset_info("unvotes").expected_value("votes") == 869_937
    assert d.dataset_info("unvotes").expected_value("roll_calls") == 6_202
    assert d.dataset_info("voeten-idealpoints").expected_value("rows") == 11_440
    assert d.dataset_info("cow-nmc").expected_value("rows") == 15_951


def test_unknown_dataset_suggests() -> None:
    with pytest.raises(UnknownChoice, match="sipri-milex"):
        d.dataset_info("sipri-milx")


@pytest.mark.parametrize(("name", "code"), [("China", "CHN"), ("India", "IND"), ("Pakistan", "PAK"),
                                            ("United States", "USA"), ("USSR", "RUS"), ("Congo, Republic", "COG"),
                                            ("Türkiye", "TUR"), ("Korea, South", "KOR"), ("Yemen, North", "YEM"),
                                            ("German DR", "DDR"), ("Hezbollah (Lebanon)*", None), ("Total", None)])
def test_country_names(name: str, code: str | None) -> None:
    assert d.iso3_of(name) == code


def test_cow_codes() -> None:
    assert d.iso3_from_cow(770) == "PAK"
    assert d.iso3_from_cow("750") == "IND"
    assert d.iso3_from_cow(365) == "RUS"
    assert d.iso3_from_cow(817) is None


# ------------------------------------------------------------------------------------------------- locating


def test_missing_file_names_publisher_and_how_to_obtain(tmp_path: Path) -> None:
    with pytest.raises(d.DataFileMissing) as exc:
        d.load_milex(tmp_path)
    msg = str(exc.value)
    assert "Stockholm International Peace Research Institute" in msg
    assert "sipri.org/databases/milex" in msg and "SIPRI-Milex-data-1949-2023.xlsx" in msg
    assert "\n" not in msg
    body = exc.value.to_problem()
    assert body["code"] == "data-file-missing" and body["status"] == 503
    assert body["dataset"] == "sipri-milex" and "SIPRI" in str(body["publisher"])


def test_no_path_and_no_data_dir() -> None:
    with pytest.raises(d.DataFileMissing, match="EQUILIBRIUM_DATA_DIR is not set.*Correlates of War"):
        d.load_nmc()


def test_nonexistent_path_is_data_file_missing(tmp_path: Path) -> None:
    with pytest.raises(d.DataFileMissing, match="no such file or folder.*Harvard Dataverse"):
        d.load_idealpoints(tmp_path / "nowhere")


def test_locate_in_data_dir_two_levels_down(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    target = tmp_path / "dynamics" / "cow"
    target.mkdir(parents=True)
    shutil.copy(fixtures / "cow" / "NMC-60-abridged.csv", target)
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(tmp_path))
    assert d.locate("cow-nmc") == target / "NMC-60-abridged.csv"
    assert len(d.load_nmc().frame) > 0


def test_locate_glob_prefers_newest_release(tmp_path: Path) -> None:
    for n in ("SIPRI-Milex-data-1949-2022.xlsx", "SIPRI-Milex-data-1949-2024.xlsx"):
        (tmp_path / n).write_bytes(b"")
    assert d.locate("sipri-milex", tmp_path).name == "SIPRI-Milex-data-1949-2024.xlsx"


def test_locate_unvotes_parts_from_one_file(tmp_path: Path) -> None:
    for n in ("un_votes.rda", "un_roll_calls.rda", "un_roll_call_issues.rda"):
        (tmp_path / n).write_bytes(b"")
    votes = tmp_path / "un_votes.rda"
    assert d.locate("unvotes", votes, part="votes") == votes
    assert d.locate("unvotes", votes, part="roll_calls") == tmp_path / "un_roll_calls.rda"
    assert d.locate("unvotes", tmp_path, part="issues") == tmp_path / "un_roll_call_issues.rda"
    with pytest.raises(UnknownChoice):
        d.locate("unvotes", tmp_path, part="speeches")


# ----------------------------------------------------------------------------------------------- SIPRI milex


def _row(frame: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    hit = frame[(frame["iso3"] == iso3) & (frame["year"] == year)]
    assert len(hit) == 1, (iso3, year, hit)
    return hit.iloc[0]


def test_milex_synthetic(milex_file: Path) -> None:
    ld = d.load_milex(milex_file)
    f = ld.frame
    assert list(f.columns) == list(d.MILEX_COLUMNS)
    ind = _row(f, "IND", 2023)
    assert ind["milex_usd_m"] == pytest.approx(83334.46, abs=1e-6)
    assert ind["share_gdp_pct"] == pytest.approx(2.44, abs=1e-9)  # the sheet's fraction x 100
    assert not ind["estimate"] and ind["note"] == "59"
    assert _row(f, "IND", 1992)["estimate"]  # blue: a SIPRI estimate
    assert pd.isna(_row(f, "IND", 1990)["milex_usd_m"])  # '...' is missing, the row is kept
    pak = _row(f, "PAK", 1991)
    assert pak["estimate"] and pak["uncertain"]  # red: highly uncertain
    assert _row(f, "PAK", 2022)["estimate"] and not _row(f, "PAK", 2022)["uncertain"]  # blue share cell (rgb)
    assert pd.isna(_row(f, "PAK", 1990)["milex_usd_m"])  # '. .'
    assert f[(f["iso3"] == "CHN") & (f["year"] == 1990)].empty  # 'xxx': no row
    assert bool(f.loc[f["iso3"] == "CHN", "estimate"].all())
    # USSR and Russia are one state (RUS): the USSR's figures before 1992, Russia's after, no duplicate years
    rus = f[f["iso3"] == "RUS"].set_index("year")["milex_usd_m"]
    assert rus.index.is_unique and list(rus.index) == list(range(1990, 1993)) + [2022, 2023]
    assert rus[1990] == 300000.0 and rus[1992] == 60000.0
    assert f.attrs["footnotes"]["59"].startswith("India")
    assert any("Atlantis" in p and "ISO3" in p for p in ld.problems)
    bad = [p for p in ld.problems if "'abc'" in p]
    assert len(bad) == 1 and "Constant (2022) US$!H16" in bad[0] and "Bhutan 2023" in bad[0]
    assert pd.isna(_row(f, "BTN", 2023)["milex_usd_m"])


def test_milex_wrong_sheets_is_data_error(tmp_path: Path, milex_writer: Callable[..., Path]) -> None:
    p = milex_writer(tmp_path / "SIPRI-Milex-data-1949-2023.xlsx", constant_sheet="Current US$")
    with pytest.raises(DataError, match=r"SIPRI-Milex-data-1949-2023\.xlsx.*Constant \(2022\) US\$"):
        d.load_milex(p)


def test_milex_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "SIPRI-Milex-data-1949-2023.xlsx"
    p.write_text("not a workbook")
    with pytest.raises(DataError, match="SIPRI-Milex-data-1949-2023.xlsx is not an Excel workbook"):
        d.load_milex(p)


# ------------------------------------------------------------------------------------------------- SIPRI TIV


def test_tiv_imports_with_preamble(fixtures: Path) -> None:
    ld = d.load_tiv("imports", fixtures / "sipri_tiv")
    f = ld.frame
    assert list(f.columns) == list(d.TIV_COLUMNS)
    assert ld.years() == (2019, 2022)
    assert _row(f, "IND", 2022)["tiv_m"] == 2846.0
    assert _row(f, "PAK", 2020)["tiv_m"] == 0.0  # an empty cell: no deliveries recorded
    assert _row(f, "RUS", 2020)["tiv_m"] == 0.0 and f[f["iso3"] == "RUS"]["year"].is_unique
    assert pd.isna(_row(f, "BGD", 2020)["tiv_m"])
    assert any(p.endswith("(value left missing)") and ":18: Bangladesh 2020: 'n/a'" in p for p in ld.problems)
    assert any(":17: name 'Narnia'" in p for p in ld.problems)
    assert any(":16: name 'Hezbollah (Lebanon)*'" in p for p in ld.problems)
    assert not any("'Total'" in p or "'Others'" in p for p in ld.problems)  # aggregates are expected
    total = f[f["country"] == "Total"]
    assert total["iso3"].isna().all() and total["tiv_m"].sum() == 5766 + 3735 + 6068 + 5242


def test_tiv_exports(fixtures: Path) -> None:
    ld = d.load_tiv("exports", fixtures / "sipri_tiv")
    assert _row(ld.frame, "USA", 2022)["tiv_m"] == 14515.0
    assert ld.problems == []


def test_tiv_wrong_file(fixtures: Path) -> None:
    with pytest.raises(DataError, match=r"TIV-Import-Top-200-1950-2022\.csv.*Recipient"):
        d.load_tiv("imports", fixtures / "bad" / "TIV-Import-Top-200-1950-2022.csv")
    # the exports table given for the imports
    with pytest.raises(DataError, match="'Supplier': it is the other table"):
        d.load_tiv("imports", fixtures / "sipri_tiv" / "TIV-Export-Top-200-1950-2022.csv")
    with pytest.raises(UnknownChoice):
        d.load_tiv("transfers", fixtures)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------- COW NMC


def test_nmc_synthetic(fixtures: Path) -> None:
    ld = d.load_nmc(fixtures / "cow")
    f = ld.frame
    assert list(f.columns) == list(d.NMC_COLUMNS)
    assert len(f) == 8  # the row with year 'twenty' is left out
    assert _row(f, "PAK", 2016)["cinc"] == pytest.approx(0.0131546)
    assert pd.isna(_row(f, "PAK", 2016)["irst"])  # COW's -9
    assert any(":10: ccode '2' / year 'twenty'" in p and "row left out" in p for p in ld.problems)
    assert any(":8: milex '.' is not a number" in p for p in ld.problems)
    assert any("COW state 817" in p for p in ld.problems)
    assert any("255, 260" in p or "260, 255" in p for p in ld.problems)


def test_nmc_wrong_columns(fixtures: Path) -> None:
    with pytest.raises(DataError) as exc:
        d.load_nmc(fixtures / "bad" / "NMC-60-abridged.csv")
    msg = str(exc.value)
    assert "NMC-60-abridged.csv" in msg and "ccode" in msg and "military_spending" in msg


# ---------------------------------------------------------------------------------------------------- Voeten


def test_idealpoints_synthetic(idealpoints_file: Path) -> None:
    ld = d.load_idealpoints(idealpoints_file)
    f = ld.frame
    assert list(f.columns) == list(d.IDEAL_COLUMNS)
    pak = f[f["iso3"] == "PAK"].set_index("year")
    assert pak.loc[2023, "idealpoint_all"] == pytest.approx(-0.57, abs=1e-6)
    assert pd.isna(pak.loc[2024, "idealpoint_all"]) and pak.loc[2024, "idealpoint_fp"] == pytest.approx(-0.34)
    assert pak.loc[2022, "q05_all"] < pak.loc[2022, "idealpoint_all"] < pak.loc[2022, "q95_all"]
    assert f.loc[f["ccode"] == 817, "iso3"].isna().all()
    assert any("817" in p for p in ld.problems) and any("DEU in 1990" in p for p in ld.problems)


def test_idealpoints_wrong_columns(tmp_path: Path) -> None:
    p = tmp_path / "IdealpointsJuly2025.dta"
    pd.DataFrame({"ccode": [770], "year": [2020.0], "score": [0.1]}).to_stata(p, write_index=False)
    with pytest.raises(DataError, match=r"IdealpointsJuly2025\.dta.*idealpointall"):
        d.load_idealpoints(p)


def test_unvotes_wrong_file(tmp_path: Path) -> None:
    p = tmp_path / "un_votes.rda"
    p.write_text("not R data")
    with pytest.raises(DataError, match="un_votes.rda"):
        d.load_votes(p)


# ------------------------------------------------------------------------------------------------ the cache


def test_cache_per_path_size_mtime(fixtures: Path, tmp_path: Path) -> None:
    src = tmp_path / "NMC-60-abridged.csv"
    shutil.copy(fixtures / "cow" / "NMC-60-abridged.csv", src)
    a = d.load_nmc(src)
    b = d.load_nmc(src)
    assert a.frame is not b.frame and a.frame.equals(b.frame)  # a copy of one parse
    a.frame.loc[0, "cinc"] = 99.0
    assert d.load_nmc(src).frame.loc[0, "cinc"] != 99.0  # callers cannot change the cached frame
    hits = d._nmc_cached.cache_info().hits
    d.load_nmc(src)
    assert d._nmc_cached.cache_info().hits == hits + 1
    text = src.read_text().replace("0.0131546", "0.0200000")
    src.write_text(text)
    st = src.stat()
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert _row(d.load_nmc(src).frame, "PAK", 2016)["cinc"] == pytest.approx(0.02)


# ---------------------------------------------------------------------------------------------------- series


def test_series_wide(milex_file: Path) -> None:
    f = d.load_milex(milex_file).frame
    w = d.series(f, ["IND", "pak", "China"], "milex_usd_m", 1991, 2023)
    assert list(w.columns) == ["IND", "PAK", "CHN"]
    assert list(w.index) == list(range(1991, 2024))
    assert w.loc[2023, "IND"] == pytest.approx(83334.46)
    assert np.isnan(w.loc[2000, "IND"])  # a year not in the sheet


def test_series_unknown_country_suggests(milex_file: Path) -> None:
    f = d.load_milex(milex_file).frame
    with pytest.raises(InvalidInput) as exc:
        d.series(f, ["Pakistn"], "milex_usd_m", None, None)
    assert "Pakistn" in str(exc.value) and "PAK" in str(exc.value)
    with pytest.raises(InvalidInput, match="BRA has no rows"):
        d.series(f, ["BRA"], "milex_usd_m", None, None)


def test_series_no_data_in_period_names_country_and_period(milex_file: Path) -> None:
    f = d.load_milex(milex_file).frame
    with pytest.raises(InvalidInput, match=r"no milex_usd_m data for BTN in 1990-2023"):
        d.series(f, ["IND", "BTN"], "milex_usd_m", 1990, 2023)
    with pytest.raises(InvalidInput, match=r"no milex_usd_m data for PAK in 2030-2040 \(the data have PAK for "
                                           r"1991-2023\)"):
        d.series(f, ["PAK"], "milex_usd_m", 2030, 2040)
    with pytest.raises(InvalidInput, match="ends before it starts"):
        d.series(f, ["PAK"], "milex_usd_m", 2000, 1990)
    with pytest.raises(UnknownChoice, match="share_gdp_pct"):
        d.series(f, ["PAK"], "share_gdp", None, None)


_PANEL = pd.DataFrame([{"iso3": c, "country": c, "year": y, "v": float(i * 100 + y - 1990)}
                       for i, c in enumerate(["AAA", "BBB"]) for y in range(1990, 2011)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1990, 2010), st.integers(0, 20))
def test_series_law_values_match_the_tidy_frame(start: int, span: int) -> None:
    end = min(start + span, 2010)
    w = d.series(_PANEL, ["BBB", "AAA"], "v", start, end)
    assert list(w.index) == list(range(start, end + 1))
    for y in range(start, end + 1):
        assert w.loc[y, "AAA"] == y - 1990 and w.loc[y, "BBB"] == 100 + y - 1990


# ---------------------------------------------------------------------------------------------------- status


def test_status_without_files(tmp_path: Path) -> None:
    out = d.datasets_status(tmp_path)
    assert [s.dataset for s in out] == list(d.DATASETS)
    assert not any(s.found for s in out)
    milex = out[0].to_dict()
    assert "SIPRI" in milex["publisher"] and "sipri.org" in milex["obtain"] and milex["message"]


def test_status_with_fixtures(fixtures: Path, milex_file: Path) -> None:
    shutil.copytree(fixtures / "sipri_tiv", milex_file.parent / "sipri_tiv")
    shutil.copytree(fixtures / "cow", milex_file.parent / "cow")
    s = {x.dataset: x for x in d.datasets_status(milex_file.parent)}
    assert s["sipri-milex"].found and s["sipri-milex"].years == (1990, 2023) and s["sipri-milex"].problems == 2
    assert s["sipri-tiv-imports"].found and s["sipri-tiv-imports"].counts["entities"] == 10
    assert s["cow-nmc"].rows == 8
    assert not s["unvotes"].found and "CRAN" in str(s["unvotes"].message)
    summ = d.summary(milex_file.parent)
    assert summ["searched"] == str(milex_file.parent) and len(summ["datasets"]) == len(d.DATASETS)


# -------------------------------------------------------------------------------------------------- real data


@pytest.mark.realdata
def test_real_milex(dynamics_dir: Path) -> None:
    ld = d.load_milex(dynamics_dir)
    f = ld.frame
    assert ld.years() == (1949, 2023)
    assert ld.extra["countries"] == d.dataset_info("sipri-milex").expected_value("countries")
    for iso in ("CHN", "IND", "PAK", "USA"):
        w = d.series(f, [iso], "milex_usd_m", 1989, 2023)
        assert w[iso].notna().all(), iso
    # cells read in the workbook ('Constant (2022) US$' row 101/103, column BZ = 2023; 'Share of GDP' row 101)
    assert _row(f, "IND", 2023)["milex_usd_m"] == pytest.approx(83334.46, abs=0.01)
    assert _row(f, "PAK", 2023)["milex_usd_m"] == pytest.approx(9025.07, abs=0.01)
    assert _row(f, "CHN", 2023)["milex_usd_m"] == pytest.approx(309484.32, abs=0.01)
    assert _row(f, "IND", 2023)["share_gdp_pct"] == pytest.approx(2.443, abs=0.001)
    assert 80_000 < _row(f, "IND", 2023)["milex_usd_m"] < 90_000  # plausible: about 80-90 bn constant 2022 US$
    assert bool(f.loc[(f["iso3"] == "CHN") & (f["year"] >= 1989), "estimate"].all())  # China: SIPRI estimates
    assert f.loc[(f["iso3"] == "IND") & (f["year"] >= 1956), "milex_usd_m"].notna().all()
    assert f[["iso3", "year"]].dropna().duplicated().sum() == 0
    unresolved = [p for p in ld.problems if "ISO3" in p]
    assert len(unresolved) == 1 and "European Union" in unresolved[0]


@pytest.mark.realdata
def test_real_tiv(dynamics_dir: Path) -> None:
    imp = d.load_tiv("imports", dynamics_dir)
    exp = d.load_tiv("exports", dynamics_dir)
    assert imp.years() == (1950, 2022) and exp.years() == (1950, 2022)
    assert imp.extra["entities"] == 202 and exp.extra["entities"] == 137
    assert _row(imp.frame, "IND", 2022)["tiv_m"] == 2846.0
    assert d.series(imp.frame, ["PAK"], "tiv_m", 1950, 2022)["PAK"].notna().all()
    assert imp.frame[["iso3", "year"]].dropna().duplicated().sum() == 0
    assert all("ISO3" in p for p in imp.problems)  # only names of non-state actors and organisations


@pytest.mark.realdata
def test_real_nmc(dynamics_dir: Path) -> None:
    ld = d.load_nmc(dynamics_dir)
    assert len(ld.frame) == d.dataset_info("cow-nmc").expected_value("rows") == 15_951
    assert ld.years() == (1816, 2016)
    assert _row(ld.frame, "PAK", 2016)["cinc"] > 0


@pytest.mark.realdata
def test_real_idealpoints(dynamics_dir: Path) -> None:
    ld = d.load_idealpoints(dynamics_dir)
    assert len(ld.frame) == d.dataset_info("voeten-idealpoints").expected_value("rows") == 11_440
    w = d.series(ld.frame, ["PAK", "USA", "CHN", "IND"], "idealpoint_all", 1971, 2023)
    assert w.loc[2023].notna().all()
    with pytest.raises(InvalidInput, match="no idealpoint_all data for PAK in 2024-2024"):
        d.series(ld.frame, ["PAK"], "idealpoint_all", 2024, 2024)


@pytest.mark.realdata
def test_real_unvotes(dynamics_dir: Path) -> None:
    votes = d.load_votes(dynamics_dir)
    calls = d.load_roll_calls(dynamics_dir)
    info = d.dataset_info("unvotes")
    assert len(votes.frame) == info.expected_value("votes") == 869_937
    assert len(calls.frame) == info.expected_value("roll_calls") == 6_202
    assert calls.extra["issues_rows"] == info.expected_value("issues")
    assert (int(calls.frame["year"].min()), int(calls.frame["year"].max())) == (1946, 2019)
    assert int((votes.frame["iso3"] == "PAK").sum()) > 5_000
    assert set(votes.frame["vote"].cat.categories) == {"yes", "no", "abstain"}
    assert votes.frame["iso3"].isna().sum() < 100  # Zanzibar only
    assert calls.frame["issue"].notna().sum() > 4_000


@pytest.mark.realdata
def test_real_status(dynamics_dir: Path) -> None:
    out = {s.dataset: s for s in d.datasets_status(dynamics_dir)}
    assert all(s.found for s in out.values())
    assert out["unvotes"].counts == {"votes": 869_937, "roll_calls": 6_202, "issues": 5_745}
    assert out["cow-nmc"].rows == out["cow-nmc"].expected["rows"]
