/* Shapefile rings -> valid GEOS polygons. The ring roles follow the shapefile rule
 * (clockwise shells, counter-clockwise holes); a hole is assigned to the smallest shell
 * containing its first vertex. MakeValid then repairs whatever is left (bow-ties, holes
 * outside shells, touching rings) and only polygonal parts are kept. */
#include "polygon.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void geos_message(const char *fmt, ...)
{
	(void)fmt;
}

static void geos_error(const char *message, void *userdata)
{
	struct ws_geos *g = userdata;
	snprintf(g->msg, sizeof g->msg, "%s", message);
}

bool ws_geos_init(struct ws_geos *g, struct ws_error *err)
{
	memset(g, 0, sizeof *g);
	g->h = GEOS_init_r();
	if (!g->h)
		return ws_error_set(err, WS_ERR_GEOS, "cannot start GEOS");
	GEOSContext_setErrorMessageHandler_r(g->h, geos_error, g);
	GEOSContext_setNoticeHandler_r(g->h, (GEOSMessageHandler)geos_message);
	return true;
}

void ws_geos_finish(struct ws_geos *g)
{
	if (g && g->h)
		GEOS_finish_r(g->h);
	if (g)
		g->h = NULL;
}

double ws_ring_signed_area(const double *xy, size_t n)
{
	double a = 0;
	for (size_t i = 0; i + 1 < n; i++)
		a += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
	return a / 2;
}

static bool point_in_ring(const double *xy, size_t n, double x, double y)
{
	bool in = false;
	for (size_t i = 0, j = n - 1; i < n; j = i++) {
		double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

static GEOSGeometry *make_ring(struct ws_geos *g, const double *xy, size_t n)
{
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(g->h, xy, (unsigned)n, 0, 0);
	return seq ? GEOSGeom_createLinearRing_r(g->h, seq) : NULL;
}

static bool geos_failed(struct ws_geos *g, struct ws_error *err)
{
	return ws_error_set(err, WS_ERR_GEOS, "GEOS: %s", g->msg[0] ? g->msg : "operation failed");
}

/* Keeps only the polygonal parts of a geometry, as a MultiPolygon (takes ownership). */
static GEOSGeometry *polygonal_parts(struct ws_geos *g, GEOSGeometry *geom, bool *dropped)
{
	int type = GEOSGeomTypeId_r(g->h, geom);
	if (type == GEOS_MULTIPOLYGON)
		return geom;
	if (type == GEOS_POLYGON) {
		GEOSGeometry *parts[1] = {geom};
		return GEOSGeom_createCollection_r(g->h, GEOS_MULTIPOLYGON, parts, 1);
	}
	int n = GEOSGetNumGeometries_r(g->h, geom);
	GEOSGeometry **keep = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof *keep);
	if (!keep) {
		GEOSGeom_destroy_r(g->h, geom);
		return NULL;
	}
	unsigned n_keep = 0;
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(g->h, geom, i);
		int pt = GEOSGeomTypeId_r(g->h, part);
		if (pt == GEOS_POLYGON) {
			keep[n_keep++] = GEOSGeom_clone_r(g->h, part);
		} else if (pt == GEOS_MULTIPOLYGON) {
			for (int k = 0; k < GEOSGetNumGeometries_r(g->h, part); k++)
				keep[n_keep++] = GEOSGeom_clone_r(g->h, GEOSGetGeometryN_r(g->h, part, k));
		} else {
			*dropped = true;
		}
	}
	GEOSGeom_destroy_r(g->h, geom);
	GEOSGeometry *out = GEOSGeom_createCollection_r(g->h, GEOS_MULTIPOLYGON, keep, n_keep);
	free(keep);
	return out;
}

