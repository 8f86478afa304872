/* The QA pre-flight (walkshed check): what a planner should know about a dataset before
 * trusting an audit of it. Network islands with the compounds and centers on them, snap
 * distance distributions, duplicate centers, per-layer CRS and units, repairs. Computed
 * from a loaded study; no files, no printing. */
#ifndef WS_CHECK_H
#define WS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/repairs.h"
#include "pipeline/study.h"
#include "util/error.h"

/* One connected component of the walking graph that holds compounds or centers. */
struct ws_island {
	uint32_t component;      /* id from ws_graph_components */
	uint32_t n_nodes;
	double length_m;         /* total length of its arcs / 2 */
	size_t n_compounds, n_centers;   /* snapped onto it (compounds: any access point) */
	bool main;               /* the largest component (most nodes; ties: lowest id) */
};

/* min / median / p90 / max of the snapped distances; nearest rank for p90
 * (the ceil(0.9 n)-th smallest), median the middle value or the mean of the two. */
struct ws_snap_stats {
	size_t n_snapped, n_unsnapped;
	double min_m, median_m, p90_m, max_m;   /* NAN when nothing snapped */
};

/* Per input layer: what it is and how it is referenced. */
struct ws_layer_check {
	const struct ws_layer *layer;   /* borrowed */
	char *crs;           /* CRS name and code, or NULL with crs_error set */
	char *unit;          /* unit of the first axis ("degree", "metre"), NULL unknown */
	char crs_error[512]; /* why its CRS could not be read */
	size_t n_empty;      /* features without geometry (NULL shapes, emptied) */
};

struct ws_check {
	const struct ws_study *st;      /* borrowed */
	size_t n_layers;
	struct ws_layer_check layers[6];
	uint32_t n_components;
	uint32_t main_component;
	uint32_t main_nodes;
	size_t n_islands;               /* components holding compounds or centers, main first,
					   then by nodes descending, ties by component id */
	struct ws_island *islands;
	/* compounds (all access points off the main component) and centers off the main
	 * component, FID order */
	size_t n_off_compounds, n_off_centers;
	size_t *off_compounds, *off_centers;
	uint32_t *compound_island_nodes;   /* per compound: nodes of the largest island one of
					      its entrances is on (0: no snapped entrance) */
	uint32_t *center_island_nodes;     /* per center */
	struct ws_snap_stats center_snap, access_snap;  /* access: the surface points */
	bool have_gate_snap;                            /* --access gates */
	struct ws_snap_stats gate_snap;
	/* duplicate centers: groups with bit-identical source coordinates and the same name;
	 * dup_first[g]..dup_first[g+1] index dup_center (FIDs ascending within a group,
	 * groups by their first FID) */
	size_t n_dup_groups;
	size_t *dup_first;
	size_t *dup_center;
	struct ws_repair_list repairs;
};

/* `src_crs` (or NULL) is the --src-crs that replaced the layers' .prj files. */
bool ws_check_run(struct ws_check *c, const struct ws_study *st, const char *src_crs,
		  struct ws_error *err);
void ws_check_finish(struct ws_check *c);

/* The warnings of a check, one per non-empty finding, in report order. */
enum ws_check_warning {
	WS_WARN_COMPOUNDS_OFF_MAIN,   /* compounds none of whose entrances is on the main network */
	WS_WARN_CENTERS_OFF_MAIN,
	WS_WARN_CENTERS_UNSNAPPED,
	WS_WARN_ACCESS_UNSNAPPED,     /* compound access points farther than --max-snap */
	WS_WARN_GATES_UNUSED,         /* --access gates: gates that are no entrance */
	WS_WARN_DUPLICATE_CENTERS,
	WS_WARN_REPAIRS,
	WS_WARN_ENCODING_LANGUAGE_DRIVER, /* a layer without .cpg read in its DBF language driver's code page */
	WS_WARN_COUNT
};
/* Whether warning w applies to c. */
bool ws_check_warns(const struct ws_check *c, enum ws_check_warning w);
/* How many warnings apply. */
size_t ws_check_n_warnings(const struct ws_check *c);
/* JSON key ("compounds_off_main"), static. */
const char *ws_check_warning_key(enum ws_check_warning w);

/* Distribution of `n` distances (NAN entries count as unsnapped). */
bool ws_snap_stats_compute(struct ws_snap_stats *s, const double *dist_m, size_t n,
			   struct ws_error *err);

#endif
