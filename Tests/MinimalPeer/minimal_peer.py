#!/usr/bin/env python3
"""A minimal peer of the course protocol (PROTOCOL.md), untraced and written apart from the Swift one.

    minimal_peer.py <ip:port> <key-values-file> [<neighbour ip:port>...]

HELLO: CHUNK_INFO for the held chunks, QUERY ttl 3 to every neighbour. QUERY: CHUNK_INFO to the client it carries,
forward with ttl - 1 (when above 0) to every neighbour but the sender. GET: one RESPONSE per held chunk.
The capture tests replay its floods from a packet capture alone.
"""
import os
import socket
import struct
import sys


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def read_chunks(path):
    folder = os.path.dirname(os.path.abspath(path))
    chunks = {}
    with open(path) as lines:
        for line in lines:
            if line.strip():
                key, name = line.split(":", 1)
                with open(os.path.join(folder, name.strip()), "rb") as chunk:
                    chunks[int(key)] = chunk.read()
    return chunks


def chunk_list(data, at):
    (count,) = struct.unpack_from(">H", data, at)
    return list(struct.unpack_from(">%dH" % count, data, at + 2))


def handle(sock, data, sender, chunks, neighbours):
    (kind,) = struct.unpack_from(">H", data)
    if kind in (1, 2):
        if kind == 1:
            client, ttl, ids = sender, 3, chunk_list(data, 2)
        else:
            ip, port, received_ttl = struct.unpack_from(">4sHH", data, 2)
            client, ttl, ids = (socket.inet_ntoa(ip), port), received_ttl - 1, chunk_list(data, 10)
        held = [i for i in ids if i in chunks]
        if held:
            sock.sendto(struct.pack(">HH%dH" % len(held), 3, len(held), *held), client)
        if ttl > 0:
            query = struct.pack(">H4sHHH%dH" % len(ids), 2, socket.inet_aton(client[0]), client[1], ttl, len(ids), *ids)
            for neighbour in neighbours:
                if kind == 1 or neighbour != sender:
                    sock.sendto(query, neighbour)
    elif kind == 4:
        for i in chunk_list(data, 2):
            if i in chunks:
                sock.sendto(struct.pack(">HHH", 5, i, len(chunks[i])) + chunks[i], sender)


def main():
    me, chunks = address(sys.argv[1]), read_chunks(sys.argv[2])
    neighbours = [address(a) for a in sys.argv[3:]]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(me)
    while True:
        data, sender = sock.recvfrom(65535)
        try:
            handle(sock, data, sender, chunks, neighbours)
        except struct.error:
            pass  # malformed: ignored, as the course peers do


main()
