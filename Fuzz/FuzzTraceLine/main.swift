import ChunkTrace

nonisolated(unsafe) var decoder = TraceLineDecoder()

/// libFuzzer entry: decodes the input as one trace line. A line that decodes is encoded again, and that line must
/// decode to the same event (what `p2ptrace` reads back from what the writer wrote); a damaged line must be refused
/// with a `TraceError`, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let event = try? decoder.decode(input) else { return 0 }
    let line = TraceLineEncoder.line(event)
    let again: TraceEvent
    do {
        again = try decoder.decode(line)
    } catch {
        preconditionFailure("the encoder wrote a line its decoder refuses (\(error)): \(line)")
    }
    precondition(again == event, "decoded, encoded and decoded again, the event differs: \(line)")
    return 0
}
