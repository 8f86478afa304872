/* Shapefile writer: .shp/.shx/.dbf through shapelib, .cpg and .prj directly. Either all
 * files are complete (every write, flush and close checked, sizes verified afterwards) or
 * the call fails naming the file and removes what it created.
 *
 * shapelib 1.5 ignores most write errors (SHPClose/DBFClose return nothing), so its file
 * access goes through hooks that record the first failure in thread-local state: its
 * hooks carry no user pointer, and a writer runs on one thread from create to close. */
#include "report/writers.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <shapefil.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/outdir.h"
#include "report/rings.h"

#define DBF_NAME_MAX 10  /* bytes in a DBF field name */
#define DBF_TEXT_MAX 254 /* bytes in a DBF character field */
#define DBF_INT_WIDTH 18 /* GDAL/QGIS read N(18,0) as a 64-bit integer, N(19+) as real */
#define DBF_REAL_WIDTH 19
#define MAX_OPEN 8       /* files shapelib holds open at once: .shp, .shx, .dbf */

static const char *const extensions[] = {".shp", ".shx", ".dbf", ".cpg", ".prj"};
#define N_EXTENSIONS (sizeof extensions / sizeof extensions[0])

/* What the hooks saw; reset before each shapefile. */
static _Thread_local struct {
	bool failed;
	char msg[400];
	FILE *open_fp[MAX_OPEN];
	char open_name[MAX_OPEN][PATH_MAX];
} io;

__attribute__((format(printf, 1, 2))) static void note_failure(const char *fmt, ...)
{
	if (io.failed)
		return;
	io.failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(io.msg, sizeof io.msg, fmt, ap);
	va_end(ap);
}

static const char *name_of(SAFile file)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (io.open_fp[i] && io.open_fp[i] == (FILE *)(void *)file)
			return io.open_name[i];
	return "(shapefile)";
}

static SAFile hook_open(const char *name, const char *access)
{
	FILE *fp = fopen(name, access);
	if (!fp) {
		note_failure("%s: cannot open: %s", name, strerror(errno));
		return NULL;
	}
	for (int i = 0; i < MAX_OPEN; i++) {
		if (!io.open_fp[i]) {
			io.open_fp[i] = fp;
			snprintf(io.open_name[i], sizeof io.open_name[i], "%s", name);
			break;
		}
	}
	return (SAFile)(void *)fp;
}

static SAOffset hook_write(void *p, SAOffset size, SAOffset n, SAFile file)
{
	if (!file) {
		note_failure("write to a file that failed to open");
		return 0;
	}
	/* shapelib writes zero bytes from NULL (an empty header block): fwrite needs a pointer. */
	if (size == 0 || n == 0)
		return 0;
	size_t got = fwrite(p, size, n, (FILE *)(void *)file);
	if (got != n)
		note_failure("%s: write failed: %s", name_of(file), strerror(errno));
	return got;
}

static int hook_flush(SAFile file)
{
	if (!file)
		return EOF;
	int rc = fflush((FILE *)(void *)file);
	if (rc != 0)
		note_failure("%s: write failed: %s", name_of(file), strerror(errno));
	return rc;
}

static int hook_close(SAFile file)
{
	if (!file)
		return EOF;
	FILE *fp = (FILE *)(void *)file;
	char name[PATH_MAX];
	snprintf(name, sizeof name, "%s", name_of(file));
	for (int i = 0; i < MAX_OPEN; i++)
		if (io.open_fp[i] == fp)
			io.open_fp[i] = NULL;
	if (fflush(fp) != 0)
		note_failure("%s: write failed: %s", name, strerror(errno));
	else
		ws_outdir_start_writeback(fp);
	int rc = fclose(fp);
	if (rc != 0)
		note_failure("%s: write failed: %s", name, strerror(errno));
	return rc;
}

static void hook_error(const char *message)
{
	note_failure("shapelib: %s", message);
}

