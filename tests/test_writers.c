/* Writers: CSV against a hand-written RFC 4180 golden file; GeoJSON and shapefiles read
 * back with json-c and shapelib (types, values, ring orientation, field names); every
 * writer reports a full disk (/dev/full) as WS_ERR_IO naming the file and leaves nothing. */
#include <dirent.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <shapefil.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/writers.h"
#include "tap.h"

static char tmpdir[] = "/tmp/ws-writers-XXXXXX";

static char *path_in(const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
	return buf[k];
}

/* Whole file as a NUL-terminated string (caller frees); NULL when unreadable. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	if (len)
		*len = (size_t)n;
	fclose(fp);
	return s;
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

/* Shoelace area, positive for counter-clockwise (computed here, not with the writer's). */
static double ring_area(const double *x, const double *y, int n)
{
	double s = 0;
	for (int i = 0; i + 1 < n; i++)
		s += x[i] * y[i + 1] - x[i + 1] * y[i];
	return s / 2;
}

static void add_ring(struct ws_shapes *s, const double *xy, size_t n)
{
	struct ws_error err = {0};
	ws_shapes_begin_part(s, &err);
	for (size_t i = 0; i < n; i++)
		ws_shapes_add_point(s, xy[2 * i], xy[2 * i + 1], &err);
}

/* ---- CSV ------------------------------------------------------------------------------- */

static void build_csv_table(struct ws_table *t)
{
	struct ws_error err = {0};
	ws_table_init(t, 4, 5, &err);
	ws_table_set_column(t, 0, "name", WS_COL_TEXT, 0, &err);
	ws_table_set_column(t, 1, "homes", WS_COL_INT, 0, &err);
	ws_table_set_column(t, 2, "share, %", WS_COL_REAL, 2, &err);
	ws_table_set_column(t, 3, "covered", WS_COL_BOOL, 0, &err);
	ws_table_set_column(t, 4, "note", WS_COL_TEXT, 0, &err);
	ws_table_set_text(t, 0, 0, "Zamalek", &err);
	ws_table_set_int(t, 0, 1, 120);
	ws_table_set_real(t, 0, 2, 0.5);
	ws_table_set_bool(t, 0, 3, true);
	ws_table_set_text(t, 0, 4, "plain", &err);
	ws_table_set_text(t, 1, 0, "Smith, Jones", &err);
	ws_table_set_int(t, 1, 1, -3);
	ws_table_set_real(t, 1, 2, 1234.5678);
	ws_table_set_bool(t, 1, 3, false);
	ws_table_set_text(t, 1, 4, "say \"hi\"", &err);
	ws_table_set_text(t, 2, 0, "翠湖小区", &err);
	ws_table_set_real(t, 2, 2, NAN);
	ws_table_set_text(t, 2, 4, "line1\nline2", &err);
	ws_table_set_text(t, 3, 0, "", &err);
	ws_table_set_int(t, 3, 1, 0);
	ws_table_set_real(t, 3, 2, -0.001);
	ws_table_set_bool(t, 3, 3, true);
}

static void test_csv(void)
{
	struct ws_error err = {0};
	struct ws_table t;
	build_csv_table(&t);
	ok(ws_write_csv(path_in("table.csv"), &t, &err), "csv written: %s", err.msg);
	char *got = slurp(path_in("table.csv"), NULL);
	char *want = slurp("data/golden/table.csv", NULL);
	ok(want != NULL, "golden file readable");
	ok(got && want && strcmp(got, want) == 0, "csv matches data/golden/table.csv");
	if (got && want && strcmp(got, want) != 0)
		diag("got:\n%s", got);
	ok(got && (unsigned char)got[0] == 'n', "no byte-order mark");
	ok(got && !strchr(got, '\r'), "\\n line ends, no CR");
	free(got);
	free(want);

	/* A CR alone also needs quotes (RFC 4180: CRLF, commas and quotes). */
	struct ws_table cr;
	ws_table_init(&cr, 1, 1, &err);
	ws_table_set_column(&cr, 0, "a", WS_COL_TEXT, 0, &err);
	ws_table_set_text(&cr, 0, 0, "x\ry", &err);
	ok(ws_write_csv(path_in("cr.csv"), &cr, &err), "csv with CR written");
	got = slurp(path_in("cr.csv"), NULL);
	is_str(got, "a\n\"x\ry\"\n", "a field holding CR is quoted");
	free(got);
	ws_table_finish(&cr);

	struct ws_error full = {0};
	ok(!ws_write_csv("/dev/full", &t, &full), "csv to /dev/full fails");
	is_int(full.code, WS_ERR_IO, "... with WS_ERR_IO");
	ok(strstr(full.msg, "/dev/full") != NULL, "... naming the file: %s", full.msg);

	struct ws_error missing = {0};
	ok(!ws_write_csv(path_in("no/such/dir.csv"), &t, &missing) && missing.code == WS_ERR_IO,
	   "csv into a missing folder: WS_ERR_IO");
	ws_table_finish(&t);
}

