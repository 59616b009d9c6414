import Foundation
import Testing

@testable import CaptureImport

/// Capture files read through the real libpcap.
struct PcapSourceTests {
    private func readAll(_ path: String) -> (frames: [CapturedFrame], error: CaptureError?) {
        var frames: [CapturedFrame] = []
        do {
            let source = try PcapSource.open(file: path)
            while case .frame(let frame) = try source.next() { frames.append(frame) }
            return (frames, nil)
        } catch {
            return (frames, error)
        }
    }

    @Test("a pcap file of SLL2 frames is read packet by packet, with capture times")
    func readsFile() throws {
        let frame = TestFrames.sll2(TestFrames.queryPacket)
        let path = try TestFrames.temporaryFile(
            TestFrames.pcapFile(linkType: 276, frames: [frame, frame]), name: "a.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (frames, error) = readAll(path)
        #expect(error == nil)
        #expect(frames.map(\.number) == [1, 2])
        #expect(frames.map(\.timestamp) == [1_780_000_000_000_000, 1_780_000_001_001_000])
        #expect(frames.first?.bytes == frame)
        #expect(try PcapSource.open(file: path).linkType == .linuxSLL2)
    }

    @Test("a file cut mid-packet keeps the packets before and names the file and the cut packet")
    func cutMidPacket() throws {
        let frame = TestFrames.ethernet(TestFrames.queryPacket)
        let whole = TestFrames.pcapFile(linkType: 1, frames: [frame, frame, frame])
        let path = try TestFrames.temporaryFile(Array(whole.dropLast(10)), name: "cut.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (frames, error) = readAll(path)
        #expect(frames.count == 2)
        guard case .damaged(let file, let packet, _) = error else {
            Issue.record("expected a damaged-file error, got \(String(describing: error))")
            return
        }
        #expect(file == path)
        #expect(packet == 3)
        #expect(error?.description.contains("packet 3") == true)
    }

    @Test("a file that is not a capture is refused with the file's name")
    func notACapture() throws {
        let path = try TestFrames.temporaryFile(Array("HELLO this is a text file\n".utf8), name: "notes.txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, error) = readAll(path)
        guard case .notACapture(let file, _) = error else {
            Issue.record("expected notACapture, got \(String(describing: error))")
            return
        }
        #expect(file == path)
        #expect(
            readAll("/nonexistent/run.pcap").error
                == .unreadableFile(
                    path: "/nonexistent/run.pcap", reason: "No such file or directory"))
    }

    @Test("a link type this tool does not decode is named in the error")
    func unsupportedLinkType() throws {
        let path = try TestFrames.temporaryFile(
            TestFrames.pcapFile(linkType: 105, frames: [[1, 2, 3]]), name: "w.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, error) = readAll(path)
        guard case .unsupportedLinkType(let source, let dlt, _) = error else {
            Issue.record("expected unsupportedLinkType, got \(String(describing: error))")
            return
        }
        #expect(source == path)
        #expect(dlt == 105)
        #expect(error?.description.contains("IEEE802_11") == true)
    }

    @Test("the port filter keeps this protocol's datagrams and later fragments, and drops other UDP")
    func portFilter() throws {
        let other = TestFrames.ethernet(
            TestFrames.ipv4(
                from: TestFrames.peer, to: TestFrames.client, payload: TestFrames.udp(from: 53, to: 40000, [1])))
        let laterFragment = TestFrames.ethernet(
            TestFrames.ipv4(from: TestFrames.peer, to: TestFrames.client, fragmentOffset: 1480, payload: [1, 2, 3, 4]))
        let query = TestFrames.ethernet(TestFrames.queryPacket)
        let path = try TestFrames.temporaryFile(
            TestFrames.pcapFile(linkType: 1, frames: [other, query, laterFragment]), name: "f.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try PcapSource.open(file: path)
        try source.setFilter(PortRange().bpfFilter)
        var kept: [[UInt8]] = []
        while case .frame(let frame) = try source.next() { kept.append(frame.bytes) }
        #expect(kept == [query, laterFragment])
    }
}
