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

/// Sends `datagrams[0..<count]` from socket `fd` in order with one sendmmsg(2) (at most P2P_SEND_BATCH_MAX).
///
/// Returns how many were sent, from the first; or -1 with errno set when the first one was refused, so a caller
/// skips that one alone and calls again for the rest. (Swift's Glibc module does not expose sendmmsg.)
int p2p_send_datagrams(int fd, const struct p2p_datagram *datagrams, unsigned count);

#endif
