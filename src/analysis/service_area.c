/* Service area. Invariant: every task writes only its own slot of flat coordinates, and
 * the grouping of centers (WS_GROUP consecutive centers) is fixed, so the GEOS calls and
 * their inputs are the same for any thread count. */
#include "service_area.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define WS_GROUP 16

static bool geos_failed(struct ws_geos *g, const char *what, struct ws_error *err)
{
	return ws_error_set(err, WS_ERR_GEOS, "GEOS %s: %s", what, g->msg[0] ? g->msg : "operation failed");
}

/* Union of a list of geometries (takes ownership of them; NULL entries skipped). */
static GEOSGeometry *union_all(struct ws_geos *g, GEOSGeometry **parts, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (parts[i])
			parts[k++] = parts[i];
	GEOSGeometry *coll = GEOSGeom_createCollection_r(g->h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k);
	if (!coll)
		return NULL;
	GEOSGeometry *u = GEOSUnaryUnion_r(g->h, coll);
	GEOSGeom_destroy_r(g->h, coll);
	return u;
}

struct task {
	struct ws_shapes out;   /* one feature */
	double area_m2;
	double extra_m2;        /* phase 2: unserved area */
	struct ws_shapes extra;
};

static bool run_group(struct ws_geos *g, const struct ws_isochrones *iso, size_t band, size_t s0,
		      size_t s1, struct task *t, struct ws_error *err)
{
	GEOSGeometry *parts[WS_GROUP] = {0};
	size_t n = 0;
	for (size_t s = s0; s < s1; s++) {
		size_t f = s * iso->n_bands + band;
		if (ws_shapes_feature_parts(&iso->poly, f) == 0)
			continue;
		if (!(parts[n] = ws_isochrone_geometry(g, &iso->poly, f, err))) {
			for (size_t i = 0; i < n; i++)
				GEOSGeom_destroy_r(g->h, parts[i]);
			return false;
		}
		n++;
	}
	GEOSGeometry *u = n ? union_all(g, parts, n) : NULL;
	if (n && !u)
		return geos_failed(g, "union", err);
	bool ok = ws_shapes_init(&t->out, WS_GEOM_POLYGON, err) && ws_polygon_append(g, u, &t->out, err);
	if (u)
		GEOSGeom_destroy_r(g->h, u);
	return ok;
}

static bool run_study(struct ws_geos *g, const struct ws_shapes *compounds, struct task *t,
		      struct ws_error *err)
{
	size_t n = compounds->n_features;
	GEOSGeometry **parts = calloc(n + 1, sizeof *parts);
	if (!parts)
		return ws_error_nomem(err);
	for (size_t c = 0; c < n; c++) {
		struct ws_polygon_repair rep;
		bool empty;
		parts[c] = ws_polygon_build(g, compounds, c, &rep, &empty, err);
		if (!parts[c] && !empty) {
			for (size_t i = 0; i < c; i++)
				if (parts[i])
					GEOSGeom_destroy_r(g->h, parts[i]);
			free(parts);
			return ws_error_prefix(err, "compounds: record %zu: ", c);
		}
	}
	GEOSGeometry *u = union_all(g, parts, n);
	free(parts);
	if (!u)
		return geos_failed(g, "union of the compounds", err);
	GEOSArea_r(g->h, u, &t->area_m2);
	bool ok = ws_shapes_init(&t->out, WS_GEOM_POLYGON, err) && ws_polygon_append(g, u, &t->out, err);
	GEOSGeom_destroy_r(g->h, u);
	return ok;
}

/* Phase 2 for one band: union of the group unions (or the given union, feature `band`
 * of `served`), and the study area minus it. */
