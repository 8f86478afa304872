/* CRS parsing, the automatic UTM working CRS (SPEC 2) and reprojection, including
 * BAD_INPUTS 13-16. Expected figures come from BAD_INPUTS.md or from facts about UTM zones
 * and datums, never from walkshed's own output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"
#include "tap.h"

/* /work/shared/data/porto/roads.prj, ESRI WKT1 as written by ArcGIS/QGIS. */
static const char *porto_prj =
	"GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
	"298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

static bool contains(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle);
}

static struct ws_crs *crs_or_die(const char *def)
{
	struct ws_error err = {0};
	struct ws_crs *crs = ws_crs_create(def, "test", &err);
	if (!crs) {
		diag("cannot create %s: %s", def, err.msg);
		exit(1);
	}
	return crs;
}

static void test_parse(void)
{
	struct ws_crs *prj = crs_or_die(porto_prj);
	is_str(ws_crs_code(prj), "EPSG:4326", "ESRI GCS_WGS_1984 is identified as EPSG:4326");
	ok(!ws_crs_is_metric(prj), "geographic CRS is not metric");
	ws_crs_destroy(prj);

	struct ws_crs *utm = crs_or_die("EPSG:32629");
	is_str(ws_crs_name(utm), "WGS 84 / UTM zone 29N", "name of EPSG:32629");
	is_str(ws_crs_code(utm), "EPSG:32629", "code of EPSG:32629");
	ok(ws_crs_is_metric(utm), "UTM is metric");
	struct ws_error err = {0};
	char *prj_text = ws_crs_to_prj(utm, &err);
	ok(contains(prj_text, "UTM") && contains(prj_text, "29N"), "prj of 32629 names UTM 29N");
	ok(contains(prj_text, "PROJCS["), "prj is WKT1");
	free(prj_text);
	ws_crs_destroy(utm);

	/* New York Long Island in US survey feet: projected, but not metres. */
	struct ws_crs *feet = crs_or_die("EPSG:2263");
	ok(!ws_crs_is_metric(feet), "a projected CRS in feet is not metric");
	ws_crs_destroy(feet);

	/* A PROJ string without +type=crs, with +towgs84 (a BoundCRS). */
	struct ws_crs *str = crs_or_die("+proj=utm +zone=29 +ellps=intl +towgs84=-87,-98,-121 +units=m");
	ok(ws_crs_is_metric(str), "PROJ string with +towgs84 is a metric CRS");
	ws_crs_destroy(str);

	struct ws_crs *wkt2 = crs_or_die(
		"GEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\",ELLIPSOID[\"WGS 84\","
		"6378137,298.257223563]],CS[ellipsoidal,2],AXIS[\"latitude\",north],"
		"AXIS[\"longitude\",east],UNIT[\"degree\",0.0174532925199433]]");
	is_str(ws_crs_code(wkt2), "EPSG:4326", "WKT2 WGS 84 identified as EPSG:4326");
	ws_crs_destroy(wkt2);

	/* A compound CRS (UTM + EGM96 height) keeps its horizontal part. */
	struct ws_crs *compound = crs_or_die("EPSG:32629+5773");
	ok(ws_crs_is_metric(compound), "compound CRS reduced to its metric horizontal part");
	is_str(ws_crs_code(compound), "EPSG:32629", "compound CRS code is the horizontal one");
	ws_crs_destroy(compound);
}

static void expect_parse_error(const char *def, const char *proj_words, const char *label)
{
	struct ws_error err = {0};
	struct ws_crs *crs = ws_crs_create(def, "roads.prj", &err);
	ok(!crs, "%s is rejected", label);
	is_int(err.code, WS_ERR_PROJ, "%s: WS_ERR_PROJ", label);
	ok(strncmp(err.msg, "roads.prj: ", 11) == 0, "%s: message names the file", label);
	/* The words PROJ 9.1 logs for this failure (checked on Debian 12). */
	if (!ok(contains(err.msg, proj_words), "%s: message quotes PROJ (\"%s\")", label, proj_words))
		diag("message: %s", err.msg);
	ws_crs_destroy(crs);
}

