/* Isochrone stage. Band limits are computed like the audit's threshold
 * (minutes * speed_kmh * 1000 / 60, in that order), so the threshold band's limit is
 * bit-identical to the audit's limit_m. */
#include "isochrones.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

bool ws_isochrone_parse_bands(struct ws_isochrone_run_params *p, const char *list, struct ws_error *err)
{
	size_t n = 0;
	if (list) {
		const char *s = list;
		while (*s) {
			char *end = NULL;
			errno = 0;
			double v = strtod(s, &end);
			if (end == s || errno || !isfinite(v) || v <= 0 || (*end && *end != ','))
				return ws_error_set(err, WS_ERR_USAGE,
						    "--bands: expected positive minutes separated by commas, got \"%s\"", list);
			if (n + 1 >= WS_MAX_BANDS)
				return ws_error_set(err, WS_ERR_USAGE, "--bands: at most %d bands", WS_MAX_BANDS - 1);
			p->band_min[n++] = v;
			s = *end ? end + 1 : end;
		}
	}
	bool have_threshold = false;
	for (size_t i = 0; i < n; i++)
		have_threshold |= p->band_min[i] == p->minutes;
	if (!have_threshold)
		p->band_min[n++] = p->minutes;
	qsort(p->band_min, n, sizeof *p->band_min, compare_double);
	for (size_t i = 1; i < n; i++)
		if (p->band_min[i] == p->band_min[i - 1])
			return ws_error_set(err, WS_ERR_USAGE, "--bands: %g minutes given twice", p->band_min[i]);
	p->n_bands = n;
	return true;
}

void ws_isochrone_run_finish(struct ws_isochrone_run *r)
{
	if (!r)
		return;
	ws_isochrones_finish(&r->iso);
	ws_service_area_finish(&r->sa);
	ws_circle_walk_finish(&r->cw);
	free(r->share);
	memset(r, 0, sizeof *r);
}

bool ws_isochrone_run(struct ws_isochrone_run *r, const struct ws_study *st,
		      const struct ws_isochrone_run_params *p, struct ws_error *err)
{
	memset(r, 0, sizeof *r);
	r->st = st;
	r->p = *p;
	size_t nc = st->centers_pts.n, nk = st->compounds.geom.n_features;
	double *connector = malloc((nc + 1) * 4 * sizeof *connector);
	double *compound_xy = malloc((nk + 1) * 2 * sizeof *compound_xy);
	r->share = malloc((nk + 1) * sizeof *r->share);
	if (!connector || !compound_xy || !r->share) {
		free(connector);
		free(compound_xy);
		ws_isochrone_run_finish(r);
		return ws_error_nomem(err);
	}
	for (size_t b = 0; b < p->n_bands; b++) {
		r->band_m[b] = p->band_min[b] * p->speed_kmh * 1000.0 / 60.0;
		if (p->band_min[b] == p->minutes)
			r->threshold_band = b;
	}
	for (size_t s = 0; s < nc; s++) {
		connector[4 * s] = st->centers_pts.xy[2 * s];
		connector[4 * s + 1] = st->centers_pts.xy[2 * s + 1];
		connector[4 * s + 2] = st->centers_pts.snap[s].x;
		connector[4 * s + 3] = st->centers_pts.snap[s].y;
	}
	/* the circle judges compounds by their surface point (the SPEC default access point) */
	for (size_t c = 0; c < nk; c++) {
		bool has = st->access.first[c + 1] > st->access.first[c];
		compound_xy[2 * c] = has ? st->access.xy[2 * st->access.first[c]] : NAN;
		compound_xy[2 * c + 1] = has ? st->access.xy[2 * st->access.first[c] + 1] : NAN;
	}
	struct ws_isochrone_params ip = {r->band_m, p->n_bands, p->walk_off_m, p->threads, false, p->general_only};
	double t0 = ws_now_s();
	bool ok = ws_isochrones_compute(&r->iso, &st->graph, &st->center_src, connector,
					&st->compound_src, &ip, err);
	double t1 = ws_now_s();
	/* the service area straight from the network reached from any center, unless some
	 * isochrone needed the general construction (then the polygons are unioned) */
	struct ws_shapes served = {0};
	double *served_m2 = calloc(p->n_bands + 1, sizeof *served_m2);
	bool exact = false;
	ok = ok && (served_m2 || ws_error_nomem(err)) && ws_shapes_init(&served, WS_GEOM_POLYGON, err) &&
	     ws_isochrones_union(&st->graph, &st->center_src, connector, &ip, r->served_network_m,
				 r->iso.n_general == 0 ? &served : NULL, served_m2, &exact, err) &&
	     ws_service_area_compute(&r->sa, &r->iso, exact ? &served : NULL, &st->compounds_work,
				     p->threads, err);
	r->n_general = r->iso.n_general + (ok && !exact);
	ws_shapes_finish(&served);
	free(served_m2);
	double t2 = ws_now_s();
	ok = ok && ws_service_area_share(&r->sa, r->threshold_band, &st->compounds_work, p->threads,
					 r->share, err) &&
	     ws_circle_walk_compute(&r->cw, st->centers_pts.xy, nc, compound_xy, nk, &r->iso, r->band_m, err);
	double t3 = ws_now_s();
	r->time_isochrones_s = t1 - t0;
	r->time_union_s = t2 - t1;
	r->time_share_s = t3 - t2;
	free(connector);
	free(compound_xy);
	if (!ok)
		ws_isochrone_run_finish(r);
	return ok;
}
