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

/* Geographic extent of a bounding box (xmin, ymin, xmax, ymax in `src` coordinates),
 * edges densified: lonlat = west, south, east, north in degrees (west > east when the box
 * crosses the antimeridian). */
bool ws_crs_lonlat_extent(const struct ws_crs *src, const double bbox[4], double lonlat[4],
			  struct ws_error *err);
/* SPEC 2: the WGS 84 / UTM zone containing the centre of a geographic extent (as
 * ws_crs_lonlat_extent gives it). */
struct ws_crs *ws_crs_create_utm_for(const double lonlat[4], struct ws_error *err);
/* Both in one: the zone for a bounding box in `src` coordinates. */
struct ws_crs *ws_crs_create_auto_utm(const struct ws_crs *src, const double bbox[4],
				      struct ws_error *err);

/* Operation from `src` to `dst`; identity (no PROJ call per point) when equivalent.
 * `max_error_m` < 0 means no bound; otherwise an operation whose accuracy is unknown or
 * worse is refused (WS_ERR_PROJ). Caller destroys. */
struct ws_transform *ws_transform_create(const struct ws_crs *src, const struct ws_crs *dst,
					 double max_error_m, struct ws_error *err);
/* The same for data lying within a geographic extent `lonlat` (west, south, east, north;
 * NULL: anywhere). Without an extent PROJ may answer a set of operations chosen per point
 * by area of use, with a ballpark fallback for points outside them all, whose accuracy
 * is unknown (ETRS89 and NAD27 data, BAD_INPUTS 15); with one it picks the single
 * operation best for that extent, whose accuracy is known, and every point of the study
 * goes through the same operation. */
struct ws_transform *ws_transform_create_within(const struct ws_crs *src, const struct ws_crs *dst,
						double max_error_m, const double *lonlat,
						struct ws_error *err);
void ws_transform_destroy(struct ws_transform *tr);
bool ws_transform_is_identity(const struct ws_transform *tr);
/* Whether ws_transform_create_within(src, dst, ., lonlat) would make the operation of
 * `tr`: both ends are built from the same definitions and the extent is the same
 * (creation is deterministic), so points come out bit for bit the same and `tr` can
 * stand in for a new transform. */
bool ws_transform_connects(const struct ws_transform *tr, const struct ws_crs *src,
			   const struct ws_crs *dst, const double *lonlat);
/* Description and accuracy in metres (-1 when unknown) of the operation used. */
const char *ws_transform_description(const struct ws_transform *tr);
double ws_transform_accuracy_m(const struct ws_transform *tr);

/* Transforms n points in place (xy interleaved). Runs in parallel over `threads` threads
 * (each with a cloned context). A point that comes out non-finite is an error naming its
 * index through *bad_index (when not NULL) and returns false. */
bool ws_transform_points(const struct ws_transform *tr, double *xy, size_t n, int threads,
			 size_t *bad_index, struct ws_error *err);

#endif
