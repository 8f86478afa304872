/* UTF-8 display width with the C library's wcwidth (the locale is set to a UTF-8 one
 * by main). Invalid bytes count one column each. */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include "text.h"

#include <stdbool.h>
#include <string.h>
#include <wchar.h>

static size_t next_char(const char *s, wchar_t *wc, int *cols)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = mbrtowc(wc, s, strlen(s), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cols = 1;
		return 1;
	}
	int w = wcwidth(*wc);
	*cols = w < 0 ? 1 : w;
	return n;
}

size_t ws_text_width(const char *s)
{
	size_t width = 0;
	while (*s) {
		wchar_t wc;
		int cols;
		s += next_char(s, &wc, &cols);
		width += (size_t)cols;
	}
	return width;
}

void ws_text_print_padded(FILE *out, const char *s, size_t width)
{
	size_t total = ws_text_width(s), used = 0;
	bool cut = total > width;
	size_t room = cut ? width - 1 : width;
	while (*s) {
		wchar_t wc;
		int cols;
		size_t n = next_char(s, &wc, &cols);
		if (used + (size_t)cols > room)
			break;
		fwrite(s, 1, n, out);
		used += (size_t)cols;
		s += n;
	}
	if (cut) {
		fputs("…", out);
		used++;
	}
	for (; used < width; used++)
		fputc(' ', out);
}
