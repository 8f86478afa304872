/* report.html + map.png into the output folder. */
#include "report/report_files.h"

#include <stdlib.h>

#include "report/report_html.h"
#include "report/report_png.h"

bool ws_report_write_outputs(const struct ws_outdir *out, const struct ws_report_input *in,
			     bool *wrote_png, struct ws_error *err)
{
	*wrote_png = false;
	char *path = ws_outdir_path(out, "report.html");
	bool ok = path ? ws_report_write_html(path, in, NULL, err) : ws_error_nomem(err);
	free(path);
	if (ok && ws_report_png_available()) {
		path = ws_outdir_path(out, "map.png");
		ok = path ? ws_report_write_png(path, in, WS_REPORT_PNG_WIDTH, WS_REPORT_PNG_HEIGHT, err)
			  : ws_error_nomem(err);
		free(path);
		*wrote_png = ok;
	}
	return ok;
}
