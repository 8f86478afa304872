/* report.html: one self-contained page (no network fetch) with an interactive Leaflet map
 * of the report layers, the headline figures, the worst-served compounds, the optional
 * sections of struct ws_report_input, and a footer that makes the page reproducible.
 * Leaflet (Debian libjs-leaflet) is read from `leaflet_dir` and inlined with its licence. */
#ifndef WS_REPORT_HTML_H
#define WS_REPORT_HTML_H

#include <stdbool.h>

#include "report/report_input.h"
#include "report/strbuf.h"
#include "util/error.h"

/* Builds the page into `out` (initialised by the caller, who finishes it). leaflet_dir
 * NULL: the build's default (meson option leaflet_dir, /usr/share/javascript/leaflet). A
 * missing Leaflet is WS_ERR_NOINPUT naming the file and the Debian package. */
bool ws_report_html_build(struct ws_strbuf *out, const struct ws_report_input *in,
			  const char *leaflet_dir, struct ws_error *err);
/* Builds and writes the page to `path`. */
bool ws_report_write_html(const char *path, const struct ws_report_input *in,
			  const char *leaflet_dir, struct ws_error *err);

#endif
