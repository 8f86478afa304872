/* map.png with cairo. The view fits the compounds and centers (plus chosen sites) in Web
 * Mercator; the scale bar uses the Mercator scale factor at the view's centre latitude
 * (ground metres = Mercator metres * cos(latitude)), exact to well under 1 % across a
 * city. Drawing order: roads, compounds, isochrone outline, centers, sites, labels, frame
 * furniture. */
#include "report/report_png.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ws_config.h"

#if WS_HAVE_CAIRO
#include <cairo.h>
#if WS_HAVE_FONTCONFIG
#include <fontconfig/fontconfig.h>
#endif

#define EARTH_R 6378137.0
#define FONT "Noto Sans CJK SC"

struct view {
	double x0, y1;     /* Mercator metres of the top-left pixel */
	double px_per_m;   /* pixels per Mercator metre */
	double ground;     /* ground metres per Mercator metre at the centre latitude */
};

static void mercator(const double *lonlat, double *x, double *y)
{
	double lat = lonlat[1];
	lat = lat > 85 ? 85 : lat < -85 ? -85 : lat;
	*x = EARTH_R * lonlat[0] * M_PI / 180;
	*y = EARTH_R * log(tan(M_PI / 4 + lat * M_PI / 360));
}

static void to_px(const struct view *v, const double *lonlat, double *px, double *py)
{
	double x, y;
	mercator(lonlat, &x, &y);
	*px = (x - v->x0) * v->px_per_m;
	*py = (v->y1 - y) * v->px_per_m;
}

static void color(cairo_t *cr, const char *hex, double alpha)
{
	unsigned r = 0, g = 0, b = 0;
	if (hex && sscanf(hex, "#%02x%02x%02x", &r, &g, &b) != 3)
		r = g = b = 0;
	cairo_set_source_rgba(cr, r / 255.0, g / 255.0, b / 255.0, alpha);
}

static void extend(double *bb, const struct ws_shapes *s)
{
	for (size_t i = 0; s && i < s->n_points; i++) {
		double x, y;
		mercator(s->xy + 2 * i, &x, &y);
		bb[0] = fmin(bb[0], x);
		bb[1] = fmin(bb[1], y);
		bb[2] = fmax(bb[2], x);
		bb[3] = fmax(bb[3], y);
	}
}

static void make_view(struct view *v, const struct ws_report_input *in, int w, int h)
{
	double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	extend(bb, in->compound_shapes);
	extend(bb, in->center_shapes);
	extend(bb, in->site_shapes);
	if (!(bb[0] <= bb[2])) {
		bb[0] = bb[1] = -1000;
		bb[2] = bb[3] = 1000;
	}
	double margin = 40, bw = fmax(bb[2] - bb[0], 50), bh = fmax(bb[3] - bb[1], 50);
	v->px_per_m = fmin((w - 2 * margin) / bw, (h - 2 * margin) / bh);
	double cx = (bb[0] + bb[2]) / 2, cy = (bb[1] + bb[3]) / 2;
	v->x0 = cx - w / 2.0 / v->px_per_m;
	v->y1 = cy + h / 2.0 / v->px_per_m;
	double lat = 2 * atan(exp(cy / EARTH_R)) - M_PI / 2;
	v->ground = cos(lat);
}

static void path_part(cairo_t *cr, const struct view *v, const struct ws_shapes *s, size_t p)
{
	for (size_t k = s->part_first_point[p]; k < s->part_first_point[p + 1]; k++) {
		double x, y;
		to_px(v, s->xy + 2 * k, &x, &y);
		if (k == s->part_first_point[p])
			cairo_move_to(cr, x, y);
		else
			cairo_line_to(cr, x, y);
	}
}

static void path_feature(cairo_t *cr, const struct view *v, const struct ws_shapes *s, size_t f,
			 bool close)
{
	for (size_t p = s->feature_first_part[f]; p < s->feature_first_part[f + 1]; p++) {
		path_part(cr, v, s, p);
		if (close)
			cairo_close_path(cr);
	}
}

