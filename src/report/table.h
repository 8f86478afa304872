/* A typed table in memory: the one shape every tabular output (CSV, DBF, GeoJSON
 * properties) is written from, so all formats carry the same columns and values. */
#ifndef WS_TABLE_H
#define WS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum ws_col_type { WS_COL_TEXT, WS_COL_INT, WS_COL_REAL, WS_COL_BOOL };

struct ws_column {
	char *name;          /* CSV/GeoJSON name; DBF gets its first 10 bytes (checked unique) */
	enum ws_col_type type;
	int decimals;        /* WS_COL_REAL: digits after the point in every format */
};

union ws_cell {
	char *text;          /* owned, UTF-8 */
	int64_t integer;
	double real;
	bool boolean;
};

struct ws_table {
	size_t n_rows, n_cols;
	struct ws_column *cols;
	union ws_cell *cells;  /* row-major n_rows * n_cols */
	bool *is_null;         /* row-major; a new table is all NULL */
};

/* Columns are fixed at creation; rows are all NULL until set. */
bool ws_table_init(struct ws_table *t, size_t n_rows, size_t n_cols, struct ws_error *err);
void ws_table_finish(struct ws_table *t);
bool ws_table_set_column(struct ws_table *t, size_t col, const char *name, enum ws_col_type type,
			 int decimals, struct ws_error *err);
/* Setters copy text; a non-finite real is stored as NULL. */
bool ws_table_set_text(struct ws_table *t, size_t row, size_t col, const char *text,
		       struct ws_error *err);
void ws_table_set_int(struct ws_table *t, size_t row, size_t col, int64_t v);
void ws_table_set_real(struct ws_table *t, size_t row, size_t col, double v);
void ws_table_set_bool(struct ws_table *t, size_t row, size_t col, bool v);

/* Buffer size that holds any non-TEXT cell as ws_table_format_cell writes it (the widest
 * is -DBL_MAX with 15 decimals: 327 bytes with the NUL). */
#define WS_TABLE_NUMBER_MAX 352

/* Formats one cell as text the way CSV writes it ("" for NULL; reals with the column's
 * decimals, "true"/"false"); writes at most `size` bytes including the NUL. */
void ws_table_format_cell(const struct ws_table *t, size_t row, size_t col, char *buf, size_t size);

#endif
