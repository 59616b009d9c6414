import ArgumentParser
import DiagnosticLog
import Logging

/// `--log-level`: how much the program says on standard error.
package struct LogOptions: ParsableArguments {
    @Option(help: "The least severe diagnostics written to standard error.")
    package var logLevel: Logger.Level = .warning

    package init() {}

    /// Sends every `Logger` of the process to standard error at `--log-level`. Call once, before anything logs.
    package func bootstrap() {
        Logger.bootstrapStandardError(level: logLevel)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