static void test_parse_errors(void)
{
	/* BAD_INPUTS 13. */
	expect_parse_error("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_19",
			   "missing", "truncated WKT");
	expect_parse_error("EPSG:999999", "crs not found", "unknown EPSG code");
	expect_parse_error("", "unrecognized format", "empty definition");
	expect_parse_error("  \n", "unrecognized format", "blank definition");
	expect_parse_error("+proj=nonsense", "Unknown projection", "unknown PROJ projection");
}

static double distance(double x0, double y0, double x1, double y1)
{
	return hypot(x1 - x0, y1 - y0);
}

static void test_cairo_golden(void)
{
	/* BAD_INPUTS 14: lon/lat data with the porto (EPSG:4326) .prj. */
	struct ws_crs *src = crs_or_die(porto_prj);
	struct ws_error err = {0};
	double bbox[4] = {31.2357, 30.0444, 31.2357, 30.0444};
	struct ws_crs *utm = ws_crs_create_auto_utm(src, bbox, &err);
	ok(utm != NULL, "auto UTM for Cairo");
	if (!utm) {
		diag("%s", err.msg);
		ws_crs_destroy(src);
		return;
	}
	is_str(ws_crs_code(utm), "EPSG:32636", "Cairo is UTM 36N");
	struct ws_transform *tr = ws_transform_create(src, utm, 1.0, &err);
	ok(tr != NULL, "4326 -> UTM 36N passes a 1 m bound (a conversion is exact)");
	if (tr) {
		double xy[2] = {31.2357, 30.0444};
		ok(ws_transform_points(tr, xy, 1, 1, NULL, &err), "transform Cairo");
		is_double(xy[0], 329899.6, 0.1, "Cairo easting (BAD_INPUTS 14)");
		is_double(xy[1], 3325016.7, 0.1, "Cairo northing (BAD_INPUTS 14)");
		ok(distance(xy[0], xy[1], 218478.8, 3459491.3) > 1000,
		   "not the swapped-axis answer");
		is_double(ws_transform_accuracy_m(tr), 0, 0, "a map projection reports accuracy 0");
	}
	ws_transform_destroy(tr);
	ws_crs_destroy(utm);
	ws_crs_destroy(src);
}

static struct ws_crs *auto_utm(const char *src_def, double x0, double y0, double x1, double y1)
{
	struct ws_crs *src = crs_or_die(src_def);
	struct ws_error err = {0};
	double bbox[4] = {x0, y0, x1, y1};
	struct ws_crs *utm = ws_crs_create_auto_utm(src, bbox, &err);
	if (!utm)
		diag("auto UTM failed: %s", err.msg);
	ws_crs_destroy(src);
	return utm;
}

