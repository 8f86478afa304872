/* The drawn circle vs the walk: many plans still draw a circle of radius speed x minutes
 * around each center and call everything inside it served. For each center and band this
 * compares the circle (area pi r^2, compounds whose surface point lies within r of the
 * center point) with the walk (its isochrone area, compounds it reaches along the network
 * within the band). Algorithms only. */
#ifndef WS_CIRCLE_H
#define WS_CIRCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/isochrone.h"
#include "util/error.h"

struct ws_circle_walk {
	size_t n_centers, n_bands, n_compounds;
	double *circle_m2;           /* per band: pi r^2 */
	/* per center x band (index s * n_bands + b) */
	uint32_t *n_circle;          /* compounds inside the circle */
	uint32_t *n_walk;            /* compounds reached by the walk */
	uint32_t *n_circle_only;     /* inside the circle, not reached by this center's walk */
	/* per compound x band (index c * n_bands + b) */
	bool *in_circle;             /* inside some center's circle */
	bool *in_walk;               /* reached by some center's walk */
};

/* center_xy: per center (NaN: no location, no circle); compound_xy: per compound its
 * surface point (NaN: none); band_m: the circle radii = the walk limits of iso. */
bool ws_circle_walk_compute(struct ws_circle_walk *cw, const double *center_xy, size_t n_centers,
			    const double *compound_xy, size_t n_compounds,
			    const struct ws_isochrones *iso, const double *band_m, struct ws_error *err);
void ws_circle_walk_finish(struct ws_circle_walk *cw);

#endif
