/* Zones (sub-districts, communities) for per-zone summaries. Each compound belongs to the
 * zone that contains its representative point: the PointOnSurface access point (SPEC 5),
 * so a compound straddling two zones is counted once, where its point lies. A point on a
 * zone's boundary is inside it (GEOS intersects); a point inside or on the boundary of
 * several zones (a shared edge, or overlapping zones) goes to the one with the lowest
 * FID, and is counted in n_multiple. Zones not in `use` (e.g. another admin level) are
 * ignored. Algorithms only. */
#ifndef WS_ZONES_H
#define WS_ZONES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/polygon.h"
#include "util/error.h"
#include "util/shapes.h"

#define WS_NO_ZONE UINT32_MAX

struct ws_zoning {
	size_t n_zones, n_compounds;
	uint32_t *zone_of;        /* per compound: zone FID, WS_NO_ZONE outside every zone */
	uint8_t *n_containing;    /* per compound: zones containing its point (capped at 255) */
	size_t n_outside, n_multiple, n_no_point;
	bool *zone_empty;         /* per zone: no area after repair */
};

/* zones: polygons in the working CRS; use: per zone (NULL: all); point_xy: 2 per
 * compound, NAN for a compound without a point (no area). One GEOS context, prepared
 * zone polygons; single-threaded (a few zones). */
bool ws_zones_assign(struct ws_zoning *z, const struct ws_shapes *zones, const bool *use,
		     const double *point_xy, size_t n_compounds, struct ws_error *err);
void ws_zones_finish(struct ws_zoning *z);

/* What building each zone polygon repairs (MakeValid, holes outside their shell, parts
 * dropped), into rep and empty (n_features each, caller's arrays), so that zones are
 * listed among the repairs like compounds and --strict refuses them. The study calls
 * this once; ws_zones_assign builds the same polygons again (zones are few). */
bool ws_zones_repairs(const struct ws_shapes *zones, const char *layer_name,
		      struct ws_polygon_repair *rep, bool *empty, struct ws_error *err);

#endif
