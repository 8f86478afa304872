/* A set of geometries of one kind stored flat: features -> parts -> points (CSR offsets).
 * Used for layers read from files and for geometries written out. A feature with zero
 * parts is empty (a NULL shape). Polygon parts are rings, closed (first == last point);
 * outer rings clockwise and holes counter-clockwise (the shapefile convention) when
 * written; readers accept either. */
#ifndef WS_SHAPES_H
#define WS_SHAPES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum ws_geom_kind { WS_GEOM_POINT, WS_GEOM_LINE, WS_GEOM_POLYGON };

struct ws_shapes {
	enum ws_geom_kind kind;
	size_t n_features, n_parts, n_points;
	size_t *feature_first_part; /* n_features + 1 */
	size_t *part_first_point;   /* n_parts + 1 */
	double *xy;                 /* 2 * n_points: x (easting / longitude), y */
	size_t cap_features, cap_parts, cap_points; /* growth bookkeeping for appending */
};

/* Empty set of `kind`; ws_shapes_finish releases it. */
bool ws_shapes_init(struct ws_shapes *s, enum ws_geom_kind kind, struct ws_error *err);
void ws_shapes_finish(struct ws_shapes *s);
/* Appending: begin a feature, then parts, then points of the current part. */
bool ws_shapes_begin_feature(struct ws_shapes *s, struct ws_error *err);
bool ws_shapes_begin_part(struct ws_shapes *s, struct ws_error *err);
bool ws_shapes_add_point(struct ws_shapes *s, double x, double y, struct ws_error *err);
/* Appends feature f of src to dst as a new feature. */
bool ws_shapes_append_feature(struct ws_shapes *dst, const struct ws_shapes *src, size_t f,
			      struct ws_error *err);
/* Deep copy of all of src. */
bool ws_shapes_copy(struct ws_shapes *dst, const struct ws_shapes *src, struct ws_error *err);

static inline size_t ws_shapes_feature_parts(const struct ws_shapes *s, size_t f)
{
	return s->feature_first_part[f + 1] - s->feature_first_part[f];
}
static inline size_t ws_shapes_part_points(const struct ws_shapes *s, size_t p)
{
	return s->part_first_point[p + 1] - s->part_first_point[p];
}

#endif
