// The masking transform of RFC 6455 §5.3 for WebSocketCore's `Masking`, in C so that the loop's code, and so
// its speed, does not depend on where the Swift optimizer happens to place it: the same Swift loop ran at 13.6
// or 19 GB/s depending on an unrelated function elsewhere in the module. Clang's vector extensions lower to
// SSE2 on x86-64 and NEON on ARM; the entry is aligned to a cache line for the same reason.
#include "CWebSocketKernels.h"
#include <string.h>

typedef uint8_t chunk_t __attribute__((vector_size(16)));

__attribute__((aligned(64)))
void wsspec_mask(const uint8_t key[4], size_t phase, const uint8_t *source, uint8_t *destination, size_t count) {
    size_t i = 0;
    size_t k = phase & 3;
    // Bring the destination to 16-byte alignment byte by byte, so the vector loop stores whole lines.
    size_t misalignment = (uintptr_t)destination & 15;
    size_t head = misalignment == 0 ? 0 : 16 - misalignment;
    if (head > count) head = count;
    for (; i < head; i++, k = (k + 1) & 3) destination[i] = source[i] ^ key[k];
    if (i + 16 <= count) {
        chunk_t pattern;
        for (size_t j = 0; j < 16; j++) pattern[j] = key[(k + j) & 3];
        // Four chunks a turn keep two load and two store ports busy; the stores are aligned, the loads need not be.
        for (; i + 64 <= count; i += 64) {
            chunk_t a, b, c, d;
            memcpy(&a, source + i, 16);
            memcpy(&b, source + i + 16, 16);
            memcpy(&c, source + i + 32, 16);
            memcpy(&d, source + i + 48, 16);
            a ^= pattern;
            b ^= pattern;
            c ^= pattern;
            d ^= pattern;
            memcpy(destination + i, &a, 16);
            memcpy(destination + i + 16, &b, 16);
            memcpy(destination + i + 32, &c, 16);
            memcpy(destination + i + 48, &d, 16);
        }
        for (; i + 16 <= count; i += 16) {
            chunk_t a;
            memcpy(&a, source + i, 16);
            a ^= pattern;
            memcpy(destination + i, &a, 16);
        }
    }
    // Whole chunks leave the key where it was: 16 is a multiple of 4.
    for (; i < count; i++, k = (k + 1) & 3) destination[i] = source[i] ^ key[k];
}
