/* Coordinate reference systems: choosing the metric working CRS (SPEC 2) and
 * reprojecting source coordinates into it, and working coordinates back to WGS 84 for
 * GeoJSON. Wraps PROJ; every PJ belongs to the PJ_CONTEXT of the struct that made it.
 * Axis order is always x = easting/longitude, y = northing/latitude. */
#ifndef WS_CRS_H
#define WS_CRS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct ws_crs;           /* one CRS definition with its own PJ_CONTEXT */
struct ws_transform;     /* one operation source -> target, with its own PJ_CONTEXT */

/* From a .prj WKT text or a user string ("EPSG:32629", PROJ string, WKT). `what` names
 * the origin for messages ("roads.prj", "--src-crs"). Caller destroys. */
struct ws_crs *ws_crs_create(const char *definition, const char *what, struct ws_error *err);
void ws_crs_destroy(struct ws_crs *crs);
/* Human-readable name ("WGS 84 / UTM zone 29N") and an "EPSG:n" code when one is known
 * (else the name); both borrowed. */
const char *ws_crs_name(const struct ws_crs *crs);
const char *ws_crs_code(const struct ws_crs *crs);
/* Whether the CRS is projected with metre units (the working CRS must be). */
bool ws_crs_is_metric(const struct ws_crs *crs);
/* Unit of the first axis ("metre", "degree", "US survey foot"); malloc'd, caller frees;
 * NULL when PROJ does not say. */
char *ws_crs_unit_name(const struct ws_crs *crs);
/* WKT1 (ESRI flavour) suitable for a .prj file; malloc'd, caller frees. */
char *ws_crs_to_prj(const struct ws_crs *crs, struct ws_error *err);

/* SPEC 2: the WGS 84 / UTM zone containing the centre of the bounding box
 * (xmin, ymin, xmax, ymax in `src` coordinates) taken in geographic coordinates. */
struct ws_crs *ws_crs_create_auto_utm(const struct ws_crs *src, const double bbox[4],
				      struct ws_error *err);

/* Operation from `src` to `dst`; identity (no PROJ call per point) when equivalent.
 * `max_error_m` < 0 means no bound; otherwise an operation whose accuracy is unknown or
 * worse is refused (WS_ERR_PROJ). Caller destroys. */
struct ws_transform *ws_transform_create(const struct ws_crs *src, const struct ws_crs *dst,
					 double max_error_m, struct ws_error *err);
void ws_transform_destroy(struct ws_transform *tr);
bool ws_transform_is_identity(const struct ws_transform *tr);
/* Whether ws_transform_create(src, dst) would make the operation of `tr`: both ends are
 * built from the same definitions (ws_transform_create is deterministic), so points come
 * out bit for bit the same and `tr` can stand in for a new transform. */
bool ws_transform_connects(const struct ws_transform *tr, const struct ws_crs *src,
			   const struct ws_crs *dst);
/* Description and accuracy in metres (-1 when unknown) of the operation used. */
const char *ws_transform_description(const struct ws_transform *tr);
double ws_transform_accuracy_m(const struct ws_transform *tr);

/* Transforms n points in place (xy interleaved). Runs in parallel over `threads` threads
 * (each with a cloned context). A point that comes out non-finite is an error naming its
 * index through *bad_index (when not NULL) and returns false. */
bool ws_transform_points(const struct ws_transform *tr, double *xy, size_t n, int threads,
			 size_t *bad_index, struct ws_error *err);

#endif
