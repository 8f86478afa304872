/* Isochrone and access options. Defaults: --access point (SPEC 5), --gate-distance 30 m,
 * --walk-off 50 m, bands = the threshold only. */
#include "iso_options.h"

#include <string.h>

const char ws_access_options_help[] =
	"Compound entrances (docs/isochrones.md):\n"
	"      --access MODE         point (default: one point on each compound's surface),\n"
	"                            gates (the dataset's gates.shp; compounds without a gate use\n"
	"                            their point), boundary (every network node inside a compound or\n"
	"                            within the gate distance of it)\n"
	"      --gate-distance M     a gate belongs to a compound that contains it or whose boundary\n"
	"                            is within M metres (default 30); a gate's `compound` field naming\n"
	"                            a compound id overrides; containing first, then nearest boundary,\n"
	"                            then lower FID\n"
	"      --gates-file FILE     gate points (overrides the folder's gates.shp; needs --access gates)\n";

const char ws_iso_options_help[] =
	"Isochrones (docs/isochrones.md):\n"
	"      --bands LIST          walking minutes, e.g. 5,10,15 (the threshold --minutes is always\n"
	"                            one of them; default: the threshold only)\n"
	"      --walk-off M          how far from a reached street the walking area extends, metres\n"
	"                            (default 50)\n"
	"      --min-share S         alternative coverage rule: a compound is covered when a share of\n"
	"                            at least S (0-1] of its area lies inside the union isochrone at\n"
	"                            the threshold\n";

void ws_iso_cli_init(struct ws_iso_cli *o, struct ws_common *c)
{
	memset(o, 0, sizeof *o);
	o->walk_off_m = WS_WALK_OFF_DEFAULT_M;
	c->study.access = WS_ACCESS_POINT;
	c->study.gate_distance_m = WS_GATE_DISTANCE_DEFAULT_M;
}

bool ws_iso_cli_option(struct ws_iso_cli *o, struct ws_common *c, int opt, const char *arg,
		       struct ws_error *err)
{
	switch (opt) {
	case OPT_ACCESS:
		if (!strcmp(arg, "point"))
			c->study.access = WS_ACCESS_POINT;
		else if (!strcmp(arg, "gates"))
			c->study.access = WS_ACCESS_GATES;
		else if (!strcmp(arg, "boundary"))
			c->study.access = WS_ACCESS_BOUNDARY;
		else
			return ws_error_set(err, WS_ERR_USAGE, "--access: expected point, gates or boundary, got \"%s\"", arg);
		c->study.use_gates = c->study.access == WS_ACCESS_GATES;
		return true;
	case OPT_GATE_DISTANCE:
		return ws_parse_positive("--gate-distance", arg, &c->study.gate_distance_m, err);
	case OPT_BANDS:
		o->bands = arg;
		return true;
	case OPT_WALK_OFF:
		return ws_parse_positive("--walk-off", arg, &o->walk_off_m, err);
	case OPT_MIN_SHARE:
		if (!ws_parse_positive("--min-share", arg, &o->min_share, err))
			return false;
		if (o->min_share > 1)
			return ws_error_set(err, WS_ERR_USAGE, "--min-share: expected a share in (0, 1], got \"%s\"", arg);
		return true;
	case OPT_ISOCHRONES:
		o->isochrones = true;
		return true;
	}
	return false;
}

bool ws_iso_cli_check(const struct ws_iso_cli *o, const struct ws_common *c, struct ws_error *err)
{
	(void)o;
	if (c->study.gates_path && c->study.access != WS_ACCESS_GATES)
		return ws_error_set(err, WS_ERR_USAGE,
				    "--gates-file is used only with --access gates (an input never changes an audit silently)");
	return true;
}

bool ws_iso_cli_params(const struct ws_iso_cli *o, const struct ws_common *c,
		       struct ws_isochrone_run_params *p, struct ws_error *err)
{
	memset(p, 0, sizeof *p);
	p->minutes = c->minutes;
	p->speed_kmh = c->speed_kmh;
	p->walk_off_m = o->walk_off_m;
	p->threads = c->study.threads;
	return ws_isochrone_parse_bands(p, o->bands, err);
}
