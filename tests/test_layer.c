/* The layer reader on shapefiles written here with shapelib into a temporary folder, then
 * corrupted byte by byte (offsets from the ESRI shapefile and dBASE III layouts), and on
 * the real Nanjing data when ../../shared/data is present. Every bad file must give the
 * documented error code and a message naming the file and the record. */
#include "tap.h"

#include <dirent.h>
#include <iconv.h>
#include <shapefil.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/layer.h"

static char tmp_dir[] = "/tmp/ws_test_layer_XXXXXX";

/* "<tmp>/<file>"; a few results stay valid at once. */
static const char *in_tmp(const char *file)
{
	static char buf[8][512];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmp_dir, file);
	return buf[k];
}

static const char *file_of(const char *stem, const char *ext)
{
	char name[128];
	snprintf(name, sizeof name, "%s%s", stem, ext);
	return in_tmp(name);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void patch(const char *path, long offset, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "r+b");
	if (!f)
		return;
	fseek(f, offset, SEEK_SET);
	fwrite(bytes, 1, n, f);
	fclose(f);
}

static void patch_be32(const char *path, long offset, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	patch(path, offset, b, 4);
}

static void patch_le32(const char *path, long offset, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	patch(path, offset, b, 4);
}

static void patch_le16(const char *path, long offset, uint16_t v)
{
	unsigned char b[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	patch(path, offset, b, 2);
}

static uint32_t get_be32(const char *path, long offset)
{
	unsigned char b[4] = { 0 };
	FILE *f = fopen(path, "rb");
	if (f) {
		fseek(f, offset, SEEK_SET);
		if (fread(b, 1, 4, f) != 4)
			memset(b, 0, 4);
		fclose(f);
	}
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Byte offset of record i's header in the .shp, from the .shx (offsets are 16-bit words). */
static long record_offset(const char *stem, int i)
{
	return 2L * get_be32(file_of(stem, ".shx"), 100 + 8L * i);
}

static long record_length(const char *stem, int i)
{
	return 2L * get_be32(file_of(stem, ".shx"), 100 + 8L * i + 4);
}

/* Writes <stem>.shp/.shx of `type` with the given objects (destroyed here). */
static void write_shp(const char *stem, int type, SHPObject **objs, int n)
{
	SHPHandle h = SHPCreate(file_of(stem, ""), type);
	for (int i = 0; i < n; i++) {
		SHPWriteObject(h, -1, objs[i]);
		SHPDestroyObject(objs[i]);
	}
	SHPClose(h);
}

/* Writes <stem>.dbf with fields id (N 10), name (C 40), area (N 12.3), built (D) and n
 * rows: id 10*i, name names[i] (raw bytes; NULL: left NULL), area i + 0.25, built
 * 20240131. `cpg` (or NULL) goes into <stem>.cpg. */
static void write_dbf(const char *stem, int n, const char *const *names, const char *cpg)
{
	DBFHandle d = DBFCreate(file_of(stem, ".dbf"));
	DBFAddField(d, "id", FTInteger, 10, 0);
	DBFAddField(d, "Name", FTString, 40, 0);
	DBFAddField(d, "area", FTDouble, 12, 3);
	DBFAddNativeFieldType(d, "built", 'D', 8, 0);
	for (int i = 0; i < n; i++) {
		DBFWriteIntegerAttribute(d, i, 0, 10 * i);
		if (names && names[i])
			DBFWriteStringAttribute(d, i, 1, names[i]);
		else
			DBFWriteNULLAttribute(d, i, 1);
		DBFWriteDoubleAttribute(d, i, 2, i + 0.25);
		DBFWriteAttributeDirectly(d, i, 3, "20240131");
	}
	DBFClose(d);
	if (cpg)
		write_text(file_of(stem, ".cpg"), cpg);
}

static SHPObject *line(int n_parts, const int *starts, int n, const double *xy)
{
	double x[64], y[64];
	for (int i = 0; i < n; i++) {
		x[i] = xy[2 * i];
		y[i] = xy[2 * i + 1];
	}
	return SHPCreateObject(SHPT_ARC, -1, n_parts, starts, NULL, n, x, y, NULL, NULL);
}

static SHPObject *polygon(int n_parts, const int *starts, int n, const double *xy)
{
	double x[64], y[64];
	for (int i = 0; i < n; i++) {
		x[i] = xy[2 * i];
		y[i] = xy[2 * i + 1];
	}
	return SHPCreateObject(SHPT_POLYGON, -1, n_parts, starts, NULL, n, x, y, NULL, NULL);
}

static SHPObject *point(double x, double y)
{
	return SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL);
}

static SHPObject *null_shape(void)
{
	return SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
}

/* Three plain 2-part lines, 5 vertices each: record i starts at (i, 0). */
static void write_lines(const char *stem)
{
	static const int starts[2] = { 0, 3 };
	SHPObject *objs[3];
	for (int i = 0; i < 3; i++) {
		double xy[10] = { i, 0, i + 1, 0, i + 1, 1, i + 5, 5, i + 6, 6 };
		objs[i] = line(2, starts, 5, xy);
	}
	write_shp(stem, SHPT_ARC, objs, 3);
	write_dbf(stem, 3, NULL, NULL);
}

/* Reading `stem` as `kind` must fail with `code` and a message holding both parts. */
static void expect_failure(const char *stem, enum ws_geom_kind kind, enum ws_errc code,
			   const char *part1, const char *part2, const char *label)
{
	struct ws_layer layer;
	struct ws_error err = { 0 };
	bool read = ws_layer_read(&layer, file_of(stem, ".shp"), kind, NULL, &err);
	ok(!read, "%s: refused", label);
	diag("%s", err.msg);
	if (!ok(err.code == code, "%s: error code %d", label, (int)code))
		diag("got %d: %s", err.code, err.msg);
	bool has = strstr(err.msg, part1) && (!part2 || strstr(err.msg, part2));
	if (!ok(has, "%s: message names \"%s\"%s%s", label, part1, part2 ? " and " : "",
		part2 ? part2 : ""))
		diag("message: %s", err.msg);
	ok(layer.geom.n_features == 0 && layer.text == NULL && layer.name == NULL &&
	   layer.fields == NULL, "%s: layer left zeroed", label);
	ws_layer_finish(&layer);
}

static bool read_ok(struct ws_layer *layer, const char *stem, enum ws_geom_kind kind,
		    const char *encoding, const char *label)
{
	struct ws_error err = { 0 };
	bool read = ws_layer_read(layer, file_of(stem, ".shp"), kind, encoding, &err);
	if (!ok(read, "%s: read", label))
		diag("error %d: %s", err.code, err.msg);
	return read;
}

static void test_lines(void)
{
	/* f0: parts of 3 and 2 vertices; f1: one part of 4; f2: a 1-vertex part (dropped)
	 * then a 2-vertex part */
	static const int s0[2] = { 0, 3 }, s1[1] = { 0 }, s2[2] = { 0, 1 };
	static const double xy0[] = { 0, 0, 1, 0, 1, 1, 5, 5, 6, 6 };
	static const double xy1[] = { 10, 10, 11, 10, 12, 10, 13, 11 };
	static const double xy2[] = { 20, 20, 21, 21, 22, 22 };
	SHPObject *objs[3] = { line(2, s0, 5, xy0), line(1, s1, 4, xy1), line(2, s2, 3, xy2) };
	write_shp("roads", SHPT_ARC, objs, 3);
	static const char *const names[3] = { "Main Street", NULL, "  padded  " };
	write_dbf("roads", 3, names, NULL);
	write_text(file_of("roads", ".prj"), "GEOGCS[\"WGS 84\"]\n");

	struct ws_layer l;
	if (!read_ok(&l, "roads", WS_GEOM_LINE, NULL, "lines"))
		return;
	is_str(l.name, "roads", "lines: name is the stem");
	is_str(l.encoding, "UTF-8", "lines: UTF-8 without a .cpg");
	is_str(l.prj_wkt, "GEOGCS[\"WGS 84\"]", "lines: .prj text (trailing newline trimmed)");
	is_int(l.geom.kind, WS_GEOM_LINE, "lines: kind");
	is_int(l.geom.n_features, 3, "lines: 3 features");
	is_int(l.geom.n_parts, 4, "lines: 4 parts kept (2 + 1 + 1)");
	is_int(l.geom.n_points, 3 + 2 + 4 + 2, "lines: 11 vertices");
	is_int(ws_shapes_feature_parts(&l.geom, 0), 2, "lines: f0 has 2 parts");
	is_int(ws_shapes_part_points(&l.geom, 0), 3, "lines: f0 part 0 has 3 vertices");
	is_int(ws_shapes_part_points(&l.geom, 1), 2, "lines: f0 part 1 has 2 vertices");
	is_double(l.geom.xy[2 * 3], 5, 0, "lines: f0 part 1 starts at x 5");
	is_int(ws_shapes_feature_parts(&l.geom, 2), 1, "lines: f2 keeps 1 part");
	is_double(l.geom.xy[2 * 9], 21, 0, "lines: f2 kept part starts at (21, 21)");
	is_int(l.repairs.empty_parts, 1, "lines: the 1-vertex part counted");
	is_int(l.repairs.null_shapes, 0, "lines: no NULL shapes");
	is_int(l.feature_repairs[2], WS_REPAIR_DROPPED_PART, "lines: f2 flagged as part dropped");
	is_int(l.feature_repairs[0] | l.feature_repairs[1], 0, "lines: f0, f1 untouched");

	is_int(l.n_fields, 4, "lines: 4 fields");
	is_str(l.fields[1].name, "Name", "lines: field name");
	is_int(l.fields[0].type, WS_FIELD_INTEGER, "lines: id is an integer field");
	is_int(l.fields[1].type, WS_FIELD_STRING, "lines: Name is a string field");
	is_int(l.fields[1].width, 40, "lines: Name width 40");
	is_int(l.fields[2].type, WS_FIELD_DOUBLE, "lines: area is a double field");
	is_int(l.fields[2].decimals, 3, "lines: area has 3 decimals");
	is_int(l.fields[3].type, WS_FIELD_DATE, "lines: built is a date field");
	is_int(ws_layer_field_index(&l, "name"), 1, "lines: field lookup ignores case");
	is_int(ws_layer_field_index(&l, "highway"), -1, "lines: absent field is -1");
	is_str(ws_layer_value(&l, 0, 1), "Main Street", "lines: f0 name");
	is_str(ws_layer_value(&l, 1, 1), "", "lines: NULL string is empty");
	is_str(ws_layer_value(&l, 2, 1), "padded", "lines: blanks trimmed");
	is_str(ws_layer_value(&l, 2, 0), "20", "lines: integer as its text");
	is_str(ws_layer_value(&l, 1, 2), "1.250", "lines: double as its DBF text");
	is_str(ws_layer_value(&l, 0, 3), "20240131", "lines: date as YYYYMMDD");
	is_str(ws_layer_value(&l, 0, -1), "", "lines: field -1 gives \"\"");
	is_str(ws_layer_value(&l, 7, 0), "", "lines: feature out of range gives \"\"");
	ws_layer_finish(&l);
	ok(l.text == NULL && l.geom.xy == NULL, "lines: finish zeroes the layer");

	/* the same layer named by its stem, and as PolyLineZ (Z ignored) */
	struct ws_error err = { 0 };
	ok(ws_layer_read(&l, file_of("roads", ""), WS_GEOM_LINE, NULL, &err),
	   "lines: read from the stem without .shp");
	ws_layer_finish(&l);

	static const double z[4] = { 1, 2, 3, 4 };
	double x[4] = { 0, 1, 2, 3 }, y[4] = { 0, 0, 1, 1 };
	SHPObject *zobj = SHPCreateObject(SHPT_ARCZ, -1, 0, NULL, NULL, 4, x, y, z, NULL);
	write_shp("roadsz", SHPT_ARCZ, &zobj, 1);
	write_dbf("roadsz", 1, NULL, NULL);
	if (read_ok(&l, "roadsz", WS_GEOM_LINE, NULL, "PolyLineZ")) {
		is_int(l.geom.n_points, 4, "PolyLineZ: 4 vertices");
		is_double(l.geom.xy[7], 1, 0, "PolyLineZ: last y");
	}
	ws_layer_finish(&l);
}

static void test_polygons(void)
{
	/* f0: square with a square hole; f1: two squares; f2: unclosed 4-vertex ring;
	 * f3: only a 3-point ring (A B A), dropped; f4: NULL */
	static const int s0[2] = { 0, 5 }, s1[2] = { 0, 5 }, s2[1] = { 0 }, s3[1] = { 0 };
	static const double xy0[] = { 0, 0, 0, 10, 10, 10, 10, 0, 0, 0,
				      2, 2, 4, 2, 4, 4, 2, 4, 2, 2 };
	static const double xy1[] = { 20, 0, 20, 1, 21, 1, 21, 0, 20, 0,
				      30, 0, 30, 1, 31, 1, 31, 0, 30, 0 };
	static const double xy2[] = { 40, 0, 40, 1, 41, 1, 41, 0 };
	static const double xy3[] = { 50, 0, 51, 1, 50, 0 };
	SHPObject *objs[5] = { polygon(2, s0, 10, xy0), polygon(2, s1, 10, xy1),
			       polygon(1, s2, 4, xy2), polygon(1, s3, 3, xy3), null_shape() };
	write_shp("compounds", SHPT_POLYGON, objs, 5);
	write_dbf("compounds", 5, NULL, NULL);
	write_text(file_of("compounds", ".prj"), "");

	struct ws_layer l;
	if (!read_ok(&l, "compounds", WS_GEOM_POLYGON, NULL, "polygons"))
		return;
	ok(l.prj_wkt == NULL, "polygons: an empty .prj gives NULL");
	is_int(l.geom.n_features, 5, "polygons: 5 features, FIDs kept");
	is_int(ws_shapes_feature_parts(&l.geom, 0), 2, "polygons: shell and hole");
	is_int(ws_shapes_feature_parts(&l.geom, 1), 2, "polygons: two-part feature");
	is_int(ws_shapes_feature_parts(&l.geom, 2), 1, "polygons: unclosed ring kept");
	is_int(ws_shapes_feature_parts(&l.geom, 3), 0, "polygons: 3-point ring dropped");
	is_int(ws_shapes_feature_parts(&l.geom, 4), 0, "polygons: NULL shape has no part");
	size_t p2 = l.geom.feature_first_part[2];
	is_int(ws_shapes_part_points(&l.geom, p2), 5, "polygons: closed ring has 5 points");
	size_t last = l.geom.part_first_point[p2 + 1] - 1;
	ok(l.geom.xy[2 * last] == 40 && l.geom.xy[2 * last + 1] == 0,
	   "polygons: closing point is the first vertex");
	is_double(l.geom.xy[2 * 5], 2, 0, "polygons: hole starts at (2, 2)");
	is_int(l.geom.n_points, 10 + 10 + 5, "polygons: 25 points");
	is_int(l.repairs.unclosed_rings, 1, "polygons: one ring closed");
	is_int(l.repairs.dropped_rings, 1, "polygons: one ring dropped");
	is_int(l.repairs.emptied_features, 1, "polygons: one feature left empty");
	is_int(l.repairs.null_shapes, 1, "polygons: one NULL shape");
	is_str(ws_layer_value(&l, 4, 0), "40", "polygons: the NULL shape keeps its row");
	/* which records were repaired, for the lists in the reports */
	is_int(l.feature_repairs[0], 0, "polygons: f0 untouched");
	is_int(l.feature_repairs[1], 0, "polygons: f1 untouched");
	is_int(l.feature_repairs[2], WS_REPAIR_CLOSED_RING, "polygons: f2 flagged as ring closed");
	is_int(l.feature_repairs[3], WS_REPAIR_DROPPED_RING | WS_REPAIR_EMPTIED,
	       "polygons: f3 flagged as ring dropped, feature emptied");
	is_int(l.feature_repairs[4], WS_REPAIR_NULL_SHAPE, "polygons: f4 flagged as NULL shape");
	ws_layer_finish(&l);
}

static void test_points(void)
{
	SHPObject *objs[3] = { point(118.78, 32.04), null_shape(), point(-0.5, 51.5) };
	write_shp("centers", SHPT_POINT, objs, 3);
	write_dbf("centers", 3, NULL, NULL);
	struct ws_layer l;
	if (read_ok(&l, "centers", WS_GEOM_POINT, NULL, "points")) {
		is_int(l.geom.n_features, 3, "points: 3 features");
		is_int(l.geom.n_parts, 2, "points: 2 parts");
		is_int(l.geom.n_points, 2, "points: 2 points");
		is_int(ws_shapes_feature_parts(&l.geom, 1), 0, "points: NULL has no part");
		is_double(l.geom.xy[2], -0.5, 0, "points: f2 x");
		is_double(l.geom.xy[3], 51.5, 0, "points: f2 y");
		is_int(l.repairs.null_shapes, 1, "points: NULL counted");
	}
	ws_layer_finish(&l);

	double x = 3, y = 4, z = 5;
	SHPObject *pz = SHPCreateSimpleObject(SHPT_POINTZ, 1, &x, &y, &z);
	write_shp("centersz", SHPT_POINTZ, &pz, 1);
	write_dbf("centersz", 1, NULL, NULL);
	if (read_ok(&l, "centersz", WS_GEOM_POINT, NULL, "PointZ"))
		ok(l.geom.n_points == 1 && l.geom.xy[0] == 3 && l.geom.xy[1] == 4,
		   "PointZ: x, y read, z ignored");
	ws_layer_finish(&l);

	double mx[2] = { 0, 1 }, my[2] = { 0, 1 };
	SHPObject *mp = SHPCreateSimpleObject(SHPT_MULTIPOINT, 2, mx, my, NULL);
	write_shp("multi", SHPT_MULTIPOINT, &mp, 1);
	write_dbf("multi", 1, NULL, NULL);
	expect_failure("multi", WS_GEOM_POINT, WS_ERR_FORMAT, "multi.shp",
		       "expected Point, found MultiPoint", "multipoint file");
}

/* Sets the language driver byte (offset 29 of the DBF header) of <stem>.dbf. */
static void set_language_driver(const char *stem, unsigned char ldid)
{
	FILE *f = fopen(file_of(stem, ".dbf"), "r+b");
	if (f) {
		fseek(f, 29, SEEK_SET);
		fputc(ldid, f);
		fclose(f);
	}
}

/* GBK bytes for 华侨路小区 made with the system iconv (and checked against the GBK table:
 * 华 = BB AA); the field name 名称 as well. */
static void test_encodings(void)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	char gbk[64] = { 0 }, field[16] = { 0 };
	char *src = (char *)"华侨路小区", *dst = gbk;
	size_t in_left = strlen(src), out_left = sizeof gbk - 1;
	iconv(cd, &src, &in_left, &dst, &out_left);
	src = (char *)"名称";
	dst = field;
	in_left = strlen(src);
	out_left = sizeof field - 1;
	iconv(cd, &src, &in_left, &dst, &out_left);
	iconv_close(cd);
	ok(memcmp(gbk, "\xbb\xaa", 2) == 0 && strlen(gbk) == 10, "GBK bytes of 华侨路小区");

	SHPObject *objs[2] = { point(1, 1), point(2, 2) };
	write_shp("gbk", SHPT_POINT, objs, 2);
	DBFHandle d = DBFCreate(file_of("gbk", ".dbf"));
	DBFAddField(d, field, FTString, 30, 0);
	DBFWriteStringAttribute(d, 0, 0, gbk);
	DBFWriteStringAttribute(d, 1, 0, "B2");
	DBFClose(d);
	write_text(file_of("gbk", ".cpg"), "GBK\n");

	struct ws_layer l;
	if (read_ok(&l, "gbk", WS_GEOM_POINT, NULL, "GBK .cpg")) {
		is_str(l.encoding, "GB18030", "GBK: decoded as GB18030 (its superset)");
		is_str(l.fields[0].name, "名称", "GBK: field name decoded");
		is_str(ws_layer_value(&l, 0, 0), "华侨路小区", "GBK: value decoded to UTF-8");
		is_str(ws_layer_value(&l, 1, 0), "B2", "GBK: ASCII value");
	}
	ws_layer_finish(&l);
	/* the override wins over the .cpg: GBK bytes are not UTF-8 */
	struct ws_error err = { 0 };
	ok(!ws_layer_read(&l, file_of("gbk", ".shp"), WS_GEOM_POINT, "UTF-8", &err),
	   "override UTF-8 on GBK bytes refused");
	is_int(err.code, WS_ERR_FORMAT, "override: WS_ERR_FORMAT");
	if (!ok(strstr(err.msg, "gbk.dbf") && (strstr(err.msg, "field 0") ||
						strstr(err.msg, "record 0")),
		"override: message names gbk.dbf and the field or record"))
		diag("message: %s", err.msg);
	ws_layer_finish(&l);
	write_text(file_of("gbk", ".cpg"), "KLINGON");
	expect_failure("gbk", WS_GEOM_POINT, WS_ERR_FORMAT, "gbk.cpg", "KLINGON",
		       "unknown .cpg");
	err = (struct ws_error){ 0 };
	ok(ws_layer_read(&l, file_of("gbk", ".shp"), WS_GEOM_POINT, "CP936", &err),
	   "override CP936 replaces an unknown .cpg");
	is_str(ws_layer_value(&l, 0, 0), "华侨路小区", "override CP936: decoded");
	ws_layer_finish(&l);

	/* No .cpg: the DBF language driver byte names the code page of text that is not
	 * UTF-8 (77 = GBK); 0x57 ("ANSI", put in by most writers) is no such statement */
	unlink(file_of("gbk", ".cpg"));
	set_language_driver("gbk", 0x57);
	err = (struct ws_error){ 0 };
	ok(!ws_layer_read(&l, file_of("gbk", ".shp"), WS_GEOM_POINT, NULL, &err) &&
		   err.code == WS_ERR_FORMAT,
	   "no .cpg, language driver 0x57, GBK bytes: refused, never guessed");
	if (!ok(strstr(err.msg, "gbk.dbf") && strstr(err.msg, "--encoding"),
		"... the message names gbk.dbf and says to give --encoding"))
		diag("message: %s", err.msg);
	ws_layer_finish(&l);
	set_language_driver("gbk", 77);
	if (read_ok(&l, "gbk", WS_GEOM_POINT, NULL, "no .cpg, language driver 77 (GBK)")) {
		is_str(l.encoding, "GB18030", "language driver 77: decoded as GB18030");
		is_str(l.encoding_source, "dbf_language_driver", "... and says where that came from");
		is_str(l.fields[0].name, "名称", "language driver 77: field name decoded");
		is_str(ws_layer_value(&l, 0, 0), "华侨路小区", "language driver 77: value decoded");
	}
	ws_layer_finish(&l);
	write_text(file_of("gbk", ".cpg"), "UTF-8\n");
	err = (struct ws_error){ 0 };
	ok(!ws_layer_read(&l, file_of("gbk", ".shp"), WS_GEOM_POINT, NULL, &err),
	   "a .cpg wins over the language driver (GBK bytes under a UTF-8 .cpg: refused)");
	ws_layer_finish(&l);
	unlink(file_of("gbk", ".cpg"));

	SHPObject *u = point(0, 0);
	write_shp("utf8ldid", SHPT_POINT, &u, 1);
	static const char *const utf8_names[1] = { "华侨路小区" };
	write_dbf("utf8ldid", 1, utf8_names, NULL);
	set_language_driver("utf8ldid", 77);
	if (read_ok(&l, "utf8ldid", WS_GEOM_POINT, NULL, "UTF-8 text, language driver 77, no .cpg")) {
		is_str(l.encoding, "UTF-8", "valid UTF-8 stays UTF-8 whatever the language driver");
		is_str(l.encoding_source, "default", "... the default");
		is_str(ws_layer_value(&l, 0, 1), "华侨路小区", "... value as written");
	}
	ws_layer_finish(&l);

	SHPObject *p = point(0, 0);
	write_shp("latin", SHPT_POINT, &p, 1);
	static const char *const names[1] = { "S\xe9 de Lisboa" };
	write_dbf("latin", 1, names, "ISO-8859-1");
	if (read_ok(&l, "latin", WS_GEOM_POINT, NULL, "Latin-1 .cpg")) {
		is_str(l.encoding, "ISO-8859-1", "Latin-1: encoding");
		is_str(ws_layer_value(&l, 0, 1), "Sé de Lisboa", "Latin-1: é decoded");
	}
	ws_layer_finish(&l);

	/* a bad byte in a UTF-8 layer names record and field */
	SHPObject *q[2] = { point(0, 0), point(1, 1) };
	write_shp("badutf", SHPT_POINT, q, 2);
	static const char *const bad[2] = { "ok", "caf\xe9" };
	write_dbf("badutf", 2, bad, "UTF-8");
	expect_failure("badutf", WS_GEOM_POINT, WS_ERR_FORMAT, "badutf.dbf: record 1",
		       "Name", "invalid UTF-8");
}

