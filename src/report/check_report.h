/* walkshed check's report on the terminal. Formats a struct ws_check; computes nothing. */
#ifndef WS_CHECK_REPORT_H
#define WS_CHECK_REPORT_H

#include <stdio.h>

#include "pipeline/check.h"

/* The whole report; returns the number of warnings it printed. */
size_t ws_check_print(FILE *out, const struct ws_check *c, const char *dataset_label,
		      double max_snap_m);

#endif
