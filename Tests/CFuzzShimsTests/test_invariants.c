// The invariant checks catch planted bugs: a parser whose streamed result differs from its whole-buffer
// result, a serializer that changes a byte, a validator that accepts surrogates, a parse that does not
// survive a round trip. And they pass a correct implementation.
#include "support.h"

// ---- frames: a fake parser whose digest is the sum of the bytes; bugs switched on by the context ----
enum { CORRECT = 0, STREAMING_BUG = 1, SERIALIZER_BUG = 2 };

static uint64_t fake_parse_digest(void *context, int role, int mode, const uint8_t *data, size_t size,
                                  const size_t *cuts, size_t cut_count) {
    (void)role; (void)mode; (void)cuts;
    uint64_t digest = 0;
    for (size_t i = 0; i < size; i++) digest = digest * 31 + data[i];
    // The planted bug: a parser that loses the byte at the first cut.
    if (*(int *)context == STREAMING_BUG && cut_count > 0) digest ^= 1;
    return digest;
}

static size_t fake_reserialize(void *context, int role, int mode, const uint8_t *data, size_t size,
                               uint8_t *out, size_t *consumed) {
    (void)role; (void)mode;
    memcpy(out, data, size);
    if (*(int *)context == SERIALIZER_BUG && size > 0) out[size - 1] ^= 0x80;
    *consumed = size;
    return size;
}

static wsspec_slice slice_of(uint8_t *input, size_t size, uint64_t seed) {
    wsspec_slice_header(0, 0, 0, seed, input);
    wsspec_slice slice;
    assert_int_equal(wsspec_slice_input(input, size, &slice), 0);
    return slice;
}

static void frame_checks_catch_planted_bugs(void **state) {
    (void)state;
    uint8_t input[64];
    memset(input, 0x81, sizeof input);
    uint64_t seed = 1;
    wsspec_slice slice = slice_of(input, sizeof input, seed);
    while (slice.cut_count == 0) slice = slice_of(input, sizeof input, ++seed);
    int mode = CORRECT;
    wsspec_frame_api api = {&mode, fake_parse_digest, fake_reserialize};
    assert_int_equal(wsspec_check_frames(&slice, &api), WSSPEC_OK);
    mode = STREAMING_BUG;
    assert_int_equal(wsspec_check_frames(&slice, &api), WSSPEC_STREAMED_DIFFERS);
    mode = SERIALIZER_BUG;
    assert_int_equal(wsspec_check_frames(&slice, &api), WSSPEC_ROUND_TRIP_DIFFERS);
    assert_string_equal(wsspec_result_name(WSSPEC_ROUND_TRIP_DIFFERS), "serialize(parse(x)) or decompress(compress(x)) differs from x");
}

// ---- UTF-8: the reference itself (correct) and one that lets surrogates through (the planted bug) ----
static wsspec_utf8_outcome reference_validate(void *context, const uint8_t *data, size_t size,
                                              const size_t *cuts, size_t cut_count) {
    (void)context; (void)cuts; (void)cut_count;
    return wsspec_utf8_reference(data, size);
}

static wsspec_utf8_outcome surrogate_accepting_validate(void *context, const uint8_t *data, size_t size,
                                                        const size_t *cuts, size_t cut_count) {
    (void)context; (void)cuts; (void)cut_count;
    for (size_t i = 0; i + 2 < size; i++) {
        if (data[i] == 0xED && data[i + 1] >= 0xA0) {
            wsspec_utf8_outcome valid = {WSSPEC_UTF8_VALID, 0};
            return valid;
        }
    }
    return wsspec_utf8_reference(data, size);
}

static void utf8_check_catches_a_validator_that_accepts_surrogates(void **state) {
    (void)state;
    uint8_t input[WSSPEC_SLICE_HEADER_SIZE + 6];
    memcpy(input + WSSPEC_SLICE_HEADER_SIZE, "a\xED\xA0\x80z!", 6);
    wsspec_slice slice = slice_of(input, sizeof input, 5);
    wsspec_utf8_api good = {NULL, reference_validate}, bad = {NULL, surrogate_accepting_validate};
    assert_int_equal(wsspec_check_utf8(&slice, &good), WSSPEC_OK);
    assert_int_equal(wsspec_check_utf8(&slice, &bad), WSSPEC_ORACLE_DIFFERS);
}

// ---- handshake: a parse that does not survive serialize and parse again ----
static uint64_t constant_digest(void *context, int variant, const uint8_t *data, size_t size, const size_t *cuts, size_t cut_count) {
    (void)context; (void)variant; (void)data; (void)size; (void)cuts; (void)cut_count;
    return 7;
}
static int reparse_differs(void *context, int variant, const uint8_t *data, size_t size) {
    (void)context; (void)variant; (void)data; (void)size;
    return 0;
}
static int reparse_not_applicable(void *context, int variant, const uint8_t *data, size_t size) {
    (void)context; (void)variant; (void)data; (void)size;
    return -1;
}

static void handshake_check_catches_a_lossy_round_trip(void **state) {
    (void)state;
    uint8_t input[WSSPEC_SLICE_HEADER_SIZE + 20] = {0};
    wsspec_slice slice = slice_of(input, sizeof input, 3);
    wsspec_handshake_api lossy = {NULL, constant_digest, reparse_differs};
    wsspec_handshake_api unparsable = {NULL, constant_digest, reparse_not_applicable};
    assert_int_equal(wsspec_check_handshake(&slice, &lossy), WSSPEC_ROUND_TRIP_DIFFERS);
    assert_int_equal(wsspec_check_handshake(&slice, &unparsable), WSSPEC_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frame_checks_catch_planted_bugs),
        cmocka_unit_test(utf8_check_catches_a_validator_that_accepts_surrogates),
        cmocka_unit_test(handshake_check_catches_a_lossy_round_trip),
    };
    return cmocka_run_group_tests_name("invariant checks", tests, NULL, NULL);
}
