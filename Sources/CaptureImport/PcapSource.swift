import CPcap

#if canImport(Glibc)
import Glibc
#endif

/// A libpcap handle on a capture file (pcap or pcapng, `pcap_open_offline`) or a live interface, giving packets
/// as `CapturedFrame`s numbered from 1.
///
/// Not thread-safe; `close()` (or deinit) releases the handle.
package final class PcapSource {
    /// What the packets come from: the file's path or the interface's name.
    package let name: String
    package let linkType: LinkType
    private let isLive: Bool
    private var handle: OpaquePointer?
    private var nextNumber = 1

    private init(handle: OpaquePointer, name: String, isLive: Bool) throws(CaptureError) {
        let dlt = pcap_datalink(handle)
        guard let linkType = LinkType(dlt: dlt) else {
            pcap_close(handle)
            let dltName = pcap_datalink_val_to_name(dlt).map { String(cString: $0) } ?? "unknown"
            throw .unsupportedLinkType(source: name, dlt: dlt, name: dltName)
        }
        self.handle = handle
        self.name = name
        self.isLive = isLive
        self.linkType = linkType
    }

    /// Opens a capture file.
    package static func open(file path: String) throws(CaptureError) -> PcapSource {
        guard access(path, R_OK) == 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        var error = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline(path, &error) else {
            throw .notACapture(path: path, reason: Self.text(error))
        }
        return try PcapSource(handle: handle, name: path, isLive: false)
    }

    /// Starts capturing on `interface` (whole packets, not promiscuous, delivered at once).
    package static func open(interface: String) throws(CaptureError) -> PcapSource {
        var error = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &error) else {
            throw .interfaceUnavailable(interface: interface, reason: Self.text(error))
        }
        pcap_set_snaplen(handle, 262_144)
        pcap_set_promisc(handle, 0)
        pcap_set_timeout(handle, 100)
        pcap_set_immediate_mode(handle, 1)
        let status = pcap_activate(handle)
        // Non-blocking, with our own bounded poll in `next()`: a blocked read would not see SIGINT/SIGTERM.
        if status < 0 || pcap_setnonblock(handle, 1, &error) < 0 {
            let reason = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            throw .interfaceUnavailable(interface: interface, reason: reason.isEmpty ? "error \(status)" : reason)
        }
        return try PcapSource(handle: handle, name: interface, isLive: true)
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Keeps only the packets matching a BPF filter (tcpdump syntax).
    package func setFilter(_ filter: String) throws(CaptureError) {
        guard let handle else { return }
        var program = bpf_program()
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw .badFilter(filter: filter, reason: String(cString: pcap_geterr(handle)))
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw .badFilter(filter: filter, reason: String(cString: pcap_geterr(handle)))
        }
    }

    /// What one read gave.
    package enum Read {
        case frame(CapturedFrame)
        /// A live capture's read timeout passed without a packet.
        case idle
        /// The file has no more packets.
        case end
    }

    /// Reads the next packet.
    ///
    /// - Throws: `CaptureError.damaged` when a file breaks inside a packet (everything before was returned).
    package func next() throws(CaptureError) -> Read {
        guard let handle else { return .end }
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1:
            guard let header, let data else { return .idle }
            let info = header.pointee
            let frame = CapturedFrame(
                number: nextNumber, timestamp: Int64(info.ts.tv_sec) * 1_000_000 + Int64(info.ts.tv_usec),
                bytes: Array(UnsafeBufferPointer(start: data, count: Int(info.caplen))),
                originalLength: Int(info.len))
            nextNumber += 1
            return .frame(frame)
        case 0:
            if isLive { waitForPackets(handle, milliseconds: 100) }
            return .idle
        case PCAP_ERROR_BREAK:
            return .end
        default:
            let reason = String(cString: pcap_geterr(handle))
            if isLive { throw .captureFailed(interface: name, packet: nextNumber, reason: reason) }
            throw .damaged(path: name, packet: nextNumber, reason: reason)
        }
    }

    private func waitForPackets(_ handle: OpaquePointer, milliseconds: Int32) {
        var descriptor = pollfd(fd: pcap_get_selectable_fd(handle), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { return }
        _ = poll(&descriptor, 1, milliseconds)
    }

    /// Packets the kernel dropped before libpcap read them (live captures only).
    package var kernelDrops: Int? {
        guard isLive, let handle else { return nil }
        var stats = pcap_stat()
        return pcap_stats(handle, &stats) == 0 ? Int(stats.ps_drop) : nil
    }

    package func close() {
        if let handle { pcap_close(handle) }
        handle = nil
    }

    deinit { close() }
}
