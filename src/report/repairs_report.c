/* Repair lists as text and JSON. Formats only; the list comes from ws_repairs_collect. */
#include "repairs_report.h"

#include <string.h>

#include "report/jsonout.h"

const char *ws_repair_feature_id(const struct ws_study *st, const char *layer, size_t fid,
				 char *buf, size_t size)
{
	if (!strcmp(layer, st->compounds.name) && st->compound_id)
		return st->compound_id[fid];
	if (!strcmp(layer, st->centers.name) && st->center_id)
		return st->center_id[fid];
	if (st->have_candidates && !strcmp(layer, st->candidates.name) && st->candidate_id)
		return st->candidate_id[fid];
	if (st->have_zones && !strcmp(layer, st->zones.name) && st->zone_id)
		return st->zone_id[fid];
	snprintf(buf, size, "%zu", fid);
	return buf;
}

void ws_repairs_print(FILE *out, const struct ws_repair_list *list, const struct ws_study *st,
		      size_t max_listed)
{
	if (!list->n)
		return;
	fprintf(out, "\nRepairs   %zu record%s repaired (docs/robustness.md; --strict refuses them):",
		list->n, list->n == 1 ? "" : "s");
	bool first = true;
	for (int k = 0; k < WS_FIX_COUNT; k++)
		if (list->count[k]) {
			fprintf(out, "%s %zu %s", first ? "" : ",", list->count[k],
				ws_repair_kind_name((enum ws_repair_kind)k));
			first = false;
		}
	fputc('\n', out);
	for (size_t i = 0; i < list->n && i < max_listed; i++) {
		const struct ws_repair *r = &list->items[i];
		char what[400], idbuf[32];
		ws_repair_describe(r, what, sizeof what);
		fprintf(out, "  %s.shp record %zu (id %s): %s\n", r->layer, r->fid,
			ws_repair_feature_id(st, r->layer, r->fid, idbuf, sizeof idbuf), what);
	}
	if (list->n > max_listed)
		fprintf(out, "  ... %zu more (the full list is in summary.json of walkshed audit --out)\n", list->n - max_listed);
}

struct json_object *ws_repairs_json(const struct ws_repair_list *list, const struct ws_study *st)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "records", json_object_new_int64((int64_t)list->n));
	for (int k = 0; k < WS_FIX_COUNT; k++)
		json_object_object_add(o, ws_repair_kind_key((enum ws_repair_kind)k),
				       json_object_new_int64((int64_t)list->count[k]));
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < list->n; i++) {
		const struct ws_repair *r = &list->items[i];
		struct json_object *e = json_object_new_object();
		char idbuf[32];
		json_object_object_add(e, "layer", json_object_new_string(r->layer));
		json_object_object_add(e, "fid", json_object_new_int64((int64_t)r->fid));
		json_object_object_add(e, "id", json_object_new_string(
			ws_repair_feature_id(st, r->layer, r->fid, idbuf, sizeof idbuf)));
		struct json_object *kinds = json_object_new_array();
		for (int k = 0; k < WS_FIX_COUNT; k++)
			if (r->kinds & (1u << k))
				json_object_array_add(kinds, json_object_new_string(
					ws_repair_kind_key((enum ws_repair_kind)k)));
		json_object_object_add(e, "repairs", kinds);
		if (r->has_area) {
			json_object_object_add(e, "area_before_m2", ws_json_real(r->area_before_m2, 1));
			json_object_object_add(e, "area_after_m2", ws_json_real(r->area_after_m2, 1));
		}
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "list", arr);
	return o;
}