static bool run_band(struct ws_geos *g, struct task *groups, size_t n_groups, const struct ws_shapes *served,
		     size_t band, const struct ws_shapes *study, struct task *t, struct ws_error *err)
{
	GEOSGeometry **parts = calloc(n_groups + 1, sizeof *parts);
	GEOSGeometry *u = NULL, *st = NULL, *rest = NULL;
	bool ok = false;
	if (!parts)
		return ws_error_nomem(err);
	if (served) {
		if (!(u = ws_isochrone_geometry(g, served, band, err)))
			goto done;
	} else {
		for (size_t i = 0; i < n_groups; i++)
			if (groups[i].out.n_parts && !(parts[i] = ws_isochrone_geometry(g, &groups[i].out, 0, err)))
				goto done;
		if (!(u = union_all(g, parts, n_groups))) {
			geos_failed(g, "union", err);
			goto done;
		}
	}
	memset(parts, 0, (n_groups + 1) * sizeof *parts);
	if (!(st = ws_isochrone_geometry(g, study, 0, err)))
		goto done;
	if (!(rest = GEOSDifference_r(g->h, st, u))) {
		geos_failed(g, "difference", err);
		goto done;
	}
	GEOSArea_r(g->h, u, &t->area_m2);
	GEOSArea_r(g->h, rest, &t->extra_m2);
	ok = ws_shapes_init(&t->out, WS_GEOM_POLYGON, err) && ws_polygon_append(g, u, &t->out, err) &&
	     ws_shapes_init(&t->extra, WS_GEOM_POLYGON, err) && ws_polygon_append(g, rest, &t->extra, err);
done:
	for (size_t i = 0; i < n_groups; i++)
		if (parts[i])
			GEOSGeom_destroy_r(g->h, parts[i]);
	free(parts);
	GEOSGeometry *own[] = {u, st, rest};
	for (size_t i = 0; i < 3; i++)
		if (own[i])
			GEOSGeom_destroy_r(g->h, own[i]);
	return ok;
}

static void record_failure(size_t task, const struct ws_error *e, size_t *failed, struct ws_error *failed_error)
{
	#pragma omp critical(ws_service_area_failure)
	if (task < *failed) {
		*failed = task;
		*failed_error = *e;
	}
}

void ws_service_area_finish(struct ws_service_area *sa)
{
	if (!sa)
		return;
	ws_shapes_finish(&sa->served);
	ws_shapes_finish(&sa->unserved);
	ws_shapes_finish(&sa->study);
	free(sa->served_m2);
	free(sa->unserved_m2);
	memset(sa, 0, sizeof *sa);
}

bool ws_service_area_compute(struct ws_service_area *sa, const struct ws_isochrones *iso,
			     const struct ws_shapes *served, const struct ws_shapes *compounds,
			     int threads, struct ws_error *err)
{
	memset(sa, 0, sizeof *sa);
	size_t nb = iso->n_bands, n_groups = served ? 0 : (iso->n_centers + WS_GROUP - 1) / WS_GROUP;
	size_t n_tasks = nb * n_groups + 1; /* the last task: the study area */
	int n_threads = ws_route_thread_count(threads);
	(void)n_threads; /* only read by the OpenMP pragma */
	struct task *tasks = calloc(n_tasks + 1, sizeof *tasks);
	struct task *bands = calloc(nb + 1, sizeof *bands);
	size_t failed = SIZE_MAX;
	struct ws_error failed_error = {0};
	bool ok = false;
	sa->n_bands = nb;
	sa->served_m2 = calloc(nb + 1, sizeof *sa->served_m2);
	sa->unserved_m2 = calloc(nb + 1, sizeof *sa->unserved_m2);
	if (!tasks || !bands || !sa->served_m2 || !sa->unserved_m2) {
		ws_error_nomem(err);
		goto done;
	}
	#pragma omp parallel num_threads(n_threads)
	{
		struct ws_geos g;
		struct ws_error ge = {0};
		bool have = ws_geos_init(&g, &ge);
		#pragma omp for schedule(dynamic, 1)
		for (size_t i = 0; i < n_tasks; i++) {
			struct ws_error e = ge;
			bool task_ok = have;
			if (task_ok && i == n_tasks - 1)
				task_ok = run_study(&g, compounds, &tasks[i], &e);
			else if (task_ok) {
				size_t b = i / (n_groups ? n_groups : 1), k = i % (n_groups ? n_groups : 1);
				size_t s1 = (k + 1) * WS_GROUP < iso->n_centers ? (k + 1) * WS_GROUP : iso->n_centers;
				task_ok = run_group(&g, iso, b, k * WS_GROUP, s1, &tasks[i], &e);
			}
			if (!task_ok)
				record_failure(i, &e, &failed, &failed_error);
		}
		/* phase 2: one task per band (the implicit barrier above orders it) */
		#pragma omp for schedule(dynamic, 1)
		for (size_t b = 0; b < nb; b++) {
			if (failed != SIZE_MAX)
				continue;
			struct ws_error e = ge;
			if (!have || !run_band(&g, tasks + b * n_groups, n_groups, served, b, &tasks[n_tasks - 1].out,
					       &bands[b], &e))
				record_failure(n_tasks + b, &e, &failed, &failed_error);
		}
		if (have)
			ws_geos_finish(&g);
	}
	if (failed != SIZE_MAX) {
		*err = failed_error;
		goto done;
	}
	if (!ws_shapes_init(&sa->served, WS_GEOM_POLYGON, err) ||
	    !ws_shapes_init(&sa->unserved, WS_GEOM_POLYGON, err) ||
	    !ws_shapes_init(&sa->study, WS_GEOM_POLYGON, err) ||
	    !ws_shapes_append_feature(&sa->study, &tasks[n_tasks - 1].out, 0, err))
		goto done;
	sa->study_m2 = tasks[n_tasks - 1].area_m2;
	for (size_t b = 0; b < nb; b++) {
		if (!ws_shapes_append_feature(&sa->served, &bands[b].out, 0, err) ||
		    !ws_shapes_append_feature(&sa->unserved, &bands[b].extra, 0, err))
			goto done;
		sa->served_m2[b] = bands[b].area_m2;
		sa->unserved_m2[b] = bands[b].extra_m2;
	}
	ok = true;
done:
	for (size_t i = 0; tasks && i < n_tasks; i++) {
		ws_shapes_finish(&tasks[i].out);
		ws_shapes_finish(&tasks[i].extra);
	}
	for (size_t b = 0; bands && b < nb; b++) {
		ws_shapes_finish(&bands[b].out);
		ws_shapes_finish(&bands[b].extra);
	}
	free(tasks);
	free(bands);
	if (!ok)
		ws_service_area_finish(sa);
	return ok;
}

