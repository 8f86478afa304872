/* Dijkstra with a binary heap keyed by (distance, label) and decrease-key. The label is
 * the source index in the nearest-source search and 0 otherwise; ordering by the pair
 * makes the multi-source result exact, ties included: a node settled first by one source
 * is never claimed by a worse one, and an equally close source with a lower index wins.
 * Floating-point: d(v) = min over arcs of fl(d(u) + w) with w >= 0, which is monotone, so
 * the multi-source distance equals the minimum of the single-source distances exactly. */
#include "route.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define SETTLED UINT32_MAX

struct ws_route_workspace {
	const struct ws_graph *g;
	uint32_t stamp;
	uint32_t *seen;          /* seen[v] == stamp: dist/label/pos valid this search */
	double *dist;
	uint32_t *label;
	uint32_t *pos;           /* heap index, or SETTLED */
	uint32_t *heap;
	uint32_t heap_size;
	uint32_t *out_node;      /* settled nodes in order */
	double *out_dist;
};

struct ws_route_workspace *ws_route_workspace_create(const struct ws_graph *g, struct ws_error *err)
{
	struct ws_route_workspace *ws = calloc(1, sizeof *ws);
	if (!ws) {
		ws_error_nomem(err);
		return NULL;
	}
	size_t n = (size_t)g->n_nodes + 1;
	ws->g = g;
	ws->seen = calloc(n, sizeof *ws->seen);
	ws->dist = malloc(n * sizeof *ws->dist);
	ws->label = malloc(n * sizeof *ws->label);
	ws->pos = malloc(n * sizeof *ws->pos);
	ws->heap = malloc(n * sizeof *ws->heap);
	ws->out_node = malloc(n * sizeof *ws->out_node);
	ws->out_dist = malloc(n * sizeof *ws->out_dist);
	if (!ws->seen || !ws->dist || !ws->label || !ws->pos || !ws->heap || !ws->out_node ||
	    !ws->out_dist) {
		ws_route_workspace_destroy(ws);
		ws_error_nomem(err);
		return NULL;
	}
	return ws;
}

void ws_route_workspace_destroy(struct ws_route_workspace *ws)
{
	if (!ws)
		return;
	free(ws->seen);
	free(ws->dist);
	free(ws->label);
	free(ws->pos);
	free(ws->heap);
	free(ws->out_node);
	free(ws->out_dist);
	free(ws);
}

static bool before(const struct ws_route_workspace *ws, uint32_t a, uint32_t b)
{
	return ws->dist[a] < ws->dist[b] || (ws->dist[a] == ws->dist[b] && ws->label[a] < ws->label[b]);
}

static void sift_up(struct ws_route_workspace *ws, uint32_t i)
{
	uint32_t v = ws->heap[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!before(ws, v, ws->heap[parent]))
			break;
		ws->heap[i] = ws->heap[parent];
		ws->pos[ws->heap[i]] = i;
		i = parent;
	}
	ws->heap[i] = v;
	ws->pos[v] = i;
}

static void sift_down(struct ws_route_workspace *ws, uint32_t i)
{
	uint32_t v = ws->heap[i];
	for (;;) {
		uint32_t child = 2 * i + 1;
		if (child >= ws->heap_size)
			break;
		if (child + 1 < ws->heap_size && before(ws, ws->heap[child + 1], ws->heap[child]))
			child++;
		if (!before(ws, ws->heap[child], v))
			break;
		ws->heap[i] = ws->heap[child];
		ws->pos[ws->heap[i]] = i;
		i = child;
	}
	ws->heap[i] = v;
	ws->pos[v] = i;
}

static void begin_search(struct ws_route_workspace *ws)
{
	if (++ws->stamp == 0) { /* wrapped: clear once every 4 billion searches */
		memset(ws->seen, 0, ((size_t)ws->g->n_nodes + 1) * sizeof *ws->seen);
		ws->stamp = 1;
	}
	ws->heap_size = 0;
}

/* Offers (d, label) to v; keeps the smaller pair. */
static void relax(struct ws_route_workspace *ws, uint32_t v, double d, uint32_t label, double limit_m)
{
	if (!(d <= limit_m))
		return;
	if (ws->seen[v] != ws->stamp) {
		ws->seen[v] = ws->stamp;
		ws->dist[v] = d;
		ws->label[v] = label;
		ws->heap[ws->heap_size] = v;
		ws->pos[v] = ws->heap_size++;
		sift_up(ws, ws->pos[v]);
		return;
	}
	if (ws->pos[v] == SETTLED)
		return;
	if (d < ws->dist[v] || (d == ws->dist[v] && label < ws->label[v])) {
		ws->dist[v] = d;
		ws->label[v] = label;
		sift_up(ws, ws->pos[v]);
	}
}

static uint32_t pop(struct ws_route_workspace *ws)
{
	uint32_t v = ws->heap[0];
	ws->pos[v] = SETTLED;
	if (--ws->heap_size > 0) {
		ws->heap[0] = ws->heap[ws->heap_size];
		ws->pos[ws->heap[0]] = 0;
		sift_down(ws, 0);
	}
	return v;
}

