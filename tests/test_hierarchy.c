/* Levels, service catalogues, weights, zones and the sensitivity derivation, on inputs
 * built by hand. Network figures are worked out in the comments (metres; at 4 km/h one
 * minute is 66.667 m, 15 minutes 1000 m). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "analysis/levels.h"
#include "analysis/sensitivity.h"
#include "analysis/services.h"
#include "analysis/weights.h"
#include "analysis/zones.h"
#include "io/catalogue.h"
#include "net_fixture.h"
#include "tap.h"

static void test_levels(void)
{
	struct ws_levels lv;
	struct ws_error err = {0};
	ok(ws_levels_init_default(&lv, &err), "default levels");
	is_int(lv.n, 4, "four default levels");
	is_str(lv.name[0], "district", "highest: district");
	is_str(lv.name[3], "building", "lowest: building");
	is_int(ws_levels_find(&lv, "Community"), 2, "lookup is case-insensitive");
	is_int(ws_levels_find(&lv, "street"), WS_NO_LEVEL, "unknown value: no level");
	ok(isnan(lv.minutes[0]), "no per-level minutes by default");
	is_double(ws_levels_minutes(&lv, 1, 12), 12, 0, "without its own, a level takes --minutes");

	ok(ws_levels_apply_tiers(&lv, "gb50180", &err), "gb50180 preset");
	is_double(lv.minutes[0], 15, 0, "gb50180: district 15 min");
	is_double(lv.minutes[1], 15, 0, "gb50180: subdistrict 15 min");
	is_double(lv.minutes[2], 10, 0, "gb50180: community 10 min");
	is_double(lv.minutes[3], 5, 0, "gb50180: building 5 min");
	ok(ws_levels_set_minutes(&lv, "community=12, building = 7.5", &err), "level minutes override the preset");
	is_double(lv.minutes[2], 12, 0, "community=12");
	is_double(lv.minutes[3], 7.5, 0, "building = 7.5 (blanks allowed)");
	err = (struct ws_error){0};
	ok(!ws_levels_set_minutes(&lv, "street=5", &err) && err.code == WS_ERR_USAGE, "unknown level in --level-minutes: usage error");
	err = (struct ws_error){0};
	ok(!ws_levels_set_minutes(&lv, "community=-1", &err), "negative minutes refused");
	err = (struct ws_error){0};
	ok(!ws_levels_apply_tiers(&lv, "gb99", &err), "unknown preset refused");

	err = (struct ws_error){0};
	ok(ws_levels_set_names(&lv, "市级,街道,社区", &err), "Chinese level names");
	is_int(lv.n, 3, "three levels");
	ok(isnan(lv.minutes[2]), "new names reset the minutes");
	int level_of[4];
	const char *values[] = {"社区", "", "市级", "街道"};
	ok(ws_levels_assign(&lv, values, 4, "centers.dbf", level_of, &err), "assign levels");
	ok(level_of[0] == 2 && level_of[1] == WS_NO_LEVEL && level_of[2] == 0 && level_of[3] == 1,
	   "levels by position; blank = none");
	const char *bad[] = {"社区", "village"};
	err = (struct ws_error){0};
	ok(!ws_levels_assign(&lv, bad, 2, "centers.dbf", level_of, &err) && strstr(err.msg, "record 1") &&
	   strstr(err.msg, "village"), "unknown level value: error names the record and value (%s)", err.msg);
	err = (struct ws_error){0};
	ok(!ws_levels_set_names(&lv, "a,b,A", &err), "duplicate level names refused");
	ws_levels_finish(&lv);
}

/* Level fallback ("or above") on a line (0,0)-(3000,0):
 *   centers: D (district) at x=0, C (community) at x=1000, B (building) at x=2000
 *   compounds at (300,0) and (1900,0).
 * (300,0): community exact = |1000-300| = 700; community or above = min(700, D 300) = 300;
 *          building exact = 1700; building or above = 300 (D).
 * (1900,0): community exact = 900; community or above = 900 (D is 1900);
 *           building or above = 100 (B). With a 500 m limit the first is covered at
 *           "community or above" only through the district center. */
