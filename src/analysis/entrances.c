/* Entrances. Invariant: each gate and each compound writes only its own slot; candidate
 * compounds are found by bounding boxes and decided by GEOS distances in the thread's own
 * context, so the assignment does not depend on the thread count. */
#include "entrances.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/polygon.h"
#include "net/route.h"

const char *ws_access_mode_name(enum ws_access_mode m)
{
	switch (m) {
	case WS_ACCESS_POINT: return "point";
	case WS_ACCESS_GATES: return "gates";
	case WS_ACCESS_BOUNDARY: return "boundary";
	}
	return "?";
}

void ws_gates_finish(struct ws_gate_assignment *ga)
{
	if (!ga)
		return;
	free(ga->compound);
	free(ga->rule);
	free(ga->boundary_m);
	memset(ga, 0, sizeof *ga);
}

struct id_entry {
	const char *id;
	uint32_t compound;
};

static int compare_id(const void *a, const void *b)
{
	const struct id_entry *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->compound < y->compound ? -1 : x->compound > y->compound);
}

/* Bounding boxes of the compounds (xmin, ymin, xmax, ymax; empty: NaN). */
static double *compound_boxes(const struct ws_shapes *s)
{
	double *box = malloc((s->n_features + 1) * 4 * sizeof *box);
	if (!box)
		return NULL;
	for (size_t f = 0; f < s->n_features; f++) {
		double *b = box + 4 * f;
		b[0] = b[1] = INFINITY;
		b[2] = b[3] = -INFINITY;
		size_t k0 = s->part_first_point[s->feature_first_part[f]];
		size_t k1 = s->part_first_point[s->feature_first_part[f + 1]];
		for (size_t k = k0; k < k1; k++) {
			b[0] = fmin(b[0], s->xy[2 * k]);
			b[1] = fmin(b[1], s->xy[2 * k + 1]);
			b[2] = fmax(b[2], s->xy[2 * k]);
			b[3] = fmax(b[3], s->xy[2 * k + 1]);
		}
	}
	return box;
}

static void record_failure(size_t i, const struct ws_error *e, size_t *failed, struct ws_error *out)
{
	#pragma omp critical(ws_entrances_failure)
	if (i < *failed) {
		*failed = i;
		*out = *e;
	}
}

bool ws_gates_assign(struct ws_gate_assignment *ga, const double *gate_xy, size_t n_gates,
		     const char *const *gate_attr, const struct ws_shapes *compounds,
		     const char *const *compound_id, double gate_distance_m, int threads,
		     struct ws_error *err)
{
	memset(ga, 0, sizeof *ga);
	size_t nk = compounds->n_features;
	ga->n_gates = n_gates;
	ga->compound = malloc((n_gates + 1) * sizeof *ga->compound);
	ga->rule = malloc((n_gates + 1) * sizeof *ga->rule);
	ga->boundary_m = malloc((n_gates + 1) * sizeof *ga->boundary_m);
	struct id_entry *ids = malloc((nk + 1) * sizeof *ids);
	double *box = compound_boxes(compounds);
	size_t failed = SIZE_MAX;
	struct ws_error failed_error = {0};
	if (!ga->compound || !ga->rule || !ga->boundary_m || !ids || !box) {
		free(ids);
		free(box);
		ws_gates_finish(ga);
		return ws_error_nomem(err);
	}
	for (size_t c = 0; c < nk; c++)
		ids[c] = (struct id_entry){compound_id[c], (uint32_t)c};
	qsort(ids, nk, sizeof *ids, compare_id);

