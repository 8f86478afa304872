/* Breakdown of an audit. Restricted coverages run on "masked" sources: the same centers
 * (same indices) with the seeds of the centers not in the mask removed, so a masked-out
 * center costs no search; the use_center mask is passed too. Every tally is summed in
 * compound order, so weighted shares are the same for any thread count. */
#include "breakdown.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sensitivity.h"
#include "io/catalogue.h"

/* Coverage by the centers in `use`: the breakdown reads only reach, nearest and covered,
 * so one nearest-center search suffices (no per-center lists). */
static bool restricted_coverage(struct ws_coverage *cov, const struct ws_audit *a, const bool *use,
				double limit_m, struct ws_error *err)
{
	return ws_coverage_reach(cov, &a->st->graph, &a->st->center_src, &a->st->compound_src, use,
				 limit_m, err);
}

/* n restricted coverages (masks: n x n_centers, one limit each), one per thread at a
 * time: they are independent searches writing their own slots; the error of the lowest
 * failing one is reported. */
static bool restricted_coverages(struct ws_coverage *const *covs, const struct ws_audit *a,
				 const bool *masks, const double *limits, size_t n, struct ws_error *err)
{
	size_t nc = a->cov.n_centers, failed = SIZE_MAX;
	struct ws_error failed_error = {0};
	int n_threads = ws_route_thread_count(a->p.threads);
	(void)n_threads; /* only read by the OpenMP pragma */
	#pragma omp parallel for schedule(dynamic, 1) num_threads(n_threads)
	for (size_t i = 0; i < n; i++) {
		struct ws_error e = {0};
		if (!restricted_coverage(covs[i], a, masks + i * nc, limits[i], &e)) {
			#pragma omp critical(ws_breakdown_failure)
			if (i < failed) {
				failed = i;
				failed_error = e;
			}
		}
	}
	if (failed != SIZE_MAX) {
		*err = failed_error;
		return false;
	}
	return true;
}

bool ws_breakdown_offers(const struct ws_breakdown *b, size_t s, size_t k)
{
	int i = b->service[k].index;
	return i >= 0 && ws_catalogue_offers(&b->cat, s, (size_t)i);
}

static const struct ws_weights *weights_of(const struct ws_breakdown *b)
{
	return b->have_weights ? &b->w : NULL;
}

static bool run_levels(struct ws_breakdown *b, struct ws_error *err)
{
	const struct ws_audit *a = b->a;
	const struct ws_layer *centers = &a->st->centers;
	const struct ws_breakdown_options *o = b->o;
	size_t nc = a->cov.n_centers, nk = a->cov.n_compounds;
	int field = ws_layer_field_index(centers, o->level_field);
	if (field < 0) {
		if (o->levels_asked)
			return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no field named \"%s\" for the center levels",
					    centers->name, o->level_field);
		return true;
	}
	const char **values = malloc((nc + 1) * sizeof *values);
	b->center_level = malloc((nc + 1) * sizeof *b->center_level);
	if (!values || !b->center_level) {
		free(values);
		return ws_error_nomem(err);
	}
	bool any = false;
	for (size_t s = 0; s < nc; s++) {
		values[s] = ws_layer_value(centers, s, field);
		any |= *values[s] != '\0';
	}
	char what[300];
	snprintf(what, sizeof what, "%s.dbf", centers->name);
	bool ok = ws_levels_assign(&o->levels, values, nc, what, b->center_level, err);
	free(values);
	if (!ok)
		return false;
	if (!any && !o->levels_asked)
		return true;
	b->have_levels = true;
	b->n_levels = o->levels.n;
	b->level = calloc(b->n_levels + 1, sizeof *b->level);
	if (!b->level)
		return ws_error_nomem(err);
	for (size_t s = 0; s < nc; s++)
		b->n_centers_no_level += b->center_level[s] == WS_NO_LEVEL;
	/* the per-level searches are independent (restricted_coverages runs them in parallel) */
	bool *masks = malloc((b->n_levels * nc + 1) * sizeof *masks);
	if (!masks)
		return ws_error_nomem(err);
	for (size_t l = 0; l < b->n_levels; l++) {
		struct ws_level_result *r = &b->level[l];
		r->minutes = ws_levels_minutes(&o->levels, l, a->p.minutes);
		r->limit_m = ws_limit_m(r->minutes, a->p.speed_kmh);
		ws_levels_mask(b->center_level, nc, l, false, masks + l * nc);
		for (size_t s = 0; s < nc; s++)
			r->n_centers += masks[l * nc + s];
	}
	struct ws_coverage **covs = malloc((b->n_levels + 1) * sizeof *covs);
	double *limits = malloc((b->n_levels + 1) * sizeof *limits);
	ok = covs && limits;
	for (size_t l = 0; ok && l < b->n_levels; l++) {
		covs[l] = &b->level[l].exact;
		limits[l] = b->level[l].limit_m;
	}
	ok = ok ? restricted_coverages(covs, a, masks, limits, b->n_levels, err) : ws_error_nomem(err);
	free(covs);
	free(limits);
	free(masks);
	if (!ok)
		return false;
	for (size_t l = 0; l < b->n_levels; l++) {
		struct ws_level_result *r = &b->level[l];
		/* "this level or above" is the union of the levels 0..l: its reach is the
		 * smallest of theirs, so no further search is needed */
		const struct ws_coverage **parts = malloc((l + 1) * sizeof *parts);
		if (!parts)
			return ws_error_nomem(err);
		for (size_t u = 0; u <= l; u++)
			parts[u] = &b->level[u].exact;
		bool merged = ws_coverage_merge_min(&r->up, parts, l + 1, r->limit_m, err);
		free(parts);
		if (!merged)
			return false;
		for (size_t c = 0; c < nk; c++)
			ws_tally_add(&r->covered, weights_of(b), c, r->up.compound[c].covered);
	}
	return true;
}

