"""``equilibrium evidence``: --json mirrors the API; user errors exit 2 with a clear message and no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equilibrium.cli.main import app


def run(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    res = cli.invoke(app, ["evidence", *args])
    return res.exit_code, res.stdout, res.stderr


def test_base_rate_json(cli: CliRunner, fixtures: Path) -> None:
    code, out, err = run(cli, "base-rate", "--dataset", "gsdb", "--path", str(fixtures / "GSDB_R3.csv"), "--json")
    assert code == 0, err
    data = json.loads(out)
    r = data["rates"]["success_total_share"]
    assert (r["k"], r["n"]) == (2, 5) and len(r["ci95"]) == 2 and r["ci95"][0] < 0.4 < r["ci95"][1]
    assert data["definition"]["name"] == "gsdb/concluded-pairs"


def test_base_rate_table_filters_and_groups(cli: CliRunner, fixtures: Path) -> None:
    code, out, err = run(cli, "base-rate", "-d", "ties", "--path", str(fixtures / "TIESv4.csv"), "--sender", "USA",
                         "--unilateral", "--by", "issue")
    assert code == 0, err
    assert "threats_not" in out and "By issue" in out and "Definition ties/stages" in out
    code, out, _ = run(cli, "base-rate", "-d", "ties", "--path", str(fixtures / "TIESv4.csv"), "--json",
                       "--issue", "13", "--since", "1990", "--until", "1991")
    data = json.loads(out)
    assert data["rows"] == 2 and data["filters"]["issue"]["slug"] == "trade_practices"


def test_empty_result_exits_0_with_n_zero(cli: CliRunner, fixtures: Path) -> None:
    code, out, err = run(cli, "base-rate", "-d", "ties", "--path", str(fixtures / "TIESv4.csv"), "--target", "FRA")
    assert code == 0 and "no rows match" in out and "0/0" in out
    code, out, _ = run(cli, "base-rate", "-d", "ties", "--path", str(fixtures / "TIESv4.csv"), "--target", "FRA",
                       "--json")
    data = json.loads(out)
    assert data["rows"] == 0 and all(r["n"] == 0 and r["share"] is None for r in data["rates"].values())


@pytest.mark.parametrize("args,needle", [
    (("base-rate", "-d", "ties", "--path", "{fx}/GSDB_R3.csv"), "looks like the GSDB R3 file"),
    (("base-rate", "-d", "ties", "--path", "{fx}/TIESv4.csv", "--target", "Pakistn"), "did you mean 'Pakistan'"),
    (("base-rate", "-d", "gsdb", "--path", "{fx}/GSDB_R3.csv", "--objective", "democrcy"), "'democracy'"),
    (("base-rate", "-d", "gsdb"), "gsdb@drexel.edu"),
    (("base-rate", "-d", "tie"), "unknown dataset 'tie'"),
    (("cases", "--target", "PAK"), "no evidence data set found"),
])
def test_errors_exit_2(cli: CliRunner, fixtures: Path, args: tuple[str, ...], needle: str) -> None:
    code, out, err = run(cli, *[a.format(fx=fixtures) for a in args])
    assert code == 2 and needle in err and "Traceback" not in err + out


def test_cases_and_datasets(cli: CliRunner, fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(cli, "cases", "--target", "PAK", "--dataset", "gsdb", "--path",
                         str(fixtures / "GSDB_R3.csv"), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["count"] == 1 and data["cases"][0]["case_id"] == "1"
    code, out, err = run(cli, "cases", "--target", "IND", "--dataset", "gsdb", "--path", str(fixtures / "GSDB_R3.csv"))
    assert code == 0 and "India (IND)" in out
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(fixtures))
    code, out, err = run(cli, "datasets", "--json")
    assert code == 0, err
    data = json.loads(out)["datasets"]
    assert data["gsdb"]["found"] and data["china-ties"]["found"] and not data["ties"]["found"]
    assert "sanctions.web.unc.edu" in data["ties"]["message"]
    code, out, _ = run(cli, "datasets")
    assert code == 0 and "gsdb" in out and "yes" in out and "no" in out


@pytest.mark.realdata
def test_real_headline_rates(cli: CliRunner, evidence_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(evidence_dir))
    code, out, err = run(cli, "base-rate", "--dataset", "eusanct", "--json")
    assert code == 0, err
    r = json.loads(out)["rates"]["hse_success_share"]
    assert (r["k"], r["n"]) == (133, 326)
    code, out, err = run(cli, "cases", "--target", "PAK", "--json")
    assert code == 0, err
    assert json.loads(out)["count"] > 40
