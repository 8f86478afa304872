/* --report / --tiles. A tile URL is only passed to Leaflet (never fetched by walkshed). */
#include "cli/report_options.h"

#include <string.h>

const char ws_report_options_help[] =
	"Report:\n"
	"      --report              also write report.html (one self-contained page: map, headline\n"
	"                            figures, worst-served compounds, parameters; opens offline)\n"
	"                            and map.png (static map with legend and scale bar); needs --out\n"
	"      --tiles URL           add a basemap tile layer to report.html, e.g.\n"
	"                            https://tile.openstreetmap.org/{z}/{x}/{y}.png (the page then\n"
	"                            loads tiles from the network)\n";

bool ws_report_option(struct ws_report_options *r, int opt, const char *arg, bool *handled,
		      struct ws_error *err)
{
	*handled = true;
	switch (opt) {
	case OPT_REPORT:
		r->report = true;
		return true;
	case OPT_TILES:
		if (!arg || (strncmp(arg, "https://", 8) && strncmp(arg, "http://", 7)) ||
		    !strstr(arg, "{z}") || !strstr(arg, "{x}") || !strstr(arg, "{y}"))
			return ws_error_set(err, WS_ERR_USAGE,
					    "--tiles: expected an http(s) URL template with {z}, {x} and {y}, got \"%s\"",
					    arg ? arg : "");
		r->tiles_url = arg;
		return true;
	default:
		*handled = false;
		return true;
	}
}

bool ws_report_options_check(const struct ws_report_options *r, const char *out_dir,
			     struct ws_error *err)
{
	if (r->tiles_url && !r->report)
		return ws_error_set(err, WS_ERR_USAGE, "--tiles only applies with --report");
	if (r->report && !out_dir)
		return ws_error_set(err, WS_ERR_USAGE, "--report writes report.html into the output folder: give --out DIR");
	return true;
}
