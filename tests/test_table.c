/* Typed tables: each type formats as every output writes it; NULL and non-finite reals
 * come out empty; text is copied and owned. */
#include <math.h>
#include <stdlib.h>

#include "report/table.h"
#include "tap.h"

static const char *cell(const struct ws_table *t, size_t row, size_t col)
{
	static char buf[WS_TABLE_NUMBER_MAX];
	ws_table_format_cell(t, row, col, buf, sizeof buf);
	return buf;
}

int main(void)
{
	struct ws_error err = {0};
	struct ws_table t;
	ok(ws_table_init(&t, 3, 4, &err), "init 3 x 4");
	ok(ws_table_set_column(&t, 0, "name", WS_COL_TEXT, 0, &err) &&
		   ws_table_set_column(&t, 1, "count", WS_COL_INT, 0, &err) &&
		   ws_table_set_column(&t, 2, "share", WS_COL_REAL, 2, &err) &&
		   ws_table_set_column(&t, 3, "covered", WS_COL_BOOL, 0, &err),
	   "columns set");
	is_str(t.cols[2].name, "share", "column name copied");

	bool all_null = true;
	for (size_t r = 0; r < 3; r++)
		for (size_t c = 0; c < 4; c++)
			all_null = all_null && t.is_null[r * 4 + c] && cell(&t, r, c)[0] == '\0';
	ok(all_null, "a new table is all NULL and formats as empty");

	char name[] = "Zamalek";
	ok(ws_table_set_text(&t, 0, 0, name, &err), "set text");
	name[0] = 'X';
	is_str(cell(&t, 0, 0), "Zamalek", "text is copied, not borrowed");
	ok(ws_table_set_text(&t, 1, 0, "翠湖小区", &err), "set Chinese text");
	is_str(cell(&t, 1, 0), "翠湖小区", "UTF-8 text unchanged");
	ok(ws_table_set_text(&t, 1, 0, "replaced", &err), "overwrite text (old copy freed)");
	is_str(cell(&t, 1, 0), "replaced", "overwritten text");
	ok(ws_table_set_text(&t, 2, 0, NULL, &err) && t.is_null[2 * 4], "NULL text is NULL");

	ws_table_set_int(&t, 0, 1, 42);
	is_str(cell(&t, 0, 1), "42", "int");
	ws_table_set_int(&t, 1, 1, INT64_MIN);
	is_str(cell(&t, 1, 1), "-9223372036854775808", "int64 minimum");
	ws_table_set_int(&t, 2, 1, INT64_MAX);
	is_str(cell(&t, 2, 1), "9223372036854775807", "int64 maximum");

	/* 2.675 is 2.67499999... in binary, so %.2f gives 2.67: the cell shows what printf
	 * rounds, no decimal rounding of our own. */
	ws_table_set_real(&t, 0, 2, 2.675);
	is_str(cell(&t, 0, 2), "2.67", "real with the column's 2 decimals");
	ws_table_set_real(&t, 1, 2, 0.5);
	is_str(cell(&t, 1, 2), "0.50", "real padded to 2 decimals");
	ws_table_set_real(&t, 2, 2, -0.001);
	is_str(cell(&t, 2, 2), "0.00", "a negative value that rounds to zero prints without sign");
	ws_table_set_real(&t, 2, 2, -1.5);
	is_str(cell(&t, 2, 2), "-1.50", "negative real");
	ws_table_set_real(&t, 0, 2, NAN);
	ok(t.is_null[0 * 4 + 2] && cell(&t, 0, 2)[0] == '\0', "NaN stored as NULL");
	ws_table_set_real(&t, 1, 2, INFINITY);
	ok(t.is_null[1 * 4 + 2], "+Inf stored as NULL");
	ws_table_set_real(&t, 1, 2, -INFINITY);
	ok(t.is_null[1 * 4 + 2], "-Inf stored as NULL");

	ws_table_set_bool(&t, 0, 3, true);
	ws_table_set_bool(&t, 1, 3, false);
	is_str(cell(&t, 0, 3), "true", "bool true");
	is_str(cell(&t, 1, 3), "false", "bool false");
	is_str(cell(&t, 2, 3), "", "unset bool is NULL");

	char small[4];
	ws_table_format_cell(&t, 1, 1, small, sizeof small);
	is_str(small, "-92", "format truncates to the buffer size");

	struct ws_table z;
	ok(ws_table_init(&z, 0, 2, &err) && z.n_rows == 0, "a table without rows");
	ok(ws_table_set_column(&z, 0, "x", WS_COL_REAL, 99, &err) && z.cols[0].decimals == 15,
	   "decimals capped at 15 (DBF limit)");
	ws_table_finish(&z);

	ok(!ws_table_set_column(&t, 9, "bad", WS_COL_INT, 0, &err) && err.code == WS_ERR_INTERNAL,
	   "column out of range refused");

	ws_table_finish(&t);
	ws_table_finish(&t);
	ws_table_finish(NULL);
	ok(true, "finish twice and on NULL");
	return done();
}
