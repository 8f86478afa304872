/* The audit breakdown end to end on a dataset built by hand and written as shapefiles in
 * EPSG:32631 (the working CRS too, so coordinates stay exact). All figures worked out
 * below, in metres relative to (500000, 5000000); 15 min at 4 km/h = 1000 m.
 *
 * Road: one line (0,0)-(3000,0).
 * Centers (snap 0):   c0 x=0    district   civil;police;tax
 *                     c1 x=1000 community  library;社区卫生
 *                     c2 x=2000 building   police|clinic
 *                     c3 x=2900 (no level) 社区卫生
 * Compounds: 10 m squares centred at (x,20): PointOnSurface (x,20), snap 20 m.
 *   K0 x=1100 hh 100   K1 x=2500 hh ""(missing)   K2 x=300 hh 50   K3 x=1500 hh -5
 *   K4 centred (500,500): 500 m off the road, unsnapped; hh 20
 * Reach, all centers: K0 120 (c1), K1 420 (c3), K2 320 (c0), K3 520 (c1; c2 ties, lower
 *   index wins), K4 unsnapped.
 * Zones: Z0 x -100..1100, Z1 x 1100..3100 (y -100..100, admin_lvl 9), Z2 around all
 *   (x -200..3200, y -200..600, admin_lvl 8). K0's point (1100,20) is on the Z0/Z1 edge.
 *   Z3 (admin_lvl 7), empty id and name, a self-crossing ring far east (see below).
 * Ids (SPEC 1): compounds and centers also carry `ref` (= id, "center c0"...) and centers
 *   `name` ("center c0"...); zones have no `ref`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/crs.h"
#include "pipeline/breakdown.h"
#include "pipeline/repairs.h"
#include "report/breakdown_report.h"
#include "report/writers.h"
#include "tap.h"

#define X0 500000.0
#define Y0 5000000.0

static char dir[] = "/tmp/ws-breakdown-XXXXXX";
static const char *id_field; /* the study's --id-field, NULL: the default */

static void rect(struct ws_shapes *s, double x0, double y0, double x1, double y1)
{
	struct ws_error err = {0};
	ws_shapes_begin_feature(s, &err);
	ws_shapes_begin_part(s, &err);
	/* clockwise: the shapefile's outer ring */
	double xy[] = {x0, y0, x0, y1, x1, y1, x1, y0, x0, y0};
	for (int i = 0; i < 5; i++)
		ws_shapes_add_point(s, X0 + xy[2 * i], Y0 + xy[2 * i + 1], &err);
}

static bool write_layer(const char *stem, struct ws_table *t, struct ws_shapes *s, const char *prj)
{
	char path[256];
	struct ws_error err = {0};
	snprintf(path, sizeof path, "%s/%s", dir, stem);
	bool ok = ws_write_shapefile(path, t, s, prj, &err);
	if (!ok)
		diag("%s: %s", stem, err.msg);
	ws_table_finish(t);
	ws_shapes_finish(s);
	return ok;
}

