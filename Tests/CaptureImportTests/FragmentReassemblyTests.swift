import ChunkProtocol
import Testing

@testable import CaptureImport

struct FragmentReassemblyTests {
    /// A RESPONSE of 3000 payload bytes in UDP, split as a 1500-byte link splits it (1480 bytes of IP payload per
    /// fragment), as raw IP frames.
    private func fragments(id: Int = 9) -> [[UInt8]] {
        let udp = TestFrames.udp(from: 5001, to: 40000, TestFrames.response(chunk: 4, size: 3000))
        return stride(from: 0, to: udp.count, by: 1480).map { offset in
            let end = min(udp.count, offset + 1480)
            return TestFrames.ipv4(
                from: TestFrames.peer, to: TestFrames.client, id: id, fragmentOffset: offset,
                moreFragments: end < udp.count, payload: Array(udp[offset..<end]))
        }
    }

    @Test("a fragmented RESPONSE is put back together, whatever order its fragments come in")
    func reassemblesOutOfOrder() throws {
        var decoder = CaptureDecoder(linkType: .raw)
        let parts = fragments()
        #expect(parts.count == 3)
        var outcomes: [CaptureDecoder.Outcome] = []
        for (n, index) in [2, 0, 1].enumerated() {
            outcomes.append(decoder.decode(CapturedFrame(number: n + 1, timestamp: Int64(n), bytes: parts[index])))
        }
        #expect(outcomes.prefix(2).allSatisfy { $0 == .skipped })
        guard case .datagram(let datagram) = outcomes.last else {
            Issue.record("the last fragment should complete the datagram, got \(String(describing: outcomes.last))")
            return
        }
        guard case .response(let chunk, let payload) = datagram.message else {
            Issue.record("expected a RESPONSE, got \(datagram.message)")
            return
        }
        #expect(chunk == 4)
        #expect(payload.readableBytes == 3000)
        #expect(datagram.bytes == 3006)
        #expect(datagram.packet == 3)
        #expect(decoder.statistics.fragments == 3)
        #expect(decoder.statistics.fragmentedDatagramsLost == 0)
    }

    @Test("a datagram missing a fragment is given up after the timeout, and at the end of the capture")
    func missingFragment() {
        var decoder = CaptureDecoder(linkType: .raw)
        let first = fragments(id: 1)
        let second = fragments(id: 2)
        _ = decoder.decode(CapturedFrame(number: 1, timestamp: 0, bytes: first[0]))
        _ = decoder.decode(CapturedFrame(number: 2, timestamp: 31_000_000, bytes: second[0]))
        #expect(decoder.statistics.fragmentedDatagramsLost == 1)
        decoder.finish()
        #expect(decoder.statistics.fragmentedDatagramsLost == 2)
    }

    @Test("memory is bounded: past the pending limit the oldest incomplete datagram is given up")
    func boundedMemory() throws {
        var reassembler = FragmentReassembler(maxPending: 2)
        for id in 1...5 {
            let packet = try #require(IPv4Packet(fragments(id: id)[0][...]))
            #expect(reassembler.add(packet, at: Int64(id)) == nil)
        }
        #expect(reassembler.waiting == 2)
        #expect(reassembler.abandoned == 3)
        let rest = fragments(id: 5).dropFirst().compactMap { IPv4Packet($0[...]) }
        #expect(reassembler.add(rest[0], at: 6) == nil)
        #expect(reassembler.add(rest[1], at: 7)?.count == 3014)
    }
}
