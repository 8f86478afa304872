/* Greedy siting and the exact check on hand-made cover sets. Expected choices are worked
 * out by hand in the comments; random instances are checked against a plain (eager)
 * greedy and a brute-force optimum written here. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#include "analysis/siting.h"
#include "analysis/siting_ilp.h"
#include "analysis/siting_improve.h"
#include "tap.h"

/* sets: lists of compound indices, each ended by -1 */
static struct ws_cover_sets make(size_t nk, size_t nj, const int *lists)
{
	struct ws_cover_sets s = {0};
	s.n_candidates = nj;
	s.n_compounds = nk;
	s.first = calloc(nj + 1, sizeof *s.first);
	size_t total = 0;
	for (size_t j = 0, i = 0; j < nj; i++)
		if (lists[i] < 0)
			j++;
		else
			total++;
	s.compound = malloc((total + 1) * sizeof *s.compound);
	size_t k = 0;
	for (size_t j = 0; j < nj; j++) {
		while (*lists >= 0)
			s.compound[k++] = (uint32_t)*lists++;
		lists++;
		s.first[j + 1] = k;
	}
	return s;
}

static bool same_list(const uint32_t *got, size_t n, const uint32_t *want, size_t m)
{
	if (n != m)
		return false;
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i])
			return false;
	return true;
}

/* plain greedy: every gain recomputed every round, ties to the lowest index */
static size_t eager(const struct ws_cover_sets *s, const double *w, size_t k, uint32_t *out)
{
	bool covered[64] = {0};
	size_t n = 0;
	while (n < k) {
		double best = 0;
		size_t bj = SIZE_MAX;
		for (size_t j = 0; j < s->n_candidates; j++) {
			double g = 0;
			for (size_t t = s->first[j]; t < s->first[j + 1]; t++)
				if (!covered[s->compound[t]])
					g += w ? w[s->compound[t]] : 1;
			if (g > best) {
				best = g;
				bj = j;
			}
		}
		if (bj == SIZE_MAX)
			break;
		out[n++] = (uint32_t)bj;
		for (size_t t = s->first[bj]; t < s->first[bj + 1]; t++)
			covered[s->compound[t]] = true;
	}
	return n;
}

/* best weight with at most k of nj candidates, by enumerating subsets (nj <= 12) */
static double brute_max(const struct ws_cover_sets *s, const double *w, size_t k)
{
	double best = 0;
	for (unsigned mask = 0; mask < (1u << s->n_candidates); mask++) {
		if ((size_t)__builtin_popcount(mask) > k)
			continue;
		uint32_t chosen[16];
		size_t n = 0;
		for (size_t j = 0; j < s->n_candidates; j++)
			if (mask & (1u << j))
				chosen[n++] = (uint32_t)j;
		double v = ws_siting_covered_weight(s, w, chosen, n);
		if (v > best)
			best = v;
	}
	return best;
}

static size_t brute_cover(const struct ws_cover_sets *s)
{
	double all = ws_siting_covered_weight(s, NULL, NULL, 0);
	uint32_t every[16];
	for (size_t j = 0; j < s->n_candidates; j++)
		every[j] = (uint32_t)j;
	all = ws_siting_covered_weight(s, NULL, every, s->n_candidates);
	size_t best = s->n_candidates;
	for (unsigned mask = 0; mask < (1u << s->n_candidates); mask++) {
		uint32_t chosen[16];
		size_t n = 0;
		for (size_t j = 0; j < s->n_candidates; j++)
			if (mask & (1u << j))
				chosen[n++] = (uint32_t)j;
		if (n < best && ws_siting_covered_weight(s, NULL, chosen, n) == all)
			best = n;
	}
	return best;
}

