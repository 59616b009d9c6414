/*
 * c-responder: the practical limit for one UDP socket on this machine.
 *
 * A minimal single-threaded responder of the course protocol, used side by side with our peer by
 * Scripts/bench.sh: recvfrom/sendto on one socket, no batching, no logging.
 *   GET   -> one RESPONSE (6 + size bytes) per held id, in order
 *   HELLO -> CHUNK_INFO with the held ids (nothing when none is held)
 *   QUERY -> CHUNK_INFO with the held ids, sent to the client named in the query
 * Every held id serves the same payload: the bytes of <chunk-file>.
 *
 * Usage: c-responder <ip> <port> <chunk-file> <held-id>[,<held-id>...]
 * Build: gcc -O2 -o c-responder c-responder.c
 * Stops on SIGTERM/SIGINT.
 */
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

static uint8_t held[65536];
static uint8_t payload[65536];
static size_t payload_size;

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void stop(int sig) { (void)sig; _exit(0); }

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
    int rcvbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) { fprintf(stderr, "bad ip %s\n", argv[1]); return 2; }
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("bind"); return 1; }
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    printf("c-responder %s:%s serving %zu-byte payload\n", argv[1], argv[2], payload_size);
    fflush(stdout);

    static uint8_t in[65536], out[65536];
    for (;;) {
        struct sockaddr_in from;
        socklen_t fromlen = sizeof from;
        ssize_t n = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&from, &fromlen);
        if (n < 4) continue;
        uint16_t type = get16(in);
        size_t header = type == 2 ? 10 : 2;
        if ((size_t)n < header + 2) continue;
        uint16_t count = get16(in + header);
        if ((size_t)n != header + 2 + 2u * count) continue;
        const uint8_t *ids = in + header + 2;
        if (type == 4) {
            for (uint16_t i = 0; i < count; i++) {
                uint16_t id = get16(ids + 2 * i);
                if (!held[id]) continue;
                put16(out, 5); put16(out + 2, id); put16(out + 4, (uint16_t)payload_size);
                memcpy(out + 6, payload, payload_size);
                sendto(fd, out, 6 + payload_size, 0, (struct sockaddr *)&from, fromlen);
            }
        } else if (type == 1 || type == 2) {
            uint16_t found = 0;
            for (uint16_t i = 0; i < count; i++) {
                uint16_t id = get16(ids + 2 * i);
                if (held[id]) put16(out + 4 + 2 * found++, id);
            }
            if (!found) continue;
            put16(out, 3); put16(out + 2, found);
            struct sockaddr_in to = from;
            if (type == 2) {
                memcpy(&to.sin_addr.s_addr, in + 2, 4);
                memcpy(&to.sin_port, in + 6, 2);
            }
            sendto(fd, out, 4 + 2u * found, 0, (struct sockaddr *)&to, sizeof to);
        }
    }
}
