/* Coverage (SPEC 6): for each compound its reach (shortest walk from any center,
 * snap distances included, minimised over its access points), nearest center (ties to
 * the lower center index), number of centers within the threshold, and covered; for
 * each center the compounds it reaches within the threshold. Distances in metres; the
 * caller turns them into minutes with the speed. Algorithms only. */
#ifndef WS_COVERAGE_H
#define WS_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/route.h"
#include "util/error.h"

#define WS_NO_CENTER UINT32_MAX

struct ws_compound_reach {
	double reach_m;          /* INFINITY when no center reaches it */
	uint32_t nearest;        /* center index, WS_NO_CENTER when unreached */
	uint32_t access;         /* which access point (0-based within the compound) gave it */
	uint32_t n_within;       /* centers with reach <= limit_m (redundancy) */
	bool covered;            /* reach_m <= limit_m (equality counts, SPEC 8) */
};

struct ws_coverage {
	size_t n_compounds, n_centers;
	double limit_m;
	struct ws_compound_reach *compound;
	/* per center (CSR): compounds within limit_m, increasing compound index, with the
	 * walk in metres */
	size_t *center_first;    /* n_centers + 1 */
	uint32_t *center_compound;
	double *center_dist_m;
	double time_route_s;     /* wall seconds spent in the searches (for -v timings) */
};

/* `access` holds one source per compound (its access points as seeds with their snap
 * distances); `centers` one source per center. use_center (NULL: all) restricts the
 * centers considered (a level, a service). Every figure is independent of `threads`. */
bool ws_coverage_compute(struct ws_coverage *cov, const struct ws_graph *g,
			 const struct ws_route_sources *centers, const struct ws_route_sources *access,
			 const bool *use_center, double limit_m, int threads, struct ws_error *err);
void ws_coverage_finish(struct ws_coverage *cov);

/* Only the reach, nearest center and covered of every compound (one nearest-center
 * search): no per-center lists (empty) and n_within = 0. Figures equal those of
 * ws_coverage_compute with the same arguments. */
bool ws_coverage_reach(struct ws_coverage *cov, const struct ws_graph *g,
		       const struct ws_route_sources *centers, const struct ws_route_sources *access,
		       const bool *use_center, double limit_m, struct ws_error *err);

/* The reach over the union of disjoint center sets, from each set's ws_coverage_reach:
 * per compound the smallest (reach, center index), exactly what one search over the union
 * gives (lexicographic minima compose); covered against limit_m; n_within = 0. */
bool ws_coverage_merge_min(struct ws_coverage *dst, const struct ws_coverage *const *parts,
			   size_t n_parts, double limit_m, struct ws_error *err);

#endif
