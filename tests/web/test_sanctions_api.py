"""HTTP API of the curated sanctions record: answers and problem+json for bad input."""

from __future__ import annotations


def test_actions_and_filters(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/sanctions/actions")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == len(body["actions"])
    r = client.get("/api/sanctions/actions", params={"target_country": "PAK", "since": "2023"})
    assert r.status_code == 200
    assert all(a["date"] >= "2023" for a in r.json()["actions"])


def test_asymmetry(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/sanctions/asymmetry", params=[("countries", "IND"), ("countries", "PAK")])
    assert r.status_code == 200
    assert set(r.json()["by_country"]) == {"IND", "PAK"}


def test_bad_input_is_problem_json(client) -> None:  # type: ignore[no-untyped-def]
    for params in ({"type": "wavier"}, {"since": "yesterday"}, {"target_country": "Pakistn"}):
        r = client.get("/api/sanctions/actions", params=params)
        assert 400 <= r.status_code < 500, (params, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.get("/api/sanctions/asymmetry")
    assert 400 <= r.status_code < 500
