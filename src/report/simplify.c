/* Douglas-Peucker with an explicit stack of index ranges (no recursion depth limit). The
 * farthest point of a range is the first one at the maximal distance, so the result does
 * not depend on anything but the input. */
#include "report/simplify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distance from p to the segment a-b. */
static double segment_distance(const double *p, const double *a, const double *b)
{
	double dx = b[0] - a[0], dy = b[1] - a[1];
	double len2 = dx * dx + dy * dy;
	double t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

size_t ws_simplify_line(const double *xy, size_t n, double tol_m, bool *keep, struct ws_error *err)
{
	if (n == 0)
		return 0;
	memset(keep, 0, n * sizeof *keep);
	keep[0] = keep[n - 1] = true;
	if (n <= 2)
		return n;
	size_t *stack = malloc(2 * n * sizeof *stack);
	if (!stack) {
		ws_error_nomem(err);
		return 0;
	}
	size_t top = 0, kept = 2;
	stack[top++] = 0;
	stack[top++] = n - 1;
	while (top) {
		size_t hi = stack[--top], lo = stack[--top];
		double best = -1;
		size_t at = lo;
		for (size_t i = lo + 1; i < hi; i++) {
			double d = segment_distance(xy + 2 * i, xy + 2 * lo, xy + 2 * hi);
			if (d > best) {
				best = d;
				at = i;
			}
		}
		if (at == lo || best <= tol_m)
			continue;
		keep[at] = true;
		kept++;
		stack[top++] = lo;
		stack[top++] = at;
		stack[top++] = at;
		stack[top++] = hi;
	}
	free(stack);
	return kept;
}
