/* CSR construction. Invariants after ws_graph_build: arcs of node v are
 * first_out[v]..first_out[v+1]-1, listed in sub-segment order, and every arc u->v has a
 * twin v->u of the same length (the network is undirected, SPEC 3). */
#include "graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct split {
	uint32_t segment;
	double t;
	size_t snap;
};

static int compare_split(const void *pa, const void *pb)
{
	const struct split *a = pa, *b = pb;
	if (a->segment != b->segment)
		return a->segment < b->segment ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->snap < b->snap ? -1 : a->snap > b->snap;
}

bool ws_graph_build(struct ws_graph *g, const struct ws_segments *segs,
		    const struct ws_snap *snaps, size_t n_snaps, uint32_t *snap_node,
		    struct ws_error *err)
{
	memset(g, 0, sizeof *g);
	struct split *splits = malloc((n_snaps + 1) * sizeof *splits);
	uint32_t *tail = NULL, *pieces_tail = NULL, *pieces_head = NULL, *pieces_seg = NULL;
	double *pieces_len = NULL;
	if (!splits)
		return ws_error_nomem(err);

	size_t n_splits = 0;
	for (size_t i = 0; i < n_snaps; i++) {
		snap_node[i] = WS_NO_NODE;
		if (snaps[i].segment == WS_UNSNAPPED)
			continue;
		uint32_t s = snaps[i].segment;
		if (snaps[i].t <= 0)
			snap_node[i] = segs->seg_node[2 * s];
		else if (snaps[i].t >= 1)
			snap_node[i] = segs->seg_node[2 * s + 1];
		else
			splits[n_splits++] = (struct split){s, snaps[i].t, i};
	}
	qsort(splits, n_splits, sizeof *splits, compare_split);

	/* distinct split positions become new nodes */
	size_t n_new = 0;
	for (size_t k = 0; k < n_splits; k++)
		if (k == 0 || splits[k].segment != splits[k - 1].segment || splits[k].t != splits[k - 1].t)
			n_new++;
	if ((uint64_t)segs->n_nodes + n_new >= UINT32_MAX ||
	    ((uint64_t)segs->n_segments + n_splits) * 2 >= UINT32_MAX) {
		free(splits);
		return ws_error_set(err, WS_ERR_FORMAT, "network too large for 32-bit node ids");
	}
	g->n_base_nodes = segs->n_nodes;
	g->n_nodes = segs->n_nodes + (uint32_t)n_new;
	g->node_xy = malloc((size_t)g->n_nodes * 2 * sizeof *g->node_xy + 16);
	size_t max_pieces = (size_t)segs->n_segments + n_new;
	pieces_tail = malloc((max_pieces + 1) * sizeof *pieces_tail);
	pieces_head = malloc((max_pieces + 1) * sizeof *pieces_head);
	pieces_seg = malloc((max_pieces + 1) * sizeof *pieces_seg);
	pieces_len = malloc((max_pieces + 1) * sizeof *pieces_len);
	if (!g->node_xy || !pieces_tail || !pieces_head || !pieces_seg || !pieces_len)
		goto nomem;
	memcpy(g->node_xy, segs->node_xy, (size_t)segs->n_nodes * 2 * sizeof *g->node_xy);

	uint32_t next = segs->n_nodes;
	for (size_t k = 0; k < n_splits; k++) {
		if (k == 0 || splits[k].segment != splits[k - 1].segment || splits[k].t != splits[k - 1].t) {
			g->node_xy[2 * next] = snaps[splits[k].snap].x;
			g->node_xy[2 * next + 1] = snaps[splits[k].snap].y;
			next++;
		}
		snap_node[splits[k].snap] = next - 1;
	}

