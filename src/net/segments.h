/* The walkable segments of the road layer (SPEC 3): every consecutive vertex pair of a
 * walkable line, in file order (feature, part, vertex), with node ids shared by vertices
 * whose source coordinates are bit-identical. Node coordinates are in the working CRS.
 * Built once, read-only afterwards. */
#ifndef WS_SEGMENTS_H
#define WS_SEGMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/crs.h"
#include "io/layer.h"
#include "util/error.h"

/* Which road features are walkable. */
struct ws_walk_filter {
	char **excluded_highway;   /* `highway` values that are not walkable (owned) */
	size_t n_excluded;
	bool exclude_foot_no;      /* foot=no is not walkable (SPEC default: true) */
	bool exclude_private;      /* access=private without foot=yes|designated|permissive */
};

/* SPEC 3 defaults: motorway, motorway_link, construction, proposed, abandoned, razed. */
bool ws_walk_filter_init_default(struct ws_walk_filter *f, struct ws_error *err);
/* Replaces the excluded set by a comma-separated list ("" excludes nothing). */
bool ws_walk_filter_set_excluded(struct ws_walk_filter *f, const char *list, struct ws_error *err);
void ws_walk_filter_finish(struct ws_walk_filter *f);
bool ws_walk_filter_accepts(const struct ws_walk_filter *f, const struct ws_layer *roads, size_t feature);

struct ws_segments {
	uint32_t n_nodes;
	double *node_xy;          /* 2 * n_nodes, working CRS */
	uint32_t n_segments;
	uint32_t *seg_node;       /* 2 * n_segments: end a, end b */
	uint32_t *seg_feature;    /* road FID of each segment */
	double *seg_length_m;     /* Euclidean length in the working CRS */
	double bbox[4];           /* of the node coordinates: xmin, ymin, xmax, ymax */

	size_t n_walkable_features, n_excluded_features;
	size_t n_self_loops;      /* vertex pairs with bit-identical ends, dropped */
	size_t n_zero_length;     /* distinct nodes at the same projected place, kept (length 0) */
	size_t n_parallel;        /* segments joining the same two nodes as an earlier one, kept
				     (routing takes the shorter; both have the same length) */
};

/* Builds the segments from `roads` (source CRS) and projects the nodes with `to_work`
 * (borrowed). A node that projects to a non-finite value is an error naming the road
 * record. */
bool ws_segments_build(struct ws_segments *s, const struct ws_layer *roads,
		       const struct ws_walk_filter *filter, const struct ws_transform *to_work,
		       int threads, struct ws_error *err);
/* Same, from coordinates already in the working CRS (tests, generated networks). */
bool ws_segments_build_from_shapes(struct ws_segments *s, const struct ws_shapes *lines,
				   const bool *walkable, struct ws_error *err);
void ws_segments_finish(struct ws_segments *s);

#endif
