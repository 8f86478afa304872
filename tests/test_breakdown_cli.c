/* The audit breakdown through the real CLI: the sensitivity pass against separate runs
 * (the JSON numbers compared byte for byte), identical output folders for 1, 2 and 7
 * threads, Chinese service names, and the usage errors. Runs on the bundled Porto sample
 * (geodata/porto) with tests/data/porto_catalogue.csv: 10 services assigned by amenity
 * (townhall: civil_registry, tax_office, social_assistance; community_centre:
 * community_activities, elderly_day_care, youth_centre; clinic and doctors: primary_care;
 * social_facility: elderly_day_care, social_assistance; police: police; library: library,
 * youth_centre; post_office: post). argv[1] is the walkshed binary. */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static const char *exe;
static char tmp[] = "/tmp/ws-bdcli-XXXXXX";

__attribute__((format(printf, 1, 2))) static int cli(const char *fmt, ...)
{
	char args[2048], cmd[2600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "%s audit %s >/dev/null 2>&1", exe, args);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static struct json_object *load(const char *dir)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s/summary.json", tmp, dir);
	return json_object_from_file(path);
}

static const char *js(struct json_object *o, const char *path)
{
	/* "a.b.c" lookup; array indices as numbers */
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); o && k; k = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &o))
			o = NULL;
	}
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "(missing)";
}

static bool same_files(const char *a, const char *b)
{
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "diff -r %s/%s %s/%s >/dev/null 2>&1", tmp, a, tmp, b);
	return system(cmd) == 0;
}

#define PORTO "../geodata/porto"
#define CAT "--catalogue data/porto_catalogue.csv"

static void test_sensitivity_equals_separate_runs(void)
{
	static const char *const speeds[] = {"3.2", "4", "5.1"}, *const minutes[] = {"5", "10", "15"};
	is_int(cli(PORTO " " CAT " --speed 3.2,4,5.1 --minutes 5,10,15 -q --out %s/sens", tmp), 0,
	       "porto: 10 services, 3 levels, 3 speeds x 3 thresholds");
	struct json_object *sens = load("sens");
	ok(sens != NULL, "summary.json of the sensitivity run");
	is_str(js(sens, "services.catalogue_services"), "10", "10 services in the catalogue");
	is_str(js(sens, "levels.levels.0.centers"), "8", "8 district centers (townhalls)");
	is_str(js(sens, "levels.levels.2.centers"), "7", "7 community centers");
	is_str(js(sens, "levels.levels.3.centers"), "75", "75 building-level centers");
	size_t x = 0;
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++, x++) {
			char dir[64], key[128], key2[128];
			snprintf(dir, sizeof dir, "sep%zu", x);
			if (cli(PORTO " " CAT " --speed %s --minutes %s -q --out %s/%s", speeds[i], minutes[j], tmp, dir)) {
				ok(false, "separate run %s km/h %s min", speeds[i], minutes[j]);
				continue;
			}
			struct json_object *sep = load(dir);
			bool same = sep != NULL;
			static const char *const status[] = {"covered", "uncovered", "unreachable", "unsnapped"};
			for (int s = 0; s < 4 && same; s++) {
				snprintf(key, sizeof key, "sensitivity.combinations.%zu.%s", x, status[s]);
				snprintf(key2, sizeof key2, "compounds.%s", status[s]);
				same = !strcmp(js(sens, key), js(sep, key2));
			}
			for (int l = 0; l < 4 && same; l++) {
				const char *name = js(sep, (snprintf(key2, sizeof key2, "levels.levels.%d.level", l), key2));
				char bare[64];
				snprintf(bare, sizeof bare, "%.*s", (int)strlen(name) - 2, name + 1);
				snprintf(key, sizeof key, "sensitivity.combinations.%zu.levels.%s", x, bare);
				snprintf(key2, sizeof key2, "levels.levels.%d.covered_or_above", l);
				same = !strcmp(js(sens, key), js(sep, key2));
				if (!same)
					diag("%s: %s vs %s", key, js(sens, key), js(sep, key2));
			}
			for (int k = 0; k < 10 && same; k++) {
				const char *name = js(sep, (snprintf(key2, sizeof key2, "services.required.%d.service", k), key2));
				char bare[64];
				snprintf(bare, sizeof bare, "%.*s", (int)strlen(name) - 2, name + 1);
				snprintf(key, sizeof key, "sensitivity.combinations.%zu.services.%s", x, bare);
				snprintf(key2, sizeof key2, "services.required.%d.served", k);
				same = !strcmp(js(sens, key), js(sep, key2));
				if (!same)
					diag("%s: %s vs %s", key, js(sens, key), js(sep, key2));
			}
			snprintf(key, sizeof key, "sensitivity.combinations.%zu.fully_served", x);
			same = same && !strcmp(js(sens, key), js(sep, "services.fully_served"));
			ok(same, "%s km/h %s min: statuses, 4 levels, 10 services, fully served equal the separate run byte for byte",
			   speeds[i], minutes[j]);
			json_object_put(sep);
		}
	/* 4 km/h 15 min (combination 5) against a plain audit, which runs none of the breakdown */
	ok(cli(PORTO " -q --out %s/plain", tmp) == 0, "plain audit");
	struct json_object *plain = load("plain");
	is_str(js(sens, "sensitivity.combinations.5.covered"), js(plain, "compounds.covered"),
	       "4 km/h 15 min: covered equals the plain audit's");
	json_object_put(plain);
	json_object_put(sens);
}

