/*
 * c-responder-batched: the batched limit for one UDP socket on this machine.
 *
 * The course-protocol responder of c-responder.c, batched the way a careful C server would be: one recvmmsg(2)
 * reads up to 64 datagrams, and the replies of that burst leave in one sendmmsg(2) (more calls only if the kernel
 * takes part of the batch). Same answers as c-responder.c:
 *   GET   -> one RESPONSE (6 + size bytes) per held id, in order
 *   HELLO -> CHUNK_INFO with the held ids (nothing when none is held)
 *   QUERY -> CHUNK_INFO with the held ids, sent to the client named in the query
 * Every held id serves the same payload: the bytes of <chunk-file>. A reply the kernel refuses is skipped alone.
 *
 * Usage: c-responder-batched <ip> <port> <chunk-file> <held-id>[,<held-id>...]
 * Build: gcc -O2 -o c-responder-batched c-responder-batched.c
 * Stops on SIGTERM/SIGINT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64            /* datagrams read per recvmmsg */
#define MAX_REPLIES 1024    /* replies sent per burst: a GET may name many held ids */
#define SLOT 65536

static uint8_t held[65536];
static uint8_t payload[65536];
static size_t payload_size;

static uint8_t in[BATCH][SLOT];
static struct sockaddr_in from[BATCH];
static struct iovec in_iov[BATCH];
static struct mmsghdr in_msgs[BATCH];

/* A reply is a small header (RESPONSE: type, id, size; CHUNK_INFO: the whole message) plus, for a RESPONSE, the
 * shared payload as a second iovec: nothing is copied per reply. */
static uint8_t head[MAX_REPLIES][4 + 2 * 65536 / 64];
static struct sockaddr_in to[MAX_REPLIES];
static struct iovec out_iov[MAX_REPLIES][2];
static struct mmsghdr out_msgs[MAX_REPLIES];
static unsigned replies;

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void stop(int sig) { (void)sig; _exit(0); }

static void flush_replies(int fd) {
    unsigned done = 0;
    while (done < replies) {
        int sent = sendmmsg(fd, out_msgs + done, replies - done, 0);
        if (sent > 0) done += (unsigned)sent;
        else if (errno == EINTR) continue;
        else done++; /* this reply was refused: skip it alone */
    }
    replies = 0;
}

static uint8_t *add_reply(int fd, const struct sockaddr_in *dest, size_t head_size, int with_payload) {
    if (replies == MAX_REPLIES) flush_replies(fd);
    unsigned i = replies++;
    to[i] = *dest;
    out_iov[i][0] = (struct iovec){head[i], head_size};
    out_iov[i][1] = (struct iovec){payload, payload_size};
    out_msgs[i].msg_hdr = (struct msghdr){.msg_name = &to[i], .msg_namelen = sizeof to[i], .msg_iov = out_iov[i],
                                          .msg_iovlen = with_payload ? 2 : 1};
    return head[i];
}

static void answer(int fd, const uint8_t *msg, size_t n, const struct sockaddr_in *source) {
    if (n < 4) return;
    uint16_t type = get16(msg);
    size_t header = type == 2 ? 10 : 2;
    if (n < header + 2) return;
    uint16_t count = get16(msg + header);
    if (n != header + 2 + 2u * count) return;
    const uint8_t *ids = msg + header + 2;
    if (type == 4) {
        for (uint16_t i = 0; i < count; i++) {
            uint16_t id = get16(ids + 2 * i);
            if (!held[id]) continue;
            uint8_t *h = add_reply(fd, source, 6, 1);
            put16(h, 5); put16(h + 2, id); put16(h + 4, (uint16_t)payload_size);
        }
    } else if (type == 1 || type == 2) {
        uint16_t found = 0;
        for (uint16_t i = 0; i < count; i++) if (held[get16(ids + 2 * i)]) found++;
        if (!found || found > (sizeof head[0] - 4) / 2) return;
        struct sockaddr_in dest = *source;
        if (type == 2) {
            memcpy(&dest.sin_addr.s_addr, msg + 2, 4);
            memcpy(&dest.sin_port, msg + 6, 2);
        }
        uint8_t *h = add_reply(fd, &dest, 4 + 2u * found, 0);
        put16(h, 3); put16(h + 2, found);
        found = 0;
        for (uint16_t i = 0; i < count; i++) {
            uint16_t id = get16(ids + 2 * i);
            if (held[id]) put16(h + 4 + 2 * found++, id);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s <ip> <port> <chunk-file> <held-id>[,<held-id>...]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[3], "rb");
    if (!f) { perror(argv[3]); return 1; }
    payload_size = fread(payload, 1, sizeof payload - 6, f);
    fclose(f);
    for (char *id = strtok(argv[4], ","); id; id = strtok(NULL, ",")) held[(uint16_t)atoi(id)] = 1;

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) { perror("socket"); return 1; }
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) { fprintf(stderr, "bad ip %s\n", argv[1]); return 2; }
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("bind"); return 1; }
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    printf("c-responder-batched %s:%s serving %zu-byte payload, reading up to %d datagrams a call\n", argv[1],
           argv[2], payload_size, BATCH);
    fflush(stdout);

    for (int i = 0; i < BATCH; i++) {
        in_iov[i] = (struct iovec){in[i], SLOT};
        in_msgs[i].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_iov = &in_iov[i], .msg_iovlen = 1};
    }
    for (;;) {
        for (int i = 0; i < BATCH; i++) in_msgs[i].msg_hdr.msg_namelen = sizeof from[i];
        /* Blocks for the first datagram, then takes what is already queued, up to BATCH. */
        int got = recvmmsg(fd, in_msgs, BATCH, MSG_WAITFORONE, NULL);
        if (got <= 0) continue;
        for (int i = 0; i < got; i++) answer(fd, in[i], in_msgs[i].msg_len, &from[i]);
        flush_replies(fd);
    }
}
