// A structure-aware mutator for frame streams: it changes one field of one frame at a time and rewrites
// the header so that its length always matches the payload, so the fuzzer spends its time on frames a
// parser reads to the end instead of on streams that only ever say "incomplete".
#include "wsspec_fuzz.h"
#include "splitmix.h"
#include <stdlib.h>
#include <string.h>

int wsspec_read_frame_header(const uint8_t *data, size_t size, wsspec_frame_header *out) {
    if (size < 2) return -1;
    memset(out, 0, sizeof *out);
    out->fin = data[0] >> 7;
    out->rsv1 = (data[0] >> 6) & 1;
    out->rsv2 = (data[0] >> 5) & 1;
    out->rsv3 = (data[0] >> 4) & 1;
    out->opcode = data[0] & 0x0F;
    out->masked = data[1] >> 7;
    uint8_t short_length = data[1] & 0x7F;
    out->length_size = short_length == 126 ? 2 : short_length == 127 ? 8 : 0;
    out->header_size = 2 + (size_t)out->length_size + (out->masked ? 4 : 0);
    if (size < out->header_size) return -1;
    out->length = short_length;
    if (out->length_size > 0) {
        out->length = 0;
        for (int i = 0; i < out->length_size; i++) out->length = (out->length << 8) | data[2 + i];
    }
    if (out->masked) memcpy(out->mask, data + 2 + out->length_size, 4);
    return 0;
}

size_t wsspec_write_frame_header(const wsspec_frame_header *header, uint8_t *out) {
    out[0] = (uint8_t)((header->fin << 7) | (header->rsv1 << 6) | (header->rsv2 << 5) | (header->rsv3 << 4) | (header->opcode & 0x0F));
    uint8_t mask_bit = header->masked ? 0x80 : 0;
    size_t n = 2;
    if (header->length_size == 0) {
        out[1] = mask_bit | (uint8_t)header->length;
    } else {
        out[1] = mask_bit | (header->length_size == 2 ? 126 : 127);
        for (int i = header->length_size - 1; i >= 0; i--) out[n++] = (uint8_t)(header->length >> (8 * i));
    }
    if (header->masked) {
        memcpy(out + n, header->mask, 4);
        n += 4;
    }
    return n;
}

static int minimal_length_size(uint64_t length) { return length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8; }

typedef struct {
    size_t offset;
    wsspec_frame_header header;
} frame_position;

// Finds the whole frames at the start of the stream; returns how many, up to `capacity`.
static size_t index_frames(const uint8_t *stream, size_t size, frame_position *frames, size_t capacity) {
    size_t count = 0, offset = 0;
    while (count < capacity) {
        wsspec_frame_header header;
        if (wsspec_read_frame_header(stream + offset, size - offset, &header) != 0) break;
        if (header.length > size - offset - header.header_size) break;
        frames[count].offset = offset;
        frames[count].header = header;
        count++;
        offset += header.header_size + (size_t)header.length;
    }
    return count;
}

#define MAX_INDEXED_FRAMES 256

