#ifndef CIGZIP_SHIM_H
#define CIGZIP_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <isa-l/igzip_lib.h>

/// Bytes of the level buffer igzip wants for `level` (0 … 3); 0 for level 0, which needs none.
static inline size_t cigzip_level_buffer_size(int level) {
    switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
    }
}

/// Compresses `input` into one whole gzip member (generic header, deflate data, CRC-32 and length trailer) at
/// `output`. Returns igzip's code (COMP_OK is 0) and stores the member's size in `produced`.
static inline int cigzip_gzip_member(
    struct isal_zstream *stream, int level, uint8_t *level_buffer, size_t level_buffer_size,
    const uint8_t *input, size_t input_size, uint8_t *output, size_t output_size, size_t *produced) {
    isal_deflate_stateless_init(stream);
    stream->level = (uint32_t)level;
    stream->level_buf = level_buffer;
    stream->level_buf_size = (uint32_t)level_buffer_size;
    stream->gzip_flag = IGZIP_GZIP;
    stream->next_in = (uint8_t *)input;
    stream->avail_in = (uint32_t)input_size;
    stream->next_out = output;
    stream->avail_out = (uint32_t)output_size;
    stream->end_of_stream = 1;
    stream->flush = NO_FLUSH;
    int code = isal_deflate_stateless(stream);
    *produced = stream->total_out;
    return code;
}
#endif
