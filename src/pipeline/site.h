/* walkshed site on a loaded study (docs/siting.md): the baseline coverage by the existing
 * centers (optionally one level / service), the target compounds (snapped, not covered),
 * candidate cover sets, the greedy choice (maximal covering of k sites, or set covering),
 * the exact check, and the walk from each chosen site to each compound it newly covers.
 * No files, no printing. */
#ifndef WS_SITE_H
#define WS_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/coverage.h"
#include "analysis/cover_sets.h"
#include "analysis/siting.h"
#include "analysis/siting_ilp.h"
#include "analysis/siting_improve.h"
#include "pipeline/study.h"
#include "util/error.h"

#define WS_SITE_DEFAULT_SPACING_M 100.0

struct ws_site_params {
	double minutes, speed_kmh;
	int threads;
	size_t k;                    /* maximal covering: sites to choose */
	bool cover_all;              /* set covering instead */
	const char *weight_field;    /* NULL: every compound weighs 1 */
	const char *level, *service; /* NULL: every center */
	double time_limit_s;         /* exact check; 0 skips it */
	double spacing_m;            /* generated candidates (when the study has no layer) */
	enum ws_cover_search search;
	ws_progress_fn progress;     /* may be NULL */
	void *progress_ctx;
};

/* The study hook (ws_study_options.more_extra) that generates candidates along the
 * network: ctx is a struct ws_site_generate. Area: the compounds' bounding box grown by
 * the walking limit (a candidate farther than that from every compound covers none). */
struct ws_site_generate {
	double spacing_m, limit_m;
};
bool ws_site_generate_hook(void *ctx, const struct ws_study *st, double **xy, size_t *n,
			   struct ws_error *err);

struct ws_site_run {
	const struct ws_study *st;   /* borrowed */
	struct ws_site_params p;
	double limit_m, m_per_min;

	/* candidates: the candidates layer, else the generated points (st->extra_pts) */
	bool generated;
	const struct ws_points *cand;   /* borrowed from the study */
	char **cand_id;                 /* layer: id/osm_id/FID; generated: "g<n>" */
	size_t n_cand_snapped, n_cand_allowed, n_cand_useful;
	bool *cand_allowed;
	size_t *cand_first;
	struct ws_route_seed *cand_seeds;
	struct ws_route_sources cand_src;

	bool *use_center;               /* existing centers that count */
	size_t n_centers_used;
	struct ws_coverage base;
	bool *target;                   /* snapped and not covered at baseline */
	size_t n_target, n_covered_base, n_unsnapped;
	double *weight;                 /* per compound (1 each without --weight) */
	bool weighted;
	size_t *weight_missing, n_weight_missing;
	double total_weight, covered_weight_base, target_weight;

	struct ws_cover_sets sets;
	struct ws_siting greedy;        /* plain greedy: its order is the coverage curve k = 1..N */
	double greedy_weight;           /* weight the greedy sites newly cover */
	struct ws_siting_improvement improve;
	struct ws_siting answer;        /* the greedy set after local improvement, in greedy order
					 * among its own sites: what the tables list */
	double answer_weight;
	size_t *unreachable, n_unreachable; /* targets no candidate covers, increasing */
	double unreachable_weight;
	struct ws_ilp exact;
	double *new_reach_m;            /* parallel to answer.new_compound: walk from the site */

	double time_base_s, time_sets_s, time_greedy_s, time_improve_s, time_exact_s;
};

bool ws_site_run(struct ws_site_run *r, const struct ws_study *st, const struct ws_site_params *p,
		 struct ws_error *err);
void ws_site_finish(struct ws_site_run *r);

/* Greedy's gap to the exact result in percent of the optimum (>= 0), NAN when unknown:
 * maximal covering (opt - greedy) / opt, set covering (greedy - opt) / opt. */
double ws_site_gap_pct(const struct ws_site_run *r);
/* The same for the answer (greedy + local improvement). */
double ws_site_answer_gap_pct(const struct ws_site_run *r);

#endif
