// The system zlib, for permessage-deflate (RFC 7692) in WebSocketCore.
// deflateInit2/inflateInit2 are macros, which Swift cannot call: these wrappers pass the version and size.
#ifndef CZLIB_H
#define CZLIB_H
#include <zlib.h>

static inline int czlib_deflate_init_raw(z_streamp stream, int level, int window_bits, int mem_level) {
    return deflateInit2(stream, level, Z_DEFLATED, -window_bits, mem_level, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init_raw(z_streamp stream, int window_bits) {
    return inflateInit2(stream, -window_bits);
}
#endif
