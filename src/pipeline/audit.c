/* Audit: coverage plus categories. The threshold is compared in metres:
 * limit_m = minutes * speed_kmh * 1000 / 60, computed in that order so that the SPEC
 * defaults give exactly 1000 m. */
#include "audit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct worst_key {
	int rank;          /* 0 unsnapped, 1 unreachable, 2 reachable */
	double reach_m;
	size_t compound;
};

static int compare_worst(const void *pa, const void *pb)
{
	const struct worst_key *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == 2 && a->reach_m != b->reach_m)
		return a->reach_m > b->reach_m ? -1 : 1;
	return a->compound < b->compound ? -1 : a->compound > b->compound;
}

static bool classify(struct ws_audit *a, const struct ws_study *st, struct ws_error *err);

static void start(struct ws_audit *a, const struct ws_study *st, const struct ws_audit_params *p)
{
	memset(a, 0, sizeof *a);
	a->st = st;
	a->p = *p;
	a->limit_m = p->minutes * p->speed_kmh * 1000.0 / 60.0;
	a->m_per_min = p->speed_kmh * 1000.0 / 60.0;
}

bool ws_audit_run(struct ws_audit *a, const struct ws_study *st, const struct ws_audit_params *p,
		  struct ws_error *err)
{
	start(a, st, p);
	if (!ws_coverage_compute(&a->cov, &st->graph, &st->center_src, &st->compound_src, NULL,
				 a->limit_m, p->threads, err))
		return false;
	return classify(a, st, err);
}

bool ws_audit_view(struct ws_audit *a, const struct ws_study *st, const struct ws_audit_params *p,
		   const struct ws_coverage *cov, struct ws_error *err)
{
	start(a, st, p);
	a->cov = *cov;
	a->cov_borrowed = true;
	return classify(a, st, err);
}

/* Statuses, the worst ranking and the per-center counts from a->cov. Centers past the
 * study's own (a scenario's added sites) have no unsnapped/idle count. */
static bool classify(struct ws_audit *a, const struct ws_study *st, struct ws_error *err)
{
	size_t nk = a->cov.n_compounds, nc = a->cov.n_centers;
	a->status = calloc(nk + 1, sizeof *a->status);
	a->worst = malloc((nk + 1) * sizeof *a->worst);
	a->center_reached = calloc(nc + 1, sizeof *a->center_reached);
	a->compound_component_size = calloc(nk + 1, sizeof *a->compound_component_size);
	uint32_t *comp = malloc(((size_t)st->graph.n_nodes + 1) * sizeof *comp);
	uint32_t *comp_size = NULL, n_comp = 0;
	if (!a->status || !a->worst || !a->center_reached || !a->compound_component_size || !comp) {
		free(comp);
		ws_audit_finish(a);
		return ws_error_nomem(err);
	}
	if (!ws_graph_components(&st->graph, comp, &n_comp, &comp_size, err)) {
		free(comp);
		ws_audit_finish(a);
		return false;
	}
	for (size_t c = 0; c < nk; c++) {
		const struct ws_compound_reach *r = &a->cov.compound[c];
		bool snapped = st->compound_first[c + 1] > st->compound_first[c];
		if (!snapped)
			a->status[c] = WS_STATUS_UNSNAPPED;
		else if (r->covered)
			a->status[c] = WS_STATUS_COVERED;
		else if (isinf(r->reach_m))
			a->status[c] = WS_STATUS_UNREACHABLE;
		else
			a->status[c] = WS_STATUS_UNCOVERED;
		a->n_status[a->status[c]]++;
		if (snapped) {
			/* the island of the access point that reached (or the first one) */
			size_t k = st->compound_first[c] + (isinf(r->reach_m) ? 0 : r->access);
			if (k >= st->compound_first[c + 1])
				k = st->compound_first[c];
			a->compound_component_size[c] = comp_size[comp[st->compound_seeds[k].node]];
		}
	}
	free(comp);
	free(comp_size);
	struct worst_key *keys = malloc((nk + 1) * sizeof *keys);
	if (!keys) {
		ws_audit_finish(a);
		return ws_error_nomem(err);
	}
	for (size_t c = 0; c < nk; c++) {
		enum ws_compound_status s = a->status[c];
		keys[c] = (struct worst_key){s == WS_STATUS_UNSNAPPED ? 0 : s == WS_STATUS_UNREACHABLE ? 1 : 2,
					     a->cov.compound[c].reach_m, c};
	}
	qsort(keys, nk, sizeof *keys, compare_worst);
	for (size_t c = 0; c < nk; c++)
		a->worst[c] = keys[c].compound;
	free(keys);
	for (size_t s = 0; s < nc; s++) {
		a->center_reached[s] = a->cov.center_first[s + 1] - a->cov.center_first[s];
		if (s >= st->centers_pts.n)
			continue;
		if (st->centers_pts.node[s] == WS_NO_NODE)
			a->n_centers_unsnapped++;
		else if (a->center_reached[s] == 0)
			a->n_centers_idle++;
	}
	return true;
}

void ws_audit_finish(struct ws_audit *a)
{
	if (!a)
		return;
	if (!a->cov_borrowed)
		ws_coverage_finish(&a->cov);
	free(a->status);
	free(a->worst);
	free(a->center_reached);
	free(a->compound_component_size);
	memset(a, 0, sizeof *a);
}