static bool write_dataset(void)
{
	struct ws_error err = {0};
	struct ws_crs *crs = ws_crs_create("EPSG:32631", "test", &err);
	char *prj = crs ? ws_crs_to_prj(crs, &err) : NULL;
	ws_crs_destroy(crs);
	if (!prj)
		return false;
	struct ws_table t;
	struct ws_shapes s;
	bool ok = true;

	ws_table_init(&t, 1, 1, &err);
	ws_table_set_column(&t, 0, "highway", WS_COL_TEXT, 0, &err);
	ws_table_set_text(&t, 0, 0, "footway", &err);
	ws_shapes_init(&s, WS_GEOM_LINE, &err);
	ws_shapes_begin_feature(&s, &err);
	ws_shapes_begin_part(&s, &err);
	ws_shapes_add_point(&s, X0, Y0, &err);
	ws_shapes_add_point(&s, X0 + 3000, Y0, &err);
	ok = ok && write_layer("roads", &t, &s, prj);

	static const struct { const char *id, *level, *services; double x; } centers[] = {
		{"c0", "district", "civil;police;tax", 0}, {"c1", "community", "library;社区卫生", 1000},
		{"c2", "building", "police|clinic", 2000}, {"c3", "", "社区卫生", 2900}};
	ws_table_init(&t, 4, 5, &err);
	ws_table_set_column(&t, 0, "id", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 1, "level", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 2, "services", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 3, "name", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 4, "ref", WS_COL_TEXT, 0, &err);
	ws_shapes_init(&s, WS_GEOM_POINT, &err);
	for (size_t i = 0; i < 4; i++) {
		char name[32];
		ws_table_set_text(&t, i, 0, centers[i].id, &err);
		ws_table_set_text(&t, i, 1, centers[i].level, &err);
		ws_table_set_text(&t, i, 2, centers[i].services, &err);
		snprintf(name, sizeof name, "center %s", centers[i].id);
		ws_table_set_text(&t, i, 3, name, &err);
		ws_table_set_text(&t, i, 4, name, &err);
		ws_shapes_begin_feature(&s, &err);
		ws_shapes_begin_part(&s, &err);
		ws_shapes_add_point(&s, X0 + centers[i].x, Y0, &err);
	}
	ok = ok && write_layer("centers", &t, &s, prj);

	static const struct { const char *id, *hh; double x, y; } compounds[] = {
		{"K0", "100", 1100, 20}, {"K1", "", 2500, 20}, {"K2", "50", 300, 20}, {"K3", "-5", 1500, 20},
		{"K4", "20", 500, 500}};
	ws_table_init(&t, 5, 4, &err);
	ws_table_set_column(&t, 0, "id", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 1, "name", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 2, "hh", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 3, "ref", WS_COL_TEXT, 0, &err);
	ws_shapes_init(&s, WS_GEOM_POLYGON, &err);
	for (size_t i = 0; i < 5; i++) {
		ws_table_set_text(&t, i, 0, compounds[i].id, &err);
		ws_table_set_text(&t, i, 1, compounds[i].id, &err);
		ws_table_set_text(&t, i, 3, compounds[i].id, &err);
		if (*compounds[i].hh)
			ws_table_set_text(&t, i, 2, compounds[i].hh, &err);
		rect(&s, compounds[i].x - 5, compounds[i].y - 5, compounds[i].x + 5, compounds[i].y + 5);
	}
	ok = ok && write_layer("compounds", &t, &s, prj);

	ws_table_init(&t, 4, 3, &err);
	ws_table_set_column(&t, 0, "id", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 1, "name", WS_COL_TEXT, 0, &err);
	ws_table_set_column(&t, 2, "admin_lvl", WS_COL_INT, 0, &err);
	ws_shapes_init(&s, WS_GEOM_POLYGON, &err);
	static const char *const zname[] = {"西区", "东区", "全区", ""};
	for (size_t i = 0; i < 4; i++) {
		char id[8];
		snprintf(id, sizeof id, "Z%zu", i);
		ws_table_set_text(&t, i, 0, i < 3 ? id : "", &err);
		ws_table_set_text(&t, i, 1, zname[i], &err);
		ws_table_set_int(&t, i, 2, i < 2 ? 9 : i == 2 ? 8 : 7);
	}
	rect(&s, -100, -100, 1100, 100);
	rect(&s, 1100, -100, 3100, 100);
	rect(&s, -200, -200, 3200, 600);
	/* Z3 (admin_lvl 7, no id, no name), far east, no compounds: a bowtie, a ring crossing
	 * itself at (4400,0). Shoelace of the ring as given: the lobe (4000,+-400)-(4400,0),
	 * 160000 m2 clockwise, plus the lobe (4400,0)-(4500,+-100), 10000 m2 counter-clockwise:
	 * 150000 m2, clockwise, so a shell. MakeValid keeps both lobes: 170000 m2. */
	static const double bowtie[] = {4000, -400, 4000, 400, 4500, -100, 4500, 100, 4000, -400};
	ws_shapes_begin_feature(&s, &err);
	ws_shapes_begin_part(&s, &err);
	for (int i = 0; i < 5; i++)
		ws_shapes_add_point(&s, X0 + bowtie[2 * i], Y0 + bowtie[2 * i + 1], &err);
	ok = ok && write_layer("zones", &t, &s, prj);
	free(prj);
	return ok;
}

