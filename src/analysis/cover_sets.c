/* Invariant: every set is decided by the forward rule (candidate snap + path + access
 * snap <= limit, added in that order); the reverse search only proves pairs that are
 * farther than WS_COVER_EPS_M from the limit (rounding differences between the two
 * directions are ~1e-10 m), so the sets never depend on the search direction, and never
 * on the thread count: each search writes only its own slot. */
#include "cover_sets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* node -> (item, offset) entries, CSR over the graph's nodes */
struct at_node {
	size_t *first;
	uint32_t *item;
	double *offset_m;
};

static void at_node_finish(struct at_node *at)
{
	free(at->first);
	free(at->item);
	free(at->offset_m);
}

/* The seeds of every source s with (use == NULL || use[s]). */
static bool at_node_build(struct at_node *at, uint32_t n_nodes, const struct ws_route_sources *src,
			  const bool *use, struct ws_error *err)
{
	size_t n = src->first[src->n];
	at->first = calloc((size_t)n_nodes + 2, sizeof *at->first);
	at->item = malloc((n + 1) * sizeof *at->item);
	at->offset_m = malloc((n + 1) * sizeof *at->offset_m);
	if (!at->first || !at->item || !at->offset_m) {
		at_node_finish(at);
		return ws_error_nomem(err);
	}
	for (size_t s = 0; s < src->n; s++)
		if (!use || use[s])
			for (size_t k = src->first[s]; k < src->first[s + 1]; k++)
				if (src->seeds[k].node != WS_NO_NODE)
					at->first[src->seeds[k].node + 1]++;
	for (uint32_t v = 0; v < n_nodes; v++)
		at->first[v + 1] += at->first[v];
	for (size_t s = 0; s < src->n; s++)
		if (!use || use[s])
			for (size_t k = src->first[s]; k < src->first[s + 1]; k++) {
				uint32_t v = src->seeds[k].node;
				if (v == WS_NO_NODE)
					continue;
				size_t slot = at->first[v]++;
				at->item[slot] = (uint32_t)s;
				at->offset_m[slot] = src->seeds[k].offset_m;
			}
	memmove(at->first + 1, at->first, (size_t)n_nodes * sizeof *at->first);
	at->first[0] = 0;
	return true;
}

/* The sources listed in `which` (n), as a new contiguous set. */
struct sub_sources {
	size_t *first;
	struct ws_route_seed *seeds;
	struct ws_route_sources src;
};

static bool sub_sources_build(struct sub_sources *sub, const struct ws_route_sources *src,
			      const uint32_t *which, size_t n, struct ws_error *err)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += src->first[which[i] + 1] - src->first[which[i]];
	sub->first = malloc((n + 1) * sizeof *sub->first);
	sub->seeds = malloc((total + 1) * sizeof *sub->seeds);
	if (!sub->first || !sub->seeds) {
		free(sub->first);
		free(sub->seeds);
		return ws_error_nomem(err);
	}
	size_t k = 0;
	sub->first[0] = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = src->first[which[i]]; j < src->first[which[i] + 1]; j++)
			sub->seeds[k++] = src->seeds[j];
		sub->first[i + 1] = k;
	}
	sub->src = (struct ws_route_sources){n, sub->first, sub->seeds};
	return true;
}

static void sub_sources_finish(struct sub_sources *sub)
{
	free(sub->first);
	free(sub->seeds);
}

/* One search per source of `src` (n may be large) in batches, reporting progress. */
struct batch {
	const struct ws_graph *g;
	double limit_m;
	int threads;
	ws_progress_fn progress;
	void *progress_ctx;
	size_t done, total;     /* progress over the whole computation */
};

struct batch_visit {
	ws_route_visit_fn visit;
	void *ctx;
	size_t base;
};

static bool visit_shifted(void *vctx, int thread, size_t source, const struct ws_route_workspace *ws,
			  size_t n_reached, const uint32_t *nodes, const double *dist_m,
			  struct ws_error *err)
{
	struct batch_visit *b = vctx;
	return b->visit(b->ctx, thread, b->base + source, ws, n_reached, nodes, dist_m, err);
}

