// The reference for permessage-deflate decompression: zlib's raw inflate driven directly over the whole
// payload, apart from the Swift decompressor's buffering, limit accounting and end-of-stream handling.
// It keeps to the same call boundaries (input in 1 KiB blocks from the message's start, the rest with the
// tail; output in 16 KiB pieces), because zlib checks distances against the window only across calls.
#include "wsspec_fuzz.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

uint64_t wsspec_fnv1a(uint64_t hash, const uint8_t *data, size_t size) {
    for (size_t i = 0; i < size; i++) {
        hash ^= data[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

wsspec_inflate_outcome wsspec_inflate_reference(const uint8_t *data, size_t size, int window_bits, uint64_t limit) {
    wsspec_inflate_outcome outcome = {WSSPEC_INFLATE_OK, 0, WSSPEC_FNV1A_OFFSET};
    static const uint8_t tail[4] = {0x00, 0x00, 0xFF, 0xFF};
    uint8_t *input = malloc(size + sizeof tail);
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    // Only memory can run out here; a fuzz run is then over anyway.
    if (input == NULL || inflateInit2(&stream, -window_bits) != Z_OK) abort();
    if (size > 0) memcpy(input, data, size);
    memcpy(input + size, tail, sizeof tail);
    uint8_t *out = malloc(WSSPEC_INFLATE_OUTPUT_CHUNK);
    if (out == NULL) abort();
    size_t total = size + sizeof tail, whole_blocks = size - size % WSSPEC_INFLATE_INPUT_BLOCK;
    for (size_t start = 0; start < total && outcome.kind == WSSPEC_INFLATE_OK;) {
        size_t end = start < whole_blocks ? start + WSSPEC_INFLATE_INPUT_BLOCK : total;
        stream.next_in = input + start;
        stream.avail_in = (uInt)(end - start);
        start = end;
        int ended = 0;
        for (;;) {
            stream.next_out = out;
            stream.avail_out = WSSPEC_INFLATE_OUTPUT_CHUNK;
            int status = inflate(&stream, Z_SYNC_FLUSH);
            size_t produced = WSSPEC_INFLATE_OUTPUT_CHUNK - stream.avail_out;
            outcome.size += produced;
            if (outcome.size > limit) {
                outcome.kind = WSSPEC_INFLATE_TOO_BIG;
                break;
            }
            outcome.digest = wsspec_fnv1a(outcome.digest, out, produced);
            if (status == Z_STREAM_END) { ended = 1; break; }       // a final block: the rest is ignored
            if (status == Z_OK && stream.avail_out == 0) continue;  // more output may be pending
            if (status == Z_OK || status == Z_BUF_ERROR) break;     // this block is used up
            outcome.kind = WSSPEC_INFLATE_INVALID;
            break;
        }
        if (ended) break;
    }
    inflateEnd(&stream);
    free(out);
    free(input);
    return outcome;
}