GEOSGeometry *ws_polygon_build(struct ws_geos *g, const struct ws_shapes *s, size_t f,
			       struct ws_polygon_repair *rep, bool *empty, struct ws_error *err)
{
	memset(rep, 0, sizeof *rep);
	*empty = false;
	size_t p0 = s->feature_first_part[f], p1 = s->feature_first_part[f + 1];
	size_t n_rings = p1 - p0;
	if (n_rings == 0) {
		*empty = true;
		return NULL;
	}
	/* role of each ring: shell index it belongs to (itself when a shell) */
	size_t *owner = malloc(n_rings * sizeof *owner);
	double *area = malloc(n_rings * sizeof *area);
	GEOSGeometry **polys = calloc(n_rings, sizeof *polys);
	GEOSGeometry *result = NULL;
	if (!owner || !area || !polys) {
		ws_error_nomem(err);
		goto done;
	}
	for (size_t r = 0; r < n_rings; r++) {
		size_t a = s->part_first_point[p0 + r], b = s->part_first_point[p0 + r + 1];
		area[r] = ws_ring_signed_area(s->xy + 2 * a, b - a);
		owner[r] = r;
	}
	size_t n_shells = 0;
	for (size_t r = 0; r < n_rings; r++)
		n_shells += area[r] <= 0;
	for (size_t r = 0; r < n_rings; r++) {
		if (area[r] <= 0)
			continue; /* clockwise (or flat): a shell */
		size_t a = s->part_first_point[p0 + r];
		double x = s->xy[2 * a], y = s->xy[2 * a + 1];
		double best = INFINITY;
		for (size_t k = 0; k < n_rings; k++) {
			if (area[k] > 0)
				continue;
			size_t ka = s->part_first_point[p0 + k], kb = s->part_first_point[p0 + k + 1];
			if (-area[k] < best && point_in_ring(s->xy + 2 * ka, kb - ka, x, y)) {
				best = -area[k];
				owner[r] = k;
			}
		}
		/* outside every shell: a hole that becomes a polygon of its own (area grows:
		 * reported); with no clockwise ring at all, a shell given counter-clockwise */
		if (owner[r] == r && n_shells > 0)
			rep->orphan_holes = true;
	}
	/* the area as given: shells count, holes (counter-clockwise rings, contained or not)
	 * subtract, so that a hole turned polygon shows as an area change */
	for (size_t r = 0; r < n_rings; r++)
		rep->area_before_m2 += area[r] <= 0 || n_shells == 0 ? fabs(area[r]) : -fabs(area[r]);

