/* walkshed site: where k new centers would cover the most compounds not covered today
 * (or the fewest that cover every coverable one), with an exact check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/report_options.h"
#include "cli/progress.h"
#include "pipeline/site.h"
#include "pipeline/study.h"
#include "report/jsonout.h"
#include "report/outdir.h"
#include "report/report_files.h"
#include "report/report_site.h"
#include "report/site_report.h"

static const char site_usage[] =
	"Usage: walkshed site [DATASET_DIR] (--k N | --cover-all) [options]\n"
	"\n"
	"Chooses new sites among candidates (the dataset's candidates.shp, else points generated\n"
	"along the walking network) that cover the most compounds no existing center covers\n"
	"within the threshold (maximal covering, greedy with lazy evaluation, ties to the lowest\n"
	"candidate), or the fewest sites covering every compound any candidate can cover\n"
	"(--cover-all). Existing centers stay. A deterministic local improvement (interchanges,\n"
	"sites replaced by fewer) then refines the greedy set; the tables list that answer, and\n"
	"the greedy order (the coverage curve) is kept in summary.json. An exact integer program\n"
	"(GLPK) checks both when it finishes within --time-limit. See docs/siting.md. With --out, writes\n"
	"sites.csv, sites.geojson, sites.shp, site_compounds.csv and summary.json; with --report also\n"
	"report.html and map.png (coverage curve, chosen sites; docs/report.md).\n"
	"\n"
	"Siting:\n"
	"      --k N                 number of new sites (maximal covering)\n"
	"      --cover-all           fewest sites covering every coverable compound (set covering)\n"
	"      --weight FIELD        maximise this compounds.dbf field (population) instead of compounds\n"
	"      --level L             only existing centers of level L count as covering\n"
	"      --service S           only existing centers offering S (services field) count\n"
	"      --generate            generate candidates even when candidates.shp exists\n"
	"      --candidate-spacing M generated candidates every M metres along each road (default 100)\n"
	"      --time-limit S        seconds for the exact GLPK check (default 10; 0 skips it)\n"
	"      --search MODE         auto (default), forward (from each candidate) or reverse\n"
	"                            (from each uncovered compound); same results, different speed\n"
	"\n";

enum { OPT_K = OPT_COMMON_END + 1, OPT_COVER_ALL, OPT_WEIGHT, OPT_LEVEL, OPT_SERVICE, OPT_GENERATE,
       OPT_SPACING, OPT_TIME_LIMIT, OPT_SEARCH };

/* Whether the study will read a candidates layer. */
static bool has_candidates_layer(const struct ws_common *c, struct ws_error *err, bool *has)
{
	char *paths[6] = {0};
	if (!ws_study_resolve_paths(&c->study, paths, err))
		return false;
	*has = paths[4] != NULL;
	for (int i = 0; i < 6; i++)
		free(paths[i]);
	return true;
}