struct run {
	struct ws_study st;
	struct ws_audit a;
	struct ws_breakdown b;
	bool ok;
};

static void run_finish(struct run *r)
{
	ws_breakdown_finish(&r->b);
	ws_audit_finish(&r->a);
	ws_study_finish(&r->st);
}

static bool run(struct run *r, struct ws_breakdown_options *o, double minutes, double speed, int threads)
{
	struct ws_study_options so = {0};
	struct ws_error err = {0};
	memset(r, 0, sizeof *r);
	so.dataset_dir = dir;
	so.work_crs = "EPSG:32631";
	so.max_snap_m = 300;
	so.max_crs_error_m = -1;
	so.threads = threads;
	so.use_zones = o->zones;
	so.id_field = id_field;
	ws_walk_filter_init_default(&so.filter, &err);
	struct ws_audit_params p = {minutes, speed, 300, threads};
	r->ok = ws_study_load(&r->st, &so, &err) && ws_audit_run(&r->a, &r->st, &p, &err) &&
		ws_breakdown_run(&r->b, &r->a, o, &err);
	ws_walk_filter_finish(&so.filter);
	if (!r->ok)
		diag("run failed: %s", err.msg);
	return r->ok;
}

static bool tally_is(const struct ws_tally *t, size_t n, size_t n_of, double w, double w_of)
{
	bool same = t->n == n && t->n_of == n_of && t->w == w && t->w_of == w_of;
	if (!same)
		diag("tally %zu of %zu, w %g of %g; want %zu of %zu, w %g of %g", t->n, t->n_of, t->w, t->w_of, n,
		     n_of, w, w_of);
	return same;
}

static struct ws_breakdown_options base_options(void)
{
	struct ws_breakdown_options o = {0};
	struct ws_error err = {0};
	ws_levels_init_default(&o.levels, &err);
	o.level_field = "level";
	return o;
}

static char *req[] = {"police", "tax", "社区卫生"};

