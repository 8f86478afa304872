/* Isochrones on hand-built networks (figures worked out in the comments) and on the real
 * Porto data (validity, the walk-off bound, thread independence). GEOS approximates
 * round caps with 8 segments per quarter circle: a full cap pair is the regular 32-gon
 * inscribed in the walk-off circle, area 0.5 * 32 * w^2 * sin(2 pi / 32); for w = 50 that
 * is 7803.612880645132 m2. Straight sides of a buffer are exact. */
#include <geos_c.h>

#include "analysis/isochrone.h"
#include "analysis/service_area.h"
#include "net_fixture.h"
#include "pipeline/isochrones.h"
#include "pipeline/study.h"
#include "tap.h"

#define CAPS_50 7803.612880645132

/* polygons the hand networks needed the general construction for (expected: none) */
static size_t hand_general;

static struct ws_isochrones run_iso(struct fixture *f, const size_t *centers, size_t nc, const double *bands,
				    size_t nb, int threads)
{
	struct fixture_sources cs;
	fixture_sources(f, &cs, centers, nc);
	double con[4 * 64];
	for (size_t i = 0; i < nc; i++) {
		size_t p = centers[i];
		con[4 * i] = f->xy[2 * p];
		con[4 * i + 1] = f->xy[2 * p + 1];
		con[4 * i + 2] = f->snap[p].x;
		con[4 * i + 3] = f->snap[p].y;
	}
	struct ws_isochrone_params p = {bands, nb, 50, threads, true, false};
	struct ws_isochrones iso;
	struct ws_error err = {0};
	if (!ws_isochrones_compute(&iso, &f->g, &cs.src, con, NULL, &p, &err))
		diag("isochrones failed: %s", err.msg);
	hand_general += iso.n_general;
	return iso;
}

static GEOSGeometry *feature(struct ws_geos *g, const struct ws_isochrones *iso, size_t f)
{
	struct ws_error err = {0};
	return ws_isochrone_geometry(g, &iso->poly, f, &err);
}

static GEOSGeometry *reached_lines(struct ws_geos *g, const struct ws_isochrones *iso, size_t f)
{
	const struct ws_shapes *l = &iso->lines;
	size_t p0 = l->feature_first_part[f], p1 = l->feature_first_part[f + 1];
	GEOSGeometry **parts = malloc((p1 - p0 + 1) * sizeof *parts);
	for (size_t p = p0; p < p1; p++) {
		size_t a = l->part_first_point[p];
		parts[p - p0] = GEOSGeom_createLineString_r(g->h, GEOSCoordSeq_copyFromBuffer_r(g->h, l->xy + 2 * a, 2, 0, 0));
	}
	GEOSGeometry *m = GEOSGeom_createCollection_r(g->h, GEOS_MULTILINESTRING, parts, (unsigned)(p1 - p0));
	free(parts);
	return m;
}

static bool contains_xy(struct ws_geos *g, const GEOSGeometry *poly, double x, double y)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->h, x, y);
	bool in = GEOSContains_r(g->h, poly, pt) == 1;
	GEOSGeom_destroy_r(g->h, pt);
	return in;
}

/* The bars: the polygon is valid; none of its vertices and none of the points of a
 * 10 m grid inside it lies farther than the walk-off from the reached lines; and every
 * grid point within walk-off - 0.3 m of the lines is inside (the chords of a 50 m arc with
 * 8 segments per quadrant lie within 50 * (1 - cos(pi / 32)) = 0.24 m of the arc). */
