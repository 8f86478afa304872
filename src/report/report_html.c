/* report.html. Invariants: the page references nothing outside itself (no src/href to
 * another resource; the only http(s) links are attributions a person may click), every
 * text from the data is escaped (HTML text, or JSON with <, >, & escaped inside the data
 * <script>), and the same input gives the same bytes (no dates, fixed number formats).
 * The map data is GeoJSON (WGS 84, 6 decimals, about 0.1 m) that the inline script draws
 * with Leaflet's canvas renderer. */
#include "report/report_html.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rings.h"
#include "ws_config.h"

#define COORD_DECIMALS 6
/* roads are drawn faint and thin: 5 decimals (about 1 m) keeps porto_metro's 250,000 road
 * points small enough to draw within the 2 s bar */
#define ROAD_DECIMALS 5

static const char leaflet_licence[] =
	"Leaflet, a JavaScript library for interactive maps (Debian package libjs-leaflet).\n"
	"Copyright (c) 2010-2019, Vladimir Agafonkin\n"
	"Copyright (c) 2010-2011, CloudMade\n"
	"All rights reserved.\n"
	"\n"
	"Redistribution and use in source and binary forms, with or without modification, are\n"
	"permitted provided that the following conditions are met:\n"
	"\n"
	"   1. Redistributions of source code must retain the above copyright notice, this list of\n"
	"      conditions and the following disclaimer.\n"
	"\n"
	"   2. Redistributions in binary form must reproduce the above copyright notice, this list\n"
	"      of conditions and the following disclaimer in the documentation and/or other materials\n"
	"      provided with the distribution.\n"
	"\n"
	"THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\" AND ANY\n"
	"EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF\n"
	"MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE\n"
	"COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL,\n"
	"EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF\n"
	"SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)\n"
	"HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR\n"
	"TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS\n"
	"SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\n";

/* Latin first, then the CJK faces of each platform, so Chinese names never fall back to
 * boxes (Debian: fonts-noto-cjk provides "Noto Sans CJK SC"). */
