/* report.html / map.png of `walkshed site`: the map coloured by today's reach (the
 * baseline the siting started from: every center, or those of --level / --service), the
 * chosen sites as gold circles, the compounds they newly cover outlined, headline rows
 * before and after the sites, and the coverage curve (k = 0..N sites of the answer, in the
 * order of sites.csv, covered share as its cov_pct / cov_w_pct columns). */
#ifndef WS_REPORT_SITE_H
#define WS_REPORT_SITE_H

#include <stdbool.h>

#include "pipeline/audit.h"
#include "pipeline/site.h"
#include "report/report_audit.h"
#include "util/error.h"
#include "util/shapes.h"

struct ws_report_site {
	struct ws_audit view;                 /* the baseline as an audit (borrows r->base) */
	struct ws_report_audit rep;           /* rep.in is the page */
	struct ws_report_headline headlines[2];
	struct ws_report_curve curve;
	struct ws_report_curve_point *points;
	struct ws_report_center *sites;
	struct ws_shapes site_shapes;
};

/* r must outlive x; max_snap_m is the study's (for the footer). */
bool ws_report_site_build(struct ws_report_site *x, const struct ws_site_run *r, const char *dataset_label,
			  double max_snap_m, const char *tiles_url, struct ws_error *err);
void ws_report_site_finish(struct ws_report_site *x);

#endif
