/* Options of the audit's breakdown (levels, services, weights, zones, sensitivity), and
 * --speed / --minutes as comma lists. Parsed with getopt_long next to the shared ones. */
#ifndef WS_BREAKDOWN_OPTIONS_H
#define WS_BREAKDOWN_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "cli/options.h"
#include "pipeline/breakdown.h"
#include "util/error.h"

enum ws_breakdown_opt {
	OPT_LEVELS = 1500, OPT_LEVEL_FIELD, OPT_LEVEL_MINUTES, OPT_TIERS, OPT_SERVICES_FIELD,
	OPT_CATALOGUE, OPT_REQUIRE, OPT_REQUIRE_FILE, OPT_WEIGHT, OPT_ZONES, OPT_ZONE_LEVEL
};

#define WS_BREAKDOWN_LONG_OPTIONS \
	{"levels", required_argument, NULL, OPT_LEVELS}, \
	{"level-field", required_argument, NULL, OPT_LEVEL_FIELD}, \
	{"level-minutes", required_argument, NULL, OPT_LEVEL_MINUTES}, \
	{"tiers", required_argument, NULL, OPT_TIERS}, \
	{"services-field", required_argument, NULL, OPT_SERVICES_FIELD}, \
	{"catalogue", required_argument, NULL, OPT_CATALOGUE}, \
	{"require", required_argument, NULL, OPT_REQUIRE}, \
	{"require-file", required_argument, NULL, OPT_REQUIRE_FILE}, \
	{"weight", required_argument, NULL, OPT_WEIGHT}, \
	{"zones", no_argument, NULL, OPT_ZONES}, \
	{"zone-level", required_argument, NULL, OPT_ZONE_LEVEL}

extern const char ws_breakdown_options_help[];

struct ws_breakdown_cli {
	struct ws_breakdown_options o;
	const char *levels, *level_minutes, *tiers;   /* applied in that order at the end */
	char **require_list;                          /* owned */
	size_t n_require_list;
};

bool ws_breakdown_cli_init(struct ws_breakdown_cli *b, struct ws_error *err);
void ws_breakdown_cli_finish(struct ws_breakdown_cli *b);
/* Handles opt if it is a breakdown option or --speed/--minutes (setting c's values to
 * the first of the list); *handled false otherwise. */
bool ws_breakdown_cli_option(struct ws_breakdown_cli *b, struct ws_common *c, int opt, const char *arg,
			     bool *handled, struct ws_error *err);
/* After all options: applies --levels, --tiers, --level-minutes; checks combinations. */
bool ws_breakdown_cli_finalize(struct ws_breakdown_cli *b, struct ws_common *c, struct ws_error *err);

#endif
