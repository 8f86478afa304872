/* The report options (--report, --tiles URL) of the commands that can write report.html
 * (audit now; site and scenario add the same two lines). */
#ifndef WS_REPORT_OPTIONS_H
#define WS_REPORT_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "util/error.h"

enum ws_report_opt { OPT_REPORT = 1900, OPT_TILES };

#define WS_REPORT_LONG_OPTIONS \
	{"report", no_argument, NULL, OPT_REPORT}, \
	{"tiles", required_argument, NULL, OPT_TILES}

extern const char ws_report_options_help[];

struct ws_report_options {
	bool report;
	const char *tiles_url;   /* NULL: no basemap */
};

/* Handles OPT_REPORT / OPT_TILES: *handled tells whether opt was one of them. False with a
 * usage error on a bad value. */
bool ws_report_option(struct ws_report_options *r, int opt, const char *arg, bool *handled,
		      struct ws_error *err);
/* After parsing: --report and --tiles need --out. */
bool ws_report_options_check(const struct ws_report_options *r, const char *out_dir,
			     struct ws_error *err);

#endif
