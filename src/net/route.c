/* Dijkstra with a 4-ary heap keyed by (distance, label) and decrease-key. The label is
 * the source index in the nearest-source search and 0 otherwise; ordering by the pair
 * makes the multi-source result exact, ties included: a node settled first by one source
 * is never claimed by a worse one, and an equally close source with a lower index wins.
 * Floating-point: d(v) = min over arcs of fl(d(u) + w) with w >= 0, which is monotone, so
 * the multi-source distance equals the minimum of the single-source distances exactly.
 * Nodes of equal (distance, label) may settle in any order: every result is a minimum
 * over pairs, so none depends on it. */
#include "route.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define SETTLED UINT32_MAX
#define ARITY 4   /* a 4-ary heap: half the depth of a binary one, children in one line */

/* A node's search state, packed so that one cache line serves a relaxation. */
struct node_state {
	double dist;
	uint32_t label;
	uint32_t seen;           /* == stamp: dist/label/pos valid this search */
	uint32_t pos;            /* heap index, or SETTLED */
};

/* Heap entries carry their key, so sifting never looks up another node's state. */
struct heap_entry {
	double dist;
	uint32_t label;
	uint32_t node;
};

struct ws_route_workspace {
	const struct ws_graph *g;
	uint32_t stamp;
	struct node_state *state;
	struct heap_entry *heap;
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
	ws->state = calloc(n, sizeof *ws->state);
	ws->heap = malloc(n * sizeof *ws->heap);
	ws->out_node = malloc(n * sizeof *ws->out_node);
	ws->out_dist = malloc(n * sizeof *ws->out_dist);
	if (!ws->state || !ws->heap || !ws->out_node || !ws->out_dist) {
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
	free(ws->state);
	free(ws->heap);
	free(ws->out_node);
	free(ws->out_dist);
	free(ws);
}

static bool before(const struct heap_entry *a, const struct heap_entry *b)
{
	return a->dist < b->dist || (a->dist == b->dist && a->label < b->label);
}

static void sift_up(struct ws_route_workspace *ws, uint32_t i)
{
	struct heap_entry e = ws->heap[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / ARITY;
		if (!before(&e, &ws->heap[parent]))
			break;
		ws->heap[i] = ws->heap[parent];
		ws->state[ws->heap[i].node].pos = i;
		i = parent;
	}
	ws->heap[i] = e;
	ws->state[e.node].pos = i;
}

static void sift_down(struct ws_route_workspace *ws, uint32_t i)
{
	struct heap_entry e = ws->heap[i];
	for (;;) {
		uint32_t first = ARITY * i + 1;
		if (first >= ws->heap_size)
			break;
		uint32_t last = first + ARITY < ws->heap_size ? first + ARITY : ws->heap_size;
		uint32_t child = first;
		for (uint32_t c = first + 1; c < last; c++)
			if (before(&ws->heap[c], &ws->heap[child]))
				child = c;
		if (!before(&ws->heap[child], &e))
			break;
		ws->heap[i] = ws->heap[child];
		ws->state[ws->heap[i].node].pos = i;
		i = child;
	}
	ws->heap[i] = e;
	ws->state[e.node].pos = i;
}

static void begin_search(struct ws_route_workspace *ws)
{
	if (++ws->stamp == 0) { /* wrapped: clear once every 4 billion searches */
		for (size_t v = 0; v <= ws->g->n_nodes; v++)
			ws->state[v].seen = 0;
		ws->stamp = 1;
	}
	ws->heap_size = 0;
}

/* Offers (d, label) to v; keeps the smaller pair. */
static inline void relax(struct ws_route_workspace *ws, uint32_t v, double d, uint32_t label, double limit_m)
{
	if (!(d <= limit_m))
		return;
	struct node_state *st = &ws->state[v];
	if (st->seen != ws->stamp) {
		st->seen = ws->stamp;
		st->dist = d;
		st->label = label;
		ws->heap[ws->heap_size] = (struct heap_entry){d, label, v};
		sift_up(ws, ws->heap_size++);
		return;
	}
	if (st->pos == SETTLED)
		return;
	if (d < st->dist || (d == st->dist && label < st->label)) {
		st->dist = d;
		st->label = label;
		ws->heap[st->pos].dist = d;
		ws->heap[st->pos].label = label;
		sift_up(ws, st->pos);
	}
}

static uint32_t pop(struct ws_route_workspace *ws)
{
	uint32_t v = ws->heap[0].node;
	ws->state[v].pos = SETTLED;
	if (--ws->heap_size > 0) {
		ws->heap[0] = ws->heap[ws->heap_size];
		sift_down(ws, 0);
	}
	return v;
}

/* Settles nodes in order until the heap is empty or, when is_target is given, until the
 * last of its n_targets (distinct) target nodes is settled. */
static size_t run_until(struct ws_route_workspace *ws, double limit_m, const uint8_t *is_target,
			size_t n_targets)
{
	const struct ws_graph *g = ws->g;
	size_t n_out = 0;
	while (ws->heap_size) {
		uint32_t u = pop(ws);
		double du = ws->state[u].dist;
		uint32_t lu = ws->state[u].label;
		ws->out_node[n_out] = u;
		ws->out_dist[n_out++] = du;
		if (is_target && is_target[u] && --n_targets == 0)
			break;
		for (uint32_t a = g->first_out[u]; a < g->first_out[u + 1]; a++)
			relax(ws, g->head[a], du + g->length_m[a], lu, limit_m);
	}
	return n_out;
}

static size_t run(struct ws_route_workspace *ws, double limit_m)
{
	return run_until(ws, limit_m, NULL, 0);
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
	if (node >= ws->g->n_nodes || ws->state[node].seen != ws->stamp ||
	    ws->state[node].pos != SETTLED)
		return INFINITY;
	return ws->state[node].dist;
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

struct order_key {
	uint32_t key;
	uint32_t source;
};

static int compare_order_key(const void *pa, const void *pb)
{
	const struct order_key *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->source < b->source ? -1 : a->source > b->source;
}

/* Spreads the low 16 bits of v to the even bits (for a Z-order key). */
static uint32_t spread_bits(uint32_t v)
{
	v &= 0xFFFF;
	v = (v | v << 8) & 0x00FF00FF;
	v = (v | v << 4) & 0x0F0F0F0F;
	v = (v | v << 2) & 0x33333333;
	v = (v | v << 1) & 0x55555555;
	return v;
}

/* The sources in Z-order of their first seed's position: consecutive searches then cover
 * overlapping parts of the graph and find them in cache (on a large graph that halves the
 * time of many short searches). Which source runs when never changes its result. NULL
 * when out of memory. */
static uint32_t *order_sources(const struct ws_graph *g, const struct ws_route_sources *src)
{
	struct order_key *keys = malloc((src->n + 1) * sizeof *keys);
	uint32_t *order = malloc((src->n + 1) * sizeof *order);
	if (!keys || !order) {
		free(keys);
		free(order);
		return NULL;
	}
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (size_t s = 0; s < src->n; s++)
		if (src->first[s] < src->first[s + 1] && src->seeds[src->first[s]].node != WS_NO_NODE) {
			const double *p = g->node_xy + 2 * (size_t)src->seeds[src->first[s]].node;
			x0 = p[0] < x0 ? p[0] : x0;
			y0 = p[1] < y0 ? p[1] : y0;
			x1 = p[0] > x1 ? p[0] : x1;
			y1 = p[1] > y1 ? p[1] : y1;
		}
	double w = x1 - x0 > y1 - y0 ? x1 - x0 : y1 - y0;
	double scale = w > 0 ? 65535.0 / w : 0;
	for (size_t s = 0; s < src->n; s++) {
		keys[s] = (struct order_key){0, (uint32_t)s};
		if (src->first[s] < src->first[s + 1] && src->seeds[src->first[s]].node != WS_NO_NODE) {
			const double *p = g->node_xy + 2 * (size_t)src->seeds[src->first[s]].node;
			uint32_t qx = (uint32_t)((p[0] - x0) * scale), qy = (uint32_t)((p[1] - y0) * scale);
			keys[s].key = spread_bits(qx) | spread_bits(qy) << 1;
		}
	}
	qsort(keys, src->n, sizeof *keys, compare_order_key);
	for (size_t s = 0; s < src->n; s++)
		order[s] = keys[s].source;
	free(keys);
	return order;
}

bool ws_route_each_source(const struct ws_graph *g, const struct ws_route_sources *src,
			  double limit_m, int threads, ws_route_visit_fn visit, void *ctx,
			  struct ws_error *err)
{
	return ws_route_each_source_beside(g, src, limit_m, threads, visit, ctx, NULL, NULL, err);
}

/* The parallel loop over the sources with the caller's per-thread workspaces. */
static bool each_source_with(const struct ws_graph *g, const struct ws_route_sources *src,
			     double limit_m, int n_threads, struct ws_route_workspace *const *wss,
			     ws_route_visit_fn visit, void *ctx, ws_route_side_fn side,
			     void *side_ctx, struct ws_error *err)
{
	if (src->n > UINT32_MAX)
		return ws_error_set(err, WS_ERR_INTERNAL, "route: too many sources (%zu)", src->n);
	uint32_t *order = order_sources(g, src);
	if (!order)
		return ws_error_nomem(err);
	(void)n_threads; /* only read by the OpenMP pragma */

	/* the lowest failing source wins, whatever the thread timing */
	size_t failed_source = SIZE_MAX;
	struct ws_error failed_error = {0}, side_error = {0};
	bool side_ok = true;
	#pragma omp parallel num_threads(n_threads)
	{
		int t = 0;
#ifdef _OPENMP
		t = omp_get_thread_num();
#endif
		struct ws_route_workspace *ws = wss[t];
		/* one thread runs the side job, then joins the others on the sources */
		#pragma omp single nowait
		if (side)
			side_ok = side(side_ctx, &side_error);
		#pragma omp for schedule(dynamic, 1)
		for (size_t k = 0; k < src->n; k++) {
			size_t s = order[k];
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
	free(order);
	if (!side_ok) {
		if (err && err->code == WS_OK)
			*err = side_error;
		return false;
	}
	if (failed_source != SIZE_MAX) {
		if (err && err->code == WS_OK)
			*err = failed_error;
		return false;
	}
	return true;
}

bool ws_route_each_source_beside(const struct ws_graph *g, const struct ws_route_sources *src,
				 double limit_m, int threads, ws_route_visit_fn visit, void *ctx,
				 ws_route_side_fn side, void *side_ctx, struct ws_error *err)
{
	int n_threads = ws_route_thread_count(threads);
	struct ws_route_workspace **wss = calloc((size_t)n_threads, sizeof *wss);
	if (!wss)
		return ws_error_nomem(err);
	bool ok = true;
	for (int t = 0; t < n_threads && ok; t++)
		ok = (wss[t] = ws_route_workspace_create(g, err)) != NULL;
	ok = ok && each_source_with(g, src, limit_m, n_threads, wss, visit, ctx, side, side_ctx, err);
	for (int t = 0; t < n_threads; t++)
		ws_route_workspace_destroy(wss[t]);
	free(wss);
	return ok;
}

bool ws_route_each_source_in(const struct ws_graph *g, const struct ws_route_sources *src,
			     double limit_m, int threads, struct ws_route_workspace *const *wss,
			     ws_route_visit_fn visit, void *ctx, struct ws_error *err)
{
	return each_source_with(g, src, limit_m, ws_route_thread_count(threads), wss, visit, ctx,
				NULL, NULL, err);
}

bool ws_route_nearest(const struct ws_graph *g, const struct ws_route_sources *src,
		      const bool *use, double limit_m, double *node_dist, uint32_t *node_source,
		      struct ws_error *err)
{
	return ws_route_nearest_targets(g, src, use, limit_m, NULL, node_dist, node_source, err);
}

enum { UNKNOWN, WITH_SOURCE, WITHOUT_SOURCE, QUEUED };

/* Clears is_target (1 on entry for every target node) on targets that no source can
 * reach and counts the distinct targets that remain: a target on an island without a source would otherwise keep the search
 * going until the whole graph is settled. A breadth-first search from each target stops
 * at the first source node (or node already known to share an island with one); every
 * node it queued gets the answer, so no node is labelled twice. */
static bool keep_reachable_targets(const struct ws_graph *g, const uint8_t *is_source,
				   uint8_t *is_target, const struct ws_route_sources *targets,
				   size_t *n_kept, struct ws_error *err)
{
	uint8_t *label = calloc((size_t)g->n_nodes + 1, 1);
	uint32_t *queue = malloc(((size_t)g->n_nodes + 1) * sizeof *queue);
	if (!label || !queue) {
		free(label);
		free(queue);
		return ws_error_nomem(err);
	}
	*n_kept = 0;
	for (size_t i = 0; i < targets->first[targets->n]; i++) {
		uint32_t t = targets->seeds[i].node;
		if (t == WS_NO_NODE || is_target[t] != 1)
			continue; /* none, or a node already decided */
		if (label[t] == UNKNOWN) {
			size_t head = 0, tail = 0;
			bool found = false;
			queue[tail++] = t;
			label[t] = QUEUED;
			while (head < tail && !found) {
				uint32_t u = queue[head++];
				if (is_source[u]) {
					found = true;
					break;
				}
				for (uint32_t a = g->first_out[u]; a < g->first_out[u + 1]; a++) {
					uint32_t v = g->head[a];
					if (label[v] == WITH_SOURCE) {
						found = true;
						break;
					}
					if (label[v] == UNKNOWN) {
						label[v] = QUEUED;
						queue[tail++] = v;
					}
				}
			}
			for (size_t k = 0; k < tail; k++)
				label[queue[k]] = found ? WITH_SOURCE : WITHOUT_SOURCE;
		}
		/* 2: kept and counted, 0: dropped; either way decided once */
		is_target[t] = label[t] == WITH_SOURCE ? 2 : 0;
		*n_kept += is_target[t] != 0;
	}
	free(label);
	free(queue);
	return true;
}

bool ws_route_nearest_targets(const struct ws_graph *g, const struct ws_route_sources *src,
			      const bool *use, double limit_m, const struct ws_route_sources *targets,
			      double *node_dist, uint32_t *node_source, struct ws_error *err)
{
	uint8_t *is_target = NULL, *is_source = NULL;
	size_t n_targets = 0;
	struct ws_route_workspace *ws = NULL;
	if (targets) {
		is_target = calloc((size_t)g->n_nodes + 1, 1);
		is_source = calloc((size_t)g->n_nodes + 1, 1);
		if (!is_target || !is_source) {
			ws_error_nomem(err);
			goto fail;
		}
		for (size_t i = 0; i < targets->first[targets->n]; i++)
			if (targets->seeds[i].node != WS_NO_NODE)
				is_target[targets->seeds[i].node] = 1;
		for (size_t s = 0; s < src->n; s++)
			for (size_t i = src->first[s]; i < src->first[s + 1] && (!use || use[s]); i++)
				if (src->seeds[i].node != WS_NO_NODE)
					is_source[src->seeds[i].node] = 1;
		if (!keep_reachable_targets(g, is_source, is_target, targets, &n_targets, err))
			goto fail;
	}
	if (!(ws = ws_route_workspace_create(g, err)))
		goto fail;
	begin_search(ws);
	for (size_t s = 0; s < src->n; s++) {
		if (use && !use[s])
			continue;
		for (size_t i = src->first[s]; i < src->first[s + 1]; i++)
			if (src->seeds[i].node != WS_NO_NODE)
				relax(ws, src->seeds[i].node, src->seeds[i].offset_m, (uint32_t)s, limit_m);
	}
	/* no reachable target: nothing to search for */
	size_t n = targets && n_targets == 0 ? 0 : run_until(ws, limit_m, is_target, n_targets);
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		node_dist[v] = INFINITY;
		node_source[v] = UINT32_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t v = ws->out_node[i];
		node_dist[v] = ws->out_dist[i];
		node_source[v] = ws->state[v].label;
	}
	ws_route_workspace_destroy(ws);
	free(is_target);
	free(is_source);
	return true;
fail:
	free(is_target);
	free(is_source);
	return false;
}
