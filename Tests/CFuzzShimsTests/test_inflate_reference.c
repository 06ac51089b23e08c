// The C reference inflater decodes RFC 7692's example, stops a bomb at the limit, refuses invalid data and
// reads nothing past a final block; and the deflate check catches planted bugs in a decompressor.
#include "support.h"
#include <zlib.h>

static const uint8_t hello[] = {0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00};  // RFC 7692 §7.2.3.1

static uint64_t digest_of(const char *text) {
    return wsspec_fnv1a(WSSPEC_FNV1A_OFFSET, (const uint8_t *)text, strlen(text));
}

static void decodes_the_rfc_example(void **state) {
    (void)state;
    for (int bits = 8; bits <= 15; bits++) {
        wsspec_inflate_outcome outcome = wsspec_inflate_reference(hello, sizeof hello, bits, 1024);
        assert_int_equal(outcome.kind, WSSPEC_INFLATE_OK);
        assert_int_equal(outcome.size, 5);
        assert_true(outcome.digest == digest_of("Hello"));
    }
    // FNV-1a's published value for "a", so the Swift side can compute the same digest independently.
    assert_true(wsspec_fnv1a(WSSPEC_FNV1A_OFFSET, (const uint8_t *)"a", 1) == 0xaf63dc4c8601ec8cULL);
}

