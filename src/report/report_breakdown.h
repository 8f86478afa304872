/* The audit's optional report sections (report_input.h) from its breakdown and isochrone
 * stage: headline rows per level and per service (and "all services"), population in
 * every share when --weight, each compound's missing services, the per-zone table, and
 * the outline of the service area (the union of the centers' isochrones at the
 * threshold). Every figure is the breakdown's own (the same tallies as levels.csv,
 * services.csv and zones.csv); only the zone median reach is derived here. */
#ifndef WS_REPORT_BREAKDOWN_H
#define WS_REPORT_BREAKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline/breakdown.h"
#include "pipeline/isochrones.h"
#include "report/report_audit.h"
#include "util/error.h"
#include "util/shapes.h"

/* The outline is simplified for drawing with this tolerance (metres, working CRS). */
#define WS_REPORT_ISOCHRONE_TOLERANCE_M 2.0
/* Holes of the service area smaller than this (m^2, 1 ha: a block interior the walk-off
 * buffer does not reach) are not drawn: the outline would turn the map into lace. */
#define WS_REPORT_ISOCHRONE_MIN_HOLE_M2 10000.0

struct ws_report_breakdown {
	struct ws_report_headline *headlines;
	size_t n_headlines;
	struct ws_report_zone *zones;
	size_t n_zones;
	struct ws_shapes isochrone;        /* WGS 84; kind 0 features when absent */
	bool have_isochrone;
};

/* Fills x from bd (and ir, NULL when no isochrones were computed) and points rep->in at
 * it; labels are owned by rep. bd, ir and x must outlive rep's use. */
bool ws_report_breakdown_fill(struct ws_report_breakdown *x, struct ws_report_audit *rep,
			      const struct ws_breakdown *bd, const struct ws_isochrone_run *ir,
			      struct ws_error *err);
void ws_report_breakdown_finish(struct ws_report_breakdown *x);

/* Median of v[0..n) (sorted in place): the middle value, the mean of the two middle
 * values when n is even; NAN when n is 0. */
double ws_report_median(double *v, size_t n);

#endif
