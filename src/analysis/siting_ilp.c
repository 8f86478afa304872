/* GLPK models of siting_ilp.h. Invariant: column j of the model is candidate
 * model_cand[j]; rows follow the compounds in increasing index. */
#include "siting_ilp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/siting.h"
#include "ws_config.h"

#ifdef WS_HAVE_GLPK
#include <glpk.h>
#endif

void ws_ilp_finish(struct ws_ilp *r)
{
	if (!r)
		return;
	free(r->chosen);
	memset(r, 0, sizeof *r);
}

bool ws_ilp_available(void)
{
#ifdef WS_HAVE_GLPK
	return true;
#else
	return false;
#endif
}

#ifdef WS_HAVE_GLPK

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Candidates with a non-empty set, one per distinct set (the lowest index), in
 * increasing index; rep[j] = the representative of candidate j (UINT32_MAX: empty set). */
struct set_key {
	uint64_t hash;
	size_t size;
	uint32_t j;
};

static int compare_keys(const void *pa, const void *pb)
{
	const struct set_key *a = pa, *b = pb;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

static bool same_set(const struct ws_cover_sets *s, uint32_t a, uint32_t b)
{
	size_t n = ws_cover_sets_size(s, a);
	return n == ws_cover_sets_size(s, b) &&
	       !memcmp(s->compound + s->first[a], s->compound + s->first[b], n * sizeof *s->compound);
}

static bool distinct_candidates(const struct ws_cover_sets *sets, uint32_t **cols, size_t *n_cols,
				uint32_t **rep, struct ws_error *err)
{
	size_t nj = sets->n_candidates, m = 0;
	struct set_key *keys = malloc((nj + 1) * sizeof *keys);
	*cols = malloc((nj + 1) * sizeof **cols);
	*rep = malloc((nj + 1) * sizeof **rep);
	if (!keys || !*cols || !*rep) {
		free(keys);
		free(*cols);
		free(*rep);
		return ws_error_nomem(err);
	}
	for (size_t j = 0; j < nj; j++) {
		(*rep)[j] = UINT32_MAX;
		size_t n = ws_cover_sets_size(sets, j);
		if (!n)
			continue;
		uint64_t h = 1469598103934665603ull;   /* FNV-1a over the compound indices */
		for (size_t t = sets->first[j]; t < sets->first[j + 1]; t++) {
			h ^= sets->compound[t];
			h *= 1099511628211ull;
		}
		keys[m++] = (struct set_key){h, n, (uint32_t)j};
	}
	qsort(keys, m, sizeof *keys, compare_keys);
	for (size_t i = 0; i < m; i++) {
		uint32_t j = keys[i].j;
		(*rep)[j] = j;
		/* earlier members of the same (hash, size) run have lower indices */
		for (size_t p = i; p-- > 0 && keys[p].hash == keys[i].hash && keys[p].size == keys[i].size;)
			if ((*rep)[keys[p].j] == keys[p].j && same_set(sets, keys[p].j, j)) {
				(*rep)[j] = keys[p].j;
				break;
			}
	}
	free(keys);
	size_t k = 0;
	for (size_t j = 0; j < nj; j++)
		if ((*rep)[j] == j)
			(*cols)[k++] = (uint32_t)j;
	*n_cols = k;
	return true;
}

static int compare_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return a < b ? -1 : a > b;
}

struct solve_ctx {
	const double *start;      /* 1-based column values of the greedy solution, or NULL */
	bool start_given;
	double bound;
	bool have_bound;
};

static void callback(glp_tree *tree, void *info)
{
	struct solve_ctx *ctx = info;
	int p = glp_ios_best_node(tree);
	if (p) {
		double b = glp_ios_node_bound(tree, p);   /* +-DBL_MAX before the node's LP is solved */
		if (fabs(b) < 1e300) {
			ctx->bound = b;
			ctx->have_bound = true;
		}
	}
	if (glp_ios_reason(tree) == GLP_IHEUR && ctx->start && !ctx->start_given) {
		ctx->start_given = true;
		glp_ios_heur_sol(tree, ctx->start);
	}
}