// 1 MiB of zeros, raw-deflated by zlib itself and flushed as a sender would, tail removed.
static size_t make_bomb(uint8_t *out, size_t capacity) {
    static uint8_t zeros[1 << 20];
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    assert_int_equal(deflateInit2(&stream, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    stream.next_in = zeros;
    stream.avail_in = sizeof zeros;
    stream.next_out = out;
    stream.avail_out = (uInt)capacity;
    assert_int_equal(deflate(&stream, Z_SYNC_FLUSH), Z_OK);
    assert_int_equal(stream.avail_in, 0);
    size_t size = capacity - stream.avail_out;
    deflateEnd(&stream);
    assert_memory_equal(out + size - 4, "\x00\x00\xff\xff", 4);
    return size - 4;
}

static void stops_a_bomb_at_the_limit(void **state) {
    (void)state;
    static uint8_t bomb[8192];
    size_t size = make_bomb(bomb, sizeof bomb);
    assert_true(size < 2048);
    assert_int_equal(wsspec_inflate_reference(bomb, size, 15, 64 * 1024).kind, WSSPEC_INFLATE_TOO_BIG);
    assert_int_equal(wsspec_inflate_reference(bomb, size, 15, (1 << 20) - 1).kind, WSSPEC_INFLATE_TOO_BIG);
    wsspec_inflate_outcome fits = wsspec_inflate_reference(bomb, size, 15, 1 << 20);
    assert_int_equal(fits.kind, WSSPEC_INFLATE_OK);
    assert_int_equal(fits.size, 1 << 20);
}

static void refuses_invalid_data_and_ignores_what_follows_a_final_block(void **state) {
    (void)state;
    const uint8_t reserved_block_type[] = {0xff, 0xff};  // BFINAL = 1, BTYPE = 11
    assert_int_equal(wsspec_inflate_reference(reserved_block_type, 2, 15, 1024).kind, WSSPEC_INFLATE_INVALID);
    // "Hello" with BFINAL set (0xf3), then garbage that must not be read.
    const uint8_t final_then_garbage[] = {0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xff, 0xff, 0xff};
    wsspec_inflate_outcome outcome = wsspec_inflate_reference(final_then_garbage, sizeof final_then_garbage, 15, 1024);
    assert_int_equal(outcome.kind, WSSPEC_INFLATE_OK);
    assert_true(outcome.digest == digest_of("Hello"));
    // A stored block that fills the first 1 KiB input block, then a reference 300 bytes back at the start of
    // the next: too far for an 8-bit window, fine for a 9-bit one. (Within one call zlib accepts it whatever
    // the window, which is why the call boundaries are fixed.)
    static uint8_t far[1200];
    size_t size = 0;
    far[size++] = 0x00;  // a stored block, not final: LEN, NLEN, then the bytes
    const int stored = WSSPEC_INFLATE_INPUT_BLOCK - 5;
    far[size++] = stored & 0xff; far[size++] = stored >> 8; far[size++] = (uint8_t)~(stored & 0xff); far[size++] = (uint8_t)~(stored >> 8);
    for (int i = 0; i < stored; i++) far[size++] = (uint8_t)i;
    assert_int_equal(size, WSSPEC_INFLATE_INPUT_BLOCK);
    // A fixed-Huffman block: length 3 (code 257), distance 300 (code 16 and 43 in 7 extra bits), end of block.
    // Bits go in least significant first; Huffman codes most significant bit first, hence reversed here.
    uint32_t bits = 0;
    int count = 0;
#define PUT(value, n) do { bits |= (uint32_t)(value) << count; count += (n); } while (0)
    PUT(0, 1); PUT(1, 2);  // BFINAL = 0, BTYPE = 01 (fixed)
    PUT(0x40, 7);          // code 257 = 0000001
    PUT(0x01, 5);          // distance code 16 = 10000
    PUT(300 - 257, 7);     // its extra bits
    PUT(0, 7);             // end of block (256 = 0000000)
#undef PUT
    for (int i = 0; i < count; i += 8) far[size++] = (uint8_t)(bits >> i);
    assert_int_equal(wsspec_inflate_reference(far, size, 8, 4096).kind, WSSPEC_INFLATE_INVALID);
    wsspec_inflate_outcome nine = wsspec_inflate_reference(far, size, 9, 4096);
    assert_int_equal(nine.kind, WSSPEC_INFLATE_OK);
    assert_int_equal(nine.size, stored + 3);
}

// ---- the check, with the reference as a correct decompressor and three planted bugs ----
enum { CORRECT = 0, IGNORES_LIMIT = 1, LOSES_A_PIECE = 2, LOSSY_ROUND_TRIP = 3 };

static wsspec_inflate_outcome fake_inflate(void *context, int window_bits, uint64_t limit, const uint8_t *data,
                                           size_t size, const size_t *cuts, size_t cut_count) {
    int bug = *(int *)context;
    if (bug == IGNORES_LIMIT) limit = UINT64_MAX;
    if (bug == LOSES_A_PIECE && cut_count > 0) size = cuts[0];
    return wsspec_inflate_reference(data, size, window_bits, limit);
}

static int fake_round_trip(void *context, int window_bits, int takeover, const uint8_t *data, size_t size,
                           const size_t *cuts, size_t cut_count) {
    (void)window_bits; (void)takeover; (void)data; (void)size; (void)cuts; (void)cut_count;
    return *(int *)context != LOSSY_ROUND_TRIP;
}

// An input of `payload` under a seed with cut points, window bits 15 and a 64 KiB limit.
static wsspec_slice sliced(uint8_t *input, size_t payload) {
    uint64_t seed = (8 << 3) | 7;  // limit exponent 8 + 8, window 8 + 7; adding 8 * 13 keeps both
    wsspec_slice slice;
    do {
        wsspec_slice_header(0, 0, 0, seed, input);
        assert_int_equal(wsspec_slice_input(input, WSSPEC_SLICE_HEADER_SIZE + payload, &slice), 0);
        seed += 8 * 13;
    } while (slice.cut_count == 0);
    assert_int_equal(wsspec_deflate_window_bits(&slice), 15);
    assert_true(wsspec_deflate_limit(&slice) == 64 * 1024);
    return slice;
}

static void deflate_check_catches_planted_bugs(void **state) {
    (void)state;
    static uint8_t bomb_input[WSSPEC_SLICE_HEADER_SIZE + 8192];
    wsspec_slice bomb = sliced(bomb_input, make_bomb(bomb_input + WSSPEC_SLICE_HEADER_SIZE, 8192));
    uint8_t hello_input[WSSPEC_SLICE_HEADER_SIZE + sizeof hello];
    memcpy(hello_input + WSSPEC_SLICE_HEADER_SIZE, hello, sizeof hello);
    wsspec_slice text = sliced(hello_input, sizeof hello);
    int bug = CORRECT;
    wsspec_deflate_api api = {&bug, fake_inflate, fake_round_trip};
    assert_int_equal(wsspec_check_deflate(&bomb, &api), WSSPEC_OK);
    assert_int_equal(wsspec_check_deflate(&text, &api), WSSPEC_OK);
    bug = IGNORES_LIMIT;
    assert_int_equal(wsspec_check_deflate(&bomb, &api), WSSPEC_ORACLE_DIFFERS);
    bug = LOSES_A_PIECE;
    assert_int_equal(wsspec_check_deflate(&text, &api), WSSPEC_STREAMED_DIFFERS);
    bug = LOSSY_ROUND_TRIP;
    assert_int_equal(wsspec_check_deflate(&text, &api), WSSPEC_ROUND_TRIP_DIFFERS);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_the_rfc_example),
        cmocka_unit_test(stops_a_bomb_at_the_limit),
        cmocka_unit_test(refuses_invalid_data_and_ignores_what_follows_a_final_block),
        cmocka_unit_test(deflate_check_catches_planted_bugs),
    };
    return cmocka_run_group_tests_name("deflate reference and check", tests, NULL, NULL);
}
