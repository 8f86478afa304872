/* Snapping (SPEC 4): nearest point on the nearest segment, ties to file order, max snap,
 * ends become nodes. Every expected figure is worked out by hand in the comments. */
#include "net_fixture.h"
#include "tap.h"

int main(void)
{
	struct fixture f;
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 100, 0, 300, 0, END});   /* segments 0, 1 */
	fixture_line(&f, (double[]){100, 0, 100, 200, END});       /* segment 2 */
	size_t mid = fixture_point(&f, 50, 30);       /* onto seg 0 at t = 0.5, 30 m */
	size_t corner = fixture_point(&f, 100, -10);  /* the shared vertex (100,0): seg 0, t = 1 */
	size_t beyond = fixture_point(&f, 350, 40);   /* past the end (300,0): t = 1 of seg 1, 64.03 m */
	size_t far = fixture_point(&f, 150, 400);     /* 200 m above (100,200): 206.2 m */
	size_t tie = fixture_point(&f, 110, 10);      /* 10 m from seg 1 and from seg 2: seg 1 first */
	ok(fixture_build(&f, 300), "network builds");

	is_int(f.segs.n_segments, 3, "three segments");
	is_int(f.segs.n_nodes, 4, "four distinct vertices ((100,0) shared)");
	is_int(f.snap[mid].segment, 0, "mid point on segment 0");
	is_double(f.snap[mid].t, 0.5, 1e-12, "t = 0.5");
	is_double(f.snap[mid].dist_m, 30, 1e-9, "snap distance 30 m");
	is_double(f.snap[corner].t, 1, 0, "corner point at t = 1 exactly");
	is_int(f.node[corner], 1, "corner point is the existing node (100,0)");
	is_double(f.snap[beyond].dist_m, sqrt(50 * 50 + 40 * 40), 1e-9, "beyond the end: hypot(50, 40)");
	is_int(f.node[beyond], 2, "beyond the end joins node (300,0)");
	is_double(f.snap[far].dist_m, sqrt(50 * 50 + 200 * 200), 1e-9, "far point snaps to (100,200)");
	is_int(f.snap[tie].segment, 1, "equidistant: the segment first in file order wins");
	is_int(f.g.n_nodes, 6, "only the two mid-segment points (mid, tie) added nodes; ends are not split");

	/* max snap */
	struct ws_snap s;
	ws_snap_point(f.idx, 150, 400, 200, &s);
	ok(s.segment == WS_UNSNAPPED, "206 m away with max 200 m: unsnapped");
	ws_snap_point(f.idx, 100, 500, 300, &s);
	ok(s.segment != WS_UNSNAPPED && s.dist_m == 300, "exactly at max snap (300 m) is snapped");
	ws_snap_point(f.idx, 1e7, 1e7, 300, &s);
	ok(s.segment == WS_UNSNAPPED, "a point far outside the grid is unsnapped quickly");
	fixture_finish(&f);

	/* brute force agreement on a random grid of segments */
	fixture_init(&f);
	srand(7);
	for (int i = 0; i < 200; i++) {
		double x = rand() % 1000, y = rand() % 1000;
		fixture_line(&f, (double[]){x, y, x + rand() % 80 - 40, y + rand() % 80 - 40, END});
	}
	ok(fixture_build(&f, 1e9), "random network builds");
	int agree = 0;
	for (int q = 0; q < 500; q++) {
		double x = rand() % 1200 - 100, y = rand() % 1200 - 100;
		ws_snap_point(f.idx, x, y, 1e9, &s);
		double best = INFINITY;
		uint32_t best_seg = 0;
		for (uint32_t k = 0; k < f.segs.n_segments; k++) {
			const double *a = f.segs.node_xy + 2 * f.segs.seg_node[2 * k];
			const double *b = f.segs.node_xy + 2 * f.segs.seg_node[2 * k + 1];
			double dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
			double t = l2 > 0 ? ((x - a[0]) * dx + (y - a[1]) * dy) / l2 : 0;
			t = t < 0 ? 0 : t > 1 ? 1 : t;
			double d = hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
			if (d < best) {
				best = d;
				best_seg = k;
			}
		}
		agree += s.segment == best_seg && fabs(s.dist_m - best) < 1e-9;
	}
	is_int(agree, 500, "grid search equals a brute-force scan on 500 random points");
	fixture_finish(&f);
	return done();
}
