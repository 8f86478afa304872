/* walkshed check: the QA pre-flight. Reads the dataset exactly as audit does and reports
 * what could make an audit misleading; exits non-zero only on errors (unreadable input,
 * bad flags, or with --strict any repaired record). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/iso_options.h"
#include "cli/options.h"
#include "pipeline/check.h"
#include "pipeline/study.h"
#include "report/check_report.h"
#include "report/jsonout.h"
#include "report/outdir.h"

static const char check_usage[] =
	"Usage: walkshed check [DATASET_DIR] [options]\n"
	"\n"
	"QA pre-flight of a dataset before an audit (docs/check.md): CRS and unit of each\n"
	"layer and the datum operation used, feature counts, the walking network's connected\n"
	"components (size of each island and the compounds and centers on islands off the\n"
	"main network), snap distances (min, median, p90, max) of centers and compound access\n"
	"points, duplicate centers (same place and name), repaired geometries. Warnings do\n"
	"not change the exit status; errors in the input do (65, 66; 64 for flags).\n"
	"Model options are those of audit; --minutes, --speed and --out are accepted and unused.\n"
	"With --access gates (or boundary) the compounds' islands are those of their entrances,\n"
	"and every gate that is no entrance is named with the reason.\n"
	"\n"
	"  --json FILE          also write the findings as JSON (every list in full) to FILE,\n"
	"                       or to standard output for \"-\" (the text report is then not\n"
	"                       printed); never beside the inputs, and not at all on an error\n"
	"\n";

enum { OPT_JSON = OPT_COMMON_END + 1 };

/* --json FILE: refused before anything is read when it would land beside an input
 * (like --out); "-" is standard output. */
static bool check_json_path(const struct ws_common *c, const char *path, struct ws_error *err)
{
	if (!strcmp(path, "-"))
		return true;
	if (!*path)
		return ws_error_set(err, WS_ERR_USAGE, "--json: empty file name");
	return ws_common_check_output_path(c, "--json file", path, err);
}

bool ws_cmd_check(int argc, char **argv, struct ws_error *err)
{
	static const struct option long_options[] = {WS_COMMON_LONG_OPTIONS, WS_ACCESS_LONG_OPTIONS,
						     {"json", required_argument, NULL, OPT_JSON},
						     {0, 0, 0, 0}};
	struct ws_common c;
	struct ws_iso_cli ic;
	struct ws_study st = {0};
	struct ws_check chk = {0};
	struct json_object *doc = NULL;
	struct ws_outfile json_file = {0};
	const char *json_path = NULL;
	bool ok = false;
	if (!ws_common_init(&c, err))
		return false;
	ws_iso_cli_init(&ic, &c);
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
		int id = opt == 'q' ? OPT_QUIET : opt == 'v' ? OPT_VERBOSE : opt == 'h' ? OPT_HELP : opt;
		if (id == '?') {
			ws_error_set(err, WS_ERR_USAGE, "see 'walkshed check --help'");
			goto done;
		}
		if (id == OPT_JSON) {
			json_path = optarg;
			continue;
		}
		if (id == OPT_ACCESS || id == OPT_GATE_DISTANCE) {
			if (!ws_iso_cli_option(&ic, &c, id, optarg, err))
				goto done;
		} else if (!ws_common_option(&c, id, optarg, err)) {
			goto done;
		}
	}
	if (c.help) {
		fputs(check_usage, stdout);
		fputs(ws_access_options_help, stdout);
		fputs(ws_common_options_help, stdout);
		ok = true;
		goto done;
	}
	if (!ws_common_positional(&c, argc, argv, err) || !ws_iso_cli_check(&ic, &c, err) ||
	    (json_path && !check_json_path(&c, json_path, err)) || !ws_study_load(&st, &c.study, err) ||
	    !ws_check_run(&chk, &st, c.study.src_crs, err))
		goto done;
	bool json_to_stdout = json_path && !strcmp(json_path, "-");
	if (c.verbosity > 0 && !json_to_stdout)
		ws_check_print(stdout, &chk, ws_common_dataset_label(&c), c.study.max_snap_m);
	if (c.strict && !ws_repairs_refuse(&chk.repairs, err))
		goto done;
	if (json_path) {
		if (!(doc = ws_check_json(&chk, ws_common_dataset_label(&c), c.study.max_snap_m))) {
			ws_error_nomem(err);
			goto done;
		}
		if (json_to_stdout ? !ws_json_write_stream(stdout, "standard output", doc, err)
				   : !ws_outfile_begin(&json_file, json_path, err) ||
					     !ws_json_write_stream(json_file.fp, json_path, doc, err) ||
					     !ws_outfile_commit(&json_file, err))
			goto done;
	}
	ok = true;
done:
	ws_outfile_abort(&json_file);
	json_object_put(doc);
	ws_check_finish(&chk);
	ws_study_finish(&st);
	ws_common_finish(&c);
	return ok;
}
