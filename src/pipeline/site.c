/* Invariant: every compound set here is decided with the same rule and limit as the
 * audit (SPEC 6), on the study's one graph, so "covered after adding site j" equals what
 * an audit with j as an extra center reports. */
#include "site.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/candidates.h"
#include "pipeline/select.h"

bool ws_site_generate_hook(void *ctx, const struct ws_study *st, double **xy, size_t *n,
			   struct ws_error *err)
{
	const struct ws_site_generate *g = ctx;
	const struct ws_shapes *k = &st->compounds_work;
	double area[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (size_t i = 0; i < k->n_points; i++) {
		area[0] = fmin(area[0], k->xy[2 * i]);
		area[1] = fmin(area[1], k->xy[2 * i + 1]);
		area[2] = fmax(area[2], k->xy[2 * i]);
		area[3] = fmax(area[3], k->xy[2 * i + 1]);
	}
	area[0] -= g->limit_m;
	area[1] -= g->limit_m;
	area[2] += g->limit_m;
	area[3] += g->limit_m;
	return ws_candidates_generate(&st->segs, g->spacing_m, area, xy, n, err);
}

void ws_site_finish(struct ws_site_run *r)
{
	if (!r)
		return;
	if (r->cand_id && r->cand)
		for (size_t j = 0; j < r->cand->n; j++)
			free(r->cand_id[j]);
	free(r->cand_id);
	free(r->cand_allowed);
	free(r->cand_first);
	free(r->cand_seeds);
	free(r->use_center);
	ws_coverage_finish(&r->base);
	free(r->target);
	free(r->weight);
	free(r->weight_missing);
	ws_cover_sets_finish(&r->sets);
	ws_siting_finish(&r->greedy);
	ws_siting_finish(&r->answer);
	free(r->unreachable);
	ws_ilp_finish(&r->exact);
	free(r->new_reach_m);
	memset(r, 0, sizeof *r);
}

/* ids of the read candidates come from the study (SPEC 1: --id-field, id, osm_id, FID);
 * generated candidates are named g0, g1... */
static bool make_candidate_ids(struct ws_site_run *r, struct ws_error *err)
{
	const struct ws_study *st = r->st;
	size_t n = r->cand->n;
	if (!(r->cand_id = calloc(n + 1, sizeof *r->cand_id)))
		return ws_error_nomem(err);
	for (size_t j = 0; j < n; j++) {
		char buf[40];
		const char *v = buf;
		if (r->generated)
			snprintf(buf, sizeof buf, "g%zu", j);
		else
			v = st->candidate_id[j];
		if (!(r->cand_id[j] = strdup(v)))
			return ws_error_nomem(err);
	}
	return true;
}

/* walk from each chosen site to the compounds it newly covers */
struct reach_ctx {
	const struct ws_site_run *r;
	double *out;
};

static bool visit_site(void *vctx, int thread, size_t source, const struct ws_route_workspace *ws,
		       size_t n_reached, const uint32_t *nodes, const double *dist_m,
		       struct ws_error *err)
{
	(void)thread, (void)n_reached, (void)nodes, (void)dist_m, (void)err;
	struct reach_ctx *ctx = vctx;
	const struct ws_site_run *r = ctx->r;
	const struct ws_route_sources *acc = &r->st->compound_src;
	for (size_t t = r->answer.new_first[source]; t < r->answer.new_first[source + 1]; t++) {
		uint32_t c = r->answer.new_compound[t];
		double best = INFINITY;
		for (size_t k = acc->first[c]; k < acc->first[c + 1]; k++) {
			double d = ws_route_distance(ws, acc->seeds[k].node) + acc->seeds[k].offset_m;
			if (d < best)
				best = d;
		}
		ctx->out[t] = best;
	}
	return true;
}

static double gap_pct(const struct ws_site_run *r, double g)
{
	if (r->exact.status != WS_ILP_OPTIMAL || !(r->exact.objective > 0))
		return NAN;
	double gap = r->p.cover_all ? g - r->exact.objective : r->exact.objective - g;
	return fmax(0, 100.0 * gap / r->exact.objective);
}

double ws_site_gap_pct(const struct ws_site_run *r)
{
	return gap_pct(r, r->p.cover_all ? (double)r->greedy.n_chosen : r->greedy_weight);
}

double ws_site_answer_gap_pct(const struct ws_site_run *r)
{
	return gap_pct(r, r->p.cover_all ? (double)r->answer.n_chosen : r->answer_weight);
}

bool ws_site_run(struct ws_site_run *r, const struct ws_study *st, const struct ws_site_params *p,
		 struct ws_error *err)
{
	memset(r, 0, sizeof *r);
	r->st = st;
	r->p = *p;
	r->limit_m = p->minutes * p->speed_kmh * 1000.0 / 60.0;
	r->m_per_min = p->speed_kmh * 1000.0 / 60.0;
	r->generated = !st->have_candidates;
	r->cand = r->generated ? &st->extra_pts : &st->candidates_pts;
	size_t nj = r->cand->n, nk = st->compound_src.n, nc = st->center_src.n;
	double t0 = ws_now_s();

