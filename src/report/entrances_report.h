/* Reports of the compound entrances (--access gates|boundary, docs/isochrones.md): the
 * terminal lines and the "entrances" member of summary.json. Every gate that does not
 * count as an entrance is named (FID and SPEC 1 id) with the reason, so a typo in a
 * `compound` attribute or a gate drawn in the wrong place can be found and fixed. */
#ifndef WS_ENTRANCES_REPORT_H
#define WS_ENTRANCES_REPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/study.h"
#include "report/outdir.h"
#include "report/table.h"
#include "util/error.h"

/* Nothing for --access point. Gates: counts by rule, then the unused gates (at most
 * 10; summary.json has them all); then the compounds that fell back to their point. */
void ws_entrances_print(FILE *out, const struct ws_study *st);

/* The "entrances" member (access mode, fallbacks, gate counts by rule, unused gates). */
struct json_object *ws_entrances_summary_json(const struct ws_study *st);

/* --access gates: one row per gate (gates.csv, docs/isochrones.md): fid, id, its
 * compound attribute, the compound it was assigned to (fid, id) and by which rule, the
 * distance to that compound's boundary, the snap distance, whether it is an entrance and
 * why not. */
bool ws_gates_table(struct ws_table *t, const struct ws_study *st, struct ws_error *err);
/* Writes gates.csv, gates.geojson (WGS 84) and gates.shp (source CRS) when the run uses
 * gates; nothing otherwise. */
bool ws_gates_write_outputs(const struct ws_outdir *out, const struct ws_study *st,
			    struct ws_error *err);

#endif
