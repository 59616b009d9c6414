/// Why the load generator could not run.
enum LoadError: Error, CustomStringConvertible {
    case socket(operation: String, errno: Int32)
    case thread(errno: Int32)

    var description: String {
        switch self {
        case .socket(let operation, let errno):
            "p2pload: \(operation) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case .thread(let errno):
            "p2pload: cannot start a worker thread: \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