	r->cand_allowed = malloc((nj + 1) * sizeof *r->cand_allowed);
	r->cand_first = calloc(nj + 1, sizeof *r->cand_first);
	r->cand_seeds = malloc((nj + 1) * sizeof *r->cand_seeds);
	r->use_center = malloc((nc + 1) * sizeof *r->use_center);
	r->target = calloc(nk + 1, sizeof *r->target);
	r->weight = malloc((nk + 1) * sizeof *r->weight);
	if (!r->cand_allowed || !r->cand_first || !r->cand_seeds || !r->use_center || !r->target ||
	    !r->weight) {
		ws_error_nomem(err);
		goto fail;
	}
	if (!make_candidate_ids(r, err))
		goto fail;

	/* which centers count, which candidates may host the level / service */
	if (!ws_select_features(r->use_center, &st->centers, p->level, p->service, false, err))
		goto fail;
	for (size_t s = 0; s < nc; s++)
		r->n_centers_used += r->use_center[s];
	if (r->generated || (!p->level && !p->service)) {
		for (size_t j = 0; j < nj; j++)
			r->cand_allowed[j] = true;
	} else {
		/* a candidates layer without the field hosts anything */
		bool has_level = ws_layer_field_index(&st->candidates, "level") >= 0;
		bool has_services = ws_layer_field_index(&st->candidates, "services") >= 0;
		if (!ws_select_features(r->cand_allowed, &st->candidates, has_level ? p->level : NULL,
					has_services ? p->service : NULL, true, err))
			goto fail;
	}
	for (size_t j = 0; j < nj; j++) {
		r->cand_first[j + 1] = r->cand_first[j];
		if (r->cand->node[j] != WS_NO_NODE) {
			r->cand_seeds[r->cand_first[j + 1]++] =
				(struct ws_route_seed){r->cand->node[j], r->cand->snap[j].dist_m};
			r->n_cand_snapped++;
			r->n_cand_allowed += r->cand_allowed[j];
		}
	}
	r->cand_src = (struct ws_route_sources){nj, r->cand_first, r->cand_seeds};

	/* weights */
	if (p->weight_field) {
		r->weighted = true;
		if (!ws_select_weights(r->weight, &st->compounds, p->weight_field, &r->weight_missing,
				       &r->n_weight_missing, err))
			goto fail;
	} else {
		for (size_t c = 0; c < nk; c++)
			r->weight[c] = 1;
	}

	/* baseline and targets */
	if (!ws_coverage_compute(&r->base, &st->graph, &st->center_src, &st->compound_src, r->use_center,
				 r->limit_m, p->threads, err))
		goto fail;
	for (size_t c = 0; c < nk; c++) {
		r->total_weight += r->weight[c];
		bool snapped = st->compound_first[c + 1] > st->compound_first[c];
		if (r->base.compound[c].covered) {
			r->n_covered_base++;
			r->covered_weight_base += r->weight[c];
		} else if (snapped) {
			r->target[c] = true;
			r->n_target++;
			r->target_weight += r->weight[c];
		} else {
			r->n_unsnapped++;
		}
	}
	double t1 = ws_now_s();
	r->time_base_s = t1 - t0;

	if (!ws_cover_sets_compute(&r->sets, &st->graph, &r->cand_src, &st->compound_src, r->target,
				   r->cand_allowed, r->limit_m, p->search, p->threads, p->progress,
				   p->progress_ctx, err))
		goto fail;
	double t2 = ws_now_s();
	r->time_sets_s = t2 - t1;