	int n_threads = ws_route_thread_count(threads);
	(void)n_threads; /* only read by the OpenMP pragma */
	#pragma omp parallel num_threads(n_threads)
	{
		struct ws_geos g;
		struct ws_error ge = {0};
		bool have = ws_geos_init(&g, &ge);
		#pragma omp for schedule(dynamic, 4)
		for (size_t i = 0; i < n_gates; i++) {
			ga->compound[i] = WS_NO_COMPOUND;
			ga->rule[i] = WS_GATE_NONE;
			ga->boundary_m[i] = NAN;
			const char *attr = gate_attr ? gate_attr[i] : NULL;
			double x = gate_xy[2 * i], y = gate_xy[2 * i + 1];
			if (attr && *attr) {
				struct id_entry key = {attr, 0}, *hit = NULL;
				/* the lowest FID with that id: first in sorted order */
				size_t lo = 0, hi = nk;
				while (lo < hi) {
					size_t mid = (lo + hi) / 2;
					if (strcmp(ids[mid].id, key.id) < 0)
						lo = mid + 1;
					else
						hi = mid;
				}
				if (lo < nk && !strcmp(ids[lo].id, attr))
					hit = &ids[lo];
				ga->rule[i] = hit ? WS_GATE_ATTRIBUTE : WS_GATE_UNKNOWN_ID;
				if (hit)
					ga->compound[i] = hit->compound;
				if (!hit || !have || !isfinite(x) || !isfinite(y))
					continue;
			}
			if (!isfinite(x) || !isfinite(y) || !have) {
				if (!have)
					record_failure(i, &ge, &failed, &failed_error);
				continue;
			}
			GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g.h, x, y);
			bool best_inside = false;
			double best_d = INFINITY;
			uint32_t best = WS_NO_COMPOUND;
			for (size_t c = 0; pt && c < nk; c++) {
				if (ga->rule[i] == WS_GATE_ATTRIBUTE && c != ga->compound[i])
					continue;
				const double *b = box + 4 * c;
				if (ga->rule[i] != WS_GATE_ATTRIBUTE &&
				    (x < b[0] - gate_distance_m || x > b[2] + gate_distance_m ||
				     y < b[1] - gate_distance_m || y > b[3] + gate_distance_m))
					continue;
				struct ws_polygon_repair rep;
				bool empty;
				struct ws_error e = {0};
				GEOSGeometry *poly = ws_polygon_build(&g, compounds, c, &rep, &empty, &e);
				if (!poly) {
					if (!empty)
						record_failure(i, &e, &failed, &failed_error);
					continue;
				}
				GEOSGeometry *ring = GEOSBoundary_r(g.h, poly);
				double d = INFINITY;
				char inside = GEOSIntersects_r(g.h, poly, pt);
				if (ring)
					GEOSDistance_r(g.h, ring, pt, &d);
				if (ring)
					GEOSGeom_destroy_r(g.h, ring);
				GEOSGeom_destroy_r(g.h, poly);
				if (ga->rule[i] == WS_GATE_ATTRIBUTE) {
					ga->boundary_m[i] = d;
					continue;
				}
				if (inside != 1 && !(d <= gate_distance_m))
					continue;
				bool in = inside == 1;
				if (best == WS_NO_COMPOUND || (in && !best_inside) ||
				    (in == best_inside && d < best_d)) {
					best = (uint32_t)c;
					best_inside = in;
					best_d = d;
				}
			}
			if (pt)
				GEOSGeom_destroy_r(g.h, pt);
			if (ga->rule[i] != WS_GATE_ATTRIBUTE && best != WS_NO_COMPOUND) {
				ga->compound[i] = best;
				ga->rule[i] = best_inside ? WS_GATE_INSIDE : WS_GATE_NEAR;
				ga->boundary_m[i] = best_d;
			}
		}
		if (have)
			ws_geos_finish(&g);
	}
	free(ids);
	free(box);
	if (failed != SIZE_MAX) {
		ws_gates_finish(ga);
		*err = failed_error;
		return ws_error_prefix(err, "gates: record %zu: ", failed);
	}
	for (size_t i = 0; i < n_gates; i++)
		ga->n_by_rule[ga->rule[i]]++;
	return true;
}

/* A uniform grid over the graph nodes (CSR by cell). */
struct node_grid {
	double x0, y0, cell;
	size_t nx, ny;
	size_t *first;
	uint32_t *node;
};

static bool grid_build(struct node_grid *gr, const struct ws_graph *g, double cell)
{
	memset(gr, 0, sizeof *gr);
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		x0 = fmin(x0, g->node_xy[2 * v]);
		y0 = fmin(y0, g->node_xy[2 * v + 1]);
		x1 = fmax(x1, g->node_xy[2 * v]);
		y1 = fmax(y1, g->node_xy[2 * v + 1]);
	}
	if (g->n_nodes == 0)
		x0 = y0 = x1 = y1 = 0;
	gr->x0 = x0;
	gr->y0 = y0;
	gr->cell = cell;
	gr->nx = (size_t)((x1 - x0) / cell) + 1;
	gr->ny = (size_t)((y1 - y0) / cell) + 1;
	while (gr->nx * gr->ny > 4 * (size_t)g->n_nodes + 16) {
		gr->cell *= 2;
		gr->nx = (size_t)((x1 - x0) / gr->cell) + 1;
		gr->ny = (size_t)((y1 - y0) / gr->cell) + 1;
	}
	size_t n_cells = gr->nx * gr->ny;
	gr->first = calloc(n_cells + 2, sizeof *gr->first);
	gr->node = malloc(((size_t)g->n_nodes + 1) * sizeof *gr->node);
	if (!gr->first || !gr->node)
		return false;
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		size_t cx = (size_t)((g->node_xy[2 * v] - x0) / gr->cell);
		size_t cy = (size_t)((g->node_xy[2 * v + 1] - y0) / gr->cell);
		gr->first[cy * gr->nx + cx + 2]++;
	}
	for (size_t c = 0; c < n_cells; c++)
		gr->first[c + 2] += gr->first[c + 1];
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		size_t cx = (size_t)((g->node_xy[2 * v] - x0) / gr->cell);
		size_t cy = (size_t)((g->node_xy[2 * v + 1] - y0) / gr->cell);
		gr->node[gr->first[cy * gr->nx + cx + 1]++] = v;
	}
	return true;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

