/* Terminal text helpers: display width of UTF-8 text (CJK characters take two columns)
 * so that tables of Chinese names line up. */
#ifndef WS_TEXT_H
#define WS_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Columns `s` takes on a terminal. */
size_t ws_text_width(const char *s);
/* Prints s cut to at most `width` columns (with "…" when cut) and padded to `width`. */
void ws_text_print_padded(FILE *out, const char *s, size_t width);

#endif
