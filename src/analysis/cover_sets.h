/* Cover sets for siting (docs/siting.md): which target compounds each candidate site
 * would cover, i.e. reach within limit_m by the coverage rule of SPEC 6: candidate snap +
 * network path + access snap <= limit, minimised over the compound's access points.
 * Two equivalent ways to compute them, both on the routing core (ws_route_each_source):
 * - forward: one bounded search per candidate;
 * - reverse: one bounded search per target compound from its access points (the network
 *   is undirected), marking the candidates it reaches. A pair whose reverse distance is
 *   within WS_COVER_EPS_M of the limit is re-decided by a forward search from that
 *   candidate, so both ways give the same sets, bit for bit.
 * Auto picks reverse when there are fewer target compounds than candidates.
 * Algorithms only: progress is reported through a callback, between batches. */
#ifndef WS_COVER_SETS_H
#define WS_COVER_SETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/route.h"
#include "util/error.h"

#define WS_COVER_EPS_M 1e-6

enum ws_cover_search { WS_COVER_AUTO, WS_COVER_FORWARD, WS_COVER_REVERSE };

/* Called on the calling thread between batches of searches; never inside a parallel
 * region. */
typedef void (*ws_progress_fn)(void *ctx, size_t done, size_t total);

struct ws_cover_sets {
	size_t n_candidates, n_compounds;
	size_t *first;            /* n_candidates + 1 */
	uint32_t *compound;       /* per candidate: covered target compounds, increasing */
	enum ws_cover_search used;
	size_t n_searches;        /* bounded searches run (reverse: + re-checks) */
	size_t n_rechecked;       /* reverse: candidates re-decided forward near the limit */
};

/* candidates: one source per candidate; compounds: one per compound (access seeds);
 * target[c]: compound c counts (NULL: all). allowed[j] (NULL: all): a candidate not
 * allowed gets an empty set. Independent of `threads`. Caller finishes. */
bool ws_cover_sets_compute(struct ws_cover_sets *cs, const struct ws_graph *g,
			   const struct ws_route_sources *candidates,
			   const struct ws_route_sources *compounds, const bool *target,
			   const bool *allowed, double limit_m, enum ws_cover_search mode, int threads,
			   ws_progress_fn progress, void *progress_ctx, struct ws_error *err);
void ws_cover_sets_finish(struct ws_cover_sets *cs);

static inline size_t ws_cover_sets_size(const struct ws_cover_sets *cs, size_t j)
{
	return cs->first[j + 1] - cs->first[j];
}

#endif
