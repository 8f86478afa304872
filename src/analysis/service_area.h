/* The district's service area: per band, the union of all centers' isochrones, and the
 * part of the study area that no center reaches. The study area is the union of the
 * compound polygons (the residential land the audit is about), so "unserved" is
 * residential land outside every isochrone. Also each compound's area share: the share
 * of its area inside the service area of one band. Unions are built from coordinates in
 * fixed groups of centers, one GEOS context per thread, so the result does not depend on
 * the thread count. Algorithms only. */
#ifndef WS_SERVICE_AREA_H
#define WS_SERVICE_AREA_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/isochrone.h"
#include "util/error.h"
#include "util/shapes.h"

struct ws_service_area {
	size_t n_bands;
	struct ws_shapes served;     /* feature b: union of the centers' isochrones of band b */
	struct ws_shapes unserved;   /* feature b: study area minus served (band b) */
	struct ws_shapes study;      /* one feature: the study area (union of compounds) */
	double *served_m2, *unserved_m2;   /* per band */
	double study_m2;
};

/* `compounds`: polygons in the working CRS (repaired with ws_polygon_build). `served`
 * (optional): the union of the centers' isochrones, one feature per band, already built
 * (ws_isochrones_union); without it the isochrone polygons are unioned here. */
bool ws_service_area_compute(struct ws_service_area *sa, const struct ws_isochrones *iso,
			     const struct ws_shapes *served, const struct ws_shapes *compounds,
			     int threads, struct ws_error *err);
void ws_service_area_finish(struct ws_service_area *sa);

/* share[c] = area of compound c inside band `band` of the service area / its area
 * (0..1; NAN for a compound without area). */
bool ws_service_area_share(const struct ws_service_area *sa, size_t band,
			   const struct ws_shapes *compounds, int threads, double *share,
			   struct ws_error *err);

#endif
