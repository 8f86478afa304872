/* What a planner's report shows, independent of which command produced it. The audit
 * fills the map layers, the headline and the worst-served list; the other analyses plug
 * in by setting their optional pointers (NULL / 0 = the section is left out of the page
 * and the picture). Everything is borrowed: the struct only points at data that must
 * outlive the report writers. Geometries are WGS 84 longitude/latitude (util/shapes.h);
 * times are minutes, shares are counts so the writers can print both count and percent. */
#ifndef WS_REPORT_INPUT_H
#define WS_REPORT_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/shapes.h"

struct ws_report_compound {
	const char *id, *name;           /* name "" when unnamed */
	bool snapped;                    /* false: grey, "unsnapped" */
	bool covered;                    /* reach <= threshold, as the analysis decided it */
	double reach_min;                /* INFINITY when no center reaches it: grey, "unreachable" */
	const char *nearest;             /* label of the nearest center; NULL when none */
	double population;               /* NAN when the dataset has none */
	const char *missing_services;    /* NULL: not analysed (not shown); "" none missing */
	bool changed;                    /* a scenario changed its reach: outlined on the map */
	const char *change_note;         /* popup text of a changed compound ("newly covered");
					    NULL: "reach changed" */
};

struct ws_report_center {
	const char *id, *name;
	const char *level;               /* district, subdistrict, community, building or "" */
	bool highlight;                  /* chosen site / added by a scenario */
	const char *note;                /* shown in its popup ("chosen site 3"); may be NULL */
	bool closed;                     /* closed by a scenario: hollow, red ring */
};

/* One row of the headline figures: the covered share of compounds (and population). */
struct ws_report_headline {
	const char *label;               /* "All centers", "Level: community", "Service: clinic" */
	size_t n_covered, n_total;
	double pop_covered, pop_total;   /* NAN when the dataset has no population */
};

struct ws_report_zone {
	const char *name;
	size_t n_compounds, n_covered;
	double pop_covered, pop_total;   /* NAN when unknown */
	double median_reach_min;         /* over reached compounds; NAN when none */
};

/* The siting coverage curve: covered share after adding the first k sites. */
struct ws_report_curve_point {
	size_t n_sites;
	double covered_pct;              /* 0..100 */
	const char *site;                /* label of the site added at this step; NULL for k = 0 */
};
struct ws_report_curve {
	const char *y_label;             /* "compounds covered (%)" */
	size_t n;
	const struct ws_report_curve_point *point;
};

struct ws_report_scenario_row {
	const char *label;
	double before, after;
	int decimals;
	const char *unit;                /* "%", "min", "" */
	bool lower_is_better;            /* colours the change */
};
struct ws_report_scenario {
	const char *description;         /* what the scenario changed, one line */
	size_t n;
	const struct ws_report_scenario_row *row;
};

struct ws_report_param {
	const char *name, *value;
};
struct ws_report_file {
	const char *path, *sha256;
};

struct ws_report_input {
	const char *title;               /* "Walking coverage audit" */
	const char *dataset;             /* label of the inputs */
	const char *command;             /* "audit", "site", "scenario" */
	const char *version;
	const char *crs_source, *crs_working;   /* "EPSG:4326 (WGS 84)" */
	double minutes;                  /* threshold: reach bands are 0-t/3, t/3-2t/3, 2t/3-t, > t */
	const char *tiles_url;           /* NULL: no basemap (the page stays offline) */

	size_t n_params;
	const struct ws_report_param *params;
	size_t n_inputs;
	const struct ws_report_file *inputs;

	/* map layers; compound_shapes->n_features == n_compounds, same for centers */
	size_t n_compounds;
	const struct ws_report_compound *compounds;
	const struct ws_shapes *compound_shapes;     /* polygons */
	size_t n_centers;
	const struct ws_report_center *centers;
	const struct ws_shapes *center_shapes;       /* points */
	const struct ws_shapes *roads;               /* lines, faint; NULL: none */

	/* sections, each optional */
	size_t n_headlines;
	const struct ws_report_headline *headlines;
	size_t n_worst;
	const size_t *worst;                         /* compound indices, worst first */
	const struct ws_shapes *isochrone;           /* polygons: outline of the union of isochrones */
	size_t n_zones;
	const struct ws_report_zone *zones;
	const struct ws_report_curve *curve;
	const struct ws_report_scenario *scenario;
	size_t n_sites;                              /* chosen / added sites, highlighted */
	const struct ws_report_center *sites;
	const struct ws_shapes *site_shapes;         /* points */
	/* wording of the highlights; NULL: "Chosen sites" / "chosen site" / "changed by the
	 * scenario" */
	const char *sites_title, *site_legend, *changed_legend;
};

/* Reach band of a compound: 0..3 by minutes (band 3 is beyond the threshold), 4 grey
 * (unsnapped or unreachable). */
enum { WS_REPORT_BANDS = 5, WS_REPORT_BAND_GREY = 4 };
int ws_report_band(const struct ws_report_input *in, const struct ws_report_compound *c);
/* Fill colour of a band ("#rrggbb") and its legend label written into buf. */
const char *ws_report_band_color(int band);
void ws_report_band_label(const struct ws_report_input *in, int band, char *buf, size_t size);
/* Colour of a center level (unknown levels share one colour). */
const char *ws_report_level_color(const char *level);

#endif
