import Benchmark
import ChunkProtocol
import NIOCore

/// The datagram codec: a QUERY with five chunk ids and a 1 KiB RESPONSE, encoded into one reused buffer and decoded.
let benchmarks: @Sendable () -> Void = {
    let client = NodeAddress(ip: 0x0A00_0004, port: 5004)
    let messages: [(name: String, message: ChunkMessage)] = [
        ("QUERY", .query(client: client, ttl: 3, chunks: [1, 3, 4, 5, 9])),
        ("RESPONSE 1 KiB", .response(chunk: 5, payload: ByteBuffer(repeating: 7, count: 1024))),
    ]
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(3))

    for (name, message) in messages {
        Benchmark("encode \(name) ×1000") { benchmark in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(2048)
            for _ in benchmark.scaledIterations {
                for _ in 0..<1000 {
                    buffer.clear()
                    blackHole(try? buffer.writeChunkMessage(message))
                }
            }
        }

        var encoded = ByteBuffer()
        _ = try? encoded.writeChunkMessage(message)
        Benchmark("decode \(name) ×1000") { benchmark in
            for _ in benchmark.scaledIterations {
                for _ in 0..<1000 {
                    var datagram = encoded
                    blackHole(try? datagram.readChunkMessage())
                }
            }
        }
    }
}
