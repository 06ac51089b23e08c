#ifndef WSSPEC_FUZZ_H
#define WSSPEC_FUZZ_H
// The C side of wsspec's fuzzing: input slicing, invariant checks, a reference UTF-8 validator, a
// reference permessage-deflate inflater and a structure-aware frame mutator. The code under test (Swift, WebSocketCore) is reached only through the
// function tables below, so these shims are unit-tested on their own (Tests/CFuzzShimsTests, cmocka).

#include <stddef.h>
#include <stdint.h>

// ---- Slicing -------------------------------------------------------------------------------------------
// The first bytes of a fuzz input choose how the rest is used: [flags][seed: 8 bytes LE][stream...].
// flags bit 0: sender role (0 = client frames, 1 = server frames); bit 1: mode (0 strict, 1 diagnostic);
// bit 2: for the handshake target, 0 = request, 1 = response; for the deflate target, 1 = context takeover
// in the round trip. The deflate target also draws its window bits and size limit from the seed.
#define WSSPEC_SLICE_HEADER_SIZE 9
#define WSSPEC_MAX_CUTS 32

typedef struct {
    int role;
    int mode;
    int variant;
    uint64_t seed;
    const uint8_t *stream;
    size_t stream_size;
    size_t cuts[WSSPEC_MAX_CUTS];  // strictly increasing offsets in (0, stream_size)
    size_t cut_count;
} wsspec_slice;

// Returns 0 and fills `out`, or -1 when the input is shorter than the slice header.
int wsspec_slice_input(const uint8_t *data, size_t size, wsspec_slice *out);

// Writes the inverse of wsspec_slice_input: header bytes for the given choices (for building corpora).
void wsspec_slice_header(int role, int mode, int variant, uint64_t seed, uint8_t out[WSSPEC_SLICE_HEADER_SIZE]);

// ---- Invariant results ---------------------------------------------------------------------------------
enum {
    WSSPEC_OK = 0,
    WSSPEC_STREAMED_DIFFERS = 1,   // the streamed result is not the whole-buffer result
    WSSPEC_ROUND_TRIP_DIFFERS = 2, // serialize(parse(x)) is not x, or decompress(compress(x)) is not x
    WSSPEC_ORACLE_DIFFERS = 3,     // the Swift code disagrees with the C reference
};
const char *wsspec_result_name(int result);

// ---- Frame parser --------------------------------------------------------------------------------------
typedef struct {
    void *context;
    // A digest of everything parsing `size` bytes yields (frames, violations, the final error), the bytes
    // fed in pieces split at `cuts` (none: one piece).
    uint64_t (*parse_digest)(void *context, int role, int mode, const uint8_t *data, size_t size,
                             const size_t *cuts, size_t cut_count);
    // Parses the bytes whole and serializes the frames again into `out` (capacity >= size); returns the
    // number of bytes written, and sets *consumed to how many input bytes those frames came from.
    size_t (*reserialize)(void *context, int role, int mode, const uint8_t *data, size_t size,
                          uint8_t *out, size_t *consumed);
} wsspec_frame_api;

int wsspec_check_frames(const wsspec_slice *slice, const wsspec_frame_api *api);

// ---- Handshake parsers ---------------------------------------------------------------------------------
typedef struct {
    void *context;
    // A digest of parsing an HTTP head (a request when variant is 0, a response when 1) fed in pieces,
    // and of the server's decision on a request.
    uint64_t (*parse_digest)(void *context, int variant, const uint8_t *data, size_t size,
                             const size_t *cuts, size_t cut_count);
    // 1 when parse(serialize(parse(x))) equals parse(x), 0 when it does not, -1 when x does not parse.
    int (*reparse_matches)(void *context, int variant, const uint8_t *data, size_t size);
} wsspec_handshake_api;

int wsspec_check_handshake(const wsspec_slice *slice, const wsspec_handshake_api *api);

// ---- UTF-8 ---------------------------------------------------------------------------------------------
enum { WSSPEC_UTF8_VALID = 0, WSSPEC_UTF8_INCOMPLETE = 1, WSSPEC_UTF8_INVALID = 2 };
typedef struct {
    int kind;
    size_t offset; // INVALID: first impossible byte; INCOMPLETE: where the open character began
} wsspec_utf8_outcome;

// The C reference: a DFA written from RFC 3629's table, independent of the Swift validator.
wsspec_utf8_outcome wsspec_utf8_reference(const uint8_t *data, size_t size);

typedef struct {
    void *context;
    wsspec_utf8_outcome (*validate)(void *context, const uint8_t *data, size_t size,
                                    const size_t *cuts, size_t cut_count);
} wsspec_utf8_api;

int wsspec_check_utf8(const wsspec_slice *slice, const wsspec_utf8_api *api);

