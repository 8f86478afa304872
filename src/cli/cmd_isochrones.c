/* walkshed isochrones: the walking area of every center as polygons built from the
 * reached network, the district's service area, and the drawn circle vs the walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/iso_options.h"
#include "cli/options.h"
#include "pipeline/audit.h"
#include "pipeline/isochrones.h"
#include "pipeline/study.h"
#include "report/audit_report.h"
#include "report/entrances_report.h"
#include "report/isochrone_report.h"
#include "report/jsonout.h"
#include "report/outdir.h"

static const char isochrones_usage[] =
	"Usage: walkshed isochrones [DATASET_DIR] [options]\n"
	"\n"
	"Draws the real walking area of every center: the streets reached within each band\n"
	"(partial streets cut at the exact remaining distance) widened by the walk-off and\n"
	"merged, with holes and rivers left as they are (docs/isochrones.md). Prints the\n"
	"service area per band and the drawn circle vs the walk. With --out, writes\n"
	"isochrones.geojson/.shp, service_area.geojson/.shp and summary.json, and with\n"
	"--access gates gates.csv/.geojson/.shp (each gate's assignment and use).\n"
	"\n";

bool ws_cmd_isochrones(int argc, char **argv, struct ws_error *err)
{
	static const struct option long_options[] = {WS_COMMON_LONG_OPTIONS, WS_ACCESS_LONG_OPTIONS,
						     WS_ISO_LONG_OPTIONS, {0, 0, 0, 0}};
	struct ws_common c;
	struct ws_iso_cli ic;
	struct ws_study st = {0};
	struct ws_audit a = {0};
	struct ws_isochrone_run r = {0};
	struct ws_isochrone_run_params p;
	struct ws_outdir out = {0};
	struct json_object *summary = NULL;
	bool ok = false;
	if (!ws_common_init(&c, err))
		return false;
	ws_iso_cli_init(&ic, &c);
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
		int id = opt == 'q' ? OPT_QUIET : opt == 'v' ? OPT_VERBOSE : opt == 'h' ? OPT_HELP : opt;
		if (id == '?') {
			ws_error_set(err, WS_ERR_USAGE, "see 'walkshed isochrones --help'");
			goto done;
		}
		if (id >= OPT_ACCESS) {
			if (!ws_iso_cli_option(&ic, &c, id, optarg, err))
				goto done;
		} else if (!ws_common_option(&c, id, optarg, err)) {
			goto done;
		}
	}
	if (c.help) {
		fputs(isochrones_usage, stdout);
		fputs(ws_iso_options_help, stdout);
		fputs(ws_access_options_help, stdout);
		fputs(ws_common_options_help, stdout);
		ok = true;
		goto done;
	}
	if (!ws_common_positional(&c, argc, argv, err) || !ws_iso_cli_check(&ic, &c, err) ||
	    !ws_iso_cli_params(&ic, &c, &p, err) || !ws_common_check_out_dir(&c, err))
		goto done;

	double t0 = ws_now_s();
	if (!ws_study_load(&st, &c.study, err))
		goto done;
	double t1 = ws_now_s();
	struct ws_audit_params ap = {c.minutes, c.speed_kmh, c.study.max_snap_m, c.study.threads};
	if (!ws_audit_run(&a, &st, &ap, err) || !ws_isochrone_run(&r, &st, &p, err))
		goto done;
	double t2 = ws_now_s();
	if (c.verbosity > 0) {
		ws_isochrone_print_summary(stdout, &r);
		if (st.access_mode != WS_ACCESS_POINT)
			fputc('\n', stdout);
		ws_entrances_print(stdout, &st);
	}
	if (c.out_dir) {
		if (!ws_outdir_begin(&out, c.out_dir, err) || !ws_isochrone_write_outputs(&out, &r, err) ||
		    !ws_gates_write_outputs(&out, &st, err))
			goto done;
		if (!(summary = ws_audit_summary_json(&a, "isochrones", err)))
			goto done;
		json_object_object_add(summary, "isochrones", ws_isochrone_summary_json(&r));
		json_object_object_add(summary, "entrances", ws_entrances_summary_json(&st));
		char *path = ws_outdir_path(&out, "summary.json");
		bool written = path ? ws_json_write_file(path, summary, err) : ws_error_nomem(err);
		free(path);
		if (!written || !ws_outdir_commit(&out, err))
			goto done;
		if (c.verbosity > 0)
			printf("\nWrote %s/: isochrones.geojson, isochrones.shp, service_area.geojson, "
			       "service_area.shp%s, summary.json\n", c.out_dir,
			       st.access_mode == WS_ACCESS_GATES ? ", gates.csv/.geojson/.shp" : "");
	}
	double t3 = ws_now_s();
	if (c.verbosity > 1)
		printf("\nTimings (s): read %.3f, reproject %.3f, snap %.3f, graph %.3f, isochrones %.3f, "
		       "service area %.3f, area share + circle %.3f, write %.3f, total %.3f\n",
		       st.time_read_s, st.time_reproject_s, st.time_snap_s, st.time_graph_s,
		       r.time_isochrones_s, r.time_union_s, r.time_share_s, t3 - t2, t3 - t0);
	if (c.verbosity > 1)
		printf("Polygons built by the general GEOS construction (degenerate input for the "
		       "exact one, docs/isochrones.md): %zu\n", r.n_general);
	(void)t1;
	ok = true;
done:
	ws_outdir_abort(&out); /* after a commit it only frees */
	if (summary)
		json_object_put(summary);
	ws_isochrone_run_finish(&r);
	ws_audit_finish(&a);
	ws_study_finish(&st);
	ws_common_finish(&c);
	return ok;
}
