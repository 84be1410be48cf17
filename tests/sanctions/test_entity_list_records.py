"""The Entity List additions of Pakistani entities in the curated record (December 2016, March 2018, October 2024):
citations, dates, counts and names as recorded, their sources, and what stays unverified.

None of the three Federal Register rules was read (see the records' notes): the March 2018 citation 83 FR 12475
rests on BIS's page of Federal Register notices and a law-firm summary, the names of 2016 and 2018 on press reports
quoting the notifications, and the October 2024 record on press reports of the BIS statement. So every action
stays ``unverified`` and no Federal Register citation is recorded for 2016 or 2024.
"""

from __future__ import annotations

import pytest

from equilibrium.provenance import bibliography
from equilibrium.provenance.bibliography import Bibliography
from equilibrium.sanctions import record
from equilibrium.sanctions.analytics import is_proliferation
from equilibrium.sanctions.record import Row

EL = "Entity List"


def _row(action_id: str) -> Row:
    return next(r for r in record() if r.action.id == action_id)


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    return bibliography()


def _entity_list_pak() -> list[Row]:
    return [r for r in record() if r.action.implementing_list == EL and r.action.sender == "USA"
            and any(t.country == "PAK" for t in r.action.targets)]


def test_the_pakistani_entity_list_additions_since_2000() -> None:
    ids = [r.action.id for r in _entity_list_pak() if r.year >= 2000]
    assert ids == ["us-2016-12-15-entity-list-pak", "us-2018-03-22-entity-list-pak",
                   "us-2024-10-21-entity-list-pak-missile"]
    for r in _entity_list_pak():
        a = r.action
        assert a.type == "designation" and a.agency.startswith("US Department of Commerce")
        # Entity List entries are not in the shared lists: every target says so instead of a list id.
        assert all(t.unlisted and t.list_id is None and "Entity List" in (t.note or "") for t in a.targets)


def test_december_2016_record() -> None:
    r = _row("us-2016-12-15-entity-list-pak")
    a, n = r.action, r.announcement
    assert n.id == "us-bis-2016-12-15-entity-list-pak" and n.date_announced == "2016-12-15"
    assert n.official_source is None  # no official text was read
    assert a.date_effective == "2016-12" and a.unverified
    assert {t.country for t in a.targets} == {"PAK"} and len(a.targets) == 7
    names = {t.name: t for t in a.targets}
    assert set(names) == {"Ahad International", "Air Weapons Complex", "Engineering Solutions Pvt. Ltd.",
                          "Maritime Technology Complex", "National Engineering and Scientific Commission",
                          "New Auto Engineering", "Universal Tooling Services"}
    assert names["National Engineering and Scientific Commission"].aliases == ["NESCOM"]
    assert names["Universal Tooling Services"].aliases == ["Forward Design and Manufacturing", "MSM Enterprises",
                                                           "Technopak Engineering"]
    assert not any(t.state for t in a.targets)  # not stated per entry in the passages read
    assert is_proliferation(r)  # programme: missile technology proliferation (the press's reading)
    # No Federal Register citation is claimed; the note says the rule was not read.
    assert " FR " not in (a.note or "") and "not read" in (a.note or "")
    assert a.sources == ["dawn-2016-12-entity-list-pak", "hindustantimes-2016-12-entity-list-pak",
                         "nation-2017-01-01-entity-list-pak", "kcl-alpha-2016-12-entity-list-pak"]


def test_december_2016_sources(bib: Bibliography) -> None:
    kinds = {i: bib.get(i).kind for i in ("dawn-2016-12-entity-list-pak", "hindustantimes-2016-12-entity-list-pak",
                                       "nation-2017-01-01-entity-list-pak", "kcl-alpha-2016-12-entity-list-pak")}
    assert kinds == {"dawn-2016-12-entity-list-pak": "press", "hindustantimes-2016-12-entity-list-pak": "press",
                     "nation-2017-01-01-entity-list-pak": "press", "kcl-alpha-2016-12-entity-list-pak": "analyst"}
    assert bib.get("nation-2017-01-01-entity-list-pak").date == "2017-01-01"
    assert bib.get("dawn-2016-12-entity-list-pak").date is None  # not in the passage read
    assert "December 15" in (bib.get("hindustantimes-2016-12-entity-list-pak").note or "")