static void test_level_fallback(void)
{
	struct fixture f;
	fixture_init(&f);
	fixture_line(&f, (double[]){0, 0, 3000, 0, END});
	size_t d = fixture_point(&f, 0, 0), c = fixture_point(&f, 1000, 0), b = fixture_point(&f, 2000, 0);
	size_t k0 = fixture_point(&f, 300, 0), k1 = fixture_point(&f, 1900, 0);
	ok(fixture_build(&f, 300), "fallback network builds");
	struct fixture_sources cs, ks;
	fixture_sources(&f, &cs, (size_t[]){d, c, b}, 3);
	fixture_sources(&f, &ks, (size_t[]){k0, k1}, 2);
	struct ws_levels lv;
	struct ws_error err = {0};
	ws_levels_init_default(&lv, &err);
	int level_of[3];
	const char *values[] = {"district", "community", "building"};
	ws_levels_assign(&lv, values, 3, "centers", level_of, &err);
	bool use[3];
	struct ws_coverage cov;
	static const struct { size_t level; bool up; double want0, want1; bool cov0; const char *what; } cases[] = {
		{2, false, 700, 900, false, "community exactly"},
		{2, true, 300, 900, true, "community or above: the district center serves (300,0)"},
		{3, false, 1700, 100, false, "building exactly"},
		{3, true, 300, 100, true, "building or above"},
		{0, true, 300, 1900, true, "district or above = district"},
		{1, false, INFINITY, INFINITY, false, "subdistrict exactly: no center, unreached"},
		{1, true, 300, 1900, true, "subdistrict or above falls back to the district"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ws_levels_mask(level_of, 3, cases[i].level, cases[i].up, use);
		ok(ws_coverage_compute(&cov, &f.g, &cs.src, &ks.src, use, 500, 1, &err), "coverage: %s", cases[i].what);
		is_double(cov.compound[0].reach_m, cases[i].want0, 1e-9, "(300,0): %s", cases[i].what);
		is_double(cov.compound[1].reach_m, cases[i].want1, 1e-9, "(1900,0): %s", cases[i].what);
		ok(cov.compound[0].covered == cases[i].cov0, "(300,0) within 500 m: %s", cases[i].what);
		ws_coverage_finish(&cov);
	}
	ws_levels_finish(&lv);
	fixture_finish(&f);
}

static void test_catalogue(void)
{
	struct ws_catalogue cat;
	struct ws_error err = {0};
	const char *lists[] = {"police; post", "", "post|图书馆, police", "  社区卫生服务 ;;", "图书馆"};
	ok(ws_catalogue_from_lists(&cat, lists, 5, &err), "catalogue from delimited lists");
	is_int(cat.n_services, 4, "four distinct services");
	/* byte order: ASCII before UTF-8 CJK; 图 (E5 9B BE) < 社 (E7 A4 BE) */
	is_str(cat.service[0], "police", "sorted: police");
	is_str(cat.service[1], "post", "sorted: post");
	is_str(cat.service[2], "图书馆", "sorted: 图书馆");
	is_str(cat.service[3], "社区卫生服务", "sorted: 社区卫生服务 (blanks trimmed)");
	int lib = ws_catalogue_find(&cat, "图书馆");
	ok(lib == 2 && ws_catalogue_offers(&cat, 2, 2) && ws_catalogue_offers(&cat, 4, 2) &&
	   !ws_catalogue_offers(&cat, 0, 2), "图书馆 offered by centers 2 and 4 only");
	is_int(cat.center_first[2] - cat.center_first[1], 0, "an empty list offers nothing");
	is_int(cat.center_first[3] - cat.center_first[2], 3, "center 2: three services");
	is_int(ws_catalogue_find(&cat, "school"), -1, "a service no center offers: -1");
	is_int(ws_catalogue_find_other_case(&cat, "Police"), 0, "\"Police\": the catalogue has \"police\"");
	is_int(ws_catalogue_find_other_case(&cat, "POST"), 1, "\"POST\": \"post\"");
	is_int(ws_catalogue_find_other_case(&cat, "police"), -1, "an exact match is no other case");
	is_int(ws_catalogue_find_other_case(&cat, "图书馆"), -1, "no letter case in Chinese: -1");
	ws_catalogue_finish(&cat);

	char *ids[] = {"10", "11", "10"};
	const char *pc[] = {"10", "11", "11"}, *ps[] = {"养老", "post", "养老"};
	size_t lines[] = {2, 3, 4};
	ok(ws_catalogue_from_pairs(&cat, ids, 3, pc, ps, lines, 3, "cat.csv", &err), "catalogue from pairs");
	ok(ws_catalogue_offers(&cat, 0, 1) && ws_catalogue_offers(&cat, 2, 1) && ws_catalogue_offers(&cat, 1, 1) &&
	   ws_catalogue_offers(&cat, 1, 0) && !ws_catalogue_offers(&cat, 0, 0),
	   "an id shared by two centers gives both the service");
	ws_catalogue_finish(&cat);
	const char *pc_bad[] = {"10", "99"};
	err = (struct ws_error){0};
	ok(!ws_catalogue_from_pairs(&cat, ids, 3, pc_bad, ps, lines, 2, "cat.csv", &err) &&
	   strstr(err.msg, "line 3") && strstr(err.msg, "99"), "unknown center id: error names the line (%s)", err.msg);

	/* the CSV reader: BOM, quotes, extra column, blank line, CRLF */
	char path[] = "/tmp/ws-catalogue-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	fputs("\xEF\xBB\xBFnote,center_id,service\r\n\"a, b\",10,\"社区 \"\"食堂\"\"\"\r\n\r\nx,11, post \n", fp);
	fclose(fp);
	struct ws_catalogue_rows rows;
	ok(ws_catalogue_read_csv(&rows, path, &err), "catalogue CSV reads");
	is_int(rows.n, 2, "two rows (blank line skipped)");
	is_str(rows.service[0], "社区 \"食堂\"", "quoted field with quotes and a Chinese name");
	is_str(rows.center_id[1], "11", "second row id");
	is_str(rows.service[1], "post", "blanks trimmed");
	is_int(rows.line[1], 4, "line numbers count the blank line");
	ws_catalogue_rows_finish(&rows);
	fp = fopen(path, "w");
	fputs("id,services\n1,a\n", fp);
	fclose(fp);
	err = (struct ws_error){0};
	ok(!ws_catalogue_read_csv(&rows, path, &err) && err.code == WS_ERR_FORMAT, "header without center_id,service refused");
	fp = fopen(path, "w");
	fputs("# needs\npolice, post\n图书馆\n", fp);
	fclose(fp);
	char **req = NULL;
	size_t n_req = 0;
	ok(ws_requirements_read(path, &req, &n_req, &err) && n_req == 3 && !strcmp(req[2], "图书馆"),
	   "requirements file: comment skipped, lists split");
	for (size_t i = 0; i < n_req; i++)
		free(req[i]);
	free(req);
	unlink(path);
}

