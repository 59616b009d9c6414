"""A reference decoder of one datagram, written from ../shared/docs/PROTOCOL.md and the Swift decoder's rules
(ChunkMessage+Coding.swift): what the dissector's fields must say about it.

decode(payload) returns a dict with the keys the dissector's fields have: type, client ("ip:port"), ttl, count,
chunks (the ids present), chunk and size (RESPONSE), malformed (the label our peers trace when they drop it:
truncated, trailing_bytes, unknown_type, size_mismatch) and expert (short, count_mismatch, trailing,
unknown_type, size_mismatch).
"""

import struct

NAMES = {1: "HELLO", 2: "QUERY", 3: "CHUNK_INFO", 4: "GET", 5: "RESPONSE"}
TRACE_NAMES = {1: "hello", 2: "query", 3: "chunk_info", 4: "get", 5: "response"}
# Bytes before the chunk list's count.
LIST_HEADER = {1: 2, 2: 10, 3: 2, 4: 2}


def _u16(data, offset):
    return struct.unpack_from(">H", data, offset)[0]


def _chunk_list(data, offset, fields):
    length = len(data)
    if length < offset + 2:
        fields.update(malformed="truncated", expert="short")
        return fields
    count = _u16(data, offset)
    present = min(count, (length - offset - 2) // 2)
    fields.update(count=count, chunks=[_u16(data, offset + 2 + 2 * i) for i in range(present)])
    expected = offset + 2 + 2 * count
    if length < expected:
        fields.update(malformed="truncated", expert="count_mismatch")
    elif length > expected:
        fields.update(malformed="trailing_bytes", expert="trailing")
    return fields


def _response(data, fields):
    if len(data) < 6:
        fields.update(malformed="truncated", expert="short")
        if len(data) >= 4:
            fields["chunk"] = _u16(data, 2)
        return fields
    fields.update(chunk=_u16(data, 2), size=_u16(data, 4))
    if len(data) - 6 != fields["size"]:
        fields.update(malformed="size_mismatch", expert="size_mismatch")
    return fields


def decode(data):
    """The fields of one UDP payload (bytes) as the dissector must show them; absent keys are absent fields."""
    if len(data) < 2:
        return {"malformed": "truncated", "expert": "short"}
    kind = _u16(data, 0)
    fields = {"type": kind}
    if kind not in NAMES:
        fields.update(malformed="unknown_type", expert="unknown_type")
        return fields
    if kind == 5:
        return _response(data, fields)
    if kind == 2 and len(data) >= 10:
        ip = ".".join(str(b) for b in data[2:6])
        fields.update(client=f"{ip}:{_u16(data, 6)}", ttl=_u16(data, 8))
    return _chunk_list(data, LIST_HEADER[kind], fields)


def info(data):
    """The info column of a well-formed datagram: "QUERY ttl=2 client=10.0.0.4:5004 chunks=1,3,4"."""
    fields = decode(data)
    name = NAMES[fields["type"]]
    if fields["type"] == 5:
        return f"{name} chunk={fields['chunk']} size={fields['size']}"
    query = f" ttl={fields['ttl']} client={fields['client']}" if fields["type"] == 2 else ""
    return f"{name}{query} chunks={','.join(str(c) for c in fields['chunks'])}"
