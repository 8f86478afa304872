/* The front half of every command. Invariant after ws_study_load: every coordinate used
 * downstream is in the working CRS; every point set has been snapped against the same
 * segments and the graph was split at all of them at once, so their nodes are valid in
 * the one graph. */
#include "study.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/zones.h"
#include "io/checksum.h"
#include "ws_config.h"

double ws_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static const char *sample_dir(void)
{
	if (file_exists(WS_SAMPLE_DIR "/roads.shp"))
		return WS_SAMPLE_DIR;
	return WS_INSTALLED_SAMPLE_DIR;
}

bool ws_study_resolve_paths(const struct ws_study_options *opt, char *paths[6], struct ws_error *err)
{
	static const char *const stems[6] = {"roads.shp", "compounds.shp", "centers.shp",
					     "gates.shp", "candidates.shp", "zones.shp"};
	const char *given[6] = {opt->roads_path, opt->compounds_path, opt->centers_path,
				opt->gates_path, opt->candidates_path, opt->zones_path};
	const bool wanted[6] = {true, true, true, opt->use_gates, opt->use_candidates, opt->use_zones};
	const char *dir = opt->dataset_dir;
	bool all_given = given[0] && given[1] && given[2];
	if (!dir && !all_given)
		dir = sample_dir();
	for (int i = 0; i < 6; i++) {
		paths[i] = NULL;
		if (given[i])
			paths[i] = strdup(given[i]);
		else if (wanted[i] && dir) {
			paths[i] = join(dir, stems[i]);
			/* optional layers from the folder only when present */
			if (i >= 3 && paths[i] && !file_exists(paths[i])) {
				free(paths[i]);
				paths[i] = NULL;
			}
		}
		if ((given[i] || (wanted[i] && dir && i < 3)) && !paths[i]) {
			for (int k = 0; k < i; k++)
				free(paths[k]);
			return ws_error_nomem(err);
		}
	}
	if (!paths[0] || !paths[1] || !paths[2])
		return ws_error_set(err, WS_ERR_USAGE,
				    "give a dataset folder or all of --roads, --compounds and --centers");
	return true;
}

size_t ws_study_input_files(char *const paths[6], char **files, size_t max)
{
	static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};
	size_t n = 0;
	for (int i = 0; i < 6; i++) {
		if (!paths[i])
			continue;
		size_t len = strlen(paths[i]);
		size_t stem = len >= 4 && !strcasecmp(paths[i] + len - 4, ".shp") ? len - 4 : len;
		for (size_t e = 0; e < 5 && n < max; e++) {
			char *p = malloc(stem + 5);
			if (!p)
				return n;
			memcpy(p, paths[i], stem);
			strcpy(p + stem, exts[e]);
			if (e == 0 || file_exists(p))
				files[n++] = p;
			else
				free(p);
		}
	}
	return n;
}

static bool read_layer(struct ws_layer *layer, const char *path, enum ws_geom_kind kind,
		       const struct ws_study_options *opt, struct ws_error *err)
{
	return ws_layer_read(layer, path, kind, opt->encoding, err);
}

/* The CRS of a layer: --src-crs, else its .prj (required: never assume EPSG:4326). */
static struct ws_crs *layer_crs(const struct ws_layer *layer, const struct ws_study_options *opt,
				struct ws_error *err)
{
	if (opt->src_crs)
		return ws_crs_create(opt->src_crs, "--src-crs", err);
	char what[300];
	snprintf(what, sizeof what, "%s.prj", layer->name);
	if (!layer->prj_wkt) {
		ws_error_set(err, WS_ERR_FORMAT,
			     "%s: missing or empty; give the source CRS with --src-crs (walkshed never assumes EPSG:4326)",
			     what);
		return NULL;
	}
	return ws_crs_create(layer->prj_wkt, what, err);
}

