"""Loaders on small synthetic files in the official layouts: codebook validation, reported rows, tidy columns, file
discovery, wrong files and missing files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from equilibrium.errors import DataError, InvalidInput, MissingDependency, NotFound
from equilibrium.evidence import load, load_dataset, locate
from equilibrium.evidence.loaders import EXTRA_COLUMNS, TIDY_COLUMNS


def test_gsdb_rows_with_bad_codes_are_reported_and_left_out(fixtures: Path) -> None:
    ld = load_dataset("gsdb", fixtures / "GSDB_R3.csv")
    bad = [p for p in ld.problems if p.action == "excluded"]
    assert [(p.row, p.case_id, p.column) for p in bad] == [(6, "5", "success"), (7, "6", "objective/success")]
    assert "succes_total" in str(bad[0]) and "not in the codebook list 'success'" in bad[0].reason
    assert "cannot be aligned" in bad[1].reason
    assert ld.rows_read == {None: 7} and ld.excluded == 2
    df = ld.frame
    assert len(df) == 7  # 5 valid cases, two of them with two objectives
    assert set(df["case_id"]) == {"1", "2", "3", "4", "7"}
    two = df[df["case_id"] == "2"].sort_values("pair")
    assert list(two["issue"]) == ["prevent_war", "policy_change"]
    assert list(two["outcome_code"]) == ["success_total", "success_part"]
    assert two.iloc[0]["senders"] == ("USA", "JPN") and two.iloc[0]["multilateral"]
    assert df[df["case_id"] == "7"].iloc[0]["senders"] == ("Commonwealth",)  # a non-state sender stays a name
    assert df[df["case_id"] == "3"].iloc[0]["senders"] == ("EU",)


def test_tidy_table_has_the_documented_columns(fixtures: Path) -> None:
    for ds, path in (("gsdb", "GSDB_R3.csv"), ("ties", "TIESv4.csv"), ("eusanct", "EUSANCT_Dataset_Case-level.csv"),
                     ("china-ties", ".")):
        df = load(ds, fixtures / path)
        assert list(df.columns) == list(TIDY_COLUMNS) + list(EXTRA_COLUMNS.get(ds, {})), ds
        assert df.attrs["dataset"] == ds and df.attrs["files"]
        assert str(df["start_year"].dtype) == "Int64" and str(df["imposed"].dtype) == "boolean"


def test_ties_codes_and_institutions(fixtures: Path) -> None:
    ld = load_dataset("ties", fixtures / "TIESv4.csv")
    assert [(p.row, p.column, p.value) for p in ld.problems if p.action == "excluded"] == [(7, "issue1", "99")]
    df = ld.frame.set_index("case_id")
    first = df.loc["1998051002"]
    assert first["target"] == "PAK" and first["senders"] == ("USA", "CAN") and first["multilateral"]
    assert first["issues"] == ("end_proliferation", "deny_strategic_materials")
    assert first["sanction_types"] == ("aid_termination", "export_restriction")  # imposed types 7 4
    assert first["outcome_code"] == 10 and first["stage"] == "imposed"
    eu = df.loc["1992010101"]
    assert eu["senders"] == ("EU",) and eu["target"] == "USA"  # 1000 and institution 1830 both mean the EU
    assert df.loc["1993010101"]["ongoing"] and df.loc["1991010101"]["sanction_types"] == ("import_restriction",
                                                                                         "export_restriction")


def test_eusanct_consistency_check(fixtures: Path) -> None:
    ld = load_dataset("eusanct", fixtures / "EUSANCT_Dataset_Case-level.csv")
    reasons = {p.case_id: p.reason for p in ld.problems if p.action == "excluded"}
    assert "policyresult x sanctioncontribution" in reasons["2001010101"]
    assert "not in the codebook list 'finaloutcome'" in reasons["2002010101"]
    df = ld.frame.set_index("case_id")
    assert df.loc["2000010101"]["senders"] == ("EU", "USA", "UN") or set(df.loc["2000010101"]["senders"]) == {
        "EU", "USA", "UN"}
    assert df.loc["2000010101"]["primary_sender"] == "EU"
    assert df.loc["1998051001"]["sanction_types"] == ("type_8", "type_9")


def test_china_files_from_a_folder_and_singly(fixtures: Path) -> None:
    ld = load_dataset("china-ties", fixtures)
    assert set(ld.files) == {"sender", "target"} and ld.rows_read == {"sender": 4, "target": 2}
    probs = {(Path(p.file).name, p.row, p.column, p.action) for p in ld.problems if p.action != "warning"}
    assert probs == {("CESv1Sender_2025c.csv", 5, "startyear", "excluded"),
                     ("CESv1Target_2025c.csv", 3, "issue1", "blanked")}
    df = ld.frame
    assert set(df["role"]) == {"sender", "target"}
    tgt = df[df["role"] == "target"].set_index("case_id")
    assert tgt.loc["202006750710"]["senders"] == ("IND",) and pd.isna(tgt.loc["202006750710"]["issue"])
    assert all(t == ("CHN",) for t in tgt["targets"])
    only = locate("china-ties", fixtures / "CESv1Target_2025c.csv")
    assert list(only) == ["target"]
    single = load_dataset("china-ties", fixtures / "CESv1Target_2025c.csv")
    assert single.missing_roles == ["sender"] and len(single.frame) == 2


def test_cp1252_file_is_read(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "CESv1Sender_2025c.csv").read_text(encoding="utf-8")
    text = text.replace("12-3 Incident in Macau (Portugal)", "UNSC: Côte d'Ivoire EP1 \u2014 test")
    (tmp_path / "CESv1Sender_2025c.csv").write_bytes(text.encode("cp1252"))
    df = load("china-ties", tmp_path / "CESv1Sender_2025c.csv")
    assert "UNSC: Côte d'Ivoire EP1 \u2014 test" in set(df["name"])


def test_data_dir_discovery(fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "evidence" / "china_ties").mkdir(parents=True)
    shutil.copy(fixtures / "GSDB_R3.csv", tmp_path / "evidence" / "GSDB_R3.csv")
    for f in ("CESv1Sender_2025c.csv", "CESv1Target_2025c.csv"):
        shutil.copy(fixtures / f, tmp_path / "evidence" / "china_ties" / f)
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(tmp_path))
    assert locate("gsdb") == {None: tmp_path / "evidence" / "GSDB_R3.csv"}
    assert set(locate("china-ties")) == {"sender", "target"}
    with pytest.raises(MissingDependency, match="TIES") as exc:  # DataFileMissing: 503, one form for missing data
        locate("ties")
    assert "sanctions.web.unc.edu" in str(exc.value) and f"EQUILIBRIUM_DATA_DIR={tmp_path}" in str(exc.value)


@pytest.mark.parametrize("dataset,publisher", [
    ("gsdb", "gsdb@drexel.edu"), ("ties", "University of North Carolina"),
    ("eusanct", "University of Konstanz"), ("china-ties", "github.com/Trade-War-Lab/China-TIES")])
def test_missing_file_names_the_publisher(dataset: str, publisher: str) -> None:
    with pytest.raises(MissingDependency) as exc:
        load(dataset)
    msg = str(exc.value)
    assert publisher in msg and "cannot redistribute" in msg and "--path" in msg


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        load("gsdb", tmp_path / "nope.csv")


def test_wrong_file_for_the_dataset(fixtures: Path) -> None:
    with pytest.raises(DataError) as exc:
        load("ties", fixtures / "GSDB_R3.csv")
    err = exc.value
    assert str(fixtures / "GSDB_R3.csv") in str(err) and "is not a TIES v4 file" in str(err)
    assert any(e.startswith("missing columns: caseid") for e in err.errors)
    assert any(e.startswith("unexpected columns: case_id") for e in err.errors)
    assert any("looks like the GSDB R3 file (dataset 'gsdb'" in e for e in err.errors)
    with pytest.raises(DataError, match="China-TIES"):
        load("eusanct", fixtures / "CESv1Sender_2025c.csv")


def test_unrelated_file(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="does not look like any of the four"):
        load("gsdb", f)


def test_unknown_dataset() -> None:
    with pytest.raises(NotFound, match="did you mean 'ties'"):
        load("tie")
