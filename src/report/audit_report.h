/* Reports of an audit: the terminal summary, the tables (compounds, centers), and the
 * output folder files. They format results; they compute nothing new. */
#ifndef WS_AUDIT_REPORT_H
#define WS_AUDIT_REPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/audit.h"
#include "report/outdir.h"
#include "report/table.h"
#include "util/error.h"

/* The summary a planner reads at a glance (stdout). */
void ws_audit_print_summary(FILE *out, const struct ws_audit *a, const char *dataset_label);

/* compounds.csv / centers.csv tables (one row per feature, FID order). */
bool ws_audit_compound_table(struct ws_table *t, const struct ws_audit *a, struct ws_error *err);
bool ws_audit_center_table(struct ws_table *t, const struct ws_audit *a, struct ws_error *err);

/* One line per layer with a CRS of its own: its datum operation and accuracy. */
void ws_study_print_layer_operations(FILE *out, const struct ws_study *st);
/* summary.json's "crs": source and working CRS, the roads' operation and accuracy, and
 * layer_operations[] for layers with a CRS of their own. */
struct json_object *ws_study_crs_json(const struct ws_study *st);
/* The input files with their SHA-256, as summary.json lists them. */
struct json_object *ws_study_inputs_json(const struct ws_study *st);

/* summary.json: every figure of the summary, parameters, CRS, input checksums, version.
 * Caller releases with json_object_put; later stages may add members. */
struct json_object *ws_audit_summary_json(const struct ws_audit *a, const char *command,
					  struct ws_error *err);

/* The rows of features `rows` (n) of a shapes set, as a new set (caller finishes). */
bool ws_shapes_subset(struct ws_shapes *out, const struct ws_shapes *src, const size_t *rows,
		      size_t n, struct ws_error *err);

/* Writes compounds.csv, centers.csv, uncovered.geojson (WGS 84), uncovered.shp (source
 * CRS) into the open output folder; summary.json is written by the caller (it may add
 * members). */
bool ws_audit_write_outputs(const struct ws_outdir *out, const struct ws_audit *a,
			    struct ws_error *err);

/* Writes `table` as <stem>.geojson (shapes_work reprojected to WGS 84) and <stem>.shp
 * (shapes_src, which are in the CRS of `src_layer` as read, or of the roads when it is
 * NULL; the .prj follows). Shared by every layer walkshed writes. */
bool ws_write_layer_pair(const struct ws_outdir *out, const char *stem, const struct ws_table *table,
			 const struct ws_shapes *shapes_work, const struct ws_shapes *shapes_src,
			 const struct ws_layer *src_layer, const struct ws_study *st, struct ws_error *err);
/* The same from shapes already in WGS 84 (`shapes_wgs84` may be `shapes_src`). */
bool ws_write_layer_files(const struct ws_outdir *out, const char *stem, const struct ws_table *table,
			  const struct ws_shapes *shapes_wgs84, const struct ws_shapes *shapes_src,
			  const struct ws_layer *src_layer, const struct ws_study *st, struct ws_error *err);

#endif
