/* Walkable segments: the SPEC 3 default filter and node identity by bit-identical
 * coordinates. */
#include "net_fixture.h"
#include "tap.h"

int main(void)
{
	struct ws_walk_filter wf;
	struct ws_error err = {0};
	ok(ws_walk_filter_init_default(&wf, &err), "default filter");
	is_int(wf.n_excluded, 6, "six excluded highway values by default");
	ok(ws_walk_filter_set_excluded(&wf, "motorway, trunk ,", &err), "custom list");
	is_int(wf.n_excluded, 2, "blank entries ignored");
	is_str(wf.excluded_highway[1], "trunk", "values trimmed");
	ws_walk_filter_finish(&wf);

	struct fixture f;
	fixture_init(&f);
	/* 0.1 + 0.2 != 0.3 in binary: these two vertices are NOT the same node */
	fixture_line(&f, (double[]){0, 0, 0.1 + 0.2, 0, END});
	fixture_line(&f, (double[]){0.3, 0, 10, 0, END});
	fixture_line(&f, (double[]){10, 0, 10, 0, END});  /* a self-loop only */
	ok(fixture_build(&f, 300), "builds");
	is_int(f.segs.n_nodes, 4, "0.1+0.2 and 0.3 are different nodes (bit-identical rule)");
	is_int(f.segs.n_segments, 2, "two segments, the self-loop dropped");
	is_int(f.segs.n_self_loops, 1, "one self-loop counted");
	is_double(f.segs.seg_length_m[0], 0.1 + 0.2, 0, "length is the Euclidean distance");
	fixture_finish(&f);

	/* BAD_INPUTS 23: duplicate coordinates, self-loops, parallel and zero-length edges.
	 * Nodes in order of first appearance: 0 (0,0), 1 (100,0), 2 (200,0), 3 (-0.0,0)
	 * (bit-different from +0.0, so a node of its own at the same place), 4 (0,-50).
	 *   line 0: 0 -> 1 -> 1 (duplicate vertex: self-loop, dropped) -> 2
	 *   line 1: 1 -> 2 (parallel to line 0's second segment)
	 *   line 2: 2 -> 1 (parallel again, reversed)
	 *   line 3: 0 -> 3 (zero length) -> 4 (50 m)
	 *   line 4: (300,0) twice: only a self-loop, no segment (its node stays isolated)
	 * Segments: 0-1, 1-2, 1-2, 2-1, 0-3, 3-4 = 6; self-loops 2; parallel 2; zero-length 1.
	 * Shortest walks from node 0: 1 at 100, 2 at 200, 3 at 0, 4 at 0 + 50 = 50. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 100, 0, 100, 0, 200, 0, END});
	fixture_line(&f, (double[]){100, 0, 200, 0, END});
	fixture_line(&f, (double[]){200, 0, 100, 0, END});
	fixture_line(&f, (double[]){0, 0, -0.0, 0, 0, -50, END});
	fixture_line(&f, (double[]){300, 0, 300, 0, END});
	fixture_point(&f, 0, 0);
	ok(fixture_build(&f, 300), "degenerate network builds");
	is_int(f.segs.n_nodes, 6, "6 nodes (-0.0 is its own node; (300,0) isolated)");
	is_int(f.segs.n_segments, 6, "6 segments");
	is_int(f.segs.n_self_loops, 2, "2 self-loops dropped (duplicate vertex, one-point line)");
	is_int(f.segs.n_parallel, 2, "2 parallel segments counted");
	is_int(f.segs.n_zero_length, 1, "1 zero-length segment counted");
	struct ws_route_workspace *ws = ws_route_workspace_create(&f.g, &err);
	ok(ws != NULL, "workspace");
	if (ws) {
		struct ws_route_seed seed = {f.node[0], 0};
		const uint32_t *nodes;
		const double *dist;
		size_t n = ws_route_search(ws, &seed, 1, INFINITY, &nodes, &dist);
		is_int(n, 5, "search ends and settles the 5 connected nodes");
		is_double(ws_route_distance(ws, 1), 100, 1e-9, "node 1 at 100 m");
		is_double(ws_route_distance(ws, 2), 200, 1e-9, "node 2 at 200 m over parallel edges");
		is_double(ws_route_distance(ws, 3), 0, 0, "node 3 at 0 m over the zero-length edge");
		is_double(ws_route_distance(ws, 4), 50, 1e-9, "node 4 at 50 m");
		ok(isinf(ws_route_distance(ws, 5)), "isolated node of the self-loop line unreached");
		bool increasing = true;
		for (size_t i = 1; i < n; i++)
			increasing = increasing && dist[i] >= dist[i - 1];
		ok(increasing, "settled in non-decreasing order (no negative or shortcut cycle)");
		ws_route_workspace_destroy(ws);
	}
	fixture_finish(&f);
	return done();
}
