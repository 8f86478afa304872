/* Catalogue CSV and requirements file. The whole file is read into memory (catalogues are
 * small) and parsed as RFC 4180: quoted fields may hold commas, quotes ("") and newlines.
 * A UTF-8 byte-order mark at the start is skipped. */
#include "catalogue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/services.h"

static char *read_all(const char *path, struct ws_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		ws_error_set(err, errno == ENOENT ? WS_ERR_NOINPUT : WS_ERR_IO, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n + 1 >= cap) {
			char *grown = realloc(buf, cap *= 2);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	bool failed = !buf || ferror(fp);
	fclose(fp);
	if (!buf) {
		ws_error_nomem(err);
		return NULL;
	}
	if (failed) {
		free(buf);
		ws_error_set(err, WS_ERR_IO, "%s: read error", path);
		return NULL;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		free(buf);
		ws_error_set(err, WS_ERR_FORMAT, "%s: not a text file (NUL byte)", path);
		return NULL;
	}
	if (!strncmp(buf, "\xEF\xBB\xBF", 3))
		memmove(buf, buf + 3, n - 2);
	return buf;
}

static char *trimmed_copy(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return strndup(s, len);
}

/* Parses one record starting at *p into fields (malloc'd); advances *p past its line
 * end; *line counts newlines. Returns the field count, or -1 on a quote error / OOM. */
static long parse_record(const char **p, size_t *line, char ***fields, size_t *cap)
{
	long n = 0;
	const char *s = *p;
	for (;;) {
		if ((size_t)n == *cap) {
			size_t nc = *cap ? 2 * *cap : 8;
			char **grown = realloc(*fields, nc * sizeof **fields);
			if (!grown)
				return -1;
			*fields = grown;
			*cap = nc;
		}
		char *value;
		if (*s == '"') {
			size_t vcap = 64, vn = 0;
			value = malloc(vcap);
			s++;
			for (;;) {
				if (!value)
					return -1;
				if (!*s) {
					free(value);
					return -1;   /* unterminated quote */
				}
				if (*s == '"' && s[1] != '"') {
					s++;
					break;
				}
				if (*s == '"')
					s++;
				if (*s == '\n')
					(*line)++;
				if (vn + 2 >= vcap) {
					char *grown = realloc(value, vcap *= 2);
					if (!grown)
						free(value);
					value = grown;
					if (!value)
						return -1;
				}
				value[vn++] = *s++;
			}
			value[vn] = '\0';
			char *t = trimmed_copy(value, vn);
			free(value);
			value = t;
			while (*s == ' ' || *s == '\t')
				s++;
		} else {
			size_t len = strcspn(s, ",\r\n");
			value = trimmed_copy(s, len);
			s += len;
		}
		if (!value)
			return -1;
		(*fields)[n++] = value;
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n') {
			s++;
			(*line)++;
		} else if (*s) {
			return -1;   /* text after a closing quote */
		}
		break;
	}
	*p = s;
	return n;
}

void ws_catalogue_rows_finish(struct ws_catalogue_rows *rows)
{
	if (!rows)
		return;
	for (size_t i = 0; i < rows->n; i++) {
		free(rows->center_id[i]);
		free(rows->service[i]);
	}
	free(rows->center_id);
	free(rows->service);
	free(rows->line);
	memset(rows, 0, sizeof *rows);
}

bool ws_catalogue_read_csv(struct ws_catalogue_rows *rows, const char *path, struct ws_error *err)
{
	memset(rows, 0, sizeof *rows);
	char *text = read_all(path, err);
	if (!text)
		return false;
	const char *p = text;
	char **fields = NULL;
	size_t fcap = 0, line = 1, cap = 0;
	long col_id = -1, col_service = -1, n_header = 0;
	bool ok = true;
	while (ok && *p) {
		size_t at = line;
		long n = parse_record(&p, &line, &fields, &fcap);
		if (n < 0) {
			ok = ws_error_set(err, WS_ERR_FORMAT, "%s: line %zu: bad CSV quoting", path, at);
			break;
		}
		bool blank = n == 1 && !*fields[0];
		if (!blank && n_header == 0) {
			n_header = n;
			for (long j = 0; j < n; j++) {
				if (!strcasecmp(fields[j], "center_id"))
					col_id = j;
				else if (!strcasecmp(fields[j], "service"))
					col_service = j;
			}
			if (col_id < 0 || col_service < 0)
				ok = ws_error_set(err, WS_ERR_FORMAT,
						  "%s: line %zu: the header needs columns center_id and service", path, at);
		} else if (!blank) {
			if (n <= col_id || n <= col_service) {
				ok = ws_error_set(err, WS_ERR_FORMAT, "%s: line %zu: %ld fields, the header has %ld",
						  path, at, n, n_header);
			} else if (!*fields[col_id] || !*fields[col_service]) {
				ok = ws_error_set(err, WS_ERR_FORMAT, "%s: line %zu: empty %s", path, at,
						  *fields[col_id] ? "service" : "center_id");
			} else {
				if (rows->n == cap) {
					cap = cap ? 2 * cap : 64;
					char **a = realloc(rows->center_id, cap * sizeof *a);
					if (a)
						rows->center_id = a;
					char **b = realloc(rows->service, cap * sizeof *b);
					if (b)
						rows->service = b;
					size_t *c = realloc(rows->line, cap * sizeof *c);
					if (c)
						rows->line = c;
					if (!a || !b || !c)
						ok = ws_error_nomem(err);
				}
				if (ok) {
					rows->center_id[rows->n] = fields[col_id];
					rows->service[rows->n] = fields[col_service];
					rows->line[rows->n] = at;
					fields[col_id] = fields[col_service] = NULL;
					rows->n++;
				}
			}
		}
		for (long j = 0; j < n; j++)
			free(fields[j]);
	}
	if (ok && n_header == 0)
		ok = ws_error_set(err, WS_ERR_FORMAT, "%s: empty (expected a header center_id,service)", path);
	free(fields);
	free(text);
	if (!ok)
		ws_catalogue_rows_finish(rows);
	return ok;
}

bool ws_requirements_read(const char *path, char ***items, size_t *n, struct ws_error *err)
{
	char *text = read_all(path, err);
	if (!text)
		return false;
	bool ok = true;
	char *save = NULL;
	for (char *ln = strtok_r(text, "\r\n", &save); ok && ln; ln = strtok_r(NULL, "\r\n", &save)) {
		const char *s = ln;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#')
			continue;
		ok = ws_services_split(s, items, n, err);
	}
	free(text);
	return ok;
}