static void test_missing_files(void)
{
	write_lines("noshx");
	unlink(file_of("noshx", ".shx"));
	expect_failure("noshx", WS_GEOM_LINE, WS_ERR_NOINPUT, "noshx.shx", NULL, "missing .shx");
	ok(!exists(file_of("noshx", ".shx")) && !exists(file_of("noshx", ".SHX")),
	   "missing .shx: no .shx was created");
	write_lines("nodbf");
	unlink(file_of("nodbf", ".dbf"));
	expect_failure("nodbf", WS_GEOM_LINE, WS_ERR_NOINPUT, "nodbf.dbf", NULL, "missing .dbf");
	expect_failure("nothere", WS_GEOM_LINE, WS_ERR_NOINPUT, "nothere.shp", NULL,
		       "missing .shp");
}

static void test_bad_shp(void)
{
	write_lines("empty0");
	FILE *f = fopen(file_of("empty0", ".shp"), "wb");
	if (f)
		fclose(f);
	expect_failure("empty0", WS_GEOM_LINE, WS_ERR_FORMAT, "empty0.shp", NULL, "0-byte .shp");

	write_lines("random");
	long n = size_of(file_of("random", ".shp"));
	f = fopen(file_of("random", ".shp"), "wb");
	uint32_t state = 12345;
	for (long i = 0; f && i < n; i++) {
		state = state * 1103515245u + 12345u;
		fputc((int)(state >> 16) & 0xff, f);
	}
	if (f)
		fclose(f);
	expect_failure("random", WS_GEOM_LINE, WS_ERR_FORMAT, "random.shp", NULL, "random .shp");

	/* each record is 8 + 44 + 2*4 + 5*16 = 140 bytes, so half of 100 + 3*140 = 520 bytes
	 * is 260: record 0 ends at 240, record 1 (240..380) is the first cut */
	write_lines("trunc");
	is_int(size_of(file_of("trunc", ".shp")), 520, "truncated: full file is 520 bytes");
	if (truncate(file_of("trunc", ".shp"), 260) != 0)
		diag("truncate failed");
	expect_failure("trunc", WS_GEOM_LINE, WS_ERR_FORMAT, "trunc.shp", "record 1",
		       "truncated .shp");

	write_lines("shxlen");
	patch_be32(file_of("shxlen", ".shx"), 100 + 8 * 1 + 4, 0x7fffff00);
	expect_failure("shxlen", WS_GEOM_LINE, WS_ERR_FORMAT, "shxlen.shp", "record 1",
		       ".shx length 0x7fffff00");

	write_lines("shxoff");
	patch_be32(file_of("shxoff", ".shx"), 100 + 8 * 2, 1000000);
	expect_failure("shxoff", WS_GEOM_LINE, WS_ERR_FORMAT, "shxoff.shp", "record 2",
		       ".shx offset past EOF");

	write_lines("npoints");
	patch_le32(file_of("npoints", ".shp"), record_offset("npoints", 0) + 8 + 40, 60000000);
	expect_failure("npoints", WS_GEOM_LINE, WS_ERR_FORMAT, "npoints.shp: record 0",
		       "60000000", "nPoints 6e7");

	write_lines("nparts");
	patch_le32(file_of("nparts", ".shp"), record_offset("nparts", 2) + 8 + 36, 0x7fffffff);
	expect_failure("nparts", WS_GEOM_LINE, WS_ERR_FORMAT, "nparts.shp: record 2",
		       "2147483647", "nParts 2^31-1");

	write_lines("partstart");
	patch_le32(file_of("partstart", ".shp"), record_offset("partstart", 1) + 8 + 44 + 4, 9);
	expect_failure("partstart", WS_GEOM_LINE, WS_ERR_FORMAT, "partstart.shp: record 1",
		       "part 1", "part start > vertex count");

	write_lines("partorder");
	patch_le32(file_of("partorder", ".shp"), record_offset("partorder", 0) + 8 + 44, 2);
	expect_failure("partorder", WS_GEOM_LINE, WS_ERR_FORMAT, "partorder.shp: record 0",
		       "part 0", "first part start not 0");

	write_lines("reclen");
	patch_be32(file_of("reclen", ".shp"), record_offset("reclen", 2) + 4, 10);
	expect_failure("reclen", WS_GEOM_LINE, WS_ERR_FORMAT, "reclen.shp: record 2", "length",
		       ".shp record length differs from .shx");

	write_lines("hdrlen");
	patch_be32(file_of("hdrlen", ".shp"), 24, 9999);
	expect_failure("hdrlen", WS_GEOM_LINE, WS_ERR_FORMAT, "hdrlen.shp", "header says",
		       ".shp header length wrong");

	write_lines("shxhdr");
	patch_be32(file_of("shxhdr", ".shx"), 24, 1000);
	expect_failure("shxhdr", WS_GEOM_LINE, WS_ERR_FORMAT, "shxhdr.shx", NULL,
		       ".shx header length wrong");
	ok(record_length("shxhdr", 0) == 132, "fixture: records are 132 bytes of content");
}

