/* The report framework on hand-made inputs: reach bands, escaping, every optional section
 * present when its data is given and absent when not, Douglas-Peucker, and map.png
 * pixels. The page as a whole (well-formed, offline, drawn by Chromium) is checked by
 * report_check.py on real CLI output. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_breakdown.h"
#include "report/report_html.h"
#include "report/report_input.h"
#include "report/report_png.h"
#include "report/simplify.h"
#include "report/strbuf.h"
#include "tap.h"
#include "ws_config.h"

#if WS_HAVE_CAIRO
#include <cairo.h>
#endif

static bool has(const struct ws_strbuf *b, const char *needle)
{
	return b->s && strstr(b->s, needle) != NULL;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void square(struct ws_shapes *s, double x, double y, double side)
{
	ws_shapes_begin_feature(s, NULL);
	ws_shapes_begin_part(s, NULL);
	/* clockwise: the shapefile outer ring */
	ws_shapes_add_point(s, x, y, NULL);
	ws_shapes_add_point(s, x, y + side, NULL);
	ws_shapes_add_point(s, x + side, y + side, NULL);
	ws_shapes_add_point(s, x + side, y, NULL);
	ws_shapes_add_point(s, x, y, NULL);
}

static void point(struct ws_shapes *s, double x, double y)
{
	ws_shapes_begin_feature(s, NULL);
	ws_shapes_begin_part(s, NULL);
	ws_shapes_add_point(s, x, y, NULL);
}

static void test_bands(void)
{
	/* threshold 15: bands end at 5, 10 and 15 minutes; equality belongs to the lower band
	 * (as reach == threshold is covered, SPEC 8) */
	struct ws_report_input in = {.minutes = 15};
	struct ws_report_compound c = {.snapped = true, .covered = true, .reach_min = 5.0};
	is_int(ws_report_band(&in, &c), 0, "5.00 min of 15: band 0-5");
	c.reach_min = 5.01;
	is_int(ws_report_band(&in, &c), 1, "5.01 min: band 5-10");
	c.reach_min = 10.0;
	is_int(ws_report_band(&in, &c), 1, "10.00 min: band 5-10");
	c.reach_min = 15.0;
	is_int(ws_report_band(&in, &c), 2, "15.00 min covered: band 10-15");
	c.reach_min = 15.01;
	c.covered = false;
	is_int(ws_report_band(&in, &c), 3, "15.01 min not covered: band > 15");
	c.reach_min = INFINITY;
	is_int(ws_report_band(&in, &c), WS_REPORT_BAND_GREY, "unreachable: grey");
	c.reach_min = 3;
	c.snapped = false;
	is_int(ws_report_band(&in, &c), WS_REPORT_BAND_GREY, "unsnapped: grey");
	char label[64];
	in.minutes = 12; /* thirds of 12: 4 and 8 */
	ws_report_band_label(&in, 1, label, sizeof label);
	is_str(label, "4-8 min", "band labels follow --minutes");
	in.minutes = 5; /* thirds of 5: 1.666.. and 3.333.., labelled with one decimal */
	ws_report_band_label(&in, 1, label, sizeof label);
	is_str(label, "1.7-3.3 min", "band edges that are not whole minutes: one decimal");
	ws_report_band_label(&in, 3, label, sizeof label);
	is_str(label, "> 5 min", "the threshold itself as given");
	is_str(ws_report_level_color("district"), "#7b3294", "district color");
	is_str(ws_report_level_color("school"), ws_report_level_color(NULL), "unknown levels share one color");
}

static void test_strbuf(void)
{
	struct ws_strbuf b;
	ws_strbuf_init(&b);
	ws_strbuf_html(&b, "<a href=\"x\">R&D's</a>");
	is_str(b.s, "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;", "HTML escaping");
	ws_strbuf_finish(&b);
	ws_strbuf_json_string(&b, "</script>\"\\\n南京");
	is_str(b.s, "\"\\u003c/script\\u003e\\\"\\\\\\n南京\"", "JSON escaping keeps UTF-8, hides </script>");
	ws_strbuf_finish(&b);
	ws_strbuf_json_number(&b, 12.5, 2);
	ws_strbuf_puts(&b, " ");
	ws_strbuf_json_number(&b, 3.0, 2);
	ws_strbuf_puts(&b, " ");
	ws_strbuf_json_number(&b, -0.0001, 2);
	ws_strbuf_puts(&b, " ");
	ws_strbuf_json_number(&b, INFINITY, 2);
	is_str(b.s, "12.5 3 0 null", "JSON numbers: trimmed, no -0, non-finite null");
	ok(ws_strbuf_ok(&b), "no allocation failure");
	ws_strbuf_finish(&b);
}

