/* Two searches give the figures: one exact multi-source search over the whole graph
 * yields each compound's reach and nearest center however far it is; one bounded search
 * per center (in parallel) yields which compounds each center reaches within the limit.
 * Both add the same terms in the same order (center snap, arcs, access snap), so a
 * compound is covered exactly when some center lists it: this is checked. */
#include "coverage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* node -> (compound, access index, snap) entries, CSR */
struct access_at_node {
	uint64_t *any;   /* bit v: node v holds an entry (small enough to stay in cache) */
	size_t *first;
	uint32_t *compound;
	uint32_t *access;
	double *offset_m;
};

struct visit_ctx {
	const struct ws_route_sources *access;
	const struct access_at_node *at;
	const bool *use_center;
	double limit_m;
	size_t n_compounds;
	/* per thread scratch: best distance per compound with a stamp */
	double **best;
	uint32_t **stamp;
	uint32_t **touched;
	uint32_t *stamp_value;
	/* per center results */
	uint32_t **list_compound;
	double **list_dist;
	size_t *list_n;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool visit_center(void *vctx, int thread, size_t source, const struct ws_route_workspace *ws,
			 size_t n_reached, const uint32_t *nodes, const double *dist_m,
			 struct ws_error *err)
{
	(void)ws;
	struct visit_ctx *ctx = vctx;
	if (ctx->use_center && !ctx->use_center[source])
		return true;
	double *best = ctx->best[thread];
	uint32_t *stamp = ctx->stamp[thread];
	uint32_t *touched = ctx->touched[thread];
	uint32_t now = ++ctx->stamp_value[thread];
	size_t n_touched = 0;
	for (size_t i = 0; i < n_reached; i++) {
		uint32_t v = nodes[i];
		if (!(ctx->at->any[v >> 6] >> (v & 63) & 1))
			continue;
		for (size_t k = ctx->at->first[v]; k < ctx->at->first[v + 1]; k++) {
			double d = dist_m[i] + ctx->at->offset_m[k];
			if (!(d <= ctx->limit_m))
				continue;
			uint32_t c = ctx->at->compound[k];
			if (stamp[c] != now) {
				stamp[c] = now;
				best[c] = d;
				touched[n_touched++] = c;
			} else if (d < best[c]) {
				best[c] = d;
			}
		}
	}
	qsort(touched, n_touched, sizeof *touched, compare_u32);
	uint32_t *lc = malloc((n_touched + 1) * sizeof *lc);
	double *ld = malloc((n_touched + 1) * sizeof *ld);
	if (!lc || !ld) {
		free(lc);
		free(ld);
		return ws_error_nomem(err);
	}
	for (size_t i = 0; i < n_touched; i++) {
		lc[i] = touched[i];
		ld[i] = best[touched[i]];
	}
	ctx->list_compound[source] = lc;
	ctx->list_dist[source] = ld;
	ctx->list_n[source] = n_touched;
	return true;
}

struct nearest_job {
	const struct ws_graph *g;
	const struct ws_route_sources *centers, *access;
	const bool *use_center;
	double *node_dist;
	uint32_t *node_src;
};

static bool run_nearest(void *vjob, struct ws_error *err)
{
	struct nearest_job *j = vjob;
	return ws_route_nearest_targets(j->g, j->centers, j->use_center, INFINITY, j->access,
					j->node_dist, j->node_src, err);
}

/* Reach and nearest center of every compound from the nearest-center labels of the
 * nodes: the smallest (distance, center) over its access points. */
static void reach_from_nodes(struct ws_coverage *cov, const struct ws_route_sources *access,
			     const double *node_dist, const uint32_t *node_src, double limit_m)
{
	for (size_t c = 0; c < access->n; c++) {
		struct ws_compound_reach *r = &cov->compound[c];
		r->reach_m = INFINITY;
		r->nearest = WS_NO_CENTER;
		r->access = 0;
		for (size_t k = access->first[c]; k < access->first[c + 1]; k++) {
			uint32_t v = access->seeds[k].node;
			if (v == WS_NO_NODE || node_src[v] == UINT32_MAX)
				continue;
			double d = node_dist[v] + access->seeds[k].offset_m;
			if (d < r->reach_m || (d == r->reach_m && node_src[v] < r->nearest)) {
				r->reach_m = d;
				r->nearest = node_src[v];
				r->access = (uint32_t)(k - access->first[c]);
			}
		}
		r->covered = r->reach_m <= limit_m;
	}
}

bool ws_coverage_reach(struct ws_coverage *cov, const struct ws_graph *g,
		       const struct ws_route_sources *centers, const struct ws_route_sources *access,
		       const bool *use_center, double limit_m, struct ws_error *err)
{
	memset(cov, 0, sizeof *cov);
	size_t nc = access->n, ns = centers->n;
	double *node_dist = malloc(((size_t)g->n_nodes + 1) * sizeof *node_dist);
	uint32_t *node_src = malloc(((size_t)g->n_nodes + 1) * sizeof *node_src);
	cov->n_compounds = nc;
	cov->n_centers = ns;
	cov->limit_m = limit_m;
	cov->compound = calloc(nc + 1, sizeof *cov->compound);
	cov->center_first = calloc(ns + 1, sizeof *cov->center_first);
	cov->center_compound = malloc(sizeof *cov->center_compound);
	cov->center_dist_m = malloc(sizeof *cov->center_dist_m);
	bool ok = node_dist && node_src && cov->compound && cov->center_first &&
		  cov->center_compound && cov->center_dist_m;
	if (!ok)
		ws_error_nomem(err);
	double t0 = now_s();
	ok = ok && ws_route_nearest_targets(g, centers, use_center, INFINITY, access, node_dist,
					    node_src, err);
	cov->time_route_s = now_s() - t0;
	if (ok)
		reach_from_nodes(cov, access, node_dist, node_src, limit_m);
	free(node_dist);
	free(node_src);
	if (!ok)
		ws_coverage_finish(cov);
	return ok;
}

bool ws_coverage_merge_min(struct ws_coverage *dst, const struct ws_coverage *const *parts,
			   size_t n_parts, double limit_m, struct ws_error *err)
{
	memset(dst, 0, sizeof *dst);
	size_t nc = n_parts ? parts[0]->n_compounds : 0, ns = n_parts ? parts[0]->n_centers : 0;
	dst->n_compounds = nc;
	dst->n_centers = ns;
	dst->limit_m = limit_m;
	dst->compound = calloc(nc + 1, sizeof *dst->compound);
	dst->center_first = calloc(ns + 1, sizeof *dst->center_first);
	dst->center_compound = malloc(sizeof *dst->center_compound);
	dst->center_dist_m = malloc(sizeof *dst->center_dist_m);
	if (!dst->compound || !dst->center_first || !dst->center_compound || !dst->center_dist_m) {
		ws_coverage_finish(dst);
		return ws_error_nomem(err);
	}
	for (size_t c = 0; c < nc; c++) {
		struct ws_compound_reach *r = &dst->compound[c];
		r->reach_m = INFINITY;
		r->nearest = WS_NO_CENTER;
		for (size_t p = 0; p < n_parts; p++) {
			const struct ws_compound_reach *q = &parts[p]->compound[c];
			if (q->nearest == WS_NO_CENTER)
				continue;
			if (q->reach_m < r->reach_m || (q->reach_m == r->reach_m && q->nearest < r->nearest))
				*r = *q;
		}
		r->n_within = 0;
		r->covered = r->reach_m <= limit_m;
	}
	return true;
}

void ws_coverage_finish(struct ws_coverage *cov)
{
	if (!cov)
		return;
	free(cov->compound);
	free(cov->center_first);
	free(cov->center_compound);
	free(cov->center_dist_m);
	memset(cov, 0, sizeof *cov);
}

bool ws_coverage_compute(struct ws_coverage *cov, const struct ws_graph *g,
			 const struct ws_route_sources *centers, const struct ws_route_sources *access,
			 const bool *use_center, double limit_m, int threads, struct ws_error *err)
{
	memset(cov, 0, sizeof *cov);
	bool ok = false;
	size_t nc = access->n, ns = centers->n;
	int n_threads = ws_route_thread_count(threads);
	struct access_at_node at = {0};
	struct visit_ctx ctx = {0};
	double *node_dist = malloc(((size_t)g->n_nodes + 1) * sizeof *node_dist);
	uint32_t *node_src = malloc(((size_t)g->n_nodes + 1) * sizeof *node_src);
	cov->n_compounds = nc;
	cov->n_centers = ns;
	cov->limit_m = limit_m;
	cov->compound = calloc(nc + 1, sizeof *cov->compound);
	cov->center_first = calloc(ns + 1, sizeof *cov->center_first);
	at.first = calloc((size_t)g->n_nodes + 2, sizeof *at.first);
	at.any = calloc((size_t)g->n_nodes / 64 + 1, sizeof *at.any);
	size_t n_seeds = access->first[nc];
	at.compound = malloc((n_seeds + 1) * sizeof *at.compound);
	at.access = malloc((n_seeds + 1) * sizeof *at.access);
	at.offset_m = malloc((n_seeds + 1) * sizeof *at.offset_m);
	if (!node_dist || !node_src || !cov->compound || !cov->center_first || !at.first || !at.any ||
	    !at.compound || !at.access || !at.offset_m) {
		ws_error_nomem(err);
		goto done;
	}

	/* 1. which compounds each center reaches within the limit, with beside it 2. the
	 * unbounded nearest-center search (only the access nodes are read) */
	for (size_t c = 0; c < nc; c++)
		for (size_t k = access->first[c]; k < access->first[c + 1]; k++)
			if (access->seeds[k].node != WS_NO_NODE)
				at.first[access->seeds[k].node + 1]++;
	for (uint32_t v = 0; v < g->n_nodes; v++)
		at.first[v + 1] += at.first[v];
	for (size_t c = 0; c < nc; c++)
		for (size_t k = access->first[c]; k < access->first[c + 1]; k++) {
			uint32_t v = access->seeds[k].node;
			if (v == WS_NO_NODE)
				continue;
			size_t slot = at.first[v]++;
			at.any[v >> 6] |= (uint64_t)1 << (v & 63);
			at.compound[slot] = (uint32_t)c;
			at.access[slot] = (uint32_t)(k - access->first[c]);
			at.offset_m[slot] = access->seeds[k].offset_m;
		}
	memmove(at.first + 1, at.first, (size_t)g->n_nodes * sizeof *at.first);
	at.first[0] = 0;

	ctx.access = access;
	ctx.at = &at;
	ctx.use_center = use_center;
	ctx.limit_m = limit_m;
	ctx.n_compounds = nc;
	ctx.best = calloc((size_t)n_threads, sizeof *ctx.best);
	ctx.stamp = calloc((size_t)n_threads, sizeof *ctx.stamp);
	ctx.touched = calloc((size_t)n_threads, sizeof *ctx.touched);
	ctx.stamp_value = calloc((size_t)n_threads, sizeof *ctx.stamp_value);
	ctx.list_compound = calloc(ns + 1, sizeof *ctx.list_compound);
	ctx.list_dist = calloc(ns + 1, sizeof *ctx.list_dist);
	ctx.list_n = calloc(ns + 1, sizeof *ctx.list_n);
	if (!ctx.best || !ctx.stamp || !ctx.touched || !ctx.stamp_value || !ctx.list_compound ||
	    !ctx.list_dist || !ctx.list_n) {
		ws_error_nomem(err);
		goto done;
	}
	for (int t = 0; t < n_threads; t++) {
		ctx.best[t] = malloc((nc + 1) * sizeof **ctx.best);
		ctx.stamp[t] = calloc(nc + 1, sizeof **ctx.stamp);
		ctx.touched[t] = malloc((nc + 1) * sizeof **ctx.touched);
		if (!ctx.best[t] || !ctx.stamp[t] || !ctx.touched[t]) {
			ws_error_nomem(err);
			goto done;
		}
	}
	struct nearest_job job = {g, centers, access, use_center, node_dist, node_src};
	double t0 = now_s();
	if (!ws_route_each_source_beside(g, centers, limit_m, threads, visit_center, &ctx,
					 run_nearest, &job, err))
		goto done;
	cov->time_route_s += now_s() - t0;

	reach_from_nodes(cov, access, node_dist, node_src, limit_m);

	/* 3. reduce in center order */
	size_t total = 0;
	for (size_t s = 0; s < ns; s++) {
		cov->center_first[s] = total;
		total += ctx.list_n[s];
	}
	cov->center_first[ns] = total;
	cov->center_compound = malloc((total + 1) * sizeof *cov->center_compound);
	cov->center_dist_m = malloc((total + 1) * sizeof *cov->center_dist_m);
	if (!cov->center_compound || !cov->center_dist_m) {
		ws_error_nomem(err);
		goto done;
	}
	for (size_t s = 0; s < ns; s++)
		for (size_t i = 0; i < ctx.list_n[s]; i++) {
			size_t k = cov->center_first[s] + i;
			uint32_t c = ctx.list_compound[s][i];
			cov->center_compound[k] = c;
			cov->center_dist_m[k] = ctx.list_dist[s][i];
			cov->compound[c].n_within++;
		}
	for (size_t c = 0; c < nc; c++)
		if (cov->compound[c].covered != (cov->compound[c].n_within > 0)) {
			ws_error_set(err, WS_ERR_INTERNAL,
				     "coverage: compound %zu: nearest-center and per-center searches disagree", c);
			goto done;
		}
	ok = true;
done:
	if (ctx.best)
		for (int t = 0; t < n_threads; t++) {
			free(ctx.best[t]);
			free(ctx.stamp[t]);
			free(ctx.touched[t]);
		}
	free(ctx.best);
	free(ctx.stamp);
	free(ctx.touched);
	free(ctx.stamp_value);
	if (ctx.list_compound)
		for (size_t s = 0; s < ns; s++) {
			free(ctx.list_compound[s]);
			free(ctx.list_dist[s]);
		}
	free(ctx.list_compound);
	free(ctx.list_dist);
	free(ctx.list_n);
	free(at.any);
	free(at.first);
	free(at.compound);
	free(at.access);
	free(at.offset_m);
	free(node_dist);
	free(node_src);
	if (!ok)
		ws_coverage_finish(cov);
	return ok;
}
