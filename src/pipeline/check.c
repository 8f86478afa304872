/* QA pre-flight. Invariant: every list is in a fixed order (FID, component id, or a
 * documented sort with FID ties), so the report is the same for any thread count. */
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a < b ? -1 : a > b;
}

bool ws_snap_stats_compute(struct ws_snap_stats *s, const double *dist_m, size_t n,
			   struct ws_error *err)
{
	memset(s, 0, sizeof *s);
	s->min_m = s->median_m = s->p90_m = s->max_m = NAN;
	double *v = malloc((n + 1) * sizeof *v);
	if (!v)
		return ws_error_nomem(err);
	for (size_t i = 0; i < n; i++) {
		if (isnan(dist_m[i]))
			s->n_unsnapped++;
		else
			v[s->n_snapped++] = dist_m[i];
	}
	size_t k = s->n_snapped;
	if (k) {
		qsort(v, k, sizeof *v, compare_double);
		s->min_m = v[0];
		s->max_m = v[k - 1];
		s->median_m = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
		size_t rank = (9 * k + 9) / 10; /* ceil(0.9 k) */
		s->p90_m = v[rank - 1];
	}
	free(v);
	return true;
}

static bool check_layers(struct ws_check *c, const struct ws_study *st, const char *src_crs,
			 struct ws_error *err)
{
	const struct ws_layer *layers[6] = {&st->roads, &st->compounds, &st->centers,
					    st->have_gates ? &st->gates : NULL,
					    st->have_candidates ? &st->candidates : NULL,
					    st->have_zones ? &st->zones : NULL};
	for (int i = 0; i < 6; i++) {
		if (!layers[i])
			continue;
		struct ws_layer_check *lc = &c->layers[c->n_layers++];
		lc->layer = layers[i];
		for (size_t f = 0; f < layers[i]->geom.n_features; f++)
			lc->n_empty += ws_shapes_feature_parts(&layers[i]->geom, f) == 0;
		const char *def = src_crs ? src_crs : layers[i]->prj_wkt;
		if (!def) {
			snprintf(lc->crs_error, sizeof lc->crs_error, "no .prj");
			continue;
		}
		struct ws_error e = {0};
		struct ws_crs *crs = ws_crs_create(def, src_crs ? "--src-crs" : "prj", &e);
		if (!crs) {
			snprintf(lc->crs_error, sizeof lc->crs_error, "%s", e.msg);
			continue;
		}
		size_t n = strlen(ws_crs_name(crs)) + strlen(ws_crs_code(crs)) + 4;
		lc->crs = malloc(n);
		if (lc->crs) {
			if (strcmp(ws_crs_name(crs), ws_crs_code(crs)))
				snprintf(lc->crs, n, "%s (%s)", ws_crs_code(crs), ws_crs_name(crs));
			else
				snprintf(lc->crs, n, "%s", ws_crs_name(crs));
		}
		lc->unit = ws_crs_unit_name(crs);
		ws_crs_destroy(crs);
		if (!lc->crs)
			return ws_error_nomem(err);
	}
	return true;
}

static int compare_island(const void *pa, const void *pb)
{
	const struct ws_island *a = pa, *b = pb;
	if (a->main != b->main)
		return a->main ? -1 : 1;
	if (a->n_nodes != b->n_nodes)
		return a->n_nodes > b->n_nodes ? -1 : 1;
	return a->component < b->component ? -1 : a->component > b->component;
}

