/* Growable text buffer: s[len] == '\0' whenever s != NULL; failed is sticky. */
#include "report/strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ws_strbuf_init(struct ws_strbuf *b)
{
	memset(b, 0, sizeof *b);
}

void ws_strbuf_finish(struct ws_strbuf *b)
{
	if (!b)
		return;
	free(b->s);
	memset(b, 0, sizeof *b);
}

char *ws_strbuf_release(struct ws_strbuf *b)
{
	char *s = b->failed ? NULL : b->s;
	if (b->failed)
		free(b->s);
	memset(b, 0, sizeof *b);
	return s;
}

static bool reserve(struct ws_strbuf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra > SIZE_MAX / 2 - b->len - 1) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s) {
		b->failed = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void ws_strbuf_add(struct ws_strbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void ws_strbuf_puts(struct ws_strbuf *b, const char *s)
{
	if (s)
		ws_strbuf_add(b, s, strlen(s));
}

void ws_strbuf_printf(struct ws_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void ws_strbuf_html(struct ws_strbuf *b, const char *s)
{
	if (!s)
		return;
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '&': ws_strbuf_puts(b, "&amp;"); break;
		case '<': ws_strbuf_puts(b, "&lt;"); break;
		case '>': ws_strbuf_puts(b, "&gt;"); break;
		case '"': ws_strbuf_puts(b, "&quot;"); break;
		case '\'': ws_strbuf_puts(b, "&#39;"); break;
		default: ws_strbuf_add(b, p, 1);
		}
	}
}

void ws_strbuf_json_string(struct ws_strbuf *b, const char *s)
{
	if (!s) {
		ws_strbuf_puts(b, "null");
		return;
	}
	ws_strbuf_add(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': ws_strbuf_puts(b, "\\\""); break;
		case '\\': ws_strbuf_puts(b, "\\\\"); break;
		case '\n': ws_strbuf_puts(b, "\\n"); break;
		case '\r': ws_strbuf_puts(b, "\\r"); break;
		case '\t': ws_strbuf_puts(b, "\\t"); break;
		case '<': case '>': case '&': ws_strbuf_printf(b, "\\u%04x", *p); break;
		default:
			if (*p < 0x20)
				ws_strbuf_printf(b, "\\u%04x", *p);
			else
				ws_strbuf_add(b, (const char *)p, 1);
		}
	}
	ws_strbuf_add(b, "\"", 1);
}

void ws_strbuf_json_number(struct ws_strbuf *b, double v, int decimals)
{
	if (!isfinite(v)) {
		ws_strbuf_puts(b, "null");
		return;
	}
	char buf[64];
	int n = snprintf(buf, sizeof buf, "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof buf) {
		ws_strbuf_printf(b, "%.17g", v);
		return;
	}
	if (decimals > 0) {
		while (n > 0 && buf[n - 1] == '0')
			n--;
		if (n > 0 && buf[n - 1] == '.')
			n--;
	}
	buf[n] = '\0';
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	ws_strbuf_puts(b, buf);
}
