/* Invariant: the points depend only on the segments (file order) and the spacing; two
 * runs give the same points in the same order. */
#include "candidates.h"

#include <math.h>
#include <stdlib.h>

static bool inside(const double area[4], double x, double y)
{
	return x >= area[0] && y >= area[1] && x <= area[2] && y <= area[3];
}

static bool push(double **xy, size_t *n, size_t *cap, double x, double y, struct ws_error *err)
{
	if (*n == *cap) {
		size_t cap2 = *cap ? 2 * *cap : 1024;
		double *p = realloc(*xy, cap2 * 2 * sizeof *p);
		if (!p)
			return ws_error_nomem(err);
		*xy = p;
		*cap = cap2;
	}
	(*xy)[2 * *n] = x;
	(*xy)[2 * *n + 1] = y;
	(*n)++;
	return true;
}

bool ws_candidates_generate(const struct ws_segments *segs, double spacing_m, const double area[4],
			    double **xy, size_t *n, struct ws_error *err)
{
	*xy = NULL;
	*n = 0;
	size_t cap = 0;
	if (!(spacing_m > 0))
		return ws_error_set(err, WS_ERR_USAGE, "candidate spacing must be positive");
	uint32_t feature = UINT32_MAX;
	double walked = 0, next = 0;   /* along the current line */
	for (uint32_t s = 0; s < segs->n_segments; s++) {
		if (segs->seg_feature[s] != feature) {
			feature = segs->seg_feature[s];
			walked = 0;
			next = spacing_m / 2;
		}
		double len = segs->seg_length_m[s];
		const double *a = segs->node_xy + 2 * (size_t)segs->seg_node[2 * s];
		const double *b = segs->node_xy + 2 * (size_t)segs->seg_node[2 * s + 1];
		while (len > 0 && next < walked + len) {
			double t = (next - walked) / len;
			double x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
			if (inside(area, x, y) && !push(xy, n, &cap, x, y, err)) {
				free(*xy);
				*xy = NULL;
				*n = 0;
				return false;
			}
			next += spacing_m;
		}
		walked += len;
	}
	return true;
}