static void test_auto_utm(void)
{
	struct ws_crs *utm;
	/* Porto: 8.6 W lies in zone 29 (12 W .. 6 W). */
	utm = auto_utm("EPSG:4326", -8.62, 41.14, -8.60, 41.16);
	is_str(utm ? ws_crs_code(utm) : NULL, "EPSG:32629", "Porto -> UTM 29N");
	ok(utm && ws_crs_is_metric(utm), "the working CRS is metric");
	ws_crs_destroy(utm);

	/* Sydney: 151.2 E lies in zone 56 (150 E .. 156 E), south. */
	utm = auto_utm("EPSG:4326", 151.1, -33.95, 151.3, -33.8);
	is_str(utm ? ws_crs_code(utm) : NULL, "EPSG:32756", "Sydney -> UTM 56S");
	ws_crs_destroy(utm);

	/* Helsinki 24.9 E is zone 35; its ETRS89 TM35FIN coordinates (EPSG:3067). */
	utm = auto_utm("EPSG:3067", 380000, 6670000, 395000, 6680000);
	is_str(utm ? ws_crs_code(utm) : NULL, "EPSG:32635", "Helsinki (TM35FIN) -> UTM 35N");
	ws_crs_destroy(utm);

	/* Fiji, near the antimeridian: 179.25 E is in zone 60 (174 E .. 180), south. */
	utm = auto_utm("EPSG:4326", 179.0, -17.0, 179.5, -16.5);
	is_str(utm ? ws_crs_code(utm) : NULL, "EPSG:32760", "Fiji 179.25 E -> UTM 60S");
	ws_crs_destroy(utm);

	/* A projected source already in UTM 29N: same zone, identity transform. */
	struct ws_crs *src = crs_or_die("EPSG:32629");
	struct ws_error err = {0};
	double bbox[4] = {530000, 4553000, 534000, 4557000};
	utm = ws_crs_create_auto_utm(src, bbox, &err);
	is_str(utm ? ws_crs_code(utm) : NULL, "EPSG:32629", "UTM 29N Porto box -> UTM 29N");
	struct ws_transform *tr = utm ? ws_transform_create(src, utm, 0.0, &err) : NULL;
	ok(tr && ws_transform_is_identity(tr), "same CRS: identity transform (even with bound 0)");
	if (tr) {
		double xy[4] = {531234.5678901234, 4554321.123456789, -0.0, 1e-300};
		double before[4];
		memcpy(before, xy, sizeof xy);
		ok(ws_transform_points(tr, xy, 2, 4, NULL, &err), "identity transform runs");
		ok(memcmp(xy, before, sizeof xy) == 0, "identity leaves coordinates bit-identical");
	}
	ws_transform_destroy(tr);
	ws_crs_destroy(utm);
	ws_crs_destroy(src);

	/* BAD_INPUTS 16 at the bounding box stage. */
	src = crs_or_die("EPSG:4326");
	err = (struct ws_error){0};
	double polar[4] = {10, 80, 11, 95};
	utm = ws_crs_create_auto_utm(src, polar, &err);
	ok(!utm, "bbox reaching latitude 95 is rejected");
	is_int(err.code, WS_ERR_PROJ, "latitude 95 bbox: WS_ERR_PROJ");
	ws_crs_destroy(utm);
	ws_crs_destroy(src);
}

static void test_round_trip(void)
{
	struct ws_crs *geo = crs_or_die("EPSG:4326");
	struct ws_crs *utm = crs_or_die("EPSG:32629");
	struct ws_error err = {0};
	struct ws_transform *fwd = ws_transform_create(geo, utm, -1, &err);
	struct ws_transform *inv = ws_transform_create(utm, geo, -1, &err);
	ok(fwd && inv, "both directions created");
	if (fwd && inv) {
		double orig[6] = {-8.61, 41.15, -9.5, 38.7, -6.2, 42.0};
		double xy[6];
		memcpy(xy, orig, sizeof xy);
		ok(ws_transform_points(fwd, xy, 3, 1, NULL, &err), "forward");
		ok(xy[0] > 500000 && xy[0] < 600000 && xy[1] > 4500000 && xy[1] < 4600000,
		   "Porto lands east of the zone's central meridian (x = easting)");
		ok(ws_transform_points(inv, xy, 3, 1, NULL, &err), "inverse");
		double worst = 0;
		for (int i = 0; i < 6; i++)
			worst = fmax(worst, fabs(xy[i] - orig[i]));
		is_double(worst, 0, 1e-9, "round trip within 1e-9 degree");
	}
	ws_transform_destroy(fwd);
	ws_transform_destroy(inv);
	ws_crs_destroy(utm);
	ws_crs_destroy(geo);
}

