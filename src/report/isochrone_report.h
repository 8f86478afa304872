/* Reports of the isochrone stage: isochrones.* (one row per center and band),
 * service_area.* (per band: the served union and the unserved residential area),
 * compound_areas.csv (per compound: entrances, area share, circle vs walk), the terminal
 * summary and the summary.json member. They format results; they compute nothing new. */
#ifndef WS_ISOCHRONE_REPORT_H
#define WS_ISOCHRONE_REPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/isochrones.h"
#include "report/outdir.h"
#include "report/table.h"
#include "util/error.h"

bool ws_isochrone_table(struct ws_table *t, const struct ws_isochrone_run *r, struct ws_error *err);
bool ws_service_area_table(struct ws_table *t, const struct ws_isochrone_run *r, struct ws_error *err);
/* covered_by_share: NULL when --min-share is not used */
bool ws_compound_area_table(struct ws_table *t, const struct ws_isochrone_run *r,
			    const bool *covered_walk, double min_share, struct ws_error *err);

void ws_isochrone_print_summary(FILE *out, const struct ws_isochrone_run *r);

/* The "isochrones" member of summary.json. */
struct json_object *ws_isochrone_summary_json(const struct ws_isochrone_run *r);

/* Writes isochrones.geojson/.shp and service_area.geojson/.shp. */
bool ws_isochrone_write_outputs(const struct ws_outdir *out, const struct ws_isochrone_run *r,
				struct ws_error *err);

#endif