static void test_simplify(void)
{
	struct ws_error err = {0};
	/* (0,0) (1,0.5) (2,0) (3,3) (4,0): with tolerance 1 the chord (0,0)-(4,0) is 3 m from
	 * (3,3): kept; then (0,0)-(3,3) is sqrt(2)/2*... from (1,0.5): |1*3-0.5*3|/sqrt(18) =
	 * 1.5/4.243 = 0.354 and (2,0): |2*3-0|/4.243 = 1.414 > 1: kept; (0,0)-(2,0) is 0.5
	 * from (1,0.5): dropped; (3,3)-(4,0) has no interior point. Kept: 0, 2, 3, 4. */
	double xy[] = {0, 0, 1, 0.5, 2, 0, 3, 3, 4, 0};
	bool keep[5];
	is_int(ws_simplify_line(xy, 5, 1.0, keep, &err), 4, "4 of 5 points kept");
	ok(keep[0] && !keep[1] && keep[2] && keep[3] && keep[4], "the right ones: 0 2 3 4");
	is_int(ws_simplify_line(xy, 5, 0.1, keep, &err), 5, "tolerance 0.1 keeps all (0.5 > 0.1)");
	is_int(ws_simplify_line(xy, 5, 10, keep, &err), 2, "tolerance 10 keeps the ends");
	double two[] = {0, 0, 1, 1};
	is_int(ws_simplify_line(two, 2, 5, keep, &err), 2, "a segment stays");
}

/* A small world: 3 compounds (square 0 at the centre of the view) and 2 centers, lon/lat
 * near (0, 0). */
struct world {
	struct ws_shapes compounds, centers, roads, iso, sites;
	struct ws_report_compound comp[3];
	struct ws_report_center cen[2], site[1];
	struct ws_report_headline head[2];
	size_t worst[3];
	struct ws_report_zone zone[1];
	struct ws_report_curve_point pts[3];
	struct ws_report_curve curve;
	struct ws_report_scenario_row rows[1];
	struct ws_report_scenario scen;
	struct ws_report_param params[1];
	struct ws_report_file files[1];
	struct ws_report_input in;
};