static void test_threads(void)
{
	const char *opts = PORTO " " CAT " --require police,post,library --speed 4,3.2,5.1 --zones -q";
	bool ran = cli("%s --threads 1 --out %s/t1", opts, tmp) == 0 && cli("%s --threads 2 --out %s/t2", opts, tmp) == 0 &&
		   cli("%s --threads 7 --out %s/t7", opts, tmp) == 0;
	ok(ran, "runs with 1, 2, 7 threads");
	ok(same_files("t1", "t2") && same_files("t1", "t7"), "byte-identical output folders for 1, 2, 7 threads");
	struct stat st;
	char path[512];
	snprintf(path, sizeof path, "%s/t1/zones.csv", tmp);
	ok(stat(path, &st) == 0, "zones.csv written with --zones");
	snprintf(path, sizeof path, "%s/t1/sensitivity.csv", tmp);
	ok(stat(path, &st) == 0, "sensitivity.csv written");
	/* zones.shp is in the folder, but without --zones it is not read */
	ok(cli(PORTO " -q --out %s/nozones", tmp) == 0, "porto without --zones");
	snprintf(path, sizeof path, "%s/nozones/zones.csv", tmp);
	ok(stat(path, &st) != 0, "no zones.csv without --zones (the optional layer changes nothing)");
	struct json_object *doc = load("nozones");
	is_str(js(doc, "zones"), "(missing)", "no zones member in summary.json");
	json_object_put(doc);
	doc = load("t1");
	is_str(js(doc, "zones.zones"), "4", "porto: 4 zones");
	is_str(js(doc, "services.required.0.service"), "\"police\"", "required services in the order given");
	json_object_put(doc);
}