/* ---- polygons shared by GeoJSON and shapefile tests -------------------------------------- */

static const double outer0[] = {0, 0, 0, 10, 10, 10, 10, 0, 0, 0};     /* clockwise */
static const double hole0[] = {2, 2, 4, 2, 4, 4, 2, 4, 2, 2};          /* counter-clockwise */
static const double outer_a[] = {20, 20, 20, 21, 21, 21, 21, 20, 20, 20};
static const double outer_b[] = {30, 30, 30, 32, 32, 32, 32, 30, 30, 30};
static const double hole_b[] = {30.5, 30.5, 31, 30.5, 31, 31, 30.5, 31, 30.5, 30.5};
static const double hole_a[] = {20.2, 20.2, 20.4, 20.2, 20.4, 20.4, 20.2, 20.4, 20.2, 20.2};
/* Counter-clockwise with nothing around it: an outer ring written the other way. */
static const double lone_ccw[] = {31.23571234, 30.0444, 31.2358, 30.0444, 31.2358, 30.0445,
				  31.23571234, 30.0444};

static void build_polygons(struct ws_shapes *s)
{
	struct ws_error err = {0};
	ws_shapes_init(s, WS_GEOM_POLYGON, &err);
	ws_shapes_begin_feature(s, &err); /* 0: polygon with a hole */
	add_ring(s, outer0, 5);
	add_ring(s, hole0, 5);
	ws_shapes_begin_feature(s, &err); /* 1: A, B, hole of B, then hole of A given last */
	add_ring(s, outer_a, 5);
	add_ring(s, outer_b, 5);
	add_ring(s, hole_b, 5);
	add_ring(s, hole_a, 5);
	ws_shapes_begin_feature(s, &err); /* 2: empty */
	ws_shapes_begin_feature(s, &err); /* 3: lone counter-clockwise ring */
	add_ring(s, lone_ccw, 4);
}

static void build_attr_table(struct ws_table *t, size_t rows)
{
	struct ws_error err = {0};
	ws_table_init(t, rows, 6, &err);
	ws_table_set_column(t, 0, "name", WS_COL_TEXT, 0, &err);
	ws_table_set_column(t, 1, "population_total", WS_COL_INT, 0, &err);
	ws_table_set_column(t, 2, "population_share", WS_COL_REAL, 3, &err);
	ws_table_set_column(t, 3, "covered", WS_COL_BOOL, 0, &err);
	ws_table_set_column(t, 4, "Population_x", WS_COL_REAL, 1, &err);
	ws_table_set_column(t, 5, "小区名称很长的名字", WS_COL_TEXT, 0, &err);
	for (size_t r = 0; r < rows; r++) {
		ws_table_set_text(t, r, 0, r == 0 ? "翠湖小区" : "Garden City", &err);
		ws_table_set_int(t, r, 1, r == 1 ? 123456789012345LL : (int64_t)r * 10);
		ws_table_set_real(t, r, 2, 1.0 / 3.0);
		ws_table_set_bool(t, r, 3, r % 2 == 0);
		/* column 4 stays NULL */
	}
	char long_text[301] = "";
	for (int i = 0; i < 100; i++)
		strcat(long_text, "区"); /* 300 bytes: must be cut to 252 (84 characters) */
	ws_table_set_text(t, 0, 5, long_text, &err);
}

/* ---- GeoJSON ------------------------------------------------------------------------------ */

static json_object *coords_of(json_object *feature)
{
	json_object *geom = json_object_object_get(feature, "geometry");
	return json_object_object_get(geom, "coordinates");
}

static const char *geom_type(json_object *feature)
{
	json_object *geom = json_object_object_get(feature, "geometry");
	return json_object_get_string(json_object_object_get(geom, "type"));
}

