/* walkshed scenario: what closing some centers and opening new sites changes, compound
 * by compound, against today's baseline. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/report_options.h"
#include "io/scenario_file.h"
#include "pipeline/scenario.h"
#include "pipeline/study.h"
#include "report/jsonout.h"
#include "report/outdir.h"
#include "report/report_files.h"
#include "report/report_scenario.h"
#include "report/scenario_report.h"

static const char scenario_usage[] =
	"Usage: walkshed scenario [SCENARIO_FILE] [DATASET_DIR] [options]\n"
	"\n"
	"Compares a scenario (centers closed, sites added) with today's baseline compound by\n"
	"compound: reach before and after, newly covered, coverage lost, totals (and population\n"
	"with --weight, per level and service when the centers have them). The scenario comes\n"
	"from an INI file (format in docs/scenario.md) and/or the quick forms below; the\n"
	"command line wins over the file. With --out, writes scenario.csv, scenario.geojson,\n"
	"scenario.shp and summary.json; with --report also report.html and map.png (before/after\n"
	"table, changed compounds, closed and added centers; docs/report.md).\n"
	"\n"
	"Scenario:\n"
	"      --close ID[,ID...]    close existing centers by id (repeatable)\n"
	"      --close-name NAME     close the existing center with this name (repeatable)\n"
	"      --add X,Y[,NAME]      add a site at X,Y (repeatable)\n"
	"      --add-crs CRS         CRS of the --add coordinates (default: the roads' CRS)\n"
	"      --weight FIELD        also report this compounds.dbf field (population)\n"
	"      --level L             only centers (and sites) of level L count\n"
	"      --service S           only centers (and sites) offering S count\n"
	"\n";

enum { OPT_CLOSE = OPT_COMMON_END + 1, OPT_CLOSE_NAME, OPT_ADD, OPT_ADD_CRS, OPT_WEIGHT, OPT_LEVEL,
       OPT_SERVICE };

static bool is_dir(const char *p)
{
	struct stat s;
	return stat(p, &s) == 0 && S_ISDIR(s.st_mode);
}

bool ws_cmd_scenario(int argc, char **argv, struct ws_error *err)
{
	static const struct option long_options[] = {
		WS_COMMON_LONG_OPTIONS, WS_REPORT_LONG_OPTIONS,
		{"close", required_argument, NULL, OPT_CLOSE},
		{"close-name", required_argument, NULL, OPT_CLOSE_NAME},
		{"add", required_argument, NULL, OPT_ADD},
		{"add-crs", required_argument, NULL, OPT_ADD_CRS},
		{"weight", required_argument, NULL, OPT_WEIGHT},
		{"level", required_argument, NULL, OPT_LEVEL},
		{"service", required_argument, NULL, OPT_SERVICE},
		{0, 0, 0, 0}};
	struct ws_common c;
	struct ws_scenario_spec spec, cli;
	struct ws_scenario_sites sites = {0};
	struct ws_study st = {0};
	struct ws_scenario_run r = {0};
	struct ws_outdir out = {0};
	struct json_object *summary = NULL;
	struct ws_report_options ro = {0};
	struct ws_report_scenario_page rp = {0};
	bool wrote_png = false, handled = false;
	const char *add_crs = NULL, *weight = NULL, *level = NULL, *service = NULL;
	const char **adds = calloc((size_t)argc + 1, sizeof *adds);
	size_t n_adds = 0;
	bool ok = false, set_minutes = false, set_speed = false, set_snap = false;
	ws_scenario_spec_init(&spec);
	ws_scenario_spec_init(&cli);
	if (!adds)
		return ws_error_nomem(err);
	if (!ws_common_init(&c, err)) {
		free(adds);
		return false;
	}
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
		int id = opt == 'q' ? OPT_QUIET : opt == 'v' ? OPT_VERBOSE : opt == 'h' ? OPT_HELP : opt;
		bool good = true;
		switch (id) {
		case '?': good = ws_error_set(err, WS_ERR_USAGE, "see 'walkshed scenario --help'"); break;
		case OPT_CLOSE: good = ws_scenario_add_close_list(&cli, optarg, false, 0, err); break;
		case OPT_CLOSE_NAME: good = ws_scenario_add_close_list(&cli, optarg, true, 0, err); break;
		case OPT_ADD: adds[n_adds++] = optarg; break;
		case OPT_ADD_CRS: add_crs = optarg; break;
		case OPT_WEIGHT: weight = optarg; break;
		case OPT_LEVEL: level = optarg; break;
		case OPT_SERVICE: service = optarg; break;
		default:
			set_minutes = set_minutes || id == OPT_MINUTES;
			set_speed = set_speed || id == OPT_SPEED;
			set_snap = set_snap || id == OPT_MAX_SNAP;
			good = ws_report_option(&ro, id, optarg, &handled, err) && (handled || ws_common_option(&c, id, optarg, err));
		}
		if (!good)
			goto done;
	}
	if (c.help) {
		fputs(scenario_usage, stdout);
		fputs(ws_common_options_help, stdout);
		fputs(ws_report_options_help, stdout);
		ok = true;
		goto done;
	}
	for (size_t i = 0; i < n_adds; i++)
		if (!ws_scenario_add_site_text(&cli, adds[i], add_crs, "--add", err))
			goto done;
	/* positionals: a scenario file and/or a dataset folder */
	const char *file = NULL;
	for (int i = optind; i < argc; i++) {
		if (is_dir(argv[i]) && !c.study.dataset_dir) {
			c.study.dataset_dir = argv[i];
		} else if (!is_dir(argv[i]) && !file) {
			file = argv[i];
		} else {
			ws_error_set(err, WS_ERR_USAGE, "unexpected argument \"%s\"", argv[i]);
			goto done;
		}
	}
	if (file && !ws_scenario_read(&spec, file, err))
		goto done;
	if (!file && cli.n_close == 0 && cli.n_sites == 0) {
		ws_error_set(err, WS_ERR_USAGE, "give a scenario file, --close or --add (see 'walkshed scenario --help')");
		goto done;
	}
	/* merge: the command line's entries after the file's; its settings win */
	for (size_t i = 0; i < cli.n_close; i++)
		if (!ws_scenario_add_close_list(&spec, cli.close[i].key, cli.close[i].by_name, 0, err))
			goto done;
	for (size_t i = 0; i < cli.n_sites; i++) {
		char text[128];
		snprintf(text, sizeof text, "%.17g,%.17g", cli.sites[i].x, cli.sites[i].y);
		if (!ws_scenario_add_site_text(&spec, text, cli.sites[i].crs, "--add", err))
			goto done;
		struct ws_scenario_site *s = &spec.sites[spec.n_sites - 1];
		if (cli.sites[i].name && !(s->name = strdup(cli.sites[i].name))) {
			ws_error_nomem(err);
			goto done;
		}
	}
	struct ws_study_options *so = &c.study;
	if (!so->dataset_dir && !so->roads_path && !so->compounds_path && !so->centers_path)
		so->dataset_dir = spec.dataset_dir;
	so->roads_path = so->roads_path ? so->roads_path : spec.roads;
	so->compounds_path = so->compounds_path ? so->compounds_path : spec.compounds;
	so->centers_path = so->centers_path ? so->centers_path : spec.centers;
	so->work_crs = so->work_crs ? so->work_crs : spec.work_crs;
	so->src_crs = so->src_crs ? so->src_crs : spec.src_crs;
	so->id_field = so->id_field ? so->id_field : spec.id_field;
	so->encoding = so->encoding ? so->encoding : spec.encoding;
	if (!set_minutes && !isnan(spec.minutes))
		c.minutes = spec.minutes;
	if (!set_speed && !isnan(spec.speed_kmh))
		c.speed_kmh = spec.speed_kmh;
	if (!set_snap && !isnan(spec.max_snap_m))
		so->max_snap_m = spec.max_snap_m;
	struct ws_scenario_params p = {c.minutes, c.speed_kmh, so->threads, weight ? weight : spec.weight,
				       level ? level : spec.level, service ? service : spec.service};
	if (!ws_report_options_check(&ro, c.out_dir, err) || !ws_common_check_out_dir(&c, err))
		goto done;
	sites.spec = &spec;
	so->more_extra = ws_scenario_hook;
	so->more_extra_ctx = &sites;
	if (!ws_study_load(&st, so, err) || !ws_scenario_run(&r, &st, &sites, &p, err))
		goto done;
	const char *label = so->dataset_dir ? so->dataset_dir : so->roads_path ? so->roads_path
										: "the bundled sample (geodata/porto)";
	if (c.verbosity > 0)
		ws_scenario_print_summary(stdout, &r, label);
	if (c.out_dir) {
		if (!ws_outdir_begin(&out, c.out_dir, err) || !ws_scenario_write_outputs(&out, &r, err))
			goto done;
		if (!(summary = ws_scenario_summary_json(&r, err)))
			goto done;
		char *path = ws_outdir_path(&out, "summary.json");
		bool written = path ? ws_json_write_file(path, summary, err) : ws_error_nomem(err);
		free(path);
		if (!written || (ro.report && (!ws_report_scenario_build(&rp, &r, label, so->max_snap_m, ro.tiles_url, err) ||
						!ws_report_write_outputs(&out, &rp.rep.in, &wrote_png, err))) ||
		    !ws_outdir_commit(&out, err))
			goto done;
		if (c.verbosity > 0)
			printf("\nWrote %s/: scenario.csv, scenario.geojson, scenario.shp, summary.json\n", c.out_dir);
	}
	if (c.verbosity > 0 && ro.report)
		printf("Wrote %s/report.html%s\n", c.out_dir, wrote_png ? " and map.png" : " (map.png needs a build with cairo)");
	ok = true;
done:
	ws_outdir_abort(&out);   /* after a commit: frees the path only */
	if (summary)
		json_object_put(summary);
	ws_report_scenario_finish(&rp);
	ws_scenario_finish(&r);
	ws_study_finish(&st);
	ws_scenario_sites_finish(&sites);
	ws_scenario_spec_finish(&spec);
	ws_scenario_spec_finish(&cli);
	ws_common_finish(&c);
	free(adds);
	return ok;
}
