/* A growable text buffer for documents built in memory (the HTML report). Appending never
 * fails loudly: an allocation failure makes the buffer sticky-failed and every later append
 * a no-op, so builders check once at the end with ws_strbuf_ok. */
#ifndef WS_STRBUF_H
#define WS_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct ws_strbuf {
	char *s;          /* NUL-terminated once anything was appended; owned */
	size_t len, cap;
	bool failed;      /* an allocation failed: contents are incomplete */
};

void ws_strbuf_init(struct ws_strbuf *b);
void ws_strbuf_finish(struct ws_strbuf *b);
/* Hands the text over (caller frees) and leaves `b` empty; NULL when an append failed
 * (the partial text is freed) or nothing was appended. */
char *ws_strbuf_release(struct ws_strbuf *b);
static inline bool ws_strbuf_ok(const struct ws_strbuf *b) { return !b->failed; }

void ws_strbuf_add(struct ws_strbuf *b, const char *s, size_t n);
void ws_strbuf_puts(struct ws_strbuf *b, const char *s);
void ws_strbuf_printf(struct ws_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text as HTML character data or attribute value: & < > " ' escaped; NULL adds nothing. */
void ws_strbuf_html(struct ws_strbuf *b, const char *s);
/* A JSON string literal with quotes; '<', '>' and '&' become \u escapes so that the JSON
 * can sit inside a <script> element. NULL becomes null. */
void ws_strbuf_json_string(struct ws_strbuf *b, const char *s);
/* A JSON number with `decimals` digits, trailing zeros trimmed; non-finite becomes null. */
void ws_strbuf_json_number(struct ws_strbuf *b, double v, int decimals);

#endif
