/* zlib level 1 (streaming) vs libdeflate (64 KiB gzip members) on trace lines: see Benchmarks/PROFILE.md.
 * Build: gcc -O2 -o deflate-vs-zlib deflate-vs-zlib.c -lz /usr/lib/x86_64-linux-gnu/libdeflate.so.0
 * Run:   zcat <trace segments> | head -c 60000000 > sample.jsonl; ./deflate-vs-zlib sample.jsonl */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
struct libdeflate_compressor;
struct libdeflate_compressor *libdeflate_alloc_compressor(int level);
size_t libdeflate_gzip_compress(struct libdeflate_compressor *c, const void *in, size_t in_nbytes, void *out, size_t out_nbytes_avail);
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    char *in = malloc(n); fread(in, 1, n, f); fclose(f);
    long lines = 0; for (long i = 0; i < n; i++) lines += in[i] == '\n';
    size_t chunk = 64 * 1024;  /* like a 250 ms batch at moderate rates */
    char *out = malloc(2 * chunk + 1024);
    for (int level = 1; level <= 1; level++) {
        z_stream z; memset(&z, 0, sizeof z); deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        double t = now(); size_t total = 0;
        for (long off = 0; off < n; off += chunk) {
            z.next_in = (Bytef *)in + off; z.avail_in = (off + chunk <= n) ? chunk : n - off;
            do { z.next_out = (Bytef *)out; z.avail_out = 2 * chunk; deflate(&z, Z_NO_FLUSH); total += 2 * chunk - z.avail_out; } while (z.avail_in);
        }
        z.next_out = (Bytef *)out; z.avail_out = 2 * chunk; deflate(&z, Z_FINISH); total += 2 * chunk - z.avail_out;
        double dt = now() - t;
        printf("zlib level %d stream:        %6.0f ns/line  %5.1f B/line  %6.0f MB/s\n", level, dt / lines * 1e9, (double)total / lines, n / dt / 1e6);
    }
    for (int level = 1; level <= 6; level += 5) {
        struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
        double t = now(); size_t total = 0;
        for (long off = 0; off < n; off += chunk) {
            size_t len = (off + chunk <= n) ? chunk : n - off;
            total += libdeflate_gzip_compress(c, in + off, len, out, 2 * chunk + 1024);
        }
        double dt = now() - t;
        printf("libdeflate %d, 64 KiB members: %6.0f ns/line  %5.1f B/line  %6.0f MB/s\n", level, dt / lines * 1e9, (double)total / lines, n / dt / 1e6);
    }
    return 0;
}