static void test_bad_points(void)
{
	struct ws_crs *geo = crs_or_die("EPSG:4326");
	struct ws_crs *utm = crs_or_die("EPSG:32629");
	struct ws_error err = {0};
	struct ws_transform *tr = ws_transform_create(geo, utm, -1, &err);
	ok(tr != NULL, "4326 -> 32629");
	if (!tr)
		goto out;
	/* BAD_INPUTS 16: PROJ returns inf for latitude 95. Points 3 and 4 are both bad; the
	 * lowest index is reported. */
	double xy[10] = {-8.6, 41.1, -8.6, 41.2, -8.6, 41.3, -8.6, 95.0, -8.6, -95.0};
	size_t bad = 0;
	ok(!ws_transform_points(tr, xy, 5, 1, &bad, &err), "latitude 95 fails");
	is_int(err.code, WS_ERR_PROJ, "latitude 95: WS_ERR_PROJ");
	is_int(bad, 3, "latitude 95: the lowest bad index is named");
	ok(contains(err.msg, "point 3"), "message names point 3");

	/* The same with threads over a large array: still the lowest bad index. */
	size_t n = 100000;
	double *big = malloc(2 * n * sizeof *big);
	for (size_t i = 0; i < n; i++) {
		big[2 * i] = -8.7 + 1e-6 * (double)i;
		big[2 * i + 1] = 41.1;
	}
	big[2 * 70001 + 1] = 95;
	big[2 * 50003 + 1] = 95;
	err = (struct ws_error){0};
	ok(!ws_transform_points(tr, big, n, 3, &bad, &err), "threaded: latitude 95 fails");
	is_int(bad, 50003, "threaded: lowest bad index");

	/* Non-finite input never reaches PROJ. */
	xy[5] = NAN;
	err = (struct ws_error){0};
	ok(!ws_transform_points(tr, xy, 5, 1, &bad, &err), "NaN input fails");
	is_int(bad, 2, "NaN input: index named");
	free(big);
out:
	ws_transform_destroy(tr);
	ws_crs_destroy(utm);
	ws_crs_destroy(geo);
}

