#ifndef CWEBSOCKETKERNELS_H
#define CWEBSOCKETKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Skips whole 16-byte blocks of valid UTF-8 starting at `start`, which must be a character boundary
/// with at least three readable bytes before it (start >= 3). Returns the index of the lead byte of the
/// last multi-byte character checked, or of the first block it could not vouch for: a character
/// boundary from which the caller continues with exact, byte-by-byte checks. Never reads outside
/// [0, count).
size_t wsspec_utf8_skip_valid_blocks(const uint8_t *base, size_t start, size_t count);

/// Masks `count` bytes from `source` into `destination` (which may be the same memory; otherwise they must not
/// overlap) with the 4-byte `key` of RFC 6455 §5.3, byte i taking key[(i + phase) % 4].
void wsspec_mask(const uint8_t key[4], size_t phase, const uint8_t *source, uint8_t *destination, size_t count);

#endif
