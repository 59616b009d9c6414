import ChunkNode
import ChunkNodeNIO
import Foundation
import NIOCore
import TestSupport
import Testing

struct ClientSessionTests {
    @Test("a client that got everything ends at once, without waiting for the timeout")
    func endsWhenComplete() async throws {
        let network = try InProcessNetwork()
        try await network.startPeer(1, holds: [1, 2], neighbours: [])
        let outcome = try await network.runClient(contact: 1, chunks: [2, 1, 2], timeout: .seconds(30))
        // `.complete`, not `.timedOut`: the session ended because every chunk arrived, not when the 30 s ran out.
        #expect(outcome.ending == .complete)
        #expect(outcome.received.sorted() == [1, 2])
        let log = try String(contentsOfFile: outcome.logPath, encoding: .utf8)
        #expect(log.hasSuffix("\n") && log.split(separator: "\n").count == 2)
        #expect(outcome.logPath.hasSuffix("/output-127.0.0.1.log"))
        await network.shutdown()
    }

    @Test("an unanswered GET is re-sent to the next peer that announced the chunk")
    func retryGoesToNextAnnouncer() async throws {
        let network = try InProcessNetwork()
        // A silent peer announces chunk 5 first but never answers; the real peer 2 also holds it.
        let silent = try UDPProbe()
        let real = try await network.startPeer(2, holds: [5], neighbours: [])
        // The session ends as soon as chunk 5 arrives. The long inactivity timeout and the many retries only keep it
        // going while a loaded machine delays this test: with the default 3 retries, 100 ms apart, the client had
        // given up on chunk 5 before the real peer's announcement arrived.
        let configuration = ClientConfiguration(
            contact: silent.address, chunks: [5], inactivityTimeout: .seconds(60), retryInterval: .milliseconds(100),
            maxRetries: 600)
        let session = try await ClientSession.start(
            configuration: configuration, outputDirectory: network.outputFolder.path, group: network.group,
            makeObservers: { _ in [] }, software: "test")
        let hello = try #require(await silent.receiveWithSender(timeout: 30))
        #expect(try ChunkMessage(decoding: hello.bytes) == .hello(chunks: [5]))
        // Announced until the GET comes (at most 100 times): a loaded machine may drop one loopback datagram, and the
        // client may re-send its HELLO meanwhile.
        var get: ChunkMessage?
        for _ in 0..<100 where get == nil {
            try silent.send(try ChunkMessage.chunkInfo(chunks: [5]).encoded(), to: hello.sender)
            if let reply = await silent.receiveWithSender(timeout: 0.3),
                case .get = try ChunkMessage(decoding: reply.bytes)
            {
                get = try ChunkMessage(decoding: reply.bytes)
            }
        }
        #expect(get == .get(chunks: [5]))
        // A QUERY carrying the client's address makes the real peer announce chunk 5 too, after the silent one:
        // the retry must go there.
        try silent.send(
            try ChunkMessage.query(client: hello.sender, ttl: 1, chunks: [5]).encoded(), to: real.localAddress)
        let outcome = try await session.finish()
        #expect(outcome.ending == .complete)
        #expect(outcome.logLines == ["\(network.address(2)) - 5"])
        await network.shutdown()
    }

    @Test("a client whose contact peer is silent times out and logs every chunk as missing")
    func silentContactTimesOut() async throws {
        let network = try InProcessNetwork()
        let silent = try UDPProbe()
        let configuration = ClientConfiguration(
            contact: silent.address, chunks: [4, 2], inactivityTimeout: .milliseconds(300))
        let session = try await ClientSession.start(
            configuration: configuration, outputDirectory: network.outputFolder.path, group: network.group,
            makeObservers: { _ in [] }, software: "test")
        let outcome = try await session.finish()
        #expect(outcome.ending == .timedOut)
        #expect(outcome.logLines == ["0.0.0.0:0 - 4", "0.0.0.0:0 - 2"])
        await network.shutdown()
    }
}
