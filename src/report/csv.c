/* CSV writer: the file is either complete (header + one line per row, every write, the
 * flush and the close checked) or the call fails naming it; RFC 4180 quoting, UTF-8
 * without BOM, "\n" line ends. */
#include "report/writers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Quotes only when RFC 4180 requires it, so plain numbers stay unquoted. */
static bool put_field(FILE *fp, const char *text)
{
	if (!strpbrk(text, ",\"\r\n"))
		return fputs(text, fp) >= 0;
	if (fputc('"', fp) == EOF)
		return false;
	for (const char *c = text; *c; c++) {
		if (*c == '"' && fputc('"', fp) == EOF)
			return false;
		if (fputc(*c, fp) == EOF)
			return false;
	}
	return fputc('"', fp) != EOF;
}

static bool put_row(FILE *fp, const struct ws_table *t, size_t row)
{
	char buf[WS_TABLE_NUMBER_MAX];
	for (size_t c = 0; c < t->n_cols; c++) {
		if (c && fputc(',', fp) == EOF)
			return false;
		size_t i = row * t->n_cols + c;
		const char *text = buf;
		if (t->cols[c].type == WS_COL_TEXT && !t->is_null[i])
			text = t->cells[i].text;
		else
			ws_table_format_cell(t, row, c, buf, sizeof buf);
		if (!put_field(fp, text))
			return false;
	}
	return fputc('\n', fp) != EOF;
}

bool ws_write_csv(const char *path, const struct ws_table *t, struct ws_error *err)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return ws_error_set(err, WS_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	bool good = true;
	for (size_t c = 0; good && c < t->n_cols; c++)
		good = (c == 0 || fputc(',', fp) != EOF) && put_field(fp, t->cols[c].name);
	good = good && fputc('\n', fp) != EOF;
	for (size_t r = 0; good && r < t->n_rows; r++)
		good = put_row(fp, t, r);
	/* A full disk often shows only when the buffer is flushed or the file closed. */
	good = good && fflush(fp) == 0 && !ferror(fp);
	int saved = errno;
	if (fclose(fp) != 0 && good) {
		good = false;
		saved = errno;
	}
	if (!good)
		return ws_error_set(err, WS_ERR_IO, "%s: write failed: %s", path, strerror(saved));
	return true;
}
