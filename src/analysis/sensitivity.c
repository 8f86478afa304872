/* Derivation from per-center lists: a compound is covered at limit l by the centers in
 * use exactly when one of their lists holds it with a walk <= l. */
#include "sensitivity.h"

#include <string.h>

bool ws_coverage_derive(const struct ws_coverage *cov, const bool *use_center, double limit_m,
			bool *covered, uint32_t *n_within)
{
	if (!(limit_m <= cov->limit_m))
		return false;
	if (covered)
		memset(covered, 0, cov->n_compounds * sizeof *covered);
	if (n_within)
		memset(n_within, 0, cov->n_compounds * sizeof *n_within);
	for (size_t s = 0; s < cov->n_centers; s++) {
		if (use_center && !use_center[s])
			continue;
		for (size_t k = cov->center_first[s]; k < cov->center_first[s + 1]; k++) {
			if (!(cov->center_dist_m[k] <= limit_m))
				continue;
			uint32_t c = cov->center_compound[k];
			if (covered)
				covered[c] = true;
			if (n_within)
				n_within[c]++;
		}
	}
	return true;
}

size_t ws_sensitivity_flips(const bool *covered, size_t n_combos, size_t n_compounds, size_t *flipped)
{
	size_t n = 0;
	for (size_t c = 0; c < n_compounds; c++)
		for (size_t i = 1; i < n_combos; i++)
			if (covered[i * n_compounds + c] != covered[c]) {
				flipped[n++] = c;
				break;
			}
	return n;
}