static void check_walk_off(struct ws_geos *g, const struct ws_isochrones *iso, size_t f, const char *what)
{
	GEOSGeometry *poly = feature(g, iso, f), *lines = reached_lines(g, iso, f);
	ok(GEOSisValid_r(g->h, poly) == 1, "%s: valid MultiPolygon", what);
	const struct ws_shapes *s = &iso->poly;
	double worst = 0;
	size_t k0 = s->part_first_point[s->feature_first_part[f]], k1 = s->part_first_point[s->feature_first_part[f + 1]];
	for (size_t k = k0; k < k1; k++) {
		GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->h, s->xy[2 * k], s->xy[2 * k + 1]);
		double d;
		GEOSDistance_r(g->h, pt, lines, &d);
		worst = fmax(worst, d);
		GEOSGeom_destroy_r(g->h, pt);
	}
	double xmin, ymin, xmax, ymax;
	GEOSGeom_getXMin_r(g->h, poly, &xmin);
	GEOSGeom_getYMin_r(g->h, poly, &ymin);
	GEOSGeom_getXMax_r(g->h, poly, &xmax);
	GEOSGeom_getYMax_r(g->h, poly, &ymax);
	size_t missing = 0;
	for (double x = xmin; x <= xmax; x += 10)
		for (double y = ymin; y <= ymax; y += 10) {
			GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->h, x, y);
			double d;
			GEOSDistance_r(g->h, pt, lines, &d);
			bool in = GEOSContains_r(g->h, poly, pt) == 1;
			if (in)
				worst = fmax(worst, d);
			if (!in && d < 50 - 0.3)
				missing++;
			GEOSGeom_destroy_r(g->h, pt);
		}
	ok(worst <= 50 + 1e-6, "%s: no point of the isochrone farther than the walk-off from a reached line (max %.6f m)", what, worst);
	is_int(missing, 0, "%s: every point within the walk-off of a reached line is inside", what);
	GEOSGeom_destroy_r(g->h, poly);
	GEOSGeom_destroy_r(g->h, lines);
}

static size_t n_holes(struct ws_geos *g, const struct ws_isochrones *iso, size_t f)
{
	GEOSGeometry *poly = feature(g, iso, f);
	size_t n = 0;
	for (int i = 0; i < GEOSGetNumGeometries_r(g->h, poly); i++)
		n += (size_t)GEOSGetNumInteriorRings_r(g->h, GEOSGetGeometryN_r(g->h, poly, i));
	GEOSGeom_destroy_r(g->h, poly);
	return n;
}

static void porto(struct ws_geos *g);

