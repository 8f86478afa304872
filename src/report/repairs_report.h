/* The repair list (pipeline/repairs.h) as terminal text and as JSON, shared by the audit
 * summary, summary.json and walkshed check. */
#ifndef WS_REPAIRS_REPORT_H
#define WS_REPAIRS_REPORT_H

#include <json-c/json.h>
#include <stdio.h>

#include "pipeline/repairs.h"
#include "pipeline/study.h"

/* "Repairs   N records ..." then up to `max_listed` records, one a line. Prints nothing
 * when the list is empty. */
void ws_repairs_print(FILE *out, const struct ws_repair_list *list, const struct ws_study *st,
		      size_t max_listed);
/* {"records": n, "<kind>": count..., "list": [{layer, fid, id, repairs: [...], area...}]} */
struct json_object *ws_repairs_json(const struct ws_repair_list *list, const struct ws_study *st);
/* The id of feature `fid` of `layer` (compounds, centers, and candidates and zones when
 * read: their SPEC 1 id; gates and roads: the FID, into buf). */
const char *ws_repair_feature_id(const struct ws_study *st, const char *layer, size_t fid,
				 char *buf, size_t size);

#endif