bool ws_cmd_site(int argc, char **argv, struct ws_error *err)
{
	static const struct option long_options[] = {
		WS_COMMON_LONG_OPTIONS, WS_REPORT_LONG_OPTIONS,
		{"k", required_argument, NULL, OPT_K},
		{"cover-all", no_argument, NULL, OPT_COVER_ALL},
		{"weight", required_argument, NULL, OPT_WEIGHT},
		{"level", required_argument, NULL, OPT_LEVEL},
		{"service", required_argument, NULL, OPT_SERVICE},
		{"generate", no_argument, NULL, OPT_GENERATE},
		{"candidate-spacing", required_argument, NULL, OPT_SPACING},
		{"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
		{"search", required_argument, NULL, OPT_SEARCH},
		{0, 0, 0, 0}};
	struct ws_common c;
	struct ws_study st = {0};
	struct ws_site_run r = {0};
	struct ws_outdir out = {0};
	struct json_object *summary = NULL;
	struct ws_report_options ro = {0};
	struct ws_report_site rp = {0};
	bool wrote_png = false, handled = false;
	struct ws_site_params p = {0};
	bool ok = false, generate = false, k_given = false;
	int k = 0;
	p.time_limit_s = 10;
	p.spacing_m = WS_SITE_DEFAULT_SPACING_M;
	p.search = WS_COVER_AUTO;
	if (!ws_common_init(&c, err))
		return false;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
		int id = opt == 'q' ? OPT_QUIET : opt == 'v' ? OPT_VERBOSE : opt == 'h' ? OPT_HELP : opt;
		bool good = true;
		switch (id) {
		case '?':
			good = ws_error_set(err, WS_ERR_USAGE, "see 'walkshed site --help'");
			break;
		case OPT_K:
			good = ws_parse_int("--k", optarg, 1, 1000000, &k, err);
			k_given = true;
			break;
		case OPT_COVER_ALL: p.cover_all = true; break;
		case OPT_WEIGHT: p.weight_field = optarg; break;
		case OPT_LEVEL: p.level = optarg; break;
		case OPT_SERVICE: p.service = optarg; break;
		case OPT_GENERATE: generate = true; break;
		case OPT_SPACING: good = ws_parse_positive("--candidate-spacing", optarg, &p.spacing_m, err); break;
		case OPT_TIME_LIMIT:
			if (!strcmp(optarg, "0"))
				p.time_limit_s = 0;
			else
				good = ws_parse_positive("--time-limit", optarg, &p.time_limit_s, err);
			break;
		case OPT_SEARCH:
			if (!strcmp(optarg, "auto"))
				p.search = WS_COVER_AUTO;
			else if (!strcmp(optarg, "forward"))
				p.search = WS_COVER_FORWARD;
			else if (!strcmp(optarg, "reverse"))
				p.search = WS_COVER_REVERSE;
			else
				good = ws_error_set(err, WS_ERR_USAGE, "--search: expected auto, forward or reverse, got \"%s\"", optarg);
			break;
		default:
			good = ws_report_option(&ro, id, optarg, &handled, err) && (handled || ws_common_option(&c, id, optarg, err));
		}
		if (!good)
			goto done;
	}
	if (c.help) {
		fputs(site_usage, stdout);
		fputs(ws_common_options_help, stdout);
		fputs(ws_report_options_help, stdout);
		ok = true;
		goto done;
	}
	if (!ws_common_positional(&c, argc, argv, err))
		goto done;
	if (k_given == p.cover_all) {
		ws_error_set(err, WS_ERR_USAGE, "give either --k N or --cover-all");
		goto done;
	}
	p.k = (size_t)k;
	p.minutes = c.minutes;
	p.speed_kmh = c.speed_kmh;
	p.threads = c.study.threads;
	c.study.use_candidates = !generate;
	bool layer = false;
	if (!ws_report_options_check(&ro, c.out_dir, err) || !ws_common_check_out_dir(&c, err) || !has_candidates_layer(&c, err, &layer))
		goto done;
	struct ws_site_generate gen = {p.spacing_m, c.minutes * c.speed_kmh * 1000.0 / 60.0};
	if (!layer) {
		c.study.use_candidates = false;
		c.study.more_extra = ws_site_generate_hook;
		c.study.more_extra_ctx = &gen;
	}

	double t0 = ws_now_s();
	if (!ws_study_load(&st, &c.study, err))
		goto done;
	double t1 = ws_now_s();
	struct ws_progress bar;
	ws_progress_begin(&bar, "reach sets", c.verbosity > 0);
	p.progress = ws_progress_update;
	p.progress_ctx = &bar;
	bool ran = ws_site_run(&r, &st, &p, err);
	ws_progress_end(&bar);
	if (!ran)
		goto done;
	double t2 = ws_now_s();
	const char *label = c.study.dataset_dir ? c.study.dataset_dir
			    : c.study.roads_path  ? c.study.roads_path
						  : "the bundled sample (geodata/porto)";
	if (c.verbosity > 0)
		ws_site_print_summary(stdout, &r, label);
	if (c.out_dir) {
		if (!ws_outdir_begin(&out, c.out_dir, err) || !ws_site_write_outputs(&out, &r, err))
			goto done;
		if (!(summary = ws_site_summary_json(&r, err)))
			goto done;
		char *path = ws_outdir_path(&out, "summary.json");
		bool written = path ? ws_json_write_file(path, summary, err) : ws_error_nomem(err);
		free(path);
		if (!written || (ro.report && (!ws_report_site_build(&rp, &r, label, c.study.max_snap_m, ro.tiles_url, err) ||
						!ws_report_write_outputs(&out, &rp.rep.in, &wrote_png, err))) ||
		    !ws_outdir_commit(&out, err))
			goto done;
		if (c.verbosity > 0)
			printf("\nWrote %s/: sites.csv, sites.geojson, sites.shp, site_compounds.csv, summary.json\n",
			       c.out_dir);
	}
	if (c.verbosity > 1)
		printf("\nTimings (s): load %.3f, baseline %.3f, reach sets %.3f, greedy %.3f, improvement %.3f, exact %.3f, total %.3f\n",
		       t1 - t0, r.time_base_s, r.time_sets_s, r.time_greedy_s, r.time_improve_s, r.time_exact_s, ws_now_s() - t0);
	(void)t2;
	if (c.verbosity > 0 && ro.report)
		printf("Wrote %s/report.html%s\n", c.out_dir, wrote_png ? " and map.png" : " (map.png needs a build with cairo)");
	ok = true;
done:
	ws_outdir_abort(&out);   /* after a commit: frees the path only */
	if (summary)
		json_object_put(summary);
	ws_report_site_finish(&rp);
	ws_site_finish(&r);
	ws_study_finish(&st);
	ws_common_finish(&c);
	return ok;
}
