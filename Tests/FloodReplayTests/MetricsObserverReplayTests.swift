import ChunkMetrics
import ChunkNode
import ChunkTrace
import NodeObservers
import Testing

@testable import FloodReplay

/// The network view's metrics, counted live by `MetricsObserver` on the real drivers, against what `p2ptrace replay`
/// rebuilds from the same run's traces.
@Suite("Live flood metrics agree with replay")
struct MetricsObserverReplayTests {
    /// Every node's metrics, kept beside the simulated network.
    final class Registry: @unchecked Sendable {
        var metrics: [String: NodeMetrics] = [:]

        func observers(_ node: NodeAddress, _ role: TraceRole) -> [any NodeObserver] {
            let neighbors = NetworkSimulator.coursePeers.first { $0.address == node.description }?.neighbors ?? []
            let metrics = NodeMetrics(
                role: role == .peer ? .peer : .client, version: "sim", dropReasons: DropReason.allLabels,
                node: node.description, neighbors: neighbors)
            self.metrics[node.description] = metrics
            let addresses = neighbors.map(NetworkSimulator.address)
            return [MetricsObserver(metrics: metrics, neighbors: addresses)]
        }

        /// The value of the sample `name{labels}` exactly as rendered (labels in registration order).
        func value(_ node: String, _ series: String) -> Double? {
            let text = String(decoding: metrics[node]?.render() ?? [], as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "") }
        }

        /// Datagrams `node` sent to (or received from) `neighbor`, all types.
        func link(_ node: String, _ direction: String, _ neighbor: String) -> Double {
            ["hello", "query", "chunk_info", "get", "response"].reduce(0) { sum, type in
                let labels = #"{node="\#(node)",neighbor="\#(neighbor)",type="\#(type)"}"#
                return sum + (value(node, "p2p_neighbor_datagrams_\(direction)_total" + labels) ?? .nan)
            }
        }
    }

    static let p4 = "10.0.0.4:5004"
    static let p5 = "10.0.0.5:5005"

    /// The two example clients on the course topology; the first QUERY from p5 to p4 is lost.
    static func run() -> (Registry, ReplayReport, lost: Int) {
        let registry = Registry()
        let simulator = NetworkSimulator.course(observers: registry.observers)
        var lost = 0
        simulator.drops = { message, from, to in
            guard case .query = message, from.description == p5, to.description == p4, lost == 0 else { return false }
            lost += 1
            return true
        }
        simulator.startClient("10.0.0.6:40000", contact: p4, chunks: [1, 3, 4, 5, 9])
        simulator.run(finish: false)
        simulator.startClient("10.0.0.7:40000", contact: "10.0.0.1:5001", chunks: [5, 6, 7])
        simulator.run()
        return (registry, FloodReplayer().replay(events: simulator.events), lost)
    }

    @Test("duplicate QUERYs counted by the peers equal the duplicates replay finds, flood by flood summed")
    func duplicatesMatchReplay() throws {
        let (registry, report, _) = Self.run()
        #expect(report.floods.count == 2)
        let replayed = report.floods.map(\.summary.duplicates).reduce(0, +)
        let counted = NetworkSimulator.coursePeers.map {
            registry.value($0.address, "p2p_queries_duplicate_total") ?? 0
        }
        #expect(replayed > 0)
        #expect(Int(counted.reduce(0, +)) == replayed, "per peer: \(counted), replay: \(replayed)")
        let floods = NetworkSimulator.coursePeers.map { registry.value($0.address, "p2p_floods_started_total") ?? 0 }
        #expect(floods.reduce(0, +) == 2)
    }

    @Test("a HELLO the client re-sends a second later starts a new flood for the metrics too, as for replay")
    func helloRetryIsANewFlood() throws {
        let registry = Registry()
        let simulator = NetworkSimulator.course(observers: registry.observers)
        simulator.startClient("10.0.0.6:40000", contact: Self.p4, chunks: [1, 3, 4, 5, 9], helloRetries: 1)
        simulator.run(finish: false)
        simulator.advance(by: 1_100_000)
        simulator.run()
        let floods = FloodReplayer().replay(events: simulator.events).floods
        #expect(floods.count == 2 && floods.last?.retryOf == 1)
        let replayed = floods.map(\.summary.duplicates).reduce(0, +)
        let counted = NetworkSimulator.coursePeers.map {
            registry.value($0.address, "p2p_queries_duplicate_total") ?? 0
        }
        #expect(replayed == 2 && Int(counted.reduce(0, +)) == replayed, "per peer \(counted), replay \(replayed)")
    }

    @Test("sent minus received is the loss of exactly the lossy link, per direction")
    func lossNamesTheLink() throws {
        let (registry, _, lost) = Self.run()
        #expect(lost == 1)
        var lossy: [String: Double] = [:]
        for peer in NetworkSimulator.coursePeers {
            for neighbor in peer.neighbors {
                let loss =
                    registry.link(peer.address, "sent", neighbor) - registry.link(neighbor, "received", peer.address)
                #expect(!loss.isNaN, "\(peer.address) → \(neighbor) has no series")
                if loss != 0 { lossy["\(peer.address) → \(neighbor)"] = loss }
            }
        }
        #expect(lossy == ["\(Self.p5) → \(Self.p4)": 1])
        let hellos = #"p2p_neighbor_datagrams_received_total{node="\#(Self.p4)",neighbor="other",type="hello"}"#
        #expect(registry.value(Self.p4, hellos) == 1, "the client's HELLO counts under other")
    }

    @Test("each answered QUERY times its CHUNK_INFO; each client records its completion and the peers it used")
    func answersAndCompletion() throws {
        let (registry, report, _) = Self.run()
        let answeredQueries = report.floods.map { flood in
            flood.answers.filter { flood.visits[$0.visit].hop > 0 }.count
        }.reduce(0, +)
        let timed = NetworkSimulator.coursePeers.map {
            registry.value($0.address, "p2p_query_answer_seconds_count") ?? 0
        }
        #expect(answeredQueries > 0)
        #expect(Int(timed.reduce(0, +)) == answeredQueries, "timed per peer \(timed), replay \(answeredQueries)")
        #expect(registry.value("10.0.0.6:40000", "p2p_client_peers_fetched_from") == 4)
        #expect(registry.value("10.0.0.7:40000", "p2p_client_peers_fetched_from") == 1)
        for client in ["10.0.0.6:40000", "10.0.0.7:40000"] {
            #expect(registry.value(client, "p2p_client_completion_seconds_count") == 1, "\(client)")
            let seconds = try #require(registry.value(client, "p2p_client_completion_seconds_sum"))
            #expect(seconds > 0 && seconds < 1, "\(client): \(seconds) s of simulated time")
        }
    }
}