static bool build_catalogue(struct ws_breakdown *b, struct ws_error *err)
{
	const struct ws_study *st = b->a->st;
	const struct ws_breakdown_options *o = b->o;
	size_t nc = st->centers.geom.n_features;
	if (o->catalogue_path) {
		struct ws_catalogue_rows rows;
		if (!ws_catalogue_read_csv(&rows, o->catalogue_path, err))
			return false;
		bool ok = ws_catalogue_from_pairs(&b->cat, st->center_id, nc, (const char *const *)rows.center_id,
						  (const char *const *)rows.service, rows.line, rows.n,
						  o->catalogue_path, err);
		ws_catalogue_rows_finish(&rows);
		return ok;
	}
	int field = ws_layer_field_index(&st->centers, o->services_field);
	if (field < 0)
		return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no field named \"%s\" (--services-field)",
				    st->centers.name, o->services_field);
	const char **lists = malloc((nc + 1) * sizeof *lists);
	if (!lists)
		return ws_error_nomem(err);
	for (size_t s = 0; s < nc; s++)
		lists[s] = ws_layer_value(&st->centers, s, field);
	bool ok = ws_catalogue_from_lists(&b->cat, lists, nc, err);
	free(lists);
	return ok;
}

static bool run_services(struct ws_breakdown *b, struct ws_error *err)
{
	const struct ws_audit *a = b->a;
	const struct ws_breakdown_options *o = b->o;
	size_t nc = a->cov.n_centers, nk = a->cov.n_compounds;
	if (!o->catalogue_path && !o->services_field) {
		if (o->n_require)
			return ws_error_set(err, WS_ERR_USAGE,
					    "--require needs the services of the centers: --services-field NAME or --catalogue FILE");
		return true;
	}
	if (!build_catalogue(b, err))
		return false;
	b->have_services = true;
	b->n_services = o->n_require ? o->n_require : b->cat.n_services;
	b->service = calloc(b->n_services + 1, sizeof *b->service);
	b->n_missing = calloc(nk + 1, sizeof *b->n_missing);
	if (!b->service || !b->n_missing)
		return ws_error_nomem(err);
	bool *masks = malloc((b->n_services * nc + 1) * sizeof *masks);
	struct ws_coverage **covs = malloc((b->n_services + 1) * sizeof *covs);
	double *limits = malloc((b->n_services + 1) * sizeof *limits);
	bool ok = masks && covs && limits;
	for (size_t k = 0; ok && k < b->n_services; k++) {
		struct ws_service_result *r = &b->service[k];
		r->name = o->n_require ? o->require[k] : b->cat.service[k];
		r->index = ws_catalogue_find(&b->cat, r->name);
		int other = r->index < 0 ? ws_catalogue_find_other_case(&b->cat, r->name) : -1;
		r->other_case = other >= 0 ? b->cat.service[other] : NULL;
		for (size_t s = 0; s < nc; s++) {
			masks[k * nc + s] = ws_breakdown_offers(b, s, k);
			r->n_centers += masks[k * nc + s];
		}
		covs[k] = &r->cov;
		limits[k] = a->limit_m;
	}
	ok = ok ? restricted_coverages(covs, a, masks, limits, b->n_services, err) : ws_error_nomem(err);
	free(masks);
	free(covs);
	free(limits);
	if (!ok)
		return false;
	for (size_t k = 0; k < b->n_services; k++) {
		const struct ws_service_result *r = &b->service[k];
		for (size_t c = 0; c < nk; c++) {
			bool in = r->cov.compound[c].covered;
			ws_tally_add(&b->service[k].covered, weights_of(b), c, in);
			b->n_missing[c] += !in;
		}
	}
	for (size_t c = 0; c < nk; c++)
		ws_tally_add(&b->fully, weights_of(b), c, b->n_missing[c] == 0);
	return true;
}