	/* targets no candidate covers */
	bool *coverable = calloc(nk + 1, sizeof *coverable);
	r->unreachable = malloc((nk + 1) * sizeof *r->unreachable);
	if (!coverable || !r->unreachable) {
		free(coverable);
		ws_error_nomem(err);
		goto fail;
	}
	for (size_t j = 0; j < nj; j++) {
		r->n_cand_useful += ws_cover_sets_size(&r->sets, j) > 0;
		for (size_t t = r->sets.first[j]; t < r->sets.first[j + 1]; t++)
			coverable[r->sets.compound[t]] = true;
	}
	for (size_t c = 0; c < nk; c++)
		if (r->target[c] && !coverable[c]) {
			r->unreachable[r->n_unreachable++] = c;
			r->unreachable_weight += r->weight[c];
		}
	free(coverable);

	/* greedy: set covering counts compounds; maximal covering weighs them */
	bool ok = p->cover_all ? ws_siting_greedy(&r->greedy, &r->sets, NULL, SIZE_MAX, err)
			       : ws_siting_greedy(&r->greedy, &r->sets, r->weight, p->k, err);
	if (!ok)
		goto fail;
	r->greedy_weight = ws_siting_covered_weight(&r->sets, p->cover_all ? NULL : r->weight,
						    r->greedy.chosen, r->greedy.n_chosen);
	double t3 = ws_now_s();
	r->time_greedy_s = t3 - t2;

	/* local improvement of the greedy set, then the answer in greedy order */
	size_t cap = p->cover_all ? r->greedy.n_chosen : p->k < nj ? p->k : nj;
	uint32_t *better = malloc((cap + 1) * sizeof *better);
	if (!better) {
		ws_error_nomem(err);
		goto fail;
	}
	size_t n_better = r->greedy.n_chosen;
	memcpy(better, r->greedy.chosen, n_better * sizeof *better);
	ok = p->cover_all ? ws_siting_improve_set_cover(better, &n_better, &r->sets, &r->improve, err)
			  : ws_siting_improve_max_cover(better, &n_better, &r->sets, r->weight, p->k, &r->improve, err);
	ok = ok && ws_siting_order(&r->answer, &r->sets, p->cover_all ? NULL : r->weight, better, n_better, err);
	free(better);
	if (!ok)
		goto fail;
	r->answer_weight = ws_siting_covered_weight(&r->sets, p->cover_all ? NULL : r->weight,
						    r->answer.chosen, r->answer.n_chosen);
	double t4 = ws_now_s();
	r->time_improve_s = t4 - t3;

	/* the walk from each chosen site to what it newly covers */
	size_t n_new = r->answer.new_first[r->answer.n_chosen];
	r->new_reach_m = malloc((n_new + 1) * sizeof *r->new_reach_m);
	size_t *sf = malloc((r->answer.n_chosen + 1) * sizeof *sf);
	struct ws_route_seed *ss = malloc((r->answer.n_chosen + 1) * sizeof *ss);
	if (!r->new_reach_m || !sf || !ss) {
		free(sf);
		free(ss);
		ws_error_nomem(err);
		goto fail;
	}
	sf[0] = 0;
	for (size_t i = 0; i < r->answer.n_chosen; i++) {
		uint32_t j = r->answer.chosen[i];
		ss[i] = r->cand_seeds[r->cand_first[j]];
		sf[i + 1] = i + 1;
	}
	struct ws_route_sources chosen = {r->answer.n_chosen, sf, ss};
	struct reach_ctx rc = {r, r->new_reach_m};
	ok = ws_route_each_source(&st->graph, &chosen, r->limit_m, p->threads, visit_site, &rc, err);
	free(sf);
	free(ss);
	if (!ok)
		goto fail;
	t4 = ws_now_s();

	/* exact check */
	ok = p->cover_all ? ws_ilp_set_cover(&r->exact, &r->sets, r->answer.chosen, r->answer.n_chosen,
					     p->time_limit_s, err)
			  : ws_ilp_max_cover(&r->exact, &r->sets, r->weight, p->k, r->answer.chosen,
					     r->answer.n_chosen, p->time_limit_s, err);
	if (!ok)
		goto fail;
	r->time_exact_s = ws_now_s() - t4;
	return true;
fail:
	ws_site_finish(r);
	return false;
}
