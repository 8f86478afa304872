/* Repair lists. Invariant: one entry per repaired record, layers in the order roads,
 * compounds, centers, gates, candidates, zones, FIDs increasing within a layer, so the
 * list (and every report made from it) is the same for any thread count. */
#include "repairs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_name[WS_FIX_COUNT] = {
	"NULL shape skipped", "ring closed", "degenerate ring dropped",
	"degenerate line part dropped", "no geometry left", "made valid (MakeValid)",
	"hole outside its shell made a polygon", "non-polygon parts dropped", "no area left",
};
static const char *const kind_key[WS_FIX_COUNT] = {
	"null_shape", "closed_ring", "dropped_ring", "dropped_part", "emptied",
	"made_valid", "hole_outside_shell", "non_polygon_parts_dropped", "no_area",
};

const char *ws_repair_kind_name(enum ws_repair_kind kind)
{
	return kind < WS_FIX_COUNT ? kind_name[kind] : "?";
}

const char *ws_repair_kind_key(enum ws_repair_kind kind)
{
	return kind < WS_FIX_COUNT ? kind_key[kind] : "?";
}

static unsigned reader_kinds(unsigned char flags)
{
	unsigned k = 0;
	if (flags & WS_REPAIR_NULL_SHAPE)
		k |= 1u << WS_FIX_NULL_SHAPE;
	if (flags & WS_REPAIR_CLOSED_RING)
		k |= 1u << WS_FIX_CLOSED_RING;
	if (flags & WS_REPAIR_DROPPED_RING)
		k |= 1u << WS_FIX_DROPPED_RING;
	if (flags & WS_REPAIR_DROPPED_PART)
		k |= 1u << WS_FIX_DROPPED_PART;
	if (flags & WS_REPAIR_EMPTIED)
		k |= 1u << WS_FIX_EMPTIED;
	return k;
}

static bool push(struct ws_repair_list *list, size_t *cap, const struct ws_repair *r,
		 struct ws_error *err)
{
	if (list->n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		struct ws_repair *p = realloc(list->items, c * sizeof *p);
		if (!p)
			return ws_error_nomem(err);
		list->items = p;
		*cap = c;
	}
	list->items[list->n++] = *r;
	for (int k = 0; k < WS_FIX_COUNT; k++)
		if (r->kinds & (1u << k))
			list->count[k]++;
	return true;
}

/* poly/empty: what building the layer's polygons repaired, per feature (NULL for lines
 * and points) */
static bool collect_layer(struct ws_repair_list *list, size_t *cap, const struct ws_layer *l,
			  const struct ws_polygon_repair *poly, const bool *empty, struct ws_error *err)
{
	for (size_t f = 0; f < l->geom.n_features; f++) {
		struct ws_repair r = {l->name, f, 0, false, 0, 0};
		if (l->feature_repairs)
			r.kinds = reader_kinds(l->feature_repairs[f]);
		if (poly) {
			const struct ws_polygon_repair *p = &poly[f];
			if (p->made_valid)
				r.kinds |= 1u << WS_FIX_MADE_VALID;
			if (p->orphan_holes)
				r.kinds |= 1u << WS_FIX_HOLE_OUTSIDE;
			if (p->dropped_parts)
				r.kinds |= 1u << WS_FIX_NON_POLYGON;
			/* a record that had rings but ended without area (a spike, a line) */
			if (empty[f] && ws_shapes_feature_parts(&l->geom, f) > 0)
				r.kinds |= 1u << WS_FIX_NO_AREA;
			if (p->made_valid || p->orphan_holes) {
				r.has_area = true;
				r.area_before_m2 = p->area_before_m2;
				r.area_after_m2 = p->area_after_m2;
			}
		}
		if (r.kinds && !push(list, cap, &r, err))
			return false;
	}
	return true;
}

bool ws_repairs_collect(struct ws_repair_list *list, const struct ws_study *st, struct ws_error *err)
{
	memset(list, 0, sizeof *list);
	size_t cap = 0;
	bool ok = collect_layer(list, &cap, &st->roads, NULL, NULL, err) &&
		  collect_layer(list, &cap, &st->compounds, st->access.repair, st->access.empty, err) &&
		  collect_layer(list, &cap, &st->centers, NULL, NULL, err) &&
		  (!st->have_gates || collect_layer(list, &cap, &st->gates, NULL, NULL, err)) &&
		  (!st->have_candidates || collect_layer(list, &cap, &st->candidates, NULL, NULL, err)) &&
		  (!st->have_zones || collect_layer(list, &cap, &st->zones, st->zone_repair, st->zone_empty, err));
	if (!ok)
		ws_repairs_finish(list);
	return ok;
}

void ws_repairs_finish(struct ws_repair_list *list)
{
	if (!list)
		return;
	free(list->items);
	memset(list, 0, sizeof *list);
}

void ws_repair_describe(const struct ws_repair *r, char *buf, size_t size)
{
	size_t at = 0;
	buf[0] = '\0';
	for (int k = 0; k < WS_FIX_COUNT && at < size; k++) {
		if (!(r->kinds & (1u << k)))
			continue;
		int w = snprintf(buf + at, size - at, "%s%s", at ? ", " : "", kind_name[k]);
		if (w < 0)
			return;
		at += (size_t)w;
	}
	if (r->has_area && at < size)
		snprintf(buf + at, size - at, " (area %.1f -> %.1f m2)", r->area_before_m2,
			 r->area_after_m2);
}

bool ws_repairs_refuse(const struct ws_repair_list *list, struct ws_error *err)
{
	if (!list->n)
		return true;
	char detail[400] = "";
	size_t at = 0;
	for (size_t i = 0; i < list->n && i < 3 && at < sizeof detail; i++) {
		char what[200];
		ws_repair_describe(&list->items[i], what, sizeof what);
		int w = snprintf(detail + at, sizeof detail - at, "%s%s.shp: record %zu: %s",
				 i ? "; " : "", list->items[i].layer, list->items[i].fid, what);
		if (w < 0)
			break;
		at += (size_t)w;
	}
	return ws_error_set(err, WS_ERR_FORMAT, "--strict: %zu record%s would need repair: %s%s",
			    list->n, list->n == 1 ? "" : "s", detail, list->n > 3 ? "; ..." : "");
}
