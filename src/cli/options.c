/* Shared option handling. Defaults are the SPEC's: 15 min, 4.0 km/h, 300 m max snap. */
#include "options.h"

#include "report/outdir.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char ws_common_options_help[] =
	"Dataset (a folder with roads.shp, compounds.shp, centers.shp; default: the bundled sample):\n"
	"      --roads FILE          walkable lines (overrides the folder's roads.shp)\n"
	"      --compounds FILE      residential compound polygons\n"
	"      --centers FILE        service center points\n"
	"      --id-field NAME       feature id field (default: id, then osm_id, then the row number)\n"
	"      --encoding NAME       text encoding of the .dbf files (overrides .cpg; e.g. GBK)\n"
	"      --src-crs CRS         CRS of the inputs when a .prj is missing or wrong (EPSG:n, WKT)\n"
	"      --crs EPSG:n          working metric CRS (default: the WGS 84 UTM zone of the roads)\n"
	"      --max-crs-error M     refuse a datum transformation less accurate than M metres\n"
	"      --strict              refuse repaired input (NULL shapes, closed rings, MakeValid...)\n"
	"                            with exit 65 instead of repairing, counting and listing it\n"
	"Model (../SPEC: defaults follow GB 50180-2018, 15-minute life circle = 1000 m):\n"
	"      --minutes N           walking-time threshold in minutes (default 15)\n"
	"      --speed KMH           walking speed in km/h (default 4.0)\n"
	"      --max-snap M          farthest a point may be from the network, metres (default 300)\n"
	"      --exclude-highway L   comma list of non-walkable highway values (default\n"
	"                            motorway,motorway_link,construction,proposed,abandoned,razed)\n"
	"      --exclude-private     also drop access=private ways unless foot=yes/designated/permissive\n"
	"Run and output:\n"
	"      --threads N           worker threads (default: all cores; results never depend on it)\n"
	"      --out DIR             write the output folder (atomically; never inside an input folder)\n"
	"  -q, --quiet               print nothing but errors\n"
	"  -v, --verbose             also print phase timings\n"
	"  -h, --help                this help\n";

bool ws_common_init(struct ws_common *c, struct ws_error *err)
{
	memset(c, 0, sizeof *c);
	c->minutes = 15;
	c->speed_kmh = 4.0;
	c->verbosity = 1;
	c->study.max_snap_m = 300;
	c->study.max_crs_error_m = -1;
	c->study.threads = 0;
	return ws_walk_filter_init_default(&c->study.filter, err);
}

void ws_common_finish(struct ws_common *c)
{
	ws_walk_filter_finish(&c->study.filter);
}

bool ws_parse_positive(const char *flag, const char *arg, double *out, struct ws_error *err)
{
	char *end = NULL;
	errno = 0;
	double v = arg && *arg ? strtod(arg, &end) : NAN;
	if (!arg || !*arg || !end || *end || errno || !isfinite(v) || v <= 0)
		return ws_error_set(err, WS_ERR_USAGE, "%s: expected a positive number, got \"%s\"", flag,
				    arg ? arg : "");
	*out = v;
	return true;
}

bool ws_parse_int(const char *flag, const char *arg, int min, int max, int *out, struct ws_error *err)
{
	char *end = NULL;
	errno = 0;
	long v = arg && *arg ? strtol(arg, &end, 10) : LONG_MIN;
	if (!arg || !*arg || !end || *end || errno || v < min || v > max)
		return ws_error_set(err, WS_ERR_USAGE, "%s: expected a whole number from %d to %d, got \"%s\"",
				    flag, min, max, arg ? arg : "");
	*out = (int)v;
	return true;
}

bool ws_common_option(struct ws_common *c, int opt, const char *arg, struct ws_error *err)
{
	struct ws_study_options *s = &c->study;
	switch (opt) {
	case OPT_ROADS: s->roads_path = arg; return true;
	case OPT_COMPOUNDS: s->compounds_path = arg; return true;
	case OPT_CENTERS: s->centers_path = arg; return true;
	case OPT_GATES_FILE: s->gates_path = arg; return true;
	case OPT_CANDIDATES_FILE: s->candidates_path = arg; return true;
	case OPT_ZONES_FILE: s->zones_path = arg; return true;
	case OPT_MINUTES: return ws_parse_positive("--minutes", arg, &c->minutes, err);
	case OPT_SPEED: return ws_parse_positive("--speed", arg, &c->speed_kmh, err);
	case OPT_MAX_SNAP: return ws_parse_positive("--max-snap", arg, &s->max_snap_m, err);
	case OPT_CRS: s->work_crs = arg; return true;
	case OPT_SRC_CRS: s->src_crs = arg; return true;
	case OPT_THREADS: return ws_parse_int("--threads", arg, 1, 1024, &s->threads, err);
	case OPT_OUT:
		if (!*arg)
			return ws_error_set(err, WS_ERR_USAGE, "--out: empty path");
		c->out_dir = arg;
		return true;
	case OPT_QUIET: c->verbosity = 0; return true;
	case OPT_VERBOSE: c->verbosity = 2; return true;
	case OPT_ID_FIELD: s->id_field = arg; return true;
	case OPT_ENCODING: s->encoding = arg; return true;
	case OPT_EXCLUDE_HIGHWAY: return ws_walk_filter_set_excluded(&s->filter, arg, err);
	case OPT_EXCLUDE_PRIVATE: s->filter.exclude_private = true; return true;
	case OPT_MAX_CRS_ERROR: {
		double v;
		if (!strcmp(arg, "0")) {
			s->max_crs_error_m = 0;
			return true;
		}
		if (!ws_parse_positive("--max-crs-error", arg, &v, err))
			return false;
		s->max_crs_error_m = v;
		return true;
	}
	case OPT_HELP: c->help = true; return true;
	case OPT_STRICT: c->strict = true; return true;
	}
	return ws_error_set(err, WS_ERR_USAGE, "unknown option");
}

bool ws_common_positional(struct ws_common *c, int argc, char **argv, struct ws_error *err)
{
	if (optind < argc)
		c->study.dataset_dir = argv[optind++];
	if (optind < argc)
		return ws_error_set(err, WS_ERR_USAGE, "unexpected argument \"%s\"", argv[optind]);
	return true;
}

bool ws_common_check_output_path(const struct ws_common *c, const char *what, const char *path,
				 struct ws_error *err)
{
	char *paths[6] = {0}, *files[WS_MAX_INPUT_FILES] = {0};
	if (!ws_study_resolve_paths(&c->study, paths, err))
		return false;
	size_t n = ws_study_input_files(paths, files, WS_MAX_INPUT_FILES);
	bool ok = ws_outdir_check(what, path, (const char *const *)files, n, err);
	for (int i = 0; i < 6; i++)
		free(paths[i]);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	return ok;
}

bool ws_common_check_out_dir(const struct ws_common *c, struct ws_error *err)
{
	return !c->out_dir || ws_common_check_output_path(c, "output folder", c->out_dir, err);
}

const char *ws_common_dataset_label(const struct ws_common *c)
{
	if (c->study.dataset_dir)
		return c->study.dataset_dir;
	if (c->study.roads_path)
		return c->study.roads_path;
	return "the bundled sample (geodata/porto)";
}
