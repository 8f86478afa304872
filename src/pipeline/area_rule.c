/* Area rule. Invariant after applying: status[c] == COVERED exactly when the compound is
 * snapped and share[c] >= min_share; the other snapped compounds are UNCOVERED when some
 * center reaches them and UNREACHABLE otherwise; UNSNAPPED is unchanged. */
#include "area_rule.h"

#include <math.h>
#include <stdlib.h>

struct key {
	int rank;
	double reach_m;
	size_t compound;
};

static int compare_key(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == 2 && a->reach_m != b->reach_m)
		return a->reach_m > b->reach_m ? -1 : 1;
	return a->compound < b->compound ? -1 : a->compound > b->compound;
}

bool ws_audit_apply_min_share(struct ws_audit *a, const double *share, double min_share,
			      struct ws_error *err)
{
	size_t nk = a->cov.n_compounds;
	struct key *keys = malloc((nk + 1) * sizeof *keys);
	if (!keys)
		return ws_error_nomem(err);
	for (int s = 0; s < 4; s++)
		a->n_status[s] = 0;
	for (size_t c = 0; c < nk; c++) {
		struct ws_compound_reach *r = &a->cov.compound[c];
		if (a->status[c] != WS_STATUS_UNSNAPPED) {
			r->covered = !isnan(share[c]) && share[c] >= min_share;
			a->status[c] = r->covered ? WS_STATUS_COVERED
				       : isinf(r->reach_m) ? WS_STATUS_UNREACHABLE : WS_STATUS_UNCOVERED;
		}
		a->n_status[a->status[c]]++;
		enum ws_compound_status s = a->status[c];
		keys[c] = (struct key){s == WS_STATUS_UNSNAPPED ? 0 : s == WS_STATUS_UNREACHABLE ? 1
								     : s == WS_STATUS_COVERED ? 3 : 2,
				       r->reach_m, c};
	}
	qsort(keys, nk, sizeof *keys, compare_key);
	for (size_t c = 0; c < nk; c++)
		a->worst[c] = keys[c].compound;
	free(keys);
	return true;
}
