/* Sensitivity in one pass: coverage is computed once with the largest limit of all the
 * speed x minutes combinations (one bounded search per center); every combination is
 * then derived from the per-center lists, which hold walks in metres. A center list
 * computed with limit L holds every compound within L with the same distance a search
 * bounded by any l <= L gives (Dijkstra's distances below l do not depend on the bound),
 * so each derived figure equals a separate ws_coverage_compute at l exactly.
 * Algorithms only. */
#ifndef WS_SENSITIVITY_H
#define WS_SENSITIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/coverage.h"

/* For limit_m <= cov->limit_m and the centers in use_center (NULL: all): covered[c] and
 * n_within[c] (either may be NULL) as ws_coverage_compute(..., use_center, limit_m)
 * would give them. False (nothing written) when limit_m > cov->limit_m. */
bool ws_coverage_derive(const struct ws_coverage *cov, const bool *use_center, double limit_m,
			bool *covered, uint32_t *n_within);

/* The walking limit of `minutes` at `speed_kmh`, computed in the one order every command
 * uses (minutes * speed * 1000 / 60), so that derived and separate runs compare exactly. */
static inline double ws_limit_m(double minutes, double speed_kmh)
{
	return minutes * speed_kmh * 1000.0 / 60.0;
}

/* Compounds whose covered flag differs between any two of n_combos rows of `covered`
 * (row-major n_combos x n_compounds). Writes their indices, increasing, to `flipped`
 * (room for n_compounds) and returns how many. */
size_t ws_sensitivity_flips(const bool *covered, size_t n_combos, size_t n_compounds, size_t *flipped);

#endif