def test_march_2018_record(bib: Bibliography) -> None:
    r = _row("us-2018-03-22-entity-list-pak")
    a, n = r.action, r.announcement
    assert n.date_announced == a.date_effective == "2018-03-22"
    assert a.unverified  # the rule text was not read
    assert "83 FR 12475" in (a.note or "") and "83 FR 12475" in (n.note or "")
    assert "23 additions" in (a.note or "") and "15 South Sudanese" in (a.note or "")
    assert [t.name for t in a.targets] == ["Mushko Electronics Pvt. Ltd.", "Solutions Engineering", "Akhtar & Munir",
                                           "Proficient Engineers", "Pervaiz Commercial Trading Co.",
                                           "Marine Systems Pvt. Ltd.", "Engineering and Commercial Services"]
    assert {t.country for t in a.targets} == {"PAK"}  # the Singapore affiliate is in the note, not a target
    assert "Mushko Logistics Pvt. Ltd." in (a.note or "")
    assert is_proliferation(r)
    # The citation's official source: BIS's page of Federal Register notices.
    src = bib.get("bis-fr-notices-2018-83fr12475")
    assert src.kind == "official" and "83 FR 12475" in src.title
    assert (src.url or "").startswith("https://www.bis.doc.gov/")
    assert "bis-fr-notices-2018-83fr12475" in a.sources and "bis-fr-notices-2018-83fr12475" in n.secondary_sources
    # The press sources stay, as secondary.
    for sid in ("pakistantoday-2018-03-25-entity-list", "dailytimes-2018-03-26-entity-list",
                "dawn-2018-03-entity-list-pak", "arabnews-2018-03-entity-list-pak",
                "thenation-uk-2018-03-31-entity-list"):
        assert sid in a.sources and sid in n.secondary_sources and bib.get(sid).kind == "press"
    assert bib.get("cmtradelaw-2018-03-entity-list").kind == "analyst"
    assert "22 March" in (bib.get("cmtradelaw-2018-03-entity-list").note or "")


def test_october_2024_record_unchanged() -> None:
    r = _row("us-2024-10-21-entity-list-pak-missile")
    a = r.action
    assert a.unverified and a.date_effective == "2024-10-21"
    # Two group entries (7 ballistic-missile contributors, 9 AERO fronts): 16 Pakistani entities of 26.
    assert len(a.targets) == 2 and a.targets[0].name.endswith("(7)") and a.targets[1].name.endswith("(9)")
    assert "26 additions" in (r.announcement.note or "")
    assert "not read" in (a.note or "")


def test_asymmetry_lists_and_can_leave_out_unverified_actions() -> None:
    """The asymmetry count names its unverified actions (the Entity List additions among them) and ``verified_only``
    leaves exactly those out."""
    from equilibrium.sanctions.analytics import asymmetry

    every = asymmetry(["IND", "PAK"], since="1998")["by_country"]
    only = asymmetry(["IND", "PAK"], since="1998", verified_only=True)["by_country"]
    for iso in ("IND", "PAK"):
        unv = every[iso]["unverified"]
        assert unv["count"] == len(unv["actions"])
        assert only[iso]["total"] == every[iso]["total"] - unv["count"]
        assert only[iso]["unverified"] == {"count": 0, "actions": []}
        assert all(_row(a).action.unverified for a in unv["actions"])
    entity_list = {"us-2016-12-15-entity-list-pak", "us-2018-03-22-entity-list-pak"}
    assert entity_list <= set(every["PAK"]["unverified"]["actions"])
