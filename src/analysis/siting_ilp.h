/* Exact check of the greedy siting (docs/siting.md) by integer programming with GLPK,
 * when walkshed is built with it (meson feature `glpk`). The models, over the candidates
 * with a non-empty cover set (candidates with identical sets merged, keeping the lowest
 * index) and the compounds some candidate covers:
 * - maximal covering: max sum w_i y_i  s.t.  y_i <= sum_{j covers i} x_j,
 *   sum_j x_j <= k,  x binary, 0 <= y <= 1 (y is integral at any integral x);
 * - set covering: min sum_j x_j  s.t.  sum_{j covers i} x_j >= 1.
 * The greedy solution is handed to the solver as its first incumbent. Stops at
 * time_limit_s; then the best solution found and the best bound are reported. Runs on
 * the calling thread; GLPK's terminal output is switched off. Algorithms only. */
#ifndef WS_SITING_ILP_H
#define WS_SITING_ILP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/cover_sets.h"
#include "util/error.h"

enum ws_ilp_status {
	WS_ILP_UNAVAILABLE,   /* built without GLPK */
	WS_ILP_SKIPPED,       /* time limit 0 */
	WS_ILP_OPTIMAL,       /* proven optimum */
	WS_ILP_TIME_LIMIT,    /* stopped at the limit: objective is the best found, bound the best bound */
	WS_ILP_FAILED,        /* the solver gave up (message in `note`) */
};

struct ws_ilp {
	enum ws_ilp_status status;
	double objective;         /* covered weight (max cover) or number of sites (set cover) */
	double bound;             /* best bound; equals objective when optimal */
	size_t n_chosen;
	uint32_t *chosen;         /* candidate indices, increasing */
	size_t n_rows, n_cols;    /* size of the reduced model */
	double time_s;
	char note[160];
};

/* True when built with GLPK. */
bool ws_ilp_available(void);
/* Maximal covering with at most k sites. greedy/n_greedy: a feasible start (may be NULL). */
bool ws_ilp_max_cover(struct ws_ilp *r, const struct ws_cover_sets *sets, const double *weight,
		      size_t k, const uint32_t *greedy, size_t n_greedy, double time_limit_s,
		      struct ws_error *err);
/* Set covering of every compound some candidate covers. */
bool ws_ilp_set_cover(struct ws_ilp *r, const struct ws_cover_sets *sets, const uint32_t *greedy,
		      size_t n_greedy, double time_limit_s, struct ws_error *err);
void ws_ilp_finish(struct ws_ilp *r);

#endif
