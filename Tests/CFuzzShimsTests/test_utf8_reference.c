// The C reference validator agrees with Markus Kuhn's stress-test vectors (Fixtures/utf8), including the
// exact fail-fast offsets, whose expected values come from an independent oracle (Python's codec).
#include "support.h"
#include <stdio.h>
#include <stdlib.h>

static size_t decode_hex(const char *hex, uint8_t *out) {
    if (strcmp(hex, "-") == 0) return 0;
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned value;
        sscanf(hex + 2 * i, "%2x", &value);
        out[i] = (uint8_t)value;
    }
    return n;
}

static void agrees_with_kuhn_vectors(void **state) {
    (void)state;
    FILE *file = fopen(FIXTURES "/utf8/kuhn-stress-test.txt", "r");
    assert_non_null(file);
    char id[32], hex[4096], expect[16];
    size_t offset;
    int vectors = 0;
    static uint8_t bytes[2048];
    while (fscanf(file, "%31s %4095s %15s %zu", id, hex, expect, &offset) == 4) {
        size_t size = decode_hex(hex, bytes);
        wsspec_utf8_outcome outcome = wsspec_utf8_reference(bytes, size);
        int kind = strcmp(expect, "valid") == 0 ? WSSPEC_UTF8_VALID
                 : strcmp(expect, "incomplete") == 0 ? WSSPEC_UTF8_INCOMPLETE : WSSPEC_UTF8_INVALID;
        if (outcome.kind != kind || (kind != WSSPEC_UTF8_VALID && outcome.offset != offset)) {
            fail_msg("vector %s: got kind %d offset %zu, expected %s at %zu", id, outcome.kind, outcome.offset, expect, offset);
        }
        vectors++;
    }
    fclose(file);
    assert_true(vectors >= 80);
}

static void tells_incomplete_from_invalid(void **state) {
    (void)state;
    const uint8_t euro_start[] = {0x41, 0xE2, 0x82};
    wsspec_utf8_outcome a = wsspec_utf8_reference(euro_start, sizeof euro_start);
    assert_int_equal(a.kind, WSSPEC_UTF8_INCOMPLETE);
    assert_int_equal(a.offset, 1);
    const uint8_t surrogate[] = {0x41, 0xED, 0xA0, 0x80};
    wsspec_utf8_outcome b = wsspec_utf8_reference(surrogate, sizeof surrogate);
    assert_int_equal(b.kind, WSSPEC_UTF8_INVALID);
    assert_int_equal(b.offset, 2);
    wsspec_utf8_outcome c = wsspec_utf8_reference(NULL, 0);
    assert_int_equal(c.kind, WSSPEC_UTF8_VALID);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agrees_with_kuhn_vectors),
        cmocka_unit_test(tells_incomplete_from_invalid),
    };
    return cmocka_run_group_tests_name("utf8 reference", tests, NULL, NULL);
}
