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
	return done();
}