static size_t feature_of_point(const struct ws_shapes *s, size_t point)
{
	size_t lo = 0, hi = s->n_features;
	/* last feature whose first point <= point */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (s->part_first_point[s->feature_first_part[mid]] <= point)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Reprojects a copy of `layer`'s geometry into the working CRS. A layer whose CRS
 * definition is the same text as the roads' reuses the roads' transform (`shared`):
 * creating a PROJ operation costs tens of milliseconds. */
static bool project_shapes(struct ws_shapes *out, const struct ws_layer *layer,
			   const struct ws_study_options *opt, struct ws_study *st,
			   const struct ws_transform *shared, const char *shared_definition,
			   struct ws_error *err)
{
	const char *definition = opt->src_crs ? opt->src_crs : layer->prj_wkt;
	struct ws_transform *tr = NULL;
	if (!(shared && definition && shared_definition && !strcmp(definition, shared_definition))) {
		struct ws_crs *src = layer_crs(layer, opt, err);
		if (!src)
			return false;
		tr = ws_transform_create_within(src, st->work_crs, opt->max_crs_error_m, ws_study_extent(st), err);
		ws_crs_destroy(src);
		if (!tr)
			return ws_error_prefix(err, "%s: ", layer->name);
		shared = tr;
		if (st->n_layer_ops < sizeof st->layer_ops / sizeof st->layer_ops[0]) {
			struct ws_layer_operation *op = &st->layer_ops[st->n_layer_ops];
			op->layer = layer->name;
			op->accuracy_m = ws_transform_accuracy_m(tr);
			if (!(op->operation = strdup(ws_transform_description(tr)))) {
				ws_transform_destroy(tr);
				return ws_error_nomem(err);
			}
			st->n_layer_ops++;
		}
	}
	bool ok = ws_shapes_copy(out, &layer->geom, err);
	size_t bad = 0;
	if (ok && !ws_transform_points(shared, out->xy, out->n_points, opt->threads, &bad, err)) {
		ok = false;
		if (bad < out->n_points)
			ws_error_prefix(err, "%s.shp: record %zu: ", layer->name, feature_of_point(out, bad));
	}
	ws_transform_destroy(tr);
	return ok;
}

/* Point layers: one xy per feature; a NULL shape gets NaN and stays unsnapped. */
static bool points_from_shapes(struct ws_points *pts, const struct ws_shapes *s, struct ws_error *err)
{
	pts->n = s->n_features;
	pts->xy = malloc((pts->n + 1) * 2 * sizeof *pts->xy);
	if (!pts->xy)
		return ws_error_nomem(err);
	for (size_t f = 0; f < s->n_features; f++) {
		if (ws_shapes_feature_parts(s, f) == 0) {
			pts->xy[2 * f] = pts->xy[2 * f + 1] = NAN;
			continue;
		}
		size_t p = s->part_first_point[s->feature_first_part[f]];
		pts->xy[2 * f] = s->xy[2 * p];
		pts->xy[2 * f + 1] = s->xy[2 * p + 1];
	}
	return true;
}

static bool project_points(struct ws_points *pts, const struct ws_layer *layer,
			   const struct ws_study_options *opt, struct ws_study *st,
			   const struct ws_transform *shared, const char *shared_definition,
			   struct ws_error *err)
{
	struct ws_shapes tmp;
	if (!project_shapes(&tmp, layer, opt, st, shared, shared_definition, err))
		return false;
	bool ok = points_from_shapes(pts, &tmp, err);
	ws_shapes_finish(&tmp);
	return ok;
}

static void points_finish(struct ws_points *p)
{
	free(p->xy);
	free(p->snap);
	free(p->node);
	memset(p, 0, sizeof *p);
}

static bool points_snap(struct ws_points *p, const struct ws_snap_index *idx, double max_snap_m,
			int threads, struct ws_error *err)
{
	p->snap = malloc((p->n + 1) * sizeof *p->snap);
	p->node = malloc((p->n + 1) * sizeof *p->node);
	if (!p->snap || !p->node)
		return ws_error_nomem(err);
	ws_snap_points(idx, p->xy, p->n, max_snap_m, threads, p->snap);
	return true;
}

/* Feature ids: --id-field, else `id`, else `osm_id`, else the FID. */
static bool make_ids(char ***ids, const struct ws_layer *layer, const char *id_field,
		     const char **used, struct ws_error *err)
{
	int field = -1;
	if (id_field) {
		field = ws_layer_field_index(layer, id_field);
		if (field < 0)
			return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no field named \"%s\" (--id-field)",
					    layer->name, id_field);
	} else {
		field = ws_layer_field_index(layer, "id");
		if (field < 0)
			field = ws_layer_field_index(layer, "osm_id");
	}
	*used = field >= 0 ? layer->fields[field].name : "FID";
	size_t n = layer->geom.n_features;
	*ids = calloc(n + 1, sizeof **ids);
	if (!*ids)
		return ws_error_nomem(err);
	for (size_t f = 0; f < n; f++) {
		char buf[32];
		const char *v = field >= 0 ? ws_layer_value(layer, f, field) : NULL;
		if (!v || !*v) {
			snprintf(buf, sizeof buf, "%zu", f);
			v = buf;
		}
		if (!((*ids)[f] = strdup(v)))
			return ws_error_nomem(err);
	}
	return true;
}

