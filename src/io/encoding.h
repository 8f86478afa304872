/* Text decoding of DBF attributes into UTF-8 with iconv, driven by the .cpg code page. */
#ifndef WS_ENCODING_H
#define WS_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* Maps a .cpg value ("UTF-8", "GBK", "936", "CP936", "GB18030", "ISO-8859-1", "1252",
 * "LDID/..."...) to an iconv name; NULL if unknown. */
const char *ws_encoding_iconv_name(const char *cpg);

struct ws_decoder;
/* Caller frees with ws_decoder_destroy. */
struct ws_decoder *ws_decoder_create(const char *iconv_name, struct ws_error *err);
void ws_decoder_destroy(struct ws_decoder *dec);
/* Decodes `len` bytes into newly malloc'd UTF-8 (caller frees); invalid sequences are an
 * error naming nothing (the caller prefixes file/record/field). */
char *ws_decoder_decode(struct ws_decoder *dec, const char *in, size_t len, struct ws_error *err);
/* Whether ws_decoder_decode would return `in` unchanged (ASCII without NUL in any code
 * page, well-formed UTF-8 when decoding UTF-8): the caller may then copy the bytes and
 * skip the conversion. */
bool ws_decoder_keeps(const struct ws_decoder *dec, const char *in, size_t len);

#endif
