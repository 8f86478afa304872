/* GeoJSON writer: builds the whole FeatureCollection with json-c, serialises it to one
 * string and writes that with checked writes, so the file is either complete or the call
 * fails naming it. Numbers are written exactly as formatted here (json-c's double_s), not
 * re-printed by json-c. A geometry's coordinates (nearly all of the bytes) are one json-c
 * array whose text is formatted here and handed to json-c as its serializer, the same
 * text json-c would write for nested arrays of those numbers under
 * JSON_C_TO_STRING_PLAIN: one json-c object per coordinate cost ten times the rest. */
#include "report/writers.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/outdir.h"
#include "report/rings.h"
#include "report/strbuf.h"

/* RFC 7946 suggests 6 decimals (~10 cm); 7 keeps centimetres at any latitude. */
#define COORD_DECIMALS 7
#define COORD_SCALE 1e7 /* 10^COORD_DECIMALS, exact in a double */

/* `v` as "%.*f" writes it, with "-0.00" (a tiny negative) written "0.00"; returns the
 * length. `size` must hold any double (WS_TABLE_NUMBER_MAX). */
static size_t format_number(char *buf, size_t size, double v, int decimals)
{
	int n = snprintf(buf, size, "%.*f", decimals, v);
	if (buf[0] == '-' && strspn(buf + 1, "0.") == (size_t)n - 1) {
		memmove(buf, buf + 1, (size_t)n);
		n--;
	}
	return (size_t)n;
}

/* format_number(v, COORD_DECIMALS) without printf: the same digits, since printf rounds
 * the exact binary value to the nearest multiple of 1e-7 and so does this. With
 * p = fl(v * 1e7) and rest = v * 1e7 - p (exact, from fma), the exact scaled value is
 * p + rest with |rest| <= ulp(p) / 2; `above`, the distance of p's fraction from one
 * half, is exact and a multiple of ulp(p), so when non-zero its sign decides the rounding
 * and otherwise rest's does. An exact tie (printf rounds it to even), |p| < 1 (where
 * p's fraction is not exact) and |p| >= 2^52 (no fraction bits left) go to printf. */
static size_t format_coord(char *buf, double v)
{
	double p = v * COORD_SCALE;
	if (!(fabs(p) >= 1.0 && fabs(p) < 0x1p52))
		return format_number(buf, WS_TABLE_NUMBER_MAX, v, COORD_DECIMALS);
	double rest = fma(v, COORD_SCALE, -p);
	double whole = floor(p);
	double above = (p - whole) - 0.5;
	if (above == 0.0 && rest == 0.0)
		return format_number(buf, WS_TABLE_NUMBER_MAX, v, COORD_DECIMALS);
	int64_t n = (int64_t)whole + (above > 0.0 || (above == 0.0 && rest > 0.0));
	/* n != 0 here: |v * 1e7| >= 1 rounds to a non-zero integer. */
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	uint64_t int_part = u / 10000000u, frac = u % 10000000u;
	char digits[24];
	size_t nd = 0;
	do {
		digits[nd++] = (char)('0' + int_part % 10);
		int_part /= 10;
	} while (int_part);
	size_t len = 0;
	if (n < 0)
		buf[len++] = '-';
	while (nd)
		buf[len++] = digits[--nd];
	buf[len++] = '.';
	for (int i = COORD_DECIMALS - 1; i >= 0; i--, frac /= 10)
		buf[len + (size_t)i] = (char)('0' + frac % 10);
	len += COORD_DECIMALS;
	buf[len] = '\0';
	return len;
}

static struct json_object *new_number(double v, int decimals)
{
	char buf[WS_TABLE_NUMBER_MAX];
	format_number(buf, sizeof buf, v, decimals);
	return json_object_new_double_s(v, buf);
}

