// SplitMix64, the shims' only source of pseudo-randomness (cut points, mutation choices): small, and
// the same sequence everywhere for the same seed.
#ifndef WSSPEC_SPLITMIX_H
#define WSSPEC_SPLITMIX_H
#include <stdint.h>

static inline uint64_t wsspec_splitmix_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
#endif