static void test_bad_dbf(void)
{
	write_lines("dbfrows");
	write_dbf("dbfrows", 1, NULL, NULL);
	expect_failure("dbfrows", WS_GEOM_LINE, WS_ERR_FORMAT, "dbfrows.dbf has 1 rows",
		       "dbfrows.shp has 3 records", "dbf 1 row vs shp 3");

	write_lines("dbfhuge");
	patch_le32(file_of("dbfhuge", ".dbf"), 4, 100000);
	expect_failure("dbfhuge", WS_GEOM_LINE, WS_ERR_FORMAT, "dbfhuge.dbf", "100000 rows",
		       "DBF header claims 100000 rows");

	/* fields need 1 + 10 + 40 + 12 + 8 = 71 bytes a row */
	write_lines("dbfnarrow");
	patch_le16(file_of("dbfnarrow", ".dbf"), 10, 20);
	expect_failure("dbfnarrow", WS_GEOM_LINE, WS_ERR_FORMAT, "dbfnarrow.dbf",
		       "record length 20 is below the 71 bytes",
		       "DBF record length < sum of widths");

	write_lines("dbfshort");
	if (truncate(file_of("dbfshort", ".dbf"), 10) != 0)
		diag("truncate failed");
	expect_failure("dbfshort", WS_GEOM_LINE, WS_ERR_FORMAT, "dbfshort.dbf", NULL,
		       "10-byte .dbf");
}

