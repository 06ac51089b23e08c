// A reference UTF-8 validator for differential checks: a plain DFA over RFC 3629's table of well-formed
// byte sequences, one byte at a time, with no fast paths (unlike the validator under test).
#include "wsspec_fuzz.h"

enum { ACCEPT, REJECT, TAIL1, TAIL2, TAIL3, AFTER_E0, AFTER_ED, AFTER_F0, AFTER_F4 };

static int step(int state, uint8_t b) {
    int tail = b >= 0x80 && b <= 0xBF;
    switch (state) {
    case ACCEPT:
        if (b <= 0x7F) return ACCEPT;
        if (b >= 0xC2 && b <= 0xDF) return TAIL1;
        if (b == 0xE0) return AFTER_E0;
        if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return TAIL2;
        if (b == 0xED) return AFTER_ED;
        if (b == 0xF0) return AFTER_F0;
        if (b >= 0xF1 && b <= 0xF3) return TAIL3;
        if (b == 0xF4) return AFTER_F4;
        return REJECT;
    case TAIL1: return tail ? ACCEPT : REJECT;
    case TAIL2: return tail ? TAIL1 : REJECT;
    case TAIL3: return tail ? TAIL2 : REJECT;
    case AFTER_E0: return (b >= 0xA0 && b <= 0xBF) ? TAIL1 : REJECT;
    case AFTER_ED: return (b >= 0x80 && b <= 0x9F) ? TAIL1 : REJECT;
    case AFTER_F0: return (b >= 0x90 && b <= 0xBF) ? TAIL2 : REJECT;
    case AFTER_F4: return (b >= 0x80 && b <= 0x8F) ? TAIL2 : REJECT;
    default: return REJECT;
    }
}

wsspec_utf8_outcome wsspec_utf8_reference(const uint8_t *data, size_t size) {
    wsspec_utf8_outcome outcome = {WSSPEC_UTF8_VALID, 0};
    int state = ACCEPT;
    size_t start = 0;
    for (size_t i = 0; i < size; i++) {
        if (state == ACCEPT) start = i;
        state = step(state, data[i]);
        if (state == REJECT) {
            outcome.kind = WSSPEC_UTF8_INVALID;
            outcome.offset = i;
            return outcome;
        }
    }
    if (state != ACCEPT) {
        outcome.kind = WSSPEC_UTF8_INCOMPLETE;
        outcome.offset = start;
    }
    return outcome;
}