// ---- permessage-deflate decompression -----------------------------------------------------------------
enum { WSSPEC_INFLATE_OK = 0, WSSPEC_INFLATE_TOO_BIG = 1, WSSPEC_INFLATE_INVALID = 2 };
typedef struct {
    int kind;
    uint64_t size;   // OK: the decompressed size
    uint64_t digest; // OK: FNV-1a of the decompressed bytes (wsspec_fnv1a from WSSPEC_FNV1A_OFFSET)
} wsspec_inflate_outcome;

#define WSSPEC_FNV1A_OFFSET 0xcbf29ce484222325ULL
uint64_t wsspec_fnv1a(uint64_t hash, const uint8_t *data, size_t size);

// The C reference: one message's payload decompressed by zlib's raw inflate, driven directly, with the
// 00 00 ff ff tail the sender removed put back (RFC 7692 §7.2.2). TOO_BIG when more than `limit` bytes
// come out before the data ends or turns out invalid; what follows a final block is ignored. zlib checks
// a distance against the window only for output of earlier calls, so the reference calls it where the
// Swift decompressor does: input in blocks from the message's start (the rest with the tail), output in
// fixed pieces.
#define WSSPEC_INFLATE_INPUT_BLOCK 1024
#define WSSPEC_INFLATE_OUTPUT_CHUNK 16384
wsspec_inflate_outcome wsspec_inflate_reference(const uint8_t *data, size_t size, int window_bits, uint64_t limit);

// The target's choices, drawn from the slice's seed: window bits 8-15 and a limit of 256 B to 1 MiB.
int wsspec_deflate_window_bits(const wsspec_slice *slice);
uint64_t wsspec_deflate_limit(const wsspec_slice *slice);

typedef struct {
    void *context;
    // One message's payload fed to the decompressor in pieces split at `cuts` (none: one piece).
    wsspec_inflate_outcome (*inflate)(void *context, int window_bits, uint64_t limit, const uint8_t *data,
                                      size_t size, const size_t *cuts, size_t cut_count);
    // The pieces as consecutive messages through one compressor and one decompressor: 1 when every
    // message comes back unchanged, 0 when one does not.
    int (*round_trip)(void *context, int window_bits, int context_takeover, const uint8_t *data, size_t size,
                      const size_t *cuts, size_t cut_count);
} wsspec_deflate_api;

int wsspec_check_deflate(const wsspec_slice *slice, const wsspec_deflate_api *api);

// ---- Structure-aware frame mutation --------------------------------------------------------------------
typedef struct {
    int fin, rsv1, rsv2, rsv3, opcode, masked;
    uint8_t mask[4];
    uint64_t length;
    int length_size;     // 0, 2 or 8 extension bytes
    size_t header_size;
} wsspec_frame_header;

// Reads the frame header at `data`; returns 0, or -1 when the header is incomplete.
int wsspec_read_frame_header(const uint8_t *data, size_t size, wsspec_frame_header *out);
// Writes a header; returns its size (at most 14). `length_size` 0/2/8 picks the encoding.
size_t wsspec_write_frame_header(const wsspec_frame_header *header, uint8_t *out);

// The single-field mutations, for `wsspec_mutate_frame`.
enum {
    WSSPEC_MUTATE_FIN,          // flip FIN
    WSSPEC_MUTATE_RSV,          // flip one RSV bit (which one from `random`)
    WSSPEC_MUTATE_OPCODE,       // any of the 16 opcodes
    WSSPEC_MUTATE_MASK,         // add a mask key (from `random`) or remove it
    WSSPEC_MUTATE_LENGTH,       // a new payload length (near the 125/126 and 65535/65536 edges or small)
    WSSPEC_MUTATE_ENCODING,     // a wider, non-minimal length encoding
    WSSPEC_MUTATE_PAYLOAD_BYTE, // one payload byte
    WSSPEC_MUTATE_DUPLICATE,    // repeat the frame
    WSSPEC_MUTATE_DELETE,       // drop the frame
    WSSPEC_MUTATION_COUNT
};

// Applies one mutation to frame `frame_index` of a stream of whole frames (the bytes after the last whole
// frame are kept as they are) and sets *new_size. Returns 0, or -1 when the frame does not exist, the
// mutation does not apply, or the result would not fit in `max_size` (the stream is then unchanged).
int wsspec_mutate_frame(uint8_t *stream, size_t size, size_t max_size, size_t frame_index, int mutation,
                        uint64_t random, size_t *new_size);

// Mutates one field of one frame of the stream that follows the slice header, keeping every header's
// length equal to its payload. Returns the new size (<= max_size). `fallback` (libFuzzer's own mutator,
// when linked) is used for inputs that are not a frame stream.
typedef size_t (*wsspec_byte_mutator)(uint8_t *data, size_t size, size_t max_size);
size_t wsspec_mutate_frames(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
                            wsspec_byte_mutator fallback);

// libFuzzer's byte-level mutator when linked with the fuzzer runtime; otherwise returns `size` unchanged.
size_t wsspec_libfuzzer_mutate(uint8_t *data, size_t size, size_t max_size);

#endif