static void test_wrong_types(void)
{
	SHPObject *objs[2] = { point(0, 0), point(1, 1) };
	write_shp("ptroads", SHPT_POINT, objs, 2);
	write_dbf("ptroads", 2, NULL, NULL);
	expect_failure("ptroads", WS_GEOM_LINE, WS_ERR_FORMAT, "ptroads.shp",
		       "expected PolyLine, found Point", "point file given as roads");

	/* PolyLine and Polygon records share a layout: only the type word changes */
	write_lines("roads2");
	patch_le32(file_of("roads2", ".shp"), record_offset("roads2", 2) + 8, SHPT_POLYGON);
	expect_failure("roads2", WS_GEOM_LINE, WS_ERR_FORMAT,
		       "roads2.shp: record 2: expected PolyLine, found Polygon", NULL,
		       "polygon record inside a line file");

	write_lines("roads3");
	expect_failure("roads3", WS_GEOM_POLYGON, WS_ERR_FORMAT, "roads3.shp",
		       "expected Polygon, found PolyLine", "line file given as compounds");
}

static void test_empty_layers(void)
{
	write_shp("none", SHPT_ARC, NULL, 0);
	write_dbf("none", 0, NULL, NULL);
	expect_failure("none", WS_GEOM_LINE, WS_ERR_FORMAT, "none.shp", "layer has no features",
		       "0 records");

	SHPObject *objs[2] = { null_shape(), null_shape() };
	write_shp("allnull", SHPT_POINT, objs, 2);
	write_dbf("allnull", 2, NULL, NULL);
	expect_failure("allnull", WS_GEOM_POINT, WS_ERR_FORMAT, "allnull.shp",
		       "layer has no features", "all records NULL");
}

