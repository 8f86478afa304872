/* The report input of an audit: the map layers (compounds, centers, walkable roads in
 * WGS 84), the headline row, the worst-served compounds and the footer facts, owned by a
 * struct ws_report_audit. Commands built on the audit (site, scenario, levels) fill the
 * optional members of r->in afterwards with data they own. */
#ifndef WS_REPORT_AUDIT_H
#define WS_REPORT_AUDIT_H

#include <stdbool.h>

#include "pipeline/audit.h"
#include "report/report_input.h"
#include "util/error.h"
#include "util/shapes.h"

/* Roads are drawn simplified with this tolerance (metres, working CRS); 2 m is below a
 * line width at the zoom that shows a whole district. */
#define WS_REPORT_ROAD_TOLERANCE_M 2.0
/* How many compounds the worst-served table lists at most. */
#define WS_REPORT_WORST_MAX 20

/* Rows of the footer's parameter table ("How this report was made"). */
#define WS_REPORT_PARAMS_MAX 16

struct ws_report_audit {
	struct ws_report_input in;
	struct ws_report_compound *compounds;
	struct ws_report_center *centers;
	struct ws_shapes compound_shapes, center_shapes, roads;
	struct ws_report_headline headline;
	size_t *worst;
	struct ws_report_param params[WS_REPORT_PARAMS_MAX];
	struct ws_report_file *inputs;
	char **labels;           /* owned strings the structs above point at */
	size_t n_labels;
	char *title, *dataset, *crs_source, *crs_working;
};

/* Fills r from the audit `a` (borrowed: a and its study must outlive r). dataset_label
 * names the inputs; tiles_url (or NULL) is copied. */
bool ws_report_audit_build(struct ws_report_audit *r, const struct ws_audit *a,
			   const char *dataset_label, const char *tiles_url, struct ws_error *err);
void ws_report_audit_finish(struct ws_report_audit *r);

/* A formatted string owned by r (freed by ws_report_audit_finish); NULL on allocation
 * failure. For the labels the plug-ins (report_breakdown.h...) point r->in at. */
__attribute__((format(printf, 2, 3)))
char *ws_report_audit_printf(struct ws_report_audit *r, const char *fmt, ...);
/* Appends a row to the footer's parameter table (value: owned by r, e.g. from
 * ws_report_audit_printf, or static). NULL value: out of memory. */
bool ws_report_audit_add_param(struct ws_report_audit *r, const char *name, const char *value,
			       struct ws_error *err);
/* r takes a malloc'd block to free with its labels; false (s freed) when out of memory. */
bool ws_report_audit_adopt(struct ws_report_audit *r, void *s);

/* Walkable roads of the study as polylines (one part per maximal run of consecutive
 * segments of one road feature), simplified with tol_m, in WGS 84. */
bool ws_report_roads(struct ws_shapes *out, const struct ws_study *st, double tol_m,
		     struct ws_error *err);

#endif
