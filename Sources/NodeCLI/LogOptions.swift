import ArgumentParser
import DiagnosticLog
import Logging

/// `--log-level`: how much the program says on standard error.
package struct LogOptions: ParsableArguments {
    @Option(
        help: "The least severe diagnostics written to standard error: trace, debug, info, notice, warning, error.",
        transform: Self.level)
    package var logLevel: Logger.Level = .warning

    package init() {}

    /// Sends every `Logger` of the process to standard error at `--log-level`. Call once, before anything logs.
    package func bootstrap() {
        Logger.bootstrapStandardError(level: logLevel)
    }

    private static func level(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--log-level must be one of \(levels), got '\(text)'.")
        }
        return level
    }
}
