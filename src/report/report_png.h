/* map.png: the report's map as a static picture for documents (cairo): the same layers and
 * colours as report.html, with a legend, a scale bar, a north arrow and the OpenStreetMap
 * attribution. Web Mercator like the page; text through fontconfig with a CJK-capable
 * face ("Noto Sans CJK SC", Debian fonts-noto-cjk) so Chinese names render. */
#ifndef WS_REPORT_PNG_H
#define WS_REPORT_PNG_H

#include <stdbool.h>

#include "report/report_input.h"
#include "util/error.h"

#define WS_REPORT_PNG_WIDTH 1600
#define WS_REPORT_PNG_HEIGHT 1200

/* Whether this build has cairo (meson feature `cairo`); without it map.png is skipped. */
bool ws_report_png_available(void);
/* Draws the map of `in` into a width x height PNG at `path`. */
bool ws_report_write_png(const char *path, const struct ws_report_input *in, int width, int height,
			 struct ws_error *err);

#endif
