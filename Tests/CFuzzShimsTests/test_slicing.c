// Slicing is deterministic, its cut points are usable, and it inverts wsspec_slice_header.
#include "support.h"

static void same_input_same_slice(void **state) {
    (void)state;
    uint8_t input[64];
    for (size_t i = 0; i < sizeof input; i++) input[i] = (uint8_t)(i * 37 + 11);
    wsspec_slice a, b;
    assert_int_equal(wsspec_slice_input(input, sizeof input, &a), 0);
    assert_int_equal(wsspec_slice_input(input, sizeof input, &b), 0);
    assert_int_equal(a.role, b.role);
    assert_int_equal(a.mode, b.mode);
    assert_int_equal(a.seed, b.seed);
    assert_int_equal(a.cut_count, b.cut_count);
    assert_memory_equal(a.cuts, b.cuts, a.cut_count * sizeof a.cuts[0]);
    assert_ptr_equal(a.stream, input + WSSPEC_SLICE_HEADER_SIZE);
    assert_int_equal(a.stream_size, sizeof input - WSSPEC_SLICE_HEADER_SIZE);
}

static void cuts_are_increasing_and_inside_the_stream(void **state) {
    (void)state;
    uint8_t input[200] = {0};
    size_t with_cuts = 0;
    for (uint64_t seed = 0; seed < 500; seed++) {
        wsspec_slice_header(0, 0, 0, seed, input);
        wsspec_slice slice;
        assert_int_equal(wsspec_slice_input(input, sizeof input, &slice), 0);
        for (size_t i = 0; i < slice.cut_count; i++) {
            assert_true(slice.cuts[i] > 0 && slice.cuts[i] < slice.stream_size);
            if (i > 0) assert_true(slice.cuts[i] > slice.cuts[i - 1]);
        }
        if (slice.cut_count > 0) with_cuts++;
    }
    assert_true(with_cuts > 400);  // the seed really drives the segmentation
}

static void header_round_trips(void **state) {
    (void)state;
    for (int flags = 0; flags < 8; flags++) {
        uint8_t input[WSSPEC_SLICE_HEADER_SIZE + 4] = {0};
        wsspec_slice_header(flags & 1, (flags >> 1) & 1, (flags >> 2) & 1, 0x0123456789ABCDEFull, input);
        wsspec_slice slice;
        assert_int_equal(wsspec_slice_input(input, sizeof input, &slice), 0);
        assert_int_equal(slice.role, flags & 1);
        assert_int_equal(slice.mode, (flags >> 1) & 1);
        assert_int_equal(slice.variant, (flags >> 2) & 1);
        assert_true(slice.seed == 0x0123456789ABCDEFull);
    }
}

static void short_inputs_are_refused(void **state) {
    (void)state;
    uint8_t input[WSSPEC_SLICE_HEADER_SIZE] = {0};
    wsspec_slice slice;
    assert_int_equal(wsspec_slice_input(input, WSSPEC_SLICE_HEADER_SIZE - 1, &slice), -1);
    assert_int_equal(wsspec_slice_input(NULL, 0, &slice), -1);
    assert_int_equal(wsspec_slice_input(input, WSSPEC_SLICE_HEADER_SIZE, &slice), 0);
    assert_int_equal(slice.stream_size, 0);
    assert_int_equal(slice.cut_count, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_input_same_slice),
        cmocka_unit_test(cuts_are_increasing_and_inside_the_stream),
        cmocka_unit_test(header_round_trips),
        cmocka_unit_test(short_inputs_are_refused),
    };
    return cmocka_run_group_tests_name("slicing", tests, NULL, NULL);
}