/* Solves `lp` (columns 1..n_x are the candidates `cols`); fills r. */
static bool solve(struct ws_ilp *r, glp_prob *lp, const uint32_t *cols, size_t n_x,
		  const double *start, double time_limit_s, struct ws_error *err)
{
	double t0 = now_s();
	int limit_ms = time_limit_s * 1000 > 2e9 ? 2000000000 : (int)(time_limit_s * 1000);
	if (limit_ms < 1)
		limit_ms = 1;   /* GLPK reads 0 as "stop at once" */
	glp_term_out(GLP_OFF);
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.tm_lim = limit_ms;
	int rc = glp_simplex(lp, &sm);
	r->n_rows = (size_t)glp_get_num_rows(lp);
	r->n_cols = (size_t)glp_get_num_cols(lp);
	if (rc == GLP_ETMLIM) {
		r->status = WS_ILP_TIME_LIMIT;
		r->objective = r->bound = NAN;
		snprintf(r->note, sizeof r->note, "the LP relaxation did not finish within %g s", time_limit_s);
		r->time_s = now_s() - t0;
		return true;
	}
	if (rc != 0 || glp_get_status(lp) != GLP_OPT) {
		r->status = WS_ILP_FAILED;
		snprintf(r->note, sizeof r->note, "GLPK simplex failed (code %d)", rc);
		r->time_s = now_s() - t0;
		return true;
	}
	struct solve_ctx ctx = {start, false, 0, false};
	glp_iocp io;
	glp_init_iocp(&io);
	io.msg_lev = GLP_MSG_OFF;
	io.cb_func = callback;
	io.cb_info = &ctx;
	int left_ms = limit_ms - (int)((now_s() - t0) * 1000);
	io.tm_lim = left_ms > 1 ? left_ms : 1;
	rc = glp_intopt(lp, &io);
	int st = glp_mip_status(lp);
	if ((rc == 0 && st == GLP_OPT) || (rc == GLP_ETMLIM && st == GLP_FEAS) || (rc == GLP_ETMLIM && st == GLP_OPT)) {
		r->status = rc == 0 ? WS_ILP_OPTIMAL : WS_ILP_TIME_LIMIT;
		r->objective = glp_mip_obj_val(lp);
		r->bound = r->status == WS_ILP_OPTIMAL ? r->objective : ctx.have_bound ? ctx.bound : NAN;
		r->chosen = malloc((n_x + 1) * sizeof *r->chosen);
		if (!r->chosen)
			return ws_error_nomem(err);
		for (size_t j = 0; j < n_x; j++)
			if (glp_mip_col_val(lp, (int)j + 1) > 0.5)
				r->chosen[r->n_chosen++] = cols[j];
	} else if (rc == GLP_ETMLIM) {
		r->status = WS_ILP_TIME_LIMIT;
		r->objective = NAN;
		r->bound = ctx.have_bound ? ctx.bound : NAN;
		snprintf(r->note, sizeof r->note, "no integer solution within %g s", time_limit_s);
	} else {
		r->status = WS_ILP_FAILED;
		snprintf(r->note, sizeof r->note, "GLPK branch-and-bound failed (code %d, status %d)", rc, st);
	}
	r->time_s = now_s() - t0;
	return true;
}

/* At the time limit: the best found is at least the start (the heuristic answer, which
 * GLPK may not have taken in yet), and the bound is at worst the trivial one (maximal
 * covering: all coverable weight; set covering: coverable compounds / largest set,
 * rounded up). */
static bool keep_start(struct ws_ilp *r, const struct ws_cover_sets *sets, const double *weight, bool max_cover,
		       const uint32_t *cols, size_t n_x, const uint32_t *start, size_t n_start,
		       struct ws_error *err)
{
	if (start && n_start) {
		double v = max_cover ? ws_siting_covered_weight(sets, weight, start, n_start) : (double)n_start;
		bool better = isnan(r->objective) || (max_cover ? v > r->objective : v < r->objective);
		if (better) {
			uint32_t *ch = malloc((n_start + 1) * sizeof *ch);
			if (!ch)
				return ws_error_nomem(err);
			memcpy(ch, start, n_start * sizeof *ch);
			qsort(ch, n_start, sizeof *ch, compare_u32);
			free(r->chosen);
			r->chosen = ch;
			r->n_chosen = n_start;
			r->objective = v;
			snprintf(r->note, sizeof r->note, "best found: walkshed's heuristic answer");
		}
	}
	{
		size_t largest = 0;
		for (size_t j = 0; j < n_x; j++)
			if (ws_cover_sets_size(sets, cols[j]) > largest)
				largest = ws_cover_sets_size(sets, cols[j]);
		uint32_t *all = malloc((n_x + 1) * sizeof *all);
		if (!all)
			return ws_error_nomem(err);
		memcpy(all, cols, n_x * sizeof *all);
		double cov = ws_siting_covered_weight(sets, max_cover ? weight : NULL, all, n_x);
		free(all);
		double trivial = max_cover ? cov : largest ? ceil(cov / (double)largest) : 0;
		if (isnan(r->bound) || (max_cover ? trivial < r->bound : trivial > r->bound))
			r->bound = trivial;
	}
	return true;
}