bool ws_service_area_share(const struct ws_service_area *sa, size_t band,
			   const struct ws_shapes *compounds, int threads, double *share,
			   struct ws_error *err)
{
	size_t n = compounds->n_features;
	int n_threads = ws_route_thread_count(threads);
	(void)n_threads; /* only read by the OpenMP pragma */
	size_t failed = SIZE_MAX;
	struct ws_error failed_error = {0};
	#pragma omp parallel num_threads(n_threads)
	{
		struct ws_geos g;
		struct ws_error ge = {0};
		bool have = ws_geos_init(&g, &ge);
		GEOSGeometry *served = NULL;
		const GEOSPreparedGeometry *prep = NULL;
		if (have && (served = ws_isochrone_geometry(&g, &sa->served, band, &ge)))
			prep = GEOSPrepare_r(g.h, served);
		#pragma omp for schedule(dynamic, 8)
		for (size_t c = 0; c < n; c++) {
			struct ws_error e = ge;
			struct ws_polygon_repair rep;
			bool empty = false;
			share[c] = NAN;
			GEOSGeometry *poly = prep ? ws_polygon_build(&g, compounds, c, &rep, &empty, &e) : NULL;
			if (!poly) {
				if (!prep || !empty) {
					if (prep)
						ws_error_prefix(&e, "compounds: record %zu: ", c);
					else if (e.code == WS_OK)
						ws_error_set(&e, WS_ERR_GEOS, "GEOS prepare: %s", g.msg);
					record_failure(c, &e, &failed, &failed_error);
				}
				continue;
			}
			double area = 0, inside = 0;
			GEOSArea_r(g.h, poly, &area);
			if (GEOSPreparedContains_r(g.h, prep, poly) == 1) {
				inside = area;
			} else if (GEOSPreparedIntersects_r(g.h, prep, poly) == 1) {
				GEOSGeometry *x = GEOSIntersection_r(g.h, poly, served);
				if (!x) {
					ws_error_set(&e, WS_ERR_GEOS, "GEOS intersection: compounds: record %zu: %s", c, g.msg);
					record_failure(c, &e, &failed, &failed_error);
				} else {
					GEOSArea_r(g.h, x, &inside);
					GEOSGeom_destroy_r(g.h, x);
				}
			}
			share[c] = area > 0 ? fmin(1.0, inside / area) : NAN;
			GEOSGeom_destroy_r(g.h, poly);
		}
		if (prep)
			GEOSPreparedGeom_destroy_r(g.h, prep);
		if (served)
			GEOSGeom_destroy_r(g.h, served);
		if (have)
			ws_geos_finish(&g);
	}
	if (failed != SIZE_MAX) {
		*err = failed_error;
		return false;
	}
	return true;
}
