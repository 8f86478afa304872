/* report.html / map.png of `walkshed scenario`: the map coloured by the reach after the
 * scenario, closed centers hollow with a red ring, added sites as gold circles, the
 * compounds whose coverage changed (gained or lost, summary.json "changed") outlined;
 * headline rows before and after, and the before / after table (the totals of
 * summary.json, population with --weight, median reach, per level / service groups). */
#ifndef WS_REPORT_SCENARIO_H
#define WS_REPORT_SCENARIO_H

#include <stdbool.h>

#include "pipeline/audit.h"
#include "pipeline/scenario.h"
#include "report/report_audit.h"
#include "util/error.h"
#include "util/shapes.h"

struct ws_report_scenario_page {
	struct ws_audit view;                 /* the scenario's "after" as an audit */
	struct ws_report_audit rep;           /* rep.in is the page */
	struct ws_report_headline headlines[2];
	struct ws_report_scenario table;
	struct ws_report_scenario_row *rows;
	struct ws_report_center *sites;
	struct ws_shapes site_shapes;
};

/* r must outlive x; max_snap_m is the study's (for the footer). */
bool ws_report_scenario_build(struct ws_report_scenario_page *x, const struct ws_scenario_run *r,
			      const char *dataset_label, double max_snap_m, const char *tiles_url,
			      struct ws_error *err);
void ws_report_scenario_finish(struct ws_report_scenario_page *x);

#endif