int wsspec_mutate_frame(uint8_t *stream, size_t size, size_t max_size, size_t frame_index, int mutation, uint64_t random,
                        size_t *result_size) {
    frame_position frames[MAX_INDEXED_FRAMES];
    size_t count = index_frames(stream, size, frames, MAX_INDEXED_FRAMES);
    if (frame_index >= count) return -1;
    wsspec_frame_header header = frames[frame_index].header;
    const uint8_t *old_payload = stream + frames[frame_index].offset + header.header_size;
    size_t old_length = (size_t)header.length;
    size_t frame_start = frames[frame_index].offset;
    size_t frame_end = frame_start + header.header_size + old_length;
    uint64_t state = random;

    // The replacement for this frame: a header and a payload (copies of the old payload, resized).
    size_t new_length = old_length;
    int copies = 1;
    switch (mutation) {
    case WSSPEC_MUTATE_FIN: header.fin ^= 1; break;
    case WSSPEC_MUTATE_RSV: {
        int bit = (int)(wsspec_splitmix_next(&state) % 3);
        if (bit == 0) header.rsv1 ^= 1; else if (bit == 1) header.rsv2 ^= 1; else header.rsv3 ^= 1;
        break;
    }
    case WSSPEC_MUTATE_OPCODE: header.opcode = (int)(wsspec_splitmix_next(&state) % 16); break;
    case WSSPEC_MUTATE_MASK:
        header.masked ^= 1;
        if (header.masked) {
            uint64_t key = wsspec_splitmix_next(&state);
            memcpy(header.mask, &key, 4);
        }
        break;
    case WSSPEC_MUTATE_LENGTH: {
        static const size_t edges[] = {0, 1, 2, 123, 124, 125, 126, 127, 65535, 65536};
        uint64_t pick = wsspec_splitmix_next(&state);
        new_length = (pick & 1) ? edges[(pick >> 1) % (sizeof edges / sizeof edges[0])] : (size_t)((pick >> 1) % 200);
        header.length = new_length;
        header.length_size = minimal_length_size(new_length);
        break;
    }
    case WSSPEC_MUTATE_ENCODING:
        if (header.length_size == 8) return -1;
        header.length_size = header.length_size == 0 ? ((wsspec_splitmix_next(&state) & 1) ? 2 : 8) : 8;
        break;
    case WSSPEC_MUTATE_PAYLOAD_BYTE:
        if (old_length == 0) return -1;
        break;
    case WSSPEC_MUTATE_DUPLICATE: copies = 2; break;
    case WSSPEC_MUTATE_DELETE: copies = 0; break;
    default: return -1;
    }
    if (header.length_size == 0 && header.length > 125) header.length_size = minimal_length_size(header.length);

    uint8_t header_bytes[14];
    size_t header_size = wsspec_write_frame_header(&header, header_bytes);
    size_t replacement = (size_t)copies * (header_size + new_length);
    size_t new_size = size - (frame_end - frame_start) + replacement;
    if (new_size > max_size) return -1;

    uint8_t *out = malloc(new_size > 0 ? new_size : 1);
    if (out == NULL) return -1;
    memcpy(out, stream, frame_start);
    size_t cursor = frame_start;
    for (int copy = 0; copy < copies; copy++) {
        memcpy(out + cursor, header_bytes, header_size);
        cursor += header_size;
        size_t kept = old_length < new_length ? old_length : new_length;
        memcpy(out + cursor, old_payload, kept);
        for (size_t i = kept; i < new_length; i++) out[cursor + i] = (uint8_t)wsspec_splitmix_next(&state);
        if (mutation == WSSPEC_MUTATE_PAYLOAD_BYTE && copy == 0) {
            uint64_t pick = wsspec_splitmix_next(&state);
            out[cursor + (size_t)(pick % new_length)] ^= (uint8_t)(1 + (pick >> 32) % 255);
        }
        cursor += new_length;
    }
    memcpy(out + cursor, stream + frame_end, size - frame_end);
    memcpy(stream, out, new_size);
    free(out);
    *result_size = new_size;
    return 0;
}

size_t wsspec_mutate_frames(uint8_t *data, size_t size, size_t max_size, unsigned int seed, wsspec_byte_mutator fallback) {
    uint64_t state = seed;
    if (size < WSSPEC_SLICE_HEADER_SIZE || max_size <= WSSPEC_SLICE_HEADER_SIZE) {
        return fallback ? fallback(data, size, max_size) : size;
    }
    uint8_t *stream = data + WSSPEC_SLICE_HEADER_SIZE;
    size_t stream_size = size - WSSPEC_SLICE_HEADER_SIZE, stream_max = max_size - WSSPEC_SLICE_HEADER_SIZE;
    frame_position frames[MAX_INDEXED_FRAMES];
    size_t count = index_frames(stream, stream_size, frames, MAX_INDEXED_FRAMES);
    // One time in eight (or when there is no whole frame) let libFuzzer's byte-level mutations loose too,
    // and now and then change the slice header (role, mode, segmentation seed).
    uint64_t choice = wsspec_splitmix_next(&state);
    if (count == 0 || choice % 8 == 0) {
        if (fallback) return fallback(data, size, max_size);
        if (count == 0) return size;
    }
    if (choice % 8 == 1) {
        data[1 + (wsspec_splitmix_next(&state) % 8)] ^= (uint8_t)(wsspec_splitmix_next(&state) | 1);
        data[0] ^= (uint8_t)(1u << (wsspec_splitmix_next(&state) % 3));
        return size;
    }
    for (int attempt = 0; attempt < 4; attempt++) {
        size_t frame = (size_t)(wsspec_splitmix_next(&state) % count);
        int mutation = (int)(wsspec_splitmix_next(&state) % WSSPEC_MUTATION_COUNT);
        size_t result = 0;
        if (wsspec_mutate_frame(stream, stream_size, stream_max, frame, mutation, wsspec_splitmix_next(&state), &result) == 0) {
            return WSSPEC_SLICE_HEADER_SIZE + result;
        }
    }
    return size;
}
