/* Entrance reports: they format the study's gate assignment and snapping; they compute
 * nothing new. */
#include "report/entrances_report.h"

#include <stdio.h>
#include <stdlib.h>

#include "analysis/entrances.h"
#include "report/audit_report.h"
#include "report/jsonout.h"
#include "report/writers.h"

#define MAX_LISTED_GATES 10

static const char *gate_use_key(enum ws_gate_use u)
{
	static const char *const key[] = {"used", "unknown_compound_id", "no_location", "unassigned",
					  "unsnapped"};
	return key[u];
}

/* The gate's `compound` attribute, NULL when it has none. */
static const char *gate_attribute(const struct ws_study *st, size_t i)
{
	const char *v = ws_layer_value(&st->gates, i, ws_layer_field_index(&st->gates, "compound"));
	return v && *v ? v : NULL;
}

/* How many gates are entrances (n_use[WS_GATE_USED]) and how many are not, by reason. */
static void count_gate_use(const struct ws_study *st, size_t n_use[WS_GATE_USE_COUNT])
{
	for (int k = 0; k < WS_GATE_USE_COUNT; k++)
		n_use[k] = 0;
	for (size_t i = 0; i < st->gate_assign.n_gates; i++)
		n_use[ws_study_gate_use(st, i)]++;
}

static void print_unused_gate(FILE *out, const struct ws_study *st, size_t i, enum ws_gate_use u)
{
	fprintf(out, "          gate fid %zu (id %s): ", i, st->gate_id[i]);
	switch (u) {
	case WS_GATE_NO_LOCATION:
		fputs("no location (empty geometry)\n", out);
		break;
	case WS_GATE_UNASSIGNED:
		fprintf(out, "no compound contains it or lies within %g m\n", st->gate_distance_m);
		break;
	case WS_GATE_UNKNOWN_COMPOUND:
		fprintf(out, "its compound attribute \"%s\" names no compound id\n", gate_attribute(st, i));
		break;
	default:
		fputs("farther than the max snap distance from any walkable road\n", out);
		break;
	}
}

void ws_entrances_print(FILE *out, const struct ws_study *st)
{
	if (st->access_mode == WS_ACCESS_POINT)
		return;
	if (st->access_mode == WS_ACCESS_GATES) {
		const struct ws_gate_assignment *ga = &st->gate_assign;
		size_t n_use[WS_GATE_USE_COUNT];
		count_gate_use(st, n_use);
		size_t n_unused = ga->n_gates - n_use[WS_GATE_USED];
		fprintf(out, "Gates     %zu: %zu by their compound attribute, %zu inside, %zu near a compound; "
			"%zu unassigned, %zu name an unknown compound id\n",
			ga->n_gates, ga->n_by_rule[WS_GATE_ATTRIBUTE], ga->n_by_rule[WS_GATE_INSIDE],
			ga->n_by_rule[WS_GATE_NEAR], ga->n_by_rule[WS_GATE_NONE],
			ga->n_by_rule[WS_GATE_UNKNOWN_ID]);
		if (n_unused)
			fprintf(out, "          %zu gates are no entrance: %zu name an unknown compound id, "
				"%zu have no location, %zu are unassigned, %zu are farther than the max snap "
				"distance\n",
				n_unused, n_use[WS_GATE_UNKNOWN_COMPOUND], n_use[WS_GATE_NO_LOCATION],
				n_use[WS_GATE_UNASSIGNED], n_use[WS_GATE_UNSNAPPED]);
		size_t listed = 0;
		for (size_t i = 0; i < ga->n_gates && listed < MAX_LISTED_GATES; i++) {
			enum ws_gate_use u = ws_study_gate_use(st, i);
			if (u != WS_GATE_USED) {
				print_unused_gate(out, st, i, u);
				listed++;
			}
		}
		if (n_unused > listed)
			fprintf(out, "          and %zu more unused gates (all in summary.json, check --json)\n",
				n_unused - listed);
	}
	fprintf(out, "Entrances %zu compounds have no %s: they use their surface point (SPEC 5)\n",
		st->n_access_fallback,
		st->access_mode == WS_ACCESS_GATES ? "gate" : "network node within the gate distance");
}

