/* File writers for tables, with or without geometry. Each takes a full path, writes
 * completely or reports WS_ERR_IO naming the file (a full disk included: every write and
 * the close are checked). They never compute anything. */
#ifndef WS_WRITERS_H
#define WS_WRITERS_H

#include <stdbool.h>

#include "report/table.h"
#include "util/error.h"
#include "util/shapes.h"

/* RFC 4180 CSV, UTF-8, header row, "\n" line ends. */
bool ws_write_csv(const char *path, const struct ws_table *t, struct ws_error *err);

/* GeoJSON FeatureCollection (RFC 7946): `shapes` in WGS 84 lon/lat, one feature per table
 * row (shapes->n_features == t->n_rows; an empty feature gets "geometry": null),
 * coordinates with 7 decimals; written with json-c. Polygon parts are rings: each outer
 * ring starts a polygon and the holes following it belong to it (orientation decides,
 * see util/shapes.h). */
bool ws_write_geojson(const char *path, const struct ws_table *t, const struct ws_shapes *shapes,
		      struct ws_error *err);

/* ESRI shapefile (.shp/.shx/.dbf + .prj with `prj_wkt` when not NULL + .cpg "UTF-8")
 * at `path_stem` + extension, via shapelib. Field names are cut to 10 bytes. */
bool ws_write_shapefile(const char *path_stem, const struct ws_table *t,
			const struct ws_shapes *shapes, const char *prj_wkt, struct ws_error *err);

#endif
