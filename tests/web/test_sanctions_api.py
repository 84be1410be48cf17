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


def test_network_pak(client, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path))  # no store: list entries are skipped, nothing created
    r = client.get("/api/sanctions/network", params={"country": "PAK"})
    assert r.status_code == 200
    body = r.json()
    assert body["country"] == "PAK" and body["counts"]["nodes"] == len(body["nodes"]) > 50
    ids = {n["id"] for n in body["nodes"]}
    assert {"sender:USA", "action:us-2024-12-18-ndc-sdn", "entity:OFAC-52049", "authority:E.O. 13382"} <= ids
    edges = {(e["source"], e["target"], e["kind"]) for e in body["edges"]}
    assert ("action:us-2024-12-18-ndc-sdn", "entity:OFAC-52049", "targets") in edges
    assert "ingest" in body["lists"]
    r = client.get("/api/sanctions/network", params={"country": "IND", "since": "2020"})
    assert r.status_code == 200
    assert all(n["date"] >= "2020" for n in r.json()["nodes"] if n["group"] == "action")


def test_network_bad_input_is_problem_json(client) -> None:  # type: ignore[no-untyped-def]
    for params in ({"country": "Pakistn"}, {"country": "PAQ"}, {"country": "PAK", "since": "yesterday"},
                   {"country": ""}, {"country": "x" * 100}, {"country": "PAK", "until": "2024-13-99x"}):
        r = client.get("/api/sanctions/network", params=params)
        assert 400 <= r.status_code < 500, (params, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.get("/api/sanctions/network", params={"country": "PAQ"})
    assert r.json()["suggestions"][0] == "PAK"


def test_screen_without_and_with_a_list(client, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path))
    r = client.get("/api/sanctions/screen", params={"q": "National Development Complex"})
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
    assert "equilibrium sanctions ingest" in r.json()["detail"]
    from equilibrium.sanctions.store import ingest

    p = tmp_path / "sdn_2025-01-02.csv"  # synthetic rows in the official layout (not real entries)
    p.write_text('52049,"NATIONAL DEVELOPMENT COMPLEX",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
                 '7,"GAMMA TRADING LTD",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\x1a', encoding="latin-1")
    ingest(p)
    r = client.get("/api/sanctions/screen", params={"q": "National Development Complex", "limit": 2})
    assert r.status_code == 200
    best = r.json()["candidates"][0]
    assert best["id"] == "OFAC-52049" and best["score"] > 0.7 and best["explanation"]
    body = r.json()
    assert [x["list"] for x in body["lists_loaded"]] == ["OFAC-SDN"] and body["lists_loaded"][0]["entities"] == 2
    stated = {d["name"]: d for d in body["defaults"]}
    assert stated["list:OFAC-SDN"]["value"].startswith("snapshot 2025-01-02, 2 entities")
    assert str(tmp_path) in stated["store"]["value"]
    bad: list[dict[str, object]] = [{"q": ""}, {"q": "NDC", "limit": 0}, {"q": "NDC", "schema": "Persn"},
                                    {"q": "NDC", "algorithm": "x"}, {}]
    for params in bad:
        r = client.get("/api/sanctions/screen", params=params)
        assert 400 <= r.status_code < 500, (params, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