static bool run_weights(struct ws_breakdown *b, struct ws_error *err)
{
	const struct ws_study *st = b->a->st;
	if (!b->o->weight_field)
		return true;
	int field = ws_layer_field_index(&st->compounds, b->o->weight_field);
	if (field < 0)
		return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no field named \"%s\" (--weight)",
				    st->compounds.name, b->o->weight_field);
	size_t nk = st->compounds.geom.n_features;
	const char **values = malloc((nk + 1) * sizeof *values);
	if (!values)
		return ws_error_nomem(err);
	for (size_t c = 0; c < nk; c++)
		values[c] = ws_layer_value(&st->compounds, c, field);
	bool ok = ws_weights_parse(&b->w, values, nk, err);
	free(values);
	b->have_weights = ok;
	return ok;
}

static bool zone_result_init(struct ws_zone_result *z, size_t n_levels, size_t n_services)
{
	z->worst = SIZE_MAX;
	z->level = calloc(n_levels + 1, sizeof *z->level);
	z->service = calloc(n_services + 1, sizeof *z->service);
	return z->level && z->service;
}

static bool run_zones(struct ws_breakdown *b, struct ws_error *err)
{
	const struct ws_audit *a = b->a;
	const struct ws_study *st = a->st;
	const struct ws_breakdown_options *o = b->o;
	if (!o->zones)
		return true;
	if (!st->have_zones)
		return ws_error_set(err, WS_ERR_NOINPUT, "zones: no zones layer (zones.shp in the dataset folder, or --zones-file)");
	size_t nz = st->zones.geom.n_features, nk = a->cov.n_compounds;
	b->zone_used = calloc(nz + 1, sizeof *b->zone_used);
	double *xy = malloc((nk + 1) * 2 * sizeof *xy);
	if (!b->zone_used || !xy) {
		free(xy);
		return ws_error_nomem(err);
	}
	int lvl_field = -1;
	if (o->zone_level) {
		lvl_field = ws_layer_field_index(&st->zones, "admin_lvl");
		if (lvl_field < 0) {
			free(xy);
			return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no field named \"admin_lvl\" (--zone-level)",
					    st->zones.name);
		}
	}
	for (size_t k = 0; k < nz; k++) {
		b->zone_used[k] = lvl_field < 0 || !strcmp(ws_layer_value(&st->zones, k, lvl_field), o->zone_level);
		b->n_zones_used += b->zone_used[k];
	}
	if (o->zone_level && b->n_zones_used == 0) {
		free(xy);
		return ws_error_set(err, WS_ERR_USAGE, "--zone-level %s: no zone of %s.dbf has admin_lvl %s",
				    o->zone_level, st->zones.name, o->zone_level);
	}
	/* the representative point: the compound's PointOnSurface access point */
	for (size_t c = 0; c < nk; c++) {
		bool has = st->access.first[c + 1] > st->access.first[c];
		size_t p = st->access.first[c];
		xy[2 * c] = has ? st->access.xy[2 * p] : NAN;
		xy[2 * c + 1] = has ? st->access.xy[2 * p + 1] : NAN;
	}
	bool ok = ws_zones_assign(&b->zoning, &st->zones_work, b->zone_used, xy, nk, err);
	free(xy);
	if (!ok)
		return false;
	b->have_zones = true;
	b->zone = calloc(nz + 2, sizeof *b->zone);
	if (!b->zone)
		return ws_error_nomem(err);
	for (size_t k = 0; k <= nz; k++)
		if (!zone_result_init(&b->zone[k], b->n_levels, b->n_services))
			return ws_error_nomem(err);
	const struct ws_weights *w = weights_of(b);
	for (size_t c = 0; c < nk; c++) {
		uint32_t zk = b->zoning.zone_of[c];
		struct ws_zone_result *z = &b->zone[zk == WS_NO_ZONE ? nz : zk];
		z->n_compounds++;
		ws_tally_add(&z->covered, w, c, a->status[c] == WS_STATUS_COVERED);
		for (size_t l = 0; l < b->n_levels; l++)
			ws_tally_add(&z->level[l], w, c, b->level[l].up.compound[c].covered);
		for (size_t k = 0; k < b->n_services; k++)
			ws_tally_add(&z->service[k], w, c, b->service[k].cov.compound[c].covered);
		if (b->have_services)
			ws_tally_add(&z->fully, w, c, b->n_missing[c] == 0);
	}
	for (size_t i = nk; i-- > 0;) {
		size_t c = a->worst[i];
		uint32_t zk = b->zoning.zone_of[c];
		b->zone[zk == WS_NO_ZONE ? nz : zk].worst = c;
	}
	return true;
}

