/* walkshed: the command-line entry. The only place that prints errors and chooses the
 * exit status (sysexits, see util/error.c). */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "report/outdir.h"
#include "util/error.h"
#include "ws_config.h"

static const char usage[] =
	"Usage: walkshed COMMAND [DATASET_DIR] [options]\n"
	"\n"
	"Which residential compounds are truly within a 15-minute walk of a service center,\n"
	"by the walking network rather than by a circle on a map.\n"
	"\n"
	"Commands:\n"
	"  audit        coverage of every compound: reach time, nearest center, redundancy\n"
	"  site         best new sites for the compounds not covered today (with an exact check)\n"
	"  scenario     close centers / add sites: what changes, compound by compound\n"

	"  check        QA pre-flight of a dataset: CRS, islands, snap distances, duplicates, repairs\n"

	"  isochrones   walking-area polygons of every center from the reached network\n"
	"\n"
	"  walkshed COMMAND --help   options of a command\n"
	"  walkshed --version        version\n"
	"\n"
	"Without DATASET_DIR the bundled sample (geodata/porto, (c) OpenStreetMap\n"
	"contributors, ODbL) is used.\n";

struct command {
	const char *name;
	bool (*run)(int argc, char **argv, struct ws_error *err);
};

static const struct command commands[] = {
	{"audit", ws_cmd_audit},
	{"site", ws_cmd_site},
	{"scenario", ws_cmd_scenario},

	{"check", ws_cmd_check},

	{"isochrones", ws_cmd_isochrones},
};

int main(int argc, char **argv)
{
	/* wcwidth for CJK names needs a UTF-8 character type; the C locale keeps numbers plain */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 64 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("walkshed %s\n", WS_VERSION);
		return 0;
	}
	ws_outdir_install_signal_cleanup();
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		struct ws_error err = {0};
		if (commands[i].run(argc - 1, argv + 1, &err))
			return 0;
		fprintf(stderr, "walkshed %s: error: %s\n", argv[1], err.msg);
		return ws_error_exit_status(err.code);
	}
	fprintf(stderr, "walkshed: unknown command \"%s\"\n%s", argv[1], usage);
	return 64;
}
