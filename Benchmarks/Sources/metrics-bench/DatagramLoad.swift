/// A closed-loop GET → RESPONSE load on one peer: keeps `window` GETs outstanding and counts RESPONSEs.
struct DatagramLoad {
    var peerPort: Int
    var window = 32

    /// Responses per second over `seconds`.
    func run(seconds: Double) -> Double {
        let socket = BlockingSocket(udp: true, receiveTimeoutMicroseconds: 50_000)
        guard socket.connect(port: peerPort) else { return 0 }
        let get: [UInt8] = [0, 4, 0, 1, 0, 1]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var responses = 0
        let start = BlockingSocket.monotonicSeconds()
        for _ in 0..<window { _ = socket.send(get) }
        while BlockingSocket.monotonicSeconds() - start < seconds {
            let count = socket.receive(into: &buffer)
            if count > 0 {
                if buffer[1] == 5 { responses += 1 }
                _ = socket.send(get)
            } else {
                // Lost datagrams: refill the window.
                for _ in 0..<window { _ = socket.send(get) }
            }
        }
        return Double(responses) / (BlockingSocket.monotonicSeconds() - start)
    }
}
