/* Access points. Each thread owns one GEOS context; every compound writes only its own
 * slot, and points are gathered in compound order afterwards, so the result is the same
 * for any thread count. */
#include "access.h"

#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

void ws_access_finish(struct ws_access *acc)
{
	if (!acc)
		return;
	free(acc->first);
	free(acc->xy);
	free(acc->repair);
	free(acc->empty);
	memset(acc, 0, sizeof *acc);
}

bool ws_access_point_on_surface(struct ws_access *acc, const struct ws_shapes *compounds,
				int threads, struct ws_error *err)
{
	memset(acc, 0, sizeof *acc);
	size_t n = compounds->n_features;
	acc->n_compounds = n;
	acc->first = calloc(n + 1, sizeof *acc->first);
	acc->xy = malloc((n + 1) * 2 * sizeof *acc->xy);
	acc->repair = calloc(n + 1, sizeof *acc->repair);
	acc->empty = calloc(n + 1, sizeof *acc->empty);
	double *pt = malloc((n + 1) * 2 * sizeof *pt);
	if (!acc->first || !acc->xy || !acc->repair || !acc->empty || !pt) {
		free(pt);
		ws_access_finish(acc);
		return ws_error_nomem(err);
	}
	size_t failed = SIZE_MAX;
	struct ws_error failed_error = {0};
	(void)threads; /* only read by the OpenMP pragma */
	#pragma omp parallel num_threads(threads > 0 ? threads : 1)
	{
		struct ws_geos g;
		struct ws_error e = {0};
		bool have_geos = ws_geos_init(&g, &e);
		#pragma omp for schedule(dynamic, 16)
		for (size_t c = 0; c < n; c++) {
			struct ws_error ce = {0};
			bool ok = have_geos;
			if (!ok)
				ce = e;
			GEOSGeometry *poly = NULL, *point = NULL;
			if (ok) {
				poly = ws_polygon_build(&g, compounds, c, &acc->repair[c], &acc->empty[c], &ce);
				ok = poly || acc->empty[c];
			}
			if (ok && poly) {
				point = GEOSPointOnSurface_r(g.h, poly);
				ok = point && GEOSGeomGetX_r(g.h, point, &pt[2 * c]) &&
				     GEOSGeomGetY_r(g.h, point, &pt[2 * c + 1]);
				if (!ok)
					ws_error_set(&ce, WS_ERR_GEOS, "GEOS PointOnSurface: %s", g.msg);
			}
			if (point)
				GEOSGeom_destroy_r(g.h, point);
			if (poly)
				GEOSGeom_destroy_r(g.h, poly);
			if (!ok) {
				#pragma omp critical(ws_access_failure)
				if (c < failed) {
					failed = c;
					failed_error = ce;
				}
			}
		}
		if (have_geos)
			ws_geos_finish(&g);
	}
	if (failed != SIZE_MAX) {
		free(pt);
		ws_access_finish(acc);
		*err = failed_error;
		return ws_error_prefix(err, "compounds: record %zu: ", failed);
	}
	for (size_t c = 0; c < n; c++) {
		acc->first[c + 1] = acc->first[c];
		if (acc->empty[c])
			continue;
		acc->xy[2 * acc->n_points] = pt[2 * c];
		acc->xy[2 * acc->n_points + 1] = pt[2 * c + 1];
		acc->n_points++;
		acc->first[c + 1]++;
	}
	free(pt);
	return true;
}
