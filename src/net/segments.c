/* Walkable segments: node ids are assigned in order of first appearance in the file, so
 * the numbering (and everything built on it) depends only on the input, never on threads.
 * Two vertices are one node iff their source coordinates are bit-identical (SPEC 3). */
#include "segments.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const default_excluded[] = {
	"motorway", "motorway_link", "construction", "proposed", "abandoned", "razed",
};

bool ws_walk_filter_init_default(struct ws_walk_filter *f, struct ws_error *err)
{
	memset(f, 0, sizeof *f);
	f->exclude_foot_no = true;
	size_t n = sizeof default_excluded / sizeof default_excluded[0];
	f->excluded_highway = calloc(n, sizeof *f->excluded_highway);
	if (!f->excluded_highway)
		return ws_error_nomem(err);
	for (size_t i = 0; i < n; i++) {
		f->excluded_highway[i] = strdup(default_excluded[i]);
		if (!f->excluded_highway[i]) {
			ws_walk_filter_finish(f);
			return ws_error_nomem(err);
		}
		f->n_excluded++;
	}
	return true;
}

bool ws_walk_filter_set_excluded(struct ws_walk_filter *f, const char *list, struct ws_error *err)
{
	for (size_t i = 0; i < f->n_excluded; i++)
		free(f->excluded_highway[i]);
	free(f->excluded_highway);
	f->excluded_highway = NULL;
	f->n_excluded = 0;

	size_t cap = 1;
	for (const char *c = list; *c; c++)
		cap += *c == ',';
	f->excluded_highway = calloc(cap, sizeof *f->excluded_highway);
	if (!f->excluded_highway)
		return ws_error_nomem(err);
	const char *start = list;
	for (;;) {
		const char *end = strchr(start, ',');
		size_t len = end ? (size_t)(end - start) : strlen(start);
		while (len && (*start == ' ')) {
			start++;
			len--;
		}
		while (len && start[len - 1] == ' ')
			len--;
		if (len) {
			char *v = strndup(start, len);
			if (!v)
				return ws_error_nomem(err);
			f->excluded_highway[f->n_excluded++] = v;
		}
		if (!end)
			break;
		start = end + 1;
	}
	return true;
}

void ws_walk_filter_finish(struct ws_walk_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_excluded; i++)
		free(f->excluded_highway[i]);
	free(f->excluded_highway);
	memset(f, 0, sizeof *f);
}

static bool foot_allowed(const char *foot)
{
	return !strcasecmp(foot, "yes") || !strcasecmp(foot, "designated") ||
	       !strcasecmp(foot, "permissive");
}

/* The filter on one feature's values ("" when a field is absent). */
static bool accepts_values(const struct ws_walk_filter *f, const char *highway, const char *foot,
			   const char *access)
{
	for (size_t i = 0; i < f->n_excluded; i++)
		if (!strcasecmp(highway, f->excluded_highway[i]))
			return false;
	if (f->exclude_foot_no && !strcasecmp(foot, "no"))
		return false;
	if (f->exclude_private && !strcasecmp(access, "private") && !foot_allowed(foot))
		return false;
	return true;
}

bool ws_walk_filter_accepts(const struct ws_walk_filter *f, const struct ws_layer *roads, size_t feature)
{
	return accepts_values(f, ws_layer_value(roads, feature, ws_layer_field_index(roads, "highway")),
			      ws_layer_value(roads, feature, ws_layer_field_index(roads, "foot")),
			      ws_layer_value(roads, feature, ws_layer_field_index(roads, "access")));
}

/* Open-addressing map from coordinate bit patterns to node ids; a slot holds its key and
 * id together, so a probe touches one cache line. */
struct node_slot {
	uint64_t kx, ky;
	uint32_t id;       /* UINT32_MAX = empty slot */
};

struct node_map {
	struct node_slot *slot;
	size_t mask;
};

static uint64_t bits_of(double v)
{
	uint64_t b;
	memcpy(&b, &v, sizeof b);
	return b;
}

