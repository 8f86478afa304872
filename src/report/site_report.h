/* Reports of walkshed site (docs/siting.md): the terminal summary, sites.csv /
 * sites.geojson / sites.shp (the chosen sites in order with marginal gain and the
 * cumulative coverage curve), site_compounds.csv (the compounds each site newly covers)
 * and summary.json. They format results; they compute nothing new. */
#ifndef WS_SITE_REPORT_H
#define WS_SITE_REPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/site.h"
#include "report/outdir.h"
#include "util/error.h"

void ws_site_print_summary(FILE *out, const struct ws_site_run *r, const char *dataset_label);
bool ws_site_write_outputs(const struct ws_outdir *out, const struct ws_site_run *r, struct ws_error *err);
/* Caller releases with json_object_put. */
struct json_object *ws_site_summary_json(const struct ws_site_run *r, struct ws_error *err);

/* Shared with the scenario report: inputs with checksums and the CRS, as summary.json
 * members of `doc`. */
void ws_report_add_inputs_json(struct json_object *doc, const struct ws_study *st);
/* Working-CRS points as the source-CRS points the output .shp is written in (the
 * compounds' .prj, else the roads' CRS). */
bool ws_report_points_to_source(struct ws_shapes *out, const struct ws_shapes *work,
				const struct ws_study *st, struct ws_error *err);

#endif