int main(void)
{
	struct ws_geos g;
	struct ws_error err = {0};
	ws_geos_init(&g, &err);
	struct fixture f;

	/* 1. Partial arc: a 1000 m street, the center on its start, bands 300 and 600 m.
	 *    Reached: exactly [0, 300] and [0, 600]; the isochrone is the 300 x 100 m
	 *    rectangle plus two half 32-gons: 30000 + 7803.61 m2; its tip at x = 350. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 1000, 0, END});
	size_t c = fixture_point(&f, 0, 0);
	ok(fixture_build(&f, 300), "street builds");
	struct ws_isochrones iso = run_iso(&f, &c, 1, (double[]){300, 600}, 2, 1);
	is_double(iso.network_m[0], 300, 0, "partial arc: 300 m of network reached within 300 m");
	is_double(iso.network_m[1], 600, 0, "partial arc: 600 m within 600 m");
	is_int(ws_shapes_feature_parts(&iso.lines, 0), 1, "one piece");
	is_double(iso.lines.xy[2], 300, 0, "the piece ends at exactly x = 300");
	is_double(iso.area_m2[0], 30000 + CAPS_50, 1e-6, "area 300 x 100 + the 32-gon caps");
	is_double(iso.area_m2[1], 60000 + CAPS_50, 1e-6, "600 m band: 600 x 100 + caps");
	double xmax = 0;
	GEOSGeometry *p0 = feature(&g, &iso, 0);
	GEOSGeom_getXMax_r(g.h, p0, &xmax);
	GEOSGeom_destroy_r(g.h, p0);
	is_double(xmax, 350, 1e-9, "the isochrone ends 50 m (the walk-off) past the cutoff");
	check_walk_off(&g, &iso, 0, "partial arc");
	ws_isochrones_finish(&iso);
	fixture_finish(&f);

	/* 1b. Center 30 m off the street at (0,30): snap 30 m, so within 300 m it walks the
	 *     connector (drawn) and 270 m of street. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 1000, 0, END});
	c = fixture_point(&f, 0, 30);
	ok(fixture_build(&f, 300), "snap builds");
	iso = run_iso(&f, &c, 1, (double[]){300}, 1, 1);
	is_double(iso.network_m[0], 270, 1e-9, "snap 30 m: 270 m of street within 300 m");
	is_int(ws_shapes_feature_parts(&iso.lines, 0), 2, "the connector and the street piece");
	check_walk_off(&g, &iso, 0, "snapped center");
	ws_isochrones_finish(&iso);
	fixture_finish(&f);

	/* 2. An arc reached from both ends, not in the middle: center C (300,300) joined to
	 *    A (0,0) and B (600,0) (424.264 m each), street A-B 600 m, limit 500 m:
	 *    75.736 m from each end; network = 2 * 500 = 1000 m. */
	fixture_init(&f);
	fixture_line(&f, (double[]){300, 300, 0, 0, END});
	fixture_line(&f, (double[]){300, 300, 600, 0, END});
	fixture_line(&f, (double[]){0, 0, 600, 0, END});
	c = fixture_point(&f, 300, 300);
	ok(fixture_build(&f, 300), "triangle builds");
	iso = run_iso(&f, &c, 1, (double[]){500}, 1, 1);
	is_double(iso.network_m[0], 1000, 1e-9, "two partial pieces: 2 x 424.264 + 2 x 75.736 = 1000 m");
	is_int(ws_shapes_feature_parts(&iso.lines, 0), 4, "4 pieces: two whole arcs, two partial ends");
	double r = 500 - sqrt(300.0 * 300 * 2);
	GEOSGeometry *poly = feature(&g, &iso, 0);
	ok(!contains_xy(&g, poly, 300, 0) , "the middle of A-B (224 m from either reached end) is not reached");
	ok(contains_xy(&g, poly, r + 49, 0) && !contains_xy(&g, poly, r + 51, 0),
	   "the piece from A ends at exactly 75.736 m (cap to 124.736 m)");
	GEOSGeom_destroy_r(g.h, poly);
	check_walk_off(&g, &iso, 0, "two-ended arc");
	ws_isochrones_finish(&iso);
	fixture_finish(&f);

	/* 3. A hole: a 400 x 400 m ring road, the center at a corner, limit 850 m reaches
	 *    the whole ring (the far corner is 800 m away). Outer: 500 x 500 with the 32-gon
	 *    corners = 160000 + 4 x 400 x 50 + 7803.61; hole: the block shrunk by 50 m,
	 *    300 x 300 = 90000 (sharp corners). */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 400, 0, 400, 400, 0, 400, 0, 0, END});
	c = fixture_point(&f, 0, 0);
	ok(fixture_build(&f, 300), "ring builds");
	iso = run_iso(&f, &c, 1, (double[]){790, 850}, 2, 1);
	is_double(iso.network_m[1], 1600, 1e-9, "the whole ring reached");
	is_double(iso.network_m[0], 1580, 1e-9, "790 m: all but the 20 m around the far corner");
	is_int(n_holes(&g, &iso, 1), 1, "the unreached block stays a hole");
	is_double(iso.area_m2[1], 160000 + 80000 + CAPS_50 - 90000, 1e-6, "ring area = outer - 300 x 300 hole");
	poly = feature(&g, &iso, 1);
	ok(!contains_xy(&g, poly, 200, 200), "the block's centre is not in the isochrone");
	GEOSGeom_destroy_r(g.h, poly);
	check_walk_off(&g, &iso, 1, "ring");
	check_walk_off(&g, &iso, 0, "open ring");
	ws_isochrones_finish(&iso);
	fixture_finish(&f);

	/* 4. Two river banks 150 m apart (more than twice the walk-off), a bridge only at
	 *    x = 2000. From (0,0) within 1000 m only the south bank is reached; the north
	 *    bank at 150 m is not joined. With 5000 m both banks are reached, and the river
	 *    between them stays out of the isochrone. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 1000, 0, 2000, 0, END});
	fixture_line(&f, (double[]){0, 150, 1000, 150, 2000, 150, END});
	fixture_line(&f, (double[]){2000, 0, 2000, 150, END});
	c = fixture_point(&f, 0, 0);
	ok(fixture_build(&f, 300), "river builds");
	iso = run_iso(&f, &c, 1, (double[]){1000, 5000}, 2, 1);
	poly = feature(&g, &iso, 0);
	ok(!contains_xy(&g, poly, 500, 150) && !contains_xy(&g, poly, 500, 110), "1000 m: the north bank is not reached across the river");
	is_double(iso.area_m2[0], 100000 + CAPS_50, 1e-6, "1000 m: the south bank strip only");
	GEOSGeom_destroy_r(g.h, poly);
	poly = feature(&g, &iso, 1);
	ok(contains_xy(&g, poly, 500, 150) && !contains_xy(&g, poly, 500, 75), "5000 m: both banks, the river between them stays out");
	GEOSGeom_destroy_r(g.h, poly);
	check_walk_off(&g, &iso, 1, "river");
	ws_isochrones_finish(&iso);
	fixture_finish(&f);

	/* 5. A 10 x 10 grid of 100 m blocks (some 200 m blocks, so holes appear), two
	 *    centers, bands 200/400/600 m: bands nest, all valid, walk-off bound, and the
	 *    same bytes for 1, 2 and 7 threads. */
	fixture_init(&f);
	for (int i = 0; i <= 10; i++) {
		double row[2 * 11 + 1], col[2 * 11 + 1];
		for (int k = 0; k <= 10; k++) {
			row[2 * k] = 100.0 * k;
			row[2 * k + 1] = 100.0 * i + (i % 3 == 1 ? 7 : 0);
			col[2 * k] = 100.0 * i;
			col[2 * k + 1] = 100.0 * k;
		}
		row[22] = col[22] = NAN;
		if (i % 4 != 2)
			fixture_line(&f, row);
		fixture_line(&f, col);
	}
	size_t cs[2] = {fixture_point(&f, 430, 520), fixture_point(&f, 805, 190)};
	ok(fixture_build(&f, 300), "grid builds");
	double bands[3] = {200, 400, 600};
	struct ws_isochrones one = run_iso(&f, cs, 2, bands, 3, 1);
	for (size_t s = 0; s < 2; s++)
		for (size_t b = 1; b < 3; b++) {
			GEOSGeometry *lo = feature(&g, &one, s * 3 + b - 1), *hi = feature(&g, &one, s * 3 + b);
			ok(GEOSCovers_r(g.h, hi, lo) == 1, "grid center %zu: band %zu covers band %zu", s, b, b - 1);
			GEOSGeom_destroy_r(g.h, lo);
			GEOSGeom_destroy_r(g.h, hi);
		}
	for (size_t k = 0; k < 6; k++) {
		char what[64];
		snprintf(what, sizeof what, "grid isochrone %zu", k);
		check_walk_off(&g, &one, k, what);
	}
	for (int threads = 2; threads <= 7; threads += 5) {
		struct ws_isochrones many = run_iso(&f, cs, 2, bands, 3, threads);
		ok(many.poly.n_points == one.poly.n_points && many.poly.n_parts == one.poly.n_parts &&
		   !memcmp(many.poly.xy, one.poly.xy, one.poly.n_points * 2 * sizeof(double)) &&
		   !memcmp(many.area_m2, one.area_m2, 6 * sizeof(double)) &&
		   !memcmp(many.network_m, one.network_m, 6 * sizeof(double)),
		   "grid: %d threads give the same bytes as 1", threads);
		ws_isochrones_finish(&many);
	}
	/* union length: the two centers' networks overlap; the union is at most the sum and
	 * at least the larger */
	struct fixture_sources src;
	fixture_sources(&f, &src, cs, 2);
	double ul[3];
	ok(ws_isochrones_union_length(&f.g, &src.src, bands, 3, ul, &err), "union length runs");
	ok(ul[2] <= one.network_m[2] + one.network_m[5] + 1e-9 && ul[2] >= fmax(one.network_m[2], one.network_m[5]),
	   "union length between the larger and the sum (%.1f m)", ul[2]);
	/* the service area built from the network reached from either center is the union
	 * of the two isochrones (the sum with the 32-gon distributes over the union) */
	double con2[8] = {430, 520, f.snap[cs[0]].x, f.snap[cs[0]].y, 805, 190, f.snap[cs[1]].x, f.snap[cs[1]].y};
	struct ws_isochrone_params up = {bands, 3, 50, 2, false, false};
	struct ws_shapes served;
	double served_m2[3], ul2[3];
	bool exact = false;
	ws_shapes_init(&served, WS_GEOM_POLYGON, &err);
	ok(ws_isochrones_union(&f.g, &src.src, con2, &up, ul2, &served, served_m2, &exact, &err) && exact,
	   "grid: the union of the isochrones built exactly from the union network");
	ok(!memcmp(ul, ul2, sizeof ul), "grid: the same union lengths");
	for (size_t b = 0; b < 3; b++) {
		GEOSGeometry *a = feature(&g, &one, b), *c2 = feature(&g, &one, 3 + b);
		GEOSGeometry *u = GEOSUnion_r(g.h, a, c2);
		GEOSGeometry *direct = ws_isochrone_geometry(&g, &served, b, &err);
		GEOSGeometry *d = GEOSSymDifference_r(g.h, u, direct);
		double da = 1, ua = 0;
		GEOSArea_r(g.h, d, &da);
		GEOSArea_r(g.h, u, &ua);
		ok(GEOSisValid_r(g.h, direct) == 1 && da < 1e-3 && fabs(ua - served_m2[b]) < 1e-3,
		   "grid band %zu: direct union = union of the two isochrones (difference %.2g m2)", b, da);
		GEOSGeometry *own[] = {a, c2, u, direct, d};
		for (size_t i = 0; i < 5; i++)
			GEOSGeom_destroy_r(g.h, own[i]);
	}
	ws_shapes_finish(&served);
	ws_isochrones_finish(&one);
	fixture_finish(&f);

	/* 6. Service area and area share. Street (0,0)-(1000,0), center at (0,0), band 300:
	 *    the isochrone's straight part is |y| <= 50 for 0 <= x <= 300. Compounds (squares
	 *    apart): x 100..200, y 0..100 -> half inside (share 0.5); x 210..290, y 60..100 -> 0;
	 *    x 20..80, y -20..20 -> 1. Study area 10000 + 3200 + 2400 = 15600 m2, unserved =
	 *    5000 + 3200 + 0 = 8200 m2. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 1000, 0, END});
	c = fixture_point(&f, 0, 0);
	ok(fixture_build(&f, 300), "share street builds");
	iso = run_iso(&f, &c, 1, (double[]){300}, 1, 1);
	struct ws_shapes k;
	ws_shapes_init(&k, WS_GEOM_POLYGON, &err);
	double sq[3][4] = {{100, 0, 200, 100}, {210, 60, 290, 100}, {20, -20, 80, 20}};
	for (int i = 0; i < 3; i++) {
		ws_shapes_begin_feature(&k, &err);
		ws_shapes_begin_part(&k, &err);
		double x0 = sq[i][0], y0 = sq[i][1], x1 = sq[i][2], y1 = sq[i][3];
		double ring[5][2] = {{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}; /* clockwise */
		for (int j = 0; j < 5; j++)
			ws_shapes_add_point(&k, ring[j][0], ring[j][1], &err);
	}
	for (int threads = 1; threads <= 2; threads++) {
		struct ws_service_area sa;
		ok(ws_service_area_compute(&sa, &iso, NULL, &k, threads, &err), "[%d threads] service area runs", threads);
		is_double(sa.study_m2, 15600, 1e-6, "[%d threads] study area = union of compounds = 15600 m2", threads);
		is_double(sa.served_m2[0], 30000 + CAPS_50, 1e-6, "[%d threads] served = the one isochrone", threads);
		is_double(sa.unserved_m2[0], 8200, 1e-6, "[%d threads] unserved residential area 8200 m2", threads);
		double share[3];
		ok(ws_service_area_share(&sa, 0, &k, threads, share, &err), "[%d threads] share runs", threads);
		is_double(share[0], 0.5, 1e-12, "[%d threads] half inside: share 0.5", threads);
		is_double(share[1], 0, 0, "[%d threads] outside: share 0", threads);
		is_double(share[2], 1, 0, "[%d threads] inside: share 1", threads);
		ws_service_area_finish(&sa);
	}
	ws_shapes_finish(&k);
	ws_isochrones_finish(&iso);
	fixture_finish(&f);
	is_int(hand_general, 0, "hand networks: every polygon built by the exact construction");

	/* 7. Degenerate input for the exact construction: two streets overlapping along
	 *    x 100..300 (OSM ways drawn on top of each other). Their sides lie on one line,
	 *    the boundary cannot be linked, and the general GEOS construction takes over:
	 *    the same stadium, 500 x 100 + the 32-gon caps. */
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 100, 0, 300, 0, END});
	fixture_line(&f, (double[]){100, 0, 500, 0, END});
	c = fixture_point(&f, 0, 0);
	ok(fixture_build(&f, 300), "overlapping streets build");
	hand_general = 0;
	iso = run_iso(&f, &c, 1, (double[]){600}, 1, 1);
	ok(hand_general == 1, "overlapping streets: the general construction is used (%zu)", hand_general);
	is_double(iso.area_m2[0], 50000 + CAPS_50, 1e-6, "overlapping streets: 500 x 100 + caps");
	check_walk_off(&g, &iso, 0, "overlapping streets");
	ws_isochrones_finish(&iso);
	fixture_finish(&f);

	porto(&g);
	ws_geos_finish(&g);
	return done();
}

