/* Reports of a breakdown (pipeline/breakdown.h): the terminal sections (levels,
 * services, population, zones, sensitivity), the tables levels.csv, services.csv,
 * zones.csv, sensitivity.csv, and the summary.json members. They format; they compute
 * nothing new. Shares are printed with one decimal; minutes with two (SPEC 7). */
#ifndef WS_BREAKDOWN_REPORT_H
#define WS_BREAKDOWN_REPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/breakdown.h"
#include "report/outdir.h"
#include "report/table.h"
#include "util/error.h"

void ws_breakdown_print(FILE *out, const struct ws_breakdown *b);

bool ws_breakdown_level_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err);
bool ws_breakdown_service_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err);
bool ws_breakdown_zone_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err);
bool ws_breakdown_flip_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err);

/* Adds "levels", "services", "weights", "zones", "sensitivity" (those that apply) to doc. */
bool ws_breakdown_summary_json(struct json_object *doc, const struct ws_breakdown *b, struct ws_error *err);

/* Writes the CSV files that apply into the open output folder; appends their names,
 * comma separated, to `written` (size bytes). */
bool ws_breakdown_write_outputs(const struct ws_outdir *out, const struct ws_breakdown *b,
				char *written, size_t size, struct ws_error *err);

#endif