static char *join(const char *stem, const char *ext)
{
	/* memcpy, not snprintf: gcc's sanitizer builds misreport a truncation here */
	size_t ls = strlen(stem), le = strlen(ext);
	char *path = malloc(ls + le + 1);
	if (path) {
		memcpy(path, stem, ls);
		memcpy(path + ls, ext, le + 1);
	}
	return path;
}

/* Longest prefix of at most `max` bytes that does not split a UTF-8 character. */
static size_t utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

static bool same_name(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0; /* readers look DBF names up case-insensitively */
}

/* DBF names: each column's name cut to 10 bytes; a name already taken by an earlier column
 * becomes <prefix>~N with the smallest free N, so the result depends only on the order. */
static void assign_names(const struct ws_table *t, char (*names)[DBF_NAME_MAX + 1])
{
	for (size_t c = 0; c < t->n_cols; c++) {
		const char *src = t->cols[c].name;
		size_t n = utf8_prefix(src, DBF_NAME_MAX);
		memcpy(names[c], src, n);
		names[c][n] = '\0';
		for (unsigned k = 1;; k++) {
			bool taken = false;
			for (size_t d = 0; d < c && !taken; d++)
				taken = same_name(names[c], names[d]);
			if (!taken)
				break;
			char suffix[16];
			int len = snprintf(suffix, sizeof suffix, "~%u", k);
			n = utf8_prefix(src, DBF_NAME_MAX - (size_t)len);
			memcpy(names[c], src, n);
			memcpy(names[c] + n, suffix, (size_t)len + 1);
		}
	}
}

static int text_width(const struct ws_table *t, size_t c)
{
	size_t width = 1;
	for (size_t r = 0; r < t->n_rows; r++) {
		size_t i = r * t->n_cols + c;
		if (t->is_null[i])
			continue;
		size_t n = utf8_prefix(t->cells[i].text, DBF_TEXT_MAX);
		if (n > width)
			width = n;
	}
	return (int)width;
}

static bool add_fields(DBFHandle dbf, const struct ws_table *t, struct ws_error *err)
{
	/* A DBF without fields holds no records, which would not match the .shp. */
	if (t->n_cols == 0)
		return DBFAddField(dbf, "FID", FTInteger, DBF_INT_WIDTH, 0) >= 0 ||
		       ws_error_set(err, WS_ERR_IO, "cannot add field FID");
	char (*names)[DBF_NAME_MAX + 1] = malloc(t->n_cols * sizeof *names);
	if (!names)
		return ws_error_nomem(err);
	bool good = true;
	assign_names(t, names);
	for (size_t c = 0; good && c < t->n_cols; c++) {
		const struct ws_column *col = &t->cols[c];
		int rc = -1;
		switch (col->type) {
		case WS_COL_TEXT: rc = DBFAddField(dbf, names[c], FTString, text_width(t, c), 0); break;
		case WS_COL_INT: rc = DBFAddField(dbf, names[c], FTInteger, DBF_INT_WIDTH, 0); break;
		case WS_COL_REAL:
			rc = DBFAddField(dbf, names[c], FTDouble, DBF_REAL_WIDTH, col->decimals);
			break;
		case WS_COL_BOOL: rc = DBFAddField(dbf, names[c], FTLogical, 1, 0); break;
		}
		if (rc < 0)
			good = ws_error_set(err, WS_ERR_IO, "cannot add field %s (column %s)", names[c],
					    col->name);
	}
	free(names);
	return good;
}

/* Numbers go in right-aligned as formatted for every other output, not re-printed by
 * shapelib, so CSV, GeoJSON and DBF carry the same digits. */
static bool write_number(DBFHandle dbf, int row, int field, const char *text, int width)
{
	char buf[WS_TABLE_NUMBER_MAX];
	if ((int)strlen(text) > width)
		return false;
	snprintf(buf, sizeof buf, "%*s", width, text);
	return DBFWriteAttributeDirectly(dbf, row, field, buf);
}