static bool check_islands(struct ws_check *c, const struct ws_study *st, struct ws_error *err)
{
	const struct ws_graph *g = &st->graph;
	size_t nk = st->compounds.geom.n_features, nc = st->centers_pts.n;
	uint32_t *comp = malloc(((size_t)g->n_nodes + 1) * sizeof *comp);
	uint32_t *size = NULL;
	size_t *n_comp_k = NULL, *n_comp_c = NULL;
	double *length = NULL;
	bool ok = false;
	c->compound_island_nodes = calloc(nk + 1, sizeof *c->compound_island_nodes);
	c->center_island_nodes = calloc(nc + 1, sizeof *c->center_island_nodes);
	c->off_compounds = malloc((nk + 1) * sizeof *c->off_compounds);
	c->off_centers = malloc((nc + 1) * sizeof *c->off_centers);
	if (!comp || !c->compound_island_nodes || !c->center_island_nodes || !c->off_compounds ||
	    !c->off_centers) {
		ws_error_nomem(err);
		goto done;
	}
	if (!ws_graph_components(g, comp, &c->n_components, &size, err))
		goto done;
	n_comp_k = calloc((size_t)c->n_components + 1, sizeof *n_comp_k);
	n_comp_c = calloc((size_t)c->n_components + 1, sizeof *n_comp_c);
	length = calloc((size_t)c->n_components + 1, sizeof *length);
	if (!n_comp_k || !n_comp_c || !length) {
		ws_error_nomem(err);
		goto done;
	}
	for (uint32_t i = 0; i < c->n_components; i++)
		if (size[i] > c->main_nodes) {
			c->main_nodes = size[i];
			c->main_component = i;
		}
	for (uint32_t v = 0; v < g->n_nodes; v++)
		for (uint32_t a = g->first_out[v]; a < g->first_out[v + 1]; a++)
			length[comp[v]] += g->length_m[a] / 2;
	/* a compound's entrances are the sources the audit routes from: its snapped access
	 * points, gates or boundary nodes (--access) */
	for (size_t k = 0; k < nk; k++) {
		bool on_main = false;
		for (size_t a = st->compound_first[k]; a < st->compound_first[k + 1]; a++) {
			uint32_t node = st->compound_seeds[a].node;
			uint32_t cid = comp[node];
			/* count the compound once per component it touches */
			bool seen = false;
			for (size_t b = st->compound_first[k]; b < a && !seen; b++)
				seen = comp[st->compound_seeds[b].node] == cid;
			if (!seen)
				n_comp_k[cid]++;
			if (size[cid] > c->compound_island_nodes[k])
				c->compound_island_nodes[k] = size[cid];
			on_main = on_main || cid == c->main_component;
		}
		if (c->compound_island_nodes[k] && !on_main)
			c->off_compounds[c->n_off_compounds++] = k;
	}
	for (size_t s = 0; s < nc; s++) {
		uint32_t node = st->centers_pts.node[s];
		if (node == WS_NO_NODE)
			continue;
		uint32_t cid = comp[node];
		n_comp_c[cid]++;
		c->center_island_nodes[s] = size[cid];
		if (cid != c->main_component)
			c->off_centers[c->n_off_centers++] = s;
	}
	size_t n = 0;
	for (uint32_t i = 0; i < c->n_components; i++)
		n += i == c->main_component || n_comp_k[i] || n_comp_c[i];
	c->islands = calloc(n + 1, sizeof *c->islands);
	if (!c->islands) {
		ws_error_nomem(err);
		goto done;
	}
	for (uint32_t i = 0; i < c->n_components; i++)
		if (i == c->main_component || n_comp_k[i] || n_comp_c[i])
			c->islands[c->n_islands++] = (struct ws_island){i, size[i], length[i], n_comp_k[i],
									n_comp_c[i], i == c->main_component};
	qsort(c->islands, c->n_islands, sizeof *c->islands, compare_island);
	ok = true;
done:
	free(comp);
	free(size);
	free(n_comp_k);
	free(n_comp_c);
	free(length);
	return ok;
}

/* Snap distances of a point layer (NaN for unsnapped points) into s. */
static bool points_snap_stats(struct ws_snap_stats *s, const struct ws_points *pts, struct ws_error *err)
{
	double *d = malloc((pts->n + 1) * sizeof *d);
	if (!d)
		return ws_error_nomem(err);
	for (size_t i = 0; i < pts->n; i++)
		d[i] = pts->node[i] == WS_NO_NODE ? NAN : pts->snap[i].dist_m;
	bool ok = ws_snap_stats_compute(s, d, pts->n, err);
	free(d);
	return ok;
}

static bool check_snaps(struct ws_check *c, const struct ws_study *st, struct ws_error *err)
{
	c->have_gate_snap = st->access_mode == WS_ACCESS_GATES;
	return points_snap_stats(&c->center_snap, &st->centers_pts, err) &&
	       points_snap_stats(&c->access_snap, &st->access_pts, err) &&
	       (!c->have_gate_snap || points_snap_stats(&c->gate_snap, &st->gates_pts, err));
}

struct center_key {
	double x, y;
	const char *name;
	size_t fid;
};

static int compare_center(const void *pa, const void *pb)
{
	const struct center_key *a = pa, *b = pb;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	int s = strcmp(a->name, b->name);
	if (s)
		return s;
	return a->fid < b->fid ? -1 : a->fid > b->fid;
}

struct group {
	size_t first_fid, start, end;   /* key[start..end) */
};

static int compare_group(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	return a->first_fid < b->first_fid ? -1 : a->first_fid > b->first_fid;
}

