#define _GNU_SOURCE
#include "CDatagramIO.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

int p2p_send_datagrams(int fd, const struct p2p_datagram *datagrams, unsigned count) {
    struct mmsghdr messages[P2P_SEND_BATCH_MAX];
    struct iovec vectors[P2P_SEND_BATCH_MAX];
    struct sockaddr_in addresses[P2P_SEND_BATCH_MAX];
    if (count > P2P_SEND_BATCH_MAX) count = P2P_SEND_BATCH_MAX;
    for (unsigned i = 0; i < count; i++) {
        memset(&addresses[i], 0, sizeof addresses[i]);
        addresses[i].sin_family = AF_INET;
        addresses[i].sin_addr.s_addr = datagrams[i].ip_be;
        addresses[i].sin_port = datagrams[i].port_be;
        vectors[i].iov_base = (void *)datagrams[i].bytes;
        vectors[i].iov_len = datagrams[i].length;
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_name = &addresses[i];
        messages[i].msg_hdr.msg_namelen = sizeof addresses[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(fd, messages, count, MSG_DONTWAIT);
}

int p2p_receive_datagrams(int fd, void *buffer, size_t slot_bytes, unsigned count, struct p2p_received *received) {
    struct mmsghdr messages[P2P_RECEIVE_BATCH_MAX];
    struct iovec vectors[P2P_RECEIVE_BATCH_MAX];
    struct sockaddr_in addresses[P2P_RECEIVE_BATCH_MAX];
    if (count > P2P_RECEIVE_BATCH_MAX) count = P2P_RECEIVE_BATCH_MAX;
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = (char *)buffer + (size_t)i * slot_bytes;
        vectors[i].iov_len = slot_bytes;
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_name = &addresses[i];
        messages[i].msg_hdr.msg_namelen = sizeof addresses[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    int read = recvmmsg(fd, messages, count, MSG_WAITFORONE, NULL);
    for (int i = 0; i < read; i++) {
        // Once the socket is shut down for reading, Linux returns an empty message with no source.
        if (messages[i].msg_hdr.msg_namelen != sizeof addresses[i]) return i;
        received[i].length = messages[i].msg_len;
        received[i].ip_be = addresses[i].sin_addr.s_addr;
        received[i].port_be = addresses[i].sin_port;
    }
    return read;
}