static void test_levels_services_weights(void)
{
	struct ws_breakdown_options o = base_options();
	o.services_field = "services";
	o.require = req;
	o.n_require = 3;
	o.weight_field = "hh";
	struct run r;
	if (!run(&r, &o, 15, 4, 2)) {
		ok(false, "hand dataset runs");
		return;
	}
	const struct ws_breakdown *b = &r.b;
	is_double(r.st.access.xy[0], X0 + 1100, 0, "K0's point on surface is x = 1100 exactly");
	is_double(r.a.cov.compound[0].reach_m, 120, 1e-6, "K0 reach 100 + 20 = 120 m");
	is_int(r.a.n_status[WS_STATUS_COVERED], 4, "K0..K3 covered");
	is_int(r.a.n_status[WS_STATUS_UNSNAPPED], 1, "K4 unsnapped");

	ok(b->have_levels && b->n_levels == 4, "levels found in the centers");
	is_int(b->n_centers_no_level, 1, "c3 has no level");
	is_int(b->level[0].n_centers, 1, "one district center");
	is_int(b->level[1].n_centers, 0, "no subdistrict center");
	/* district: K0 1120, K1 2520, K2 320, K3 1520 */
	is_double(b->level[0].exact.compound[1].reach_m, 2520, 1e-6, "K1 to the district: 2520 m");
	ok(tally_is(&b->level[0].covered, 1, 5, 50, 170), "district: K2 only (1 of 5; pop 50 of 100+50+20)");
	ok(isinf(b->level[1].exact.compound[0].reach_m), "subdistrict exactly: no center, unreached");
	is_double(b->level[1].up.compound[2].reach_m, 320, 1e-6, "subdistrict or above falls back to the district: 320");
	/* community exact: K0 120, K1 1520, K2 720, K3 520; or above adds c0: K2 320 */
	is_double(b->level[2].exact.compound[2].reach_m, 720, 1e-6, "K2 to a community center: 720 m");
	is_double(b->level[2].up.compound[2].reach_m, 320, 1e-6, "K2 community or above: the district center, 320 m");
	is_int(b->level[2].up.compound[2].nearest, 0, "K2 community or above: nearest c0");
	ok(tally_is(&b->level[2].covered, 3, 5, 150, 170), "community or above: K0, K2, K3");
	/* building or above: K0 120, K1 520 (c2; c3 has no level), K2 320, K3 520 */
	is_double(b->level[3].up.compound[1].reach_m, 520, 1e-6, "K1 building or above 520 (c3 has no level)");
	ok(tally_is(&b->level[3].covered, 4, 5, 150, 170), "building or above: 4 of 5");

	ok(b->have_services && b->n_services == 3, "three required services");
	is_int(b->service[1].n_centers, 1, "tax: one center");
	is_double(b->service[1].cov.compound[0].reach_m / (4000.0 / 60), 16.8, 1e-9, "K0 to tax: 1120 m = 16.80 min");
	ok(!b->service[1].cov.compound[0].covered, "tax beyond 15 min for K0");
	ok(tally_is(&b->service[1].covered, 1, 5, 50, 170), "tax, one far center: K2 only");
	ok(tally_is(&b->service[0].covered, 4, 5, 150, 170), "police (c0, c2): K0 920, K1 520, K2 320, K3 520");
	is_double(b->service[2].cov.compound[1].reach_m, 420, 1e-6, "社区卫生 for K1: c3, 420 m");
	ok(tally_is(&b->service[2].covered, 4, 5, 150, 170), "社区卫生: 4 of 5");
	ok(b->n_missing[0] == 1 && b->n_missing[1] == 1 && b->n_missing[2] == 0 && b->n_missing[3] == 1 &&
	   b->n_missing[4] == 3, "services out of reach: 1, 1, 0, 1, 3");
	ok(tally_is(&b->fully, 1, 5, 50, 170), "fully served: K2 (50 of 170)");

	ok(b->have_weights && b->w.n_bad == 2, "two bad weights");
	ok(b->w.state[1] == WS_WEIGHT_MISSING && b->w.state[3] == WS_WEIGHT_NEGATIVE, "K1 missing, K3 negative");
	ok(tally_is(&b->covered, 4, 5, 150, 170), "covered: 4 of 5 compounds, 150 of 170 residents");

	struct ws_table t;
	struct ws_error err = {0};
	ok(ws_breakdown_service_table(&t, b, &err), "services table");
	char buf[WS_TABLE_NUMBER_MAX];
	ws_table_format_cell(&t, 0, 5, buf, sizeof buf);
	is_str(t.cols[5].name, "tax_min", "column tax_min");
	is_str(buf, "16.80", "K0 tax 16.80 min");
	is_str(t.cols[6].name, "社区卫生_min", "a Chinese service column");
	is_str(t.cells[0 * t.n_cols + 8].text, "tax", "K0 out of reach: tax");
	is_str(t.cells[4 * t.n_cols + 8].text, "police; tax; 社区卫生", "K4 out of reach: all three");
	ws_table_finish(&t);
	ok(ws_breakdown_level_table(&t, b, &err), "levels table");
	is_str(t.cols[4].name, "district_min", "first level column");
	ws_table_format_cell(&t, 2, 4 + 3 * 2 + 1, buf, sizeof buf);
	is_str(buf, "4.80", "K2 community or above: 320 m = 4.80 min");
	ws_table_finish(&t);
	run_finish(&r);

	/* thresholds: --level-minutes community=5 -> 333.33 m: K0 120, K2 320 in, K3 520 out */
	ws_levels_set_minutes(&o.levels, "community=5", &err);
	run(&r, &o, 15, 4, 1);
	ok(tally_is(&r.b.level[2].covered, 2, 5, 150, 170), "community=5: K0 and K2");
	ok(tally_is(&r.b.level[3].covered, 4, 5, 150, 170), "building keeps 15 min");
	run_finish(&r);
	/* gb50180: community 10 min (666.7 m): K0, K2, K3; building 5 min (333.3 m): K0, K2 */
	ws_levels_apply_tiers(&o.levels, "gb50180", &err);
	run(&r, &o, 15, 4, 1);
	ok(tally_is(&r.b.level[2].covered, 3, 5, 150, 170), "gb50180 community 10 min: K0, K2, K3");
	ok(tally_is(&r.b.level[3].covered, 2, 5, 150, 170), "gb50180 building 5 min: K0, K2");
	is_double(r.b.level[3].limit_m, 5 * 4 * 1000.0 / 60, 0, "building limit 333.33 m");
	run_finish(&r);
	ws_levels_finish(&o.levels);
}

