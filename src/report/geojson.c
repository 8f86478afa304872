/* GeoJSON writer: builds the whole FeatureCollection with json-c, serialises it to one
 * string and writes that with checked writes, so the file is either complete or the call
 * fails naming it. Numbers are written exactly as formatted here (json-c's double_s), not
 * re-printed by json-c. */
#include "report/writers.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "report/rings.h"

/* RFC 7946 suggests 6 decimals (~10 cm); 7 keeps centimetres at any latitude. */
#define COORD_DECIMALS 7

static struct json_object *new_number(double v, int decimals)
{
	char buf[WS_TABLE_NUMBER_MAX];
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
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

static struct json_object *new_position(const double *xy)
{
	struct json_object *pos = json_object_new_array_ext(2);
	if (!pos)
		return NULL;
	if (!append(pos, new_number(xy[0], COORD_DECIMALS)) ||
	    !append(pos, new_number(xy[1], COORD_DECIMALS))) {
		json_object_put(pos);
		return NULL;
	}
	return pos;
}

/* The positions of part `p`, backwards when `reverse`. */
static struct json_object *new_positions(const struct ws_shapes *s, size_t p, bool reverse)
{
	size_t n = ws_shapes_part_points(s, p);
	const double *xy = s->xy + 2 * s->part_first_point[p];
	struct json_object *arr = json_object_new_array_ext(n < INT_MAX ? (int)n : 0);
	if (!arr)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = reverse ? n - 1 - i : i;
		if (!append(arr, new_position(xy + 2 * k))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/* One polygon's rings (the outer ring, then its holes) from the classified order. */
static struct json_object *new_polygon(const struct ws_shapes *s, const struct ws_rings *r,
				       size_t poly)
{
	struct json_object *rings = json_object_new_array();
	if (!rings)
		return NULL;
	for (size_t k = r->polygon_first[poly]; k < r->polygon_first[poly + 1]; k++) {
		if (!append(rings, new_positions(s, r->order[k], r->reverse[k]))) {
			json_object_put(rings);
			return NULL;
		}
	}
	return rings;
}

static struct json_object *new_coordinates(const struct ws_shapes *s, size_t f,
					   struct ws_rings *rings, const char **type,
					   struct ws_error *err)
{
	size_t first = s->feature_first_part[f], n_parts = ws_shapes_feature_parts(s, f);
	struct json_object *coords = NULL;
	switch (s->kind) {
	case WS_GEOM_POINT:
		*type = "Point";
		return new_position(s->xy + 2 * s->part_first_point[first]);
	case WS_GEOM_LINE:
		if (n_parts == 1) {
			*type = "LineString";
			return new_positions(s, first, false);
		}
		*type = "MultiLineString";
		if (!(coords = json_object_new_array()))
			return NULL;
		for (size_t p = first; p < first + n_parts; p++)
			if (!append(coords, new_positions(s, p, false)))
				goto fail;
		return coords;
	case WS_GEOM_POLYGON:
		if (!ws_rings_classify(rings, s, f, true, err))
			return NULL;
		if (rings->n_polygons == 1) {
			*type = "Polygon";
			return new_polygon(s, rings, 0);
		}
		*type = "MultiPolygon";
		if (!(coords = json_object_new_array()))
			return NULL;
		for (size_t k = 0; k < rings->n_polygons; k++)
			if (!append(coords, new_polygon(s, rings, k)))
				goto fail;
		return coords;
	}
fail:
	json_object_put(coords);
	return NULL;
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