static void world_init(struct world *w, bool optional)
{
	memset(w, 0, sizeof *w);
	ws_shapes_init(&w->compounds, WS_GEOM_POLYGON, NULL);
	square(&w->compounds, -0.002, -0.002, 0.004);
	square(&w->compounds, 0.004, 0.004, 0.001);
	ws_shapes_begin_feature(&w->compounds, NULL); /* an empty (NULL) shape: not drawn */
	ws_shapes_init(&w->centers, WS_GEOM_POINT, NULL);
	point(&w->centers, -0.006, 0.006);
	point(&w->centers, 0.006, -0.006);
	ws_shapes_init(&w->roads, WS_GEOM_LINE, NULL);
	ws_shapes_begin_feature(&w->roads, NULL);
	ws_shapes_begin_part(&w->roads, NULL);
	ws_shapes_add_point(&w->roads, -0.006, -0.004, NULL);
	ws_shapes_add_point(&w->roads, 0.006, -0.004, NULL);
	w->comp[0] = (struct ws_report_compound){"c0", "华侨路二十六号小区", true, true, 2.5, "Center <A> (s0)", NAN, NULL, false, NULL};
	w->comp[1] = (struct ws_report_compound){"c1", "A & B <x>", true, false, INFINITY, NULL, NAN, NULL, false, NULL};
	w->comp[2] = (struct ws_report_compound){"c2", "Empty", false, false, INFINITY, NULL, NAN, NULL, false, NULL};
	w->cen[0] = (struct ws_report_center){"s0", "玄武区人民政府", "district", false, NULL, false};
	w->cen[1] = (struct ws_report_center){"s1", "Clinic", "building", false, NULL, false};
	w->head[0] = (struct ws_report_headline){"All centers", 1, 3, NAN, NAN};
	w->worst[0] = 2;
	w->worst[1] = 1;
	w->params[0] = (struct ws_report_param){"Threshold", "15 min"};
	w->files[0] = (struct ws_report_file){"roads.shp", "abc123"};
	w->in = (struct ws_report_input){
		.title = "Walking coverage audit", .dataset = "hand-made", .command = "audit",
		.version = WS_VERSION, .crs_source = "EPSG:4326", .crs_working = "EPSG:32631",
		.minutes = 15, .n_params = 1, .params = w->params, .n_inputs = 1, .inputs = w->files,
		.n_compounds = 3, .compounds = w->comp, .compound_shapes = &w->compounds,
		.n_centers = 2, .centers = w->cen, .center_shapes = &w->centers, .roads = &w->roads,
		.n_headlines = 1, .headlines = w->head, .n_worst = 2, .worst = w->worst,
	};
	if (!optional)
		return;
	/* everything the other analyses add */
	w->comp[0].population = 120;
	w->comp[0].missing_services = "clinic, library";
	w->worst[2] = 0;
	w->in.n_worst = 3;
	w->comp[1].changed = true;
	w->head[0].pop_covered = 120;
	w->head[0].pop_total = 200;
	w->head[1] = (struct ws_report_headline){"Level: community", 0, 3, 0, 200};
	w->in.n_headlines = 2;
	ws_shapes_init(&w->iso, WS_GEOM_POLYGON, NULL);
	square(&w->iso, -0.005, -0.005, 0.010);
	w->in.isochrone = &w->iso;
	w->zone[0] = (struct ws_report_zone){"Zone <1>", 3, 1, 120, 200, 2.5};
	w->in.n_zones = 1;
	w->in.zones = w->zone;
	w->pts[0] = (struct ws_report_curve_point){0, 33.3, NULL};
	w->pts[1] = (struct ws_report_curve_point){1, 66.7, "site A"};
	w->pts[2] = (struct ws_report_curve_point){2, 100, "site B"};
	w->curve = (struct ws_report_curve){"compounds covered (%)", 3, w->pts};
	w->in.curve = &w->curve;
	w->rows[0] = (struct ws_report_scenario_row){"Compounds covered", 33.3, 66.7, 1, "%", false};
	w->scen = (struct ws_report_scenario){"closes Clinic, adds site A", 1, w->rows};
	w->in.scenario = &w->scen;
	ws_shapes_init(&w->sites, WS_GEOM_POINT, NULL);
	point(&w->sites, 0.003, -0.003);
	w->site[0] = (struct ws_report_center){"k7", "site A", "community", true, "chosen site 1", false};
	w->in.n_sites = 1;
	w->in.sites = w->site;
	w->in.site_shapes = &w->sites;
}

static void world_finish(struct world *w)
{
	ws_shapes_finish(&w->compounds);
	ws_shapes_finish(&w->centers);
	ws_shapes_finish(&w->roads);
	ws_shapes_finish(&w->iso);
	ws_shapes_finish(&w->sites);
}

static const char *const section_ids[] = {"id=\"zones\"", "id=\"curve\"", "id=\"scenario\"", "id=\"sites\""};