static void test_zones(void)
{
	struct ws_breakdown_options o = base_options();
	o.zones = true;
	o.zone_level = "9";
	o.weight_field = "hh";
	struct run r;
	if (!run(&r, &o, 15, 4, 1)) {
		ok(false, "zones run");
		return;
	}
	const struct ws_breakdown *b = &r.b;
	is_int(b->n_zones_used, 2, "--zone-level 9: two zones");
	is_int(b->zoning.zone_of[0], 0, "K0 on the Z0/Z1 boundary: Z0 (lower FID)");
	ok(b->zoning.zone_of[1] == 1 && b->zoning.zone_of[2] == 0 && b->zoning.zone_of[3] == 1, "K1 Z1, K2 Z0, K3 Z1");
	ok(b->zoning.zone_of[4] == WS_NO_ZONE, "K4 at y=500 outside both level-9 zones");
	is_int(b->zone[0].n_compounds, 2, "Z0: K0, K2");
	ok(tally_is(&b->zone[0].covered, 2, 2, 150, 150), "Z0 all covered, population 150");
	is_int(b->zone[0].worst, 2, "Z0 worst: K2 (320 m > 120 m)");
	is_int(b->zone[1].worst, 3, "Z1 worst: K3 (520 m > 420 m)");
	ok(tally_is(&b->zone[1].covered, 2, 2, 0, 0), "Z1: both weights invalid, no population");
	ok(tally_is(&b->zone[1].level[0], 0, 2, 0, 0), "Z1: no district center within 1000 m");
	is_int(b->zone[b->zoning.n_zones].n_compounds, 1, "outside every zone: K4");
	is_int(b->zone[b->zoning.n_zones].worst, 4, "outside: worst K4 (unsnapped)");
	struct ws_table t;
	struct ws_error err = {0};
	ok(ws_breakdown_zone_table(&t, b, &err), "zones table");
	is_int(t.n_rows, 3, "rows: Z0, Z1, outside");
	is_str(t.cells[0 * t.n_cols + 2].text, "西区", "zone name in UTF-8");
	ws_table_finish(&t);
	run_finish(&r);

	o.zone_level = NULL;
	run(&r, &o, 15, 4, 1);
	is_int(r.b.zoning.zone_of[4], 2, "without --zone-level K4 is in Z2");
	is_int(r.b.zoning.n_multiple, 4, "K0..K3 lie in two or three zones (overlap)");
	run_finish(&r);
	ws_levels_finish(&o.levels);
}

static const struct ws_repair *find_repair(const struct ws_repair_list *l, const char *layer, size_t fid)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].layer, layer) && l->items[i].fid == fid)
			return &l->items[i];
	return NULL;
}

