/* Typed tables: every cell is either NULL (is_null set, cell unused) or holds a value of
 * its column's type; TEXT cells own a malloc'd UTF-8 copy, freed when overwritten or at
 * finish. Reals are always finite (non-finite ones become NULL). */
#include "report/table.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* DBF numeric fields hold at most 15 decimals in 19 characters; more would be noise. */
#define MAX_DECIMALS 15

static size_t index_of(const struct ws_table *t, size_t row, size_t col)
{
	return row * t->n_cols + col;
}

bool ws_table_init(struct ws_table *t, size_t n_rows, size_t n_cols, struct ws_error *err)
{
	memset(t, 0, sizeof *t);
	if (n_cols && n_rows > SIZE_MAX / n_cols / sizeof(union ws_cell))
		return ws_error_nomem(err);
	size_t n_cells = n_rows * n_cols;
	t->cols = calloc(n_cols ? n_cols : 1, sizeof *t->cols);
	t->cells = calloc(n_cells ? n_cells : 1, sizeof *t->cells);
	t->is_null = malloc(n_cells ? n_cells : 1);
	if (!t->cols || !t->cells || !t->is_null) {
		ws_table_finish(t);
		return ws_error_nomem(err);
	}
	t->n_rows = n_rows;
	t->n_cols = n_cols;
	for (size_t i = 0; i < n_cells; i++)
		t->is_null[i] = true;
	return true;
}

void ws_table_finish(struct ws_table *t)
{
	if (!t)
		return;
	if (t->cols && t->cells && t->is_null) {
		for (size_t c = 0; c < t->n_cols; c++) {
			if (t->cols[c].type != WS_COL_TEXT)
				continue;
			for (size_t r = 0; r < t->n_rows; r++)
				if (!t->is_null[index_of(t, r, c)])
					free(t->cells[index_of(t, r, c)].text);
		}
	}
	if (t->cols)
		for (size_t c = 0; c < t->n_cols; c++)
			free(t->cols[c].name);
	free(t->cols);
	free(t->cells);
	free(t->is_null);
	memset(t, 0, sizeof *t);
}

/* Releases a cell's text and marks it NULL, so a setter can overwrite any cell. */
static void clear_cell(struct ws_table *t, size_t row, size_t col)
{
	size_t i = index_of(t, row, col);
	if (!t->is_null[i] && t->cols[col].type == WS_COL_TEXT)
		free(t->cells[i].text);
	t->is_null[i] = true;
}

bool ws_table_set_column(struct ws_table *t, size_t col, const char *name, enum ws_col_type type,
			 int decimals, struct ws_error *err)
{
	if (col >= t->n_cols)
		return ws_error_set(err, WS_ERR_INTERNAL, "table column %zu out of range (%zu columns)",
				    col, t->n_cols);
	/* Changing the type of a column with values would misread its cells. */
	for (size_t r = 0; r < t->n_rows; r++)
		clear_cell(t, r, col);
	char *copy = strdup(name);
	if (!copy)
		return ws_error_nomem(err);
	free(t->cols[col].name);
	t->cols[col].name = copy;
	t->cols[col].type = type;
	if (decimals < 0)
		decimals = 0;
	if (decimals > MAX_DECIMALS)
		decimals = MAX_DECIMALS;
	t->cols[col].decimals = type == WS_COL_REAL ? decimals : 0;
	return true;
}

bool ws_table_set_text(struct ws_table *t, size_t row, size_t col, const char *text,
		       struct ws_error *err)
{
	clear_cell(t, row, col);
	if (!text)
		return true;
	char *copy = strdup(text);
	if (!copy)
		return ws_error_nomem(err);
	size_t i = index_of(t, row, col);
	t->cells[i].text = copy;
	t->is_null[i] = false;
	return true;
}

void ws_table_set_int(struct ws_table *t, size_t row, size_t col, int64_t v)
{
	clear_cell(t, row, col);
	size_t i = index_of(t, row, col);
	t->cells[i].integer = v;
	t->is_null[i] = false;
}

void ws_table_set_real(struct ws_table *t, size_t row, size_t col, double v)
{
	clear_cell(t, row, col);
	if (!isfinite(v))
		return;
	size_t i = index_of(t, row, col);
	t->cells[i].real = v;
	t->is_null[i] = false;
}

void ws_table_set_bool(struct ws_table *t, size_t row, size_t col, bool v)
{
	clear_cell(t, row, col);
	size_t i = index_of(t, row, col);
	t->cells[i].boolean = v;
	t->is_null[i] = false;
}

void ws_table_format_cell(const struct ws_table *t, size_t row, size_t col, char *buf, size_t size)
{
	if (!size)
		return;
	size_t i = index_of(t, row, col);
	if (t->is_null[i]) {
		buf[0] = '\0';
		return;
	}
	const union ws_cell *cell = &t->cells[i];
	switch (t->cols[col].type) {
	case WS_COL_TEXT:
		snprintf(buf, size, "%s", cell->text);
		break;
	case WS_COL_INT:
		snprintf(buf, size, "%" PRId64, cell->integer);
		break;
	case WS_COL_REAL:
		snprintf(buf, size, "%.*f", t->cols[col].decimals, cell->real);
		/* "-0.00" would make a zero look negative in every format. */
		if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
			memmove(buf, buf + 1, strlen(buf));
		break;
	case WS_COL_BOOL:
		snprintf(buf, size, "%s", cell->boolean ? "true" : "false");
		break;
	}
}
