/* The isochrone stage on a loaded study: every center's isochrones for a set of bands,
 * the service area (union) and the unserved residential area per band, the drawn circle
 * vs the walk, and each compound's area share at the threshold. No files, no printing. */
#ifndef WS_PIPELINE_ISOCHRONES_H
#define WS_PIPELINE_ISOCHRONES_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/circle.h"
#include "analysis/isochrone.h"
#include "analysis/service_area.h"
#include "pipeline/study.h"
#include "util/error.h"

#define WS_MAX_BANDS 16

struct ws_isochrone_run_params {
	double band_min[WS_MAX_BANDS];   /* walking minutes, strictly increasing */
	size_t n_bands;
	double minutes;                  /* the threshold: always one of the bands */
	double speed_kmh;
	double walk_off_m;
	int threads;
	bool general_only;               /* the general GEOS construction only (comparisons) */
};

struct ws_isochrone_run {
	const struct ws_study *st;       /* borrowed */
	struct ws_isochrone_run_params p;
	double band_m[WS_MAX_BANDS];     /* band_min * speed_kmh * 1000 / 60 */
	size_t threshold_band;
	struct ws_isochrones iso;
	struct ws_service_area sa;
	double served_network_m[WS_MAX_BANDS];
	struct ws_circle_walk cw;
	double *share;                   /* per compound: area share inside the threshold band's
					    service area (NAN: no area) */
	double time_isochrones_s, time_union_s, time_share_s;
	/* polygons built by the general GEOS construction instead of the exact one
	 * (isochrones, plus 1 when the service area was unioned from the polygons) */
	size_t n_general;
};

/* Parses "5,10,15" (minutes) into p->band_min, sorted and checked, and adds the
 * threshold p->minutes when missing. */
bool ws_isochrone_parse_bands(struct ws_isochrone_run_params *p, const char *list, struct ws_error *err);

bool ws_isochrone_run(struct ws_isochrone_run *r, const struct ws_study *st,
		      const struct ws_isochrone_run_params *p, struct ws_error *err);
void ws_isochrone_run_finish(struct ws_isochrone_run *r);

#endif