static void free_ids(char **ids, size_t n)
{
	if (!ids)
		return;
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static bool add_input(struct ws_study *st, const char *path, struct ws_error *err)
{
	if (st->n_inputs >= WS_MAX_INPUT_FILES)
		return true;
	struct ws_input_file *in = &st->inputs[st->n_inputs];
	if (!ws_checksum_sha256_file(path, in->sha256, err))
		return false;
	if (!(in->path = strdup(path)))
		return ws_error_nomem(err);
	st->n_inputs++;
	return true;
}

static double gate_distance(const struct ws_study_options *opt)
{
	return opt->gate_distance_m > 0 ? opt->gate_distance_m : WS_GATE_DISTANCE_DEFAULT_M;
}

/* Gates (--access gates): assigned to compounds by the rule of analysis/entrances.h. */
static bool assign_gates(struct ws_study *st, const struct ws_study_options *opt, struct ws_error *err)
{
	size_t n = st->gates_pts.n;
	const char **attr = calloc(n + 1, sizeof *attr);
	if (!attr)
		return ws_error_nomem(err);
	int field = st->have_gates ? ws_layer_field_index(&st->gates, "compound") : -1;
	for (size_t i = 0; i < n && field >= 0; i++)
		attr[i] = ws_layer_value(&st->gates, i, field);
	bool ok = ws_gates_assign(&st->gate_assign, st->gates_pts.xy, n, attr, &st->compounds_work,
				  (const char *const *)st->compound_id, gate_distance(opt), opt->threads, err);
	free(attr);
	return ok;
}

/* One source per compound. Point mode: its access point. Gates: its assigned gates that
 * snapped (a compound with no assigned gate falls back to its access point). Boundary:
 * every graph node within the gate distance of it, walked from offset 0 (a compound with
 * none falls back to its access point). */
static bool build_compound_seeds(struct ws_study *st, const struct ws_study_options *opt,
				 struct ws_error *err)
{
	size_t nk = st->compounds.geom.n_features;
	size_t *bfirst = NULL, *gfirst = NULL;
	uint32_t *bnodes = NULL, *gorder = NULL;
	bool ok = false;
	st->access_mode = opt->access;
	st->gate_distance_m = gate_distance(opt);
	st->compound_access = calloc(nk + 1, sizeof *st->compound_access);
	st->compound_first = calloc(nk + 1, sizeof *st->compound_first);
	if (!st->compound_access || !st->compound_first)
		return ws_error_nomem(err);
	if (opt->access == WS_ACCESS_BOUNDARY &&
	    !ws_boundary_nodes(&st->graph, &st->compounds_work, gate_distance(opt), opt->threads,
			       &bfirst, &bnodes, err))
		return false;
	if (opt->access == WS_ACCESS_GATES) {
		/* gates by compound, in gate order */
		size_t ng = st->gate_assign.n_gates;
		gfirst = calloc(nk + 2, sizeof *gfirst);
		gorder = malloc((ng + 1) * sizeof *gorder);
		if (!gfirst || !gorder) {
			ws_error_nomem(err);
			goto done;
		}
		for (size_t i = 0; i < ng; i++)
			if (st->gate_assign.compound[i] != WS_NO_COMPOUND)
				gfirst[st->gate_assign.compound[i] + 2]++;
		for (size_t c = 0; c < nk; c++)
			gfirst[c + 2] += gfirst[c + 1];
		for (size_t i = 0; i < ng; i++)
			if (st->gate_assign.compound[i] != WS_NO_COMPOUND)
				gorder[gfirst[st->gate_assign.compound[i] + 1]++] = (uint32_t)i;
	}
	size_t cap = st->access.n_points + (bfirst ? bfirst[nk] : 0) + st->gates_pts.n + 1;
	st->compound_seeds = malloc(cap * sizeof *st->compound_seeds);
	if (!st->compound_seeds) {
		ws_error_nomem(err);
		goto done;
	}
	size_t k = 0;
	for (size_t c = 0; c < nk; c++) {
		bool own = false;
		if (gfirst && gfirst[c + 1] > gfirst[c]) {
			own = true;
			for (size_t j = gfirst[c]; j < gfirst[c + 1]; j++) {
				uint32_t gi = gorder[j];
				if (st->gates_pts.node[gi] != WS_NO_NODE)
					st->compound_seeds[k++] = (struct ws_route_seed){
						st->gates_pts.node[gi], st->gates_pts.snap[gi].dist_m};
			}
		} else if (bfirst && bfirst[c + 1] > bfirst[c]) {
			own = true;
			for (size_t j = bfirst[c]; j < bfirst[c + 1]; j++)
				st->compound_seeds[k++] = (struct ws_route_seed){bnodes[j], 0};
		}
		st->compound_access[c] = own ? opt->access : WS_ACCESS_POINT;
		if (!own) {
			if (opt->access != WS_ACCESS_POINT && !st->access.empty[c])
				st->n_access_fallback++;
			for (size_t a = st->access.first[c]; a < st->access.first[c + 1]; a++)
				if (st->access_pts.node[a] != WS_NO_NODE)
					st->compound_seeds[k++] = (struct ws_route_seed){
						st->access_pts.node[a], st->access_pts.snap[a].dist_m};
		}
		st->compound_first[c + 1] = k;
	}
	ok = true;
done:
	free(bfirst);
	free(bnodes);
	free(gfirst);
	free(gorder);
	return ok;
}

bool ws_study_load(struct ws_study *st, const struct ws_study_options *opt, struct ws_error *err)
{
	memset(st, 0, sizeof *st);
	char *paths[6] = {0};
	char *files[WS_MAX_INPUT_FILES] = {0};
	size_t n_files = 0;
	struct ws_transform *roads_tr = NULL;
	bool ok = false;
	double t0 = ws_now_s();

	if (!ws_study_resolve_paths(opt, paths, err))
		return false;
	if (!read_layer(&st->roads, paths[0], WS_GEOM_LINE, opt, err) ||
	    !read_layer(&st->compounds, paths[1], WS_GEOM_POLYGON, opt, err) ||
	    !read_layer(&st->centers, paths[2], WS_GEOM_POINT, opt, err))
		goto done;
	if (paths[3]) {
		if (!read_layer(&st->gates, paths[3], WS_GEOM_POINT, opt, err))
			goto done;
		st->have_gates = true;
	}
	if (paths[4]) {
		if (!read_layer(&st->candidates, paths[4], WS_GEOM_POINT, opt, err))
			goto done;
		st->have_candidates = true;
	}
	if (paths[5]) {
		if (!read_layer(&st->zones, paths[5], WS_GEOM_POLYGON, opt, err))
			goto done;
		st->have_zones = true;
	}
	const char *unused;
	if (!make_ids(&st->compound_id, &st->compounds, opt->id_field, &st->id_field_used, err) ||
	    !make_ids(&st->center_id, &st->centers, opt->id_field, &unused, err) ||
	    (st->have_gates && !make_ids(&st->gate_id, &st->gates, opt->id_field, &unused, err)) ||
	    (st->have_candidates && !make_ids(&st->candidate_id, &st->candidates, opt->id_field, &unused, err)) ||
	    (st->have_zones && !make_ids(&st->zone_id, &st->zones, opt->id_field, &unused, err)))
		goto done;
	n_files = ws_study_input_files(paths, files, WS_MAX_INPUT_FILES);
	for (size_t i = 0; i < n_files; i++)
		if (!add_input(st, files[i], err))
			goto done;
	double t1 = ws_now_s();
	st->time_read_s = t1 - t0;

	/* working CRS (SPEC 2) */
	st->src_crs_given = opt->src_crs != NULL;
	if (!(st->src_crs = layer_crs(&st->roads, opt, err)))
		goto done;
	/* The roads' extent: the centre picks the UTM zone; every datum operation is picked
	 * for this area (ws_transform_create_within). With --crs a box PROJ cannot place is
	 * left to the reprojection, whose error names the record. */
	struct ws_error extent_err = {0};
	{
		double bbox[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
		const struct ws_shapes *r = &st->roads.geom;
		for (size_t i = 0; i < r->n_points; i++) {
			bbox[0] = fmin(bbox[0], r->xy[2 * i]);
			bbox[1] = fmin(bbox[1], r->xy[2 * i + 1]);
			bbox[2] = fmax(bbox[2], r->xy[2 * i]);
			bbox[3] = fmax(bbox[3], r->xy[2 * i + 1]);
		}
		st->has_extent = ws_crs_lonlat_extent(st->src_crs, bbox, st->extent_lonlat, &extent_err);
	}
	if (opt->work_crs) {
		st->work_crs = ws_crs_create(opt->work_crs, "--crs", err);
		if (st->work_crs && !ws_crs_is_metric(st->work_crs)) {
			ws_error_set(err, WS_ERR_USAGE, "--crs %s: not a projected CRS in metres", opt->work_crs);
			goto done;
		}
	} else if (!st->has_extent) {
		*err = extent_err;
		ws_error_prefix(err, "%s.shp: ", st->roads.name);
	} else {
		st->work_crs = ws_crs_create_utm_for(st->extent_lonlat, err);
	}
	if (!st->work_crs)
		goto done;
	struct ws_crs *wgs84 = ws_crs_create("EPSG:4326", "EPSG:4326", err);
	if (!wgs84)
		goto done;
	st->to_wgs84 = ws_transform_create_within(st->work_crs, wgs84, -1, ws_study_extent(st), err);
	ws_crs_destroy(wgs84);
	if (!st->to_wgs84)
		goto done;

	roads_tr = ws_transform_create_within(st->src_crs, st->work_crs, opt->max_crs_error_m,
					      ws_study_extent(st), err);
	if (!roads_tr) {
		ws_error_prefix(err, "%s: ", st->roads.name);
		goto done;
	}
	st->crs_accuracy_m = ws_transform_accuracy_m(roads_tr);
	st->crs_operation = strdup(ws_transform_description(roads_tr));
	if (!st->crs_operation) {
		ws_error_nomem(err);
		goto done;
	}
	const char *roads_def = opt->src_crs ? opt->src_crs : st->roads.prj_wkt;
	if (!ws_segments_build(&st->segs, &st->roads, &opt->filter, roads_tr, opt->threads, err))
		goto done;
	if (st->segs.n_segments == 0) {
		ws_error_set(err, WS_ERR_FORMAT, "%s.shp: no walkable segment (all %zu lines excluded or empty)",
			     st->roads.name, st->roads.geom.n_features);
		goto done;
	}
	if (!project_shapes(&st->compounds_work, &st->compounds, opt, st, roads_tr, roads_def, err) ||
	    !project_points(&st->centers_pts, &st->centers, opt, st, roads_tr, roads_def, err))
		goto done;
	if (st->have_gates &&
	    !project_points(&st->gates_pts, &st->gates, opt, st, roads_tr, roads_def, err))
		goto done;
	if (st->have_candidates &&
	    !project_points(&st->candidates_pts, &st->candidates, opt, st, roads_tr, roads_def, err))
		goto done;
	if (st->have_zones) {
		size_t nz = st->zones.geom.n_features;
		st->zone_repair = calloc(nz + 1, sizeof *st->zone_repair);
		st->zone_empty = calloc(nz + 1, sizeof *st->zone_empty);
		if (!st->zone_repair || !st->zone_empty) {
			ws_error_nomem(err);
			goto done;
		}
		if (!project_shapes(&st->zones_work, &st->zones, opt, st, roads_tr, roads_def, err) ||
		    !ws_zones_repairs(&st->zones_work, st->zones.name, st->zone_repair, st->zone_empty, err))
			goto done;
	}
	double t2 = ws_now_s();
	st->time_reproject_s = t2 - t1;

	/* access points and snapping */
	if (!ws_access_point_on_surface(&st->access, &st->compounds_work, opt->threads, err))
		goto done;
	st->access_pts.n = st->access.n_points;
	st->access_pts.xy = malloc((st->access.n_points + 1) * 2 * sizeof(double));
	if (!st->access_pts.xy) {
		ws_error_nomem(err);
		goto done;
	}
	memcpy(st->access_pts.xy, st->access.xy, st->access.n_points * 2 * sizeof(double));
	double *more_xy = NULL;
	size_t n_more = 0;
	if (opt->more_extra && !opt->more_extra(opt->more_extra_ctx, st, &more_xy, &n_more, err))
		goto done;
	st->extra_pts.n = opt->n_extra + n_more;
	st->extra_pts.xy = malloc((st->extra_pts.n + 1) * 2 * sizeof(double));
	if (!st->extra_pts.xy) {
		free(more_xy);
		ws_error_nomem(err);
		goto done;
	}
	if (opt->n_extra)
		memcpy(st->extra_pts.xy, opt->extra_xy, opt->n_extra * 2 * sizeof(double));
	if (n_more)
		memcpy(st->extra_pts.xy + 2 * opt->n_extra, more_xy, n_more * 2 * sizeof(double));
	free(more_xy);

	if (opt->access == WS_ACCESS_GATES && !assign_gates(st, opt, err))
		goto done;
	if (!(st->snap_index = ws_snap_index_create(&st->segs, err)))
		goto done;
	struct ws_points *sets[] = {&st->centers_pts, &st->access_pts, &st->gates_pts,
				    &st->candidates_pts, &st->extra_pts};
	size_t n_sets = sizeof sets / sizeof sets[0], total = 0;
	for (size_t i = 0; i < n_sets; i++) {
		if (!points_snap(sets[i], st->snap_index, opt->max_snap_m, opt->threads, err))
			goto done;
		total += sets[i]->n;
	}
	double t3 = ws_now_s();
	st->time_snap_s = t3 - t2;

	/* one graph split at every snapped point of every set */
	struct ws_snap *all = malloc((total + 1) * sizeof *all);
	uint32_t *all_node = malloc((total + 1) * sizeof *all_node);
	if (!all || !all_node) {
		free(all);
		free(all_node);
		ws_error_nomem(err);
		goto done;
	}
	size_t k = 0;
	for (size_t i = 0; i < n_sets; i++) {
		memcpy(all + k, sets[i]->snap, sets[i]->n * sizeof *all);
		k += sets[i]->n;
	}
	bool graph_ok = ws_graph_build(&st->graph, &st->segs, all, total, all_node, err);
	k = 0;
	for (size_t i = 0; i < n_sets && graph_ok; i++) {
		memcpy(sets[i]->node, all_node + k, sets[i]->n * sizeof *all_node);
		k += sets[i]->n;
	}
	free(all);
	free(all_node);
	if (!graph_ok)
		goto done;

	/* routing sources */
	size_t nc = st->centers_pts.n, nk = st->compounds.geom.n_features;
	if (!build_compound_seeds(st, opt, err))
		goto done;
	st->center_first = calloc(nc + 1, sizeof *st->center_first);
	st->center_seeds = malloc((nc + 1) * sizeof *st->center_seeds);
	if (!st->center_first || !st->center_seeds) {
		ws_error_nomem(err);
		goto done;
	}
	for (size_t i = 0; i < nc; i++) {
		st->center_first[i + 1] = st->center_first[i];
		if (st->centers_pts.node[i] != WS_NO_NODE)
			st->center_seeds[st->center_first[i + 1]++] =
				(struct ws_route_seed){st->centers_pts.node[i], st->centers_pts.snap[i].dist_m};
	}
	st->center_src = (struct ws_route_sources){nc, st->center_first, st->center_seeds};
	st->compound_src = (struct ws_route_sources){nk, st->compound_first, st->compound_seeds};
	st->time_graph_s = ws_now_s() - t3;
	ok = true;
done:
	ws_transform_destroy(roads_tr);
	for (int i = 0; i < 6; i++)
		free(paths[i]);
	for (size_t i = 0; i < n_files; i++)
		free(files[i]);
	if (!ok)
		ws_study_finish(st);
	return ok;
}

enum ws_gate_use ws_study_gate_use(const struct ws_study *st, size_t gate)
{
	const double *xy = st->gates_pts.xy + 2 * gate;
	if (st->gate_assign.rule[gate] == WS_GATE_UNKNOWN_ID)
		return WS_GATE_UNKNOWN_COMPOUND;
	if (isnan(xy[0]) || isnan(xy[1]))
		return WS_GATE_NO_LOCATION;
	if (st->gate_assign.rule[gate] == WS_GATE_NONE)
		return WS_GATE_UNASSIGNED;
	return st->gates_pts.node[gate] == WS_NO_NODE ? WS_GATE_UNSNAPPED : WS_GATE_USED;
}

size_t ws_study_n_unused_gates(const struct ws_study *st)
{
	size_t n = 0;
	if (st->access_mode == WS_ACCESS_GATES)
		for (size_t i = 0; i < st->gate_assign.n_gates; i++)
			n += ws_study_gate_use(st, i) != WS_GATE_USED;
	return n;
}

void ws_study_finish(struct ws_study *st)
{
	if (!st)
		return;
	free_ids(st->compound_id, st->compounds.geom.n_features);
	free_ids(st->center_id, st->centers.geom.n_features);
	free_ids(st->gate_id, st->gates.geom.n_features);
	free_ids(st->candidate_id, st->candidates.geom.n_features);
	free_ids(st->zone_id, st->zones.geom.n_features);
	free(st->zone_repair);
	free(st->zone_empty);
	ws_layer_finish(&st->roads);
	ws_layer_finish(&st->compounds);
	ws_layer_finish(&st->centers);
	ws_layer_finish(&st->gates);
	ws_layer_finish(&st->candidates);
	ws_layer_finish(&st->zones);
	ws_crs_destroy(st->src_crs);
	ws_crs_destroy(st->work_crs);
	ws_transform_destroy(st->to_wgs84);
	free(st->crs_operation);
	for (size_t i = 0; i < st->n_layer_ops; i++)
		free(st->layer_ops[i].operation);
	ws_shapes_finish(&st->compounds_work);
	ws_shapes_finish(&st->zones_work);
	ws_segments_finish(&st->segs);
	ws_snap_index_destroy(st->snap_index);
	ws_graph_finish(&st->graph);
	ws_access_finish(&st->access);
	ws_gates_finish(&st->gate_assign);
	free(st->compound_access);
	points_finish(&st->centers_pts);
	points_finish(&st->access_pts);
	points_finish(&st->gates_pts);
	points_finish(&st->candidates_pts);
	points_finish(&st->extra_pts);
	free(st->center_first);
	free(st->center_seeds);
	free(st->compound_first);
	free(st->compound_seeds);
	for (size_t i = 0; i < st->n_inputs; i++)
		free(st->inputs[i].path);
	memset(st, 0, sizeof *st);
}
