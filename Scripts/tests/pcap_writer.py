"""Writes a classic pcap file (link type RAW: IPv4 packets) of UDP datagrams, for tshark to read."""

import struct

LINKTYPE_RAW = 101


def _checksum(header):
    total = sum(struct.unpack(f">{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _ipv4(source, destination, body, identification=1, offset=0, more=False):
    addresses = bytes(int(x) for x in source.split(".")) + bytes(int(x) for x in destination.split("."))
    flags = (0x2000 if more else 0) | (offset // 8)
    header = struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(body), identification, flags, 64, 17, 0) + addresses
    return header[:10] + struct.pack(">H", _checksum(header)) + header[12:] + body


def ipv4_udp(source, destination, payload, mtu=None):
    """The IPv4 packets carrying one UDP datagram (fragments of at most `mtu` bytes if given); source and
    destination are (ip, port). UDP checksum 0 (none)."""
    udp = struct.pack(">HHHH", source[1], destination[1], 8 + len(payload), 0) + payload
    step = len(udp) if mtu is None else (mtu - 20) // 8 * 8
    return [_ipv4(source[0], destination[0], udp[at:at + step], offset=at, more=at + step < len(udp))
            for at in range(0, len(udp), step)]


def write(path, datagrams, mtu=None, snaplen=65535):
    """datagrams: (source, destination, payload) in order, a millisecond apart; each packet is cut to `snaplen`
    bytes as a capture with that snaplen keeps it."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, LINKTYPE_RAW))
        packets = [p for source, destination, payload in datagrams for p in ipv4_udp(source, destination, payload, mtu)]
        for number, packet in enumerate(packets):
            kept = packet[:snaplen]
            f.write(struct.pack("<IIII", 1_700_000_000, number * 1000, len(kept), len(packet)))
            f.write(kept)
