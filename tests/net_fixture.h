/* Tiny hand-made networks for the unit tests: lines and points given in metres (already
 * in the working CRS), built through the same modules as the CLI. */
#ifndef WS_NET_FIXTURE_H
#define WS_NET_FIXTURE_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/coverage.h"
#include "net/graph.h"
#include "net/route.h"
#include "net/segments.h"
#include "net/snap.h"

struct fixture {
	struct ws_shapes lines;
	struct ws_segments segs;
	struct ws_snap_index *idx;
	struct ws_graph g;
	size_t n_points;
	double xy[2 * 64];
	struct ws_snap snap[64];
	uint32_t node[64];
};

/* lines: each line is a list of x,y pairs ending with NAN. */
static inline void fixture_line(struct fixture *f, const double *xy)
{
	struct ws_error err = {0};
	ws_shapes_begin_feature(&f->lines, &err);
	ws_shapes_begin_part(&f->lines, &err);
	for (size_t i = 0; !isnan(xy[i]); i += 2)
		ws_shapes_add_point(&f->lines, xy[i], xy[i + 1], &err);
}

static inline void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	struct ws_error err = {0};
	ws_shapes_init(&f->lines, WS_GEOM_LINE, &err);
}

/* Adds a point to be snapped; returns its index. */
static inline size_t fixture_point(struct fixture *f, double x, double y)
{
	f->xy[2 * f->n_points] = x;
	f->xy[2 * f->n_points + 1] = y;
	return f->n_points++;
}

static inline bool fixture_build(struct fixture *f, double max_snap_m)
{
	struct ws_error err = {0};
	if (!ws_segments_build_from_shapes(&f->segs, &f->lines, NULL, &err))
		return false;
	f->idx = ws_snap_index_create(&f->segs, &err);
	if (!f->idx)
		return false;
	ws_snap_points(f->idx, f->xy, f->n_points, max_snap_m, 1, f->snap);
	return ws_graph_build(&f->g, &f->segs, f->snap, f->n_points, f->node, &err);
}

static inline void fixture_finish(struct fixture *f)
{
	ws_graph_finish(&f->g);
	ws_snap_index_destroy(f->idx);
	ws_segments_finish(&f->segs);
	ws_shapes_finish(&f->lines);
}

/* One source per listed point (seed = its node and snap distance). */
struct fixture_sources {
	size_t first[65];
	struct ws_route_seed seeds[64];
	struct ws_route_sources src;
};

static inline void fixture_sources(const struct fixture *f, struct fixture_sources *s, const size_t *points, size_t n)
{
	s->first[0] = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t p = points[i];
		if (f->node[p] != WS_NO_NODE)
			s->seeds[k++] = (struct ws_route_seed){f->node[p], f->snap[p].dist_m};
		s->first[i + 1] = k;
	}
	s->src = (struct ws_route_sources){n, s->first, s->seeds};
}

#define END NAN

#endif