/* Porto (real data): every center, bands 5/10/15 min at 4 km/h. */
static void porto(struct ws_geos *g)
{
	struct ws_study_options o = {0};
	struct ws_error err = {0};
	FILE *probe = fopen("../../shared/data/porto/roads.shp", "rb");
	if (!probe) {
		printf("ok %d # SKIP ../../shared/data/porto not found\n", ++tap_count);
		return;
	}
	fclose(probe);
	o.dataset_dir = "../../shared/data/porto";
	o.max_snap_m = 300;
	o.max_crs_error_m = -1;
	o.threads = 2;
	ws_walk_filter_init_default(&o.filter, &err);
	struct ws_study st;
	if (!ok(ws_study_load(&st, &o, &err), "porto loads")) {
		diag("%s", err.msg);
		return;
	}
	struct ws_isochrone_run_params p = {{0}, 0, 15, 4.0, 50, 2, false};
	ws_isochrone_parse_bands(&p, "5,10", &err);
	is_int(p.n_bands, 3, "bands 5,10 plus the threshold 15");
	struct ws_isochrone_run r1, r7;
	ok(ws_isochrone_run(&r1, &st, &p, &err), "porto isochrones, 2 threads");
	p.threads = 7;
	ok(ws_isochrone_run(&r7, &st, &p, &err), "porto isochrones, 7 threads");
	is_int(r1.n_general, 0, "porto: every polygon built by the exact construction");
	/* against the general construction (GEOS buffers with round arcs): both are made of
	 * chords at most 50 (1 - cos(pi / 32)) = 0.24 m inside the true arcs, so they may
	 * differ by a strip that thin along the boundary, never by a hole or a part */
	struct ws_isochrone_run rg;
	p.threads = 2;
	p.general_only = true;
	ok(ws_isochrone_run(&rg, &st, &p, &err), "porto isochrones, general construction");
	ok(rg.n_general == rg.iso.poly.n_features + 1, "general only: every polygon and the service area");
	double worst_strip = 0;
	for (size_t f = 0; f < r1.iso.poly.n_features + 3; f++) {
		bool sa = f >= r1.iso.poly.n_features;
		size_t k = sa ? f - r1.iso.poly.n_features : f;
		GEOSGeometry *a = ws_isochrone_geometry(g, sa ? &r1.sa.served : &r1.iso.poly, k, &err);
		GEOSGeometry *b = ws_isochrone_geometry(g, sa ? &rg.sa.served : &rg.iso.poly, k, &err);
		GEOSGeometry *d = GEOSSymDifference_r(g->h, a, b);
		double da = 0, len = 0;
		GEOSArea_r(g->h, d, &da);
		GEOSLength_r(g->h, b, &len);
		if (len > 0)
			worst_strip = fmax(worst_strip, da / len);
		GEOSGeom_destroy_r(g->h, a);
		GEOSGeom_destroy_r(g->h, b);
		GEOSGeom_destroy_r(g->h, d);
	}
	ok(worst_strip < 0.25, "porto: exact and general constructions differ by a thin strip (worst difference area / boundary length %.3f m < 0.25 m)", worst_strip);
	ws_isochrone_run_finish(&rg);
	/* the walk-off bound on every vertex of every Porto isochrone (without snap
	 * connectors, so the kept lines are all that was widened) */
	double bands_m[3] = {1000.0 / 3, 2000.0 / 3, 1000};
	struct ws_isochrone_params lp = {bands_m, 3, 50, 2, true, false};
	struct ws_isochrones li;
	double worst_vertex = 0;
	size_t n_vertices = 0;
	if (ok(ws_isochrones_compute(&li, &st.graph, &st.center_src, NULL, NULL, &lp, &err) && li.n_general == 0,
	       "porto: isochrones with their reached lines, exact construction")) {
		for (size_t f = 0; f < li.poly.n_features; f++) {
			if (ws_shapes_feature_parts(&li.lines, f) == 0)
				continue;
			GEOSGeometry *lines = reached_lines(g, &li, f);
			const GEOSPreparedGeometry *prep = GEOSPrepare_r(g->h, lines);
			const struct ws_shapes *s = &li.poly;
			size_t k0 = s->part_first_point[s->feature_first_part[f]];
			size_t k1 = s->part_first_point[s->feature_first_part[f + 1]];
			for (size_t k = k0; k < k1; k++) {
				GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->h, s->xy[2 * k], s->xy[2 * k + 1]);
				double d = 0;
				GEOSPreparedDistance_r(g->h, prep, pt, &d);
				worst_vertex = fmax(worst_vertex, d);
				GEOSGeom_destroy_r(g->h, pt);
			}
			n_vertices += k1 - k0;
			GEOSPreparedGeom_destroy_r(g->h, prep);
			GEOSGeom_destroy_r(g->h, lines);
		}
		ws_isochrones_finish(&li);
	}
	ok(n_vertices > 100000 && worst_vertex <= 50 + 1e-6,
	   "porto: none of the %zu isochrone vertices lies farther than the walk-off from a reached line (max %.9f m)",
	   n_vertices, worst_vertex);
	ok(r1.iso.poly.n_points == r7.iso.poly.n_points &&
	   !memcmp(r1.iso.poly.xy, r7.iso.poly.xy, r1.iso.poly.n_points * 2 * sizeof(double)) &&
	   r1.sa.served.n_points == r7.sa.served.n_points &&
	   !memcmp(r1.sa.served.xy, r7.sa.served.xy, r1.sa.served.n_points * 2 * sizeof(double)) &&
	   !memcmp(r1.share, r7.share, st.compounds.geom.n_features * sizeof(double)),
	   "porto: 2 and 7 threads give the same bytes");
	size_t invalid = 0, not_nested = 0;
	double worst_outside = 0;
	for (size_t f = 0; f < r1.iso.poly.n_features; f++) {
		GEOSGeometry *geom = ws_isochrone_geometry(g, &r1.iso.poly, f, &err);
		invalid += GEOSisValid_r(g->h, geom) != 1;
		if (f % 3) {
			GEOSGeometry *below = ws_isochrone_geometry(g, &r1.iso.poly, f - 1, &err);
			GEOSGeometry *outside = GEOSDifference_r(g->h, below, geom);
			double a = 0;
			GEOSArea_r(g->h, outside, &a);
			worst_outside = fmax(worst_outside, a);
			not_nested += !(a <= 1e-3);
			GEOSGeom_destroy_r(g->h, outside);
			GEOSGeom_destroy_r(g->h, below);
		}
		GEOSGeom_destroy_r(g->h, geom);
	}
	for (size_t b = 0; b < 3; b++) {
		GEOSGeometry *a = ws_isochrone_geometry(g, &r1.sa.served, b, &err);
		GEOSGeometry *u = ws_isochrone_geometry(g, &r1.sa.unserved, b, &err);
		invalid += GEOSisValid_r(g->h, a) != 1;
		invalid += GEOSisValid_r(g->h, u) != 1;
		GEOSGeom_destroy_r(g->h, a);
		GEOSGeom_destroy_r(g->h, u);
	}
	is_int(invalid, 0, "porto: all 270 isochrones and the 6 service-area polygons are valid");
	/* band k is the union of its buffer and band k - 1; GEOS rounds the union's new
	 * vertices, which leaves slivers of a fraction of a square millimetre */
	diag("porto: largest area of a band outside the next band: %.3g m2", worst_outside);
	is_int(not_nested, 0, "porto: every band covers the band below (up to 1e-3 m2 of rounding)");
	ok(r1.sa.served_m2[0] < r1.sa.served_m2[1] && r1.sa.served_m2[1] < r1.sa.served_m2[2] &&
	   r1.sa.unserved_m2[2] >= 0 && r1.sa.unserved_m2[2] <= r1.sa.study_m2,
	   "porto: served area grows with the band, unserved within the study area");
	ws_isochrone_run_finish(&r1);
	ws_isochrone_run_finish(&r7);
	ws_study_finish(&st);
	ws_walk_filter_finish(&o.filter);
}