/* Signed area of a GeoJSON ring (array of positions). */
static double json_ring_area(json_object *ring)
{
	int n = (int)json_object_array_length(ring);
	double x[64], y[64];
	for (int i = 0; i < n && i < 64; i++) {
		json_object *pos = json_object_array_get_idx(ring, (size_t)i);
		x[i] = json_object_get_double(json_object_array_get_idx(pos, 0));
		y[i] = json_object_get_double(json_object_array_get_idx(pos, 1));
	}
	return ring_area(x, y, n < 64 ? n : 64);
}

static double json_coord(json_object *ring, size_t i, size_t axis)
{
	return json_object_get_double(
		json_object_array_get_idx(json_object_array_get_idx(ring, i), axis));
}

static void test_geojson(void)
{
	struct ws_error err = {0};
	struct ws_table t;
	struct ws_shapes s;
	build_attr_table(&t, 4);
	build_polygons(&s);
	ok(ws_write_geojson(path_in("poly.geojson"), &t, &s, &err), "geojson written: %s", err.msg);
	char *text = slurp(path_in("poly.geojson"), NULL);
	json_object *root = text ? json_tokener_parse(text) : NULL;
	ok(root != NULL, "geojson parses with json-c");
	is_str(json_object_get_string(json_object_object_get(root, "type")), "FeatureCollection",
	       "FeatureCollection");
	json_object *features = json_object_object_get(root, "features");
	is_int(json_object_array_length(features), 4, "one feature per row");
	json_object *f0 = json_object_array_get_idx(features, 0);
	is_str(json_object_get_string(json_object_object_get(f0, "type")), "Feature", "Feature");
	json_object *props = json_object_object_get(f0, "properties");
	json_object *v;
	ok(json_object_object_get_ex(props, "name", &v) && json_object_is_type(v, json_type_string),
	   "text property is a string");
	is_str(json_object_get_string(v), "翠湖小区", "Chinese name round-trips");
	ok(text && strstr(text, "\"name\":\"翠湖小区\""), "Chinese written as UTF-8, not escaped");
	ok(json_object_object_get_ex(props, "population_total", &v) &&
		   json_object_is_type(v, json_type_int),
	   "int property is an integer");
	json_object *f1 = json_object_array_get_idx(features, 1);
	is_int(json_object_get_int64(json_object_object_get(json_object_object_get(f1, "properties"),
							     "population_total")),
	       123456789012345LL, "int64 value exact");
	ok(json_object_object_get_ex(props, "population_share", &v) &&
		   json_object_is_type(v, json_type_double),
	   "real property is a number");
	ok(text && strstr(text, "\"population_share\":0.333,") != NULL,
	   "real written with the column's 3 decimals");
	ok(json_object_object_get_ex(props, "covered", &v) && json_object_is_type(v, json_type_boolean) &&
		   json_object_get_boolean(v),
	   "bool property is true");
	ok(json_object_object_get_ex(props, "Population_x", &v) && v == NULL,
	   "NULL property present as null");

	is_str(geom_type(f0), "Polygon", "feature 0 is a Polygon");
	json_object *rings = coords_of(f0);
	is_int(json_object_array_length(rings), 2, "outer ring and one hole");
	json_object *outer = json_object_array_get_idx(rings, 0);
	json_object *hole = json_object_array_get_idx(rings, 1);
	ok(json_ring_area(outer) > 0, "outer ring counter-clockwise (RFC 7946)");
	ok(json_ring_area(hole) < 0, "hole clockwise (RFC 7946)");
	is_double(json_ring_area(outer), 100, 1e-9, "outer area 100");
	is_double(json_ring_area(hole), -4, 1e-9, "hole area -4");
	/* (0,0),(0,10),(10,10),(10,0) reversed is (0,0),(10,0),(10,10),(0,10). */
	is_double(json_coord(outer, 1, 0), 10, 0, "outer reversed: 2nd point x = 10");
	is_double(json_coord(outer, 1, 1), 0, 0, "outer reversed: 2nd point y = 0");
	is_double(json_coord(hole, 1, 0), 2, 0, "hole reversed: 2nd point x = 2");
	is_double(json_coord(hole, 1, 1), 4, 0, "hole reversed: 2nd point y = 4");

	is_str(geom_type(f1), "MultiPolygon", "feature 1 is a MultiPolygon");
	json_object *polys = coords_of(f1);
	is_int(json_object_array_length(polys), 2, "two polygons");
	json_object *pa = json_object_array_get_idx(polys, 0), *pb = json_object_array_get_idx(polys, 1);
	is_int(json_object_array_length(pa), 2, "polygon A got its hole given last");
	is_int(json_object_array_length(pb), 2, "polygon B got its hole");
	is_double(json_coord(json_object_array_get_idx(pa, 1), 0, 0), 20.2, 1e-12, "A's hole is hole_a");
	is_double(json_coord(json_object_array_get_idx(pb, 1), 0, 0), 30.5, 1e-12, "B's hole is hole_b");
	ok(json_ring_area(json_object_array_get_idx(pa, 0)) > 0 &&
		   json_ring_area(json_object_array_get_idx(pa, 1)) < 0 &&
		   json_ring_area(json_object_array_get_idx(pb, 0)) > 0 &&
		   json_ring_area(json_object_array_get_idx(pb, 1)) < 0,
	   "multipolygon outers CCW, holes CW");

	json_object *f2 = json_object_array_get_idx(features, 2);
	ok(json_object_object_get_ex(f2, "geometry", &v) && v == NULL, "empty feature: geometry null");

	json_object *f3 = json_object_array_get_idx(features, 3);
	is_str(geom_type(f3), "Polygon", "lone CCW ring is a Polygon");
	json_object *lone = json_object_array_get_idx(coords_of(f3), 0);
	ok(json_ring_area(lone) > 0, "lone CCW ring kept counter-clockwise");
	is_double(json_coord(lone, 0, 0), 31.2357123, 1e-12, "x rounded to 7 decimals");
	ok(text && strstr(text, "[31.2357123,30.0444000]") != NULL, "coordinates with 7 decimals");
	json_object_put(root);
	free(text);

	/* Points and lines. */
	struct ws_shapes pts, lines;
	struct ws_table t2;
	build_attr_table(&t2, 2);
	ws_shapes_init(&pts, WS_GEOM_POINT, &err);
	ws_shapes_begin_feature(&pts, &err);
	ws_shapes_begin_part(&pts, &err);
	ws_shapes_add_point(&pts, 31.2357, 30.0444, &err);
	ws_shapes_begin_feature(&pts, &err);
	ok(ws_write_geojson(path_in("pts.geojson"), &t2, &pts, &err), "point geojson written");
	text = slurp(path_in("pts.geojson"), NULL);
	ok(text && strstr(text, "\"geometry\":{\"type\":\"Point\",\"coordinates\":[31.2357000,30.0444000]}"),
	   "Point geometry");
	ok(text && strstr(text, "\"geometry\":null"), "empty point: null geometry");
	free(text);
	ws_shapes_init(&lines, WS_GEOM_LINE, &err);
	static const double l1[] = {0, 0, 1, 1, 2, 0}, l2[] = {5, 5, 6, 6};
	ws_shapes_begin_feature(&lines, &err);
	add_ring(&lines, l1, 3);
	ws_shapes_begin_feature(&lines, &err);
	add_ring(&lines, l1, 3);
	add_ring(&lines, l2, 2);
	ok(ws_write_geojson(path_in("lines.geojson"), &t2, &lines, &err), "line geojson written");
	text = slurp(path_in("lines.geojson"), NULL);
	ok(text && strstr(text, "{\"type\":\"LineString\",\"coordinates\":[[0.0000000,0.0000000],"
				"[1.0000000,1.0000000],[2.0000000,0.0000000]]}"),
	   "LineString, points in order");
	ok(text && strstr(text, "{\"type\":\"MultiLineString\",\"coordinates\":[[[0.0000000,"),
	   "MultiLineString");
	free(text);

	struct ws_error full = {0};
	ok(!ws_write_geojson("/dev/full", &t, &s, &full), "geojson to /dev/full fails");
	is_int(full.code, WS_ERR_IO, "... with WS_ERR_IO");
	ok(strstr(full.msg, "/dev/full") != NULL, "... naming the file: %s", full.msg);

	struct ws_error mismatch = {0};
	ok(!ws_write_geojson(path_in("bad.geojson"), &t2, &s, &mismatch) &&
		   mismatch.code == WS_ERR_INTERNAL,
	   "row/feature count mismatch refused");

	/* An unclosed ring breaks shapes.h's invariant: refused, not written. */
	struct ws_shapes open_ring;
	struct ws_table t1;
	build_attr_table(&t1, 1);
	ws_shapes_init(&open_ring, WS_GEOM_POLYGON, &err);
	ws_shapes_begin_feature(&open_ring, &err);
	add_ring(&open_ring, outer0, 4);
	struct ws_error unclosed = {0};
	ok(!ws_write_geojson(path_in("open.geojson"), &t1, &open_ring, &unclosed) &&
		   unclosed.code == WS_ERR_INTERNAL && strstr(unclosed.msg, "open.geojson"),
	   "unclosed ring refused naming the file: %s", unclosed.msg);

	ws_shapes_finish(&open_ring);
	ws_table_finish(&t1);
	ws_shapes_finish(&pts);
	ws_shapes_finish(&lines);
	ws_table_finish(&t2);
	ws_shapes_finish(&s);
	ws_table_finish(&t);
}