	/* one polygon per shell (an orphan hole is a shell of its own) */
	unsigned n_polys = 0;
	for (size_t r = 0; r < n_rings; r++) {
		if (owner[r] != r)
			continue;
		size_t a = s->part_first_point[p0 + r], b = s->part_first_point[p0 + r + 1];
		GEOSGeometry *shell = make_ring(g, s->xy + 2 * a, b - a);
		if (!shell) {
			geos_failed(g, err);
			goto done;
		}
		unsigned n_holes = 0;
		for (size_t k = 0; k < n_rings; k++)
			if (k != r && owner[k] == r)
				n_holes++;
		GEOSGeometry **holes = calloc(n_holes + 1, sizeof *holes);
		if (!holes) {
			GEOSGeom_destroy_r(g->h, shell);
			ws_error_nomem(err);
			goto done;
		}
		unsigned h = 0;
		for (size_t k = 0; k < n_rings; k++) {
			if (k == r || owner[k] != r)
				continue;
			size_t ka = s->part_first_point[p0 + k], kb = s->part_first_point[p0 + k + 1];
			holes[h] = make_ring(g, s->xy + 2 * ka, kb - ka);
			if (!holes[h]) {
				for (unsigned i = 0; i < h; i++)
					GEOSGeom_destroy_r(g->h, holes[i]);
				free(holes);
				GEOSGeom_destroy_r(g->h, shell);
				geos_failed(g, err);
				goto done;
			}
			h++;
		}
		polys[n_polys] = GEOSGeom_createPolygon_r(g->h, shell, holes, n_holes);
		free(holes);
		if (!polys[n_polys]) {
			geos_failed(g, err);
			goto done;
		}
		n_polys++;
	}
	GEOSGeometry *multi = GEOSGeom_createCollection_r(g->h, GEOS_MULTIPOLYGON, polys, n_polys);
	memset(polys, 0, n_rings * sizeof *polys); /* owned by multi now (or destroyed on failure) */
	if (!multi) {
		geos_failed(g, err);
		goto done;
	}
	char valid = GEOSisValid_r(g->h, multi);
	if (valid == 1) {
		result = multi;
	} else {
		rep->made_valid = true;
		GEOSGeometry *fixed = GEOSMakeValid_r(g->h, multi);
		GEOSGeom_destroy_r(g->h, multi);
		if (!fixed) {
			geos_failed(g, err);
			goto done;
		}
		result = polygonal_parts(g, fixed, &rep->dropped_parts);
		if (!result) {
			geos_failed(g, err);
			goto done;
		}
	}
	double a = 0;
	GEOSArea_r(g->h, result, &a);
	rep->area_after_m2 = a;
	if (GEOSisEmpty_r(g->h, result) == 1 || a <= 0) {
		GEOSGeom_destroy_r(g->h, result);
		result = NULL;
		*empty = true;
	}
done:
	if (polys)
		for (size_t r = 0; r < n_rings; r++)
			if (polys[r])
				GEOSGeom_destroy_r(g->h, polys[r]);
	free(polys);
	free(owner);
	free(area);
	return result;
}

static bool append_ring(struct ws_geos *g, const GEOSGeometry *ring, bool clockwise,
			struct ws_shapes *out, struct ws_error *err)
{
	const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(g->h, ring);
	unsigned n = 0;
	if (!seq || !GEOSCoordSeq_getSize_r(g->h, seq, &n))
		return geos_failed(g, err);
	double *xy = malloc(((size_t)n + 1) * 2 * sizeof *xy);
	if (!xy)
		return ws_error_nomem(err);
	if (n && !GEOSCoordSeq_copyToBuffer_r(g->h, seq, xy, 0, 0)) {
		free(xy);
		return geos_failed(g, err);
	}
	bool is_cw = ws_ring_signed_area(xy, n) < 0;
	bool ok = ws_shapes_begin_part(out, err);
	for (unsigned i = 0; ok && i < n; i++) {
		unsigned k = is_cw == clockwise ? i : n - 1 - i;
		ok = ws_shapes_add_point(out, xy[2 * k], xy[2 * k + 1], err);
	}
	free(xy);
	return ok;
}

static bool append_polygon(struct ws_geos *g, const GEOSGeometry *poly, struct ws_shapes *out,
			   struct ws_error *err)
{
	if (GEOSisEmpty_r(g->h, poly) == 1)
		return true;
	if (!append_ring(g, GEOSGetExteriorRing_r(g->h, poly), true, out, err))
		return false;
	int n = GEOSGetNumInteriorRings_r(g->h, poly);
	for (int i = 0; i < n; i++)
		if (!append_ring(g, GEOSGetInteriorRingN_r(g->h, poly, i), false, out, err))
			return false;
	return true;
}

bool ws_polygon_append(struct ws_geos *g, const GEOSGeometry *geom, struct ws_shapes *out,
		       struct ws_error *err)
{
	if (!ws_shapes_begin_feature(out, err))
		return false;
	if (!geom)
		return true;
	int type = GEOSGeomTypeId_r(g->h, geom);
	if (type == GEOS_POLYGON)
		return append_polygon(g, geom, out, err);
	int n = GEOSGetNumGeometries_r(g->h, geom);
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(g->h, geom, i);
		if (GEOSGeomTypeId_r(g->h, part) == GEOS_POLYGON && !append_polygon(g, part, out, err))
			return false;
	}
	return true;
}