/* zone ids follow SPEC 1 like every layer; a zone repaired on the way is listed and
 * --strict refuses it, as for compounds */
static void test_zone_ids_and_repairs(void)
{
	struct ws_breakdown_options o = base_options();
	o.zones = true;
	struct run r;
	if (!run(&r, &o, 15, 4, 1)) {
		ok(false, "zones run, all levels");
		return;
	}
	struct ws_table t;
	struct ws_error err = {0};
	if (ok(ws_breakdown_zone_table(&t, &r.b, &err), "zones table, all levels")) {
		is_int(t.n_rows, 4, "rows: Z0..Z3 (K4 lies in Z2, no outside row)");
		const char *want[] = {"Z0", "Z1", "Z2", "3"};
		for (size_t i = 0; i < 4 && i < t.n_rows; i++)
			is_str(t.cells[i * t.n_cols + 1].text, want[i], "zone %zu id (Z3 has none: its FID)", i);
		ws_table_finish(&t);
	}
	ok(r.st.zone_repair[3].made_valid && !r.st.zone_empty[3], "Z3 made valid");
	ok(!r.st.zone_repair[0].made_valid && !r.st.zone_repair[2].made_valid, "Z0, Z2 valid as given");
	struct ws_repair_list list;
	if (ok(ws_repairs_collect(&list, &r.st, &err), "repairs collected")) {
		const struct ws_repair *z3 = find_repair(&list, "zones", 3);
		ok(z3 && (z3->kinds & (1u << WS_FIX_MADE_VALID)), "repairs list zones record 3 as made valid");
		ok(z3 && z3->has_area && fabs(z3->area_before_m2 - 150000) < 1e-3 &&
			   fabs(z3->area_after_m2 - 170000) < 1e-3,
		   "Z3 area as given 150000 m2 (shoelace), after MakeValid 170000 m2");
		is_int(list.count[WS_FIX_MADE_VALID], 1, "one record made valid in all layers");
		struct ws_error strict = {0};
		ok(!ws_repairs_refuse(&list, &strict) && strstr(strict.msg, "zones"),
		   "--strict refuses the repaired zone: %s", strict.msg);
		ws_repairs_finish(&list);
	}
	run_finish(&r);

	id_field = "name";
	if (run(&r, &o, 15, 4, 1)) {
		is_str(r.st.zone_id[0], "西区", "--id-field name: zone ids are the names");
		is_str(r.st.zone_id[3], "3", "--id-field name: a zone without a name gets its FID");
		is_str(r.st.center_id[1], "center c1", "--id-field name: center ids");
		is_str(r.st.compound_id[2], "K2", "--id-field name: compound ids");
		run_finish(&r);
	} else {
		ok(false, "--id-field name runs");
	}

	/* a field that the compounds and centers have but the zones do not */
	id_field = "ref";
	struct ws_study_options so = {0};
	struct ws_study st;
	so.dataset_dir = dir;
	so.work_crs = "EPSG:32631";
	so.max_snap_m = 300;
	so.max_crs_error_m = -1;
	so.threads = 1;
	so.id_field = id_field;
	ws_walk_filter_init_default(&so.filter, &err);
	struct ws_error e2 = {0};
	ok(ws_study_load(&st, &so, &e2), "--id-field ref without zones: loads");
	ws_study_finish(&st);
	so.use_zones = true;
	struct ws_error e3 = {0};
	ok(!ws_study_load(&st, &so, &e3) && e3.code == WS_ERR_USAGE && strstr(e3.msg, "zones.dbf") &&
		   strstr(e3.msg, "ref"),
	   "--id-field ref with --zones: usage error naming zones.dbf: %s", e3.msg);
	ws_study_finish(&st);
	ws_walk_filter_finish(&so.filter);
	id_field = NULL;
	ws_levels_finish(&o.levels);
}

