/* The report files of a run, written into the open (atomic) output folder beside the
 * other outputs: report.html always, map.png when the build has cairo. */
#ifndef WS_REPORT_FILES_H
#define WS_REPORT_FILES_H

#include <stdbool.h>

#include "report/outdir.h"
#include "report/report_input.h"
#include "util/error.h"

/* *wrote_png tells whether map.png was written (false in a build without cairo). */
bool ws_report_write_outputs(const struct ws_outdir *out, const struct ws_report_input *in,
			     bool *wrote_png, struct ws_error *err);

#endif