static void test_chinese(void)
{
	is_int(cli("../geodata/nanjing_xinjiekou --catalogue data/nanjing_catalogue.csv --require 社区卫生服务,邮政 -q --out %s/nj",
		   tmp), 0, "nanjing with Chinese service names");
	struct json_object *doc = load("nj");
	is_str(js(doc, "services.required.0.service"), "\"社区卫生服务\"", "service name kept as UTF-8");
	/* one clinic (秦淮区妇幼保健所) offers 社区卫生服务; one post office (新街口邮局) 邮政 */
	is_str(js(doc, "services.required.0.centers"), "1", "社区卫生服务: one center");
	is_str(js(doc, "services.required.1.centers"), "1", "邮政: one center");
	json_object_put(doc);
	char path[512], line[4096] = "";
	snprintf(path, sizeof path, "%s/nj/services.csv", tmp);
	FILE *fp = fopen(path, "r");
	if (fp) {
		if (!fgets(line, sizeof line, fp))
			line[0] = '\0';
		fclose(fp);
	}
	ok(strstr(line, "社区卫生服务_min") && strstr(line, "邮政_min"), "services.csv header: %s", line);
}

/* "Police" is no service of the catalogue ("police" is): offered by no center, and the
 * report names the spelling the catalogue has instead of silently counting it missing */
static void test_other_case(void)
{
	is_int(cli(PORTO " " CAT " --require Police,post -q --out %s/case", tmp), 0, "--require Police");
	struct json_object *doc = load("case");
	is_str(js(doc, "services.required.0.centers"), "0", "Police: offered by no center");
	is_str(js(doc, "services.required.0.catalogue_other_case"), "\"police\"",
	       "... and the catalogue's spelling named");
	is_str(js(doc, "services.required.1.catalogue_other_case"), "(missing)", "post: no hint");
	json_object_put(doc);
}

static void test_errors(void)
{
	is_int(cli(PORTO " --require police -q"), 64, "--require without a catalogue: usage error");
	is_int(cli("../geodata/nanjing_xinjiekou --zones -q"), 66, "--zones without zones.shp: input missing");
	is_int(cli(PORTO " --weight households -q"), 64, "--weight on a field that does not exist: usage error");
	is_int(cli(PORTO " --level-minutes village=5 -q"), 64, "--level-minutes with an unknown level");
	is_int(cli(PORTO " --tiers gb50180 --levels a,b -q"), 65, "levels that do not match the data: bad input");
	is_int(cli(PORTO " --speed 4,x -q"), 64, "--speed list with a bad value");
	is_int(cli(PORTO " --catalogue data/porto_catalogue.csv --services-field x -q"), 64, "both catalogue sources");
	is_int(cli(PORTO " --zones --zone-level 7 -q"), 64, "--zone-level with no such zones");
	char path[512];
	snprintf(path, sizeof path, "%s/bad.csv", tmp);
	FILE *fp = fopen(path, "w");
	fputs("center_id,service\n1,police\n", fp);
	fclose(fp);
	is_int(cli(PORTO " --catalogue %s -q", path), 65, "catalogue naming an unknown center id: bad input");
	unlink(path);
}

static void test_monaco(void)
{
	const char *d = "../../shared/data/monaco";
	struct stat st;
	if (stat(d, &st) != 0) {
		printf("ok %d - # SKIP %s not present\n", ++tap_count, d);
		return;
	}
	ok(cli("%s --zones --zone-level 10 -q --out %s/mc10", d, tmp) == 0, "monaco --zone-level 10");
	struct json_object *doc = load("mc10");
	is_str(js(doc, "zones.zones"), "9", "monaco: 9 zones at admin level 10 (shared/data/README.md)");
	json_object_put(doc);
	ok(cli("%s --zones -q --out %s/mcall", d, tmp) == 0, "monaco all zones");
	doc = load("mcall");
	is_str(js(doc, "zones.zones"), "13", "monaco: 13 zones in all");
	ok(strcmp(js(doc, "zones.compounds_in_several"), "0") != 0, "overlapping levels: compounds in several zones reported");
	json_object_put(doc);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !mkdtemp(tmp)) {
		ok(false, "usage: test_breakdown_cli WALKSHED");
		return done();
	}
	exe = argv[1];
	test_sensitivity_equals_separate_runs();
	test_threads();
	test_chinese();
	test_other_case();
	test_errors();
	test_monaco();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		diag("could not remove %s", tmp);
	return done();
}
