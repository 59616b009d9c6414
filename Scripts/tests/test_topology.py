"""Scripts/topology.py: the course file, the generators, the walk-tree counts and the errors on bad files."""
import json
import os
import re
import subprocess

import pytest

import topology
from conftest import ROOT, SCRIPTS


def write_file(tmp_path, text):
    path = tmp_path / "t.json"
    path.write_text(text)
    return str(path)


def run_tool(*args):
    return subprocess.run(["/usr/bin/python3", os.path.join(SCRIPTS, "topology.py"), *args],
                          capture_output=True, text=True, timeout=60)


def test_course_file_is_the_protocol_graph():
    course = topology.load(topology.COURSE_FILE)
    assert course.neighbours == {"p1": ["p3", "p2"], "p2": ["p1", "p5"], "p3": ["p1", "p5"], "p4": ["p5"],
                                 "p5": ["p2", "p3", "p4"]}
    assert [n.endpoint() for n in course.nodes] == [f"10.0.0.{n}:500{n}" for n in range(1, 6)]
    assert course.key_values("p2") == "1: BigBuckBunny_1.m4s\n2: BigBuckBunny_2.m4s\n"


def test_course_key_values_match_the_course_fixtures():
    course = topology.load(topology.COURSE_FILE)
    fixtures = os.path.join(ROOT, "..", "shared", "fixtures", "course", "Key-values-files")
    for n in range(1, 6):
        with open(os.path.join(fixtures, f"key-values-files_peer{n}")) as f:
            ids = [int(line.split(":")[0]) for line in f.read().splitlines() if line.strip()]
        assert course.by_name[f"p{n}"].chunks == ids


def test_docker_compose_peers_match_the_course_file():
    course = topology.load(topology.COURSE_FILE)
    with open(os.path.join(ROOT, "docker-compose.yml")) as f:
        compose = f.read()
    for node in course.nodes:
        pattern = rf'^  {node.name}:\n(?:    .*\n)*?    command: \["(\d+)", (.*?), "--trace-dir"'
        match = re.search(pattern, compose, re.M)
        assert match, f"no command for {node.name} in docker-compose.yml"
        assert match.group(1) == node.name[1:]
        neighbours = [n.strip(' "') for n in match.group(2).split(",")]
        assert neighbours == [course.by_name[m].endpoint() for m in course.neighbours[node.name]]
        assert f"ipv4_address: {node.address}}}" in compose


def test_course_flood_from_p4_matches_the_course_trees():
    course = topology.load(topology.COURSE_FILE)
    flood = topology.expected_flood(course, "p4", 3, [1, 3, 4, 5, 9])
    # p4 -> p5 (ttl 3) -> p2, p3 (ttl 2) -> p1 twice (ttl 1): five queries, p1 gets one duplicate.
    assert flood["received"] == {"p5": 1, "p2": 1, "p3": 1, "p1": 2}
    assert (flood["queries"], flood["peers_reached"], flood["duplicates"], flood["expired"]) == (5, 5, 1, 2)
    assert flood["chunk_infos"] == 5
    assert topology.expected_flood(course, "p4", 1, [])["received"] == {"p5": 1}
    assert topology.expected_flood(course, "p4", 2, [])["coverage"] == 4 / 5


def test_regular_graph_flood_is_d_plus_d_d_minus_one_terms():
    document = topology.generate("regular:40,4", seed=7, placement_spec="random:5,2")
    graph = topology.parse(document)
    assert all(graph.degree(n.name) == 4 for n in graph.nodes)
    for ttl, want in [(1, 4), (2, 4 + 12), (3, 4 + 12 + 36), (4, 4 + 12 + 36 + 108)]:
        assert topology.expected_flood(graph, "p1", ttl)["queries"] == want


@pytest.mark.parametrize("spec,nodes,links", [
    ("line:5", 5, 8), ("ring:12", 12, 24), ("star:6", 6, 10), ("grid:3x4", 12, 34), ("tree:10", 10, 18),
    ("complete:5", 5, 20), ("regular:20,4", 20, 80), ("er:30,0.2", 30, None), ("ba:30,2", 30, 2 * 2 * 28 - 0)])
