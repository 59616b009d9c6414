import ChunkNode

/// libFuzzer entry: parses the input as a peer's key-values file. A file that parses names each chunk once, on
/// increasing lines, with a non-empty file name; anything else must be refused with a `KeyValuesFileError` that
/// names the file, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = "/fuzz/key-values-files_peer1"
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let file: KeyValuesFile
    do {
        file = try KeyValuesFile(parsing: text, path: path)
    } catch {
        precondition(error.description.contains(path), "the error does not name the file: \(error)")
        return 0
    }
    precondition(Set(file.entries.map(\.chunk)).count == file.entries.count, "a chunk is named twice")
    precondition(zip(file.entries, file.entries.dropFirst()).allSatisfy { $0.line < $1.line }, "lines out of order")
    precondition(file.entries.allSatisfy { !$0.fileName.isEmpty && $0.path.hasPrefix("/") }, "an empty file name")
    return 0
}