	/* pieces: each segment from end a through its split nodes (in t order) to end b */
	size_t n_pieces = 0, k = 0;
	uint32_t split_node = segs->n_nodes;
	for (uint32_t s = 0; s < segs->n_segments; s++) {
		uint32_t prev = segs->seg_node[2 * s];
		bool split = false;
		while (k < n_splits && splits[k].segment == s) {
			if (k == 0 || splits[k].segment != splits[k - 1].segment || splits[k].t != splits[k - 1].t) {
				uint32_t v = split_node++;
				const double *a = g->node_xy + 2 * prev, *b = g->node_xy + 2 * v;
				pieces_tail[n_pieces] = prev;
				pieces_head[n_pieces] = v;
				pieces_seg[n_pieces] = s;
				pieces_len[n_pieces++] = hypot(b[0] - a[0], b[1] - a[1]);
				prev = v;
				split = true;
			}
			k++;
		}
		uint32_t end = segs->seg_node[2 * s + 1];
		const double *a = g->node_xy + 2 * prev, *b = g->node_xy + 2 * end;
		pieces_tail[n_pieces] = prev;
		pieces_head[n_pieces] = end;
		pieces_seg[n_pieces] = s;
		pieces_len[n_pieces++] = split ? hypot(b[0] - a[0], b[1] - a[1]) : segs->seg_length_m[s];
	}

	g->n_arcs = (uint32_t)(2 * n_pieces);
	g->first_out = calloc((size_t)g->n_nodes + 2, sizeof *g->first_out);
	g->head = malloc(((size_t)g->n_arcs + 1) * sizeof *g->head);
	g->length_m = malloc(((size_t)g->n_arcs + 1) * sizeof *g->length_m);
	g->arc_segment = malloc(((size_t)g->n_arcs + 1) * sizeof *g->arc_segment);
	if (!g->first_out || !g->head || !g->length_m || !g->arc_segment)
		goto nomem;
	for (size_t p = 0; p < n_pieces; p++) {
		g->first_out[pieces_tail[p] + 1]++;
		g->first_out[pieces_head[p] + 1]++;
	}
	for (uint32_t v = 0; v < g->n_nodes; v++)
		g->first_out[v + 1] += g->first_out[v];
	tail = malloc(((size_t)g->n_nodes + 1) * sizeof *tail);
	if (!tail)
		goto nomem;
	memcpy(tail, g->first_out, ((size_t)g->n_nodes + 1) * sizeof *tail);
	for (size_t p = 0; p < n_pieces; p++) {
		uint32_t a = pieces_tail[p], b = pieces_head[p];
		uint32_t ia = tail[a]++, ib = tail[b]++;
		g->head[ia] = b;
		g->head[ib] = a;
		g->length_m[ia] = g->length_m[ib] = pieces_len[p];
		g->arc_segment[ia] = g->arc_segment[ib] = pieces_seg[p];
	}
	free(tail);
	free(splits);
	free(pieces_tail);
	free(pieces_head);
	free(pieces_seg);
	free(pieces_len);
	return true;
nomem:
	free(tail);
	free(splits);
	free(pieces_tail);
	free(pieces_head);
	free(pieces_seg);
	free(pieces_len);
	ws_graph_finish(g);
	return ws_error_nomem(err);
}

void ws_graph_finish(struct ws_graph *g)
{
	if (!g)
		return;
	free(g->first_out);
	free(g->head);
	free(g->length_m);
	free(g->arc_segment);
	free(g->node_xy);
	memset(g, 0, sizeof *g);
}

bool ws_graph_components(const struct ws_graph *g, uint32_t *comp, uint32_t *n_comp,
			 uint32_t **comp_size, struct ws_error *err)
{
	uint32_t *stack = malloc(((size_t)g->n_nodes + 1) * sizeof *stack);
	if (!stack)
		return ws_error_nomem(err);
	for (uint32_t v = 0; v < g->n_nodes; v++)
		comp[v] = UINT32_MAX;
	uint32_t n = 0;
	for (uint32_t root = 0; root < g->n_nodes; root++) {
		if (comp[root] != UINT32_MAX)
			continue;
		size_t top = 0;
		stack[top++] = root;
		comp[root] = n;
		while (top) {
			uint32_t u = stack[--top];
			for (uint32_t a = g->first_out[u]; a < g->first_out[u + 1]; a++) {
				uint32_t v = g->head[a];
				if (comp[v] == UINT32_MAX) {
					comp[v] = n;
					stack[top++] = v;
				}
			}
		}
		n++;
	}
	free(stack);
	*n_comp = n;
	if (comp_size) {
		*comp_size = calloc((size_t)n + 1, sizeof **comp_size);
		if (!*comp_size)
			return ws_error_nomem(err);
		for (uint32_t v = 0; v < g->n_nodes; v++)
			(*comp_size)[comp[v]]++;
	}
	return true;
}
