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

#endif
