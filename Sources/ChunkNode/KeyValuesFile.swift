import Foundation

/// A parsed key-values file: which file holds which chunk.
///
/// One `<id>: <file name>` per line; surrounding blanks, CRLF, blank lines and a missing final newline are
/// tolerated, anything else is rejected with the file and line.
package struct KeyValuesFile: Sendable, Hashable {
    /// One line of the file.
    package struct Entry: Sendable, Hashable {
        package var chunk: ChunkID
        /// The file name as written in the key-values file.
        package var fileName: String
        /// The file name resolved against `chunkFolder`.
        package var path: String
        package var line: Int
    }

    package var path: String
    package var entries: [Entry]
    /// The folder relative file names are looked up in: `chunksDirectory` when given, else the file's own folder.
    package var chunkFolder: String
    /// Whether `chunkFolder` was given (`peer --chunks-dir`) rather than taken from the file's path.
    package var chunkFolderIsExplicit: Bool

    /// Reads and parses the file at `path`.
    ///
    /// - Parameters:
    ///   - chunksDirectory: where relative file names are looked up; `nil` for the key-values file's folder.
    /// - Throws: `KeyValuesFileError` naming the file, and the line when the content is at fault.
    package init(contentsOf path: String, chunksDirectory: String? = nil) throws(KeyValuesFileError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .notText(path: path) }
        try self.init(parsing: text, path: path, chunksDirectory: chunksDirectory)
    }

    /// Parses `text` as the content of the key-values file at `path`.
    package init(parsing text: String, path: String, chunksDirectory: String? = nil) throws(KeyValuesFileError) {
        self.path = path
        let folder = chunksDirectory ?? URL(fileURLWithPath: path).deletingLastPathComponent().path
        chunkFolder = folder
        chunkFolderIsExplicit = chunksDirectory != nil
        var entries = [Entry]()
        var seen = [ChunkID: Int]()
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformedLine(path: path, line: lineNumber, text: line, problem: "expected '<id>: <file name>'")
            }
            let idText = line[..<colon].trimmingCharacters(in: .whitespaces)
            let name = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard let chunk = ChunkID(idText) else {
                throw .malformedLine(
                    path: path, line: lineNumber, text: line, problem: "'\(idText)' is not a chunk id from 0 to 65535")
            }
            guard !name.isEmpty else {
                throw .malformedLine(path: path, line: lineNumber, text: line, problem: "no file name after ':'")
            }
            if let first = seen[chunk] {
                throw .malformedLine(
                    path: path, line: lineNumber, text: line,
                    problem: "chunk \(chunk) is already named on line \(first)")
            }
            seen[chunk] = lineNumber
            let separator = folder.hasSuffix("/") ? "" : "/"
            let resolved = name.hasPrefix("/") ? name : folder + separator + name
            entries.append(Entry(chunk: chunk, fileName: name, path: resolved, line: lineNumber))
        }
        self.entries = entries
    }
}

/// Why a key-values file could not be used.
package enum KeyValuesFileError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notText(path: String)
    case malformedLine(path: String, line: Int, text: String, problem: String)

    package var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read key-values file \(path): \(reason)"
        case .notText(let path):
            "key-values file \(path) is not UTF-8 text"
        case .malformedLine(let path, let line, let text, let problem):
            "\(path):\(line): \(problem) (line is '\(text)')"
        }
    }
}
