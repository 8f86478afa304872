/* walkshed scenario on a loaded study (docs/scenario.md): the baseline (existing centers)
 * against the scenario (some centers closed, sites added), compound by compound. The
 * added sites are snapped into the study's one graph as extra points (ws_scenario_hook),
 * so both runs route on the same graph and differ only in which centers count (the
 * use_center mask of ws_coverage_compute). No files, no printing. */
#ifndef WS_SCENARIO_H
#define WS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/coverage.h"
#include "io/scenario_file.h"
#include "pipeline/study.h"
#include "util/error.h"

/* The added sites in the working CRS with their attributes: [site] entries of the spec
 * first (in order), then each layer's records. Filled by ws_scenario_hook. */
struct ws_scenario_sites {
	const struct ws_scenario_spec *spec;   /* borrowed */
	size_t n;
	char **id, **name, **level, **services;   /* per site; id "new1", "new2"... */
	double *xy_src;                         /* 2n, as given (its own CRS) */
};

/* ws_study_options.more_extra hook; ctx is a struct ws_scenario_sites whose `spec` is set. */
bool ws_scenario_hook(void *ctx, const struct ws_study *st, double **xy, size_t *n, struct ws_error *err);
void ws_scenario_sites_finish(struct ws_scenario_sites *s);

enum ws_change { WS_CHANGE_NONE, WS_CHANGE_GAINED, WS_CHANGE_LOST, WS_CHANGE_KEPT };

struct ws_scenario_group {   /* per level or service */
	char *kind, *value;
	size_t centers_before, centers_after;
	size_t covered_before, covered_after, gained, lost;
	double weight_before, weight_after;
};

struct ws_scenario_params {
	double minutes, speed_kmh;
	int threads;
	const char *weight_field, *level, *service;
};

struct ws_scenario_run {
	const struct ws_study *st;
	const struct ws_scenario_sites *sites;
	struct ws_scenario_params p;
	double limit_m, m_per_min;
	size_t n_old, n_new;            /* centers: existing, then the added sites */
	bool *closed;                   /* per existing center */
	size_t n_closed;
	size_t *first;
	struct ws_route_seed *seeds;
	struct ws_route_sources src;    /* existing centers then sites */
	bool *use_before, *use_after;
	struct ws_coverage before, after;
	enum ws_change *change;         /* per compound */
	size_t n_change[4];
	double *weight;
	bool weighted;
	size_t *weight_missing, n_weight_missing;
	double total_weight, weight_change[4];
	size_t n_sites_unsnapped;
	struct ws_scenario_group *groups;
	size_t n_groups;
};

/* `sites` is the hook context used to load `st`. Closing an unknown id or name, or an
 * ambiguous name, is an error naming the scenario line. */
bool ws_scenario_run(struct ws_scenario_run *r, const struct ws_study *st,
		     const struct ws_scenario_sites *sites, const struct ws_scenario_params *p,
		     struct ws_error *err);
void ws_scenario_finish(struct ws_scenario_run *r);

/* Name / id / level / services of center i of the combined list (existing, then sites). */
const char *ws_scenario_center_id(const struct ws_scenario_run *r, size_t i);
const char *ws_scenario_center_name(const struct ws_scenario_run *r, size_t i);

#endif