static void test_weights(void)
{
	struct ws_weights w;
	struct ws_error err = {0};
	const char *values[] = {"120", "", "-3", "abc", "0", "80.5", "nan"};
	ok(ws_weights_parse(&w, values, 7, &err), "weights parse");
	is_int(w.n_bad, 4, "missing, negative, non-numeric and nan flagged");
	ok(w.state[1] == WS_WEIGHT_MISSING && w.state[2] == WS_WEIGHT_NEGATIVE && w.state[3] == WS_WEIGHT_NOT_NUMBER &&
	   w.state[6] == WS_WEIGHT_NOT_NUMBER && w.state[4] == WS_WEIGHT_OK, "states by record; zero is valid");
	is_double(w.total, 200.5, 0, "total of valid weights: 120 + 0 + 80.5");
	/* covered: records 0, 1, 5: compounds 3 of 7; population 120 + 80.5 of 200.5 (the
	 * missing weight of record 1 counts in neither) */
	struct ws_tally t = {0};
	for (size_t c = 0; c < 7; c++)
		ws_tally_add(&t, &w, c, c == 0 || c == 1 || c == 5);
	ok(t.n == 3 && t.n_of == 7, "3 of 7 compounds");
	is_double(t.w, 200.5, 0, "covered population 200.5");
	is_double(t.w_of, 200.5, 0, "population of 200.5: a missing weight is not a zero");
	ws_weights_finish(&w);
}

/* Zones: two squares sharing the edge x = 100 (zone 0: 0..100, zone 1: 100..200, y 0..100).
 * Points: (50,50) in 0; (150,50) in 1; (100,50) on the shared edge: both contain it, the
 * lower FID (0) wins; (0,0) a corner of zone 0 only; (300,50) outside; NAN: no point. */
static void square(struct ws_shapes *s, double x0, double y0, double size)
{
	struct ws_error err = {0};
	ws_shapes_begin_feature(s, &err);
	ws_shapes_begin_part(s, &err);
	double xy[] = {x0, y0, x0, y0 + size, x0 + size, y0 + size, x0 + size, y0, x0, y0};
	for (int i = 0; i < 5; i++)
		ws_shapes_add_point(s, xy[2 * i], xy[2 * i + 1], &err);
}

static void test_zones(void)
{
	struct ws_shapes z;
	struct ws_error err = {0};
	ws_shapes_init(&z, WS_GEOM_POLYGON, &err);
	square(&z, 0, 0, 100);
	square(&z, 100, 0, 100);
	double pts[] = {50, 50, 150, 50, 100, 50, 0, 0, 300, 50, NAN, NAN};
	struct ws_zoning zn;
	ok(ws_zones_assign(&zn, &z, NULL, pts, 6, &err), "zones assign (%s)", err.msg);
	ok(zn.zone_of[0] == 0 && zn.zone_of[1] == 1, "interior points");
	is_int(zn.zone_of[2], 0, "on the shared boundary: the lower FID");
	is_int(zn.n_containing[2], 2, "the boundary point lies in both zones");
	is_int(zn.zone_of[3], 0, "on a zone's outer corner: inside it");
	ok(zn.zone_of[4] == WS_NO_ZONE && zn.zone_of[5] == WS_NO_ZONE, "outside and no point");
	ok(zn.n_outside == 1 && zn.n_no_point == 1 && zn.n_multiple == 1, "counts: 1 outside, 1 without point, 1 in two");
	ws_zones_finish(&zn);
	bool use[] = {false, true};
	ok(ws_zones_assign(&zn, &z, use, pts, 6, &err), "zones with a filter");
	is_int(zn.zone_of[2], 1, "zone 0 filtered out: the boundary point goes to zone 1");
	ok(zn.zone_of[0] == WS_NO_ZONE, "(50,50) now outside");
	ws_zones_finish(&zn);
	ws_shapes_finish(&z);
}