static bool run_sensitivity(struct ws_breakdown *b, bool *use, struct ws_error *err)
{
	const struct ws_audit *a = b->a;
	const struct ws_breakdown_options *o = b->o;
	if (o->n_speeds <= 1 && o->n_minutes <= 1)
		return true;
	size_t nk = a->cov.n_compounds, nc = a->cov.n_centers;
	size_t ns = o->n_speeds ? o->n_speeds : 1, nm = o->n_minutes ? o->n_minutes : 1;
	b->have_sensitivity = true;
	b->n_combos = ns * nm;
	b->combo = calloc(b->n_combos + 1, sizeof *b->combo);
	b->flipped = malloc((nk + 1) * sizeof *b->flipped);
	bool *covered = malloc((b->n_combos * nk + 1) * sizeof *covered);
	if (!b->combo || !b->flipped || !covered) {
		free(covered);
		return ws_error_nomem(err);
	}
	double max_limit = 0;
	for (size_t i = 0; i < ns; i++)
		for (size_t j = 0; j < nm; j++) {
			struct ws_sens_combo *cb = &b->combo[i * nm + j];
			cb->speed_kmh = o->n_speeds ? o->speeds[i] : a->p.speed_kmh;
			cb->minutes = o->n_minutes ? o->minutes[j] : a->p.minutes;
			cb->limit_m = ws_limit_m(cb->minutes, cb->speed_kmh);
			max_limit = fmax(max_limit, cb->limit_m);
			for (size_t l = 0; l < b->n_levels; l++)
				max_limit = fmax(max_limit,
						 ws_limit_m(ws_levels_minutes(&o->levels, l, cb->minutes), cb->speed_kmh));
		}
	/* the one pass: every center searched once, to the largest limit */
	bool ok = ws_coverage_compute(&b->cov_max, &a->st->graph, &a->st->center_src, &a->st->compound_src,
				      NULL, max_limit, a->p.threads, err);
	bool *in = ok ? malloc((nk + 1) * sizeof *in) : NULL;
	bool *all_in = ok ? malloc((nk + 1) * sizeof *all_in) : NULL;
	if (ok && (!in || !all_in))
		ok = ws_error_nomem(err);
	const struct ws_weights *w = weights_of(b);
	for (size_t x = 0; ok && x < b->n_combos; x++) {
		struct ws_sens_combo *cb = &b->combo[x];
		cb->covered_c = covered + x * nk;
		cb->level = calloc(b->n_levels + 1, sizeof *cb->level);
		cb->service = calloc(b->n_services + 1, sizeof *cb->service);
		if (!cb->level || !cb->service) {
			ok = ws_error_nomem(err);
			break;
		}
		ws_coverage_derive(&b->cov_max, NULL, cb->limit_m, cb->covered_c, NULL);
		for (size_t c = 0; c < nk; c++) {
			enum ws_compound_status s = a->status[c];
			if (s == WS_STATUS_COVERED || s == WS_STATUS_UNCOVERED)
				s = cb->covered_c[c] ? WS_STATUS_COVERED : WS_STATUS_UNCOVERED;
			cb->n_status[s]++;
			ws_tally_add(&cb->covered, w, c, cb->covered_c[c]);
		}
		for (size_t l = 0; l < b->n_levels; l++) {
			double lim = ws_limit_m(ws_levels_minutes(&o->levels, l, cb->minutes), cb->speed_kmh);
			ws_levels_mask(b->center_level, nc, l, true, use);
			ws_coverage_derive(&b->cov_max, use, lim, in, NULL);
			for (size_t c = 0; c < nk; c++)
				ws_tally_add(&cb->level[l], w, c, in[c]);
		}
		for (size_t c = 0; c < nk; c++)
			all_in[c] = true;
		for (size_t k = 0; k < b->n_services; k++) {
			for (size_t s = 0; s < nc; s++)
				use[s] = ws_breakdown_offers(b, s, k);
			ws_coverage_derive(&b->cov_max, use, cb->limit_m, in, NULL);
			for (size_t c = 0; c < nk; c++) {
				ws_tally_add(&cb->service[k], w, c, in[c]);
				all_in[c] &= in[c];
			}
		}
		if (b->have_services)
			for (size_t c = 0; c < nk; c++)
				ws_tally_add(&cb->fully, w, c, all_in[c]);
	}
	free(in);
	free(all_in);
	if (ok)
		b->n_flipped = ws_sensitivity_flips(covered, b->n_combos, nk, b->flipped);
	else if (!b->combo[0].covered_c)
		free(covered);
	return ok;
}