static void draw_points(cairo_t *cr, const struct view *v, const struct ws_report_center *pts,
			size_t n, const struct ws_shapes *s, bool site)
{
	for (size_t i = 0; s && i < n; i++) {
		if (ws_shapes_feature_parts(s, i) == 0)
			continue;
		double x, y;
		to_px(v, s->xy + 2 * s->part_first_point[s->feature_first_part[i]], &x, &y);
		bool hl = site || pts[i].highlight;
		cairo_new_path(cr);
		if (!hl && pts[i].closed) {
			cairo_arc(cr, x, y, 6, 0, 2 * M_PI);
			color(cr, "#ffffff", 1);
			cairo_fill_preserve(cr);
			cairo_set_line_width(cr, 3);
			color(cr, "#b2182b", 1);
			cairo_stroke(cr);
			continue;
		}
		cairo_arc(cr, x, y, hl ? 8 : 5, 0, 2 * M_PI);
		color(cr, site ? "#ffd700" : ws_report_level_color(pts[i].level), 1);
		cairo_fill_preserve(cr);
		cairo_set_line_width(cr, hl ? 3 : 1.5);
		color(cr, hl ? "#000000" : "#ffffff", 1);
		cairo_stroke(cr);
	}
}

/* Text with a white halo so it reads over the map. */
static void halo_text(cairo_t *cr, double x, double y, const char *text)
{
	cairo_new_path(cr);
	cairo_move_to(cr, x, y);
	cairo_text_path(cr, text);
	cairo_set_line_width(cr, 3.5);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
	cairo_stroke_preserve(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_fill(cr);
}

static void box(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_new_path(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
	cairo_fill_preserve(cr);
	cairo_set_source_rgba(cr, 0, 0, 0, 0.35);
	cairo_set_line_width(cr, 1);
	cairo_stroke(cr);
}

static double text_width(cairo_t *cr, const char *s)
{
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	return e.x_advance;
}

static void draw_legend(cairo_t *cr, const struct ws_report_input *in, int h)
{
	static const char *const levels[] = {"district", "subdistrict", "community", "building"};
	bool shown[5] = {false};
	for (size_t i = 0; i < in->n_centers; i++) {
		const char *lv = in->centers[i].level;
		size_t k = 0;
		while (k < 4 && (!lv || strcmp(lv, levels[k])))
			k++;
		shown[k] = true;
	}
	bool closed = false, changed = false;
	for (size_t i = 0; i < in->n_centers; i++)
		closed = closed || in->centers[i].closed;
	for (size_t i = 0; i < in->n_compounds; i++)
		changed = changed || in->compounds[i].changed;
	int rows = 1 + WS_REPORT_BANDS + (in->n_sites > 0) + (in->isochrone != NULL) + closed + changed;
	for (int k = 0; k < 5; k++)
		rows += shown[k];
	double lh = 24, x = 16, y = h - 16 - rows * lh - 14;
	cairo_set_font_size(cr, 16);
	double bw = 300;   /* wider only for a long highlight wording */
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	if (changed)
		bw = fmax(bw, 44 + text_width(cr, in->changed_legend ? in->changed_legend : "changed by the scenario"));
	if (in->n_sites)
		bw = fmax(bw, 44 + text_width(cr, in->site_legend ? in->site_legend : "chosen site"));
	box(cr, x, y, bw, rows * lh + 14);
	double tx = x + 12, ty = y + 7 + lh - 7;
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_move_to(cr, tx, ty);
	cairo_show_text(cr, "Walk to the nearest center");
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	for (int k = 0; k < WS_REPORT_BANDS; k++) {
		char label[64];
		ty += lh;
		ws_report_band_label(in, k, label, sizeof label);
		cairo_new_path(cr);
		cairo_rectangle(cr, tx, ty - 13, 22, 15);
		color(cr, ws_report_band_color(k), 0.85);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0.33, 0.33, 0.33);
		cairo_set_line_width(cr, 1);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, tx + 32, ty);
		cairo_show_text(cr, label);
	}
	for (int k = 0; k < 5; k++) {
		if (!shown[k])
			continue;
		char label[64];
		snprintf(label, sizeof label, "center: %s", k < 4 ? levels[k] : "other level");
		ty += lh;
		cairo_new_path(cr);
		cairo_arc(cr, tx + 11, ty - 5, 6, 0, 2 * M_PI);
		color(cr, ws_report_level_color(k < 4 ? levels[k] : NULL), 1);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, tx + 32, ty);
		cairo_show_text(cr, label);
	}
	if (closed) {
		ty += lh;
		cairo_new_path(cr);
		cairo_arc(cr, tx + 11, ty - 5, 6, 0, 2 * M_PI);
		color(cr, "#ffffff", 1);
		cairo_fill_preserve(cr);
		color(cr, "#b2182b", 1);
		cairo_set_line_width(cr, 3);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, tx + 32, ty);
		cairo_show_text(cr, "closed center");
	}
	if (in->n_sites) {
		ty += lh;
		cairo_new_path(cr);
		cairo_arc(cr, tx + 11, ty - 5, 7, 0, 2 * M_PI);
		color(cr, "#ffd700", 1);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 2.5);
		cairo_stroke(cr);
		cairo_move_to(cr, tx + 32, ty);
		cairo_show_text(cr, in->site_legend ? in->site_legend : "chosen site");
	}
	if (in->isochrone) {
		ty += lh;
		double dash[] = {6, 4};
		cairo_new_path(cr);
		cairo_rectangle(cr, tx, ty - 13, 22, 15);
		cairo_set_dash(cr, dash, 2, 0);
		color(cr, "#08306b", 1);
		cairo_set_line_width(cr, 2);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, tx + 32, ty);
		cairo_show_text(cr, "isochrone outline");
	}
	if (changed) {
		ty += lh;
		cairo_new_path(cr);
		cairo_rectangle(cr, tx + 1.5, ty - 11.5, 19, 12);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 3);
		cairo_stroke(cr);
		cairo_move_to(cr, tx + 32, ty);
		cairo_show_text(cr, in->changed_legend ? in->changed_legend : "changed by the scenario");
	}
}