/* Coordinates are formatted without printf (geojson.c): each must still read exactly as
 * printf("%.7f") writes it ("-0.0000000" as "0.0000000"), which this builds independently.
 * Exact ties (j/256 is k + 0.5 units of 1e-7; printf rounds them to even), their
 * neighbours one ulp away, values around 0, beyond 2^52 units and random ones. */
static size_t printf_coord(char *buf, size_t size, double v)
{
	int n = snprintf(buf, size, "%.7f", v);
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) {
		memmove(buf, buf + 1, strlen(buf));
		n--;
	}
	return (size_t)n;
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void test_geojson_numbers(void)
{
	enum { N_RANDOM = 200000 };
	static const double fixed[] = {0.0, -0.0, 1e-7, -1e-7, 4e-8, -4e-8, 5e-8, -5e-8, 6e-8,
				       -6e-8, 1e-300, -1e-300, 0.99999995, -0.99999995, 1.0, -1.0,
				       1.5e-7, -1.5e-7, 179.99999995, -179.99999995, 180, -180, 90,
				       -90, 450359962.7370496, -450359962.7370497, 1e9, -1e9,
				       3.3e12, -8.6e15, 1e300, -1e300, 41.14999995, -8.61000005};
	size_t cap = 2 * (sizeof fixed / sizeof fixed[0]) + 6 * 2048 + N_RANDOM + 2;
	double *v = malloc(cap * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		v[n++] = fixed[i];
	for (int j = -1023; j <= 1023; j += 2) {
		double tie = j / 256.0 + (j % 7) * 10.0; /* odd multiple of 2^-8: a tie */
		v[n++] = tie;
		v[n++] = nextafter(tie, INFINITY);
		v[n++] = nextafter(tie, -INFINITY);
		v[n++] = -tie;
		v[n++] = nextafter(-tie, INFINITY);
		v[n++] = nextafter(-tie, -INFINITY);
	}
	uint64_t state = 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < N_RANDOM; i++) {
		uint64_t r = next_random(&state);
		if (i % 4 == 3) {
			/* any finite double: random bits, exponent kept in range */
			double d;
			memcpy(&d, &r, sizeof d);
			v[n++] = isfinite(d) ? d : (double)(int64_t)r;
		} else {
			v[n++] = ((double)(r >> 11) / 0x1p53 - 0.5) * 360.0 / (double)(1u << (i % 24));
		}
	}
	if (n % 2)
		v[n++] = 12.5;

	struct ws_error err = {0};
	struct ws_shapes s;
	struct ws_table t;
	build_attr_table(&t, 1);
	ws_shapes_init(&s, WS_GEOM_LINE, &err);
	ws_shapes_begin_feature(&s, &err);
	ws_shapes_begin_part(&s, &err);
	for (size_t i = 0; i < n; i += 2)
		ws_shapes_add_point(&s, v[i], v[i + 1], &err);
	ok(ws_write_geojson(path_in("numbers.geojson"), &t, &s, &err), "numbers geojson written: %s",
	   err.msg);
	char *text = slurp(path_in("numbers.geojson"), NULL);
	const char *at = text ? strstr(text, "\"coordinates\":[") : NULL;
	size_t mismatches = 0;
	if (at)
		at += strlen("\"coordinates\":[");
	for (size_t i = 0; at && i < n; i++) {
		char want[WS_TABLE_NUMBER_MAX + 4];
		size_t len = printf_coord(want, sizeof want, v[i]);
		const char *lead = i % 2 ? "," : i ? ",[" : "[";
		if (strncmp(at, lead, strlen(lead)) != 0 || strncmp(at + strlen(lead), want, len) != 0) {
			if (mismatches++ < 5)
				diag("value %.17g: want %s, got %.40s", v[i], want, at);
			const char *next = strchr(at + strlen(lead), i % 2 ? ']' : ',');
			at = next;
			continue;
		}
		at += strlen(lead) + len;
		if (i % 2)
			at = *at == ']' ? at + 1 : NULL;
	}
	ok(at && strncmp(at, "]}", 2) == 0 && mismatches == 0,
	   "%zu coordinates read exactly as printf(\"%%.7f\") writes them", n);
	free(text);
	free(v);
	ws_shapes_finish(&s);
	ws_table_finish(&t);
}

