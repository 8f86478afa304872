/* Isochrones from the reached network itself: for each center and each band (a walk
 * limit in metres), the pieces of the walking graph reached within the limit (whole arcs,
 * and the partial arc at the cutoff cut at exactly the remaining distance), widened by a
 * walk-off width: the exact Minkowski sum with a 32-gon (walk_off.h), or, where its input
 * is degenerate, the general construction from GEOS buffers and unions. Never a hull or
 * a raster contour, so holes (unreached blocks) stay holes and a river without a bridge
 * is not jumped unless its banks are closer than twice the walk-off. Bands nest: the sum
 * is monotone, and after a general construction band k is unioned with band k-1.
 * Polygons are built in parallel through ws_route_each_source, one GEOS context per
 * thread; the result does not depend on the thread count. Algorithms only: no files, no
 * printing. */
#ifndef WS_ISOCHRONE_H
#define WS_ISOCHRONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/polygon.h"
#include "net/graph.h"
#include "net/route.h"
#include "util/error.h"
#include "util/shapes.h"

#define WS_WALK_OFF_DEFAULT_M 50.0
#define WS_ISOCHRONE_QUAD_SEGS 8

struct ws_isochrone_params {
	const double *band_m;    /* n_bands walk limits in metres, strictly increasing, > 0 */
	size_t n_bands;
	double walk_off_m;       /* buffer width (> 0) */
	int threads;
	bool keep_lines;         /* also keep the reached lines (tests, checks) */
	bool general_only;       /* build every polygon with the general GEOS construction
				    (tests and comparisons; the exact one is the default) */
};

struct ws_isochrones {
	size_t n_centers, n_bands;
	/* feature s * n_bands + b: the isochrone of center s, band b (working CRS; shells
	 * clockwise, each followed by its holes counter-clockwise); no parts when the center
	 * reaches nothing (unsnapped) */
	struct ws_shapes poly;
	double *area_m2;         /* per feature */
	double *network_m;       /* per feature: length of the reached network (connector excluded) */
	struct ws_shapes lines;  /* keep_lines: per feature, the reached pieces (2-point parts),
				    the center's snap connector first when it has one */
	/* per center (CSR): compounds reached within the largest band, increasing index,
	 * with the walk in metres (empty without compound sources) */
	size_t *reach_first;
	uint32_t *reach_compound;
	double *reach_m;
	/* band geometries built by the general GEOS construction because the exact one
	 * (walk_off.h) met a degenerate configuration */
	size_t n_general;
};

/* `centers`: one source per center (its seeds with snap distances). `connector_xy`
 * (optional): per center x, y of the center point and of its snap point: the snap
 * connector is drawn as a reached line from the point (SPEC 4: it is walked too).
 * `compounds` (optional): one source per compound, for the per-center reach lists. */
bool ws_isochrones_compute(struct ws_isochrones *iso, const struct ws_graph *g,
			   const struct ws_route_sources *centers, const double *connector_xy,
			   const struct ws_route_sources *compounds,
			   const struct ws_isochrone_params *p, struct ws_error *err);
void ws_isochrones_finish(struct ws_isochrones *iso);

/* Per band b: length_m[b], the length of the network reached within the band from any
 * center (connectors excluded), from one exact multi-source search; and, when `served`
 * is given, the union of all centers' isochrones built directly as the walk-off area of
 * that network and the centers' snap connectors (walk_off.h: the sum with P distributes
 * over the union, so it equals the union of the exact isochrones). `served` gets one
 * feature per band and served_m2[b] its area, and *exact is set, only when every band's
 * area was built exactly; otherwise *exact is false, `served` is left as it was and the
 * caller unions the isochrone polygons (as it must when any isochrone was built by the
 * general construction, iso->n_general > 0). */
bool ws_isochrones_union(const struct ws_graph *g, const struct ws_route_sources *centers,
			 const double *connector_xy, const struct ws_isochrone_params *p,
			 double *length_m, struct ws_shapes *served, double *served_m2, bool *exact,
			 struct ws_error *err);

/* The length of the network reached within band_m[b] from any center (the union of all
 * centers' reached pieces; connectors excluded), for every band, from one exact
 * multi-source search. */
bool ws_isochrones_union_length(const struct ws_graph *g, const struct ws_route_sources *centers,
				const double *band_m, size_t n_bands, double *length_m,
				struct ws_error *err);

/* Feature f of a set written by ws_polygon_append (each clockwise ring a shell followed by
 * its counter-clockwise holes) as a GEOS MultiPolygon, without validity repair; an empty
 * feature gives an empty MultiPolygon. Caller destroys. */
GEOSGeometry *ws_isochrone_geometry(struct ws_geos *g, const struct ws_shapes *s, size_t f,
				    struct ws_error *err);

#endif
