import Foundation

/// Writes a node's warnings to standard error, one line each.
package enum Diagnostics {
    package static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}
