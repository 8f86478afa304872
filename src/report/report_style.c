/* The report's visual vocabulary, shared by the HTML page and map.png so both read the
 * same: reach bands by thirds of the threshold (0-5, 5-10, 10-15, > 15 min by default),
 * a diverging green-to-red scale, grey for compounds no center can reach. */
#include "report/report_input.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int ws_report_band(const struct ws_report_input *in, const struct ws_report_compound *c)
{
	if (!c->snapped || !isfinite(c->reach_min))
		return WS_REPORT_BAND_GREY;
	if (!c->covered)
		return 3;
	if (c->reach_min <= in->minutes / 3)
		return 0;
	if (c->reach_min <= in->minutes * 2 / 3)
		return 1;
	return 2;
}

const char *ws_report_band_color(int band)
{
	static const char *const color[WS_REPORT_BANDS] = {"#1a9850", "#a6d96a", "#fdae61", "#d73027",
							   "#b0b0b0"};
	return band >= 0 && band < WS_REPORT_BANDS ? color[band] : color[WS_REPORT_BAND_GREY];
}

/* A band edge for a label: whole minutes as such, else one decimal (5 min: 1.7, 3.3). */
static void edge(char *buf, size_t size, double v)
{
	if (v == floor(v))
		snprintf(buf, size, "%g", v);
	else
		snprintf(buf, size, "%.1f", v);
}

void ws_report_band_label(const struct ws_report_input *in, int band, char *buf, size_t size)
{
	double t = in->minutes;
	char a[32], b[32];
	edge(a, sizeof a, band == 2 ? t * 2 / 3 : t / 3);
	edge(b, sizeof b, band == 0 ? t / 3 : band == 1 ? t * 2 / 3 : t);
	switch (band) {
	case 0: snprintf(buf, size, "0-%s min", b); break;
	case 1: snprintf(buf, size, "%s-%s min", a, b); break;
	case 2: snprintf(buf, size, "%s-%s min", a, b); break;
	case 3: snprintf(buf, size, "> %s min", b); break;
	default: snprintf(buf, size, "unsnapped / unreachable"); break;
	}
}

const char *ws_report_level_color(const char *level)
{
	static const struct { const char *level, *color; } levels[] = {
		{"district", "#7b3294"}, {"subdistrict", "#c2a5cf"}, {"community", "#2166ac"},
		{"building", "#4d4d4d"},
	};
	for (size_t i = 0; level && i < sizeof levels / sizeof levels[0]; i++)
		if (!strcmp(level, levels[i].level))
			return levels[i].color;
	return "#35978f";
}
