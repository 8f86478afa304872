/* Compound access points (SPEC 5): where a compound's residents join the network.
 * Default: one point per compound, GEOS PointOnSurface of the repaired polygon in the
 * working CRS. Other modes (gates, boundary) add their own builders here. */
#ifndef WS_ACCESS_H
#define WS_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/polygon.h"
#include "util/error.h"
#include "util/shapes.h"

struct ws_access {
	size_t n_compounds;
	size_t *first;           /* n_compounds + 1 offsets into the points */
	size_t n_points;
	double *xy;              /* 2 * n_points, working CRS */
	struct ws_polygon_repair *repair;  /* per compound */
	bool *empty;             /* per compound: no area (NULL shape or degenerate) */
};

/* PointOnSurface of every compound of `compounds` (polygons, working CRS), in parallel;
 * a compound without area gets no access point. On a GEOS failure the error names the
 * lowest failing record. */
bool ws_access_point_on_surface(struct ws_access *acc, const struct ws_shapes *compounds,
				int threads, struct ws_error *err);
void ws_access_finish(struct ws_access *acc);

#endif
