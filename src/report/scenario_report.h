/* Reports of walkshed scenario (docs/scenario.md): the terminal summary, scenario.csv
 * (one row per compound: reach before / after, change), scenario.geojson / .shp (the
 * compounds whose coverage changed) and summary.json. Format only. */
#ifndef WS_SCENARIO_REPORT_H
#define WS_SCENARIO_REPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/scenario.h"
#include "report/outdir.h"
#include "report/table.h"
#include "util/error.h"

void ws_scenario_print_summary(FILE *out, const struct ws_scenario_run *r, const char *dataset_label);
bool ws_scenario_compound_table(struct ws_table *t, const struct ws_scenario_run *r, struct ws_error *err);
bool ws_scenario_write_outputs(const struct ws_outdir *out, const struct ws_scenario_run *r,
			       struct ws_error *err);
struct json_object *ws_scenario_summary_json(const struct ws_scenario_run *r, struct ws_error *err);

#endif
