/* walkshed audit: which compounds are not within the threshold walk of any center. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli/breakdown_options.h"
#include "cli/commands.h"
#include "cli/iso_options.h"
#include "cli/options.h"
#include "cli/report_options.h"
#include "pipeline/area_rule.h"
#include "pipeline/audit.h"
#include "pipeline/isochrones.h"
#include "pipeline/repairs.h"
#include "pipeline/study.h"
#include "report/audit_report.h"
#include "report/breakdown_report.h"
#include "report/entrances_report.h"
#include "report/isochrone_report.h"
#include "report/jsonout.h"
#include "report/outdir.h"
#include "report/report_audit.h"
#include "report/report_breakdown.h"
#include "report/report_files.h"
#include "report/writers.h"

static const char audit_usage[] =
	"Usage: walkshed audit [DATASET_DIR] [options]\n"
	"\n"
	"Decides for every residential compound whether a service center is within the\n"
	"walking-time threshold along the real walking network (shared/SPEC.md; see\n"
	"docs/model.md), and prints a summary. With --out, writes compounds.csv, centers.csv,\n"
	"uncovered.geojson, uncovered.shp and summary.json, plus levels.csv, services.csv,\n"
	"zones.csv and sensitivity.csv when those breakdowns apply, gates.csv/.geojson/.shp\n"
	"with --access gates; with --report also report.html and map.png (docs/report.md).\n"
	"\n";

/* Peak resident memory in MiB (Linux reports ru_maxrss in KiB). */
static double peak_rss_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024.0;
}