static void test_nad27(void)
{
	/* BAD_INPUTS 15. proj-data here has no NADCON/NTv2 grids, so PROJ 9.1 offers a set of
	 * 17 Helmert-style NAD27 -> WGS 84 transformations (1..44 m), chosen per point by area
	 * of use, plus a ballpark fallback for points outside them all. The set's accuracy is
	 * therefore unknown (-1), and any bound refuses it. */
	struct ws_crs *nad27 = crs_or_die("EPSG:4267");
	struct ws_crs *utm = crs_or_die("EPSG:32617");
	struct ws_crs *wgs84 = crs_or_die("EPSG:4326");
	struct ws_error err = {0};
	struct ws_transform *tr = ws_transform_create(nad27, utm, -1, &err);
	ok(tr != NULL, "NAD27 -> UTM 17N without a bound");
	if (tr) {
		const char *d = ws_transform_description(tr);
		diag("NAD27 -> 32617: %s; accuracy %g", d, ws_transform_accuracy_m(tr));
		ok(contains(d, "NAD27 to WGS 84"), "description names the datum shift");
		ok(contains(d, "ballpark"), "description admits the ballpark fallback");
		is_double(ws_transform_accuracy_m(tr), -1, 0, "accuracy unknown");

		/* Columbus, Ohio: a real datum shift (tens of metres at most in the eastern US)
		 * separates NAD27 from WGS 84 here; a ballpark would give zero difference. */
		struct ws_transform *w = ws_transform_create(wgs84, utm, -1, &err);
		double a[2] = {-83.0, 40.0}, b[2] = {-83.0, 40.0};
		ok(w && ws_transform_points(tr, a, 1, 1, NULL, &err) &&
			   ws_transform_points(w, b, 1, 1, NULL, &err),
		   "Columbus in both datums");
		double shift = distance(a[0], a[1], b[0], b[1]);
		diag("NAD27 vs WGS 84 at Columbus: %.2f m", shift);
		ok(shift > 1 && shift < 100, "datum shift applied (1..100 m)");
		ws_transform_destroy(w);
	}
	ws_transform_destroy(tr);

	err = (struct ws_error){0};
	tr = ws_transform_create(nad27, utm, 1.0, &err);
	ok(!tr, "NAD27 -> UTM 17N refused with max_error_m = 1");
	is_int(err.code, WS_ERR_PROJ, "refusal is WS_ERR_PROJ");
	ok(contains(err.msg, "NAD27 to WGS 84") && contains(err.msg, "unknown"),
	   "refusal names the operation and its accuracy");
	diag("%s", err.msg);
	ws_transform_destroy(tr);

	/* ETRS89 -> WGS 84 is the 1 m null transformation EPSG:1149 inside Europe, but PROJ
	 * 9.1 answers a set of two (it and a worldwide ballpark for points outside Europe) and
	 * ws_transform_create sees no data extent, so a bound refuses it as well: the bound is
	 * conservative by design. */
	struct ws_crs *etrs = crs_or_die("EPSG:4258");
	struct ws_crs *utm29 = crs_or_die("EPSG:32629");
	err = (struct ws_error){0};
	tr = ws_transform_create(etrs, utm29, -1, &err);
	ok(tr && contains(ws_transform_description(tr), "ETRS89 to WGS 84 (1)"),
	   "ETRS89 -> UTM 29N names EPSG:1149");
	ws_transform_destroy(tr);
	err = (struct ws_error){0};
	tr = ws_transform_create(etrs, utm29, 5.0, &err);
	ok(!tr && contains(err.msg, "unknown"), "ETRS89 set with a ballpark fallback is refused");
	ws_transform_destroy(tr);

	/* With the data's extent (ws_transform_create_within, as the study does) PROJ keeps
	 * only the operations for that area: ETRS89 in Lisbon is EPSG:1149 alone, 1 m, and
	 * NAD27 in Columbus a set of NAD27 -> WGS 84 transformations covering Ohio, all of
	 * known accuracy (no ballpark fallback), so a bound of tens of metres accepts it. */
	const double lisbon[4] = {-9.2, 38.7, -9.1, 38.8}, columbus[4] = {-83.05, 39.9, -82.95, 40.0};
	err = (struct ws_error){0};
	tr = ws_transform_create_within(etrs, utm29, 5.0, lisbon, &err);
	ok(tr && !contains(ws_transform_description(tr), "one of") &&
		   contains(ws_transform_description(tr), "ETRS89 to WGS 84 (1)"),
	   "ETRS89 within Lisbon: the single operation EPSG:1149 (%s)", tr ? ws_transform_description(tr) : err.msg);
	is_double(tr ? ws_transform_accuracy_m(tr) : -2, 1, 0, "ETRS89 within Lisbon: accuracy 1 m, within a 5 m bound");
	ws_transform_destroy(tr);
	err = (struct ws_error){0};
	tr = ws_transform_create_within(nad27, utm, -1, columbus, &err);
	double acc = tr ? ws_transform_accuracy_m(tr) : -2;
	diag("NAD27 within Columbus: %s; accuracy %g", tr ? ws_transform_description(tr) : err.msg, acc);
	ok(tr && !contains(ws_transform_description(tr), "ballpark") && acc >= 1 && acc <= 44,
	   "NAD27 within Columbus: known accuracy (1..44 m), no ballpark fallback");
	ws_transform_destroy(tr);
	err = (struct ws_error){0};
	tr = ws_transform_create_within(nad27, utm, 50.0, columbus, &err);
	ok(tr != NULL, "NAD27 within Columbus passes a 50 m bound");
	ws_transform_destroy(tr);
	err = (struct ws_error){0};
	tr = ws_transform_create_within(nad27, utm, 1.0, columbus, &err);
	ok(!tr && contains(err.msg, "bound of 1 m"), "... and is refused with a 1 m bound");
	ws_transform_destroy(tr);

	/* Same datum, two projections: a chain of conversions is exact and passes bound 0. */
	struct ws_crs *utm30 = crs_or_die("EPSG:32630");
	err = (struct ws_error){0};
	tr = ws_transform_create(utm29, utm30, 0.0, &err);
	if (!ok(tr != NULL, "UTM 29N -> UTM 30N passes bound 0"))
		diag("%s", err.msg);
	if (tr)
		diag("32629 -> 32630: %s", ws_transform_description(tr));
	ws_transform_destroy(tr);
	ws_crs_destroy(utm30);
	ws_crs_destroy(utm29);
	ws_crs_destroy(etrs);
	ws_crs_destroy(wgs84);
	ws_crs_destroy(utm);
	ws_crs_destroy(nad27);
}

