/* walkshed check's report on the terminal and as JSON (--json). Formats a struct
 * ws_check; computes nothing. */
#ifndef WS_CHECK_REPORT_H
#define WS_CHECK_REPORT_H

#include <json-c/json.h>
#include <stdio.h>

#include "pipeline/check.h"

/* The whole report; returns the number of warnings it printed. */
size_t ws_check_print(FILE *out, const struct ws_check *c, const char *dataset_label,
		      double max_snap_m);

/* The same findings as one JSON document (docs/check.md lists the members): every list
 * in full, not cut at 20 lines. Caller puts the document. */
struct json_object *ws_check_json(const struct ws_check *c, const char *dataset_label, double max_snap_m);

#endif