/* ---- shapefile ---------------------------------------------------------------------------- */

static const char *const WKT = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,"
			       "298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

static char *trimmed(const char *s)
{
	static char buf[512];
	while (*s == ' ')
		s++;
	snprintf(buf, sizeof buf, "%s", s);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

static double part_area(SHPObject *o, int part)
{
	int start = o->panPartStart[part];
	int end = part + 1 < o->nParts ? o->panPartStart[part + 1] : o->nVertices;
	return ring_area(o->padfX + start, o->padfY + start, end - start);
}

static void test_shapefile(void)
{
	struct ws_error err = {0};
	struct ws_table t;
	struct ws_shapes s;
	build_attr_table(&t, 4);
	build_polygons(&s);
	ok(ws_write_shapefile(path_in("poly"), &t, &s, WKT, &err), "shapefile written: %s", err.msg);

	SHPHandle shp = SHPOpen(path_in("poly.shp"), "rb");
	ok(shp != NULL, "shapelib opens the .shp");
	int n = 0, type = 0;
	SHPGetInfo(shp, &n, &type, NULL, NULL);
	is_int(n, 4, "4 shapes");
	is_int(type, SHPT_POLYGON, "polygon layer");
	SHPObject *o = SHPReadObject(shp, 0);
	is_int(o->nParts, 2, "feature 0: two rings");
	is_int(o->nVertices, 10, "feature 0: 10 vertices");
	ok(part_area(o, 0) < 0, "outer ring clockwise (shapefile)");
	ok(part_area(o, 1) > 0, "hole counter-clockwise (shapefile)");
	/* Already clockwise: written as given. */
	ok(o->padfX[1] == 0 && o->padfY[1] == 10, "outer ring points unchanged");
	ok(o->padfX[6] == 4 && o->padfY[6] == 2, "hole points unchanged");
	SHPDestroyObject(o);
	o = SHPReadObject(shp, 1);
	is_int(o->nParts, 4, "feature 1: four rings");
	ok(o->padfX[o->panPartStart[0]] == 20 && o->padfX[o->panPartStart[1]] == 20.2 &&
		   o->padfX[o->panPartStart[2]] == 30 && o->padfX[o->panPartStart[3]] == 30.5,
	   "rings reordered: A, hole of A, B, hole of B");
	ok(part_area(o, 0) < 0 && part_area(o, 1) > 0 && part_area(o, 2) < 0 && part_area(o, 3) > 0,
	   "outer rings clockwise, holes counter-clockwise");
	SHPDestroyObject(o);
	o = SHPReadObject(shp, 2);
	is_int(o->nSHPType, SHPT_NULL, "empty feature is a NULL shape");
	SHPDestroyObject(o);
	o = SHPReadObject(shp, 3);
	ok(o->nParts == 1 && part_area(o, 0) < 0, "lone CCW ring written clockwise");
	ok(o->padfX[0] == 31.23571234 && o->padfX[1] == 31.2358 && o->padfY[1] == 30.0445,
	   "reversed ring (p0, p2, p1, p0) at full precision");
	SHPDestroyObject(o);
	SHPClose(shp);
	/* 100 header + records (8 header + 44 + 4/part + 16/point; NULL 8 + 4). */
	is_int(file_size(path_in("poly.shp")),
	       100 + (8 + 44 + 2 * 4 + 10 * 16) + (8 + 44 + 4 * 4 + 20 * 16) + (8 + 4) +
		       (8 + 44 + 4 + 4 * 16),
	       ".shp size from the format");
	is_int(file_size(path_in("poly.shx")), 100 + 4 * 8, ".shx size from the format");

	DBFHandle dbf = DBFOpen(path_in("poly.dbf"), "rb");
	ok(dbf != NULL, "shapelib opens the .dbf");
	is_int(DBFGetRecordCount(dbf), 4, "4 records");
	is_int(DBFGetFieldCount(dbf), 6, "6 fields");
	char name[16];
	int width, decimals;
	static const char *const want_names[] = {"name", "population", "populati~1", "covered",
						 "Populati~2", "小区名"};
	static const char want_types[] = {'C', 'N', 'N', 'L', 'N', 'C'};
	static const int want_widths[] = {12, 18, 19, 1, 19, 252};
	static const int want_decimals[] = {0, 0, 3, 0, 1, 0};
	for (int f = 0; f < 6; f++) {
		DBFGetFieldInfo(dbf, f, name, &width, &decimals);
		is_str(name, want_names[f], "field %d name", f);
		is_int(DBFGetNativeFieldType(dbf, f), want_types[f], "field %d type", f);
		is_int(width, want_widths[f], "field %d width", f);
		is_int(decimals, want_decimals[f], "field %d decimals", f);
	}
	is_str(DBFReadStringAttribute(dbf, 0, 0), "翠湖小区", "Chinese text");
	is_str(trimmed(DBFReadStringAttribute(dbf, 1, 0)), "Garden City", "text");
	is_str(trimmed(DBFReadStringAttribute(dbf, 1, 1)), "123456789012345", "int64 exact");
	is_str(trimmed(DBFReadStringAttribute(dbf, 2, 1)), "20", "int");
	is_str(trimmed(DBFReadStringAttribute(dbf, 0, 2)), "0.333", "real with 3 decimals");
	is_str(DBFReadLogicalAttribute(dbf, 0, 3), "T", "bool true");
	is_str(DBFReadLogicalAttribute(dbf, 1, 3), "F", "bool false");
	ok(DBFIsAttributeNULL(dbf, 0, 4), "NULL real is NULL");
	ok(DBFIsAttributeNULL(dbf, 1, 5), "NULL text is NULL");
	const char *cut = DBFReadStringAttribute(dbf, 0, 5);
	is_int(strlen(cut), 252, "long text cut at a character boundary (252 bytes)");
	ok(strncmp(cut, "区区区", 9) == 0 && ((unsigned char)cut[251] & 0xC0) == 0x80 &&
		   ((unsigned char)cut[249] & 0xF0) == 0xE0,
	   "cut text ends with a whole character");
	DBFClose(dbf);

	char *cpg = slurp(path_in("poly.cpg"), NULL), *prj = slurp(path_in("poly.prj"), NULL);
	is_str(cpg, "UTF-8", ".cpg says UTF-8");
	is_str(prj, WKT, ".prj holds the WKT");
	free(cpg);
	free(prj);

	/* Points (with a NULL shape), lines, no .prj. */
	struct ws_shapes pts, lines;
	struct ws_table t2;
	build_attr_table(&t2, 2);
	ws_shapes_init(&pts, WS_GEOM_POINT, &err);
	ws_shapes_begin_feature(&pts, &err);
	ws_shapes_begin_part(&pts, &err);
	ws_shapes_add_point(&pts, 329899.6, 3325016.7, &err);
	ws_shapes_begin_feature(&pts, &err);
	ok(ws_write_shapefile(path_in("pts.v1"), &t2, &pts, NULL, &err),
	   "point shapefile written (stem with a dot): %s", err.msg);
	is_int(file_size(path_in("pts.v1.shp")), 100 + 28 + 12, "point .shp size: 100 + 28 + 12");
	ok(access(path_in("pts.v1.prj"), F_OK) != 0, "no .prj without WKT");
	shp = SHPOpen(path_in("pts.v1.shp"), "rb");
	SHPGetInfo(shp, &n, &type, NULL, NULL);
	ok(n == 2 && type == SHPT_POINT, "2 points");
	o = SHPReadObject(shp, 0);
	ok(o->nVertices == 1 && o->padfX[0] == 329899.6 && o->padfY[0] == 3325016.7, "point read back");
	SHPDestroyObject(o);
	SHPClose(shp);

	ws_shapes_init(&lines, WS_GEOM_LINE, &err);
	static const double l1[] = {0, 0, 1, 1, 2, 0}, l2[] = {5, 5, 6, 6};
	ws_shapes_begin_feature(&lines, &err);
	add_ring(&lines, l1, 3);
	ws_shapes_begin_feature(&lines, &err);
	add_ring(&lines, l1, 3);
	add_ring(&lines, l2, 2);
	ok(ws_write_shapefile(path_in("lines"), &t2, &lines, NULL, &err), "line shapefile written");
	shp = SHPOpen(path_in("lines.shp"), "rb");
	SHPGetInfo(shp, &n, &type, NULL, NULL);
	is_int(type, SHPT_ARC, "line layer is PolyLine");
	o = SHPReadObject(shp, 1);
	ok(o->nParts == 2 && o->nVertices == 5 && o->panPartStart[1] == 3 && o->padfX[2] == 2,
	   "two parts, points in order");
	SHPDestroyObject(o);
	SHPClose(shp);

	/* Full disk: each file in turn is a link to /dev/full; nothing is left behind. (Not the
	 * .cpg: DBFCreate removes an existing .cpg, link included, before it is written.) */
	static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj"};
	for (int e = 0; e < 4; e++) {
		char dir[600], stem[700], link[700];
		snprintf(dir, sizeof dir, "%s/full%d", tmpdir, e);
		mkdir(dir, 0700);
		snprintf(stem, sizeof stem, "%s/x", dir);
		snprintf(link, sizeof link, "%s%s", stem, exts[e]);
		if (symlink("/dev/full", link) != 0) {
			ok(false, "symlink to /dev/full");
			continue;
		}
		struct ws_error full = {0};
		ok(!ws_write_shapefile(stem, &t, &s, WKT, &full), "%s on a full disk fails", exts[e]);
		is_int(full.code, WS_ERR_IO, "... with WS_ERR_IO");
		ok(strstr(full.msg, link) != NULL, "... naming %s: %s", link, full.msg);
		is_int(count_entries(dir), 0, "... and leaves nothing");
		rmdir(dir);
	}

	/* A disk that fills in the middle of the .shp (after the header and the first record):
	 * a child limited to 400-byte files, SIGXFSZ ignored so writes fail with EFBIG. */
	{
		char dir[600], stem[700];
		snprintf(dir, sizeof dir, "%s/fsize", tmpdir);
		mkdir(dir, 0700);
		snprintf(stem, sizeof stem, "%s/x", dir);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			struct rlimit lim = {400, 400};
			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &lim);
			struct ws_error e2 = {0};
			bool wrote = ws_write_shapefile(stem, &t, &s, WKT, &e2);
			char shp_name[800];
			snprintf(shp_name, sizeof shp_name, "%s.shp", stem);
			_exit(wrote ? 1 : e2.code != WS_ERR_IO ? 2 : !strstr(e2.msg, shp_name) ? 3 : 0);
		}
		int status = -1;
		waitpid(pid, &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   ".shp failing mid-file: WS_ERR_IO naming it (child status %d)", status);
		is_int(count_entries(dir), 0, "... and leaves nothing");
		rmdir(dir);
	}

	/* Column names alike in their first 10 bytes, one already ending in ~1. */
	struct ws_table dup;
	ws_table_init(&dup, 1, 3, &err);
	ws_table_set_column(&dup, 0, "distance_m", WS_COL_INT, 0, &err);
	ws_table_set_column(&dup, 1, "distance_min", WS_COL_INT, 0, &err);
	ws_table_set_column(&dup, 2, "distance~1", WS_COL_INT, 0, &err);
	struct ws_shapes one;
	ws_shapes_init(&one, WS_GEOM_POINT, &err);
	ws_shapes_begin_feature(&one, &err);
	ok(ws_write_shapefile(path_in("dup"), &dup, &one, NULL, &err), "dup names written");
	dbf = DBFOpen(path_in("dup.dbf"), "rb");
	DBFGetFieldInfo(dbf, 1, name, NULL, NULL);
	is_str(name, "distance~1", "second name made unique");
	DBFGetFieldInfo(dbf, 2, name, NULL, NULL);
	is_str(name, "distance~2", "a later name colliding with a made-up one gets the next number");
	ok(DBFIsAttributeNULL(dbf, 0, 0), "NULL int is NULL");
	DBFClose(dbf);
	ws_shapes_finish(&one);
	ws_table_finish(&dup);

	ws_shapes_finish(&pts);
	ws_shapes_finish(&lines);
	ws_table_finish(&t2);
	ws_shapes_finish(&s);
	ws_table_finish(&t);
}

static void remove_all(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[1024];
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		ok(false, "mkdtemp");
		return done();
	}
	test_csv();
	test_geojson();
	test_geojson_numbers();
	test_shapefile();
	remove_all(tmpdir);
	return done();
}