static bool write_row(DBFHandle dbf, const struct ws_table *t, size_t row, struct ws_error *err)
{
	int r = (int)row;
	char buf[WS_TABLE_NUMBER_MAX];
	if (t->n_cols == 0) {
		snprintf(buf, sizeof buf, "%zu", row);
		return write_number(dbf, r, 0, buf, DBF_INT_WIDTH) ||
		       ws_error_set(err, WS_ERR_IO, "record %zu: write failed", row);
	}
	for (size_t c = 0; c < t->n_cols; c++) {
		size_t i = row * t->n_cols + c;
		int f = (int)c;
		bool good;
		if (t->is_null[i]) {
			good = DBFWriteNULLAttribute(dbf, r, f);
		} else {
			switch (t->cols[c].type) {
			case WS_COL_TEXT: {
				char text[DBF_TEXT_MAX + 1];
				size_t n = utf8_prefix(t->cells[i].text, DBF_TEXT_MAX);
				memcpy(text, t->cells[i].text, n);
				text[n] = '\0';
				good = DBFWriteStringAttribute(dbf, r, f, text);
				break;
			}
			case WS_COL_BOOL:
				good = DBFWriteLogicalAttribute(dbf, r, f, t->cells[i].boolean ? 'T' : 'F');
				break;
			default:
				ws_table_format_cell(t, row, c, buf, sizeof buf);
				good = write_number(dbf, r, f, buf,
						    t->cols[c].type == WS_COL_INT ? DBF_INT_WIDTH
										  : DBF_REAL_WIDTH);
				if (!good)
					return ws_error_set(err, WS_ERR_INTERNAL,
							    "record %zu, field %s: %s does not fit "
							    "a DBF number",
							    row, t->cols[c].name, buf);
				break;
			}
		}
		if (!good)
			return ws_error_set(err, WS_ERR_IO, "record %zu, field %s: write failed", row,
					    t->cols[c].name);
	}
	return true;
}

/* Scratch coordinates of one feature in writing order. */
struct scratch {
	double *x, *y;
	int *part_start;
	size_t cap_points, cap_parts;
};

static bool reserve_scratch(struct scratch *sc, size_t points, size_t parts, struct ws_error *err)
{
	if (points > sc->cap_points) {
		double *x = realloc(sc->x, points * sizeof *x);
		if (x)
			sc->x = x;
		double *y = realloc(sc->y, points * sizeof *y);
		if (y)
			sc->y = y;
		if (!x || !y)
			return ws_error_nomem(err);
		sc->cap_points = points;
	}
	if (parts > sc->cap_parts) {
		int *ps = realloc(sc->part_start, parts * sizeof *ps);
		if (!ps)
			return ws_error_nomem(err);
		sc->part_start = ps;
		sc->cap_parts = parts;
	}
	return true;
}

/* Bytes the record of feature `f` takes in the .shp, header included. */
static uint64_t record_bytes(const struct ws_shapes *s, size_t f)
{
	size_t n_parts = ws_shapes_feature_parts(s, f);
	if (n_parts == 0)
		return 8 + 4;
	if (s->kind == WS_GEOM_POINT)
		return 8 + 20;
	size_t first = s->feature_first_part[f];
	uint64_t n_points = s->part_first_point[first + n_parts] - s->part_first_point[first];
	return 8 + 44 + 4 * (uint64_t)n_parts + 16 * n_points;
}