/* Sensitivity: deriving from a coverage at a larger limit equals coverage at the smaller
 * limit. Line (0,0)-(2000,0) with vertices every 100 m; centers at x=0 (snap 30 m) and
 * x=1500; compounds at 250, 700 (snap 10 m), 1000, 1900, and an island compound. */
static void test_derive(void)
{
	struct fixture f;
	fixture_init(&f);
	double line[2 * 21 + 1];
	for (int i = 0; i <= 20; i++) {
		line[2 * i] = 100.0 * i;
		line[2 * i + 1] = 0;
	}
	line[42] = END;
	fixture_line(&f, line);
	fixture_line(&f, (double[]){0, 5000, 50, 5000, END});
	size_t c0 = fixture_point(&f, 0, 30), c1 = fixture_point(&f, 1500, 0);
	size_t k[] = {fixture_point(&f, 250, 0), fixture_point(&f, 700, -10), fixture_point(&f, 1000, 0),
		      fixture_point(&f, 1900, 0), fixture_point(&f, 20, 5000)};
	ok(fixture_build(&f, 300), "derive network builds");
	struct fixture_sources cs, ks;
	fixture_sources(&f, &cs, (size_t[]){c0, c1}, 2);
	fixture_sources(&f, &ks, k, 5);
	struct ws_error err = {0};
	struct ws_coverage big;
	ok(ws_coverage_compute(&big, &f.g, &cs.src, &ks.src, NULL, 1275, 2, &err), "coverage at 1275 m");
	/* hand: compound 1000: from c0 30 + 1000 = 1030, from c1 500 -> n_within(800) = 1,
	 * n_within(1275) = 2 */
	static const double limits[] = {1275, 1000, 800, 500, 280, 0.5};
	bool mask[2][2] = {{true, true}, {false, true}};
	bool all_equal = true;
	for (size_t m = 0; m < 2; m++)
		for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
			struct ws_coverage small;
			ws_coverage_compute(&small, &f.g, &cs.src, &ks.src, mask[m], limits[i], 1, &err);
			bool covered[5];
			uint32_t n_within[5];
			ok(ws_coverage_derive(&big, mask[m], limits[i], covered, n_within), "derive at %g m", limits[i]);
			for (size_t c = 0; c < 5; c++)
				if (covered[c] != small.compound[c].covered || n_within[c] != small.compound[c].n_within)
					all_equal = false;
			ws_coverage_finish(&small);
		}
	ok(all_equal, "derived covered and n_within equal separate runs at every limit and mask");
	bool covered[5];
	uint32_t n_within[5];
	ws_coverage_derive(&big, NULL, 800, covered, n_within);
	ok(covered[0] && covered[1] && covered[2] && covered[3] && !covered[4],
	   "800 m: 250 (30+250=280), 700 (30+700+10=740), 1000 (500 from c1), 1900 (400) covered; island not");
	is_int(n_within[2], 1, "1000 within 800 m of c1 only (c0: 1030)");
	ws_coverage_derive(&big, NULL, 1275, covered, n_within);
	is_int(n_within[2], 2, "1000 within 1275 m of both");
	ws_coverage_derive(&big, NULL, 279.999, covered, n_within);
	ok(!covered[0], "250 at 279.999 m: not covered (280 m)");
	ok(!ws_coverage_derive(&big, NULL, 1276, covered, NULL), "a limit above the search's is refused");
	bool flips_in[] = {true, false, true, true, /* row 2 */ true, true, true, false};
	size_t flipped[4];
	size_t nf = ws_sensitivity_flips(flips_in, 2, 4, flipped);
	ok(nf == 2 && flipped[0] == 1 && flipped[1] == 3, "flips: the compounds whose flag differs");
	ws_coverage_finish(&big);
	fixture_finish(&f);
}

int main(void)
{
	test_levels();
	test_level_fallback();
	test_catalogue();
	test_weights();
	test_zones();
	test_derive();
	return done();
}
