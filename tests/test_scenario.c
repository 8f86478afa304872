/* walkshed scenario on the hand-made dataset of dataset_fixture.h, and scenario files.
 * Scenario "close B, add a site S at (2000,0)":
 *   before: K500 (A, 530 m) and K3500 (B, 530 m) covered.
 *   after:  K500 (A), K1500 (S, 500 + 30), K2000 (S, 30), K2500 (S, 530) covered;
 *           K3500: S 1500 + 30 = 1530 m = 22.95 min, lost. Gained 3, lost 1.
 * The same figures must come out of two separate audits: the dataset as is (before) and
 * one with centers {A, S} (after). */
#include "dataset_fixture.h"
#include "pipeline/audit.h"
#include "pipeline/scenario.h"
#include "pipeline/study.h"
#include "tap.h"

static void options(struct ws_study_options *o, const char *dir)
{
	struct ws_error err = {0};
	memset(o, 0, sizeof *o);
	o->dataset_dir = dir;
	o->max_snap_m = 300;
	o->max_crs_error_m = -1;
	o->threads = 2;
	ws_walk_filter_init_default(&o->filter, &err);
}

static bool audit(struct ws_audit *a, struct ws_study *st, const char *dir, const char *centers)
{
	struct ws_error err = {0};
	struct ws_study_options o;
	options(&o, dir);
	o.centers_path = centers;
	struct ws_audit_params p = {15, 4, 300, 2};
	bool ok = ws_study_load(st, &o, &err) && ws_audit_run(a, st, &p, &err);
	if (!ok)
		diag("audit: %s", err.msg);
	ws_walk_filter_finish(&o.filter);
	return ok;
}

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return fclose(f) == 0;
}

/* Reads `text` as a scenario file; returns the error message ("" when it parses). */
static const char *parse(const char *dir, const char *text, struct ws_scenario_spec *spec, struct ws_error *err)
{
	char path[128];
	snprintf(path, sizeof path, "%s/s.ini", dir);
	write_file(path, text);
	memset(err, 0, sizeof *err);
	ws_scenario_spec_init(spec);
	ws_scenario_read(spec, path, err);
	return err->msg;
}