static bool write_shape(SHPHandle shp, const struct ws_shapes *s, size_t f, struct scratch *sc,
			struct ws_rings *rings, struct ws_error *err)
{
	size_t n_parts = ws_shapes_feature_parts(s, f), first = s->feature_first_part[f];
	size_t n_points = n_parts ? s->part_first_point[first + n_parts] - s->part_first_point[first]
				  : 0;
	if (n_parts > INT_MAX || n_points > INT_MAX)
		return ws_error_set(err, WS_ERR_INTERNAL, "feature %zu too large for a shapefile", f);
	SHPObject *obj = NULL;
	if (n_parts == 0) {
		obj = SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
	} else {
		if (!ws_rings_check_feature(s, f, err) ||
		    !reserve_scratch(sc, n_points, n_parts, err))
			return false;
		size_t k = 0;
		for (size_t i = 0; i < n_parts; i++) {
			size_t p = first + i;
			bool reverse = false;
			if (s->kind == WS_GEOM_POLYGON) {
				if (i == 0 && !ws_rings_classify(rings, s, f, false, err))
					return false;
				p = rings->order[i];
				reverse = rings->reverse[i];
			}
			size_t n = ws_shapes_part_points(s, p);
			const double *xy = s->xy + 2 * s->part_first_point[p];
			sc->part_start[i] = (int)k;
			for (size_t j = 0; j < n; j++, k++) {
				size_t src = reverse ? n - 1 - j : j;
				sc->x[k] = xy[2 * src];
				sc->y[k] = xy[2 * src + 1];
			}
		}
		int type = s->kind == WS_GEOM_POINT  ? SHPT_POINT
			   : s->kind == WS_GEOM_LINE ? SHPT_ARC
						     : SHPT_POLYGON;
		obj = SHPCreateObject(type, -1, (int)n_parts, sc->part_start, NULL, (int)n_points,
				      sc->x, sc->y, NULL, NULL);
	}
	if (!obj)
		return ws_error_nomem(err);
	int id = SHPWriteObject(shp, -1, obj);
	SHPDestroyObject(obj);
	if (id < 0)
		return ws_error_set(err, WS_ERR_IO, "feature %zu: write failed%s%s", f,
				    io.failed ? ": " : "", io.failed ? io.msg : "");
	return true;
}

static bool write_text_file(const char *path, const char *text, struct ws_error *err)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return ws_error_set(err, WS_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	bool good = fputs(text, fp) >= 0 && fflush(fp) == 0;
	int saved = errno;
	if (fclose(fp) != 0 && good) {
		good = false;
		saved = errno;
	}
	if (!good)
		return ws_error_set(err, WS_ERR_IO, "%s: write failed: %s", path, strerror(saved));
	return true;
}

/* A short file is the one failure the hooks could miss (a write lost without an error);
 * the .shp and .shx sizes follow from the shapes, the .dbf from its header. */
static bool check_size(const char *path, uint64_t want, bool at_least, struct ws_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return ws_error_set(err, WS_ERR_IO, "%s: missing after writing: %s", path,
				    strerror(errno));
	uint64_t got = (uint64_t)st.st_size;
	if (S_ISREG(st.st_mode) && (at_least ? got < want : got != want))
		return ws_error_set(err, WS_ERR_IO, "%s: %" PRIu64 " bytes written, %" PRIu64
				    " expected", path, got, want);
	return true;
}

