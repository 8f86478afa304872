/* Entrance reports: they format the study's gate assignment and snapping; they compute
 * nothing new. */
#include "report/entrances_report.h"

#include <stdio.h>

#include "analysis/entrances.h"
#include "report/jsonout.h"

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
		size_t n_use[WS_GATE_USE_COUNT] = {0};
		for (size_t i = 0; i < ga->n_gates; i++)
			n_use[ws_study_gate_use(st, i)]++;
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
			fprintf(out, "          and %zu more unused gates (all in summary.json)\n",
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
		size_t n_use[WS_GATE_USE_COUNT] = {0};
		for (size_t i = 0; i < ga->n_gates; i++) {
			enum ws_gate_use u = ws_study_gate_use(st, i);
			n_use[u]++;
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