static void compare_threads(const char *src_def, const char *dst_def, double lon0, double lat0,
			    const char *label)
{
	struct ws_crs *src = crs_or_die(src_def);
	struct ws_crs *dst = crs_or_die(dst_def);
	struct ws_error err = {0};
	struct ws_transform *tr = ws_transform_create(src, dst, -1, &err);
	size_t n = 100000;
	double *one = malloc(2 * n * sizeof *one);
	double *many = malloc(2 * n * sizeof *many);
	double *orig = malloc(2 * n * sizeof *orig);
	for (size_t i = 0; i < n; i++) {
		/* A 0.3 x 0.3 degree cloud of distinct points. */
		one[2 * i] = lon0 + 0.3 * (double)(i % 1000) / 1000;
		one[2 * i + 1] = lat0 + 0.3 * (double)(i / 1000) / 100;
	}
	memcpy(orig, one, 2 * n * sizeof *one);
	memcpy(many, one, 2 * n * sizeof *one);
	ok(tr && ws_transform_points(tr, one, n, 1, NULL, &err), "%s: 1 thread", label);
	ok(tr && ws_transform_points(tr, many, n, 2, NULL, &err), "%s: 2 threads", label);
	ok(memcmp(one, many, 2 * n * sizeof *one) == 0, "%s: 1 and 2 threads byte-identical",
	   label);
	memcpy(many, orig, 2 * n * sizeof *one);
	ok(tr && ws_transform_points(tr, many, n, 7, NULL, &err), "%s: 7 threads", label);
	ok(memcmp(one, many, 2 * n * sizeof *one) == 0, "%s: 1 and 7 threads byte-identical",
	   label);
	free(orig);
	free(one);
	free(many);
	ws_transform_destroy(tr);
	ws_crs_destroy(dst);
	ws_crs_destroy(src);
}

/* A .prj equivalent to an EPSG CRS is rebuilt from its code in transforms (much faster):
 * the coordinates must be the same bits as from the code itself. A WKT whose datum
 * carries a TOWGS84 shift must keep it. A geocentric +100 m along X, seen at 41.15 N
 * 8.61 W, has a north part of 100 sin(41.15) cos(8.61) = 65.0 m and an east part of
 * 100 sin(8.61) = 15.0 m: the point moves 66.7 m on the ground (the up part, 74.6 m, is
 * height and does not show in 2D). */
static void test_rebuild_from_code(void)
{
	struct ws_error err = {0};
	struct ws_crs *prj = crs_or_die(porto_prj), *code = crs_or_die("EPSG:4326");
	struct ws_crs *utm = crs_or_die("EPSG:32629");
	struct ws_crs *shifted = crs_or_die(
		"GEOGCS[\"shifted\",DATUM[\"shifted_datum\",SPHEROID[\"WGS 84\",6378137,"
		"298.257223563],TOWGS84[100,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],"
		"UNIT[\"degree\",0.0174532925199433]]");
	struct ws_transform *a = ws_transform_create(prj, utm, -1, &err);
	struct ws_transform *b = ws_transform_create(code, utm, -1, &err);
	struct ws_transform *c = ws_transform_create(shifted, utm, -1, &err);
	if (!ok(a && b && c, "transforms from the .prj, the code and a TOWGS84 WKT")) {
		diag("%s", err.msg);
		return;
	}
	double pa[2] = {-8.6110, 41.1496}, pb[2] = {-8.6110, 41.1496}, pc[2] = {-8.6110, 41.1496};
	ws_transform_points(a, pa, 1, 1, NULL, &err);
	ws_transform_points(b, pb, 1, 1, NULL, &err);
	ws_transform_points(c, pc, 1, 1, NULL, &err);
	ok(memcmp(pa, pb, sizeof pa) == 0, "ESRI WGS 84 .prj and EPSG:4326: same bits in UTM 29N");
	double moved = distance(pa[0], pa[1], pc[0], pc[1]);
	is_double(moved, 66.7, 0.5, "TOWGS84 shift kept: the point moves 66.7 m");
	ws_transform_destroy(a);
	ws_transform_destroy(b);
	ws_transform_destroy(c);
	ws_crs_destroy(prj);
	ws_crs_destroy(code);
	ws_crs_destroy(utm);
	ws_crs_destroy(shifted);
}

