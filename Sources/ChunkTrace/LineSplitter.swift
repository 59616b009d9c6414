#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts decompressed bytes into lines and decodes them, carrying a partial line across buffers.
struct LineSplitter {
    let file: String
    private(set) var lineNumber = 0
    private var carry: [UInt8] = []
    private var skippingLongLine = false
    private var damagedHere = 0

    init(file: String) {
        self.file = file
    }

    var pendingBytes: Int { carry.count }

    mutating func feed(
        _ bytes: UnsafeBufferPointer<UInt8>, decoder: inout TraceLineDecoder, report: inout TraceReadReport,
        _ body: (TraceEvent) throws -> Void
    ) throws {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        let count = bytes.count
        while start < count {
            guard let found = memchr(base + start, 0x0A, count - start) else {
                appendToCarry(UnsafeBufferPointer(start: base + start, count: count - start), report: &report)
                return
            }
            let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            if skippingLongLine {
                skippingLongLine = false
                lineNumber += 1
            } else if carry.isEmpty {
                try emit(
                    UnsafeBufferPointer(start: base + start, count: end - start), decoder: &decoder,
                    report: &report, body)
            } else {
                carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
                let line = carry
                carry.removeAll(keepingCapacity: true)
                try line.withUnsafeBufferPointer { try emit($0, decoder: &decoder, report: &report, body) }
            }
            start = end + 1
        }
    }

    private mutating func appendToCarry(_ bytes: UnsafeBufferPointer<UInt8>, report: inout TraceReadReport) {
        guard !skippingLongLine else { return }
        carry.append(contentsOf: bytes)
        if carry.count > TraceReader.maxLineBytes {
            carry.removeAll()
            skippingLongLine = true
            damaged("line longer than \(TraceReader.maxLineBytes) bytes", line: lineNumber + 1, report: &report)
        }
    }

    /// The end of the file: a final line without `\n` is decoded when the file ended cleanly, dropped otherwise.
    mutating func end(
        cleanly: Bool, decoder: inout TraceLineDecoder, report: inout TraceReadReport,
        _ body: (TraceEvent) throws -> Void
    ) throws {
        defer { carry.removeAll() }
        guard !carry.isEmpty, cleanly else { return }
        let line = carry
        try line.withUnsafeBufferPointer { try emit($0, decoder: &decoder, report: &report, body) }
    }

    /// Adds the warning about damaged lines beyond those listed.
    func settle(into report: inout TraceReadReport) {
        if damagedHere > TraceReader.warningsPerFile {
            report.warnings.append("\(file): \(damagedHere - TraceReader.warningsPerFile) more damaged lines skipped")
        }
    }

    private mutating func emit(
        _ raw: UnsafeBufferPointer<UInt8>, decoder: inout TraceLineDecoder, report: inout TraceReadReport,
        _ body: (TraceEvent) throws -> Void
    ) throws {
        lineNumber += 1
        var line = raw
        if let last = line.last, last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        let event: TraceEvent
        do throws(TraceError) {
            event = try decoder.decode(UnsafeRawBufferPointer(line))
        } catch {
            damaged("\(error)", line: lineNumber, report: &report)
            return
        }
        report.eventCount += 1
        try body(event)
    }

    private mutating func damaged(_ message: String, line: Int, report: inout TraceReadReport) {
        report.damagedLines += 1
        damagedHere += 1
        if damagedHere <= TraceReader.warningsPerFile {
            report.warnings.append("\(file):\(line): damaged line skipped: \(message)")
        }
    }
}
