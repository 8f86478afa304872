/* Command-line options shared by every command (dataset, model parameters, output),
 * parsed with getopt_long. Values are checked here: a bad flag value is a usage error
 * (exit 64) that names the flag. */
#ifndef WS_OPTIONS_H
#define WS_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/study.h"
#include "util/error.h"

enum ws_common_opt {
	OPT_ROADS = 1000, OPT_COMPOUNDS, OPT_CENTERS, OPT_GATES_FILE, OPT_CANDIDATES_FILE,
	OPT_ZONES_FILE, OPT_MINUTES, OPT_SPEED, OPT_MAX_SNAP, OPT_CRS, OPT_SRC_CRS, OPT_THREADS,
	OPT_OUT, OPT_QUIET, OPT_VERBOSE, OPT_ID_FIELD, OPT_ENCODING, OPT_EXCLUDE_HIGHWAY,
	OPT_EXCLUDE_PRIVATE, OPT_MAX_CRS_ERROR, OPT_HELP,
	OPT_STRICT,
	OPT_COMMON_END
};

#define WS_COMMON_LONG_OPTIONS \
	{"roads", required_argument, NULL, OPT_ROADS}, \
	{"compounds", required_argument, NULL, OPT_COMPOUNDS}, \
	{"centers", required_argument, NULL, OPT_CENTERS}, \
	{"gates-file", required_argument, NULL, OPT_GATES_FILE}, \
	{"candidates-file", required_argument, NULL, OPT_CANDIDATES_FILE}, \
	{"zones-file", required_argument, NULL, OPT_ZONES_FILE}, \
	{"minutes", required_argument, NULL, OPT_MINUTES}, \
	{"speed", required_argument, NULL, OPT_SPEED}, \
	{"max-snap", required_argument, NULL, OPT_MAX_SNAP}, \
	{"crs", required_argument, NULL, OPT_CRS}, \
	{"src-crs", required_argument, NULL, OPT_SRC_CRS}, \
	{"threads", required_argument, NULL, OPT_THREADS}, \
	{"out", required_argument, NULL, OPT_OUT}, \
	{"quiet", no_argument, NULL, OPT_QUIET}, \
	{"verbose", no_argument, NULL, OPT_VERBOSE}, \
	{"id-field", required_argument, NULL, OPT_ID_FIELD}, \
	{"encoding", required_argument, NULL, OPT_ENCODING}, \
	{"exclude-highway", required_argument, NULL, OPT_EXCLUDE_HIGHWAY}, \
	{"exclude-private", no_argument, NULL, OPT_EXCLUDE_PRIVATE}, \
	{"max-crs-error", required_argument, NULL, OPT_MAX_CRS_ERROR}, \
	{"help", no_argument, NULL, OPT_HELP}, \
	{"strict", no_argument, NULL, OPT_STRICT}

/* The help text of the shared options. */
extern const char ws_common_options_help[];

struct ws_common {
	struct ws_study_options study;
	double minutes, speed_kmh;
	const char *out_dir;
	int verbosity;            /* 0 quiet, 1 normal, 2 verbose */
	bool help;
	bool strict;              /* --strict: any repair of the input is an error (exit 65) */
};

bool ws_common_init(struct ws_common *c, struct ws_error *err);
void ws_common_finish(struct ws_common *c);
/* Handles one shared option; false with a usage error on a bad value. */
bool ws_common_option(struct ws_common *c, int opt, const char *arg, struct ws_error *err);
/* After getopt: the optional positional DATASET_DIR; more is a usage error. */
bool ws_common_positional(struct ws_common *c, int argc, char **argv, struct ws_error *err);

/* Refuses an output path (`what` names it in messages: "output folder", "--json file")
 * that is or overlaps an input file's folder, before anything is read. */
bool ws_common_check_output_path(const struct ws_common *c, const char *what, const char *path,
				 struct ws_error *err);
/* The same for --out (true when there is none). */
bool ws_common_check_out_dir(const struct ws_common *c, struct ws_error *err);
/* What the dataset is called in summaries: the folder, the roads file, or the sample. */
const char *ws_common_dataset_label(const struct ws_common *c);

/* Strict number parsing: the whole argument, finite, > min_exclusive. */
bool ws_parse_positive(const char *flag, const char *arg, double *out, struct ws_error *err);
bool ws_parse_int(const char *flag, const char *arg, int min, int max, int *out, struct ws_error *err);

#endif