static void test_html_minimal(void)
{
	struct world w;
	world_init(&w, false);
	struct ws_strbuf b;
	struct ws_error err = {0};
	ws_strbuf_init(&b);
	ok(ws_report_html_build(&b, &w.in, NULL, &err), "page built (%s)", err.msg);
	ok(has(&b, "<!DOCTYPE html>") && has(&b, "<meta charset=\"utf-8\">"), "HTML5, UTF-8");
	ok(has(&b, "data-compounds-expected=\"2\""), "2 of 3 compounds have a geometry to draw");
	ok(has(&b, "id=\"headline\"") && has(&b, "id=\"worst\""), "headline and worst-served sections");
	for (size_t i = 0; i < sizeof section_ids / sizeof section_ids[0]; i++)
		ok(!has(&b, section_ids[i]), "absent without data: %s", section_ids[i]);
	ok(!has(&b, "Population covered"), "no population column without population");
	ok(!has(&b, "<th>Missing services</th>") && !has(&b, "\"missing\""), "no missing services when not analysed");
	ok(has(&b, "\"isochrone\":null") && has(&b, "\"sites\":null") && has(&b, "\"tiles\":null"),
	   "optional layers null in the data");
	ok(has(&b, "华侨路二十六号小区") && has(&b, "玄武区人民政府"), "Chinese names kept as UTF-8");
	ok(has(&b, "A &amp; B &lt;x&gt;"), "names are escaped in tables");
	ok(has(&b, "\"nearest\":\"Center \\u003cA\\u003e (s0)\""), "and in the data");
	ok(has(&b, "Noto Sans CJK SC"), "CJK-capable font stack");
	ok(has(&b, "abc123") && has(&b, "EPSG:32631") && has(&b, "15 min") && has(&b, WS_VERSION),
	   "footer: checksum, CRS, parameters, version");
	ok(has(&b, "https://www.openstreetmap.org/copyright"), "OSM attribution");
	ok(has(&b, "Vladimir Agafonkin") && has(&b, "Redistributions in binary form"), "Leaflet licence notice");
	ok(has(&b, "L.map(") && !has(&b, "sourceMappingURL") && !has(&b, "url(images/"),
	   "Leaflet inlined without source map or image references");
	/* square 0: clockwise input, written counter-clockwise (RFC 7946 outer ring) */
	ok(has(&b, "[[[-0.002000,-0.002000],[0.002000,-0.002000],[0.002000,0.002000],[-0.002000,0.002000],[-0.002000,-0.002000]]]"),
	   "polygon at 6 decimals, outer ring counter-clockwise");
	is_int(count(b.s, "\"band\":0"), 1, "one compound in band 0 (2.5 min)");
	is_int(count(b.s, "\"band\":4"), 1, "one drawn grey compound (c1 unreachable; c2 has no shape)");
	ws_strbuf_finish(&b);

	struct ws_error e2 = {0};
	ws_strbuf_init(&b);
	ok(!ws_report_html_build(&b, &w.in, "/nonexistent", &e2) && e2.code == WS_ERR_NOINPUT &&
	   strstr(e2.msg, "libjs-leaflet"), "missing Leaflet names the Debian package");
	ws_strbuf_finish(&b);

	w.compounds.n_features = 2; /* broken invariant: 3 compounds, 2 shapes */
	struct ws_error e3 = {0};
	ws_strbuf_init(&b);
	ok(!ws_report_html_build(&b, &w.in, NULL, &e3) && e3.code == WS_ERR_INTERNAL, "count mismatch refused");
	w.compounds.n_features = 3;
	ws_strbuf_finish(&b);
	world_finish(&w);
}

static void test_html_sections(void)
{
	struct world w;
	world_init(&w, true);
	w.in.tiles_url = "https://tile.example.org/{z}/{x}/{y}.png";
	struct ws_strbuf b;
	struct ws_error err = {0};
	ws_strbuf_init(&b);
	ok(ws_report_html_build(&b, &w.in, NULL, &err), "page with every section (%s)", err.msg);
	for (size_t i = 0; i < sizeof section_ids / sizeof section_ids[0]; i++)
		ok(has(&b, section_ids[i]), "present with data: %s", section_ids[i]);
	ok(has(&b, "<td class=\"n\">120 / 200</td><td class=\"n\">60.0 %</td>"), "population share 120/200 = 60.0 %%");
	ok(has(&b, "<b>60.0 %</b>of residents"), "population headline card");
	ok(has(&b, "Level: community"), "per-level headline row");
	ok(has(&b, "Zone &lt;1&gt;") && has(&b, "2.50 min"), "zone table, escaped, median reach");
	ok(has(&b, "<td class=\"n\">1</td><td class=\"n\">33.3 %</td>"), "zone: 1 of 3 covered = 33.3 %%");
	/* curve: x = 56 + 568 * k / 2, y = 14 + 242 * (1 - pct / 100) */
	ok(has(&b, "points=\"56.0,175.4 340.0,94.6 624.0,14.0\""), "curve polyline at the hand-computed points");
	ok(has(&b, "+33.4 %"), "scenario change 66.7 - 33.3 = +33.4 %%");
	ok(has(&b, "class=\"n better\""), "an increase of coverage is better");
	ok(has(&b, "closes Clinic, adds site A"), "scenario description");
	ok(has(&b, "\"changed\":true"), "changed compound flagged for the map");
	ok(has(&b, "\"missing\":\"clinic, library\"") && has(&b, "<th>Missing services</th>"),
	   "missing services in popups and the worst table");
	ok(has(&b, "\"sites\":{\"type\":\"FeatureCollection\"") && has(&b, "chosen site 1"), "sites layer");
	ok(has(&b, "\"isochrone\":{\"type\":\"FeatureCollection\""), "isochrone outline layer");
	ok(has(&b, "\"tiles\":\"https://tile.example.org/{z}/{x}/{y}.png\""), "--tiles URL passed to Leaflet");
	ok(has(&b, "changed by the scenario") && has(&b, "isochrone outline</div>"), "legend entries for the extras");
	ws_strbuf_finish(&b);
	world_finish(&w);
}

/* The wording a site / scenario page uses: closed centers, notes of changed compounds,
 * population in popups, the sites' title and legend. */
