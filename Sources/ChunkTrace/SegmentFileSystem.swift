/// The file operations the segment writer needs; a seam so tests can make writes fail.
protocol SegmentFileSystem: Sendable {
    /// Creates `path` and its missing parents.
    func makeDirectory(_ path: String) throws(TraceError)
    /// Creates a new file; fails if it exists (a segment is never appended to).
    func createNew(_ path: String) throws(TraceError) -> any SegmentFile
    /// Names of the entries of a folder.
    func list(_ directory: String) throws(TraceError) -> [String]
    func remove(_ path: String) throws(TraceError)
}

/// An open segment file; used only by the writer's compression thread.
protocol SegmentFile: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(TraceError)
    func close() throws(TraceError)
}
