/* The routing engine: bounded Dijkstra over the walking graph from sets of sources.
 * A source is a group of seeds (node, offset), e.g. a center with its snap distance or a
 * compound with one seed per entrance; a source without seeds (unsnapped) reaches nothing.
 * Everything computed here depends only on the inputs, never on the thread count:
 * each source's search is independent, and ties in the nearest-source search go to the
 * lower source index. Algorithms only: no files, no printing. */
#ifndef WS_ROUTE_H
#define WS_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/graph.h"
#include "util/error.h"

struct ws_route_seed {
	uint32_t node;
	double offset_m;        /* distance already walked on reaching the node (snap) */
};

struct ws_route_sources {
	size_t n;
	const size_t *first;    /* n + 1 offsets into seeds */
	const struct ws_route_seed *seeds;
};

/* A reusable per-thread search state: O(1) reset between searches by timestamps. */
struct ws_route_workspace;
struct ws_route_workspace *ws_route_workspace_create(const struct ws_graph *g, struct ws_error *err);
void ws_route_workspace_destroy(struct ws_route_workspace *ws);

/* One search from `n_seeds` seeds; settles every node whose distance is <= limit_m, in
 * increasing distance. *nodes / *dist_m (borrowed, valid until the next search on ws)
 * list them in settling order. Returns how many. */
size_t ws_route_search(struct ws_route_workspace *ws, const struct ws_route_seed *seeds,
		       size_t n_seeds, double limit_m, const uint32_t **nodes, const double **dist_m);
/* Distance of `node` in the last search, INFINITY when not settled within the limit. */
double ws_route_distance(const struct ws_route_workspace *ws, uint32_t node);

/* Called once per source, on the thread that searched it (thread in 0..threads-1), with
 * the nodes settled within the limit. It may use ws for ws_route_distance. It must write
 * only state owned by `source` or by `thread`. Returning false stops the run; the error
 * of the lowest failing source is reported. */
typedef bool (*ws_route_visit_fn)(void *ctx, int thread, size_t source,
				  const struct ws_route_workspace *ws, size_t n_reached,
				  const uint32_t *nodes, const double *dist_m, struct ws_error *err);

/* The number of threads ws_route_each_source will use for `threads` requested (>= 1). */
int ws_route_thread_count(int threads);

/* Searches from every source in parallel (one OpenMP region, dynamic schedule). */
bool ws_route_each_source(const struct ws_graph *g, const struct ws_route_sources *src,
			  double limit_m, int threads, ws_route_visit_fn visit, void *ctx,
			  struct ws_error *err);
/* A job run beside the searches, e.g. a ws_route_nearest search: it must not touch what
 * the visits write. Returns false with err set on failure. */
typedef bool (*ws_route_side_fn)(void *side_ctx, struct ws_error *err);
/* ws_route_each_source with `side` (NULL: none) run by one of the threads in the same
 * parallel region, so that a long single search overlaps the many short ones. The side
 * job's error is reported before any source's. */
bool ws_route_each_source_beside(const struct ws_graph *g, const struct ws_route_sources *src,
				 double limit_m, int threads, ws_route_visit_fn visit, void *ctx,
				 ws_route_side_fn side, void *side_ctx, struct ws_error *err);

/* Same, with the caller's workspaces wss[0..ws_route_thread_count(threads)-1] (created
 * on g), so that many runs in a row reuse them. */
bool ws_route_each_source_in(const struct ws_graph *g, const struct ws_route_sources *src,
			     double limit_m, int threads, struct ws_route_workspace *const *wss,
			     ws_route_visit_fn visit, void *ctx, struct ws_error *err);

/* Exact multi-source search: for every node the smallest (distance, source index) over
 * the sources with use[s] (NULL: all), settled within limit_m (INFINITY: whole graph).
 * node_dist[v] = INFINITY and node_source[v] = UINT32_MAX when not reached. */
bool ws_route_nearest(const struct ws_graph *g, const struct ws_route_sources *src,
		      const bool *use, double limit_m, double *node_dist, uint32_t *node_source,
		      struct ws_error *err);
/* The same for the nodes that matter: stops as soon as every seed node of `targets` is
 * settled (or the search is exhausted). Targets get exactly the values ws_route_nearest
 * gives them; any other node gets them too or INFINITY / UINT32_MAX if the search
 * stopped before reaching it. */
bool ws_route_nearest_targets(const struct ws_graph *g, const struct ws_route_sources *src,
			      const bool *use, double limit_m, const struct ws_route_sources *targets,
			      double *node_dist, uint32_t *node_source, struct ws_error *err);

#endif
