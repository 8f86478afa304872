/* Joining points to the walking network (SPEC 4): the closest point on the closest
 * segment, ties to the segment first in file order, through a uniform grid index over
 * the segments (never a scan of all segments per point). The index is read-only after
 * creation and may be queried from many threads at once. */
#ifndef WS_SNAP_H
#define WS_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/segments.h"
#include "util/error.h"

#define WS_UNSNAPPED UINT32_MAX

struct ws_snap {
	uint32_t segment;   /* WS_UNSNAPPED when no segment lies within the limit */
	double t;           /* position along the segment from end a (0) to end b (1) */
	double x, y;        /* the snapped point, working CRS */
	double dist_m;      /* straight snap distance, walked too (SPEC 4) */
};

struct ws_snap_index;

/* `segs` is borrowed and must outlive the index. Caller destroys. */
struct ws_snap_index *ws_snap_index_create(const struct ws_segments *segs, struct ws_error *err);
void ws_snap_index_destroy(struct ws_snap_index *idx);

/* One point; a point farther than max_snap_m from every segment is unsnapped. A point at
 * exactly max_snap_m is snapped. */
void ws_snap_point(const struct ws_snap_index *idx, double x, double y, double max_snap_m,
		   struct ws_snap *out);
/* n points (xy interleaved, working CRS), in parallel; out has n entries. */
void ws_snap_points(const struct ws_snap_index *idx, const double *xy, size_t n,
		    double max_snap_m, int threads, struct ws_snap *out);

#endif
