/* JSON output: json-c builds and escapes; we format numbers ourselves so that the text
 * is the same on every machine and run. */
#include "jsonout.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *json_text(struct json_object *doc)
{
	return json_object_to_json_string_ext(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Writes text and a newline and flushes; errno is kept for the caller on failure. */
static bool put_text(FILE *f, const char *text)
{
	size_t len = strlen(text);
	return fwrite(text, 1, len, f) == len && fputc('\n', f) != EOF && fflush(f) == 0;
}

bool ws_json_write_file(const char *path, struct json_object *doc, struct ws_error *err)
{
	const char *text = json_text(doc);
	if (!text)
		return ws_error_nomem(err);
	FILE *f = fopen(path, "wb");
	if (!f)
		return ws_error_set(err, WS_ERR_IO, "%s: %s", path, strerror(errno));
	bool ok = put_text(f, text);
	int saved = errno;
	if (fclose(f) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (!ok)
		return ws_error_set(err, WS_ERR_IO, "%s: write failed: %s", path, strerror(saved));
	return true;
}

bool ws_json_write_stream(FILE *out, const char *what, struct json_object *doc, struct ws_error *err)
{
	const char *text = json_text(doc);
	if (!text)
		return ws_error_nomem(err);
	if (!put_text(out, text))
		return ws_error_set(err, WS_ERR_IO, "%s: write failed: %s", what, strerror(errno));
	return true;
}

struct json_object *ws_json_real(double v, int decimals)
{
	if (!isfinite(v))
		return NULL;
	char buf[64];
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	if (!strcmp(buf, "-0") || !strncmp(buf, "-0.", 3)) {
		/* avoid "-0.00" for tiny negatives */
		bool all_zero = true;
		for (const char *c = buf + 1; *c; c++)
			if (*c != '0' && *c != '.')
				all_zero = false;
		if (all_zero)
			memmove(buf, buf + 1, strlen(buf));
	}
	return json_object_new_double_s(v, buf);
}

struct json_object *ws_json_text(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}
