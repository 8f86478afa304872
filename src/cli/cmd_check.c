/* walkshed check: the QA pre-flight. Reads the dataset exactly as audit does and reports
 * what could make an audit misleading; exits non-zero only on errors (unreadable input,
 * bad flags, or with --strict any repaired record). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "pipeline/check.h"
#include "pipeline/study.h"
#include "report/check_report.h"

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
	"\n";

bool ws_cmd_check(int argc, char **argv, struct ws_error *err)
{
	static const struct option long_options[] = {WS_COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
	struct ws_common c;
	struct ws_study st = {0};
	struct ws_check chk = {0};
	bool ok = false;
	if (!ws_common_init(&c, err))
		return false;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
		int id = opt == 'q' ? OPT_QUIET : opt == 'v' ? OPT_VERBOSE : opt == 'h' ? OPT_HELP : opt;
		if (id == '?') {
			ws_error_set(err, WS_ERR_USAGE, "see 'walkshed check --help'");
			goto done;
		}
		if (!ws_common_option(&c, id, optarg, err))
			goto done;
	}
	if (c.help) {
		fputs(check_usage, stdout);
		fputs(ws_common_options_help, stdout);
		ok = true;
		goto done;
	}
	if (!ws_common_positional(&c, argc, argv, err) || !ws_study_load(&st, &c.study, err) ||
	    !ws_check_run(&chk, &st, c.study.src_crs, err))
		goto done;
	if (c.verbosity > 0)
		ws_check_print(stdout, &chk, ws_common_dataset_label(&c), c.study.max_snap_m);
	if (c.strict && !ws_repairs_refuse(&chk.repairs, err))
		goto done;
	ok = true;
done:
	ws_check_finish(&chk);
	ws_study_finish(&st);
	ws_common_finish(&c);
	return ok;
}
