/* A tiny hand-made dataset written as shapefiles (EPSG:32629, metres) into a temporary
 * folder, for end-to-end tests of the study pipeline. Coordinates are offsets from
 * (X0, Y0) so that every distance below is exact in binary floating point.
 *
 *   roads:      main line (0,0)-(4000,0); island line (0,2000)-(100,2000)
 *   compounds:  20 m squares centred at (x,-30), x = 500, 1500, 2000, 2500, 3500
 *               (ids K500...K3500, pop 100..500), and one at (50,1970) on the island
 *               (id KI, pop 600). Each access point is its square's centre, 30 m from
 *               its road.
 *   centers:    A (0,0) level community, B (4000,0) level building.
 *   candidates: P0 (1000,0), P1 (2000,0), P2 (2600,0), P3 (1530,0).
 */
#ifndef WS_DATASET_FIXTURE_H
#define WS_DATASET_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/crs.h"
#include "report/table.h"
#include "report/writers.h"
#include "util/shapes.h"

#define X0 530000.0
#define Y0 4555000.0

struct fixture_point {
	double x, y;
	const char *id, *name, *level;
};

static inline bool fixture_points(const char *stem, const struct fixture_point *p, size_t n, const char *prj)
{
	struct ws_error err = {0};
	struct ws_table t;
	struct ws_shapes s;
	bool ok = ws_table_init(&t, n, 3, &err) && ws_table_set_column(&t, 0, "id", WS_COL_TEXT, 0, &err) &&
		  ws_table_set_column(&t, 1, "name", WS_COL_TEXT, 0, &err) &&
		  ws_table_set_column(&t, 2, "level", WS_COL_TEXT, 0, &err) && ws_shapes_init(&s, WS_GEOM_POINT, &err);
	for (size_t i = 0; ok && i < n; i++) {
		ok = ws_table_set_text(&t, i, 0, p[i].id, &err) && ws_table_set_text(&t, i, 1, p[i].name, &err) &&
		     ws_table_set_text(&t, i, 2, p[i].level ? p[i].level : "", &err) &&
		     ws_shapes_begin_feature(&s, &err) && ws_shapes_begin_part(&s, &err) &&
		     ws_shapes_add_point(&s, X0 + p[i].x, Y0 + p[i].y, &err);
	}
	ok = ok && ws_write_shapefile(stem, &t, &s, prj, &err);
	if (!ok)
		fprintf(stderr, "fixture %s: %s\n", stem, err.msg);
	ws_table_finish(&t);
	ws_shapes_finish(&s);
	return ok;
}

/* Writes the dataset into a new temporary folder (dir, at least 64 bytes). */
static inline bool fixture_dataset(char *dir)
{
	strcpy(dir, "/tmp/walkshed-test-XXXXXX");
	if (!mkdtemp(dir))
		return false;
	struct ws_error err = {0};
	struct ws_crs *crs = ws_crs_create("EPSG:32629", "test", &err);
	char *prj = crs ? ws_crs_to_prj(crs, &err) : NULL;
	ws_crs_destroy(crs);
	if (!prj)
		return false;
	char stem[128];
	struct ws_table t;
	struct ws_shapes s;
	/* roads */
	bool ok = ws_table_init(&t, 2, 1, &err) && ws_table_set_column(&t, 0, "highway", WS_COL_TEXT, 0, &err) &&
		  ws_table_set_text(&t, 0, 0, "footway", &err) && ws_table_set_text(&t, 1, 0, "footway", &err) &&
		  ws_shapes_init(&s, WS_GEOM_LINE, &err);
	const double lines[2][4] = {{0, 0, 4000, 0}, {0, 2000, 100, 2000}};
	for (int i = 0; ok && i < 2; i++)
		ok = ws_shapes_begin_feature(&s, &err) && ws_shapes_begin_part(&s, &err) &&
		     ws_shapes_add_point(&s, X0 + lines[i][0], Y0 + lines[i][1], &err) &&
		     ws_shapes_add_point(&s, X0 + lines[i][2], Y0 + lines[i][3], &err);
	snprintf(stem, sizeof stem, "%s/roads", dir);
	ok = ok && ws_write_shapefile(stem, &t, &s, prj, &err);
	ws_table_finish(&t);
	ws_shapes_finish(&s);
	/* compounds: clockwise squares */
	const double cx[6] = {500, 1500, 2000, 2500, 3500, 50}, cy[6] = {-30, -30, -30, -30, -30, 1970};
	const char *ids[6] = {"K500", "K1500", "K2000", "K2500", "K3500", "KI"};
	ok = ok && ws_table_init(&t, 6, 3, &err) && ws_table_set_column(&t, 0, "id", WS_COL_TEXT, 0, &err) &&
	     ws_table_set_column(&t, 1, "name", WS_COL_TEXT, 0, &err) &&
	     ws_table_set_column(&t, 2, "pop", WS_COL_REAL, 1, &err) && ws_shapes_init(&s, WS_GEOM_POLYGON, &err);
	for (int i = 0; ok && i < 6; i++) {
		double x = X0 + cx[i], y = Y0 + cy[i];
		ok = ws_table_set_text(&t, i, 0, ids[i], &err) && ws_table_set_text(&t, i, 1, ids[i], &err) &&
		     ws_shapes_begin_feature(&s, &err) && ws_shapes_begin_part(&s, &err) &&
		     ws_shapes_add_point(&s, x - 10, y - 10, &err) && ws_shapes_add_point(&s, x - 10, y + 10, &err) &&
		     ws_shapes_add_point(&s, x + 10, y + 10, &err) && ws_shapes_add_point(&s, x + 10, y - 10, &err) &&
		     ws_shapes_add_point(&s, x - 10, y - 10, &err);
		ws_table_set_real(&t, i, 2, 100.0 * (i + 1));
	}
	snprintf(stem, sizeof stem, "%s/compounds", dir);
	ok = ok && ws_write_shapefile(stem, &t, &s, prj, &err);
	ws_table_finish(&t);
	ws_shapes_finish(&s);
	const struct fixture_point centers[] = {{0, 0, "A", "Center A", "community"},
						{4000, 0, "B", "Center B", "building"}};
	const struct fixture_point cands[] = {{1000, 0, "P0", "", NULL}, {2000, 0, "P1", "", NULL},
					      {2600, 0, "P2", "", NULL}, {1530, 0, "P3", "", NULL}};
	snprintf(stem, sizeof stem, "%s/centers", dir);
	ok = ok && fixture_points(stem, centers, 2, prj);
	snprintf(stem, sizeof stem, "%s/candidates", dir);
	ok = ok && fixture_points(stem, cands, 4, prj);
	if (!ok)
		fprintf(stderr, "fixture: %s\n", err.msg);
	free(prj);
	return ok;
}

static inline void fixture_dataset_remove(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

#endif