/* A round length near a fifth of the picture width. */
static void draw_scale_bar(cairo_t *cr, const struct view *v, int w, int h)
{
	double target_m = w / 5.0 / v->px_per_m * v->ground;
	double len = 1;
	while (len * 10 <= target_m)
		len *= 10;
	if (len * 5 <= target_m)
		len *= 5;
	else if (len * 2 <= target_m)
		len *= 2;
	double px = len / v->ground * v->px_per_m;
	double x = w - 24 - px, y = h - 50;
	char label[32];
	if (len >= 1000)
		snprintf(label, sizeof label, "%g km", len / 1000);
	else
		snprintf(label, sizeof label, "%g m", len);
	box(cr, x - 12, y - 30, px + 24, 44);
	cairo_new_path(cr);
	cairo_move_to(cr, x, y - 6);
	cairo_line_to(cr, x, y);
	cairo_line_to(cr, x + px, y);
	cairo_line_to(cr, x + px, y - 6);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 2.5);
	cairo_stroke(cr);
	cairo_set_font_size(cr, 15);
	cairo_move_to(cr, x + px / 2 - text_width(cr, label) / 2, y - 10);
	cairo_show_text(cr, label);
}

static void draw_north(cairo_t *cr, int w)
{
	double x = w - 40, y = 30;
	cairo_new_path(cr);
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + 11, y + 34);
	cairo_line_to(cr, x, y + 26);
	cairo_line_to(cr, x - 11, y + 34);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_fill(cr);
	cairo_set_font_size(cr, 16);
	halo_text(cr, x - text_width(cr, "N") / 2, y + 54, "N");
}