/* Rows: one per compound covered by some column, increasing compound index.
 * row_of[c] = row number (1-based) or 0. */
static int *compound_rows(const struct ws_cover_sets *sets, const uint32_t *cols, size_t n_cols,
			  const double *weight, size_t *n_rows)
{
	int *row_of = calloc(sets->n_compounds + 1, sizeof *row_of);
	if (!row_of)
		return NULL;
	for (size_t i = 0; i < n_cols; i++)
		for (size_t t = sets->first[cols[i]]; t < sets->first[cols[i] + 1]; t++) {
			uint32_t c = sets->compound[t];
			if (!weight || weight[c] > 0)
				row_of[c] = 1;
		}
	int k = 0;
	for (size_t c = 0; c < sets->n_compounds; c++)
		if (row_of[c])
			row_of[c] = ++k;
	*n_rows = (size_t)k;
	return row_of;
}

static bool run_model(struct ws_ilp *r, const struct ws_cover_sets *sets, const double *weight,
		      bool max_cover, size_t k, const uint32_t *greedy, size_t n_greedy,
		      double time_limit_s, struct ws_error *err)
{
	memset(r, 0, sizeof *r);
	if (!(time_limit_s > 0)) {
		r->status = WS_ILP_SKIPPED;
		return true;
	}
	uint32_t *cols = NULL, *rep = NULL;
	size_t n_x = 0, n_rows = 0;
	int *row_of = NULL, *ia = NULL, *ja = NULL;
	double *ar = NULL, *start = NULL;
	glp_prob *lp = NULL;
	bool ok = false;
	if (!distinct_candidates(sets, &cols, &n_x, &rep, err))
		return false;
	if (!(row_of = compound_rows(sets, cols, n_x, max_cover ? weight : NULL, &n_rows))) {
		ws_error_nomem(err);
		goto done;
	}
	size_t nnz = 0;
	for (size_t i = 0; i < n_x; i++)
		nnz += ws_cover_sets_size(sets, cols[i]);
	nnz += max_cover ? n_rows + n_x : 0;
	size_t n_cols_all = n_x + (max_cover ? n_rows : 0);
	ia = malloc((nnz + 1) * sizeof *ia);
	ja = malloc((nnz + 1) * sizeof *ja);
	ar = malloc((nnz + 1) * sizeof *ar);
	start = calloc(n_cols_all + 1, sizeof *start);
	if (!ia || !ja || !ar || !start) {
		ws_error_nomem(err);
		goto done;
	}
	if (n_x == 0 || n_rows == 0) {
		/* nothing any candidate can add */
		r->status = WS_ILP_OPTIMAL;
		ok = true;
		goto done;
	}
	lp = glp_create_prob();
	glp_set_obj_dir(lp, max_cover ? GLP_MAX : GLP_MIN);
	glp_add_rows(lp, (int)n_rows + (max_cover ? 1 : 0));
	glp_add_cols(lp, (int)n_cols_all);
	for (size_t j = 0; j < n_x; j++) {
		glp_set_col_kind(lp, (int)j + 1, GLP_BV);
		glp_set_obj_coef(lp, (int)j + 1, max_cover ? 0 : 1);
	}
	size_t e = 0;
	for (size_t i = 0; i < n_rows; i++) {
		if (max_cover)
			glp_set_row_bnds(lp, (int)i + 1, GLP_UP, 0, 0);   /* y_i - sum x_j <= 0 */
		else
			glp_set_row_bnds(lp, (int)i + 1, GLP_LO, 1, 0);   /* sum x_j >= 1 */
	}
	for (size_t j = 0; j < n_x; j++)
		for (size_t t = sets->first[cols[j]]; t < sets->first[cols[j] + 1]; t++) {
			int row = row_of[sets->compound[t]];
			if (!row)
				continue;
			e++;
			ia[e] = row;
			ja[e] = (int)j + 1;
			ar[e] = max_cover ? -1 : 1;
		}
	if (max_cover) {
		for (size_t c = 0; c < sets->n_compounds; c++) {
			int row = row_of[c];
			if (!row)
				continue;
			int col = (int)n_x + row;
			glp_set_col_kind(lp, col, GLP_CV);
			glp_set_col_bnds(lp, col, GLP_DB, 0, 1);
			glp_set_obj_coef(lp, col, weight ? weight[c] : 1);
			e++;
			ia[e] = row;
			ja[e] = col;
			ar[e] = 1;
		}
		int budget = (int)n_rows + 1;
		glp_set_row_bnds(lp, budget, GLP_UP, 0, (double)k);
		for (size_t j = 0; j < n_x; j++) {
			e++;
			ia[e] = budget;
			ja[e] = (int)j + 1;
			ar[e] = 1;
		}
	}
	glp_load_matrix(lp, (int)e, ia, ja, ar);
	/* the greedy solution as the first incumbent */
	const double *start_arg = NULL;
	if (greedy && n_greedy && (!max_cover || n_greedy <= k)) {
		size_t *col_of = NULL;
		col_of = malloc((sets->n_candidates + 1) * sizeof *col_of);
		if (!col_of) {
			ws_error_nomem(err);
			goto done;
		}
		for (size_t j = 0; j < n_x; j++)
			col_of[cols[j]] = j + 1;
		for (size_t i = 0; i < n_greedy; i++) {
			uint32_t g = greedy[i];
			if (rep[g] == UINT32_MAX)
				continue;
			start[col_of[rep[g]]] = 1;
			for (size_t t = sets->first[g]; max_cover && t < sets->first[g + 1]; t++)
				if (row_of[sets->compound[t]])
					start[n_x + (size_t)row_of[sets->compound[t]]] = 1;
		}
		free(col_of);
		start_arg = start;
	}
	ok = solve(r, lp, cols, n_x, start_arg, time_limit_s, err);
	if (ok && r->status == WS_ILP_TIME_LIMIT)
		ok = keep_start(r, sets, max_cover ? weight : NULL, max_cover, cols, n_x, greedy, n_greedy, err);
done:
	if (lp)
		glp_delete_prob(lp);
	glp_free_env();
	free(cols);
	free(rep);
	free(row_of);
	free(ia);
	free(ja);
	free(ar);
	free(start);
	return ok;
}

