/* Choosing new sites from cover sets (docs/siting.md). Maximal covering: k sites that
 * add the most weight (compounds, or population) not yet covered; set covering: the
 * fewest sites that cover every target compound any candidate can cover. Both greedy with
 * lazy evaluation: a candidate's gain only shrinks as sites are chosen, so a stale gain is
 * an upper bound and is recomputed only when it reaches the top of the queue. The queue
 * orders (gain desc, candidate index asc), so the choice equals plain greedy with ties to
 * the lowest candidate index. Single-threaded, deterministic. Algorithms only. */
#ifndef WS_SITING_H
#define WS_SITING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/cover_sets.h"
#include "util/error.h"

struct ws_siting {
	size_t n_chosen;
	uint32_t *chosen;         /* candidate indices in the order chosen */
	double *gain;             /* marginal weight each added */
	size_t *gain_n;           /* compounds each newly covered */
	size_t *new_first;        /* n_chosen + 1: CSR into new_compound */
	uint32_t *new_compound;   /* the compounds each newly covered, increasing */
	size_t n_evaluations;     /* gains computed (lazy evaluation saves the rest) */
};

/* Up to k sites (SIZE_MAX: until nothing more can be gained); stops early when the best
 * gain is 0. weight (per compound, NULL: 1 each) must be >= 0. Set covering is
 * ws_siting_greedy(..., NULL, SIZE_MAX, ...). Caller finishes. */
bool ws_siting_greedy(struct ws_siting *s, const struct ws_cover_sets *sets, const double *weight,
		      size_t k, struct ws_error *err);
/* The same greedy restricted to the given sites: orders a set (an improved answer) by
 * marginal gain, ties to the lower candidate index; sites that add nothing after the
 * others are left out. On the greedy answer itself it gives the greedy order back. */
bool ws_siting_order(struct ws_siting *s, const struct ws_cover_sets *sets, const double *weight,
		     const uint32_t *sites, size_t n, struct ws_error *err);
void ws_siting_finish(struct ws_siting *s);

/* Weight covered by a set of candidates (each compound once); for checking solutions. */
double ws_siting_covered_weight(const struct ws_cover_sets *sets, const double *weight,
				const uint32_t *chosen, size_t n);

#endif