bool ws_boundary_nodes(const struct ws_graph *g, const struct ws_shapes *compounds,
		       double gate_distance_m, int threads, size_t **first_out, uint32_t **nodes_out,
		       struct ws_error *err)
{
	size_t nk = compounds->n_features;
	struct node_grid gr;
	double *box = compound_boxes(compounds);
	uint32_t **lists = calloc(nk + 1, sizeof *lists);
	size_t *counts = calloc(nk + 1, sizeof *counts);
	size_t *first = NULL;
	uint32_t *nodes = NULL;
	size_t failed = SIZE_MAX;
	struct ws_error failed_error = {0};
	bool ok = false;
	bool grid_ok = grid_build(&gr, g, fmax(gate_distance_m, 25.0));
	if (!box || !lists || !counts || !grid_ok) {
		ws_error_nomem(err);
		goto done;
	}
	int n_threads = ws_route_thread_count(threads);
	(void)n_threads; /* only read by the OpenMP pragma */
	#pragma omp parallel num_threads(n_threads)
	{
		struct ws_geos geos;
		struct ws_error ge = {0};
		bool have = ws_geos_init(&geos, &ge);
		#pragma omp for schedule(dynamic, 4)
		for (size_t c = 0; c < nk; c++) {
			struct ws_error e = ge;
			struct ws_polygon_repair rep;
			bool empty = false;
			GEOSGeometry *poly = have ? ws_polygon_build(&geos, compounds, c, &rep, &empty, &e) : NULL;
			if (!poly) {
				if (!empty)
					record_failure(c, &e, &failed, &failed_error);
				continue;
			}
			const GEOSPreparedGeometry *prep = GEOSPrepare_r(geos.h, poly);
			const double *b = box + 4 * c;
			double d = gate_distance_m;
			long cx0 = (long)floor((b[0] - d - gr.x0) / gr.cell), cx1 = (long)floor((b[2] + d - gr.x0) / gr.cell);
			long cy0 = (long)floor((b[1] - d - gr.y0) / gr.cell), cy1 = (long)floor((b[3] + d - gr.y0) / gr.cell);
			if (cx0 < 0)
				cx0 = 0;
			if (cy0 < 0)
				cy0 = 0;
			if (cx1 >= (long)gr.nx)
				cx1 = (long)gr.nx - 1;
			if (cy1 >= (long)gr.ny)
				cy1 = (long)gr.ny - 1;
			size_t n = 0, cap = 0;
			uint32_t *list = NULL;
			bool list_ok = prep != NULL;
			for (long cy = cy0; list_ok && cy <= cy1; cy++)
				for (long cx = cx0; list_ok && cx <= cx1; cx++) {
					size_t cell = (size_t)cy * gr.nx + (size_t)cx;
					for (size_t k = gr.first[cell]; k < gr.first[cell + 1]; k++) {
						uint32_t v = gr.node[k];
						double x = g->node_xy[2 * v], y = g->node_xy[2 * v + 1];
						if (x < b[0] - d || x > b[2] + d || y < b[1] - d || y > b[3] + d)
							continue;
						GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(geos.h, x, y);
						char within = pt ? GEOSPreparedDistanceWithin_r(geos.h, prep, pt, d) : 2;
						if (pt)
							GEOSGeom_destroy_r(geos.h, pt);
						if (within != 1)
							continue;
						if (n == cap) {
							cap = cap ? 2 * cap : 16;
							uint32_t *l2 = realloc(list, cap * sizeof *l2);
							if (!l2) {
								list_ok = false;
								break;
							}
							list = l2;
						}
						list[n++] = v;
					}
				}
			if (prep)
				GEOSPreparedGeom_destroy_r(geos.h, prep);
			GEOSGeom_destroy_r(geos.h, poly);
			if (!list_ok) {
				free(list);
				ws_error_set(&e, WS_ERR_NOMEM, "out of memory");
				record_failure(c, &e, &failed, &failed_error);
				continue;
			}
			if (n)
				qsort(list, n, sizeof *list, compare_u32);
			lists[c] = list;
			counts[c] = n;
		}
		if (have)
			ws_geos_finish(&geos);
	}
	if (failed != SIZE_MAX) {
		*err = failed_error;
		ws_error_prefix(err, "compounds: record %zu: ", failed);
		goto done;
	}
	first = calloc(nk + 1, sizeof *first);
	size_t total = 0;
	for (size_t c = 0; c < nk; c++)
		total += counts[c];
	nodes = malloc((total + 1) * sizeof *nodes);
	if (!first || !nodes) {
		ws_error_nomem(err);
		goto done;
	}
	for (size_t c = 0; c < nk; c++) {
		if (counts[c])
			memcpy(nodes + first[c], lists[c], counts[c] * sizeof *nodes);
		first[c + 1] = first[c] + counts[c];
	}
	*first_out = first;
	*nodes_out = nodes;
	first = NULL;
	nodes = NULL;
	ok = true;
done:
	for (size_t c = 0; lists && c < nk; c++)
		free(lists[c]);
	free(lists);
	free(counts);
	free(box);
	free(gr.first);
	free(gr.node);
	free(first);
	free(nodes);
	return ok;
}