static bool tallies_equal(const struct ws_tally *a, const struct ws_tally *b)
{
	return a->n == b->n && a->n_of == b->n_of && a->w == b->w && a->w_of == b->w_of;
}

static void test_sensitivity(void)
{
	struct ws_breakdown_options o = base_options();
	o.services_field = "services";
	o.weight_field = "hh";
	double speeds[] = {4, 3.2, 5.1}, minutes[] = {15, 10, 5};
	memcpy(o.speeds, speeds, sizeof speeds);
	memcpy(o.minutes, minutes, sizeof minutes);
	o.n_speeds = 3;
	o.n_minutes = 3;
	ws_levels_apply_tiers(&o.levels, "gb50180", &(struct ws_error){0});
	struct run r;
	if (!run(&r, &o, 15, 4, 2)) {
		ok(false, "sensitivity run");
		return;
	}
	is_int(r.b.n_combos, 9, "3 speeds x 3 minutes");
	/* 5 min: 3.2 km/h 266.7 m: K0 (120); 4 km/h 333.3 m: K0, K2 (320); 5.1 km/h 425 m:
	 * K0, K1 (420), K2. K3 (520) is covered from 10 min at 3.2 km/h (533.3 m). */
	is_int(r.b.combo[1 * 3 + 2].covered.n, 1, "3.2 km/h 5 min: K0 only");
	is_int(r.b.combo[0 * 3 + 2].covered.n, 2, "4 km/h 5 min: K0, K2");
	is_int(r.b.combo[2 * 3 + 2].covered.n, 3, "5.1 km/h 5 min: K0, K1, K2");
	is_int(r.b.combo[1 * 3 + 1].covered.n, 4, "3.2 km/h 10 min (533.3 m): K0..K3");
	ok(r.b.n_flipped == 3 && r.b.flipped[0] == 1 && r.b.flipped[1] == 2 && r.b.flipped[2] == 3,
	   "K1, K2, K3 flip; K0 always covered, K4 never");
	/* each combination against a separate run with that speed and threshold */
	for (size_t x = 0; x < r.b.n_combos; x++) {
		const struct ws_sens_combo *cb = &r.b.combo[x];
		struct ws_breakdown_options one = o;
		one.n_speeds = one.n_minutes = 0;
		struct run s;
		run(&s, &one, cb->minutes, cb->speed_kmh, 1);
		bool same = s.ok && !memcmp(cb->n_status, s.a.n_status, sizeof cb->n_status) &&
			    tallies_equal(&cb->covered, &s.b.covered) && tallies_equal(&cb->fully, &s.b.fully);
		for (size_t c = 0; same && c < s.a.cov.n_compounds; c++)
			same = cb->covered_c[c] == (s.a.status[c] == WS_STATUS_COVERED);
		for (size_t l = 0; same && l < s.b.n_levels; l++)
			same = tallies_equal(&cb->level[l], &s.b.level[l].covered);
		for (size_t k = 0; same && k < s.b.n_services; k++)
			same = tallies_equal(&cb->service[k], &s.b.service[k].covered);
		ok(same, "%g km/h %g min: every figure equals a separate run", cb->speed_kmh, cb->minutes);
		run_finish(&s);
	}
	run_finish(&r);
	ws_levels_finish(&o.levels);
}

static void remove_dir(void)
{
	static const char *const stems[] = {"roads", "centers", "compounds", "zones"};
	static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};
	char path[300];
	for (size_t i = 0; i < 4; i++)
		for (size_t e = 0; e < 5; e++) {
			snprintf(path, sizeof path, "%s/%s%s", dir, stems[i], exts[e]);
			unlink(path);
		}
	rmdir(dir);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp");
		return done();
	}
	if (ok(write_dataset(), "hand dataset written")) {
		test_levels_services_weights();
		test_zones();
		test_zone_ids_and_repairs();
		test_sensitivity();
	}
	remove_dir();
	return done();
}