static void test_html_scenario_words(void)
{
	struct world w;
	world_init(&w, true);
	w.cen[1].closed = true;
	w.comp[1].change_note = "newly covered (before 17.00 min)";
	w.comp[0].population = 120;
	w.in.sites_title = "Added sites";
	w.in.site_legend = "added site";
	w.in.changed_legend = "coverage changed by the scenario";
	struct ws_strbuf b;
	struct ws_error err = {0};
	ws_strbuf_init(&b);
	ok(ws_report_html_build(&b, &w.in, NULL, &err), "scenario page (%s)", err.msg);
	ok(has(&b, "\"closed\":true") && has(&b, "closed center</div>"), "closed center flagged and in the legend");
	ok(has(&b, "\"change\":\"newly covered (before 17.00 min)\""), "change note in the popup data");
	ok(has(&b, "\"pop\":120"), "population in the popup data");
	ok(has(&b, "<h2>Added sites</h2>") && has(&b, "\"sitesTitle\":\"Added sites\""), "sites title");
	ok(has(&b, "added site</div>") && has(&b, "coverage changed by the scenario</div>") &&
	   !has(&b, "chosen site</div>"), "legend wording");
	/* the command's own sections come before the tables */
	ok(strstr(b.s, "id=\"scenario\"") < strstr(b.s, "id=\"zones\"") &&
	   strstr(b.s, "id=\"curve\"") < strstr(b.s, "id=\"worst\""), "scenario and curve before zones and worst");
	ws_strbuf_finish(&b);
	world_finish(&w);
}

static void test_median(void)
{
	double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2};
	is_double(ws_report_median(odd, 3), 3, 0, "median of 5, 1, 3: the middle of 1 3 5");
	is_double(ws_report_median(even, 4), 2.5, 0, "median of 4 values: (2 + 3) / 2");
	ok(isnan(ws_report_median(odd, 0)), "median of nothing: NAN");
}

#if WS_HAVE_CAIRO
static void test_png(void)
{
	struct world w;
	world_init(&w, false);
	w.comp[1].changed = true;
	struct ws_error err = {0};
	const char *path = "report_test_map.png";
	char full[512];
	const char *dir = getenv("MESON_BUILD_ROOT");
	snprintf(full, sizeof full, "%s/%s", dir ? dir : "/tmp", path);
	ok(ws_report_write_png(full, &w.in, 640, 480, &err), "map.png written (%s)", err.msg);
	cairo_surface_t *s = cairo_image_surface_create_from_png(full);
	ok(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "it reads back as PNG");
	is_int(cairo_image_surface_get_width(s), 640, "width");
	is_int(cairo_image_surface_get_height(s), 480, "height");
	unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	/* the view is centred on the bounding box of compounds and centers, which is symmetric
	 * about (0, 0), so the centre pixel lies in square 0 (band 0, #1a9850 at 85 % over
	 * the background #f4f3ef): r = .85*26 + .15*244 = 58.7, g = .85*152 + .15*243 = 165.7,
	 * b = .85*80 + .15*239 = 103.8 */
	uint32_t c = *(uint32_t *)(px + 240 * stride + 320 * 4);
	int r = (c >> 16) & 255, g = (c >> 8) & 255, bl = c & 255;
	ok(abs(r - 59) <= 2 && abs(g - 166) <= 2 && abs(bl - 104) <= 2, "centre pixel has the band 0 colour (%d,%d,%d)", r, g, bl);
	/* distinct colours: background, roads, bands, centers, text, legend */
	size_t n = 0, cap = 4096;
	uint32_t *seen = calloc(cap, sizeof *seen);
	for (int y = 0; y < 480 && seen; y += 2)
		for (int x = 0; x < 640; x += 2) {
			uint32_t v = *(uint32_t *)(px + y * stride + x * 4) & 0xffffff;
			size_t k = 0;
			while (k < n && seen[k] != v)
				k++;
			if (k == n && n < cap)
				seen[n++] = v;
		}
	ok(n > 20, "not blank: %zu distinct colours", n);
	free(seen);
	cairo_surface_destroy(s);
	world_finish(&w);
}
#endif

int main(void)
{
	test_bands();
	test_strbuf();
	test_simplify();
	test_html_minimal();
	test_html_sections();
	test_html_scenario_words();
	test_median();
#if WS_HAVE_CAIRO
	test_png();
#else
	ok(!ws_report_png_available(), "built without cairo: map.png unavailable");
#endif
	return done();
}
