import ChunkMetrics
import NIOCore
import NIOEmbedded

let configuration = MetricsServerConfiguration()
let exposition = Array("# TYPE p2p_fuzz_total counter\np2p_fuzz_total 1\n".utf8)

/// libFuzzer entry: writes the input, as a client would, into a `/metrics` connection (the server's own pipeline on
/// an `EmbeddedChannel`) and reads every answer. Any bytes must be answered or refused, never trap or leave the
/// pipeline broken.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let channel = EmbeddedChannel()
    do {
        try channel.pipeline.syncOperations.configureMetricsEndpoint(configuration: configuration) { exposition }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        var buffer = channel.allocator.buffer(capacity: size)
        buffer.writeBytes(UnsafeBufferPointer(start: data, count: size))
        try channel.writeInbound(buffer)
    } catch {
        // A refused request closes the channel; what was answered before is still read below.
    }
    while (try? channel.readOutbound(as: IOData.self)) != nil {}
    _ = try? channel.finish(acceptAlreadyClosed: true)
    return 0
}