bool ws_ilp_max_cover(struct ws_ilp *r, const struct ws_cover_sets *sets, const double *weight,
		      size_t k, const uint32_t *greedy, size_t n_greedy, double time_limit_s,
		      struct ws_error *err)
{
	return run_model(r, sets, weight, true, k, greedy, n_greedy, time_limit_s, err);
}

bool ws_ilp_set_cover(struct ws_ilp *r, const struct ws_cover_sets *sets, const uint32_t *greedy,
		      size_t n_greedy, double time_limit_s, struct ws_error *err)
{
	return run_model(r, sets, NULL, false, SIZE_MAX, greedy, n_greedy, time_limit_s, err);
}

#else

bool ws_ilp_max_cover(struct ws_ilp *r, const struct ws_cover_sets *sets, const double *weight,
		      size_t k, const uint32_t *greedy, size_t n_greedy, double time_limit_s,
		      struct ws_error *err)
{
	(void)sets, (void)weight, (void)k, (void)greedy, (void)n_greedy, (void)err;
	memset(r, 0, sizeof *r);
	r->status = time_limit_s > 0 ? WS_ILP_UNAVAILABLE : WS_ILP_SKIPPED;
	return true;
}

bool ws_ilp_set_cover(struct ws_ilp *r, const struct ws_cover_sets *sets, const uint32_t *greedy,
		      size_t n_greedy, double time_limit_s, struct ws_error *err)
{
	return ws_ilp_max_cover(r, sets, NULL, 0, greedy, n_greedy, time_limit_s, err);
}

#endif
