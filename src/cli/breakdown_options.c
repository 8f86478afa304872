/* Breakdown options. --tiers is applied before --level-minutes whatever the order on the
 * command line, so explicit per-level minutes always override the preset. */
#include "breakdown_options.h"

#include <stdlib.h>
#include <string.h>

#include "io/catalogue.h"

const char ws_breakdown_options_help[] =
	"Levels, services, population, zones (docs/hierarchy.md):\n"
	"      --levels L1,L2,...    center level names, highest first\n"
	"                            (default district,subdistrict,community,building)\n"
	"      --level-field NAME    centers field holding the level (default level); when\n"
	"                            the centers have levels, levels.csv is written\n"
	"      --level-minutes L=M,...  per-level thresholds, e.g. community=15,building=10\n"
	"      --tiers gb50180       GB 50180-2018 preset: levels 1-2 15 min, level 3 10 min,\n"
	"                            levels 4+ 5 min (only sets thresholds; --level-minutes wins)\n"
	"      --services-field NAME centers field listing services (separators ; , |)\n"
	"      --catalogue FILE      CSV with columns center_id,service (instead of a field)\n"
	"      --require S1,S2,...   services every compound must reach (default: all)\n"
	"      --require-file FILE   the same, one per line (# comments)\n"
	"      --weight FIELD        compounds field with households or residents\n"
	"      --zones               per-zone table from the dataset's zones.shp (or --zones-file)\n"
	"      --zone-level N        keep only zones whose admin_lvl is N\n"
	"Sensitivity: --speed and --minutes take comma lists (e.g. --speed 3.2,4.0,5.1\n"
	"      --minutes 5,10,15); every combination is computed in one pass and the\n"
	"      compounds that change status are listed (sensitivity.csv). The first values\n"
	"      are the audit's own.\n";

bool ws_breakdown_cli_init(struct ws_breakdown_cli *b, struct ws_error *err)
{
	memset(b, 0, sizeof *b);
	b->o.level_field = "level";
	return ws_levels_init_default(&b->o.levels, err);
}

void ws_breakdown_cli_finish(struct ws_breakdown_cli *b)
{
	ws_levels_finish(&b->o.levels);
	for (size_t i = 0; i < b->n_require_list; i++)
		free(b->require_list[i]);
	free(b->require_list);
	memset(b, 0, sizeof *b);
}

static bool parse_list(const char *flag, const char *arg, double *values, size_t *n, struct ws_error *err)
{
	char *copy = strdup(arg);
	if (!copy)
		return ws_error_nomem(err);
	bool ok = true;
	*n = 0;
	char *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); ok && item; item = strtok_r(NULL, ",", &save)) {
		if (*n == WS_SENS_MAX) {
			ok = ws_error_set(err, WS_ERR_USAGE, "%s: at most %d values", flag, WS_SENS_MAX);
			break;
		}
		ok = ws_parse_positive(flag, item, &values[(*n)++], err);
	}
	if (ok && *n == 0)
		ok = ws_error_set(err, WS_ERR_USAGE, "%s: expected a number or a comma list", flag);
	for (size_t i = 0; ok && i < *n; i++)
		for (size_t j = 0; j < i; j++)
			if (values[i] == values[j]) {
				ok = ws_error_set(err, WS_ERR_USAGE, "%s: %g given twice", flag, values[i]);
				break;
			}
	free(copy);
	return ok;
}

bool ws_breakdown_cli_option(struct ws_breakdown_cli *b, struct ws_common *c, int opt, const char *arg,
			     bool *handled, struct ws_error *err)
{
	struct ws_breakdown_options *o = &b->o;
	*handled = true;
	switch (opt) {
	case OPT_SPEED:
		if (!parse_list("--speed", arg, o->speeds, &o->n_speeds, err))
			return false;
		c->speed_kmh = o->speeds[0];
		return true;
	case OPT_MINUTES:
		if (!parse_list("--minutes", arg, o->minutes, &o->n_minutes, err))
			return false;
		c->minutes = o->minutes[0];
		return true;
	case OPT_LEVELS: b->levels = arg; o->levels_asked = true; return true;
	case OPT_LEVEL_FIELD: o->level_field = arg; o->levels_asked = true; return true;
	case OPT_LEVEL_MINUTES: b->level_minutes = arg; o->levels_asked = true; return true;
	case OPT_TIERS: b->tiers = arg; o->levels_asked = true; return true;
	case OPT_SERVICES_FIELD: o->services_field = arg; return true;
	case OPT_CATALOGUE: o->catalogue_path = arg; return true;
	case OPT_REQUIRE: return ws_services_split(arg, &b->require_list, &b->n_require_list, err);
	case OPT_REQUIRE_FILE: return ws_requirements_read(arg, &b->require_list, &b->n_require_list, err);
	case OPT_WEIGHT: o->weight_field = arg; return true;
	case OPT_ZONES: o->zones = true; c->study.use_zones = true; return true;
	case OPT_ZONE_LEVEL: o->zone_level = arg; o->zones = true; c->study.use_zones = true; return true;
	}
	*handled = false;
	return true;
}

bool ws_breakdown_cli_finalize(struct ws_breakdown_cli *b, struct ws_common *c, struct ws_error *err)
{
	struct ws_breakdown_options *o = &b->o;
	if (b->levels && !ws_levels_set_names(&o->levels, b->levels, err))
		return false;
	if (b->tiers && !ws_levels_apply_tiers(&o->levels, b->tiers, err))
		return false;
	if (b->level_minutes && !ws_levels_set_minutes(&o->levels, b->level_minutes, err))
		return false;
	if (o->services_field && o->catalogue_path)
		return ws_error_set(err, WS_ERR_USAGE, "give --services-field or --catalogue, not both");
	/* required services: the order given, duplicates dropped */
	size_t n = 0;
	for (size_t i = 0; i < b->n_require_list; i++) {
		bool dup = false;
		for (size_t j = 0; j < n && !dup; j++)
			dup = !strcmp(b->require_list[j], b->require_list[i]);
		if (dup) {
			free(b->require_list[i]);
			continue;
		}
		b->require_list[n++] = b->require_list[i];
	}
	b->n_require_list = n;
	o->require = b->require_list;
	o->n_require = n;
	if (c->study.zones_path)
		o->zones = true;
	return true;
}
