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
    return sendmmsg(fd, messages, count, 0);
}