def test_generators_make_connected_graphs(tmp_path, spec, nodes, links):
    result = run_tool("generate", spec, "--seed", "3", "--placement", "random:10,2")
    assert result.returncode == 0, result.stderr
    graph = topology.load(write_file(tmp_path, result.stdout))
    assert len(graph.nodes) == nodes and not topology.unreachable(graph)
    if links is not None:
        assert len(graph.links) == links
    assert all(sum(c in n.chunks for n in graph.nodes) == 2 for c in range(1, 11))


def test_generators_are_seeded():
    assert topology.generate("er:30,0.2", seed=5) == topology.generate("er:30,0.2", seed=5)
    assert topology.generate("er:30,0.2", seed=5)["edges"] != topology.generate("er:30,0.2", seed=6)["edges"]


def test_placements():
    one = topology.parse(topology.generate("ring:4", placement_spec="one:3"))
    assert [n.chunks for n in one.nodes] == [[1, 2, 3], [], [], []]
    course = topology.parse(topology.generate("line:6", placement_spec="course"))
    assert course.nodes[5].chunks == [5, 6, 7, 8] and course.chunk_file == "BigBuckBunny_{id}.m4s"
    with pytest.raises(topology.TopologyError, match="random:K,R"):
        topology.generate("ring:4", placement_spec="random:3,9")


NODES = '''{
  "nodes": [
    {"name": "a", "address": "10.0.0.1", "port": 5001},
    {"name": "b", "address": "10.0.0.2", "port": 5002},
    %s
  ],
  "edges": [
    ["a", "b"],
    %s
  ]
}'''


@pytest.mark.parametrize("node,edge,message", [
    ('{"name": "c", "address": "10.0.0.3", "port": 5003}', '["b", "x"]', r"t.json:9: edge b - x: unknown node 'x'"),
    ('{"name": "c", "address": "10.0.0.1", "port": 5001}', '["b", "c"]',
     r"t.json:5: node c: duplicate address 10.0.0.1:5001 \(also node a\)"),
    ('{"name": "c", "address": "10.0.0.3", "port": 70000}', '["b", "c"]', r"t.json:5: node c: port 70000 is out"),
    ('{"name": "b", "address": "10.0.0.3", "port": 5003}', '["a", "b"]', r"t.json:5: node b is listed twice"),
    ('{"name": "c", "address": "10.0.0.300", "port": 5003}', '["b", "c"]', r"t.json:5: node c: address"),
    ('{"name": "c", "address": "10.0.0.3", "port": 5003}', '{"from": "b", "to": "c", "loss": "lots"}',
     r"t.json:9: edge b - c: loss 'lots'"),
])
def test_bad_files_name_line_and_node(tmp_path, node, edge, message):
    path = write_file(tmp_path, NODES % (node, edge))
    with pytest.raises(topology.TopologyError, match=message):
        topology.load(path)
    result = run_tool("check", path)
    assert result.returncode == 1 and re.search(message, result.stderr)


def test_disconnected_graph_is_refused_when_connectivity_is_asked(tmp_path):
    text = NODES % ('{"name": "c", "address": "10.0.0.3", "port": 5003}', '["a", "b"]')
    assert topology.load(write_file(tmp_path, text))
    data = json.loads(text)
    data["connected"] = True
    with pytest.raises(topology.TopologyError, match=r"must be connected.*cannot be reached from a: c"):
        topology.load(write_file(tmp_path, json.dumps(data)))


def test_directed_edges_flood_one_way():
    data = {"directed": True, "nodes": [{"name": n, "address": f"10.0.0.{i}", "port": 5000 + i}
                                        for i, n in enumerate("abc", 1)],
            "edges": [["a", "b"], ["b", "c"]]}
    graph = topology.parse(data)
    assert graph.neighbours == {"a": ["b"], "b": ["c"], "c": []}
    assert topology.expected_flood(graph, "a", 3)["received"] == {"b": 1, "c": 1}