/* ws_transform_connects lets one transform stand in for another (the isochrone writer
 * reuses UTM -> WGS 84 for UTM -> source). It must hold only when the stand-in gives the
 * same bits: for porto's ESRI .prj (the same CRS as EPSG:4326), checked here point by
 * point against a transform made for it, and never for another CRS or direction. */
static void test_connects(void)
{
	struct ws_error err = {0};
	struct ws_crs *utm = crs_or_die("EPSG:32629"), *wgs = crs_or_die("EPSG:4326");
	struct ws_crs *prj = crs_or_die(porto_prj), *tm06 = crs_or_die("EPSG:3763");
	struct ws_crs *shifted = crs_or_die(
		"GEOGCS[\"shifted\",DATUM[\"shifted_datum\",SPHEROID[\"WGS 84\",6378137,"
		"298.257223563],TOWGS84[100,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],"
		"UNIT[\"degree\",0.0174532925199433]]");
	struct ws_transform *to_wgs = ws_transform_create(utm, wgs, -1, &err);
	struct ws_transform *to_prj = ws_transform_create(utm, prj, -1, &err);
	if (!ok(to_wgs && to_prj, "UTM -> EPSG:4326 and UTM -> porto .prj")) {
		diag("%s", err.msg);
		return;
	}
	ok(ws_transform_connects(to_wgs, utm, wgs, NULL), "a transform connects its own ends");
	ok(ws_transform_connects(to_wgs, utm, prj, NULL), "UTM -> EPSG:4326 stands in for UTM -> porto .prj");
	enum { N = 1000 };
	double a[2 * N], b[2 * N];
	for (int i = 0; i < N; i++) {
		a[2 * i] = b[2 * i] = 520000.0 + 13.37 * i;
		a[2 * i + 1] = b[2 * i + 1] = 4550000.0 + 7.77 * i;
	}
	ws_transform_points(to_wgs, a, N, 1, NULL, &err);
	ws_transform_points(to_prj, b, N, 1, NULL, &err);
	ok(memcmp(a, b, sizeof a) == 0, "... and gives the same bits for %d points", N);
	ok(!ws_transform_connects(to_wgs, utm, tm06, NULL), "not for UTM -> EPSG:3763");
	ok(!ws_transform_connects(to_wgs, utm, shifted, NULL), "not for a WGS 84 with a TOWGS84 shift");
	ok(!ws_transform_connects(to_wgs, wgs, utm, NULL), "not for the reverse direction");
	/* the area of interest is part of the operation: only the same extent connects */
	const double porto[4] = {-8.7, 41.1, -8.5, 41.2}, other[4] = {-8.7, 41.1, -8.5, 41.3};
	struct ws_transform *within = ws_transform_create_within(utm, wgs, -1, porto, &err);
	ok(within && ws_transform_connects(within, utm, prj, porto), "with an extent: connects for the same extent");
	ok(within && !ws_transform_connects(within, utm, prj, NULL) && !ws_transform_connects(within, utm, prj, other) &&
		   !ws_transform_connects(to_wgs, utm, prj, porto),
	   "... not for another extent or none");
	ws_transform_destroy(within);
	ws_transform_destroy(to_wgs);
	ws_transform_destroy(to_prj);
	ws_crs_destroy(utm);
	ws_crs_destroy(wgs);
	ws_crs_destroy(prj);
	ws_crs_destroy(tm06);
	ws_crs_destroy(shifted);
}

int main(void)
{
	test_parse();
	test_parse_errors();
	test_cairo_golden();
	test_auto_utm();
	test_round_trip();
	test_bad_points();
	test_nad27();
	compare_threads("EPSG:4326", "EPSG:32629", -8.8, 41.0, "WGS 84 -> UTM");
	/* A set of alternative operations is cloned per thread too. */
	compare_threads("EPSG:4267", "EPSG:32617", -83.2, 39.9, "NAD27 -> UTM");
	test_rebuild_from_code();
	test_connects();
	return done();
}