int main(void)
{
	struct ws_error err = {0};
	struct ws_siting g;
	struct ws_ilp x;
	struct ws_siting_improvement imp;
	struct ws_siting ord;
	bool glpk = ws_ilp_available();

	/* 1. Greedy provably optimal: A={0,1,2}, B={3,4}, C={0,3}, k = 2. Greedy takes A (3),
	 *    then B (2 new) -> all 5 compounds, which no choice can beat. */
	struct ws_cover_sets s = make(5, 3, (const int[]){0, 1, 2, -1, 3, 4, -1, 0, 3, -1});
	ok(ws_siting_greedy(&g, &s, NULL, 2, &err), "greedy runs");
	ok(same_list(g.chosen, g.n_chosen, (const uint32_t[]){0, 1}, 2), "optimal case: greedy picks A then B");
	is_double(g.gain[0], 3, 0, "A adds 3");
	is_double(g.gain[1], 2, 0, "B adds 2");
	ok(same_list(g.new_compound, g.new_first[2], (const uint32_t[]){0, 1, 2, 3, 4}, 5),
	   "newly covered: 0 1 2 by A, 3 4 by B");
	if (glpk) {
		ok(ws_ilp_max_cover(&x, &s, NULL, 2, g.chosen, g.n_chosen, 10, &err), "GLPK runs");
		is_int(x.status, WS_ILP_OPTIMAL, "GLPK proves optimality");
		is_double(x.objective, 5, 1e-9, "optimum 5 = greedy: gap 0");
		ws_ilp_finish(&x);
	}
	ws_siting_finish(&g);
	ws_cover_sets_finish(&s);

	/* 2. Greedy not optimal: X={0,1,2}, Y={3,4,5}, Z={1,2,3,4}, k = 2. Greedy takes Z (4),
	 *    then X and Y add 1 each: tie -> X (lower index): 5 covered. X + Y covers all 6:
	 *    the optimum, greedy's gap (6 - 5) / 6 = 16.67 %. */
	s = make(6, 3, (const int[]){0, 1, 2, -1, 3, 4, 5, -1, 1, 2, 3, 4, -1});
	ok(ws_siting_greedy(&g, &s, NULL, 2, &err), "greedy runs (gap case)");
	ok(same_list(g.chosen, g.n_chosen, (const uint32_t[]){2, 0}, 2), "gap case: greedy picks Z then X");
	double gw = ws_siting_covered_weight(&s, NULL, g.chosen, g.n_chosen);
	is_double(gw, 5, 0, "greedy covers 5");
	if (glpk) {
		ok(ws_ilp_max_cover(&x, &s, NULL, 2, g.chosen, g.n_chosen, 10, &err), "GLPK runs (gap case)");
		is_int(x.status, WS_ILP_OPTIMAL, "GLPK optimal");
		is_double(x.objective, 6, 1e-9, "GLPK finds 6");
		ok(same_list(x.chosen, x.n_chosen, (const uint32_t[]){0, 1}, 2), "GLPK picks X and Y");
		is_double(100.0 * (x.objective - gw) / x.objective, 100.0 / 6, 1e-9, "gap 16.67 %%");
		ws_ilp_finish(&x);
	} else {
		diag("built without GLPK: exact checks skipped");
	}
	/*    Local improvement: with {Z, X} chosen, Z alone covers 3 and 4 (loss 2), X alone 0
	 *    (loss 1). Y would add 5 (gain 1) and take over 3 and 4 if Z left: Z -> Y raises
	 *    the total by 1 + 2 - 2 = 1, X -> Y by 1 + 0 - 1 = 0. So Z -> Y: {Y, X} covers all
	 *    6, the optimum; then nothing improves (every compound is covered). In greedy order
	 *    among {X, Y}: both add 3, X (lower index) first. */
	uint32_t better[4] = {g.chosen[0], g.chosen[1]};
	size_t nb = 2;
	ok(ws_siting_improve_max_cover(better, &nb, &s, NULL, 2, &imp, &err), "improvement runs (gap case)");
	is_int(imp.n_swaps, 1, "one interchange");
	is_double(imp.before, 5, 0, "before: 5");
	is_double(imp.after, 6, 0, "after: 6 = the optimum");
	ok(ws_siting_order(&ord, &s, NULL, better, nb, &err), "ordering runs");
	ok(same_list(ord.chosen, ord.n_chosen, (const uint32_t[]){0, 1}, 2), "improved answer: X then Y");
	ws_siting_finish(&ord);
	ws_siting_finish(&g);
	ws_cover_sets_finish(&s);

	/* 2b. Set covering where greedy is not optimal and no site is redundant:
	 *    0:{0}, 1:{1,3,4}, 2:{0,1}, 3:{2,3,4}. Greedy: 1 (3; ties 3 -> lower), then 0, 2, 3
	 *    all add one: 0; then 3 adds {2}: 3 sites, none redundant (each covers a compound
	 *    alone: 1 -> {1}, 0 -> {0}, 3 -> {2}). Sites 1 and 0 alone cover {0, 1}, which
	 *    candidate 2 covers: 2-for-1 gives {2, 3}, 2 sites, the optimum (no single set
	 *    covers 0..4). Greedy order among {2, 3}: 3 (3 new) then 2. */
	s = make(5, 4, (const int[]){0, -1, 1, 3, 4, -1, 0, 1, -1, 2, 3, 4, -1});
	ws_siting_greedy(&g, &s, NULL, SIZE_MAX, &err);
	ok(same_list(g.chosen, g.n_chosen, (const uint32_t[]){1, 0, 3}, 3), "set cover gap case: greedy 1, 0, 3");
	is_int(brute_cover(&s), 2, "brute force: 2 sites");
	memcpy(better, g.chosen, 3 * sizeof *better);
	nb = 3;
	ok(ws_siting_improve_set_cover(better, &nb, &s, &imp, &err), "set cover improvement runs");
	is_int(imp.n_pair_swaps, 1, "one 2-for-1");
	is_int(imp.n_drops, 0, "nothing dropped");
	ws_siting_order(&ord, &s, NULL, better, nb, &err);
	ok(same_list(ord.chosen, ord.n_chosen, (const uint32_t[]){3, 2}, 2), "improved cover: 3 then 2");
	if (glpk) {
		ws_ilp_set_cover(&x, &s, g.chosen, g.n_chosen, 10, &err);
		is_double(x.objective, 2, 1e-9, "GLPK set cover: 2 (greedy's gap 50 %%, the answer's 0)");
		ws_ilp_finish(&x);
	}
	ws_siting_finish(&ord);
	ws_siting_finish(&g);
	ws_cover_sets_finish(&s);

	/* 3. Ties. Sets 0:{5}, 1:{0,1}, 2:{2,3}, 3:{0,1}: k = 1 -> 1 (2, 1 and 3 tie at 2: lowest
	 *    id); k = 2 -> 1 then 2 (3 adds nothing after 1). */
	s = make(6, 4, (const int[]){5, -1, 0, 1, -1, 2, 3, -1, 0, 1, -1});
	ws_siting_greedy(&g, &s, NULL, 1, &err);
	ok(same_list(g.chosen, g.n_chosen, (const uint32_t[]){1}, 1), "tie: lowest id wins");
	ws_siting_finish(&g);
	ws_siting_greedy(&g, &s, NULL, 2, &err);
	ok(same_list(g.chosen, g.n_chosen, (const uint32_t[]){1, 2}, 2), "tie, k=2: 1 then 2");
	ws_siting_finish(&g);
	ws_cover_sets_finish(&s);
	/*    A stale bound above a fresh tie: 0:{5,6}, 1:{0,1,2}, 2:{2,3,4}. After 1, candidate 2
	 *    still has its old bound 3 on top; recomputed to 2 it ties with 0 (2): 0 wins. */
	s = make(7, 3, (const int[]){5, 6, -1, 0, 1, 2, -1, 2, 3, 4, -1});
	ws_siting_greedy(&g, &s, NULL, 2, &err);
	ok(same_list(g.chosen, g.n_chosen, (const uint32_t[]){1, 0}, 2), "lazy stale tie: 1 then 0, as plain greedy");
	ws_siting_finish(&g);
	ws_cover_sets_finish(&s);

	/* 4. Set covering with an uncoverable compound (6): A={0,1}, B={1,2}, C={2,3}, D={3,4,5}.
	 *    Greedy: D (3), A (2), then B or C add {2}: tie -> B. 3 sites; the optimum is 3
	 *    too: 4 and 5 need D, and no single other set covers 0, 1 and 2. */
	s = make(7, 4, (const int[]){0, 1, -1, 1, 2, -1, 2, 3, -1, 3, 4, 5, -1});
	ws_siting_greedy(&g, &s, NULL, SIZE_MAX, &err);
	ok(same_list(g.chosen, g.n_chosen, (const uint32_t[]){3, 0, 1}, 3), "set cover: D, A, B");
	is_int(brute_cover(&s), 3, "brute force: 3 sites needed");
	if (glpk) {
		ws_ilp_set_cover(&x, &s, g.chosen, g.n_chosen, 10, &err);
		is_int(x.status, WS_ILP_OPTIMAL, "GLPK set cover optimal");
		is_double(x.objective, 3, 1e-9, "GLPK set cover: 3");
		ws_ilp_finish(&x);
	}
	ws_siting_finish(&g);
	ws_cover_sets_finish(&s);

	/* 5. Random instances: lazy = plain greedy; GLPK = brute force; greedy's gap measured. */
	unsigned seed = 12345;
	double worst_gap = 0, imp_worst = 0;
	int n_inst = 0, n_opt = 0, imp_opt = 0, n_over_2 = 0, cover_greedy_over = 0, cover_imp_over = 0;
	for (int inst = 0; inst < 300; inst++) {
		size_t nj = 4 + (size_t)(inst % 9), nk = 6 + (size_t)(inst % 13);
		int lists[256], n = 0;
		for (size_t j = 0; j < nj; j++) {
			for (size_t c = 0; c < nk; c++) {
				seed = seed * 1103515245u + 12345u;
				if ((seed >> 16) % 4 == 0 && n < 200)
					lists[n++] = (int)c;
			}
			lists[n++] = -1;
		}
		s = make(nk, nj, lists);
		double w[64];
		for (size_t c = 0; c < nk; c++) {
			seed = seed * 1103515245u + 12345u;
			w[c] = (double)((seed >> 16) % 5);   /* some zero weights */
		}
		const double *wp = inst % 2 ? w : NULL;
		size_t k = 1 + (size_t)(inst % 4);
		uint32_t plain[64];
		size_t np = eager(&s, wp, k, plain);
		ws_siting_greedy(&g, &s, wp, k, &err);
		if (!same_list(g.chosen, g.n_chosen, plain, np))
			ok(false, "instance %d: lazy greedy differs from plain greedy", inst);
		double best = brute_max(&s, wp, k);
		double got = ws_siting_covered_weight(&s, wp, g.chosen, g.n_chosen);
		if (got > best)
			ok(false, "instance %d: greedy beats brute force", inst);
		if (glpk) {
			ws_ilp_max_cover(&x, &s, wp, k, g.chosen, g.n_chosen, 10, &err);
			if (x.status != WS_ILP_OPTIMAL || fabs(x.objective - best) > 1e-6)
				ok(false, "instance %d: GLPK %g, brute force %g", inst, x.objective, best);
			ws_ilp_finish(&x);
		}
		if (best > 0) {
			double gap = 100 * (best - got) / best;
			worst_gap = gap > worst_gap ? gap : worst_gap;
			n_opt += gap == 0;
		}
		/* greedy + improvement: never worse, at most k sites, within 2 % of the optimum;
		 * ordering the greedy set gives the greedy order back */
		uint32_t imp_set[64];
		size_t ni = g.n_chosen;
		memcpy(imp_set, g.chosen, ni * sizeof *imp_set);
		ws_siting_improve_max_cover(imp_set, &ni, &s, wp, k, &imp, &err);
		double got2 = ws_siting_covered_weight(&s, wp, imp_set, ni);
		if (got2 < got || ni > k || got2 > best || fabs(imp.after - got2) > 1e-9)
			ok(false, "instance %d: improvement %g from greedy %g (%zu sites), optimum %g", inst, got2, got,
			   ni, best);
		if (best > 0) {
			double gap = 100 * (best - got2) / best;
			imp_worst = gap > imp_worst ? gap : imp_worst;
			imp_opt += gap == 0;
			n_over_2 += gap > 2;
		}
		ws_siting_order(&ord, &s, wp, g.chosen, g.n_chosen, &err);
		if (!same_list(ord.chosen, ord.n_chosen, g.chosen, g.n_chosen))
			ok(false, "instance %d: the greedy set reordered differs from the greedy order", inst);
		ws_siting_finish(&ord);
		/* set covering on the same sets */
		struct ws_siting gc;
		ws_siting_greedy(&gc, &s, NULL, SIZE_MAX, &err);
		size_t nc = gc.n_chosen, opt_c = brute_cover(&s);
		memcpy(imp_set, gc.chosen, nc * sizeof *imp_set);
		ws_siting_improve_set_cover(imp_set, &nc, &s, &imp, &err);
		uint32_t every[16];
		for (size_t j = 0; j < nj; j++)
			every[j] = (uint32_t)j;
		if (ws_siting_covered_weight(&s, NULL, imp_set, nc) != ws_siting_covered_weight(&s, NULL, every, nj))
			ok(false, "instance %d: improved set cover misses a compound", inst);
		cover_greedy_over += gc.n_chosen > opt_c;
		cover_imp_over += nc > opt_c;
		ws_siting_finish(&gc);
		n_inst++;
		ws_siting_finish(&g);
		ws_cover_sets_finish(&s);
	}
	ok(true, "300 random instances: lazy greedy = plain greedy%s", glpk ? ", GLPK = brute force" : "");
	diag("random instances: greedy optimal on %d of %d, worst gap %.2f %%", n_opt, n_inst, worst_gap);
	diag("greedy + improvement optimal on %d of %d, worst gap %.2f %%", imp_opt, n_inst, imp_worst);
	diag("set covering: greedy above the optimum on %d, greedy + improvement on %d", cover_greedy_over,
	     cover_imp_over);
	is_int(n_over_2, 0, "greedy + improvement within 2 %% of the optimum on all 300 random instances");
	is_int(cover_imp_over, 0, "set covering: greedy + improvement optimal on all 300 random instances");

	/* 6. The exact check at a time limit: a random instance of 1500 candidates x 1000
	 *    compounds (sets of ~12), k = 40, cannot be solved in 1 ms. The report still gives
	 *    a best found (at least the heuristic answer handed in) and a bound above it. */
	if (glpk) {
		int *big = malloc(30000 * sizeof *big);
		int nb2 = 0;
		for (size_t j = 0; j < 1500; j++) {
			for (int t = 0; t < 12; t++) {
				seed = seed * 1103515245u + 12345u;
				big[nb2++] = (int)((j * 2 / 3 + (seed >> 16) % 40) % 1000);
			}
			big[nb2++] = -1;
		}
		/* sorted, distinct lists as cover sets are */
		for (int a = 0, b; a < nb2; a = b + 1) {
			for (b = a; big[b] >= 0; b++)
				;
			for (int i = a + 1; i < b; i++)
				for (int q = i; q > a && big[q - 1] > big[q]; q--) {
					int tmp = big[q];
					big[q] = big[q - 1];
					big[q - 1] = tmp;
				}
		}
		int nd = 0;
		for (int i = 0; i < nb2; i++)
			if (big[i] < 0 || nd == 0 || big[nd - 1] != big[i])
				big[nd++] = big[i];
		s = make(1000, 1500, big);
		free(big);
		ws_siting_greedy(&g, &s, NULL, 40, &err);
		uint32_t sol[64];
		size_t ns = g.n_chosen;
		memcpy(sol, g.chosen, ns * sizeof *sol);
		ws_siting_improve_max_cover(sol, &ns, &s, NULL, 40, &imp, &err);
		double heur = ws_siting_covered_weight(&s, NULL, sol, ns);
		ok(ws_ilp_max_cover(&x, &s, NULL, 40, sol, ns, 0.001, &err), "GLPK with a 1 ms limit runs");
		is_int(x.status, WS_ILP_TIME_LIMIT, "stopped at the time limit");
		ok(x.objective >= heur, "best found %g >= the heuristic answer %g", x.objective, heur);
		ok(x.bound >= x.objective && isfinite(x.bound), "bound %g >= best found", x.bound);
		ok(x.bound <= 1000, "bound at most the coverable compounds");
		diag("1 ms: greedy %g, improved %g, best found %g, bound %g", g.gain ? ws_siting_covered_weight(&s, NULL, g.chosen, g.n_chosen) : 0,
		     heur, x.objective, x.bound);
		ws_ilp_finish(&x);
		ws_siting_finish(&g);
		ws_cover_sets_finish(&s);
	}
	return done();
}
