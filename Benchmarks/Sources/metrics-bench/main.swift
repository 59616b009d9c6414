// metrics-bench: what the /metrics endpoint costs. Prints figures; asserts nothing.
//
// 1. Scrape latency (p50/p99) over a keep-alive connection, plain and gzip, plus in-process render time.
// 2. A peer's GET → RESPONSE throughput on loopback while not scraped, scraped 10 times a second, and scraped
//    back to back, in alternating rounds.

import ChunkMetrics
import ChunkNode
import ChunkNodeNIO
import Foundation
import NIOCore
import NIOPosix
import NodeCLI
import NodeObservers

#if canImport(Glibc)
import Glibc
#endif

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction + 0.5))]
}

func microseconds(_ seconds: Double) -> String {
    let value = (seconds * 1e7).rounded() / 10
    return "\(value) µs"
}

let arguments = CommandLine.arguments
let roundSeconds = arguments.count > 1 ? Double(arguments[1]) ?? 3 : 3
let scrapeCount = 2000

let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
let options = try MetricsOptions.parse(["--metrics", "127.0.0.1:0"])
let address = NodeAddress(ip: 0x7F00_0001, port: 0)
guard
    let handle = try await options.start(
        role: .peer, node: address, neighbors: [], chunksHeld: 1, traceStatistics: nil, group: group),
    let metricsPort = handle.server?.port
else {
    print("metrics-bench: could not start the metrics endpoint")
    exit(1)
}
var payload = ByteBuffer()
payload.writeBytes([UInt8](repeating: 0x42, count: 1024))
let node = PeerNode(address: address, neighbors: [], store: ChunkStore(payloads: [1: payload]))
// A load run from one address: the per-address response budget (--response-rate-limit) is off, as with 0.
let peer = try await PeerServer.start(
    node: node, observers: [handle.observer], software: "bench", responseRateLimit: 0)
let peerPort = Int(peer.localAddress.port)
print(
    "peer on 127.0.0.1:\(peerPort) (response budget off: a load run), metrics on 127.0.0.1:\(metricsPort), "
        + "\(System.coreCount) cores")

// Traffic first, so the scraped text has realistic values.
_ = DatagramLoad(peerPort: peerPort).run(seconds: 0.5)

var summary: [(String, Double)] = []

print("\n== scrape latency (\(scrapeCount) sequential scrapes on one keep-alive connection) ==")
for gzip in [false, true] {
    guard let scraper = Scraper(port: metricsPort, gzip: gzip) else { break }
    var times: [Double] = []
    var size = 0
    for _ in 0..<scrapeCount {
        guard let result = scraper.scrape() else { break }
        times.append(result.seconds)
        size = result.bytes
    }
    times.sort()
    let (p50, p99) = (percentile(times, 0.5), percentile(times, 0.99))
    print(
        "\(gzip ? "gzip " : "plain"): p50 \(microseconds(p50))  p99 \(microseconds(p99))"
            + "  max \(microseconds(times.last ?? .nan))  body \(size) bytes  (\(times.count) ok)")
    let kind = gzip ? "gzip" : "plain"
    summary += [("scrape_\(kind)_p50_us", p50 * 1e6), ("scrape_\(kind)_p99_us", p99 * 1e6)]
    summary.append(("body_\(kind)_bytes", Double(size)))
}
if let observer = handle.observer as? MetricsObserver {
    var renders: [Double] = []
    for _ in 0..<scrapeCount {
        let start = BlockingSocket.monotonicSeconds()
        _ = observer.metrics.render()
        renders.append(BlockingSocket.monotonicSeconds() - start)
    }
    renders.sort()
    let (p50, p99) = (percentile(renders, 0.5), percentile(renders, 0.99))
    print("render only (in process): p50 \(microseconds(p50))  p99 \(microseconds(p99))")
    summary += [("render_p50_us", p50 * 1e6), ("render_p99_us", p99 * 1e6)]

    print("\n== cost of one update on the datagram path (single thread, uncontended) ==")
    let updates = 2_000_000
    var start = BlockingSocket.monotonicSeconds()
    for index in 0..<updates { observer.metrics.messageSent(.response, bytes: 1030 + index & 1) }
    let counterNanos = (BlockingSocket.monotonicSeconds() - start) / Double(updates) * 1e9
    start = BlockingSocket.monotonicSeconds()
    for index in 0..<updates { observer.metrics.messageHandled(.get, seconds: Double(index & 1023) * 1e-7) }
    let histogramNanos = (BlockingSocket.monotonicSeconds() - start) / Double(updates) * 1e9
    print(
        "messageSent (3 counters): \((counterNanos * 10).rounded() / 10) ns   "
            + "messageHandled (histogram): \((histogramNanos * 10).rounded() / 10) ns")
    summary += [("update_sent_ns", counterNanos), ("update_histogram_ns", histogramNanos)]
    let view = NetworkViewCost.measure(events: updates)
    func nanos(_ value: Double) -> String { "\((value * 10).rounded() / 10) ns" }
    print(
        "observer (3 neighbours): GET from a client \(nanos(view.getNanos))   QUERY sent to a neighbour "
            + "\(nanos(view.sentNanos))   QUERY received, duplicate check \(nanos(view.receivedNanos))")
    summary += [
        ("observe_get_ns", view.getNanos), ("observe_query_sent_ns", view.sentNanos),
        ("observe_query_received_ns", view.receivedNanos),
    ]
}

print("\n== peer throughput, GET → RESPONSE on loopback, \(roundSeconds) s rounds ==")
let modes: [(name: String, key: String, interval: Double?)] = [
    ("not scraped", "not_scraped", nil), ("scraped 10/s", "scraped_10hz", 0.1),
    ("scraped back to back", "scraped_back_to_back", 0),
]
var rates: [String: [Double]] = [:]
var scrapes: [String: Int] = [:]
for round in 1...2 {
    for mode in modes {
        let background = mode.interval.map { BackgroundScraper(port: metricsPort, interval: $0) }
        let rate = DatagramLoad(peerPort: peerPort).run(seconds: roundSeconds)
        scrapes[mode.name, default: 0] += background?.stop() ?? 0
        rates[mode.name, default: []].append(rate)
        let name = mode.name.padding(toLength: 22, withPad: " ", startingAt: 0)
        print("round \(round)  \(name) \(Int(rate)) responses/s")
    }
}
print("\nmode                    mean responses/s   scrapes done")
for mode in modes {
    let values = rates[mode.name] ?? []
    let mean = values.reduce(0, +) / Double(max(values.count, 1))
    let name = mode.name.padding(toLength: 24, withPad: " ", startingAt: 0)
    print("\(name)\(String(Int(mean)).padding(toLength: 19, withPad: " ", startingAt: 0))\(scrapes[mode.name] ?? 0)")
    summary.append(("responses_per_second_\(mode.key)", mean))
}
let fields = summary.map { "\"\($0.0)\": \(($0.1 * 10).rounded() / 10)" }.joined(separator: ", ")
print("{\"metrics_bench\": {\(fields)}}")

await peer.stop()
await handle.shutdown()
try await group.shutdownGracefully()
