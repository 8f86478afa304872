/* The walking graph (SPEC 3-4) as an immutable CSR: segments of the walkable network,
 * split at every snapped point so that travel along a shared segment is exact. Every
 * undirected piece is two arcs. Nodes 0..segs->n_nodes-1 are the segment nodes with the
 * same ids; split nodes follow, ordered by (segment, t). Read-only after building and
 * shared by all threads. */
#ifndef WS_GRAPH_H
#define WS_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/segments.h"
#include "net/snap.h"
#include "util/error.h"

#define WS_NO_NODE UINT32_MAX

struct ws_graph {
	uint32_t n_nodes, n_base_nodes;
	uint32_t n_arcs;
	uint32_t *first_out;     /* n_nodes + 1 */
	uint32_t *head;          /* n_arcs */
	double *length_m;        /* n_arcs */
	uint32_t *arc_segment;   /* the segment (index into ws_segments) the arc lies on */
	double *node_xy;         /* 2 * n_nodes, working CRS; each arc is the straight line
				    from its tail's to its head's coordinates */
};

/* Builds the graph from `segs` split at `snaps` (any mix of centers, access points,
 * candidates...). snap_node[i] receives the node of snaps[i] (WS_NO_NODE when
 * unsnapped); a snap at t = 0 or 1 is the segment's end node, equal (segment, t) pairs
 * share one node. */
bool ws_graph_build(struct ws_graph *g, const struct ws_segments *segs,
		    const struct ws_snap *snaps, size_t n_snaps, uint32_t *snap_node,
		    struct ws_error *err);
void ws_graph_finish(struct ws_graph *g);

/* Connected components: comp[node] = component id, numbered by lowest node; returns
 * the number of components; comp_size (optional, malloc'd, caller frees) counts nodes. */
bool ws_graph_components(const struct ws_graph *g, uint32_t *comp, uint32_t *n_comp,
			 uint32_t **comp_size, struct ws_error *err);

#endif