static uint64_t mix(uint64_t x, uint64_t y)
{
	uint64_t h = x * 0x9E3779B97F4A7C15ull ^ (y + 0x632BE59BD9B4E019ull + (x << 6) + (x >> 2));
	h ^= h >> 31;
	h *= 0xD6E8FEB86659FD93ull;
	h ^= h >> 32;
	return h;
}

static bool node_map_init(struct node_map *m, size_t expected, struct ws_error *err)
{
	/* expected counts every vertex, shared ones several times: the load stays <= 2/3 */
	size_t cap = 16;
	while (cap < expected + expected / 2)
		cap *= 2;
	m->mask = cap - 1;
	m->slot = malloc(cap * sizeof *m->slot);
	if (!m->slot)
		return ws_error_nomem(err);
	for (size_t i = 0; i < cap; i++)
		m->slot[i].id = UINT32_MAX;
	return true;
}

static void node_map_finish(struct node_map *m)
{
	free(m->slot);
}

/* Returns the id of (x, y), inserting `next_id` when absent. */
static uint32_t node_map_get(struct node_map *m, double x, double y, uint32_t next_id)
{
	uint64_t bx = bits_of(x), by = bits_of(y);
	size_t i = mix(bx, by) & m->mask;
	while (m->slot[i].id != UINT32_MAX) {
		if (m->slot[i].kx == bx && m->slot[i].ky == by)
			return m->slot[i].id;
		i = (i + 1) & m->mask;
	}
	m->slot[i] = (struct node_slot){bx, by, next_id};
	return next_id;
}

static int compare_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Segments whose unordered node pair repeats an earlier one (parallel edges). */
static bool count_parallel(struct ws_segments *s, struct ws_error *err)
{
	uint64_t *key = malloc(((size_t)s->n_segments + 1) * sizeof *key);
	if (!key)
		return ws_error_nomem(err);
	for (uint32_t i = 0; i < s->n_segments; i++) {
		uint64_t a = s->seg_node[2 * i], b = s->seg_node[2 * i + 1];
		key[i] = a < b ? a << 32 | b : b << 32 | a;
	}
	qsort(key, s->n_segments, sizeof *key, compare_u64);
	for (uint32_t i = 1; i < s->n_segments; i++)
		if (key[i] == key[i - 1])
			s->n_parallel++;
	free(key);
	return true;
}

/* Shared by both builders: `accept` (or NULL = all) selects features of `lines`. */
static bool build(struct ws_segments *s, const struct ws_shapes *lines, const bool *accept,
		  const struct ws_transform *to_work, int threads, const char *layer_name,
		  struct ws_error *err)
{
	memset(s, 0, sizeof *s);
	struct node_map map = {0};
	uint32_t *node_feature = NULL;
	size_t max_segments = lines->n_points; /* upper bound: points - parts */
	if (lines->n_points > UINT32_MAX - 1)
		return ws_error_set(err, WS_ERR_FORMAT, "%s.shp: too many vertices (%zu)", layer_name,
				    lines->n_points);
	if (!node_map_init(&map, lines->n_points, err))
		goto fail;
	s->node_xy = malloc((lines->n_points + 1) * 2 * sizeof *s->node_xy);
	node_feature = malloc((lines->n_points + 1) * sizeof *node_feature);
	s->seg_node = malloc((max_segments + 1) * 2 * sizeof *s->seg_node);
	s->seg_feature = malloc((max_segments + 1) * sizeof *s->seg_feature);
	if (!s->node_xy || !node_feature || !s->seg_node || !s->seg_feature) {
		ws_error_nomem(err);
		goto fail;
	}