static void test_bad_coordinates(void)
{
	static const struct { const char *stem, *label; double x, y; } cases[] = {
		{ "nan", "NaN vertex", NAN, 1 },
		{ "inf", "+Inf vertex", 1, INFINITY },
		{ "ninf", "-Inf vertex", -INFINITY, 0 },
		{ "big", "1e300 vertex", 1e300, 0 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		static const int starts[1] = { 0 };
		double xy0[6] = { 0, 0, 1, 1, 2, 2 }, xy1[6] = { 0, 0, 1, 1, 0, 0 };
		xy1[4] = cases[c].x;
		xy1[5] = cases[c].y;
		SHPObject *objs[2] = { line(1, starts, 3, xy0), line(1, starts, 3, xy1) };
		write_shp(cases[c].stem, SHPT_ARC, objs, 2);
		write_dbf(cases[c].stem, 2, NULL, NULL);
		char file[64];
		snprintf(file, sizeof file, "%s.shp: record 1", cases[c].stem);
		expect_failure(cases[c].stem, WS_GEOM_LINE, WS_ERR_FORMAT, file, "vertex 2",
			       cases[c].label);
	}
	SHPObject *p = point(NAN, 0);
	write_shp("nanpt", SHPT_POINT, &p, 1);
	write_dbf("nanpt", 1, NULL, NULL);
	expect_failure("nanpt", WS_GEOM_POINT, WS_ERR_FORMAT, "nanpt.shp: record 0", "vertex 0",
		       "NaN point");
}

static void test_finish_is_safe(void)
{
	ws_layer_finish(NULL);
	struct ws_layer zero;
	memset(&zero, 0, sizeof zero);
	ws_layer_finish(&zero);
	ws_layer_finish(&zero);
	ok(true, "ws_layer_finish on NULL and on a zeroed layer (twice)");
	is_int(ws_layer_field_index(&zero, "id"), -1, "field lookup on a zeroed layer");
	is_str(ws_layer_value(&zero, 0, 0), "", "value on a zeroed layer");
}

/* Figures checked with GDAL: `ogrinfo -so compounds.shp compounds` (29 features, fields
 * osm_id, osm_type, name, kind) and `ogrinfo -q compounds.shp compounds` (feature 0: name
 * 华侨路二十六号小区, osm_id 857726131, an 11-point ring starting at 118.775156
 * 32.0495716; feature 13: 科巷新寓; feature 10: a 5-point ring; 22 NULL names by
 * `-sql "select count(*) from compounds where name is null"`). */
static void test_real_data(void)
{
	const char *path = "../../shared/data/nanjing_xinjiekou/compounds.shp";
	if (!exists("../../shared/data")) {
		printf("ok %d # SKIP ../shared data not present\n", ++tap_count);
		return;
	}
	struct ws_layer l;
	struct ws_error err = { 0 };
	if (!ok(ws_layer_read(&l, path, WS_GEOM_POLYGON, NULL, &err), "nanjing compounds read")) {
		diag("%s", err.msg);
		return;
	}
	is_int(l.geom.n_features, 29, "nanjing: 29 compounds");
	is_int(l.n_fields, 4, "nanjing: 4 fields");
	is_str(l.encoding, "UTF-8", "nanjing: .cpg UTF-8");
	ok(l.prj_wkt && strstr(l.prj_wkt, "WGS") != NULL, "nanjing: .prj read");
	int name = ws_layer_field_index(&l, "name"), osm = ws_layer_field_index(&l, "osm_id");
	is_str(ws_layer_value(&l, 0, name), "华侨路二十六号小区", "nanjing: feature 0 name");
	is_str(ws_layer_value(&l, 0, osm), "857726131", "nanjing: feature 0 osm_id");
	is_str(ws_layer_value(&l, 13, name), "科巷新寓", "nanjing: feature 13 name");
	size_t nulls = 0;
	for (size_t f = 0; f < l.geom.n_features; f++)
		nulls += ws_layer_value(&l, f, name)[0] == '\0';
	is_int(nulls, 22, "nanjing: 22 compounds without a name");
	is_int(ws_shapes_part_points(&l.geom, l.geom.feature_first_part[0]), 11,
	       "nanjing: feature 0 ring has 11 points");
	is_int(ws_shapes_part_points(&l.geom, l.geom.feature_first_part[10]), 5,
	       "nanjing: feature 10 ring has 5 points");
	is_double(l.geom.xy[0], 118.775156, 1e-9, "nanjing: first x");
	is_double(l.geom.xy[1], 32.0495716, 1e-9, "nanjing: first y");
	is_int(l.repairs.null_shapes + l.repairs.unclosed_rings + l.repairs.dropped_rings, 0,
	       "nanjing: nothing to repair");
	ws_layer_finish(&l);
}

static int remove_tmp(void)
{
	DIR *d = opendir(tmp_dir);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(in_tmp(e->d_name));
	closedir(d);
	return rmdir(tmp_dir);
}

int main(void)
{
	if (!mkdtemp(tmp_dir)) {
		puts("Bail out! cannot create a temporary folder");
		return 1;
	}
	test_lines();
	test_polygons();
	test_points();
	test_encodings();
	test_missing_files();
	test_bad_shp();
	test_bad_dbf();
	test_wrong_types();
	test_empty_layers();
	test_bad_coordinates();
	test_finish_is_safe();
	test_real_data();
	ok(remove_tmp() == 0, "temporary folder removed");
	return done();
}