bool ws_breakdown_run(struct ws_breakdown *b, const struct ws_audit *a,
		      const struct ws_breakdown_options *o, struct ws_error *err)
{
	memset(b, 0, sizeof *b);
	b->a = a;
	b->o = o;
	size_t nc = a->cov.n_compounds, ncen = a->cov.n_centers;
	bool *use = malloc((ncen + 1) * sizeof *use);
	if (!use)
		return ws_error_nomem(err);
	bool ok = run_weights(b, err) && run_levels(b, err) && run_services(b, err);
	for (size_t c = 0; ok && c < nc; c++)
		ws_tally_add(&b->covered, weights_of(b), c, a->status[c] == WS_STATUS_COVERED);
	ok = ok && run_zones(b, err) && run_sensitivity(b, use, err);
	free(use);
	if (!ok)
		ws_breakdown_finish(b);
	return ok;
}

void ws_breakdown_finish(struct ws_breakdown *b)
{
	if (!b)
		return;
	for (size_t l = 0; b->level && l < b->n_levels; l++) {
		ws_coverage_finish(&b->level[l].exact);
		ws_coverage_finish(&b->level[l].up);
	}
	free(b->level);
	free(b->center_level);
	for (size_t k = 0; b->service && k < b->n_services; k++)
		ws_coverage_finish(&b->service[k].cov);
	free(b->service);
	free(b->n_missing);
	ws_catalogue_finish(&b->cat);
	ws_weights_finish(&b->w);
	if (b->zone)
		for (size_t k = 0; k <= b->zoning.n_zones; k++) {
			free(b->zone[k].level);
			free(b->zone[k].service);
		}
	free(b->zone);
	free(b->zone_used);
	ws_zones_finish(&b->zoning);
	ws_coverage_finish(&b->cov_max);
	if (b->combo) {
		free(b->combo[0].covered_c);
		for (size_t x = 0; x < b->n_combos; x++) {
			free(b->combo[x].level);
			free(b->combo[x].service);
		}
	}
	free(b->combo);
	free(b->flipped);
	memset(b, 0, sizeof *b);
}
