import BenchSupport
import FloodReplay
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// replay-bench [--events N] [--peers N] [--dir PATH] [--keep] [--p2ptrace PATH]
// Builds a trace set of about N events (default 1,000,000) with the real node logic and segment writer, then
// times `p2ptrace replay` and `p2ptrace stats` over it against `zcat files | jq -c . > /dev/null`, and prints
// events per second and peak memory. Prints figures only; asserts nothing. `p2ptrace` is the main package's build
// (--p2ptrace, default: beside this binary).

var targetEvents = 1_000_000
var peerCount = 30
var directory = FileManager.default.temporaryDirectory.appendingPathComponent("replay-bench-\(getpid())").path
var keep = false
var p2ptracePath: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--events": targetEvents = arguments.next().flatMap(Int.init) ?? targetEvents
    case "--peers": peerCount = arguments.next().flatMap(Int.init) ?? peerCount
    case "--dir": directory = arguments.next() ?? directory
    case "--keep": keep = true
    case "--p2ptrace": p2ptracePath = arguments.next()
    default:
        print("usage: replay-bench [--events N] [--peers N] [--dir PATH] [--keep] [--p2ptrace PATH]")
        exit(2)
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs a shell command under GNU time and returns its wall time and peak resident memory (KiB) as GNU time
/// sees it (the command's own processes only, not this benchmark's memory).
func measure(_ command: String, memoryFile: String) -> (seconds: Double, maxKiB: Int, status: Int32) {

    let wrapped = "/usr/bin/time -f %M -o '\(memoryFile)' /bin/sh -c \"\(command)\""
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(wrapped), nil]
    defer { for pointer in argv { free(pointer) } }
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return (0, 0, -1) }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let text = (try? String(contentsOfFile: memoryFile, encoding: .utf8)) ?? ""
    let kib = text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last ?? 0
    try? FileManager.default.removeItem(atPath: memoryFile)
    return (elapsed, kib, (status >> 8) & 0xFF)
}

try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
let network = BenchNetwork(directory: directory, seed: 42)
var floods = 0
let generation = seconds {
    floods = network.runFloods(peerCount: peerCount, untilEvents: targetEvents)
    network.finish()
}
let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl.gz") }
let bytes = files.reduce(0) { total, name in
    total + ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0)
}
let events = network.events
print(
    "trace set: \(events) events, \(floods) floods, \(peerCount) peers, \(files.count) segments, "
        + String(format: "%.1f MB gzip, generated in %.1f s", Double(bytes) / 1e6, generation))

let binary =
    p2ptracePath
    ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("p2ptrace").path
func report(_ label: String, _ result: (seconds: Double, maxKiB: Int, status: Int32)) {
    let rate = Double(events) / max(result.seconds, 1e-9)
    print(
        label.padding(toLength: 46, withPad: " ", startingAt: 0)
            + String(
                format: "%7.2f s  %10.0f events/s  peak RSS %6.1f MB  exit %d", result.seconds, rate,
                Double(result.maxKiB) / 1024, result.status))
}
/// Best (fastest) of `runs` runs of `command`: the machine is shared, so the fastest run is the least disturbed.
@MainActor
func best(_ command: String, runs: Int = 2) -> (seconds: Double, maxKiB: Int, status: Int32) {
    let memoryFile = directory + ".maxrss"
    return (0..<runs).map { _ in measure(command, memoryFile: memoryFile) }.min { $0.seconds < $1.seconds }
        ?? (0, 0, -1)
}
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3)
        .joined(separator: " ")
}
print(
    "load average before: \(loadAverage()) (\(ProcessInfo.processInfo.activeProcessorCount) cores); "
        + "best of 2 runs each")
let replay = best("'\(binary)' replay '\(directory)' --format json --output /dev/null")
report("p2ptrace replay --format json", replay)
let single = best("'\(binary)' replay '\(directory)' --format json --output /dev/null --threads 1")
report("p2ptrace replay --format json --threads 1", single)
let text = best("'\(binary)' replay '\(directory)' > /dev/null")
report("p2ptrace replay (text)", text)
let stats = best("'\(binary)' stats '\(directory)' > /dev/null")
report("p2ptrace stats", stats)
let jq = best("cd '\(directory)' && zcat *.jsonl.gz | jq -c . > /dev/null")
report("zcat files | jq -c . > /dev/null", jq)
let zcat = best("cd '\(directory)' && zcat *.jsonl.gz > /dev/null")
report("zcat files > /dev/null (decompression only)", zcat)
print(
    String(
        format: "replay is %.1fx faster than zcat | jq -c (goal: 3x); load average after: %@",
        jq.seconds / max(replay.seconds, 1e-9), loadAverage()))

var libraryFloods = 0
let library = try seconds {
    let set = try TraceSet.load(paths: [directory])
    libraryFloods = FloodReplayer().replay(set.index).floods.count
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(
    String(
        format: "library TraceSet.load + replay (in process)  %7.2f s  %10.0f events/s  %d floods, "
            + "bench process peak RSS %.1f MB", library, Double(events) / library, libraryFloods,
        Double(usage.ru_maxrss) / 1024))
if !keep { try? FileManager.default.removeItem(atPath: directory) } else { print("trace set kept in \(directory)") }