struct json_object *ws_entrances_summary_json(const struct ws_study *st)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "access", json_object_new_string(ws_access_mode_name(st->access_mode)));
	json_object_object_add(o, "compounds_fallback_point", json_object_new_int64((int64_t)st->n_access_fallback));
	if (st->access_mode != WS_ACCESS_POINT)
		json_object_object_add(o, "gate_distance_m", ws_json_real(st->gate_distance_m, 3));
	if (st->access_mode == WS_ACCESS_GATES) {
		static const char *const rule[] = {"attribute", "inside", "near", "unassigned", "unknown_compound_id"};
		const struct ws_gate_assignment *ga = &st->gate_assign;
		struct json_object *g = json_object_new_object();
		json_object_object_add(g, "total", json_object_new_int64((int64_t)ga->n_gates));
		for (int k = 0; k < 5; k++)
			json_object_object_add(g, rule[k], json_object_new_int64((int64_t)ga->n_by_rule[k]));
		struct json_object *unused = json_object_new_array();
		for (size_t i = 0; i < ga->n_gates; i++) {
			enum ws_gate_use u = ws_study_gate_use(st, i);
			if (u == WS_GATE_USED)
				continue;
			struct json_object *x = json_object_new_object();
			json_object_object_add(x, "fid", json_object_new_int64((int64_t)i));
			json_object_object_add(x, "id", json_object_new_string(st->gate_id[i]));
			json_object_object_add(x, "compound", ws_json_text(gate_attribute(st, i)));
			json_object_object_add(x, "reason", json_object_new_string(gate_use_key(u)));
			json_object_array_add(unused, x);
		}
		/* the gates that are entrances, then the unused ones by reason (disjoint) */
		size_t n_use[WS_GATE_USE_COUNT];
		count_gate_use(st, n_use);
		for (int k = 0; k < WS_GATE_USE_COUNT; k++) {
			char key[40];
			snprintf(key, sizeof key, k == WS_GATE_USED ? "%s" : "unused_%s", gate_use_key(k));
			json_object_object_add(g, key, json_object_new_int64((int64_t)n_use[k]));
		}
		json_object_object_add(g, "unused_list", unused);
		json_object_object_add(o, "gates", g);
	}
	return o;
}

enum gate_col { GC_FID, GC_ID, GC_ATTRIBUTE, GC_RULE, GC_COMPOUND_FID, GC_COMPOUND_ID, GC_BOUNDARY,
		GC_SNAP, GC_ENTRANCE, GC_REASON, GC_COUNT };

bool ws_gates_table(struct ws_table *t, const struct ws_study *st, struct ws_error *err)
{
	static const char *const rule_name[] = {"attribute", "inside", "near", "unassigned",
						 "unknown_compound_id"};
	const struct ws_gate_assignment *ga = &st->gate_assign;
	if (!ws_table_init(t, ga->n_gates, GC_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, GC_FID, "fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, GC_ID, "id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, GC_ATTRIBUTE, "compound", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, GC_RULE, "rule", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, GC_COMPOUND_FID, "compound_fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, GC_COMPOUND_ID, "compound_id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, GC_BOUNDARY, "boundary_m", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, GC_SNAP, "snap_m", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, GC_ENTRANCE, "entrance", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, GC_REASON, "reason", WS_COL_TEXT, 0, err);
	for (size_t i = 0; ok && i < ga->n_gates; i++) {
		enum ws_gate_use u = ws_study_gate_use(st, i);
		uint32_t k = ga->compound[i];
		ws_table_set_int(t, i, GC_FID, (int64_t)i);
		const char *attribute = gate_attribute(st, i);
		ok = ws_table_set_text(t, i, GC_ID, st->gate_id[i], err) &&
		     (!attribute || ws_table_set_text(t, i, GC_ATTRIBUTE, attribute, err)) &&
		     ws_table_set_text(t, i, GC_RULE, rule_name[ga->rule[i]], err) &&
		     (k == WS_NO_COMPOUND || ws_table_set_text(t, i, GC_COMPOUND_ID, st->compound_id[k], err)) &&
		     (u == WS_GATE_USED || ws_table_set_text(t, i, GC_REASON, gate_use_key(u), err));
		if (k != WS_NO_COMPOUND)
			ws_table_set_int(t, i, GC_COMPOUND_FID, (int64_t)k);
		ws_table_set_real(t, i, GC_BOUNDARY, ga->boundary_m[i]);
		if (st->gates_pts.node[i] != WS_NO_NODE)
			ws_table_set_real(t, i, GC_SNAP, st->gates_pts.snap[i].dist_m);
		ws_table_set_bool(t, i, GC_ENTRANCE, u == WS_GATE_USED);
	}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

/* The gates as point shapes in the working CRS (a gate without location: no geometry). */
static bool gate_shapes(struct ws_shapes *s, const struct ws_study *st, struct ws_error *err)
{
	if (!ws_shapes_init(s, WS_GEOM_POINT, err))
		return false;
	for (size_t i = 0; i < st->gates_pts.n; i++) {
		const double *xy = st->gates_pts.xy + 2 * i;
		if (!ws_shapes_begin_feature(s, err))
			return false;
		if (ws_study_gate_use(st, i) != WS_GATE_NO_LOCATION &&
		    !(ws_shapes_begin_part(s, err) && ws_shapes_add_point(s, xy[0], xy[1], err)))
			return false;
	}
	return true;
}

bool ws_gates_write_outputs(const struct ws_outdir *out, const struct ws_study *st,
			    struct ws_error *err)
{
	if (st->access_mode != WS_ACCESS_GATES)
		return true;
	struct ws_table t = {0};
	struct ws_shapes work = {0};
	bool ok = ws_gates_table(&t, st, err) && gate_shapes(&work, st, err);
	if (ok) {
		char *path = ws_outdir_path(out, "gates.csv");
		ok = path ? ws_write_csv(path, &t, err) : ws_error_nomem(err);
		free(path);
	}
	ok = ok && ws_write_layer_pair(out, "gates", &t, &work, &st->gates.geom, &st->gates, st, err);
	ws_table_finish(&t);
	ws_shapes_finish(&work);
	return ok;
}
