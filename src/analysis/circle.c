/* Circle vs walk. Invariant: the walk of center s within band b is exactly the compounds
 * of s's reach list (isochrone.h) with reach_m <= band_m[b]; the circle is a plain
 * Euclidean test in the working CRS, boundary included. */
#include "circle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ws_circle_walk_finish(struct ws_circle_walk *cw)
{
	if (!cw)
		return;
	free(cw->circle_m2);
	free(cw->n_circle);
	free(cw->n_walk);
	free(cw->n_circle_only);
	free(cw->in_circle);
	free(cw->in_walk);
	memset(cw, 0, sizeof *cw);
}

bool ws_circle_walk_compute(struct ws_circle_walk *cw, const double *center_xy, size_t n_centers,
			    const double *compound_xy, size_t n_compounds,
			    const struct ws_isochrones *iso, const double *band_m, struct ws_error *err)
{
	memset(cw, 0, sizeof *cw);
	size_t nb = iso->n_bands, nk = n_compounds;
	cw->n_centers = n_centers;
	cw->n_bands = nb;
	cw->n_compounds = nk;
	cw->circle_m2 = calloc(nb + 1, sizeof *cw->circle_m2);
	cw->n_circle = calloc(n_centers * nb + 1, sizeof *cw->n_circle);
	cw->n_walk = calloc(n_centers * nb + 1, sizeof *cw->n_walk);
	cw->n_circle_only = calloc(n_centers * nb + 1, sizeof *cw->n_circle_only);
	cw->in_circle = calloc(nk * nb + 1, sizeof *cw->in_circle);
	cw->in_walk = calloc(nk * nb + 1, sizeof *cw->in_walk);
	/* per compound: the walk of the current center (index of the last band reached) */
	double *walk_m = malloc((nk + 1) * sizeof *walk_m);
	if (!cw->circle_m2 || !cw->n_circle || !cw->n_walk || !cw->n_circle_only || !cw->in_circle ||
	    !cw->in_walk || !walk_m) {
		free(walk_m);
		ws_circle_walk_finish(cw);
		return ws_error_nomem(err);
	}
	for (size_t b = 0; b < nb; b++)
		cw->circle_m2[b] = M_PI * band_m[b] * band_m[b];
	for (size_t c = 0; c < nk; c++)
		walk_m[c] = INFINITY;
	for (size_t s = 0; s < n_centers; s++) {
		for (size_t i = iso->reach_first[s]; i < iso->reach_first[s + 1]; i++)
			walk_m[iso->reach_compound[i]] = iso->reach_m[i];
		double cx = center_xy[2 * s], cy = center_xy[2 * s + 1];
		for (size_t c = 0; c < nk; c++) {
			double d = hypot(compound_xy[2 * c] - cx, compound_xy[2 * c + 1] - cy);
			for (size_t b = 0; b < nb; b++) {
				bool circle = d <= band_m[b];   /* NaN (no location) is never inside */
				bool walk = walk_m[c] <= band_m[b];
				size_t k = s * nb + b;
				cw->n_circle[k] += circle;
				cw->n_walk[k] += walk;
				cw->n_circle_only[k] += circle && !walk;
				cw->in_circle[c * nb + b] |= circle;
				cw->in_walk[c * nb + b] |= walk;
			}
		}
		for (size_t i = iso->reach_first[s]; i < iso->reach_first[s + 1]; i++)
			walk_m[iso->reach_compound[i]] = INFINITY;
	}
	free(walk_m);
	return true;
}