static bool run_batches(struct batch *b, const struct ws_route_sources *src, ws_route_visit_fn visit,
			void *ctx, struct ws_error *err)
{
	size_t step = src->n;
	if (b->progress) {
		step = src->n / 100 + 1;
		if (step < 64)
			step = 64;
	}
	int n_threads = ws_route_thread_count(b->threads);
	struct ws_route_workspace **wss = calloc((size_t)n_threads, sizeof *wss);
	bool ok = wss != NULL || ws_error_nomem(err);
	for (int t = 0; ok && t < n_threads; t++)
		ok = (wss[t] = ws_route_workspace_create(b->g, err)) != NULL;
	for (size_t start = 0; ok && start < src->n; start += step) {
		size_t n = src->n - start < step ? src->n - start : step;
		struct ws_route_sources part = {n, src->first + start, src->seeds};
		struct batch_visit bv = {visit, ctx, start};
		ok = ws_route_each_source_in(b->g, &part, b->limit_m, b->threads, wss, visit_shifted, &bv, err);
		b->done += n;
		if (ok && b->progress)
			b->progress(b->progress_ctx, b->done, b->total);
	}
	for (int t = 0; wss && t < n_threads; t++)
		ws_route_workspace_destroy(wss[t]);
	free(wss);
	return ok;
}

/* per-thread scratch: a stamp per item and a list of touched items */
struct scratch {
	int n_threads;
	uint32_t **stamp, *now;
	uint32_t **touched;
	double **best;
};

static void scratch_finish(struct scratch *s)
{
	for (int t = 0; s->stamp && t < s->n_threads; t++) {
		free(s->stamp[t]);
		free(s->touched[t]);
		free(s->best[t]);
	}
	free(s->stamp);
	free(s->touched);
	free(s->best);
	free(s->now);
}

