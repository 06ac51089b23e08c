// The invariants every shim checks, whatever the input: parsing in pieces gives what parsing whole gives;
// parsed frames serialize back to the bytes they came from; the UTF-8 validator and the permessage-deflate
// decompressor agree with references; compressed messages come back unchanged.
#include "wsspec_fuzz.h"
#include <stdlib.h>
#include <string.h>

int wsspec_check_frames(const wsspec_slice *slice, const wsspec_frame_api *api) {
    uint64_t whole = api->parse_digest(api->context, slice->role, slice->mode, slice->stream, slice->stream_size, NULL, 0);
    uint64_t streamed = api->parse_digest(api->context, slice->role, slice->mode, slice->stream, slice->stream_size,
                                          slice->cuts, slice->cut_count);
    if (whole != streamed) return WSSPEC_STREAMED_DIFFERS;
    uint8_t *out = malloc(slice->stream_size + 1);
    if (out == NULL) return WSSPEC_OK;
    size_t consumed = 0;
    size_t written = api->reserialize(api->context, slice->role, slice->mode, slice->stream, slice->stream_size, out, &consumed);
    int result = (written != consumed || consumed > slice->stream_size || memcmp(out, slice->stream, consumed) != 0)
        ? WSSPEC_ROUND_TRIP_DIFFERS : WSSPEC_OK;
    free(out);
    return result;
}

int wsspec_check_handshake(const wsspec_slice *slice, const wsspec_handshake_api *api) {
    uint64_t whole = api->parse_digest(api->context, slice->variant, slice->stream, slice->stream_size, NULL, 0);
    uint64_t streamed = api->parse_digest(api->context, slice->variant, slice->stream, slice->stream_size,
                                          slice->cuts, slice->cut_count);
    if (whole != streamed) return WSSPEC_STREAMED_DIFFERS;
    if (api->reparse_matches(api->context, slice->variant, slice->stream, slice->stream_size) == 0) return WSSPEC_ROUND_TRIP_DIFFERS;
    return WSSPEC_OK;
}

static int same_outcome(wsspec_utf8_outcome a, wsspec_utf8_outcome b) {
    return a.kind == b.kind && (a.kind == WSSPEC_UTF8_VALID || a.offset == b.offset);
}

int wsspec_check_utf8(const wsspec_slice *slice, const wsspec_utf8_api *api) {
    wsspec_utf8_outcome reference = wsspec_utf8_reference(slice->stream, slice->stream_size);
    wsspec_utf8_outcome whole = api->validate(api->context, slice->stream, slice->stream_size, NULL, 0);
    if (!same_outcome(reference, whole)) return WSSPEC_ORACLE_DIFFERS;
    wsspec_utf8_outcome streamed = api->validate(api->context, slice->stream, slice->stream_size, slice->cuts, slice->cut_count);
    if (!same_outcome(whole, streamed)) return WSSPEC_STREAMED_DIFFERS;
    return WSSPEC_OK;
}

static int same_inflate(wsspec_inflate_outcome a, wsspec_inflate_outcome b) {
    return a.kind == b.kind && (a.kind != WSSPEC_INFLATE_OK || (a.size == b.size && a.digest == b.digest));
}

int wsspec_deflate_window_bits(const wsspec_slice *slice) { return 8 + (int)(slice->seed % 8); }

uint64_t wsspec_deflate_limit(const wsspec_slice *slice) { return (uint64_t)1 << (8 + (slice->seed >> 3) % 13); }

int wsspec_check_deflate(const wsspec_slice *slice, const wsspec_deflate_api *api) {
    int window_bits = wsspec_deflate_window_bits(slice);
    uint64_t limit = wsspec_deflate_limit(slice);
    wsspec_inflate_outcome reference = wsspec_inflate_reference(slice->stream, slice->stream_size, window_bits, limit);
    wsspec_inflate_outcome whole = api->inflate(api->context, window_bits, limit, slice->stream, slice->stream_size, NULL, 0);
    if (!same_inflate(reference, whole)) return WSSPEC_ORACLE_DIFFERS;
    wsspec_inflate_outcome streamed = api->inflate(api->context, window_bits, limit, slice->stream, slice->stream_size,
                                                   slice->cuts, slice->cut_count);
    if (!same_inflate(whole, streamed)) return WSSPEC_STREAMED_DIFFERS;
    if (api->round_trip(api->context, window_bits, slice->variant, slice->stream, slice->stream_size,
                        slice->cuts, slice->cut_count) == 0) return WSSPEC_ROUND_TRIP_DIFFERS;
    return WSSPEC_OK;
}
