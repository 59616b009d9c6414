/// The file operations the segment writer needs; a seam so tests can make writes fail.
protocol SegmentFileSystem: Sendable {
    /// Creates `path` and its missing parents.
    func makeDirectory(_ path: String) throws(TraceError)
    /// Creates a new file; fails if it exists (a segment is never appended to).
    func createNew(_ path: String) throws(TraceError) -> any SegmentFile
    /// Names of the entries of a folder.
    func list(_ directory: String) throws(TraceError) -> [String]
    func remove(_ path: String) throws(TraceError)
    /// Renames `path` to `newPath`, replacing what `newPath` names.
    func rename(_ path: String, to newPath: String) throws(TraceError)
    /// The whole content of a file (a rotated plain segment, to compress it).
    func readFile(_ path: String) throws(TraceError) -> [UInt8]
    /// The identity of the file `path` names now, or `nil` when nothing is there (deleted, folder gone).
    func identity(of path: String) -> SegmentFileIdentity?
}

/// An open segment file; used only by the writer's compression thread.
protocol SegmentFile: AnyObject {
    /// The identity of the open file, taken when it was created; `nil` when unknown (never checked then).
    var identity: SegmentFileIdentity? { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws(TraceError)
    func close() throws(TraceError)
}

/// Device and inode of a file: a path names the open segment as long as a stat of the path gives the same pair.
struct SegmentFileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
}
