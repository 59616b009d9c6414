"""The course's chunk files and graph, as the sections that run course peers need them."""

import os

from bench import checkout  # noqa: F401  (puts Scripts/ on the import path)
import topology


def make_data_folder(course, root):
    """ROOT/data with the course chunks and key-values files side by side (as the tests make it)."""
    data = os.path.join(root, "data")
    os.makedirs(data, exist_ok=True)
    for sub in ("Chunks", "Key-values-files"):
        src = os.path.join(course, sub)
        for name in sorted(os.listdir(src)):
            os.symlink(os.path.join(src, name), os.path.join(data, name))
    return data


def course_graph():
    """(peer number -> neighbour numbers, peer number -> a chunk it holds), from Topologies/course.json."""
    course = topology.load(topology.COURSE_FILE)

    def number(name):
        return int(name.lstrip("p"))

    neighbours = {number(n.name): [number(m) for m in course.neighbours[n.name]] for n in course.nodes}
    return neighbours, {number(n.name): n.chunks[0] for n in course.nodes}
