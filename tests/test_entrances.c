/* Gate assignment and boundary entrances on hand-made compounds (metres):
 *   A = square (0,0)-(100,100), B = square (140,0)-(240,100): a 40 m gap at 100 < x < 140;
 *   D = (0,0)-(60,100) overlaps A's west part. Gate distance 30 m. */
#include "analysis/entrances.h"
#include "net_fixture.h"
#include "tap.h"

static void square(struct ws_shapes *s, double x0, double y0, double x1, double y1)
{
	struct ws_error err = {0};
	ws_shapes_begin_feature(s, &err);
	ws_shapes_begin_part(s, &err);
	double ring[5][2] = {{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}; /* clockwise */
	for (int i = 0; i < 5; i++)
		ws_shapes_add_point(s, ring[i][0], ring[i][1], &err);
}

int main(void)
{
	struct ws_error err = {0};
	struct ws_shapes k;
	ws_shapes_init(&k, WS_GEOM_POLYGON, &err);
	square(&k, 0, 0, 100, 100);     /* 0: A */
	square(&k, 140, 0, 240, 100);   /* 1: B */
	square(&k, 0, 0, 60, 100);      /* 2: D, overlaps A */
	const char *ids[3] = {"A", "B", "D"};

	double xy[] = {
		80, 50,    /* 0: inside A only (D ends at x = 60): A, inside, boundary 20 m */
		110, 50,   /* 1: 10 m from A, 30 m from B: A (nearest), near */
		125, 50,   /* 2: 25 m from A, 15 m from B: B */
		120, 50,   /* 3: 20 m from both: tie -> lower FID, A */
		500, 500,  /* 4: nothing within 30 m */
		80, 50,    /* 5: inside A, attribute "B": B (the attribute overrides) */
		80, 50,    /* 6: attribute "nope": no such compound, unassigned */
		130, 50,   /* 7: exactly 30 m from A, 10 m from B: B */
		55, 20,    /* 8: inside A (boundary 20 m) and D (boundary 5 m): D */
		-29, 50,   /* 9: 29 m west of A and D (both boundaries 29 m): tie -> A */
	};
	const char *attr[10] = {NULL, NULL, NULL, NULL, NULL, "B", "nope", NULL, NULL, ""};
	for (int threads = 1; threads <= 3; threads += 2) {
		struct ws_gate_assignment ga;
		ok(ws_gates_assign(&ga, xy, 10, attr, &k, ids, 30, threads, &err), "[%d threads] assignment runs", threads);
		uint32_t want[10] = {0, 0, 1, 0, WS_NO_COMPOUND, 1, WS_NO_COMPOUND, 1, 2, 0};
		enum ws_gate_rule rule[10] = {WS_GATE_INSIDE, WS_GATE_NEAR, WS_GATE_NEAR, WS_GATE_NEAR, WS_GATE_NONE,
					      WS_GATE_ATTRIBUTE, WS_GATE_UNKNOWN_ID, WS_GATE_NEAR, WS_GATE_INSIDE,
					      WS_GATE_NEAR};
		double dist[10] = {20, 10, 15, 20, NAN, 60, NAN, 10, 5, 29};
		static const char *const what[10] = {"inside", "near the nearer compound", "nearer to B",
						     "tie goes to the lower FID", "too far", "attribute overrides",
						     "unknown attribute id", "30 m counts, B nearer", "inside two: nearest boundary",
						     "outside two at equal distance: lower FID"};
		for (int i = 0; i < 10; i++) {
			is_int(ga.compound[i], want[i], "[%d threads] gate %d: %s", threads, i, what[i]);
			is_int(ga.rule[i], rule[i], "[%d threads] gate %d: rule", threads, i);
			if (!isnan(dist[i]))
				is_double(ga.boundary_m[i], dist[i], 1e-9, "[%d threads] gate %d: boundary distance", threads, i);
		}
		is_int(ga.n_by_rule[WS_GATE_NEAR], 5, "[%d threads] 5 near", threads);
		ws_gates_finish(&ga);
	}

	/* Boundary entrances: a street along y = 50 with vertices at x = -100, -20, 50, 120,
	 * 135, 400. A (0..100) gets -20 (20 m), 50 (inside), 120 (20 m); B (140..240) gets 120
	 * (20 m) and 135 (5 m); D (0..60) gets -20 and 50; 400 is 160 m from B. */
	struct fixture f;
	fixture_init(&f);
	fixture_line(&f, (double[]){-100, 50, -20, 50, 50, 50, 120, 50, 135, 50, 400, 50, END});
	ok(fixture_build(&f, 300), "street builds");
	size_t *first = NULL;
	uint32_t *nodes = NULL;
	ok(ws_boundary_nodes(&f.g, &k, 30, 2, &first, &nodes, &err), "boundary nodes run");
	double want_x[3][3] = {{-20, 50, 120}, {120, 135, NAN}, {-20, 50, NAN}};
	size_t want_n[3] = {3, 2, 2};
	for (size_t c = 0; c < 3; c++) {
		is_int(first[c + 1] - first[c], want_n[c], "compound %s: %zu boundary entrances", ids[c], want_n[c]);
		for (size_t j = first[c]; j < first[c + 1] && j - first[c] < want_n[c]; j++) {
			double x = f.g.node_xy[2 * nodes[j]];
			bool found = false;
			for (size_t w = 0; w < want_n[c]; w++)
				found |= x == want_x[c][w];
			ok(found, "compound %s: entrance at x = %g expected", ids[c], x);
		}
	}
	free(first);
	free(nodes);
	fixture_finish(&f);
	ws_shapes_finish(&k);
	return done();
}