int main(void)
{
	char dir[64];
	if (!fixture_dataset(dir)) {
		ok(false, "fixture dataset written");
		return done();
	}
	struct ws_error err = {0};
	struct ws_scenario_spec spec;
	char path[160];
	snprintf(path, sizeof path, "%s/s.ini", dir);

	/* a scenario file: relative paths from its folder, close by name, one site in UTM */
	const char *good = "# test\n"
			   "[dataset]\n"
			   "dir = .\n"
			   "[parameters]\n"
			   "minutes = 15\n"
			   "weight = pop\n"
			   "[close]\n"
			   "name = Center B\n"
			   "[site S]\n"
			   "x = 532000   ; (2000, 0) from the fixture's origin\n"
			   "y = 4555000\n"
			   "crs = EPSG:32629\n"
			   "level = community\n";
	is_str(parse(dir, good, &spec, &err), "", "a good scenario file parses");
	char want_dir[128];
	snprintf(want_dir, sizeof want_dir, "%s/.", dir);
	is_str(spec.dataset_dir, want_dir, "dir is relative to the file");
	is_double(spec.minutes, 15, 0, "minutes read");
	is_int(spec.n_close, 1, "one close");
	ok(spec.close[0].by_name && !strcmp(spec.close[0].key, "Center B") && spec.close[0].line == 8,
	   "close by name, line 8");
	is_int(spec.n_sites, 1, "one site");
	is_double(spec.sites[0].x, 532000, 0, "site x (inline comment dropped)");
	is_str(spec.sites[0].label, "S", "site label from the section");

	struct ws_scenario_sites sites = {0};
	sites.spec = &spec;
	struct ws_study_options o;
	options(&o, spec.dataset_dir);
	o.more_extra = ws_scenario_hook;
	o.more_extra_ctx = &sites;
	struct ws_study st;
	struct ws_scenario_run r;
	struct ws_scenario_params p = {15, 4, 2, "pop", NULL, NULL};
	ok(ws_study_load(&st, &o, &err), "study with the added site loads");
	ok(ws_scenario_run(&r, &st, &sites, &p, &err), "scenario runs: %s", err.msg);
	is_int(r.n_closed, 1, "B closed");
	is_int(r.n_change[WS_CHANGE_GAINED], 3, "3 newly covered");
	is_int(r.n_change[WS_CHANGE_LOST], 1, "1 lost");
	is_int(r.change[4], WS_CHANGE_LOST, "K3500 lost");
	is_double(r.after.compound[4].reach_m / r.m_per_min, 22.95, 1e-9, "K3500 after: 1530 m = 22.95 min");
	is_double(r.after.compound[2].reach_m, 30, 1e-9, "K2000 after: 30 m");
	is_int(r.after.compound[2].nearest, 2, "K2000's nearest after: the site (index 2)");
	is_double(r.weight_change[WS_CHANGE_GAINED], 200 + 300 + 400, 1e-9, "population gained 900");
	is_double(r.weight_change[WS_CHANGE_LOST], 500, 1e-9, "population lost 500");
	/* per level: community = A (+ S after): before K500; after K500, K1500, K2000, K2500 */
	bool found = false;
	for (size_t g = 0; g < r.n_groups; g++)
		if (!strcmp(r.groups[g].kind, "level") && !strcmp(r.groups[g].value, "community")) {
			found = true;
			ok(r.groups[g].covered_before == 1 && r.groups[g].covered_after == 4,
			   "level community: 1 -> 4 covered");
		}
	ok(found, "a community group");

	/* the same numbers from two separate audits */
	struct ws_study sa, sb;
	struct ws_audit aa, ab;
	char centers2[160];
	snprintf(centers2, sizeof centers2, "%s/centers2", dir);
	const struct fixture_point c2[] = {{0, 0, "A", "Center A", "community"}, {2000, 0, "S", "S", "community"}};
	struct ws_crs *crs = ws_crs_create("EPSG:32629", "t", &err);
	char *prj = ws_crs_to_prj(crs, &err);
	ws_crs_destroy(crs);
	ok(fixture_points(centers2, c2, 2, prj), "centers {A, S} written");
	free(prj);
	strcat(centers2, ".shp");
	ok(audit(&aa, &sa, dir, NULL), "audit of the dataset as is");
	ok(audit(&ab, &sb, dir, centers2), "audit with centers {A, S}");
	bool same_before = true, same_after = true;
	for (size_t c = 0; c < 6; c++) {
		same_before = same_before && aa.cov.compound[c].covered == r.before.compound[c].covered &&
			      (isinf(aa.cov.compound[c].reach_m) ? isinf(r.before.compound[c].reach_m)
								 : fabs(aa.cov.compound[c].reach_m - r.before.compound[c].reach_m) < 1e-9);
		same_after = same_after && ab.cov.compound[c].covered == r.after.compound[c].covered &&
			     (isinf(ab.cov.compound[c].reach_m) ? isinf(r.after.compound[c].reach_m)
								: fabs(ab.cov.compound[c].reach_m - r.after.compound[c].reach_m) < 1e-9);
	}
	ok(same_before, "baseline == audit of the dataset, compound by compound");
	ok(same_after, "scenario == audit with centers {A, S}, compound by compound");
	is_int(ab.n_status[WS_STATUS_COVERED], 4, "the {A, S} audit covers 4");
	ws_audit_finish(&aa);
	ws_audit_finish(&ab);
	ws_study_finish(&sa);
	ws_study_finish(&sb);
	ws_scenario_finish(&r);
	ws_study_finish(&st);

	/* an unknown center to close: the error names the file line */
	ws_scenario_spec_finish(&spec);
	ws_scenario_sites_finish(&sites);
	parse(dir, "[dataset]\ndir = .\n[close]\nid = A\nid = Z\n", &spec, &err);
	sites.spec = &spec;
	o.dataset_dir = dir;
	ok(ws_study_load(&st, &o, &err), "study loads");
	ok(!ws_scenario_run(&r, &st, &sites, &p, &err) && strstr(err.msg, "s.ini:5: no center with id \"Z\""),
	   "unknown id: \"%s\"", err.msg);
	ws_study_finish(&st);
	ws_scenario_sites_finish(&sites);
	ws_scenario_spec_finish(&spec);

	/* malformed files: the message names the line */
	struct {
		const char *text, *want;
	} bad[] = {
		{"[parameters]\nminutes = 15\nspeed = fast\n", "s.ini:3: speed: expected a positive number"},
		{"[dataset]\ndir = .\n[site A\nx = 1\n", "s.ini:3: syntax error"},
		{"[dataset]\n\n\n[stations]\nx = 1\n", "s.ini:5: unknown section [stations]"},
		{"[site A]\nx = 1\nlevel = community\n", "s.ini:1: [site A]: needs both x and y"},
		{"[parameters]\nminutes 15\n", "s.ini:2: syntax error"},
		{"[dataset]\ndri = x\n", "s.ini:2: [dataset]: unknown key \"dri\""},
		{"[close]\nid = A,,B\n", "s.ini:2: empty center id"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *msg = parse(dir, bad[i].text, &spec, &err);
		ok(strstr(msg, bad[i].want) != NULL, "malformed %zu: \"%s\"", i + 1, msg);
		ws_scenario_spec_finish(&spec);
	}
	ws_walk_filter_finish(&o.filter);
	fixture_dataset_remove(dir);
	return done();
}