static bool scratch_init(struct scratch *s, int n_threads, size_t n_items, struct ws_error *err)
{
	memset(s, 0, sizeof *s);
	s->n_threads = n_threads;
	s->stamp = calloc((size_t)n_threads, sizeof *s->stamp);
	s->touched = calloc((size_t)n_threads, sizeof *s->touched);
	s->best = calloc((size_t)n_threads, sizeof *s->best);
	s->now = calloc((size_t)n_threads, sizeof *s->now);
	if (!s->stamp || !s->touched || !s->best || !s->now) {
		scratch_finish(s);
		return ws_error_nomem(err);
	}
	for (int t = 0; t < n_threads; t++) {
		s->stamp[t] = calloc(n_items + 1, sizeof **s->stamp);
		s->touched[t] = malloc((n_items + 1) * sizeof **s->touched);
		s->best[t] = malloc((n_items + 1) * sizeof **s->best);
		if (!s->stamp[t] || !s->touched[t] || !s->best[t]) {
			scratch_finish(s);
			return ws_error_nomem(err);
		}
	}
	return true;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Per source of a search: the items met at the settled nodes with
 * dist + offset <= limit + slack, the smallest such sum each, in increasing item order. */
struct gather_ctx {
	const struct at_node *at;
	double limit_m;          /* the bound already includes any slack */
	struct scratch *sc;
	uint32_t **list;
	double **list_d;         /* NULL: distances not kept */
	size_t *list_n;
};

static bool visit_gather(void *vctx, int thread, size_t source, const struct ws_route_workspace *ws,
			 size_t n_reached, const uint32_t *nodes, const double *dist_m,
			 struct ws_error *err)
{
	(void)ws;
	struct gather_ctx *ctx = vctx;
	uint32_t *stamp = ctx->sc->stamp[thread], *touched = ctx->sc->touched[thread];
	double *best = ctx->sc->best[thread];
	uint32_t now = ++ctx->sc->now[thread];
	size_t n_touched = 0;
	for (size_t i = 0; i < n_reached; i++) {
		uint32_t v = nodes[i];
		for (size_t k = ctx->at->first[v]; k < ctx->at->first[v + 1]; k++) {
			double d = dist_m[i] + ctx->at->offset_m[k];
			if (!(d <= ctx->limit_m))
				continue;
			uint32_t c = ctx->at->item[k];
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
	uint32_t *l = malloc((n_touched + 1) * sizeof *l);
	double *ld = ctx->list_d ? malloc((n_touched + 1) * sizeof *ld) : NULL;
	if (!l || (ctx->list_d && !ld)) {
		free(l);
		free(ld);
		return ws_error_nomem(err);
	}
	for (size_t i = 0; i < n_touched; i++) {
		l[i] = touched[i];
		if (ld)
			ld[i] = best[touched[i]];
	}
	ctx->list[source] = l;
	if (ld)
		ctx->list_d[source] = ld;
	ctx->list_n[source] = n_touched;
	return true;
}

/* Forward searches from the candidates in `which`; out[i] / out_n[i] get the covered
 * targets of which[i] (malloc'd). */
static bool forward_sets(struct batch *b, const struct ws_route_sources *candidates,
			 const struct ws_route_sources *compounds, const bool *target,
			 const uint32_t *which, size_t n, uint32_t **out, size_t *out_n,
			 struct ws_error *err)
{
	struct at_node at = {0};
	struct sub_sources sub = {0};
	struct scratch sc = {0};
	bool ok = at_node_build(&at, b->g->n_nodes, compounds, target, err) &&
		  sub_sources_build(&sub, candidates, which, n, err) &&
		  scratch_init(&sc, ws_route_thread_count(b->threads), compounds->n, err);
	if (ok) {
		struct gather_ctx ctx = {&at, b->limit_m, &sc, out, NULL, out_n};
		ok = run_batches(b, &sub.src, visit_gather, &ctx, err);
	}
	scratch_finish(&sc);
	sub_sources_finish(&sub);
	at_node_finish(&at);
	return ok;
}

void ws_cover_sets_finish(struct ws_cover_sets *cs)
{
	if (!cs)
		return;
	free(cs->first);
	free(cs->compound);
	memset(cs, 0, sizeof *cs);
}

static void free_lists(uint32_t **l, double **d, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		free(l[i]);
	for (size_t i = 0; d && i < n; i++)
		free(d[i]);
	free(l);
	free(d);
}

bool ws_cover_sets_compute(struct ws_cover_sets *cs, const struct ws_graph *g,
			   const struct ws_route_sources *candidates,
			   const struct ws_route_sources *compounds, const bool *target,
			   const bool *allowed, double limit_m, enum ws_cover_search mode, int threads,
			   ws_progress_fn progress, void *progress_ctx, struct ws_error *err)
{
	memset(cs, 0, sizeof *cs);
	size_t nj = candidates->n, nk = compounds->n;
	cs->n_candidates = nj;
	cs->n_compounds = nk;
	bool ok = false;
	uint32_t *cand_list = malloc((nj + 1) * sizeof *cand_list);
	uint32_t *targ_list = malloc((nk + 1) * sizeof *targ_list);
	uint32_t **lists = calloc(nj + 1, sizeof *lists);
	size_t *list_n = calloc(nj + 1, sizeof *list_n);
	uint32_t **rev = NULL, *recheck = NULL, **re_lists = NULL;
	double **rev_d = NULL;
	size_t *rev_n = NULL, *re_n = NULL;
	size_t n_cand = 0, n_targ = 0, n_re = 0;
	if (!cand_list || !targ_list || !lists || !list_n) {
		ws_error_nomem(err);
		goto done;
	}
	/* only candidates that can cover anything: allowed and snapped */
	for (size_t j = 0; j < nj; j++)
		if ((!allowed || allowed[j]) && candidates->first[j + 1] > candidates->first[j])
			cand_list[n_cand++] = (uint32_t)j;
	for (size_t c = 0; c < nk; c++)
		if ((!target || target[c]) && compounds->first[c + 1] > compounds->first[c])
			targ_list[n_targ++] = (uint32_t)c;
	if (mode == WS_COVER_AUTO)
		mode = n_targ < n_cand ? WS_COVER_REVERSE : WS_COVER_FORWARD;
	cs->used = mode;
	struct batch b = {g, limit_m, threads, progress, progress_ctx, 0, 0};

	if (n_cand == 0 || n_targ == 0) {
		/* nothing to search */
	} else if (mode == WS_COVER_FORWARD) {
		uint32_t **out = calloc(n_cand + 1, sizeof *out);
		size_t *out_n = calloc(n_cand + 1, sizeof *out_n);
		b.total = n_cand;
		if (!out || !out_n) {
			free(out);
			free(out_n);
			ws_error_nomem(err);
			goto done;
		}
		bool fwd = forward_sets(&b, candidates, compounds, target, cand_list, n_cand, out, out_n, err);
		for (size_t i = 0; i < n_cand; i++) {
			lists[cand_list[i]] = out[i];
			list_n[cand_list[i]] = out_n[i];
		}
		free(out);
		free(out_n);
		cs->n_searches = n_cand;
		if (!fwd)
			goto done;
	} else {
		struct at_node at = {0};
		struct sub_sources sub = {0};
		struct scratch sc = {0};
		rev = calloc(n_targ + 1, sizeof *rev);
		rev_d = calloc(n_targ + 1, sizeof *rev_d);
		rev_n = calloc(n_targ + 1, sizeof *rev_n);
		bool *flag = calloc(nj + 1, sizeof *flag);
		size_t *count = calloc(nj + 1, sizeof *count);
		b.total = n_targ;
		bool r = rev && rev_d && rev_n && flag && count;
		if (!r)
			ws_error_nomem(err);
		r = r && at_node_build(&at, g->n_nodes, candidates, allowed, err) &&
		    sub_sources_build(&sub, compounds, targ_list, n_targ, err) &&
		    scratch_init(&sc, ws_route_thread_count(threads), nj, err);
		if (r) {
			b.limit_m = limit_m + WS_COVER_EPS_M;
			struct gather_ctx ctx = {&at, b.limit_m, &sc, rev, rev_d, rev_n};
			r = run_batches(&b, &sub.src, visit_gather, &ctx, err);
			b.limit_m = limit_m;
		}
		scratch_finish(&sc);
		sub_sources_finish(&sub);
		at_node_finish(&at);
		cs->n_searches = n_targ;
		/* transpose in compound order: each candidate's list comes out increasing */
		for (size_t t = 0; r && t < n_targ; t++)
			for (size_t i = 0; i < rev_n[t]; i++) {
				uint32_t j = rev[t][i];
				if (rev_d[t][i] > limit_m - WS_COVER_EPS_M) {
					if (!flag[j])
						n_re++;
					flag[j] = true;
				}
				count[j]++;
			}
		for (size_t j = 0; r && j < nj; j++) {
			if (!count[j] || flag[j])
				continue;
			if (!(lists[j] = malloc(count[j] * sizeof **lists))) {
				r = ws_error_nomem(err);
				break;
			}
		}
		for (size_t t = 0; r && t < n_targ; t++)
			for (size_t i = 0; i < rev_n[t]; i++) {
				uint32_t j = rev[t][i];
				if (!flag[j])
					lists[j][list_n[j]++] = targ_list[t];
			}
		/* re-decide the candidates with a pair near the limit, forward */
		if (r && n_re) {
			recheck = malloc(n_re * sizeof *recheck);
			re_lists = calloc(n_re, sizeof *re_lists);
			re_n = calloc(n_re, sizeof *re_n);
			if (!recheck || !re_lists || !re_n)
				r = ws_error_nomem(err);
			size_t k = 0;
			for (size_t j = 0; r && j < nj; j++)
				if (flag[j])
					recheck[k++] = (uint32_t)j;
			b.total += n_re;
			r = r && forward_sets(&b, candidates, compounds, target, recheck, n_re, re_lists, re_n, err);
			for (size_t i = 0; r && i < n_re; i++) {
				lists[recheck[i]] = re_lists[i];
				list_n[recheck[i]] = re_n[i];
				re_lists[i] = NULL;
			}
			cs->n_rechecked = n_re;
			cs->n_searches += n_re;
		}
		free(flag);
		free(count);
		if (!r)
			goto done;
	}

	cs->first = malloc((nj + 1) * sizeof *cs->first);
	size_t total = 0;
	for (size_t j = 0; j < nj; j++)
		total += list_n[j];
	cs->compound = malloc((total + 1) * sizeof *cs->compound);
	if (!cs->first || !cs->compound) {
		ws_error_nomem(err);
		goto done;
	}
	cs->first[0] = 0;
	for (size_t j = 0; j < nj; j++) {
		if (list_n[j])
			memcpy(cs->compound + cs->first[j], lists[j], list_n[j] * sizeof *cs->compound);
		cs->first[j + 1] = cs->first[j] + list_n[j];
	}
	ok = true;
done:
	free_lists(lists, NULL, nj);
	free_lists(rev, rev_d, rev ? n_targ : 0);
	free_lists(re_lists, NULL, re_lists ? n_re : 0);
	free(rev_n);
	free(re_n);
	free(recheck);
	free(list_n);
	free(cand_list);
	free(targ_list);
	if (!ok)
		ws_cover_sets_finish(cs);
	return ok;
}