static void draw(cairo_t *cr, const struct ws_report_input *in, int w, int h)
{
	struct view v;
	make_view(&v, in, w, h);
	cairo_set_source_rgb(cr, 0.957, 0.953, 0.937);
	cairo_paint(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);

	if (in->roads) {
		cairo_new_path(cr);
		for (size_t p = 0; p < in->roads->n_parts; p++)
			path_part(cr, &v, in->roads, p);
		cairo_set_source_rgba(cr, 0.45, 0.45, 0.45, 0.55);
		cairo_set_line_width(cr, 0.8);
		cairo_stroke(cr);
	}
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	for (size_t i = 0; i < in->n_compounds; i++) {
		cairo_new_path(cr);
		path_feature(cr, &v, in->compound_shapes, i, true);
		color(cr, ws_report_band_color(ws_report_band(in, &in->compounds[i])), 0.85);
		cairo_fill_preserve(cr);
		bool changed = in->compounds[i].changed;
		cairo_set_source_rgba(cr, 0, 0, 0, changed ? 1 : 0.55);
		cairo_set_line_width(cr, changed ? 3 : 0.6);
		cairo_stroke(cr);
	}
	if (in->isochrone) {
		double dash[] = {8, 5};
		cairo_new_path(cr);
		for (size_t f = 0; f < in->isochrone->n_features; f++)
			path_feature(cr, &v, in->isochrone, f, true);
		cairo_set_dash(cr, dash, 2, 0);
		color(cr, "#08306b", 1);
		cairo_set_line_width(cr, 2.2);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	draw_points(cr, &v, in->centers, in->n_centers, in->center_shapes, false);
	draw_points(cr, &v, in->sites, in->n_sites, in->site_shapes, true);

	/* names of district centers and chosen sites: few, and the ones a reader looks for */
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 15);
	for (size_t i = 0; i < in->n_centers; i++) {
		const struct ws_report_center *c = &in->centers[i];
		bool named = c->name && *c->name;
		if (!named || ws_shapes_feature_parts(in->center_shapes, i) == 0 ||
		    !(c->highlight || (c->level && !strcmp(c->level, "district"))))
			continue;
		double x, y;
		to_px(&v, in->center_shapes->xy + 2 * in->center_shapes->part_first_point[in->center_shapes->feature_first_part[i]], &x, &y);
		halo_text(cr, x + 9, y - 7, c->name);
	}
	for (size_t i = 0; in->site_shapes && i < in->n_sites; i++) {
		const struct ws_report_center *c = &in->sites[i];
		if (!c->name || !*c->name || ws_shapes_feature_parts(in->site_shapes, i) == 0)
			continue;
		double x, y;
		to_px(&v, in->site_shapes->xy + 2 * in->site_shapes->part_first_point[in->site_shapes->feature_first_part[i]], &x, &y);
		halo_text(cr, x + 11, y - 9, c->name);
	}

	/* title */
	char sub[512];
	snprintf(sub, sizeof sub, "%s: %zu compounds, %zu centers, %g-minute walk", in->dataset ? in->dataset : "",
		 in->n_compounds, in->n_centers, in->minutes);
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 22);
	double tw = text_width(cr, in->title ? in->title : "");
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 15);
	double sw = text_width(cr, sub);
	box(cr, 16, 16, fmax(tw, sw) + 28, 64);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, 30, 68);
	cairo_show_text(cr, sub);
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 22);
	cairo_move_to(cr, 30, 44);
	cairo_show_text(cr, in->title ? in->title : "");
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

	draw_legend(cr, in, h);
	draw_scale_bar(cr, &v, w, h);
	draw_north(cr, w);
	const char *attribution = "Map data \xc2\xa9 OpenStreetMap contributors (ODbL) \xc2\xb7 walkshed " WS_VERSION;
	cairo_set_font_size(cr, 13);
	double aw = text_width(cr, attribution);
	box(cr, w - aw - 20, h - 24, aw + 14, 20);
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	cairo_move_to(cr, w - aw - 13, h - 9);
	cairo_show_text(cr, attribution);
}

bool ws_report_png_available(void)
{
	return true;
}

bool ws_report_write_png(const char *path, const struct ws_report_input *in, int width, int height,
			 struct ws_error *err)
{
	if (width < 200 || height < 200)
		return ws_error_set(err, WS_ERR_INTERNAL, "map.png: size %dx%d too small", width, height);
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	cairo_t *cr = cairo_create(surf);
	bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	if (ok) {
		draw(cr, in, width, height);
		ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
		if (!ok)
			ws_error_set(err, WS_ERR_INTERNAL, "map.png: cairo: %s", cairo_status_to_string(cairo_status(cr)));
	} else {
		ws_error_set(err, WS_ERR_NOMEM, "map.png: cairo: %s", cairo_status_to_string(cairo_status(cr)));
	}
	if (ok) {
		cairo_surface_flush(surf);
		cairo_status_t s = cairo_surface_write_to_png(surf, path);
		if (s != CAIRO_STATUS_SUCCESS)
			ok = ws_error_set(err, WS_ERR_IO, "%s: %s", path, cairo_status_to_string(s));
	}
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	/* walkshed draws nothing else with cairo: drop its font caches (they hold fontconfig
	 * patterns that leak checkers would report) */
	cairo_debug_reset_static_data();
#if WS_HAVE_FONTCONFIG
	FcFini();
#endif
	return ok;
}

#else /* !WS_HAVE_CAIRO */

bool ws_report_png_available(void)
{
	return false;
}

bool ws_report_write_png(const char *path, const struct ws_report_input *in, int width, int height,
			 struct ws_error *err)
{
	(void)in;
	(void)width;
	(void)height;
	return ws_error_set(err, WS_ERR_USAGE, "%s: this walkshed was built without cairo (meson -Dcairo)", path);
}

#endif
