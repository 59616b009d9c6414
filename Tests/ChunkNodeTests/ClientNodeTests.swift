import ChunkNode
import NIOCore
import Testing

private func peer(_ n: UInt32) -> NodeAddress { NodeAddress(ip: 0x0A00_0000 + n, port: UInt16(5000 + n)) }
private let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
private func at(ms: Int64) -> NIODeadline { t0 + .milliseconds(ms) }
private func payload(_ id: ChunkID) -> ByteBuffer { ByteBuffer(string: "chunk \(id)") }

struct ClientNodeTests {
    func makeClient(_ chunks: [ChunkID], retries: Int = 2, helloRetries: Int = 0) -> ClientNode {
        ClientNode(
            configuration: ClientConfiguration(
                contact: peer(4), chunks: chunks, retryInterval: .milliseconds(100), maxRetries: retries,
                helloRetries: helloRetries))
    }

    @Test("the HELLO carries the asked ids with duplicates removed, order kept")
    func helloDeduplicates() {
        var client = makeClient([3, 1, 3, 5, 1])
        #expect(client.start(at: t0) == [Outgoing(.hello(chunks: [3, 1, 5]), to: peer(4))])
    }

    @Test("the first peer to announce a chunk is asked for it, in one GET per CHUNK_INFO")
    func firstAnnouncerIsAsked() {
        var client = makeClient([1, 3, 5, 9])
        _ = client.start(at: t0)
        #expect(
            client.receive(.chunkInfo(chunks: [9]), from: peer(5), at: at(ms: 1)).sends == [
                Outgoing(.get(chunks: [9]), to: peer(5))
            ])
        #expect(
            client.receive(.chunkInfo(chunks: [1, 9, 2]), from: peer(2), at: at(ms: 2)).sends == [
                Outgoing(.get(chunks: [1]), to: peer(2))
            ])
        #expect(client.receive(.chunkInfo(chunks: [5]), from: peer(1), at: at(ms: 3)).sends.count == 1)
        #expect(
            client.receive(.chunkInfo(chunks: [5]), from: peer(1), at: at(ms: 4)).sends.isEmpty,
            "a duplicate CHUNK_INFO asks nothing")
        #expect(
            client.receive(.chunkInfo(chunks: []), from: peer(3), at: at(ms: 4)).sends.isEmpty,
            "an empty CHUNK_INFO is accepted")
    }

    @Test("responses are accepted only for chunks asked of that peer, once each")
    func responsesFiltered() {
        var client = makeClient([1, 9])
        _ = client.start(at: t0)
        _ = client.receive(.chunkInfo(chunks: [1]), from: peer(2), at: at(ms: 1))
        #expect(
            client.receive(.response(chunk: 9, payload: payload(9)), from: peer(2), at: at(ms: 2)).dropped
                == .unrequested(chunk: 9))
        #expect(
            client.receive(.response(chunk: 1, payload: payload(1)), from: peer(3), at: at(ms: 2)).dropped
                == .unrequested(chunk: 1))
        let saved = client.receive(.response(chunk: 1, payload: payload(1)), from: peer(2), at: at(ms: 3)).saved
        #expect(saved == [SavedChunk(chunk: 1, payload: payload(1), from: peer(2))])
        #expect(
            client.receive(.response(chunk: 1, payload: payload(1)), from: peer(2), at: at(ms: 4)).dropped
                == .duplicate(chunk: 1))
        #expect(client.receive(.hello(chunks: [1]), from: peer(2), at: at(ms: 4)).dropped == .unexpected(.hello))
    }

    @Test("an unanswered GET is re-sent to the next announcer, a bounded number of times")
    func retriesRotateAndStop() {
        var client = makeClient([7], retries: 2)
        _ = client.start(at: t0)
        _ = client.receive(.chunkInfo(chunks: [7]), from: peer(1), at: at(ms: 0))
        _ = client.receive(.chunkInfo(chunks: [7]), from: peer(3), at: at(ms: 1))
        #expect(client.tick(at: at(ms: 50)).sends.isEmpty, "not yet due")
        #expect(client.tick(at: at(ms: 100)).sends == [Outgoing(.get(chunks: [7]), to: peer(3))])
        #expect(client.tick(at: at(ms: 200)).sends == [Outgoing(.get(chunks: [7]), to: peer(1))])
        #expect(client.tick(at: at(ms: 300)).sends.isEmpty, "two retries at most")
        let late = client.receive(.response(chunk: 7, payload: payload(7)), from: peer(3), at: at(ms: 310))
        #expect(late.saved.count == 1, "a response from any peer that was asked is accepted")
        #expect(client.isComplete)
    }

    @Test("the HELLO is re-sent only when asked to, while a chunk is unannounced")
    func helloRetries() {
        var client = makeClient([1, 2], helloRetries: 1)
        _ = client.start(at: t0)
        _ = client.receive(.chunkInfo(chunks: [1]), from: peer(2), at: at(ms: 5))
        #expect(client.tick(at: at(ms: 1000)).sends.contains(Outgoing(.hello(chunks: [1, 2]), to: peer(4))))
        #expect(!client.tick(at: at(ms: 2500)).sends.contains { $0.message.type == .hello })
        var quiet = makeClient([1])
        _ = quiet.start(at: t0)
        #expect(quiet.tick(at: at(ms: 3000)).sends.isEmpty)
    }

    @Test("the client times out after the inactivity timeout counted from the last datagram")
    func inactivityTimeout() {
        var client = makeClient([1])
        _ = client.start(at: t0)
        _ = client.receive(.chunkInfo(chunks: []), from: peer(4), at: at(ms: 4000))
        #expect(!client.hasTimedOut(at: at(ms: 8999)))
        #expect(client.hasTimedOut(at: at(ms: 9000)))
    }

    @Test("the log lists arrivals in order, then missing chunks in request order as 0.0.0.0:0")
    func logLines() {
        var client = makeClient([1, 3, 4, 5, 9])
        _ = client.start(at: t0)
        for (chunk, from) in [(9, peer(5)), (1, peer(2)), (3, peer(3)), (5, peer(1))] as [(ChunkID, NodeAddress)] {
            _ = client.receive(.chunkInfo(chunks: [chunk]), from: from, at: at(ms: 1))
        }
        for (chunk, from) in [(1, peer(2)), (9, peer(5)), (5, peer(1)), (3, peer(3))] as [(ChunkID, NodeAddress)] {
            _ = client.receive(.response(chunk: chunk, payload: payload(chunk)), from: from, at: at(ms: 2))
        }
        #expect(!client.isComplete)
        #expect(client.missing == [4])
        #expect(
            client.logLines == [
                "10.0.0.2:5002 - 1", "10.0.0.5:5005 - 9", "10.0.0.1:5001 - 5", "10.0.0.3:5003 - 3", "0.0.0.0:0 - 4",
            ])
    }

    @Test("chunk lists parse from the command line form and bad ones are named")
    func chunkListParsing() throws {
        #expect(try ClientConfiguration.parseChunkList("1,3,4,5,9") == [1, 3, 4, 5, 9])
        #expect(try ClientConfiguration.parseChunkList(" 7 ") == [7])
        #expect(throws: ChunkListError.badID(list: "1,x", item: "x")) { try ClientConfiguration.parseChunkList("1,x") }
        #expect(throws: ChunkListError.empty("1,,2")) { try ClientConfiguration.parseChunkList("1,,2") }
        #expect(throws: ChunkListError.badID(list: "65536", item: "65536")) {
            try ClientConfiguration.parseChunkList("65536")
        }
    }
}
