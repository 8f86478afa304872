/* Options of the isochrone stage and of the access modes, shared by `walkshed
 * isochrones` and `walkshed audit`: --access, --gate-distance, --bands, --walk-off,
 * --min-share (and --isochrones for the audit). Parsed with getopt_long next to the
 * common options (ids from 3000 up, clear of those). */
#ifndef WS_ISO_OPTIONS_H
#define WS_ISO_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "cli/options.h"
#include "pipeline/isochrones.h"
#include "util/error.h"

enum ws_iso_opt {
	OPT_ACCESS = 3000, OPT_GATE_DISTANCE, OPT_BANDS, OPT_WALK_OFF, OPT_MIN_SHARE, OPT_ISOCHRONES
};

#define WS_ACCESS_LONG_OPTIONS \
	{"access", required_argument, NULL, OPT_ACCESS}, \
	{"gate-distance", required_argument, NULL, OPT_GATE_DISTANCE}

#define WS_ISO_LONG_OPTIONS \
	{"bands", required_argument, NULL, OPT_BANDS}, \
	{"walk-off", required_argument, NULL, OPT_WALK_OFF}, \
	{"min-share", required_argument, NULL, OPT_MIN_SHARE}

extern const char ws_access_options_help[];
extern const char ws_iso_options_help[];

struct ws_iso_cli {
	const char *bands;        /* NULL: the threshold only */
	double walk_off_m;
	double min_share;         /* 0: not used */
	bool isochrones;          /* audit --isochrones */
};

void ws_iso_cli_init(struct ws_iso_cli *o, struct ws_common *c);
/* Handles one option of this file: true when handled (false with err set on a bad value;
 * false without err when the option is not one of these). */
bool ws_iso_cli_option(struct ws_iso_cli *o, struct ws_common *c, int opt, const char *arg,
		       struct ws_error *err);
/* After parsing: --gates-file needs --access gates (SPEC 1). */
bool ws_iso_cli_check(const struct ws_iso_cli *o, const struct ws_common *c, struct ws_error *err);
/* The stage parameters from the options. */
bool ws_iso_cli_params(const struct ws_iso_cli *o, const struct ws_common *c,
		       struct ws_isochrone_run_params *p, struct ws_error *err);

#endif