bool ws_write_shapefile(const char *path_stem, const struct ws_table *t,
			const struct ws_shapes *shapes, const char *prj_wkt, struct ws_error *err)
{
	if (shapes->n_features != t->n_rows)
		return ws_error_set(err, WS_ERR_INTERNAL, "%s.shp: %zu geometries for %zu rows",
				    path_stem, shapes->n_features, t->n_rows);
	if (t->n_rows > INT_MAX)
		return ws_error_set(err, WS_ERR_INTERNAL, "%s.shp: %zu records is too many",
				    path_stem, t->n_rows);
	char *paths[N_EXTENSIONS] = {0};
	for (size_t e = 0; e < N_EXTENSIONS; e++)
		if (!(paths[e] = join(path_stem, extensions[e]))) {
			for (size_t d = 0; d < e; d++)
				free(paths[d]);
			return ws_error_nomem(err);
		}
	const char *shp_path = paths[0], *shx_path = paths[1], *dbf_path = paths[2];
	struct ws_error sub = {0};
	struct scratch sc = {0};
	struct ws_rings rings;
	ws_rings_init(&rings);
	SHPHandle shp = NULL;
	DBFHandle dbf = NULL;
	bool good = false;
	memset(&io, 0, sizeof io);

	SAHooks hooks;
	SASetupDefaultHooks(&hooks);
	hooks.FOpen = hook_open;
	hooks.FWrite = hook_write;
	hooks.FFlush = hook_flush;
	hooks.FClose = hook_close;
	hooks.Error = hook_error;

	int type = shapes->kind == WS_GEOM_POINT  ? SHPT_POINT
		   : shapes->kind == WS_GEOM_LINE ? SHPT_ARC
						  : SHPT_POLYGON;
	/* The extension is given so shapelib strips exactly it, whatever dots the stem has. */
	shp = SHPCreateLL(shp_path, type, &hooks);
	if (!shp || io.failed) {
		ws_error_set(&sub, WS_ERR_IO, "%s", io.failed ? io.msg : "cannot create");
		goto fail;
	}
	dbf = DBFCreateLL(dbf_path, NULL, &hooks);
	if (!dbf || io.failed) {
		ws_error_set(&sub, WS_ERR_IO, "%s", io.failed ? io.msg : "cannot create");
		goto fail;
	}
	if (!add_fields(dbf, t, &sub)) {
		ws_error_prefix(&sub, "%s: ", dbf_path);
		goto fail;
	}
	uint64_t shp_bytes = 100;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (!write_shape(shp, shapes, r, &sc, &rings, &sub)) {
			if (strncmp(sub.msg, path_stem, strlen(path_stem)) != 0)
				ws_error_prefix(&sub, "%s: ", shp_path);
			goto fail;
		}
		if (!write_row(dbf, t, r, &sub)) {
			if (strncmp(sub.msg, path_stem, strlen(path_stem)) != 0)
				ws_error_prefix(&sub, "%s: ", dbf_path);
			goto fail;
		}
		shp_bytes += record_bytes(shapes, r);
	}
	int dbf_header = 32 + 32 * DBFGetFieldCount(dbf) + 1;
	int dbf_record = 1;
	for (int f = 0; f < DBFGetFieldCount(dbf); f++) {
		int width = 0;
		DBFGetFieldInfo(dbf, f, NULL, &width, NULL);
		dbf_record += width;
	}
	SHPClose(shp);
	shp = NULL;
	DBFClose(dbf);
	dbf = NULL;
	if (io.failed) {
		ws_error_set(&sub, WS_ERR_IO, "%s", io.msg);
		goto fail;
	}
	if (!write_text_file(paths[3], "UTF-8", &sub) ||
	    (prj_wkt && !write_text_file(paths[4], prj_wkt, &sub)))
		goto fail;
	if (!check_size(shp_path, shp_bytes, false, &sub) ||
	    !check_size(shx_path, 100 + 8 * (uint64_t)t->n_rows, false, &sub) ||
	    !check_size(dbf_path, (uint64_t)dbf_header + (uint64_t)dbf_record * t->n_rows, true,
			&sub))
		goto fail;
	good = true;
fail:
	if (shp)
		SHPClose(shp);
	if (dbf)
		DBFClose(dbf);
	if (!good) {
		/* Messages from the hooks already name the file; others get the .shp's name. */
		if (strncmp(sub.msg, path_stem, strlen(path_stem)) == 0)
			ws_error_set(err, sub.code, "%s", sub.msg);
		else
			ws_error_set(err, sub.code, "%s: %s", shp_path, sub.msg);
		for (size_t e = 0; e < N_EXTENSIONS; e++)
			if (e != 4 || prj_wkt)
				unlink(paths[e]);
	}
	for (size_t e = 0; e < N_EXTENSIONS; e++)
		free(paths[e]);
	free(sc.x);
	free(sc.y);
	free(sc.part_start);
	ws_rings_finish(&rings);
	return good;
}