static size_t run(struct ws_route_workspace *ws, double limit_m)
{
	const struct ws_graph *g = ws->g;
	size_t n_out = 0;
	while (ws->heap_size) {
		uint32_t u = pop(ws);
		double du = ws->dist[u];
		uint32_t lu = ws->label[u];
		ws->out_node[n_out] = u;
		ws->out_dist[n_out++] = du;
		for (uint32_t a = g->first_out[u]; a < g->first_out[u + 1]; a++)
			relax(ws, g->head[a], du + g->length_m[a], lu, limit_m);
	}
	return n_out;
}

size_t ws_route_search(struct ws_route_workspace *ws, const struct ws_route_seed *seeds,
		       size_t n_seeds, double limit_m, const uint32_t **nodes, const double **dist_m)
{
	begin_search(ws);
	for (size_t i = 0; i < n_seeds; i++)
		if (seeds[i].node != WS_NO_NODE)
			relax(ws, seeds[i].node, seeds[i].offset_m, 0, limit_m);
	size_t n = run(ws, limit_m);
	*nodes = ws->out_node;
	*dist_m = ws->out_dist;
	return n;
}

double ws_route_distance(const struct ws_route_workspace *ws, uint32_t node)
{
	if (node >= ws->g->n_nodes || ws->seen[node] != ws->stamp || ws->pos[node] != SETTLED)
		return INFINITY;
	return ws->dist[node];
}

int ws_route_thread_count(int threads)
{
#ifdef _OPENMP
	return threads > 0 ? threads : omp_get_max_threads();
#else
	(void)threads;
	return 1;
#endif
}

bool ws_route_each_source(const struct ws_graph *g, const struct ws_route_sources *src,
			  double limit_m, int threads, ws_route_visit_fn visit, void *ctx,
			  struct ws_error *err)
{
	int n_threads = ws_route_thread_count(threads);
	struct ws_route_workspace **wss = calloc((size_t)n_threads, sizeof *wss);
	if (!wss)
		return ws_error_nomem(err);
	bool ok = true;
	for (int t = 0; t < n_threads && ok; t++)
		ok = (wss[t] = ws_route_workspace_create(g, err)) != NULL;
	ok = ok && ws_route_each_source_in(g, src, limit_m, threads, wss, visit, ctx, err);
	for (int t = 0; t < n_threads; t++)
		ws_route_workspace_destroy(wss[t]);
	free(wss);
	return ok;
}

bool ws_route_each_source_in(const struct ws_graph *g, const struct ws_route_sources *src,
			     double limit_m, int threads, struct ws_route_workspace *const *wss,
			     ws_route_visit_fn visit, void *ctx, struct ws_error *err)
{
	(void)g;
	int n_threads = ws_route_thread_count(threads);
	(void)n_threads;   /* unused without OpenMP */
	/* the lowest failing source wins, whatever the thread timing */
	size_t failed_source = SIZE_MAX;
	struct ws_error failed_error = {0};
	#pragma omp parallel num_threads(n_threads)
	{
		int t = 0;
#ifdef _OPENMP
		t = omp_get_thread_num();
#endif
		struct ws_route_workspace *ws = wss[t];
		#pragma omp for schedule(dynamic, 1)
		for (size_t s = 0; s < src->n; s++) {
			size_t failed_now;
			#pragma omp atomic read
			failed_now = failed_source;
			if (s > failed_now)
				continue;
			const uint32_t *nodes;
			const double *dist;
			size_t n = ws_route_search(ws, src->seeds + src->first[s],
						   src->first[s + 1] - src->first[s], limit_m, &nodes, &dist);
			struct ws_error e = {0};
			if (!visit(ctx, t, s, ws, n, nodes, dist, &e)) {
				#pragma omp critical(ws_route_failure)
				if (s < failed_source) {
					failed_source = s;
					failed_error = e;
				}
			}
		}
	}
	if (failed_source != SIZE_MAX) {
		if (err && err->code == WS_OK)
			*err = failed_error;
		return false;
	}
	return true;
}

bool ws_route_nearest(const struct ws_graph *g, const struct ws_route_sources *src,
		      const bool *use, double limit_m, double *node_dist, uint32_t *node_source,
		      struct ws_error *err)
{
	struct ws_route_workspace *ws = ws_route_workspace_create(g, err);
	if (!ws)
		return false;
	begin_search(ws);
	for (size_t s = 0; s < src->n; s++) {
		if (use && !use[s])
			continue;
		for (size_t i = src->first[s]; i < src->first[s + 1]; i++)
			if (src->seeds[i].node != WS_NO_NODE)
				relax(ws, src->seeds[i].node, src->seeds[i].offset_m, (uint32_t)s, limit_m);
	}
	size_t n = run(ws, limit_m);
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		node_dist[v] = INFINITY;
		node_source[v] = UINT32_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t v = ws->out_node[i];
		node_dist[v] = ws->out_dist[i];
		node_source[v] = ws->label[v];
	}
	ws_route_workspace_destroy(ws);
	return true;
}
