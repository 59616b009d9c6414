#ifndef C_DATAGRAM_IO_H
#define C_DATAGRAM_IO_H

#include <stddef.h>
#include <stdint.h>

/// One datagram to send: its bytes and its IPv4 destination (address and port in network byte order).
struct p2p_datagram {
    const void *bytes;
    size_t length;
    uint32_t ip_be;
    uint16_t port_be;
};

/// The most datagrams one call of `p2p_send_datagrams` hands to the kernel.
#define P2P_SEND_BATCH_MAX 64

/// Sends `datagrams[0..<count]` from socket `fd` in order with one sendmmsg(2) (at most P2P_SEND_BATCH_MAX), without
/// waiting for room in the socket's buffer (MSG_DONTWAIT).
///
/// Returns how many were sent, from the first; or -1 with errno set when the first one was refused, so a caller
/// skips that one alone and calls again for the rest. (Swift's Glibc module does not expose sendmmsg.)
int p2p_send_datagrams(int fd, const struct p2p_datagram *datagrams, unsigned count);

/// One datagram read by `p2p_receive_datagrams`: its length and its IPv4 source (network byte order).
struct p2p_received {
    size_t length;
    uint32_t ip_be;
    uint16_t port_be;
};

/// The most datagrams one call of `p2p_receive_datagrams` reads.
#define P2P_RECEIVE_BATCH_MAX 64

/// Reads up to `count` datagrams (at most P2P_RECEIVE_BATCH_MAX) from socket `fd` with one recvmmsg(2): it waits
/// for the first (MSG_WAITFORONE), then takes what is queued without waiting.
///
/// Datagram `i` is written to `buffer + i * slot_bytes` (at most `slot_bytes` bytes; a longer one is cut) and
/// described in `received[i]`. Returns how many were read: 0 once the socket is shut down for reading (shutdown(2)
/// with SHUT_RD, which also wakes a thread waiting here); or -1 with errno set.
int p2p_receive_datagrams(int fd, void *buffer, size_t slot_bytes, unsigned count, struct p2p_received *received);

#endif
