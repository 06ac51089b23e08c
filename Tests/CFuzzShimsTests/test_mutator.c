// Every mutation changes the field it names, and every mutated stream is still whole frames whose headers
// announce exactly their payloads.
#include "support.h"

// Three frames: text "A"x5 (masked), binary 200 bytes (16-bit length), ping 3 bytes.
static size_t sample_stream(uint8_t *out) {
    size_t size = 0;
    append_frame(out, &size, 1, 0x1, 1, 5, 'A');
    append_frame(out, &size, 1, 0x2, 0, 200, 'B');
    append_frame(out, &size, 1, 0x9, 0, 3, 'C');
    return size;
}

static wsspec_frame_header header_of_frame(const uint8_t *stream, size_t size, int index) {
    size_t offset = 0;
    wsspec_frame_header header;
    for (int i = 0; ; i++) {
        assert_int_equal(wsspec_read_frame_header(stream + offset, size - offset, &header), 0);
        if (i == index) return header;
        offset += header.header_size + (size_t)header.length;
    }
}

static size_t mutate(uint8_t *stream, size_t size, int mutation, uint64_t random) {
    size_t new_size = 0;
    assert_int_equal(wsspec_mutate_frame(stream, size, 1 << 20, 1, mutation, random, &new_size), 0);
    return new_size;
}

static void each_mutation_changes_its_field(void **state) {
    (void)state;
    static uint8_t stream[1 << 20];
    size_t size = sample_stream(stream);
    wsspec_frame_header before = header_of_frame(stream, size, 1), after;

    size_t n = mutate(stream, size, WSSPEC_MUTATE_FIN, 1);
    after = header_of_frame(stream, n, 1);
    assert_int_equal(after.fin, !before.fin);
    assert_int_equal(after.opcode, before.opcode);
    size = mutate(stream, n, WSSPEC_MUTATE_FIN, 1);  // and back

    n = mutate(stream, size, WSSPEC_MUTATE_RSV, 7);
    after = header_of_frame(stream, n, 1);
    assert_int_equal(after.rsv1 + after.rsv2 + after.rsv3, 1);

    size = sample_stream(stream);
    n = mutate(stream, size, WSSPEC_MUTATE_MASK, 99);
    after = header_of_frame(stream, n, 1);
    assert_int_equal(after.masked, 1);
    assert_int_equal(after.length, 200);
    assert_int_equal(n, size + 4);

    size = sample_stream(stream);
    for (uint64_t random = 0; random < 64; random++) {
        size_t m = sample_stream(stream);
        n = mutate(stream, m, WSSPEC_MUTATE_LENGTH, random);
        after = header_of_frame(stream, n, 1);
        int minimal = after.length <= 125 ? 0 : after.length <= 0xFFFF ? 2 : 8;
        assert_int_equal(after.length_size, minimal);
        assert_int_equal(count_whole_frames(stream, n), 3);
    }

    size = sample_stream(stream);
    n = mutate(stream, size, WSSPEC_MUTATE_ENCODING, 3);
    after = header_of_frame(stream, n, 1);
    assert_int_equal(after.length_size, 8);  // 200 bytes in a 64-bit field: non-minimal on purpose
    assert_int_equal(after.length, 200);
    assert_int_equal(n, size + 6);

    size = sample_stream(stream);
    uint8_t original[1024];
    memcpy(original, stream, size);
    n = mutate(stream, size, WSSPEC_MUTATE_PAYLOAD_BYTE, 5);
    assert_int_equal(n, size);
    size_t differing = 0;
    for (size_t i = 0; i < size; i++) differing += stream[i] != original[i];
    assert_int_equal(differing, 1);

    size = sample_stream(stream);
    n = mutate(stream, size, WSSPEC_MUTATE_DUPLICATE, 0);
    assert_int_equal(count_whole_frames(stream, n), 4);
    assert_int_equal(header_of_frame(stream, n, 2).opcode, 0x2);

    size = sample_stream(stream);
    n = mutate(stream, size, WSSPEC_MUTATE_DELETE, 0);
    assert_int_equal(count_whole_frames(stream, n), 2);
    assert_int_equal(header_of_frame(stream, n, 1).opcode, 0x9);
}

static void opcode_mutation_reaches_every_opcode(void **state) {
    (void)state;
    uint8_t stream[1024];
    int seen[16] = {0};
    for (uint64_t random = 0; random < 400; random++) {
        size_t size = sample_stream(stream);
        size_t n = mutate(stream, size, WSSPEC_MUTATE_OPCODE, random);
        seen[header_of_frame(stream, n, 1).opcode] = 1;
    }
    for (int opcode = 0; opcode < 16; opcode++) assert_true(seen[opcode]);
}

static void refuses_what_does_not_fit_or_exist(void **state) {
    (void)state;
    uint8_t stream[1024];
    size_t size = sample_stream(stream), n = 0;
    assert_int_equal(wsspec_mutate_frame(stream, size, 1024, 3, WSSPEC_MUTATE_FIN, 0, &n), -1);  // no frame 3
    assert_int_equal(wsspec_mutate_frame(stream, size, size, 1, WSSPEC_MUTATE_DUPLICATE, 0, &n), -1);  // too big
    assert_int_equal(count_whole_frames(stream, size), 3);  // unchanged
}

static void random_mutations_keep_streams_whole(void **state) {
    (void)state;
    static uint8_t input[1 << 16];
    size_t size = WSSPEC_SLICE_HEADER_SIZE;
    wsspec_slice_header(0, 0, 0, 42, input);
    size += sample_stream(input + size);
    for (unsigned seed = 0; seed < 5000; seed++) {
        size = wsspec_mutate_frames(input, size, sizeof input, seed, NULL);
        assert_true(size >= WSSPEC_SLICE_HEADER_SIZE && size <= sizeof input);
        assert_true(count_whole_frames(input + WSSPEC_SLICE_HEADER_SIZE, size - WSSPEC_SLICE_HEADER_SIZE) >= 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_mutation_changes_its_field),
        cmocka_unit_test(opcode_mutation_reaches_every_opcode),
        cmocka_unit_test(refuses_what_does_not_fit_or_exist),
        cmocka_unit_test(random_mutations_keep_streams_whole),
    };
    return cmocka_run_group_tests_name("frame mutator", tests, NULL, NULL);
}
