// Turns a fuzz input into the choices that drive a shim: role, mode, variant, and cut points drawn from
// a seed, so that the same input always exercises the same segmentation.
#include "wsspec_fuzz.h"
#include "splitmix.h"
#include <stdlib.h>
#include <string.h>

static int compare_sizes(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

int wsspec_slice_input(const uint8_t *data, size_t size, wsspec_slice *out) {
    if (data == NULL || size < WSSPEC_SLICE_HEADER_SIZE) return -1;
    memset(out, 0, sizeof *out);
    out->role = data[0] & 1;
    out->mode = (data[0] >> 1) & 1;
    out->variant = (data[0] >> 2) & 1;
    for (int i = 0; i < 8; i++) out->seed |= (uint64_t)data[1 + i] << (8 * i);
    out->stream = data + WSSPEC_SLICE_HEADER_SIZE;
    out->stream_size = size - WSSPEC_SLICE_HEADER_SIZE;
    if (out->stream_size < 2) return 0;
    uint64_t state = out->seed;
    size_t wanted = (size_t)(wsspec_splitmix_next(&state) % (WSSPEC_MAX_CUTS + 1));
    size_t candidates[WSSPEC_MAX_CUTS];
    for (size_t i = 0; i < wanted; i++) candidates[i] = 1 + (size_t)(wsspec_splitmix_next(&state) % (out->stream_size - 1));
    qsort(candidates, wanted, sizeof candidates[0], compare_sizes);
    for (size_t i = 0; i < wanted; i++) {
        if (out->cut_count == 0 || candidates[i] != out->cuts[out->cut_count - 1]) out->cuts[out->cut_count++] = candidates[i];
    }
    return 0;
}

void wsspec_slice_header(int role, int mode, int variant, uint64_t seed, uint8_t out[WSSPEC_SLICE_HEADER_SIZE]) {
    out[0] = (uint8_t)((role & 1) | ((mode & 1) << 1) | ((variant & 1) << 2));
    for (int i = 0; i < 8; i++) out[1 + i] = (uint8_t)(seed >> (8 * i));
}

const char *wsspec_result_name(int result) {
    switch (result) {
    case WSSPEC_OK: return "ok";
    case WSSPEC_STREAMED_DIFFERS: return "the streamed result differs from the whole-buffer result";
    case WSSPEC_ROUND_TRIP_DIFFERS: return "serialize(parse(x)) or decompress(compress(x)) differs from x";
    case WSSPEC_ORACLE_DIFFERS: return "the Swift code disagrees with the C reference";
    default: return "unknown result";
    }
}

// libFuzzer's own byte-level mutator when the fuzzer runtime is linked in, else nothing (weak symbol).
extern size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));

size_t wsspec_libfuzzer_mutate(uint8_t *data, size_t size, size_t max_size) {
    return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
}
