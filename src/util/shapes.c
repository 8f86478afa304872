/* Flat geometry sets: invariant feature_first_part[n_features] == n_parts and
 * part_first_point[n_parts] == n_points at every call boundary. */
#include "shapes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool grow(void **ptr, size_t *cap, size_t need, size_t elem, struct ws_error *err)
{
	if (need <= *cap)
		return true;
	size_t cap2 = *cap ? *cap : 16;
	while (cap2 < need)
		cap2 *= 2;
	if (cap2 > SIZE_MAX / elem)
		return ws_error_nomem(err);
	void *p = realloc(*ptr, cap2 * elem);
	if (!p)
		return ws_error_nomem(err);
	*ptr = p;
	*cap = cap2;
	return true;
}

bool ws_shapes_init(struct ws_shapes *s, enum ws_geom_kind kind, struct ws_error *err)
{
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->feature_first_part = calloc(1, sizeof *s->feature_first_part);
	s->part_first_point = calloc(1, sizeof *s->part_first_point);
	if (!s->feature_first_part || !s->part_first_point) {
		ws_shapes_finish(s);
		return ws_error_nomem(err);
	}
	return true;
}

void ws_shapes_finish(struct ws_shapes *s)
{
	if (!s)
		return;
	free(s->feature_first_part);
	free(s->part_first_point);
	free(s->xy);
	memset(s, 0, sizeof *s);
}

bool ws_shapes_begin_feature(struct ws_shapes *s, struct ws_error *err)
{
	size_t cap = s->cap_features;
	void *buf = s->feature_first_part;
	if (!grow(&buf, &cap, s->n_features + 2, sizeof(size_t), err))
		return false;
	s->feature_first_part = buf;
	s->cap_features = cap;
	s->n_features++;
	s->feature_first_part[s->n_features] = s->n_parts;
	return true;
}

bool ws_shapes_begin_part(struct ws_shapes *s, struct ws_error *err)
{
	size_t cap = s->cap_parts;
	void *buf = s->part_first_point;
	if (!grow(&buf, &cap, s->n_parts + 2, sizeof(size_t), err))
		return false;
	s->part_first_point = buf;
	s->cap_parts = cap;
	s->n_parts++;
	s->part_first_point[s->n_parts] = s->n_points;
	s->feature_first_part[s->n_features] = s->n_parts;
	return true;
}

bool ws_shapes_add_point(struct ws_shapes *s, double x, double y, struct ws_error *err)
{
	size_t cap = s->cap_points;
	void *buf = s->xy;
	if (!grow(&buf, &cap, s->n_points + 1, 2 * sizeof(double), err))
		return false;
	s->xy = buf;
	s->cap_points = cap;
	s->xy[2 * s->n_points] = x;
	s->xy[2 * s->n_points + 1] = y;
	s->n_points++;
	s->part_first_point[s->n_parts] = s->n_points;
	return true;
}

bool ws_shapes_append_feature(struct ws_shapes *dst, const struct ws_shapes *src, size_t f,
			      struct ws_error *err)
{
	if (!ws_shapes_begin_feature(dst, err))
		return false;
	for (size_t p = src->feature_first_part[f]; p < src->feature_first_part[f + 1]; p++) {
		if (!ws_shapes_begin_part(dst, err))
			return false;
		for (size_t k = src->part_first_point[p]; k < src->part_first_point[p + 1]; k++)
			if (!ws_shapes_add_point(dst, src->xy[2 * k], src->xy[2 * k + 1], err))
				return false;
	}
	return true;
}

bool ws_shapes_copy(struct ws_shapes *dst, const struct ws_shapes *src, struct ws_error *err)
{
	memset(dst, 0, sizeof *dst);
	dst->kind = src->kind;
	dst->n_features = src->n_features;
	dst->n_parts = src->n_parts;
	dst->n_points = src->n_points;
	dst->feature_first_part = malloc((src->n_features + 1) * sizeof(size_t));
	dst->part_first_point = malloc((src->n_parts + 1) * sizeof(size_t));
	dst->xy = malloc((src->n_points ? src->n_points : 1) * 2 * sizeof(double));
	if (!dst->feature_first_part || !dst->part_first_point || !dst->xy) {
		ws_shapes_finish(dst);
		return ws_error_nomem(err);
	}
	memcpy(dst->feature_first_part, src->feature_first_part, (src->n_features + 1) * sizeof(size_t));
	memcpy(dst->part_first_point, src->part_first_point, (src->n_parts + 1) * sizeof(size_t));
	if (src->n_points)
		memcpy(dst->xy, src->xy, src->n_points * 2 * sizeof(double));
	dst->cap_features = src->n_features + 1;
	dst->cap_parts = src->n_parts + 1;
	dst->cap_points = src->n_points ? src->n_points : 1;
	return true;
}
