/* Zone assignment: zones are tested in FID order and the first that intersects the point
 * wins, which is the lowest-FID rule of zones.h. */
#include "zones.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ws_zones_finish(struct ws_zoning *z)
{
	if (!z)
		return;
	free(z->zone_of);
	free(z->n_containing);
	free(z->zone_empty);
	memset(z, 0, sizeof *z);
}

bool ws_zones_assign(struct ws_zoning *z, const struct ws_shapes *zones, const bool *use,
		     const double *point_xy, size_t n_compounds, struct ws_error *err)
{
	memset(z, 0, sizeof *z);
	size_t nz = zones->n_features;
	z->n_zones = nz;
	z->n_compounds = n_compounds;
	z->zone_of = malloc((n_compounds + 1) * sizeof *z->zone_of);
	z->n_containing = calloc(n_compounds + 1, sizeof *z->n_containing);
	z->zone_empty = calloc(nz + 1, sizeof *z->zone_empty);
	GEOSGeometry **poly = calloc(nz + 1, sizeof *poly);
	const GEOSPreparedGeometry **prep = calloc(nz + 1, sizeof *prep);
	struct ws_geos g = {0};
	bool ok = z->zone_of && z->n_containing && z->zone_empty && poly && prep;
	if (!ok)
		ws_error_nomem(err);
	ok = ok && ws_geos_init(&g, err);
	for (size_t k = 0; ok && k < nz; k++) {
		if (use && !use[k])
			continue;
		struct ws_polygon_repair rep;
		poly[k] = ws_polygon_build(&g, zones, k, &rep, &z->zone_empty[k], err);
		if (!poly[k] && !z->zone_empty[k]) {
			ok = ws_error_prefix(err, "zones.shp: record %zu: ", k);
			break;
		}
		if (poly[k] && !(prep[k] = GEOSPrepare_r(g.h, poly[k])))
			ok = ws_error_set(err, WS_ERR_GEOS, "zones.shp: record %zu: GEOS prepare: %s", k, g.msg);
	}
	for (size_t c = 0; ok && c < n_compounds; c++) {
		z->zone_of[c] = WS_NO_ZONE;
		double x = point_xy[2 * c], y = point_xy[2 * c + 1];
		if (!isfinite(x) || !isfinite(y)) {
			z->n_no_point++;
			continue;
		}
		GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g.h, x, y);
		if (!pt) {
			ok = ws_error_set(err, WS_ERR_GEOS, "GEOS point: %s", g.msg);
			break;
		}
		for (size_t k = 0; k < nz; k++) {
			if (!prep[k])
				continue;
			char hit = GEOSPreparedIntersects_r(g.h, prep[k], pt);
			if (hit == 2) {
				ok = ws_error_set(err, WS_ERR_GEOS, "zones.shp: record %zu: GEOS intersects: %s", k, g.msg);
				break;
			}
			if (!hit)
				continue;
			if (z->zone_of[c] == WS_NO_ZONE)
				z->zone_of[c] = (uint32_t)k;
			if (z->n_containing[c] < 255)
				z->n_containing[c]++;
		}
		GEOSGeom_destroy_r(g.h, pt);
		if (z->zone_of[c] == WS_NO_ZONE)
			z->n_outside++;
		else if (z->n_containing[c] > 1)
			z->n_multiple++;
	}
	if (g.h) {
		for (size_t k = 0; k < nz; k++) {
			if (prep && prep[k])
				GEOSPreparedGeom_destroy_r(g.h, prep[k]);
			if (poly && poly[k])
				GEOSGeom_destroy_r(g.h, poly[k]);
		}
	}
	ws_geos_finish(&g);
	free(poly);
	free(prep);
	if (!ok)
		ws_zones_finish(z);
	return ok;
}

bool ws_zones_repairs(const struct ws_shapes *zones, const char *layer_name,
		      struct ws_polygon_repair *rep, bool *empty, struct ws_error *err)
{
	struct ws_geos g = {0};
	if (!ws_geos_init(&g, err))
		return false;
	bool ok = true;
	for (size_t k = 0; ok && k < zones->n_features; k++) {
		memset(&rep[k], 0, sizeof rep[k]);
		empty[k] = false;
		GEOSGeometry *poly = ws_polygon_build(&g, zones, k, &rep[k], &empty[k], err);
		if (!poly && !empty[k])
			ok = ws_error_prefix(err, "%s.shp: record %zu: ", layer_name, k);
		if (poly)
			GEOSGeom_destroy_r(g.h, poly);
	}
	ws_geos_finish(&g);
	return ok;
}
