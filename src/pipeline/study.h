/* A study: one dataset read, reprojected, turned into a walking graph with every point
 * of interest snapped into it. This is the shared front half of every command
 * (read -> reproject -> graph -> snap); the commands run their analyses on it. It reads
 * files but prints nothing. */
#ifndef WS_STUDY_H
#define WS_STUDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/access.h"
#include "analysis/entrances.h"
#include "io/crs.h"
#include "io/layer.h"
#include "net/graph.h"
#include "net/route.h"
#include "net/segments.h"
#include "net/snap.h"
#include "util/error.h"

#define WS_MAX_INPUT_FILES 40

struct ws_study;

struct ws_study_options {
	const char *dataset_dir;     /* NULL: the bundled sample when no file flag is given */
	const char *roads_path, *compounds_path, *centers_path;
	const char *gates_path, *candidates_path, *zones_path;
	bool use_gates, use_candidates, use_zones;  /* read the optional layers */
	const char *src_crs;         /* overrides every layer's .prj */
	const char *work_crs;        /* --crs; NULL: auto UTM (SPEC 2) */
	const char *encoding;        /* overrides every .cpg */
	const char *id_field;        /* NULL: id, then osm_id, then FID */
	double max_snap_m;           /* SPEC 4 default 300 */
	double max_crs_error_m;      /* < 0: no bound */
	struct ws_walk_filter filter;
	int threads;
	/* extra points (working CRS) to snap into the graph, e.g. sites added by a scenario */
	size_t n_extra;
	const double *extra_xy;
	/* optional: called once the working CRS, segments and compounds_work exist and before
	 * anything is snapped; *xy (working CRS, malloc'd, the study frees it) holds *n more
	 * extra points, appended after extra_xy (e.g. generated siting candidates, or sites
	 * given in another CRS) */
	bool (*more_extra)(void *ctx, const struct ws_study *st, double **xy, size_t *n,
			   struct ws_error *err);
	void *more_extra_ctx;

	/* compound entrances (SPEC 5, docs/isochrones.md): gates are read only with
	 * WS_ACCESS_GATES (set use_gates too) */
	enum ws_access_mode access;
	double gate_distance_m;      /* default 30 */
};

/* A point layer or derived point set joined to the network. */
struct ws_points {
	size_t n;
	double *xy;                  /* working CRS */
	struct ws_snap *snap;
	uint32_t *node;              /* WS_NO_NODE when unsnapped */
};

struct ws_input_file {
	char *path;
	char sha256[65];
};

struct ws_study {
	struct ws_layer roads, compounds, centers, gates, candidates, zones;
	bool have_gates, have_candidates, have_zones;
	/* per feature, --id-field / id / osm_id / FID (SPEC 1); gate_id, candidate_id and
	 * zone_id only when that layer is read */
	char **compound_id, **center_id, **gate_id, **candidate_id, **zone_id;
	const char *id_field_used;         /* the compounds' field name, or "FID" */

	struct ws_crs *src_crs;            /* of the roads layer */
	bool src_crs_given;                /* --src-crs replaced every layer's .prj */
	/* geographic extent of the roads (west, south, east, north); every datum operation is
	 * picked for this area (see ws_study_extent) */
	bool has_extent;
	double extent_lonlat[4];
	struct ws_crs *work_crs;
	struct ws_transform *to_wgs84;     /* working CRS -> EPSG:4326 lon/lat (GeoJSON) */
	/* the roads' source -> working operation, kept for the reports (BAD_INPUTS 15) */
	char *crs_operation;               /* PROJ's description, "identity (...)" when none */
	double crs_accuracy_m;             /* -1 when PROJ does not know it */
	/* the other layers whose CRS differs from the roads' have an operation of their own,
	 * reported too (in reading order); the rest share the roads' */
	struct ws_layer_operation {
		const char *layer;         /* the layer's name, borrowed */
		char *operation;
		double accuracy_m;         /* -1: unknown */
	} layer_ops[5];
	size_t n_layer_ops;
	struct ws_shapes compounds_work;   /* compounds in the working CRS */
	struct ws_shapes zones_work;
	struct ws_polygon_repair *zone_repair;  /* per zone, what building its polygon repaired */
	bool *zone_empty;                       /* per zone: no area after repair */

	struct ws_segments segs;
	struct ws_snap_index *snap_index;
	struct ws_graph graph;
	struct ws_access access;           /* compound access points (--access point) */

	struct ws_points centers_pts, access_pts, gates_pts, candidates_pts, extra_pts;

	/* routing sources: one per center, one per compound (its access points) */
	size_t *center_first, *compound_first;
	struct ws_route_seed *center_seeds, *compound_seeds;
	struct ws_route_sources center_src, compound_src;

	size_t n_inputs;
	struct ws_input_file inputs[WS_MAX_INPUT_FILES];

	double time_read_s, time_reproject_s, time_graph_s, time_snap_s;

	/* access modes beyond the default point */
	enum ws_access_mode access_mode;
	struct ws_gate_assignment gate_assign;   /* WS_ACCESS_GATES */
	double gate_distance_m;                  /* the one used (gates, boundary) */
	enum ws_access_mode *compound_access;    /* per compound: the mode its seeds come from
						    (WS_ACCESS_POINT for a fallback) */
	size_t n_access_fallback;                /* compounds with no gate / boundary node */
};

/* --access gates: whether gate i is an entrance of its compound, else the first reason
 * it is not (the reasons are disjoint, so they add up to the unused gates). */
enum ws_gate_use {
	WS_GATE_USED,
	WS_GATE_UNKNOWN_COMPOUND,   /* its `compound` attribute names no compound id */
	WS_GATE_NO_LOCATION,        /* NULL shape */
	WS_GATE_UNASSIGNED,         /* no compound contains it or lies within the gate distance */
	WS_GATE_UNSNAPPED,          /* assigned, but farther than --max-snap from the network */
	WS_GATE_USE_COUNT
};
enum ws_gate_use ws_study_gate_use(const struct ws_study *st, size_t gate);
/* How many gates are no entrance (0 unless --access gates). */
size_t ws_study_n_unused_gates(const struct ws_study *st);

/* Resolves the input paths of `opt` (dataset folder convention, explicit flags, bundled
 * sample) into `paths` (roads, compounds, centers, gates, candidates, zones; NULL when
 * not used); strings are malloc'd, caller frees each. Missing required files are
 * reported by ws_study_load, not here. */
bool ws_study_resolve_paths(const struct ws_study_options *opt, char *paths[6], struct ws_error *err);

/* Every input file of the resolved paths (.shp .shx .dbf .prj .cpg that exist), for the
 * output-folder safety check. Returns how many (at most max). */
size_t ws_study_input_files(char *const paths[6], char **files, size_t max);

bool ws_study_load(struct ws_study *st, const struct ws_study_options *opt, struct ws_error *err);
void ws_study_finish(struct ws_study *st);

/* The study's area of interest for ws_transform_create_within: the roads' geographic
 * extent, NULL when PROJ could not place it (only possible with --crs). */
static inline const double *ws_study_extent(const struct ws_study *st)
{
	return st->has_extent ? st->extent_lonlat : NULL;
}

/* Wall-clock seconds since an arbitrary start. */
double ws_now_s(void);

#endif