/* Adds `val` to `obj` under `key`, taking ownership; false (and `val` freed) on failure. */
static bool put(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val)
		return false;
	if (json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

static bool append(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return false;
	if (json_object_array_add(arr, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

/* "[x,y]" */
static void add_position(struct ws_strbuf *b, const double *xy)
{
	char text[2 * WS_TABLE_NUMBER_MAX + 4];
	size_t n = 0;
	text[n++] = '[';
	n += format_coord(text + n, xy[0]);
	text[n++] = ',';
	n += format_coord(text + n, xy[1]);
	text[n++] = ']';
	ws_strbuf_add(b, text, n);
}

/* The positions of part `p`, backwards when `reverse`: "[[x,y],...]". */
static void add_positions(struct ws_strbuf *b, const struct ws_shapes *s, size_t p, bool reverse)
{
	size_t n = ws_shapes_part_points(s, p);
	const double *xy = s->xy + 2 * s->part_first_point[p];
	ws_strbuf_add(b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ws_strbuf_add(b, ",", 1);
		add_position(b, xy + 2 * (reverse ? n - 1 - i : i));
	}
	ws_strbuf_add(b, "]", 1);
}

/* One polygon's rings (the outer ring, then its holes) from the classified order. */
static void add_polygon(struct ws_strbuf *b, const struct ws_shapes *s, const struct ws_rings *r,
			size_t poly)
{
	ws_strbuf_add(b, "[", 1);
	for (size_t k = r->polygon_first[poly]; k < r->polygon_first[poly + 1]; k++) {
		if (k > r->polygon_first[poly])
			ws_strbuf_add(b, ",", 1);
		add_positions(b, s, r->order[k], r->reverse[k]);
	}
	ws_strbuf_add(b, "]", 1);
}

/* The text of feature `f`'s "coordinates" and its GeoJSON `type`; false on failure (`err`
 * set, or left WS_OK when out of memory). */
static bool add_coordinates(struct ws_strbuf *b, const struct ws_shapes *s, size_t f,
			    struct ws_rings *rings, const char **type, struct ws_error *err)
{
	size_t first = s->feature_first_part[f], n_parts = ws_shapes_feature_parts(s, f);
	switch (s->kind) {
	case WS_GEOM_POINT:
		*type = "Point";
		add_position(b, s->xy + 2 * s->part_first_point[first]);
		break;
	case WS_GEOM_LINE:
		if (n_parts == 1) {
			*type = "LineString";
			add_positions(b, s, first, false);
			break;
		}
		*type = "MultiLineString";
		ws_strbuf_add(b, "[", 1);
		for (size_t p = first; p < first + n_parts; p++) {
			if (p > first)
				ws_strbuf_add(b, ",", 1);
			add_positions(b, s, p, false);
		}
		ws_strbuf_add(b, "]", 1);
		break;
	case WS_GEOM_POLYGON:
		if (!ws_rings_classify(rings, s, f, true, err))
			return false;
		if (rings->n_polygons == 1) {
			*type = "Polygon";
			add_polygon(b, s, rings, 0);
			break;
		}
		*type = "MultiPolygon";
		ws_strbuf_add(b, "[", 1);
		for (size_t k = 0; k < rings->n_polygons; k++) {
			if (k)
				ws_strbuf_add(b, ",", 1);
			add_polygon(b, s, rings, k);
		}
		ws_strbuf_add(b, "]", 1);
		break;
	}
	return ws_strbuf_ok(b);
}

/* A json-c array that serialises as the formatted coordinates of feature `f`. */
static struct json_object *new_coordinates(const struct ws_shapes *s, size_t f,
					   struct ws_rings *rings, const char **type,
					   struct ws_error *err)
{
	struct ws_strbuf b;
	ws_strbuf_init(&b);
	bool good = add_coordinates(&b, s, f, rings, type, err);
	char *text = ws_strbuf_release(&b);
	struct json_object *coords = good && text ? json_object_new_array() : NULL;
	if (!coords) {
		free(text);
		return NULL;
	}
	/* coords owns text from here: json-c frees it with the object */
	json_object_set_serializer(coords, json_object_userdata_to_json_string, text,
				   json_object_free_userdata);
	return coords;
}

/* NULL with `*failed` set on failure; NULL alone for an empty feature ("geometry": null). */
static struct json_object *new_geometry(const struct ws_shapes *s, size_t f, struct ws_rings *rings,
					bool *failed, struct ws_error *err)
{
	*failed = false;
	if (ws_shapes_feature_parts(s, f) == 0)
		return NULL;
	*failed = true;
	if (!ws_rings_check_feature(s, f, err))
		return NULL;
	const char *type = NULL;
	struct json_object *coords = new_coordinates(s, f, rings, &type, err);
	struct json_object *geom = coords ? json_object_new_object() : NULL;
	if (!geom) {
		json_object_put(coords);
		return NULL;
	}
	if (!put(geom, "type", json_object_new_string(type))) {
		json_object_put(coords);
		json_object_put(geom);
		return NULL;
	}
	if (!put(geom, "coordinates", coords)) { /* put freed coords */
		json_object_put(geom);
		return NULL;
	}
	*failed = false;
	return geom;
}

static struct json_object *new_properties(const struct ws_table *t, size_t row)
{
	struct json_object *props = json_object_new_object();
	if (!props)
		return NULL;
	for (size_t c = 0; c < t->n_cols; c++) {
		size_t i = row * t->n_cols + c;
		const union ws_cell *cell = &t->cells[i];
		struct json_object *val = NULL;
		if (!t->is_null[i]) {
			switch (t->cols[c].type) {
			case WS_COL_TEXT: val = json_object_new_string(cell->text); break;
			case WS_COL_INT: val = json_object_new_int64(cell->integer); break;
			case WS_COL_REAL: val = new_number(cell->real, t->cols[c].decimals); break;
			case WS_COL_BOOL: val = json_object_new_boolean(cell->boolean); break;
			}
			if (!val)
				goto fail;
		}
		/* json-c writes a NULL value as null. */
		if (json_object_object_add(props, t->cols[c].name, val) != 0) {
			json_object_put(val);
			goto fail;
		}
	}
	return props;
fail:
	json_object_put(props);
	return NULL;
}

static struct json_object *new_feature(const struct ws_table *t, const struct ws_shapes *s,
				       size_t row, struct ws_rings *rings, struct ws_error *err)
{
	struct json_object *feature = json_object_new_object();
	if (!feature)
		return NULL;
	bool failed;
	struct json_object *geom = new_geometry(s, row, rings, &failed, err);
	if (failed)
		goto fail;
	if (!put(feature, "type", json_object_new_string("Feature")) ||
	    !put(feature, "properties", new_properties(t, row)))
		goto fail;
	if (json_object_object_add(feature, "geometry", geom) != 0)
		goto fail;
	return feature;
fail:
	json_object_put(geom);
	json_object_put(feature);
	return NULL;
}

static bool write_text(const char *path, const char *text, size_t len, struct ws_error *err)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return ws_error_set(err, WS_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	bool good = fwrite(text, 1, len, fp) == len && fputc('\n', fp) != EOF && fflush(fp) == 0;
	int saved = errno;
	if (good)
		ws_outdir_start_writeback(fp);
	if (fclose(fp) != 0 && good) {
		good = false;
		saved = errno;
	}
	if (!good)
		return ws_error_set(err, WS_ERR_IO, "%s: write failed: %s", path, strerror(saved));
	return true;
}

bool ws_write_geojson(const char *path, const struct ws_table *t, const struct ws_shapes *shapes,
		      struct ws_error *err)
{
	if (shapes->n_features != t->n_rows)
		return ws_error_set(err, WS_ERR_INTERNAL, "%s: %zu geometries for %zu rows", path,
				    shapes->n_features, t->n_rows);
	struct ws_rings rings;
	ws_rings_init(&rings);
	bool good = false;
	struct json_object *features = NULL;
	struct json_object *root = json_object_new_object();
	if (!root || !put(root, "type", json_object_new_string("FeatureCollection")))
		goto nomem;
	features = json_object_new_array_ext(t->n_rows < INT_MAX ? (int)t->n_rows : 0);
	if (!put(root, "features", features))
		goto nomem;
	for (size_t r = 0; r < t->n_rows; r++) {
		struct ws_error sub = {0};
		if (!append(features, new_feature(t, shapes, r, &rings, &sub))) {
			if (sub.code == WS_OK)
				goto nomem;
			ws_error_set(err, sub.code, "%s: %s", path, sub.msg);
			goto done;
		}
	}
	size_t len = 0;
	const char *text = json_object_to_json_string_length(
		root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (!text)
		goto nomem;
	good = write_text(path, text, len, err);
	goto done;
nomem:
	ws_error_nomem(err);
done:
	json_object_put(root);
	ws_rings_finish(&rings);
	return good;
}
