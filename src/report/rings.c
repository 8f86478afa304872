/* Ring classification: after ws_rings_classify, `order` is a permutation of the feature's
 * parts in which every polygon's outer ring precedes its own holes, polygons appear in the
 * order of their outer rings and holes in their original order. */
#include "report/rings.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void ws_rings_init(struct ws_rings *r)
{
	memset(r, 0, sizeof *r);
}

void ws_rings_finish(struct ws_rings *r)
{
	if (!r)
		return;
	free(r->order);
	free(r->reverse);
	free(r->polygon_first);
	free(r->area);
	free(r->owner);
	memset(r, 0, sizeof *r);
}

static bool reserve(struct ws_rings *r, size_t n, struct ws_error *err)
{
	if (n <= r->cap)
		return true;
	if (n > SIZE_MAX / sizeof(double) - 1)
		return ws_error_nomem(err);
	size_t *order = realloc(r->order, n * sizeof *order);
	if (order)
		r->order = order;
	bool *reverse = realloc(r->reverse, n * sizeof *reverse);
	if (reverse)
		r->reverse = reverse;
	size_t *first = realloc(r->polygon_first, (n + 1) * sizeof *first);
	if (first)
		r->polygon_first = first;
	double *area = realloc(r->area, n * sizeof *area);
	if (area)
		r->area = area;
	size_t *owner = realloc(r->owner, n * sizeof *owner);
	if (owner)
		r->owner = owner;
	if (!order || !reverse || !first || !area || !owner)
		return ws_error_nomem(err);
	r->cap = n;
	return true;
}

double ws_rings_signed_area(const double *xy, size_t n)
{
	if (n < 3)
		return 0.0;
	/* Relative to the first vertex, so projected coordinates in the millions do not
	 * cancel away the area of a small ring. */
	double x0 = xy[0], y0 = xy[1], sum = 0.0;
	for (size_t i = 0; i + 1 < n; i++) {
		double ax = xy[2 * i] - x0, ay = xy[2 * i + 1] - y0;
		double bx = xy[2 * i + 2] - x0, by = xy[2 * i + 3] - y0;
		sum += ax * by - bx * ay;
	}
	return sum / 2.0;
}

/* 1 inside, 0 on the boundary, -1 outside (even-odd rule on a closed ring). */
static int locate_point(double px, double py, const double *xy, size_t n)
{
	bool inside = false;
	for (size_t i = 0; i + 1 < n; i++) {
		double ay = xy[2 * i + 1], by = xy[2 * i + 3];
		/* An edge wholly above or below the point neither holds nor crosses it: most
		 * edges, skipped before the products. */
		if ((ay > py && by > py) || (ay < py && by < py))
			continue;
		double ax = xy[2 * i], bx = xy[2 * i + 2];
		double cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
		if (cross == 0.0 && px >= fmin(ax, bx) && px <= fmax(ax, bx) && py >= fmin(ay, by) &&
		    py <= fmax(ay, by))
			return 0;
		if ((ay > py) != (by > py)) {
			double x_cross = ax + (py - ay) * (bx - ax) / (by - ay);
			if (px < x_cross)
				inside = !inside;
		}
	}
	return inside ? 1 : -1;
}

/* Whether ring `hole` lies in ring `outer`: decided by its first vertex off the outer
 * ring's boundary, since holes may touch their shell; a hole entirely on the boundary
 * counts as inside. */
static bool ring_within(const double *hole, size_t n_hole, const double *outer, size_t n_outer)
{
	for (size_t i = 0; i < n_hole; i++) {
		int where = locate_point(hole[2 * i], hole[2 * i + 1], outer, n_outer);
		if (where != 0)
			return where > 0;
	}
	return true;
}

bool ws_rings_check_feature(const struct ws_shapes *s, size_t f, struct ws_error *err)
{
	size_t first = s->feature_first_part[f], last = s->feature_first_part[f + 1];
	if (s->kind == WS_GEOM_POINT && last - first > 1)
		return ws_error_set(err, WS_ERR_INTERNAL, "feature %zu: a point feature has %zu parts",
				    f, last - first);
	for (size_t p = first; p < last; p++) {
		size_t n = ws_shapes_part_points(s, p);
		const double *xy = s->xy + 2 * s->part_first_point[p];
		for (size_t i = 0; i < 2 * n; i++)
			if (!isfinite(xy[i]))
				return ws_error_set(err, WS_ERR_INTERNAL,
						    "feature %zu: non-finite coordinate", f);
		switch (s->kind) {
		case WS_GEOM_POINT:
			if (n != 1)
				return ws_error_set(err, WS_ERR_INTERNAL,
						    "feature %zu: a point part has %zu points", f, n);
			break;
		case WS_GEOM_LINE:
			if (n < 2)
				return ws_error_set(err, WS_ERR_INTERNAL,
						    "feature %zu: a line part has %zu points", f, n);
			break;
		case WS_GEOM_POLYGON:
			if (n < 4)
				return ws_error_set(err, WS_ERR_INTERNAL,
						    "feature %zu: a ring has %zu points", f, n);
			if (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1])
				return ws_error_set(err, WS_ERR_INTERNAL,
						    "feature %zu: a ring is not closed", f);
			break;
		}
	}
	return true;
}

bool ws_rings_classify(struct ws_rings *r, const struct ws_shapes *s, size_t f, bool outer_ccw,
		       struct ws_error *err)
{
	size_t first = s->feature_first_part[f];
	size_t n = s->feature_first_part[f + 1] - first;
	if (!reserve(r, n ? n : 1, err))
		return false;
	r->n_rings = n;
	r->n_polygons = 0;
	/* owner[i] holds the local index of ring i's outer ring (i itself when outer). */
	for (size_t i = 0; i < n; i++) {
		size_t p = first + i;
		const double *xy = s->xy + 2 * s->part_first_point[p];
		size_t np = ws_shapes_part_points(s, p);
		r->area[i] = ws_rings_signed_area(xy, np);
		r->owner[i] = i;
		if (r->area[i] <= 0.0)
			continue;
		for (size_t j = i; j-- > 0;) {
			if (r->owner[j] != j)
				continue;
			size_t q = first + j;
			if (ring_within(xy, np, s->xy + 2 * s->part_first_point[q],
					ws_shapes_part_points(s, q))) {
				r->owner[i] = j;
				break;
			}
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (r->owner[i] != i)
			continue;
		r->polygon_first[r->n_polygons++] = k;
		for (size_t j = i; j < n; j++) {
			if (r->owner[j] != i)
				continue;
			bool want_ccw = j == i ? outer_ccw : !outer_ccw;
			r->order[k] = first + j;
			r->reverse[k] = r->area[j] != 0.0 && (r->area[j] > 0.0) != want_ccw;
			k++;
		}
	}
	r->polygon_first[r->n_polygons] = k;
	return true;
}