static const char page_css[] =
	":root{--font:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Noto Sans CJK SC\","
	"\"Source Han Sans SC\",\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\","
	"\"WenQuanYi Micro Hei\",\"Noto Sans CJK JP\",sans-serif}\n"
	"body{font-family:var(--font);margin:0 auto;max-width:1200px;padding:0 16px 32px;color:#222;line-height:1.4}\n"
	".leaflet-container{font-family:var(--font)}\n"
	"h1{font-size:1.6em;margin:16px 0 2px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #ddd}\n"
	".sub{color:#555;margin:0 0 12px}\n"
	"#mapwrap{position:relative}\n"
	"#map{height:68vh;min-height:460px;border:1px solid #ccc;background:#f4f3ef}\n"
	".legend{position:absolute;left:10px;bottom:24px;z-index:1000;background:rgba(255,255,255,.92);"
	"padding:6px 9px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px}\n"
	".legend div{margin:2px 0}.sw{display:inline-block;width:14px;height:11px;margin-right:6px;"
	"vertical-align:middle;border:1px solid #777}.dot{display:inline-block;width:10px;height:10px;"
	"margin:0 8px 0 2px;border-radius:50%;vertical-align:middle;border:1px solid #fff;outline:1px solid #999}\n"
	".status{color:#555;font-size:.85em;margin:4px 0}\n"
	".cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 12px}\n"
	".card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:150px}\n"
	".card b{display:block;font-size:1.7em}\n"
	"table{border-collapse:collapse;margin:6px 0;font-size:.92em}\n"
	"th,td{border-bottom:1px solid #e3e3e3;padding:3px 10px;text-align:left;vertical-align:top}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"tr.go{cursor:pointer}tr.go:hover{background:#f1f6fb}\n"
	".better{color:#1a7837}.worse{color:#b2182b}\n"
	".pop td{border:0;padding:1px 6px 1px 0}.pop th{border:0;padding:1px 6px 1px 0;color:#666;font-weight:normal}\n"
	"footer{margin-top:32px;border-top:1px solid #ccc;font-size:.82em;color:#444}\n"
	"footer code{font-size:.95em;word-break:break-all}\n"
	"pre.licence{white-space:pre-wrap;font-size:.9em}\n"
	"@media print{#map{height:520px}.leaflet-control-layers{display:none}}\n";

/* Draws the layers from the #ws-data JSON; builds popups from text nodes only; writes
 * what it drew into #ws-status (tests read data-compounds-rendered). */
static const char page_js[] =
	"(function(){'use strict';\n"
	"var D=JSON.parse(document.getElementById('ws-data').textContent);\n"
	"var st=document.getElementById('ws-status');\n"
	"var map=L.map('map',{preferCanvas:true,zoomSnap:0.25});\n"
	"var osm='&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors';\n"
	"map.attributionControl.setPrefix('Leaflet');\n"
	"if(D.tiles){L.tileLayer(D.tiles,{maxZoom:19,attribution:osm}).addTo(map);}\n"
	"else{map.attributionControl.addAttribution('Map data '+osm+' (ODbL)');}\n"
	"function pop(rows){var t=document.createElement('table');t.className='pop';\n"
	" rows.forEach(function(r){if(r[1]===null||r[1]===undefined)return;var tr=t.insertRow();\n"
	"  var th=document.createElement('th');th.textContent=r[0];tr.appendChild(th);\n"
	"  tr.insertCell().textContent=r[1];});return t;}\n"
	"function mins(v){return v===null?null:v.toFixed(2)+' min';}\n"
	"var over={};\n"
	"if(D.roads){over['Roads']=L.geoJSON(D.roads,{interactive:false,"
	"style:{color:'#777',weight:1,opacity:0.5}}).addTo(map);}\n"
	"var byIndex={};\n"
	"var comp=L.geoJSON(D.compounds,{style:function(f){var p=f.properties;"
	"return{fillColor:D.bands[p.band].color,fillOpacity:0.78,color:p.changed?'#000':'#555',"
	"weight:p.changed?3:0.6};},\n"
	" onEachFeature:function(f,l){var p=f.properties;byIndex[p.i]=l;l.bindPopup(function(){"
	"return pop([['Compound',p.name||('id '+p.id)],['id',p.id],['Status',p.status],"
	"['Reach',mins(p.reach)],['Nearest center',p.nearest],['Population',p.pop],"
	"['Missing services',p.missing],['Change',p.changed?(p.change||'reach changed'):null]]);});}}).addTo(map);\n"
	"over['Compounds']=comp;\n"
	"if(D.isochrone){over['Isochrone outline']=L.geoJSON(D.isochrone,{interactive:false,"
	"style:{color:'#08306b',weight:2,dashArray:'6 4',fill:false}}).addTo(map);}\n"
	"function pts(fc,hl){return L.geoJSON(fc,{pointToLayer:function(f,ll){var p=f.properties;"
	"return L.circleMarker(ll,hl||p.highlight?{radius:8,color:'#000',weight:3,fillColor:hl?'#ffd700':p.color,fillOpacity:1}:"
	"p.closed?{radius:6,color:'#b2182b',weight:3,fillColor:'#fff',fillOpacity:1}:"
	"{radius:5,color:'#fff',weight:1.5,fillColor:p.color,fillOpacity:1});},\n"
	" onEachFeature:function(f,l){var p=f.properties;l.bindPopup(function(){"
	"return pop([[hl?'Site':'Center',p.name||('id '+p.id)],['id',p.id],['Level',p.level||null],"
	"['Note',p.note]]);});}});}\n"
	"var cen=pts(D.centers,false).addTo(map);over['Centers']=cen;\n"
	"if(D.sites){over[D.sitesTitle]=pts(D.sites,true).addTo(map);}\n"
	"L.control.layers(null,over,{collapsed:false}).addTo(map);\n"
	"L.control.scale({imperial:false,position:'bottomright'}).addTo(map);\n"
	"var b=comp.getBounds();if(cen.getLayers().length)b.extend(cen.getBounds());\n"
	"if(b.isValid())map.fitBounds(b,{padding:[12,12]});else map.setView([0,0],2);\n"
	"var n=0;comp.eachLayer(function(l){if(map.hasLayer(l))n++;});\n"
	"st.setAttribute('data-compounds-rendered',String(n));\n"
	"st.setAttribute('data-centers-rendered',String(cen.getLayers().length));\n"
	"Array.prototype.forEach.call(document.querySelectorAll('tr[data-i]'),function(tr){"
	"tr.className='go';tr.addEventListener('click',function(){var l=byIndex[tr.getAttribute('data-i')];"
	"if(!l)return;map.fitBounds(l.getBounds(),{maxZoom:17});l.openPopup();"
	"document.getElementById('mapwrap').scrollIntoView();});});\n"
	"st.textContent=n+' compounds and '+cen.getLayers().length+' centers drawn. Click a compound for details.';\n"
	"requestAnimationFrame(function(){requestAnimationFrame(function(){"
	"st.setAttribute('data-render-ms',String(Math.round(performance.now())));});});\n"
	"})();\n";

/* ---- reading Leaflet ---- */

static bool read_whole(const char *path, struct ws_strbuf *b, struct ws_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ws_error_set(err, errno == ENOENT ? WS_ERR_NOINPUT : WS_ERR_IO,
				    "%s: %s (the HTML report inlines Leaflet from the Debian package libjs-leaflet)",
				    path, strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ws_strbuf_add(b, chunk, n);
	bool bad = ferror(f);
	fclose(f);
	if (bad)
		return ws_error_set(err, WS_ERR_IO, "%s: read error", path);
	if (!ws_strbuf_ok(b))
		return ws_error_nomem(err);
	if (!b->s)
		return ws_error_set(err, WS_ERR_FORMAT, "%s: empty file", path);
	return true;
}

static bool contains_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

/* leaflet.min.js without its source-map comment (it would name a file beside it). */
static bool add_leaflet_js(struct ws_strbuf *out, const char *dir, struct ws_error *err)
{
	struct ws_strbuf js, path;
	ws_strbuf_init(&js);
	ws_strbuf_init(&path);
	ws_strbuf_printf(&path, "%s/leaflet.min.js", dir);
	bool ok = ws_strbuf_ok(&path) ? read_whole(path.s, &js, err) : ws_error_nomem(err);
	if (ok && contains_nocase(js.s, "</script"))
		ok = ws_error_set(err, WS_ERR_FORMAT, "%s: contains \"</script\" and cannot be inlined", path.s);
	if (ok) {
		char *map = strstr(js.s, "//# sourceMappingURL=");
		size_t n = map ? (size_t)(map - js.s) : js.len;
		ws_strbuf_add(out, js.s, n);
		ws_strbuf_puts(out, "\n");
	}
	ws_strbuf_finish(&js);
	ws_strbuf_finish(&path);
	return ok;
}

/* leaflet.css with its image references (layer-switcher and marker icons, which this page
 * does not use) replaced by none, so the browser never looks for a file. */
static bool add_leaflet_css(struct ws_strbuf *out, const char *dir, struct ws_error *err)
{
	struct ws_strbuf css, path;
	ws_strbuf_init(&css);
	ws_strbuf_init(&path);
	ws_strbuf_printf(&path, "%s/leaflet.css", dir);
	bool ok = ws_strbuf_ok(&path) ? read_whole(path.s, &css, err) : ws_error_nomem(err);
	if (ok && contains_nocase(css.s, "</style"))
		ok = ws_error_set(err, WS_ERR_FORMAT, "%s: contains \"</style\" and cannot be inlined", path.s);
	char *map = ok ? strstr(css.s, "/*# sourceMappingURL=") : NULL;
	if (map)
		*map = '\0';
	for (const char *p = ok ? css.s : ""; *p;) {
		const char *u = strstr(p, "url(");
		if (!u) {
			ws_strbuf_puts(out, p);
			break;
		}
		ws_strbuf_add(out, p, (size_t)(u - p));
		const char *close = strchr(u, ')');
		if (!close) {
			ws_strbuf_puts(out, u);
			break;
		}
		if (u[4] == '#') /* behavior:url(#default#VML), a fragment, not a fetch */
			ws_strbuf_add(out, u, (size_t)(close + 1 - u));
		else
			ws_strbuf_puts(out, "none");
		p = close + 1;
	}
	ws_strbuf_finish(&css);
	ws_strbuf_finish(&path);
	return ok;
}

/* ---- GeoJSON ---- */

static void add_position(struct ws_strbuf *b, const double *xy, int decimals)
{
	ws_strbuf_printf(b, "[%.*f,%.*f]", decimals, xy[0], decimals, xy[1]);
}

/* Points of part p; for lines (dedupe), consecutive points equal at ROAD_DECIMALS are
 * written once; rings keep every point at COORD_DECIMALS so they stay closed. */
static void add_positions(struct ws_strbuf *b, const struct ws_shapes *s, size_t p, bool reverse,
			  bool dedupe)
{
	size_t first = s->part_first_point[p], n = ws_shapes_part_points(s, p);
	int decimals = dedupe ? ROAD_DECIMALS : COORD_DECIMALS;
	double scale = dedupe ? 1e5 : 1e6;
	long long px = 0, py = 0;
	ws_strbuf_add(b, "[", 1);
	for (size_t i = 0, written = 0; i < n; i++) {
		size_t k = reverse ? first + n - 1 - i : first + i;
		const double *xy = s->xy + 2 * k;
		long long qx = llround(xy[0] * scale), qy = llround(xy[1] * scale);
		if (dedupe && written && qx == px && qy == py && i + 1 < n)
			continue;
		if (written++)
			ws_strbuf_add(b, ",", 1);
		add_position(b, xy, decimals);
		px = qx;
		py = qy;
	}
	ws_strbuf_add(b, "]", 1);
}

static void add_polygon(struct ws_strbuf *b, const struct ws_shapes *s, const struct ws_rings *r,
			size_t poly)
{
	ws_strbuf_add(b, "[", 1);
	for (size_t k = r->polygon_first[poly]; k < r->polygon_first[poly + 1]; k++) {
		if (k > r->polygon_first[poly])
			ws_strbuf_add(b, ",", 1);
		add_positions(b, s, r->order[k], r->reverse[k], false);
	}
	ws_strbuf_add(b, "]", 1);
}

/* The "geometry" value of feature f (null when empty). */
static bool add_geometry(struct ws_strbuf *b, const struct ws_shapes *s, size_t f,
			 struct ws_rings *rings, struct ws_error *err)
{
	size_t first = s->feature_first_part[f], n_parts = ws_shapes_feature_parts(s, f);
	if (n_parts == 0) {
		ws_strbuf_puts(b, "null");
		return true;
	}
	if (!ws_rings_check_feature(s, f, err))
		return false;
	switch (s->kind) {
	case WS_GEOM_POINT:
		ws_strbuf_puts(b, "{\"type\":\"Point\",\"coordinates\":");
		add_position(b, s->xy + 2 * s->part_first_point[first], COORD_DECIMALS);
		break;
	case WS_GEOM_LINE:
		ws_strbuf_puts(b, "{\"type\":\"MultiLineString\",\"coordinates\":[");
		for (size_t p = first; p < first + n_parts; p++) {
			if (p > first)
				ws_strbuf_add(b, ",", 1);
			add_positions(b, s, p, false, true);
		}
		ws_strbuf_add(b, "]", 1);
		break;
	case WS_GEOM_POLYGON:
		if (!ws_rings_classify(rings, s, f, true, err))
			return false;
		ws_strbuf_puts(b, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
		for (size_t k = 0; k < rings->n_polygons; k++) {
			if (k)
				ws_strbuf_add(b, ",", 1);
			add_polygon(b, s, rings, k);
		}
		ws_strbuf_add(b, "]", 1);
		break;
	}
	ws_strbuf_add(b, "}", 1);
	return true;
}

static void add_key(struct ws_strbuf *b, const char *key, bool first)
{
	if (!first)
		ws_strbuf_add(b, ",", 1);
	ws_strbuf_json_string(b, key);
	ws_strbuf_add(b, ":", 1);
}

static const char *compound_status(const struct ws_report_compound *c)
{
	if (!c->snapped)
		return "unsnapped";
	if (!isfinite(c->reach_min))
		return "unreachable";
	return c->covered ? "covered" : "not covered";
}

static bool check_count(const struct ws_shapes *s, size_t n, const char *what, struct ws_error *err)
{
	if (s && s->n_features != n)
		return ws_error_set(err, WS_ERR_INTERNAL, "report: %zu %s but %zu %s geometries", n, what,
				    s->n_features, what);
	return true;
}

static bool add_compounds(struct ws_strbuf *b, const struct ws_report_input *in,
			  struct ws_rings *rings, struct ws_error *err)
{
	ws_strbuf_puts(b, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (size_t i = 0, w = 0; i < in->n_compounds; i++) {
		const struct ws_report_compound *c = &in->compounds[i];
		if (ws_shapes_feature_parts(in->compound_shapes, i) == 0)
			continue;
		ws_strbuf_puts(b, w++ ? ",\n{" : "\n{");
		ws_strbuf_printf(b, "\"type\":\"Feature\",\"properties\":{\"i\":%zu", i);
		add_key(b, "id", false);
		ws_strbuf_json_string(b, c->id);
		add_key(b, "name", false);
		ws_strbuf_json_string(b, c->name);
		add_key(b, "status", false);
		ws_strbuf_json_string(b, compound_status(c));
		ws_strbuf_printf(b, ",\"band\":%d", ws_report_band(in, c));
		add_key(b, "reach", false);
		ws_strbuf_json_number(b, c->snapped ? c->reach_min : NAN, 2);
		add_key(b, "nearest", false);
		ws_strbuf_json_string(b, c->nearest);
		if (c->missing_services) {
			add_key(b, "missing", false);
			ws_strbuf_json_string(b, *c->missing_services ? c->missing_services : "none");
		}
		if (isfinite(c->population)) {
			add_key(b, "pop", false);
			ws_strbuf_json_number(b, c->population, 0);
		}
		if (c->changed) {
			ws_strbuf_puts(b, ",\"changed\":true");
			if (c->change_note) {
				add_key(b, "change", false);
				ws_strbuf_json_string(b, c->change_note);
			}
		}
		ws_strbuf_puts(b, "},\"geometry\":");
		if (!add_geometry(b, in->compound_shapes, i, rings, err))
			return ws_error_prefix(err, "report: compound %zu: ", i);
		ws_strbuf_add(b, "}", 1);
	}
	ws_strbuf_puts(b, "]}");
	return true;
}

static bool add_points(struct ws_strbuf *b, const struct ws_report_center *pts, size_t n,
		       const struct ws_shapes *shapes, struct ws_rings *rings, struct ws_error *err)
{
	ws_strbuf_puts(b, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (size_t i = 0, w = 0; i < n; i++) {
		const struct ws_report_center *c = &pts[i];
		if (ws_shapes_feature_parts(shapes, i) == 0)
			continue;
		ws_strbuf_puts(b, w++ ? ",\n{" : "\n{");
		ws_strbuf_printf(b, "\"type\":\"Feature\",\"properties\":{\"i\":%zu", i);
		add_key(b, "id", false);
		ws_strbuf_json_string(b, c->id);
		add_key(b, "name", false);
		ws_strbuf_json_string(b, c->name);
		add_key(b, "level", false);
		ws_strbuf_json_string(b, c->level);
		add_key(b, "color", false);
		ws_strbuf_json_string(b, ws_report_level_color(c->level));
		add_key(b, "note", false);
		ws_strbuf_json_string(b, c->note);
		if (c->highlight)
			ws_strbuf_puts(b, ",\"highlight\":true");
		if (c->closed)
			ws_strbuf_puts(b, ",\"closed\":true");
		ws_strbuf_puts(b, "},\"geometry\":");
		if (!add_geometry(b, shapes, i, rings, err))
			return ws_error_prefix(err, "report: point %zu: ", i);
		ws_strbuf_add(b, "}", 1);
	}
	ws_strbuf_puts(b, "]}");
	return true;
}

/* A whole layer as one feature: one canvas path for thousands of roads. */
static bool add_layer_as_one(struct ws_strbuf *b, const struct ws_shapes *s, struct ws_rings *rings,
			     struct ws_error *err)
{
	ws_strbuf_puts(b, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (size_t f = 0, w = 0; f < s->n_features; f++) {
		if (ws_shapes_feature_parts(s, f) == 0)
			continue;
		ws_strbuf_puts(b, w++ ? ",\n{" : "\n{");
		ws_strbuf_puts(b, "\"type\":\"Feature\",\"properties\":{},\"geometry\":");
		if (!add_geometry(b, s, f, rings, err))
			return false;
		ws_strbuf_add(b, "}", 1);
	}
	ws_strbuf_puts(b, "]}");
	return true;
}

static bool add_data(struct ws_strbuf *b, const struct ws_report_input *in, struct ws_error *err)
{
	struct ws_rings rings;
	ws_rings_init(&rings);
	bool ok = true;
	ws_strbuf_puts(b, "{\"minutes\":");
	ws_strbuf_json_number(b, in->minutes, 4);
	add_key(b, "tiles", false);
	ws_strbuf_json_string(b, in->tiles_url);
	add_key(b, "sitesTitle", false);
	ws_strbuf_json_string(b, in->sites_title ? in->sites_title : "Chosen sites");
	ws_strbuf_puts(b, ",\"bands\":[");
	for (int k = 0; k < WS_REPORT_BANDS; k++) {
		char label[64];
		ws_report_band_label(in, k, label, sizeof label);
		ws_strbuf_printf(b, "%s{\"color\":\"%s\",\"label\":", k ? "," : "", ws_report_band_color(k));
		ws_strbuf_json_string(b, label);
		ws_strbuf_add(b, "}", 1);
	}
	ws_strbuf_puts(b, "],\n\"compounds\":");
	ok = add_compounds(b, in, &rings, err);
	ws_strbuf_puts(b, ",\n\"centers\":");
	ok = ok && add_points(b, in->centers, in->n_centers, in->center_shapes, &rings, err);
	ws_strbuf_puts(b, ",\n\"sites\":");
	if (ok && in->n_sites && in->site_shapes)
		ok = add_points(b, in->sites, in->n_sites, in->site_shapes, &rings, err);
	else
		ws_strbuf_puts(b, "null");
	ws_strbuf_puts(b, ",\n\"isochrone\":");
	if (ok && in->isochrone)
		ok = add_layer_as_one(b, in->isochrone, &rings, err);
	else
		ws_strbuf_puts(b, "null");
	ws_strbuf_puts(b, ",\n\"roads\":");
	if (ok && in->roads) {
		/* one MultiLineString of every road */
		struct ws_shapes one = *in->roads;
		size_t ends[2] = {0, in->roads->n_parts};
		one.n_features = in->roads->n_parts ? 1 : 0;
		one.feature_first_part = ends;
		ok = add_layer_as_one(b, &one, &rings, err);
	} else {
		ws_strbuf_puts(b, "null");
	}
	ws_strbuf_puts(b, "}");
	ws_rings_finish(&rings);
	return ok;
}

/* ---- sections ---- */

static double pct(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : NAN;
}

static void add_pct_cell(struct ws_strbuf *b, double v)
{
	if (isfinite(v))
		ws_strbuf_printf(b, "<td class=\"n\">%.1f %%</td>", v);
	else
		ws_strbuf_puts(b, "<td class=\"n\">-</td>");
}

static void add_compound_label(struct ws_strbuf *b, const struct ws_report_compound *c)
{
	if (c->name && *c->name) {
		ws_strbuf_html(b, c->name);
		ws_strbuf_puts(b, " <span class=\"sub\">(");
		ws_strbuf_html(b, c->id);
		ws_strbuf_puts(b, ")</span>");
	} else {
		ws_strbuf_puts(b, "id ");
		ws_strbuf_html(b, c->id);
	}
}

static bool any_population(const struct ws_report_input *in)
{
	for (size_t i = 0; i < in->n_headlines; i++)
		if (isfinite(in->headlines[i].pop_total))
			return true;
	return false;
}

static void add_headline(struct ws_strbuf *b, const struct ws_report_input *in)
{
	if (!in->n_headlines)
		return;
	const struct ws_report_headline *h0 = &in->headlines[0];
	bool pop = any_population(in);
	ws_strbuf_puts(b, "<section id=\"headline\"><h2>Headline figures</h2>\n<div class=\"cards\">");
	ws_strbuf_printf(b, "<div class=\"card\"><b>%.1f %%</b>of compounds within %g min (%zu of %zu)</div>",
			 h0->n_total ? pct(h0->n_covered, h0->n_total) : 0.0, in->minutes, h0->n_covered,
			 h0->n_total);
	if (isfinite(h0->pop_total) && h0->pop_total > 0)
		ws_strbuf_printf(b, "<div class=\"card\"><b>%.1f %%</b>of residents within %g min</div>",
				 100 * h0->pop_covered / h0->pop_total, in->minutes);
	ws_strbuf_puts(b, "</div>\n<table><thead><tr><th>Centers counted</th><th class=\"n\">Compounds covered</th>"
			  "<th class=\"n\">Share</th>");
	if (pop)
		ws_strbuf_puts(b, "<th class=\"n\">Population covered</th><th class=\"n\">Share</th>");
	ws_strbuf_puts(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < in->n_headlines; i++) {
		const struct ws_report_headline *h = &in->headlines[i];
		ws_strbuf_puts(b, "<tr><td>");
		ws_strbuf_html(b, h->label);
		ws_strbuf_printf(b, "</td><td class=\"n\">%zu / %zu</td>", h->n_covered, h->n_total);
		add_pct_cell(b, pct(h->n_covered, h->n_total));
		if (pop) {
			if (isfinite(h->pop_total))
				ws_strbuf_printf(b, "<td class=\"n\">%.0f / %.0f</td>", h->pop_covered, h->pop_total);
			else
				ws_strbuf_puts(b, "<td class=\"n\">-</td>");
			add_pct_cell(b, isfinite(h->pop_total) && h->pop_total > 0
						? 100 * h->pop_covered / h->pop_total : NAN);
		}
		ws_strbuf_puts(b, "</tr>\n");
	}
	ws_strbuf_puts(b, "</tbody></table></section>\n");
}

static void add_worst(struct ws_strbuf *b, const struct ws_report_input *in)
{
	if (!in->worst || !in->n_worst)
		return;
	bool missing = false;
	for (size_t i = 0; i < in->n_worst; i++)
		if (in->worst[i] < in->n_compounds && in->compounds[in->worst[i]].missing_services)
			missing = true;
	ws_strbuf_printf(b, "<section id=\"worst\"><h2>Worst-served compounds</h2>\n"
			    "<p class=\"sub\">The %zu compounds farthest from any center (click a row to find it on the map).</p>\n"
			    "<table><thead><tr><th class=\"n\">#</th><th>Compound</th><th class=\"n\">Reach</th>"
			    "<th>Nearest center</th>%s</tr></thead><tbody>\n",
			 in->n_worst, missing ? "<th>Missing services</th>" : "");
	for (size_t i = 0; i < in->n_worst; i++) {
		size_t k = in->worst[i];
		if (k >= in->n_compounds)
			continue;
		const struct ws_report_compound *c = &in->compounds[k];
		ws_strbuf_printf(b, "<tr data-i=\"%zu\"><td class=\"n\">%zu</td><td>", k, i + 1);
		add_compound_label(b, c);
		ws_strbuf_puts(b, "</td><td class=\"n\">");
		if (!c->snapped)
			ws_strbuf_puts(b, "unsnapped");
		else if (!isfinite(c->reach_min))
			ws_strbuf_puts(b, "unreachable");
		else
			ws_strbuf_printf(b, "%.2f min", c->reach_min);
		ws_strbuf_puts(b, "</td><td>");
		ws_strbuf_html(b, c->nearest ? c->nearest : "-");
		ws_strbuf_puts(b, "</td>");
		if (missing) {
			ws_strbuf_puts(b, "<td>");
			ws_strbuf_html(b, c->missing_services ? (*c->missing_services ? c->missing_services : "none") : "-");
			ws_strbuf_puts(b, "</td>");
		}
		ws_strbuf_puts(b, "</tr>\n");
	}
	ws_strbuf_puts(b, "</tbody></table></section>\n");
}

static void add_zones(struct ws_strbuf *b, const struct ws_report_input *in)
{
	if (!in->zones || !in->n_zones)
		return;
	bool pop = false;
	for (size_t i = 0; i < in->n_zones; i++)
		pop = pop || isfinite(in->zones[i].pop_total);
	ws_strbuf_puts(b, "<section id=\"zones\"><h2>By zone</h2>\n<table><thead><tr><th>Zone</th>"
			  "<th class=\"n\">Compounds</th><th class=\"n\">Covered</th><th class=\"n\">Share</th>");
	if (pop)
		ws_strbuf_puts(b, "<th class=\"n\">Population covered</th><th class=\"n\">Share</th>");
	ws_strbuf_puts(b, "<th class=\"n\">Median reach</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < in->n_zones; i++) {
		const struct ws_report_zone *z = &in->zones[i];
		ws_strbuf_puts(b, "<tr><td>");
		ws_strbuf_html(b, z->name);
		ws_strbuf_printf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>", z->n_compounds,
				 z->n_covered);
		add_pct_cell(b, pct(z->n_covered, z->n_compounds));
		if (pop) {
			if (isfinite(z->pop_total))
				ws_strbuf_printf(b, "<td class=\"n\">%.0f / %.0f</td>", z->pop_covered, z->pop_total);
			else
				ws_strbuf_puts(b, "<td class=\"n\">-</td>");
			add_pct_cell(b, isfinite(z->pop_total) && z->pop_total > 0
						? 100 * z->pop_covered / z->pop_total : NAN);
		}
		if (isfinite(z->median_reach_min))
			ws_strbuf_printf(b, "<td class=\"n\">%.2f min</td></tr>\n", z->median_reach_min);
		else
			ws_strbuf_puts(b, "<td class=\"n\">-</td></tr>\n");
	}
	ws_strbuf_puts(b, "</tbody></table></section>\n");
}

/* The siting curve as inline SVG: x = sites added, y = covered share, 0..100 %. */
static void add_curve(struct ws_strbuf *b, const struct ws_report_input *in)
{
	const struct ws_report_curve *c = in->curve;
	if (!c || !c->n)
		return;
	const double w = 640, h = 300, l = 56, r = 16, t = 14, bot = 44;
	size_t kmax = 1;
	for (size_t i = 0; i < c->n; i++)
		if (c->point[i].n_sites > kmax)
			kmax = c->point[i].n_sites;
	double pw = w - l - r, ph = h - t - bot;
	ws_strbuf_printf(b, "<section id=\"curve\"><h2>Siting coverage curve</h2>\n"
			    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
			    "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"coverage curve\">\n"
			    "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"#fafafa\" stroke=\"#999\"/>\n",
			 w, h, w, h, l, t, pw, ph);
	for (int g = 0; g <= 100; g += 20) {
		double y = t + ph * (1 - g / 100.0);
		ws_strbuf_printf(b, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
				    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d %%</text>\n",
				 l, l + pw, y, y, l - 6, y + 4, g);
	}
	size_t step = kmax <= 10 ? 1 : (kmax + 9) / 10;
	for (size_t k = 0; k <= kmax; k += step) {
		double x = l + pw * (double)k / (double)kmax;
		ws_strbuf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"middle\">%zu</text>\n",
				 x, t + ph + 16, k);
	}
	ws_strbuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\">sites added</text>\n",
			 l + pw / 2, h - 6);
	ws_strbuf_printf(b, "<text x=\"14\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\" "
			    "transform=\"rotate(-90 14 %.0f)\">",
			 t + ph / 2, t + ph / 2);
	ws_strbuf_html(b, c->y_label ? c->y_label : "covered (%)");
	ws_strbuf_puts(b, "</text>\n<polyline fill=\"none\" stroke=\"#2166ac\" stroke-width=\"2\" points=\"");
	for (size_t i = 0; i < c->n; i++) {
		double v = c->point[i].covered_pct;
		ws_strbuf_printf(b, "%s%.1f,%.1f", i ? " " : "", l + pw * (double)c->point[i].n_sites / (double)kmax,
				 t + ph * (1 - (isfinite(v) ? v : 0) / 100.0));
	}
	ws_strbuf_puts(b, "\"/>\n");
	for (size_t i = 0; i < c->n; i++) {
		double v = c->point[i].covered_pct;
		ws_strbuf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#2166ac\"><title>",
				 l + pw * (double)c->point[i].n_sites / (double)kmax,
				 t + ph * (1 - (isfinite(v) ? v : 0) / 100.0));
		ws_strbuf_printf(b, "%zu sites: %.1f %%", c->point[i].n_sites, v);
		if (c->point[i].site) {
			ws_strbuf_puts(b, " (+ ");
			ws_strbuf_html(b, c->point[i].site);
			ws_strbuf_puts(b, ")");
		}
		ws_strbuf_puts(b, "</title></circle>\n");
	}
	ws_strbuf_puts(b, "</svg>\n<table><thead><tr><th class=\"n\">Sites</th><th>Added</th>"
			  "<th class=\"n\">Covered</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < c->n; i++) {
		ws_strbuf_printf(b, "<tr><td class=\"n\">%zu</td><td>", c->point[i].n_sites);
		ws_strbuf_html(b, c->point[i].site ? c->point[i].site : "-");
		ws_strbuf_puts(b, "</td>");
		add_pct_cell(b, c->point[i].covered_pct);
		ws_strbuf_puts(b, "</tr>\n");
	}
	ws_strbuf_puts(b, "</tbody></table></section>\n");
}

static void add_scenario(struct ws_strbuf *b, const struct ws_report_input *in)
{
	const struct ws_report_scenario *s = in->scenario;
	if (!s || !s->n)
		return;
	ws_strbuf_puts(b, "<section id=\"scenario\"><h2>Scenario: before and after</h2>\n");
	if (s->description) {
		ws_strbuf_puts(b, "<p class=\"sub\">");
		ws_strbuf_html(b, s->description);
		ws_strbuf_puts(b, "</p>\n");
	}
	ws_strbuf_puts(b, "<table><thead><tr><th>Figure</th><th class=\"n\">Before</th><th class=\"n\">After</th>"
			  "<th class=\"n\">Change</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct ws_report_scenario_row *r = &s->row[i];
		const char *unit = r->unit ? r->unit : "";
		const char *sep = *unit ? " " : "";
		double d = r->after - r->before;
		const char *cls = d == 0 || !isfinite(d) ? "" : ((d < 0) == r->lower_is_better ? "better" : "worse");
		ws_strbuf_puts(b, "<tr><td>");
		ws_strbuf_html(b, r->label);
		ws_strbuf_printf(b, "</td><td class=\"n\">%.*f%s", r->decimals, r->before, sep);
		ws_strbuf_html(b, unit);
		ws_strbuf_printf(b, "</td><td class=\"n\">%.*f%s", r->decimals, r->after, sep);
		ws_strbuf_html(b, unit);
		ws_strbuf_printf(b, "</td><td class=\"n %s\">%+.*f%s", cls, r->decimals, d, sep);
		ws_strbuf_html(b, unit);
		ws_strbuf_puts(b, "</td></tr>\n");
	}
	ws_strbuf_puts(b, "</tbody></table></section>\n");
}

static void add_sites(struct ws_strbuf *b, const struct ws_report_input *in)
{
	if (!in->sites || !in->n_sites)
		return;
	ws_strbuf_puts(b, "<section id=\"sites\"><h2>");
	ws_strbuf_html(b, in->sites_title ? in->sites_title : "Chosen sites");
	ws_strbuf_puts(b, "</h2>\n<table><thead><tr><th class=\"n\">#</th>"
			  "<th>Site</th><th>Level</th><th>Note</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < in->n_sites; i++) {
		const struct ws_report_center *s = &in->sites[i];
		ws_strbuf_printf(b, "<tr><td class=\"n\">%zu</td><td>", i + 1);
		ws_strbuf_html(b, s->name && *s->name ? s->name : s->id);
		ws_strbuf_puts(b, "</td><td>");
		ws_strbuf_html(b, s->level);
		ws_strbuf_puts(b, "</td><td>");
		ws_strbuf_html(b, s->note);
		ws_strbuf_puts(b, "</td></tr>\n");
	}
	ws_strbuf_puts(b, "</tbody></table></section>\n");
}

static void add_legend(struct ws_strbuf *b, const struct ws_report_input *in)
{
	ws_strbuf_puts(b, "<div class=\"legend\" id=\"legend\"><div><b>Walk to the nearest center</b></div>\n");
	for (int k = 0; k < WS_REPORT_BANDS; k++) {
		char label[64];
		ws_report_band_label(in, k, label, sizeof label);
		ws_strbuf_printf(b, "<div><span class=\"sw\" style=\"background:%s\"></span>", ws_report_band_color(k));
		ws_strbuf_html(b, label);
		ws_strbuf_puts(b, "</div>\n");
	}
	static const char *const levels[] = {"district", "subdistrict", "community", "building"};
	bool shown[5] = {false};
	for (size_t i = 0; i < in->n_centers; i++) {
		const char *lv = in->centers[i].level;
		size_t k = 0;
		while (k < 4 && (!lv || strcmp(lv, levels[k])))
			k++;
		shown[k] = true;
	}
	for (size_t k = 0; k < 5; k++) {
		if (!shown[k])
			continue;
		ws_strbuf_printf(b, "<div><span class=\"dot\" style=\"background:%s\"></span>center: %s</div>\n",
				 ws_report_level_color(k < 4 ? levels[k] : NULL), k < 4 ? levels[k] : "other level");
	}
	bool closed = false;
	for (size_t i = 0; i < in->n_centers; i++)
		closed = closed || in->centers[i].closed;
	if (closed)
		ws_strbuf_puts(b, "<div><span class=\"dot\" style=\"background:#fff;border:2px solid #b2182b;outline:none\"></span>closed center</div>\n");
	if (in->n_sites) {
		ws_strbuf_puts(b, "<div><span class=\"dot\" style=\"background:#ffd700;outline:2px solid #000\"></span>");
		ws_strbuf_html(b, in->site_legend ? in->site_legend : "chosen site");
		ws_strbuf_puts(b, "</div>\n");
	}
	if (in->isochrone)
		ws_strbuf_puts(b, "<div><span class=\"sw\" style=\"border:2px dashed #08306b;background:none\"></span>isochrone outline</div>\n");
	bool changed = false;
	for (size_t i = 0; i < in->n_compounds; i++)
		changed = changed || in->compounds[i].changed;
	if (changed) {
		ws_strbuf_puts(b, "<div><span class=\"sw\" style=\"border:3px solid #000\"></span>");
		ws_strbuf_html(b, in->changed_legend ? in->changed_legend : "changed by the scenario");
		ws_strbuf_puts(b, "</div>\n");
	}
	ws_strbuf_puts(b, "</div>\n");
}

static void add_footer(struct ws_strbuf *b, const struct ws_report_input *in)
{
	ws_strbuf_puts(b, "<footer><h2>How this report was made</h2>\n<table>");
	ws_strbuf_puts(b, "<tr><th>Tool</th><td>walkshed ");
	ws_strbuf_html(b, in->version);
	ws_strbuf_puts(b, ", command <code>");
	ws_strbuf_html(b, in->command);
	ws_strbuf_puts(b, "</code>, model SPEC v1</td></tr>\n<tr><th>Dataset</th><td>");
	ws_strbuf_html(b, in->dataset);
	ws_strbuf_puts(b, "</td></tr>\n<tr><th>CRS</th><td>source ");
	ws_strbuf_html(b, in->crs_source);
	ws_strbuf_puts(b, "; working ");
	ws_strbuf_html(b, in->crs_working);
	ws_strbuf_puts(b, "; map in WGS 84 (EPSG:4326) on Web Mercator</td></tr>\n");
	for (size_t i = 0; i < in->n_params; i++) {
		ws_strbuf_puts(b, "<tr><th>");
		ws_strbuf_html(b, in->params[i].name);
		ws_strbuf_puts(b, "</th><td>");
		ws_strbuf_html(b, in->params[i].value);
		ws_strbuf_puts(b, "</td></tr>\n");
	}
	ws_strbuf_puts(b, "</table>\n");
	if (in->n_inputs) {
		ws_strbuf_puts(b, "<table><thead><tr><th>Input file</th><th>SHA-256</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < in->n_inputs; i++) {
			ws_strbuf_puts(b, "<tr><td><code>");
			ws_strbuf_html(b, in->inputs[i].path);
			ws_strbuf_puts(b, "</code></td><td><code>");
			ws_strbuf_html(b, in->inputs[i].sha256);
			ws_strbuf_puts(b, "</code></td></tr>\n");
		}
		ws_strbuf_puts(b, "</tbody></table>\n");
	}
	ws_strbuf_puts(b, "<p>Map data &copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> "
			  "contributors, available under the Open Database License (ODbL).");
	if (in->tiles_url) {
		ws_strbuf_puts(b, " Basemap tiles are loaded from <code>");
		ws_strbuf_html(b, in->tiles_url);
		ws_strbuf_puts(b, "</code> (not available offline).");
	} else {
		ws_strbuf_puts(b, " No basemap: the page makes no network request and opens offline.");
	}
	ws_strbuf_puts(b, "</p>\n<details><summary>Leaflet licence (the map library inlined in this page)</summary>"
			  "<pre class=\"licence\">");
	ws_strbuf_html(b, leaflet_licence);
	ws_strbuf_puts(b, "</pre></details>\n</footer>\n");
}

bool ws_report_html_build(struct ws_strbuf *b, const struct ws_report_input *in,
			  const char *leaflet_dir, struct ws_error *err)
{
	if (!leaflet_dir)
		leaflet_dir = WS_LEAFLET_DIR;
	if (!check_count(in->compound_shapes, in->n_compounds, "compounds", err) ||
	    !check_count(in->center_shapes, in->n_centers, "centers", err) ||
	    !check_count(in->site_shapes, in->n_sites, "sites", err))
		return false;
	if (!in->compound_shapes || !in->center_shapes)
		return ws_error_set(err, WS_ERR_INTERNAL, "report: compound and center geometries are required");
	size_t n_drawn = 0;
	for (size_t i = 0; i < in->n_compounds; i++)
		n_drawn += ws_shapes_feature_parts(in->compound_shapes, i) > 0;

	ws_strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			  "<meta name=\"generator\" content=\"walkshed ");
	ws_strbuf_html(b, in->version);
	ws_strbuf_puts(b, "\">\n<title>");
	ws_strbuf_html(b, in->title);
	ws_strbuf_puts(b, ": ");
	ws_strbuf_html(b, in->dataset);
	ws_strbuf_puts(b, "</title>\n<style>\n/* Leaflet stylesheet (libjs-leaflet, BSD-2-Clause, licence in the footer) */\n");
	if (!add_leaflet_css(b, leaflet_dir, err))
		return false;
	ws_strbuf_puts(b, "</style>\n<style>\n");
	ws_strbuf_puts(b, page_css);
	ws_strbuf_puts(b, "</style>\n</head>\n<body>\n<header><h1>");
	ws_strbuf_html(b, in->title);
	ws_strbuf_puts(b, "</h1>\n<p class=\"sub\">");
	ws_strbuf_html(b, in->dataset);
	ws_strbuf_printf(b, ": %zu compounds, %zu centers; walking threshold %g min.</p></header>\n",
			 in->n_compounds, in->n_centers, in->minutes);
	ws_strbuf_puts(b, "<section id=\"map-section\"><div id=\"mapwrap\"><div id=\"map\"></div>\n");
	add_legend(b, in);
	ws_strbuf_printf(b, "</div>\n<p class=\"status\" id=\"ws-status\" data-compounds-expected=\"%zu\" "
			    "data-compounds-rendered=\"0\">The map needs JavaScript.</p></section>\n",
			 n_drawn);
	/* what the command is about first: the scenario and siting sections, then the tables */
	add_headline(b, in);
	add_scenario(b, in);
	add_curve(b, in);
	add_sites(b, in);
	add_zones(b, in);
	add_worst(b, in);
	add_footer(b, in);
	ws_strbuf_puts(b, "<script>\n/* Leaflet (libjs-leaflet): Copyright (c) 2010-2019 Vladimir Agafonkin, "
			  "(c) 2010-2011 CloudMade; BSD-2-Clause, full licence in the page footer. */\n");
	if (!add_leaflet_js(b, leaflet_dir, err))
		return false;
	ws_strbuf_puts(b, "</script>\n<script type=\"application/json\" id=\"ws-data\">");
	if (!add_data(b, in, err))
		return false;
	ws_strbuf_puts(b, "</script>\n<script>\n");
	ws_strbuf_puts(b, page_js);
	ws_strbuf_puts(b, "</script>\n</body>\n</html>\n");
	return ws_strbuf_ok(b) || ws_error_nomem(err);
}

bool ws_report_write_html(const char *path, const struct ws_report_input *in,
			  const char *leaflet_dir, struct ws_error *err)
{
	struct ws_strbuf b;
	ws_strbuf_init(&b);
	bool ok = ws_report_html_build(&b, in, leaflet_dir, err);
	if (ok) {
		FILE *f = fopen(path, "wb");
		if (!f) {
			ok = ws_error_set(err, WS_ERR_IO, "%s: %s", path, strerror(errno));
		} else {
			bool written = fwrite(b.s, 1, b.len, f) == b.len;
			written = fflush(f) == 0 && written;
			written = (fclose(f) == 0) && written;
			if (!written)
				ok = ws_error_set(err, WS_ERR_IO, "%s: write failed (disk full?)", path);
		}
	}
	ws_strbuf_finish(&b);
	return ok;
}
