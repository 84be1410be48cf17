"""Codebooks: valid, every source id resolves, and (real data) each file's columns are exactly the codebook's."""

from __future__ import annotations

from pathlib import Path

import pytest

from equilibrium.errors import DataError
from equilibrium.evidence import DATASETS, check_codebooks, codebook
from equilibrium.evidence.codebooks import load_codebook
from equilibrium.evidence.loaders import read_table


def test_codebooks_validate_with_sources() -> None:
    assert len(check_codebooks()) == 4
    for ds in DATASETS:
        cb = codebook(ds)
        assert cb.publisher and cb.obtain and cb.url.startswith("http") and cb.unit
        for lay in cb.layouts:
            assert len(set(lay.columns)) == len(lay.columns)
            for v in lay.variables:
                assert v.meaning and v.source in cb.sources
        assert cb.summary()["dataset"] == ds and cb.to_dict()["codelists"]


def test_outcome_codes() -> None:
    ties = codebook("ties")
    assert [c.stage for c in ties.codes("finaloutcome").values()] == ["threat"] * 5 + ["imposed"] * 5
    assert ties.label("finaloutcome", 8.0) == "Capitulation by sender after imposition"
    assert ties.find_code("issue", "Deny strategic materials").code == "6"  # type: ignore[union-attr]
    assert set(codebook("gsdb").codes("success")) == {"success_total", "success_part", "nego_settlement", "failed",
                                                      "ongoing"}
    assert "sanctiontype" in ties.unchecked_lists and "issue" not in ties.unchecked_lists


def test_invalid_codebook_names_file_and_line(tmp_path: Path) -> None:
    src = codebook("gsdb").path.read_text(encoding="utf-8")
    bad = tmp_path / "gsdb.yml"
    bad.write_text(src.replace("type: flag", "type: flagg", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_codebook(bad)
    assert any(f"{bad}:" in e and "type" in e for e in exc.value.errors)
    bad.write_text(src.replace("sources: [gsdb-r3-dataset", "sources: [no-such-source", 1), encoding="utf-8")
    with pytest.raises(DataError, match="unresolved source id 'no-such-source'"):
        load_codebook(bad, check_sources=True)


@pytest.mark.realdata
def test_real_files_match_their_codebooks(evidence_dir: Path) -> None:
    files = {("gsdb", None): evidence_dir / "GSDB_R3.csv", ("ties", None): evidence_dir / "TIESv4.xls",
             ("eusanct", None): evidence_dir / "EUSANCT_Dataset_Case-level.xls",
             ("china-ties", "sender"): evidence_dir / "china_ties" / "CESv1Sender_2025c.csv",
             ("china-ties", "target"): evidence_dir / "china_ties" / "CESv1Target_2025c.csv"}
    for (ds, role), path in files.items():
        cols = list(read_table(path).columns)
        assert cols == list(codebook(ds).layout(role).columns), (ds, role)


def test_per_dataset_facts_are_data() -> None:
    from equilibrium.evidence.rates import definition

    for ds in DATASETS:
        cb = codebook(ds)
        assert cb.display_label and cb.headline.why and cb.headline.verb and cb.by
        assert cb.headline.rate in {r.name for r in definition(ds).rates}
        assert all(cb.id_column in lay.columns for lay in cb.layouts)
        slugs = {c.slug for c in cb.codelists[cb.issue_list].values()}
        assert cb.goal_groups and all(set(g.codes) <= slugs for g in cb.goal_groups)
    # GSDB's headline counts both success codes its own codebook lists (see gsdb.yml headline.why)
    assert codebook("gsdb").headline.rate == "success_any_share"
    assert codebook("china-ties").goal_group("nonproliferation").role == "target"


def test_bad_facts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import equilibrium.evidence.codebooks as cbm

    src = codebook("gsdb").path.read_text(encoding="utf-8")
    bad = tmp_path / "gsdb.yml"
    bad.write_text(src.replace("id_column: case_id", "id_column: caseid", 1)
                   .replace("codes: [prevent_war]", "codes: [prevent_wars]", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_codebook(bad)
    assert any("id_column 'caseid'" in e for e in exc.value.errors)
    assert any("prevent_wars" in e and f"{bad}:" in e for e in exc.value.errors)
    bad.write_text(src.replace("  rate: success_any_share", "  rate: success_some_share", 1), encoding="utf-8")
    real = cbm.codebook_path
    monkeypatch.setattr(cbm, "codebook_path", lambda d: bad if d == "gsdb" else real(d))
    with pytest.raises(DataError, match="success_some_share") as exc:
        check_codebooks()
    assert any(f"{bad}:" in e and "headline" in e for e in exc.value.errors)
