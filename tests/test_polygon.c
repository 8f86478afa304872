/* Polygons from shapefile rings (ring roles, holes, MakeValid repairs) and access points
 * (PointOnSurface). Areas are worked out by hand in the comments. */
#include <math.h>

#include "analysis/access.h"
#include "analysis/polygon.h"
#include "tap.h"

/* appends a ring given as x,y pairs (closed by the caller) to the current feature */
static void ring(struct ws_shapes *s, const double *xy, size_t n)
{
	struct ws_error err = {0};
	ws_shapes_begin_part(s, &err);
	for (size_t i = 0; i < n; i++)
		ws_shapes_add_point(s, xy[2 * i], xy[2 * i + 1], &err);
}

int main(void)
{
	struct ws_error err = {0};
	struct ws_shapes s;
	ws_shapes_init(&s, WS_GEOM_POLYGON, &err);
	/* 0: 100 x 100 square (clockwise shell) with a 20 x 20 hole (counter-clockwise):
	 *    area 10000 - 400 = 9600 m2 */
	ws_shapes_begin_feature(&s, &err);
	ring(&s, (double[]){0, 0, 0, 100, 100, 100, 100, 0, 0, 0}, 5);
	ring(&s, (double[]){40, 40, 60, 40, 60, 60, 40, 60, 40, 40}, 5);
	/* 1: two parts: 10 x 10 at the origin and 10 x 10 at (100, 0): 200 m2 */
	ws_shapes_begin_feature(&s, &err);
	ring(&s, (double[]){0, 0, 0, 10, 10, 10, 10, 0, 0, 0}, 5);
	ring(&s, (double[]){100, 0, 100, 10, 110, 10, 110, 0, 100, 0}, 5);
	/* 2: a bow-tie (0,0)-(10,10)-(10,0)-(0,10): MakeValid gives two triangles of 25 m2 */
	ws_shapes_begin_feature(&s, &err);
	ring(&s, (double[]){0, 0, 10, 10, 10, 0, 0, 10, 0, 0}, 5);
	/* 3: a "hole" (counter-clockwise) outside its shell: becomes a second polygon:
	 *    10 x 10 shell + 10 x 10 orphan = 200 m2 (the area doubles: reported) */
	ws_shapes_begin_feature(&s, &err);
	ring(&s, (double[]){0, 0, 0, 10, 10, 10, 10, 0, 0, 0}, 5);
	ring(&s, (double[]){50, 50, 60, 50, 60, 60, 50, 60, 50, 50}, 5);
	/* 4: no parts (a NULL shape) */
	ws_shapes_begin_feature(&s, &err);
	/* 5: shell given counter-clockwise (wrong orientation), 30 x 30: still 900 m2 */
	ws_shapes_begin_feature(&s, &err);
	ring(&s, (double[]){0, 0, 30, 0, 30, 30, 0, 30, 0, 0}, 5);

	struct ws_geos g;
	ok(ws_geos_init(&g, &err), "GEOS context");
	const double want_area[] = {9600, 200, 50, 200, -1, 900};
	for (size_t f = 0; f < 6; f++) {
		struct ws_polygon_repair rep;
		bool empty = false;
		GEOSGeometry *geom = ws_polygon_build(&g, &s, f, &rep, &empty, &err);
		if (want_area[f] < 0) {
			ok(!geom && empty, "feature %zu: a NULL shape is empty", f);
			continue;
		}
		double area = 0;
		ok(geom && GEOSArea_r(g.h, geom, &area), "feature %zu builds", f);
		is_double(area, want_area[f], 1e-9, "feature %zu: area", f);
		ok(geom && GEOSisValid_r(g.h, geom) == 1, "feature %zu: valid", f);
		if (f == 0) {
			ok(!rep.made_valid, "square with hole needed no repair");
			is_int(GEOSGetNumInteriorRings_r(g.h, GEOSGetGeometryN_r(g.h, geom, 0)), 1, "the hole is kept");
		}
		if (f == 2)
			ok(rep.made_valid && GEOSGetNumGeometries_r(g.h, geom) == 2, "bow-tie repaired into two triangles");
		if (f == 3) {
			ok(rep.orphan_holes, "hole outside its shell reported");
			is_double(rep.area_after_m2, 200, 1e-9, "its area after repair is reported (200 m2)");
			/* as given: the 100 m2 shell minus the 100 m2 hole = 0 m2 */
			is_double(rep.area_before_m2, 0, 1e-9, "its area as given is shell - hole = 0 m2");
		}
		if (f == 5) {
			ok(!rep.orphan_holes, "a lone counter-clockwise ring is a shell, not an orphan hole");
			is_double(rep.area_before_m2, 900, 1e-9, "its area as given is 900 m2");
		}
		if (geom)
			GEOSGeom_destroy_r(g.h, geom);
	}
	ws_geos_finish(&g);

	/* access points: the square with a hole gets a point inside the polygon, not in the hole */
	struct ws_access acc;
	ok(ws_access_point_on_surface(&acc, &s, 2, &err), "access points");
	is_int(acc.n_points, 5, "five compounds with area get a point; the NULL shape none");
	is_int(acc.first[5] - acc.first[4], 0, "NULL shape: no access point");
	double x = acc.xy[0], y = acc.xy[1];
	ok(x > 0 && x < 100 && y > 0 && y < 100 && !(x > 40 && x < 60 && y > 40 && y < 60),
	   "point on surface of the square lies inside it and outside the hole (%g, %g)", x, y);
	ws_access_finish(&acc);
	ws_shapes_finish(&s);
	return done();
}
