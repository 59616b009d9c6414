import Foundation

/// The course graph as `Topologies/course.json` defines it (schema in `Topologies/README.md`), by peer number.
///
/// Only the parts the loopback tests use: each peer's neighbours in the file's edge order and the chunks it holds.
/// A missing or unreadable file leaves both empty, so the tests using them fail with what they expected.
struct CourseTopology: Sendable {
    /// Peer number -> neighbour peer numbers, in the order the peer floods them.
    let neighbours: [Int: [Int]]
    /// Peer number -> chunk ids it holds.
    let chunks: [Int: [UInt16]]

    private struct File: Decodable {
        struct Node: Decodable {
            let name: String
            let chunks: [UInt16]?
        }
        let nodes: [Node]
        let edges: [[String]]
    }

    init(file: URL) {
        guard let data = try? Data(contentsOf: file), let decoded = try? JSONDecoder().decode(File.self, from: data)
        else {
            neighbours = [:]
            chunks = [:]
            return
        }
        let number = { (name: String) in Int(name.dropFirst()) ?? 0 }
        var neighbours = [Int: [Int]]()
        for node in decoded.nodes { neighbours[number(node.name)] = [] }
        for edge in decoded.edges where edge.count == 2 {
            let (a, b) = (number(edge[0]), number(edge[1]))
            neighbours[a, default: []].append(b)
            neighbours[b, default: []].append(a)
        }
        self.neighbours = neighbours
        chunks = Dictionary(uniqueKeysWithValues: decoded.nodes.map { (number($0.name), $0.chunks ?? []) })
    }
}
