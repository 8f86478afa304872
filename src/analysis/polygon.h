/* Polygons through GEOS: one context per thread, its errors caught into our error type,
 * and valid (Multi)Polygons built from shapefile rings. GEOS geometries never leave the
 * thread that made them (STYLE.md: lazy envelopes race). */
#ifndef WS_POLYGON_H
#define WS_POLYGON_H

#include <geos_c.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "util/shapes.h"

struct ws_geos {
	GEOSContextHandle_t h;
	char msg[256];       /* last GEOS error or notice, filled by the handler */
};

bool ws_geos_init(struct ws_geos *g, struct ws_error *err);
void ws_geos_finish(struct ws_geos *g);

/* What building a polygon had to repair. */
struct ws_polygon_repair {
	bool made_valid;        /* the rings as given were not a valid polygon */
	bool orphan_holes;      /* holes outside every shell became polygons of their own */
	bool dropped_parts;     /* MakeValid produced lines/points that were dropped */
	double area_before_m2;  /* |shell areas| - |hole areas| as given */
	double area_after_m2;
};

/* Feature f of a polygon set as a valid GEOS MultiPolygon (caller destroys with
 * GEOSGeom_destroy_r), or NULL with *empty set when the feature has no area (NULL shape,
 * all rings degenerate); NULL with err set on a GEOS failure. Rings: clockwise = shell,
 * counter-clockwise = hole of the smallest shell containing it (shapefile rule). */
GEOSGeometry *ws_polygon_build(struct ws_geos *g, const struct ws_shapes *s, size_t f,
			       struct ws_polygon_repair *rep, bool *empty, struct ws_error *err);

/* Appends a GEOS (Multi)Polygon to `out` as one feature, shells clockwise and holes
 * counter-clockwise. */
bool ws_polygon_append(struct ws_geos *g, const GEOSGeometry *geom, struct ws_shapes *out,
		       struct ws_error *err);

/* Signed area of a ring (shoelace; > 0 counter-clockwise). */
double ws_ring_signed_area(const double *xy, size_t n);

#endif