	for (size_t f = 0; f < lines->n_features; f++) {
		if (accept && !accept[f]) {
			s->n_excluded_features++;
			continue;
		}
		s->n_walkable_features++;
		for (size_t p = lines->feature_first_part[f]; p < lines->feature_first_part[f + 1]; p++) {
			uint32_t prev = UINT32_MAX;
			for (size_t i = lines->part_first_point[p]; i < lines->part_first_point[p + 1]; i++) {
				double x = lines->xy[2 * i], y = lines->xy[2 * i + 1];
				uint32_t id = node_map_get(&map, x, y, s->n_nodes);
				if (id == s->n_nodes) {
					s->node_xy[2 * id] = x;
					s->node_xy[2 * id + 1] = y;
					node_feature[id] = (uint32_t)f;
					s->n_nodes++;
				}
				if (prev != UINT32_MAX) {
					if (prev == id) {
						s->n_self_loops++;
					} else {
						s->seg_node[2 * s->n_segments] = prev;
						s->seg_node[2 * s->n_segments + 1] = id;
						s->seg_feature[s->n_segments] = (uint32_t)f;
						s->n_segments++;
					}
				}
				prev = id;
			}
		}
	}

	if (to_work) {
		size_t bad = 0;
		if (!ws_transform_points(to_work, s->node_xy, s->n_nodes, threads, &bad, err)) {
			if (bad < s->n_nodes)
				ws_error_prefix(err, "%s.shp: record %u: ", layer_name, node_feature[bad]);
			goto fail;
		}
	}

	s->seg_length_m = malloc((s->n_segments + 1) * sizeof *s->seg_length_m);
	if (!s->seg_length_m) {
		ws_error_nomem(err);
		goto fail;
	}
	for (uint32_t i = 0; i < s->n_segments; i++) {
		const double *a = s->node_xy + 2 * s->seg_node[2 * i];
		const double *b = s->node_xy + 2 * s->seg_node[2 * i + 1];
		s->seg_length_m[i] = hypot(b[0] - a[0], b[1] - a[1]);
		if (s->seg_length_m[i] == 0)
			s->n_zero_length++;
	}
	if (!count_parallel(s, err))
		goto fail;
	s->bbox[0] = s->bbox[1] = INFINITY;
	s->bbox[2] = s->bbox[3] = -INFINITY;
	for (uint32_t i = 0; i < s->n_nodes; i++) {
		double x = s->node_xy[2 * i], y = s->node_xy[2 * i + 1];
		s->bbox[0] = fmin(s->bbox[0], x);
		s->bbox[1] = fmin(s->bbox[1], y);
		s->bbox[2] = fmax(s->bbox[2], x);
		s->bbox[3] = fmax(s->bbox[3], y);
	}
	node_map_finish(&map);
	free(node_feature);
	return true;
fail:
	node_map_finish(&map);
	free(node_feature);
	ws_segments_finish(s);
	return false;
}

bool ws_segments_build(struct ws_segments *s, const struct ws_layer *roads,
		       const struct ws_walk_filter *filter, const struct ws_transform *to_work,
		       int threads, struct ws_error *err)
{
	bool *accept = malloc((roads->geom.n_features + 1) * sizeof *accept);
	if (!accept)
		return ws_error_nomem(err);
	/* the fields are looked up once, not per feature */
	int highway = ws_layer_field_index(roads, "highway"), foot = ws_layer_field_index(roads, "foot");
	int access = ws_layer_field_index(roads, "access");
	for (size_t f = 0; f < roads->geom.n_features; f++)
		accept[f] = accepts_values(filter, ws_layer_value(roads, f, highway),
					   ws_layer_value(roads, f, foot), ws_layer_value(roads, f, access));
	bool ok = build(s, &roads->geom, accept, to_work, threads, roads->name ? roads->name : "roads", err);
	free(accept);
	return ok;
}

bool ws_segments_build_from_shapes(struct ws_segments *s, const struct ws_shapes *lines,
				   const bool *walkable, struct ws_error *err)
{
	return build(s, lines, walkable, NULL, 1, "roads", err);
}

void ws_segments_finish(struct ws_segments *s)
{
	if (!s)
		return;
	free(s->node_xy);
	free(s->seg_node);
	free(s->seg_feature);
	free(s->seg_length_m);
	memset(s, 0, sizeof *s);
}
