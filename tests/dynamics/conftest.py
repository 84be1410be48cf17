"""Fixtures for the dynamics tests: the real data sets in ../shared/data/dynamics (skipped when absent) and small
synthetic files in the official layouts: TIV and NMC CSVs in tests/fixtures/dynamics, a SIPRI-like workbook and a
Voeten-like .dta written into tmp_path (openpyxl, pandas.to_stata)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dynamics"

MILEX_YEARS = (1990, 1991, 1992, 2022, 2023)
BLUE, RED = 12, 10  # the indexed font colours SIPRI uses for estimates and highly uncertain figures

# country, notes, constant (2022) US$ m per year, share of GDP (fraction) per year; (value, colour) where coloured
MILEX_ROWS: list[tuple[str, str, list[object], list[object]]] = [
    ("India", "59", ["...", 10000.5, (11000.0, BLUE), 79976.79, 83334.46],
     ["...", 0.031, 0.03, 0.0236, 0.0244]),
    ("Pakistan", "§60", [". .", (3000.0, RED), 3100.0, 10358.14, 9025.07],
     [". .", 0.06, 0.058, (0.0316, BLUE), 0.028]),
    ("China", "55", ["xxx", (20000.0, BLUE), (21000.0, BLUE), (291958.43, BLUE), (309484.32, BLUE)],
     ["xxx", (0.025, BLUE), 0.024, 0.0162, 0.0167]),
    ("USSR", "", [300000.0, 250000.0, "xxx", "xxx", "xxx"], [0.12, 0.1, "xxx", "xxx", "xxx"]),
    ("Russia", "‖", ["...", "...", 60000.0, 80000.0, 100000.0], ["...", "...", 0.05, 0.04, 0.059]),
    ("Atlantis", "", [1.0, 2.0, 3.0, 4.0, 5.0], [0.01, 0.01, 0.01, 0.01, 0.01]),
    ("Bhutan", "", ["...", "...", "...", "...", "abc"], ["...", "...", "...", "...", "..."]),
]


@pytest.fixture(autouse=True)
def _no_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's $EQUILIBRIUM_DATA_DIR by accident."""
    monkeypatch.delenv("EQUILIBRIUM_DATA_DIR", raising=False)


@pytest.fixture
def fixtures() -> Path:
    """The synthetic dynamics files (TIV, NMC; ``bad/`` holds files with the wrong columns)."""
    return FIXTURES


@pytest.fixture
def dynamics_dir(shared_data: Path) -> Path:
    """``../shared/data/dynamics`` (skips with a reason when absent)."""
    p = shared_data / "dynamics"
    if not p.is_dir():
        pytest.skip(f"real dynamics data folder {p} is absent")
    return p


def write_milex(path: Path, *, constant_sheet: str = "Constant (2022) US$") -> Path:
    """A SIPRI-like workbook: title rows 1-5, header row 6, region headings, coloured estimates, SIPRI markers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.styles.colors import Color

    wb = Workbook()
    front = wb.active
    assert front is not None
    front.title = "Front page"
    front["A1"] = "SIPRI Military Expenditure Database (synthetic test copy)"
    for title, blank_col, share in ((constant_sheet, True, False), ("Share of GDP", False, True)):
        ws = wb.create_sheet(title)
        ws["A1"] = f"Military expenditure by country, {title}, 1949-2023 (synthetic)"
        ws["A3"] = "Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain data."
        ws["A4"] = '". ." = data unavailable. "xxx" = country did not exist or was not independent.'
        head: list[object] = ["Country", ""] if blank_col else ["Country"]
        ws.append([])  # row 5
        ws.cell(row=5, column=1, value="")
        for j, v in enumerate([*head, "Notes", *[float(y) for y in MILEX_YEARS]], start=1):
            ws.cell(row=6, column=j, value=v)
        ws.cell(row=8, column=1, value="Asia & Oceania")
        ws.cell(row=9, column=1, value="South Asia")
        r = 10
        for country, notes, const, shares in MILEX_ROWS:
            ws.cell(row=r, column=1, value=country)
            ws.cell(row=r, column=len(head) + 1, value=notes)
            for k, v in enumerate(shares if share else const):
                c = ws.cell(row=r, column=len(head) + 2 + k)
                if isinstance(v, tuple):
                    c.value = v[0]
                    c.font = (Font(color=Color(indexed=v[1])) if not share
                              else Font(color="FF0000FF" if v[1] == BLUE else "FFFF0000"))
                else:
                    c.value = v
            r += 1
    fn = wb.create_sheet("Footnotes")
    fn["A1"] = "Footnotes and special notes"
    fn.append(["§", "Figures for these countries are for the adopted budget"])
    fn.append([59.0, "India: a synthetic footnote."])
    wb.save(path)
    return path


@pytest.fixture
def milex_file(tmp_path: Path) -> Path:
    """A synthetic SIPRI workbook under its usual name."""
    return write_milex(tmp_path / "SIPRI-Milex-data-1949-2023.xlsx")


@pytest.fixture
def idealpoints_file(tmp_path: Path) -> Path:
    """A synthetic Voeten ideal-point file (Stata .dta, the July 2025 columns)."""
    import pandas as pd

    df = pd.DataFrame({
        "ccode": [770, 770, 770, 750, 750, 2, 2, 260, 255, 817],
        "iso3c": ["PAK", "PAK", "PAK", "IND", "IND", "USA", "USA", "DEU", "DEU", ""],
        "countryname": ["Pakistan", "Pakistan", "Pakistan", "India", "India", "United States", "United States",
                        "German Federal Republic", "Germany", "Republic of Vietnam"],
        "year": [2022.0, 2023.0, 2024.0, 2022.0, 2023.0, 2022.0, 2023.0, 1990.0, 1990.0, 1974.0],
        "idealpointall": [-0.83, -0.57, float("nan"), -0.5, -0.4, 2.9, 3.0, 1.2, 1.1, 0.5],
        "idealpointfp": [-0.75, -0.37, -0.34, -0.45, -0.35, 2.8, 2.95, 1.1, 1.0, 0.4],
        "q5all": [-0.9, -0.7, float("nan"), -0.6, -0.5, 2.7, 2.8, 1.0, 0.9, 0.3],
        "q95all": [-0.7, -0.4, float("nan"), -0.4, -0.3, 3.1, 3.2, 1.4, 1.3, 0.7],
        "nvotesall": [150.0, 140.0, float("nan"), 150.0, 140.0, 150.0, 140.0, 60.0, 20.0, 90.0],
    })
    path = tmp_path / "IdealpointsJuly2025.dta"
    df.to_stata(path, write_index=False, version=118)
    return path


@pytest.fixture
def milex_writer() -> object:
    """:func:`write_milex` itself, to write variants (another sheet name)."""
    return write_milex
