import Logging

extension Logger {
    /// The label of the program's own diagnostics, whose lines start with their level (`warning: …`).
    package static let nodeLabel = "node"

    /// The program's own diagnostics (label `nodeLabel`), through the handler `bootstrapStandardError` installs.
    package static var diagnostics: Logger { Logger(label: nodeLabel) }

    /// A logger that writes to standard error in the tools' format whether or not the process was bootstrapped.
    ///
    /// - Parameters:
    ///   - label: `nodeLabel`, or the name of the part that logs (it starts each line).
    ///   - level: the least severe level written.
    package static func standardError(label: String, level: Logger.Level = .warning) -> Logger {
        Logger(label: label) { StandardErrorLogHandler(label: $0, logLevel: level) }
    }

    /// Sends every `Logger` of the process to standard error in the tools' format. Call once, first thing in `main`.
    ///
    /// - Parameter level: the least severe level written.
    package static func bootstrapStandardError(level: Logger.Level = .warning) {
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, logLevel: level) }
    }
}