/* Groups of centers at the same source coordinates with the same name. */
static bool check_duplicates(struct ws_check *c, const struct ws_study *st, struct ws_error *err)
{
	const struct ws_layer *l = &st->centers;
	const struct ws_shapes *s = &l->geom;
	int name_field = ws_layer_field_index(l, "name");
	struct center_key *key = malloc((s->n_features + 1) * sizeof *key);
	struct group *groups = malloc((s->n_features + 1) * sizeof *groups);
	c->dup_first = malloc((s->n_features + 2) * sizeof *c->dup_first);
	c->dup_center = malloc((s->n_features + 1) * sizeof *c->dup_center);
	if (!key || !groups || !c->dup_first || !c->dup_center) {
		free(key);
		free(groups);
		return ws_error_nomem(err);
	}
	size_t n = 0;
	for (size_t f = 0; f < s->n_features; f++) {
		if (ws_shapes_feature_parts(s, f) == 0)
			continue;
		size_t p = s->part_first_point[s->feature_first_part[f]];
		key[n++] = (struct center_key){s->xy[2 * p], s->xy[2 * p + 1],
					       ws_layer_value(l, f, name_field), f};
	}
	qsort(key, n, sizeof *key, compare_center);
	/* runs of equal (x, y, name), FIDs ascending within a run; groups by first FID */
	size_t n_groups = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && key[j].x == key[i].x && key[j].y == key[i].y &&
		       !strcmp(key[j].name, key[i].name))
			j++;
		if (j - i > 1)
			groups[n_groups++] = (struct group){key[i].fid, i, j};
		i = j;
	}
	qsort(groups, n_groups, sizeof *groups, compare_group);
	c->dup_first[0] = 0;
	for (size_t g = 0; g < n_groups; g++) {
		size_t at = c->dup_first[g];
		for (size_t k = groups[g].start; k < groups[g].end; k++)
			c->dup_center[at++] = key[k].fid;
		c->dup_first[g + 1] = at;
	}
	c->n_dup_groups = n_groups;
	free(key);
	free(groups);
	return true;
}

bool ws_check_run(struct ws_check *c, const struct ws_study *st, const char *src_crs,
		  struct ws_error *err)
{
	memset(c, 0, sizeof *c);
	c->st = st;
	bool ok = check_layers(c, st, src_crs, err) && check_islands(c, st, err) &&
		  check_snaps(c, st, err) && check_duplicates(c, st, err) &&
		  ws_repairs_collect(&c->repairs, st, err);
	if (!ok)
		ws_check_finish(c);
	return ok;
}

void ws_check_finish(struct ws_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_layers; i++) {
		free(c->layers[i].crs);
		free(c->layers[i].unit);
	}
	free(c->islands);
	free(c->off_compounds);
	free(c->off_centers);
	free(c->compound_island_nodes);
	free(c->center_island_nodes);
	free(c->dup_first);
	free(c->dup_center);
	ws_repairs_finish(&c->repairs);
	memset(c, 0, sizeof *c);
}

bool ws_check_warns(const struct ws_check *c, enum ws_check_warning w)
{
	switch (w) {
	case WS_WARN_COMPOUNDS_OFF_MAIN: return c->n_off_compounds > 0;
	case WS_WARN_CENTERS_OFF_MAIN: return c->n_off_centers > 0;
	case WS_WARN_CENTERS_UNSNAPPED: return c->center_snap.n_unsnapped > 0;
	case WS_WARN_ACCESS_UNSNAPPED: return c->access_snap.n_unsnapped > 0;
	case WS_WARN_GATES_UNUSED: return ws_study_n_unused_gates(c->st) > 0;
	case WS_WARN_DUPLICATE_CENTERS: return c->n_dup_groups > 0;
	case WS_WARN_REPAIRS: return c->repairs.n > 0;
	case WS_WARN_ENCODING_LANGUAGE_DRIVER:
		for (size_t i = 0; i < c->n_layers; i++)
			if (ws_layer_encoding_from_language_driver(c->layers[i].layer))
				return true;
		return false;
	case WS_WARN_COUNT: break;
	}
	return false;
}

size_t ws_check_n_warnings(const struct ws_check *c)
{
	size_t n = 0;
	for (int w = 0; w < WS_WARN_COUNT; w++)
		n += ws_check_warns(c, (enum ws_check_warning)w);
	return n;
}

const char *ws_check_warning_key(enum ws_check_warning w)
{
	static const char *const key[WS_WARN_COUNT] = {
		"compounds_off_main", "centers_off_main", "centers_unsnapped",
		"access_points_unsnapped", "gates_unused", "duplicate_centers", "repairs",
		"encoding_from_language_driver",
	};
	return w < WS_WARN_COUNT ? key[w] : "?";
}
