/* Local improvement of a greedy siting (docs/siting.md), deterministic and without an
 * exact solver. Maximal covering: best-improvement interchange (Teitz-Bart): replace one
 * chosen site by one unchosen candidate (or add one while fewer than k are chosen) when
 * that strictly raises the covered weight, the best move first, ties to the lower
 * candidate index; then 2-for-2 interchanges (two sites out, the best pair in) when
 * the work stays under WS_IMPROVE_PAIR_WORK. Set covering: drop redundant sites, then
 * r-for-(r-1) replacements for r = 2, 3, 4 (r sites replaced by fewer candidates covering
 * everything only they covered; only sets of r sites that some candidates link), first
 * improvement in a fixed order. Every move strictly improves the objective, so it ends;
 * a round limit and a work bound (counted operations, not time) bound it anyway.
 * Single-threaded. Algorithms only. */
#ifndef WS_SITING_IMPROVE_H
#define WS_SITING_IMPROVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/cover_sets.h"
#include "util/error.h"

/* Work bound (set-membership tests) for one 2-for-2 round of maximal covering. */
#define WS_IMPROVE_PAIR_WORK 200000000.0

struct ws_siting_improvement {
	double before, after;   /* covered weight (maximal covering) or sites (set covering) */
	size_t n_swaps;         /* 1-for-1 interchanges and additions */
	size_t n_pair_swaps;    /* 2-for-2 (maximal covering) or 2-for-1 (set covering) */
	size_t n_triple_swaps;  /* 3-for-2 and 4-for-3 (set covering) */
	size_t n_drops;         /* redundant sites removed */
	size_t n_rounds;
	bool pairs_tried;       /* the largest neighbourhood was searched to the end (a local
				 * optimum for it), not cut by the work bound */
	bool capped;            /* stopped at the round limit, not at a local optimum */
};

/* Maximal covering with at most k sites. chosen (capacity >= k) holds *n sites on entry
 * (the greedy answer) and the improved ones on exit, in no particular order.
 * weight: per compound (NULL: 1 each), >= 0. */
bool ws_siting_improve_max_cover(uint32_t *chosen, size_t *n, const struct ws_cover_sets *sets,
				 const double *weight, size_t k, struct ws_siting_improvement *imp,
				 struct ws_error *err);
/* Set covering: chosen covers every compound some candidate covers, on entry and on exit;
 * *n only shrinks. */
bool ws_siting_improve_set_cover(uint32_t *chosen, size_t *n, const struct ws_cover_sets *sets,
				 struct ws_siting_improvement *imp, struct ws_error *err);

#endif