bool ws_cmd_audit(int argc, char **argv, struct ws_error *err)
{
	static const struct option long_options[] = {WS_COMMON_LONG_OPTIONS, WS_REPORT_LONG_OPTIONS,
						     WS_BREAKDOWN_LONG_OPTIONS, WS_ACCESS_LONG_OPTIONS,
						     WS_ISO_LONG_OPTIONS,
						     {"isochrones", no_argument, NULL, OPT_ISOCHRONES},
						     {0, 0, 0, 0}};
	struct ws_common c;
	struct ws_breakdown_cli bc;
	struct ws_breakdown bd = {0};
	struct ws_iso_cli ic;
	struct ws_isochrone_run ir = {0};
	struct ws_isochrone_run_params ip;
	struct ws_table areas = {0};
	struct ws_study st = {0};
	struct ws_audit a = {0};
	struct ws_outdir out = {0};
	struct json_object *summary = NULL;
	struct ws_report_options ro = {0};
	struct ws_report_audit rep = {0};
	struct ws_report_breakdown rb = {0};
	bool ok = false, handled = false, wrote_png = false;
	if (!ws_common_init(&c, err))
		return false;
	if (!ws_breakdown_cli_init(&bc, err)) {
		ws_common_finish(&c);
		return false;
	}
	ws_iso_cli_init(&ic, &c);
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
		int id = opt == 'q' ? OPT_QUIET : opt == 'v' ? OPT_VERBOSE : opt == 'h' ? OPT_HELP : opt;
		if (id == '?') {
			ws_error_set(err, WS_ERR_USAGE, "see 'walkshed audit --help'");
			goto done;
		}
		if (id >= OPT_ACCESS) {
			if (!ws_iso_cli_option(&ic, &c, id, optarg, err))
				goto done;
			continue;
		}
		handled = false;
		if (!ws_report_option(&ro, id, optarg, &handled, err))
			goto done;
		if (!handled && !ws_breakdown_cli_option(&bc, &c, id, optarg, &handled, err))
			goto done;
		if (!handled && !ws_common_option(&c, id, optarg, err))
			goto done;
	}
	if (c.help) {
		fputs(audit_usage, stdout);
		fputs(ws_common_options_help, stdout);
		fputs(ws_access_options_help, stdout);
		fputs(ws_iso_options_help, stdout);
		fputs("      --isochrones          also write isochrones.*, service_area.* and compound_areas.csv\n", stdout);
		fputs(ws_breakdown_options_help, stdout);
		fputs(ws_report_options_help, stdout);
		ok = true;
		goto done;
	}
	if (!ws_common_positional(&c, argc, argv, err) || !ws_breakdown_cli_finalize(&bc, &c, err) ||
	    !ws_iso_cli_check(&ic, &c, err) || !ws_iso_cli_params(&ic, &c, &ip, err) ||
	    !ws_report_options_check(&ro, c.out_dir, err) || !ws_common_check_out_dir(&c, err))
		goto done;

	double t0 = ws_now_s();
	if (!ws_study_load(&st, &c.study, err))
		goto done;
	if (c.strict) {
		struct ws_repair_list repairs;
		if (!ws_repairs_collect(&repairs, &st, err))
			goto done;
		bool clean = ws_repairs_refuse(&repairs, err);
		ws_repairs_finish(&repairs);
		if (!clean)
			goto done;
	}
	double t1 = ws_now_s();
	struct ws_audit_params p = {c.minutes, c.speed_kmh, c.study.max_snap_m, c.study.threads};
	if (!ws_audit_run(&a, &st, &p, err))
		goto done;
	/* isochrones: asked for, or needed by the area rule (which changes the statuses the
	 * breakdown and the report read, so it comes first) */
	bool with_iso = ic.isochrones || ic.min_share > 0;
	double t_iso = ws_now_s();
	if (with_iso && !ws_isochrone_run(&ir, &st, &ip, err))
		goto done;
	t_iso = ws_now_s() - t_iso;
	bool *covered_walk = NULL;
	if (ic.min_share > 0) {
		covered_walk = malloc((a.cov.n_compounds + 1) * sizeof *covered_walk);
		if (!covered_walk) {
			ws_error_nomem(err);
			goto done;
		}
		for (size_t k = 0; k < a.cov.n_compounds; k++)
			covered_walk[k] = a.cov.compound[k].covered;
		if (!ws_audit_apply_min_share(&a, ir.share, ic.min_share, err)) {
			free(covered_walk);
			goto done;
		}
	}
	if (with_iso && !ws_compound_area_table(&areas, &ir, covered_walk, ic.min_share, err)) {
		free(covered_walk);
		goto done;
	}
	free(covered_walk);
	if (!ws_breakdown_run(&bd, &a, &bc.o, err))
		goto done;
	double t2 = ws_now_s();
	if (c.verbosity > 0) {
		ws_audit_print_summary(stdout, &a, ws_common_dataset_label(&c));
		if (ic.min_share > 0)
			printf("\nCoverage rule: a compound is covered when at least %g of its area lies inside the "
			       "%g-minute union isochrone (--min-share); reach times are still the walk's.\n",
			       ic.min_share, c.minutes);
		if (with_iso)
			ws_isochrone_print_summary(stdout, &ir);
		ws_breakdown_print(stdout, &bd);
	}
	char outputs[256] = "";

	if (c.out_dir) {
		if (!ws_outdir_begin(&out, c.out_dir, err) || !ws_audit_write_outputs(&out, &a, err) ||
		    !ws_gates_write_outputs(&out, &st, err) ||
		    !ws_breakdown_write_outputs(&out, &bd, outputs, sizeof outputs, err))
			goto done;
		if (with_iso) {
			char *apath = ws_outdir_path(&out, "compound_areas.csv");
			bool aw = apath ? ws_write_csv(apath, &areas, err) : ws_error_nomem(err);
			free(apath);
			if (!aw || (ic.isochrones && !ws_isochrone_write_outputs(&out, &ir, err)))
				goto done;
		}
		if (!(summary = ws_audit_summary_json(&a, "audit", err)) ||
		    !ws_breakdown_summary_json(summary, &bd, err))
			goto done;
		json_object_object_add(summary, "entrances", ws_entrances_summary_json(&st));
		if (with_iso)
			json_object_object_add(summary, "isochrones", ws_isochrone_summary_json(&ir));
		if (ic.min_share > 0)
			json_object_object_add(summary, "min_share", ws_json_real(ic.min_share, 4));
		char *path = ws_outdir_path(&out, "summary.json");
		bool written = path ? ws_json_write_file(path, summary, err) : ws_error_nomem(err);
		free(path);
		if (!written)
			goto done;
		if (ro.report && (!ws_report_audit_build(&rep, &a, ws_common_dataset_label(&c), ro.tiles_url, err) ||
				  !ws_report_breakdown_fill(&rb, &rep, &bd, with_iso ? &ir : NULL, err) ||
				  !ws_report_write_outputs(&out, &rep.in, &wrote_png, err)))
			goto done;
		if (!ws_outdir_commit(&out, err))
			goto done;
		if (c.verbosity > 0)
			printf("\nWrote %s/: compounds.csv, centers.csv, uncovered.geojson, uncovered.shp%s%s, summary.json%s%s\n",
			       c.out_dir, st.access_mode == WS_ACCESS_GATES ? ", gates.csv/.geojson/.shp" : "",
			       outputs, with_iso ? ", compound_areas.csv" : "",
			       ic.isochrones ? ", isochrones.geojson/.shp, service_area.geojson/.shp" : "");
		if (c.verbosity > 0 && ro.report)
			printf("Wrote %s/report.html%s\n", c.out_dir,
			       wrote_png ? " and map.png" : " (map.png needs a build with cairo)");
	}
	double t3 = ws_now_s();
	if (c.verbosity > 1) {
		printf("\nTimings (s): read %.3f, reproject %.3f, snap %.3f, graph %.3f, route %.3f, "
		       "coverage %.3f, isochrones %.3f, write %.3f, total %.3f; peak memory %.0f MiB\n",
		       st.time_read_s, st.time_reproject_s, st.time_snap_s, st.time_graph_s,
		       a.cov.time_route_s, t2 - t1 - a.cov.time_route_s - t_iso, t_iso, t3 - t2, t3 - t0,
		       peak_rss_mib());
	}
	ok = true;
done:
	ws_outdir_abort(&out); /* after a commit it only releases the paths */
	if (summary)
		json_object_put(summary);
	ws_report_audit_finish(&rep);
	ws_report_breakdown_finish(&rb);
	ws_breakdown_finish(&bd);
	ws_table_finish(&areas);
	ws_isochrone_run_finish(&ir);
	ws_audit_finish(&a);
	ws_study_finish(&st);
	ws_breakdown_cli_finish(&bc);
	ws_common_finish(&c);
	return ok;
}
