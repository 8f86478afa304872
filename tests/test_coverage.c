/* Coverage on hand-computed networks (SPEC 4-6). Distances are worked out by hand in the
 * comments; at 4 km/h one minute is 66.667 m and the 15-minute threshold is 1000 m. */
#include "net_fixture.h"
#include "tap.h"

static struct ws_coverage run(struct fixture *f, const size_t *centers, size_t nc,
			      const size_t *compounds, size_t nk, double limit_m, int threads)
{
	struct fixture_sources cs, ks;
	fixture_sources(f, &cs, centers, nc);
	fixture_sources(f, &ks, compounds, nk);
	struct ws_coverage cov;
	struct ws_error err = {0};
	if (!ws_coverage_compute(&cov, &f->g, &cs.src, &ks.src, NULL, limit_m, threads, &err))
		diag("coverage failed: %s", err.msg);
	return cov;
}

int main(void)
{
	struct fixture f;

	/* 1. A path (0,0)-(100,0)-(300,0); center 10 m off the start, compound 20 m off the
	 *    end: 10 + 300 + 20 = 330 m = 4.95 min. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 100, 0, 300, 0, END});
	size_t c = fixture_point(&f, 0, 10), k = fixture_point(&f, 300, -20);
	ok(fixture_build(&f, 300), "path builds");
	struct ws_coverage cov = run(&f, &c, 1, &k, 1, 1000, 1);
	is_double(cov.compound[0].reach_m, 330, 1e-9, "path: 10 + 300 + 20 = 330 m");
	is_double(cov.compound[0].reach_m / (4000.0 / 60), 4.95, 1e-9, "path: 4.95 min at 4 km/h");
	ok(cov.compound[0].covered && cov.compound[0].n_within == 1, "path: covered by one center");
	ws_coverage_finish(&cov);
	cov = run(&f, &c, 1, &k, 1, 329.999, 1);
	ok(!cov.compound[0].covered, "path: a 329.999 m threshold does not cover 330 m");
	is_double(cov.compound[0].reach_m, 330, 1e-9, "path: reach still reported beyond the threshold");
	ws_coverage_finish(&cov);
	fixture_finish(&f);

	/* 2. Two lines crossing without a shared vertex: center on one, compound on the other. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 200, 0, END});
	fixture_line(&f, (double[]){100, -100, 100, 100, END});
	c = fixture_point(&f, 0, 0);
	k = fixture_point(&f, 100, 100);
	ok(fixture_build(&f, 300), "crossing builds");
	cov = run(&f, &c, 1, &k, 1, 1000, 1);
	ok(isinf(cov.compound[0].reach_m) && cov.compound[0].nearest == WS_NO_CENTER,
	   "crossing without a shared vertex: unreachable (no bridge/tunnel shortcut)");
	ws_coverage_finish(&cov);
	fixture_finish(&f);

	/* 3. Center and compound on the same segment, mid-segment snaps:
	 *    (0,0)-(1000,0); center (200,5), compound (700,-5): 5 + 500 + 5 = 510 m.
	 *    A second compound between them at (400,3): 5 + 200 + 3 = 208 m. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 1000, 0, END});
	size_t k1 = fixture_point(&f, 700, -5);
	c = fixture_point(&f, 200, 5);
	size_t k2 = fixture_point(&f, 400, 3);
	ok(fixture_build(&f, 300), "same-segment builds");
	cov = run(&f, &c, 1, (size_t[]){k1, k2}, 2, 1000, 1);
	is_double(cov.compound[0].reach_m, 510, 1e-9, "same segment: 510 m along the segment, not via its ends");
	is_double(cov.compound[1].reach_m, 208, 1e-9, "same segment, in between: 208 m");
	ws_coverage_finish(&cov);
	fixture_finish(&f);

	/* 4. Unsnapped center (400 m from the only line, max snap 300) and an island:
	 *    main line (0,0)-(500,0); island (0,1000)-(100,1000) holds a compound. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 500, 0, END});
	fixture_line(&f, (double[]){0, 1000, 100, 1000, END});
	size_t c_far = fixture_point(&f, 250, -400);
	size_t c_ok = fixture_point(&f, 0, 0);
	size_t k_main = fixture_point(&f, 500, 0), k_island = fixture_point(&f, 50, 1010);
	ok(fixture_build(&f, 300), "island builds");
	ok(f.node[c_far] == WS_NO_NODE, "400 m off the network: unsnapped");
	cov = run(&f, (size_t[]){c_far, c_ok}, 2, (size_t[]){k_main, k_island}, 2, 1000, 1);
	is_double(cov.compound[0].reach_m, 500, 1e-9, "main compound: 500 m from the snapped center");
	is_int(cov.compound[0].nearest, 1, "nearest is the snapped center (index 1)");
	ok(isinf(cov.compound[1].reach_m) && !cov.compound[1].covered, "island compound unreachable");
	is_int(cov.center_first[1] - cov.center_first[0], 0, "the unsnapped center reaches nothing");
	ws_coverage_finish(&cov);
	fixture_finish(&f);

	/* 5. Reach exactly at the threshold: 15 min x 4 km/h = 1000 m; compound 1000 m away
	 *    along the line (both points on vertices, no snap distance). */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 600, 0, 1000, 0, 1500, 0, END});
	c = fixture_point(&f, 0, 0);
	k = fixture_point(&f, 1000, 0);
	ok(fixture_build(&f, 300), "threshold builds");
	double limit = 15.0 * 4.0 * 1000.0 / 60.0;
	is_double(limit, 1000, 0, "15 min at 4 km/h is exactly 1000 m");
	cov = run(&f, &c, 1, &k, 1, limit, 1);
	ok(cov.compound[0].reach_m == 1000 && cov.compound[0].covered, "exactly at the threshold counts as covered");
	ws_coverage_finish(&cov);
	fixture_finish(&f);

	/* 6. Multi-source exactness and ties. Line (0,0)-(1000,0).
	 *    Center A at (100,250): snaps at (100,0) with 250 m. Center B at (600,0), 0 m.
	 *    Compound at (300,0): A = 250 + 200 = 450, B = 300: B wins although A's node is
	 *    nearer to the compound. Compound at (350,0): A = 500, B = 250 -> B.
	 *    A third center C at (600,0) duplicates B: ties go to the lower index (B). */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 1000, 0, END});
	size_t ca = fixture_point(&f, 100, 250), cb = fixture_point(&f, 600, 0), cc = fixture_point(&f, 600, 0);
	size_t ka = fixture_point(&f, 300, 0), kb = fixture_point(&f, 0, 0);
	ok(fixture_build(&f, 300), "multi-source builds");
	for (int threads = 1; threads <= 3; threads++) {
		cov = run(&f, (size_t[]){ca, cb, cc}, 3, (size_t[]){ka, kb}, 2, 1000, threads);
		is_double(cov.compound[0].reach_m, 300, 1e-9, "[%d threads] (300,0): 300 m via B, not 450 via A", threads);
		is_int(cov.compound[0].nearest, 1, "[%d threads] nearest B; tie with C goes to the lower index", threads);
		is_int(cov.compound[0].n_within, 3, "[%d threads] all three within 1000 m", threads);
		/* (0,0): A = 250 + 100 = 350, B = 600 */
		is_double(cov.compound[1].reach_m, 350, 1e-9, "[%d threads] (0,0): 350 m via A", threads);
		is_int(cov.compound[1].nearest, 0, "[%d threads] (0,0): nearest A", threads);
		ws_coverage_finish(&cov);
	}
	/* reversed center order: the tie now goes to C's index (1) */
	cov = run(&f, (size_t[]){ca, cc, cb}, 3, (size_t[]){ka}, 1, 1000, 1);
	is_int(cov.compound[0].nearest, 1, "tie goes to the lower index whatever the order");
	ws_coverage_finish(&cov);
	fixture_finish(&f);
	return done();
}
