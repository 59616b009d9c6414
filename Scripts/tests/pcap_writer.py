"""Writes a classic pcap file (link type RAW: IPv4 packets) of UDP datagrams, for tshark to read."""

import struct

LINKTYPE_RAW = 101


def _checksum(header):
    total = sum(struct.unpack(f">{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4_udp(source, destination, payload):
    """One IPv4 packet carrying one UDP datagram; source and destination are (ip, port). UDP checksum 0 (none)."""
    udp = struct.pack(">HHHH", source[1], destination[1], 8 + len(payload), 0) + payload
    addresses = bytes(int(x) for x in source[0].split(".")) + bytes(int(x) for x in destination[0].split("."))
    header = struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0) + addresses
    header = header[:10] + struct.pack(">H", _checksum(header)) + header[12:]
    return header + udp


def write(path, datagrams):
    """datagrams: (source, destination, payload) in order, one packet each, a millisecond apart."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_RAW))
        for number, (source, destination, payload) in enumerate(datagrams):
            packet = ipv4_udp(source, destination, payload)
            f.write(struct.pack("<IIII", 1_700_000_000, number * 1000, len(packet), len(packet)))
            f.write(packet)
