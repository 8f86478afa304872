/* Graph construction: bit-identical vertices merge, crossings without a shared vertex do
 * not connect, splits in any order along a segment, self-loops dropped. */
#include "net_fixture.h"
#include "tap.h"

static double arc_length(const struct ws_graph *g, uint32_t a, uint32_t b)
{
	for (uint32_t k = g->first_out[a]; k < g->first_out[a + 1]; k++)
		if (g->head[k] == b)
			return g->length_m[k];
	return -1;
}

int main(void)
{
	struct fixture f;
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 200, 0, END});          /* node 0, 1 */
	fixture_line(&f, (double[]){120, -100, 120, 100, END});   /* crosses at (120,0): no vertex */
	fixture_line(&f, (double[]){200, 0, 200, 0, 200, 50, END}); /* repeated vertex: self-loop */
	/* three points on segment 0 given out of order: t = 0.75, 0.25, 0.5 */
	size_t p75 = fixture_point(&f, 150, 5), p25 = fixture_point(&f, 50, -5), p50 = fixture_point(&f, 100, 1);
	size_t dup = fixture_point(&f, 50, 7);   /* same place as p25 on the segment */
	ok(fixture_build(&f, 300), "builds");
	is_int(f.segs.n_self_loops, 1, "the repeated vertex is counted as a self-loop and dropped");
	is_int(f.segs.n_segments, 3, "segments: (0,0)-(200,0), the crossing line, (200,0)-(200,50)");
	is_int(f.g.n_nodes, 5 + 3, "5 distinct vertices + 3 distinct split points");
	ok(f.node[dup] == f.node[p25], "two points at the same spot share one split node");
	/* chain along segment 0: 0 -> p25 -> p50 -> p75 -> 1, each 50 m */
	is_double(arc_length(&f.g, 0, f.node[p25]), 50, 1e-9, "(0,0) to t=.25: 50 m");
	is_double(arc_length(&f.g, f.node[p25], f.node[p50]), 50, 1e-9, "t=.25 to t=.5: 50 m");
	is_double(arc_length(&f.g, f.node[p50], f.node[p75]), 50, 1e-9, "t=.5 to t=.75: 50 m");
	is_double(arc_length(&f.g, f.node[p75], 1), 50, 1e-9, "t=.75 to (200,0): 50 m");
	is_double(arc_length(&f.g, 0, 1), -1, 0, "the split segment has no direct arc any more");
	/* the lines cross at (120,0) but share no vertex */
	uint32_t n_comp = 0;
	uint32_t comp[16];
	ok(ws_graph_components(&f.g, comp, &n_comp, NULL, &(struct ws_error){0}), "components");
	is_int(n_comp, 2, "the crossing line is its own component (no shared vertex)");
	ok(comp[2] != comp[0], "crossing line not connected to the first line");
	/* every arc has a twin */
	int twins = 0;
	for (uint32_t u = 0; u < f.g.n_nodes; u++)
		for (uint32_t k = f.g.first_out[u]; k < f.g.first_out[u + 1]; k++)
			twins += arc_length(&f.g, f.g.head[k], u) == f.g.length_m[k];
	is_int(twins, (int)f.g.n_arcs, "every arc has a twin of the same length");
	fixture_finish(&f);
	return done();
}
