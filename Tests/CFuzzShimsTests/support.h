// Helpers shared by the cmocka tests of the fuzz shims.
#ifndef WSSPEC_FUZZ_TEST_SUPPORT_H
#define WSSPEC_FUZZ_TEST_SUPPORT_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "wsspec_fuzz.h"

// Appends a frame (header and `length` payload bytes of `fill`) to `out` at *size.
static inline void append_frame(uint8_t *out, size_t *size, int fin, int opcode, int masked, uint64_t length, uint8_t fill) {
    wsspec_frame_header header = {0};
    header.fin = fin;
    header.opcode = opcode;
    header.masked = masked;
    if (masked) memcpy(header.mask, "\x11\x22\x33\x44", 4);
    header.length = length;
    header.length_size = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
    *size += wsspec_write_frame_header(&header, out + *size);
    memset(out + *size, fill, (size_t)length);
    *size += (size_t)length;
}

// Walks a stream of frames; returns how many whole frames it holds, or -1 if bytes are left over.
static inline int count_whole_frames(const uint8_t *stream, size_t size) {
    size_t offset = 0;
    int count = 0;
    while (offset < size) {
        wsspec_frame_header header;
        if (wsspec_read_frame_header(stream + offset, size - offset, &header) != 0) return -1;
        if (header.length > size - offset - header.header_size) return -1;
        offset += header.header_size + (size_t)header.length;
        count++;
    }
    return count;
}
#endif
