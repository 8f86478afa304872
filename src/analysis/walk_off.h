/* The walk-off area of a set of line segments: every point within the walk-off width of
 * a segment, where "within" is measured with a fixed regular 32-gon P inscribed in the
 * circle of that radius (vertices at angles 2 pi j / 32, 8 per quarter) instead of the
 * circle. The area is the Minkowski sum of the segments with P: the union of one convex
 * polygon per segment end (v + P) and one parallelogram per segment. Because the sum is
 * monotone, the area of a subset of segments lies inside the area of the whole set, so
 * isochrone bands nest exactly (up to floating-point rounding) without a union with the
 * band below; and the union of several sets' areas is the area of their union.
 *
 * Only the boundary is computed: each edge of each convex piece is cut by every nearby
 * piece, and the parts that no other piece covers are linked into rings (interior on
 * the left). Each crossing point is computed once from the ordered pair of lines that
 * meet there, so the parts of two pieces meet in bit-identical points. Degenerate
 * configurations (collinear overlapping segments, a boundary that touches itself) are
 * detected, not guessed: the function then reports WS_WALK_OFF_DEGENERATE and the caller
 * uses the general GEOS construction. Algorithms only: no files, no printing. */
#ifndef WS_WALK_OFF_H
#define WS_WALK_OFF_H

#include <stddef.h>

#include "analysis/polygon.h"

#define WS_WALK_OFF_SIDES 32
#define WS_WALK_OFF_SLOTS 20

enum ws_walk_off_status {
	WS_WALK_OFF_OK,
	WS_WALK_OFF_EMPTY,       /* no segment of positive length */
	WS_WALK_OFF_DEGENERATE,  /* the boundary could not be linked into valid rings */
	WS_WALK_OFF_NOMEM,
};

/* Reusable per-thread scratch memory (init to zeros; finish frees). */
struct ws_walk_off_workspace {
	void *mem[WS_WALK_OFF_SLOTS];
	size_t cap[WS_WALK_OFF_SLOTS];
};

void ws_walk_off_workspace_finish(struct ws_walk_off_workspace *ws);

/* The walk-off area of n segments (x0 y0 x1 y1 each) as a GEOS MultiPolygon in *out
 * (caller destroys; valid, checked with GEOSisValid). Zero-length segments are ignored;
 * identical segments count once. */
enum ws_walk_off_status ws_walk_off_area(struct ws_walk_off_workspace *ws, struct ws_geos *g,
					 const double *seg_xy, size_t n_seg, double walk_off_m,
					 GEOSGeometry **out);

#endif
