/* JSON output: json-c builds and escapes; we format numbers ourselves so that the text
 * is the same on every machine and run. */
#include "jsonout.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static mode_t current_umask(void)
{
	/* umask can only be read by setting it; single-threaded here (the run is over) */
	mode_t m = umask(022);
	umask(m);
	return m;
}

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

bool ws_json_write_file_atomic(const char *path, struct json_object *doc, struct ws_error *err)
{
	const char *text = json_text(doc);
	if (!text)
		return ws_error_nomem(err);
	/* beside the target (same file system, so rename is atomic), hidden */
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	size_t size = strlen(path) + 16;
	char *tmp = malloc(size);
	if (!tmp)
		return ws_error_nomem(err);
	snprintf(tmp, size, "%.*s.%s.tmp-XXXXXX", (int)dir_len, path, path + dir_len);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		ws_error_set(err, WS_ERR_CANTCREAT, "%s: %s", path, strerror(errno));
		free(tmp);
		return false;
	}
	FILE *f = fdopen(fd, "wb");
	bool ok = f && put_text(f, text) && fsync(fileno(f)) == 0;
	int saved = errno;
	if (f ? fclose(f) != 0 : close(fd) != 0) {
		if (ok)
			saved = errno;
		ok = false;
	}
	/* mkstemp makes the file 0600; a report is as readable as any other output */
	ok = ok && chmod(tmp, 0644 & ~current_umask()) == 0;
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		unlink(tmp);
		ws_error_set(err, WS_ERR_IO, "%s: write failed: %s", path, strerror(saved));
	}
	free(tmp);
	return ok;
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
