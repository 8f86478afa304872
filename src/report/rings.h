/* Polygon ring classification shared by the GeoJSON and shapefile writers, so both group
 * rings into polygons the same way and differ only in the winding they write. */
#ifndef WS_RINGS_H
#define WS_RINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "util/shapes.h"

/* Reusable per-writer workspace: the rings of one feature in writing order. */
struct ws_rings {
	size_t n_rings, n_polygons;
	size_t *order;          /* global part indices: each polygon's outer ring, then its holes */
	bool *reverse;          /* per entry of `order`: write its points backwards */
	size_t *polygon_first;  /* n_polygons + 1 offsets into `order` */
	double *area;           /* scratch: signed area per ring of the feature */
	size_t *owner;          /* scratch: polygon of each ring of the feature */
	size_t cap;             /* capacity of the arrays above, in rings */
};

void ws_rings_init(struct ws_rings *r);
void ws_rings_finish(struct ws_rings *r);

/* Shoelace signed area of a closed ring of `n` points: positive when counter-clockwise. */
double ws_rings_signed_area(const double *xy, size_t n);

/* Checks what the writers rely on for feature `f` and reports a broken invariant as
 * WS_ERR_INTERNAL naming the feature: finite coordinates; a point feature has one part of
 * one point; a line part has >= 2 points; a ring has >= 4 points and is closed. */
bool ws_rings_check_feature(const struct ws_shapes *s, size_t f, struct ws_error *err);

/* Groups the rings of polygon feature `f`: a clockwise (or zero-area) ring is an outer
 * ring; a counter-clockwise ring is a hole of the most recent preceding outer ring that
 * contains it (tested with its first vertex not on that ring's boundary), or an outer ring
 * when none does. `reverse` is set so that outer rings come out counter-clockwise when
 * `outer_ccw` (GeoJSON) or clockwise otherwise (shapefile), and holes the other way. */
bool ws_rings_classify(struct ws_rings *r, const struct ws_shapes *s, size_t f, bool outer_ccw,
		       struct ws_error *err);

#endif
