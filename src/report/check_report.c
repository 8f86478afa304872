/* The pre-flight report. Lists are cut at `LIST_MAX` lines with a count of the rest. */
#include "check_report.h"

#include <math.h>
#include <string.h>

#include "report/audit_report.h"
#include "report/entrances_report.h"
#include "report/jsonout.h"
#include "report/repairs_report.h"
#include "ws_config.h"

#define LIST_MAX 20

static const char *name_of(const struct ws_layer *l, size_t f)
{
	return ws_layer_value(l, f, ws_layer_field_index(l, "name"));
}

static void print_stats(FILE *out, const char *what, const struct ws_snap_stats *s)
{
	fprintf(out, "  %-18s %7zu %9zu", what, s->n_snapped, s->n_unsnapped);
	if (s->n_snapped)
		fprintf(out, " %9.1f %9.1f %9.1f %9.1f\n", s->min_m, s->median_m, s->p90_m, s->max_m);
	else
		fprintf(out, " %9s %9s %9s %9s\n", "-", "-", "-", "-");
}

size_t ws_check_print(FILE *out, const struct ws_check *c, const char *dataset_label,
		      double max_snap_m)
{
	const struct ws_study *st = c->st;
	fprintf(out, "walkshed %s: pre-flight check of %s\n\n", WS_VERSION, dataset_label);

	fprintf(out, "Layers\n");
	for (size_t i = 0; i < c->n_layers; i++) {
		const struct ws_layer_check *lc = &c->layers[i];
		fprintf(out, "  %-11s %7zu features", lc->layer->name, lc->layer->geom.n_features);
		if (lc->n_empty)
			fprintf(out, " (%zu without geometry)", lc->n_empty);
		if (lc->crs)
			fprintf(out, ", CRS %s, unit %s, encoding %s\n", lc->crs,
				lc->unit ? lc->unit : "unknown", lc->layer->encoding);
		else
			fprintf(out, ", CRS unreadable: %s\n", lc->crs_error);
	}
	for (size_t i = 0; i < c->n_layers; i++)
		if (ws_layer_encoding_from_language_driver(c->layers[i].layer))
			fprintf(out, "  warning: %s.dbf has no .cpg and its text is not UTF-8: read as %s, "
				"the code page its language driver byte names; a %s.cpg would make it "
				"certain\n",
				c->layers[i].layer->name, c->layers[i].layer->encoding,
				c->layers[i].layer->name);
	fprintf(out, "Working   %s (%s), unit metre\n", ws_crs_code(st->work_crs), ws_crs_name(st->work_crs));
	if (st->crs_accuracy_m >= 0)
		fprintf(out, "          roads -> working: %s; accuracy %g m\n", st->crs_operation,
			st->crs_accuracy_m);
	else
		fprintf(out, "          roads -> working: %s; accuracy unknown (bound it with --max-crs-error)\n",
			st->crs_operation);
	ws_study_print_layer_operations(out, st);

	const struct ws_segments *sg = &st->segs;
	fprintf(out, "\nNetwork   %zu of %zu road lines walkable: %u segments, %u nodes; dropped %zu "
		"self-loops; kept %zu zero-length and %zu parallel segments\n",
		sg->n_walkable_features, st->roads.geom.n_features, sg->n_segments, sg->n_nodes,
		sg->n_self_loops, sg->n_zero_length, sg->n_parallel);
	fprintf(out, "  %u connected components; the main network has %u of %u graph nodes\n",
		c->n_components, c->main_nodes, st->graph.n_nodes);
	fprintf(out, "  %-28s %8s %10s %10s %8s\n", "component", "nodes", "length_km", "compounds", "centers");
	for (size_t i = 0; i < c->n_islands && i < LIST_MAX; i++) {
		const struct ws_island *is = &c->islands[i];
		char label[40];
		if (is->main)
			snprintf(label, sizeof label, "main network (#%u)", is->component);
		else
			snprintf(label, sizeof label, "island #%u", is->component);
		fprintf(out, "  %-28s %8u %10.3f %10zu %8zu\n", label, is->n_nodes, is->length_m / 1000,
			is->n_compounds, is->n_centers);
	}
	if (c->n_islands > LIST_MAX)
		fprintf(out, "  ... %zu more islands\n", c->n_islands - LIST_MAX);
	if (c->n_off_compounds) {
		fprintf(out, "  %zu compound%s off the main network (centers there cannot reach them):\n",
			c->n_off_compounds, c->n_off_compounds == 1 ? "" : "s");
		for (size_t i = 0; i < c->n_off_compounds && i < LIST_MAX; i++) {
			size_t k = c->off_compounds[i];
			const char *name = name_of(&st->compounds, k);
			fprintf(out, "    compound fid %zu (id %s)%s%s: island of %u nodes\n", k,
				st->compound_id[k], *name ? " " : "", name, c->compound_island_nodes[k]);
		}
		if (c->n_off_compounds > LIST_MAX)
			fprintf(out, "    ... %zu more\n", c->n_off_compounds - LIST_MAX);
	}
	if (c->n_off_centers) {
		fprintf(out, "  %zu center%s off the main network:\n", c->n_off_centers,
			c->n_off_centers == 1 ? "" : "s");
		for (size_t i = 0; i < c->n_off_centers && i < LIST_MAX; i++) {
			size_t s = c->off_centers[i];
			const char *name = name_of(&st->centers, s);
			fprintf(out, "    center fid %zu (id %s)%s%s: island of %u nodes\n", s,
				st->center_id[s], *name ? " " : "", name, c->center_island_nodes[s]);
		}
		if (c->n_off_centers > LIST_MAX)
			fprintf(out, "    ... %zu more\n", c->n_off_centers - LIST_MAX);
	}

	fprintf(out, "\nSnap distances (m; max snap %g)\n  %-18s %7s %9s %9s %9s %9s %9s\n", max_snap_m,
		"", "snapped", "unsnapped", "min", "median", "p90", "max");
	print_stats(out, "centers", &c->center_snap);
	print_stats(out, "compound access", &c->access_snap);
	if (c->have_gate_snap)
		print_stats(out, "gates", &c->gate_snap);
	if (st->access_mode != WS_ACCESS_POINT) {
		fputc('\n', out);
		ws_entrances_print(out, st);
	}

	if (c->n_dup_groups) {
		fprintf(out, "\nDuplicate centers (same place and name): %zu group%s\n", c->n_dup_groups,
			c->n_dup_groups == 1 ? "" : "s");
		for (size_t g = 0; g < c->n_dup_groups && g < LIST_MAX; g++) {
			size_t f0 = c->dup_center[c->dup_first[g]];
			fprintf(out, "  \"%s\": fids", name_of(&st->centers, f0));
			for (size_t i = c->dup_first[g]; i < c->dup_first[g + 1]; i++)
				fprintf(out, "%s %zu (id %s)", i > c->dup_first[g] ? "," : "", c->dup_center[i],
					st->center_id[c->dup_center[i]]);
			fputc('\n', out);
		}
		if (c->n_dup_groups > LIST_MAX)
			fprintf(out, "  ... %zu more groups\n", c->n_dup_groups - LIST_MAX);
	} else {
		fprintf(out, "\nDuplicate centers (same place and name): none\n");
	}

	if (c->repairs.n) {
		ws_repairs_print(out, &c->repairs, st, LIST_MAX);
	} else {
		fprintf(out, "\nRepairs   none: every geometry was read as given\n");
	}
	size_t warnings = ws_check_n_warnings(c);
	fprintf(out, "\nNo errors; %zu warning%s.\n", warnings, warnings == 1 ? "" : "s");
	return warnings;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *count(size_t n)
{
	return json_object_new_int64((int64_t)n);
}

static struct json_object *stats_json(const struct ws_snap_stats *s)
{
	struct json_object *o = json_object_new_object();
	add(o, "snapped", count(s->n_snapped));
	add(o, "unsnapped", count(s->n_unsnapped));
	/* null when nothing snapped (the values are NAN) */
	add(o, "min_m", ws_json_real(s->min_m, 1));
	add(o, "median_m", ws_json_real(s->median_m, 1));
	add(o, "p90_m", ws_json_real(s->p90_m, 1));
	add(o, "max_m", ws_json_real(s->max_m, 1));
	return o;
}

/* {fid, id, name, island_nodes} of the features off the main network */
static struct json_object *off_main_json(const size_t *fids, size_t n, const struct ws_layer *layer,
					 char *const *ids, const uint32_t *island_nodes)
{
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		size_t f = fids[i];
		struct json_object *e = json_object_new_object();
		add(e, "fid", count(f));
		add(e, "id", json_object_new_string(ids[f]));
		add(e, "name", json_object_new_string(name_of(layer, f)));
		add(e, "island_nodes", count(island_nodes[f]));
		json_object_array_add(arr, e);
	}
	return arr;
}

struct json_object *ws_check_json(const struct ws_check *c, const char *dataset_label, double max_snap_m)
{
	const struct ws_study *st = c->st;
	struct json_object *doc = json_object_new_object();
	add(doc, "walkshed", json_object_new_string(WS_VERSION));
	add(doc, "command", json_object_new_string("check"));
	add(doc, "dataset", json_object_new_string(dataset_label));

	struct json_object *layers = json_object_new_array();
	for (size_t i = 0; i < c->n_layers; i++) {
		const struct ws_layer_check *lc = &c->layers[i];
		struct json_object *l = json_object_new_object();
		add(l, "name", json_object_new_string(lc->layer->name));
		add(l, "features", count(lc->layer->geom.n_features));
		add(l, "without_geometry", count(lc->n_empty));
		add(l, "crs", ws_json_text(lc->crs));
		if (!lc->crs)
			add(l, "crs_error", json_object_new_string(lc->crs_error));
		add(l, "unit", ws_json_text(lc->unit));
		add(l, "encoding", ws_json_text(lc->layer->encoding));
		add(l, "encoding_source", ws_json_text(lc->layer->encoding_source));
		json_object_array_add(layers, l);
	}
	add(doc, "layers", layers);

	/* as in the audit's summary.json */
	add(doc, "crs", ws_study_crs_json(st));
	add(doc, "inputs", ws_study_inputs_json(st));

	const struct ws_segments *sg = &st->segs;
	struct json_object *net = json_object_new_object();
	add(net, "road_lines", count(st->roads.geom.n_features));
	add(net, "walkable_lines", count(sg->n_walkable_features));
	add(net, "segments", count(sg->n_segments));
	add(net, "nodes", count(sg->n_nodes));
	add(net, "self_loops_dropped", count(sg->n_self_loops));
	add(net, "zero_length_kept", count(sg->n_zero_length));
	add(net, "parallel_kept", count(sg->n_parallel));
	add(net, "components", count(c->n_components));
	add(net, "graph_nodes", count(st->graph.n_nodes));
	add(net, "main_nodes", count(c->main_nodes));
	struct json_object *islands = json_object_new_array();
	for (size_t i = 0; i < c->n_islands; i++) {
		const struct ws_island *is = &c->islands[i];
		struct json_object *e = json_object_new_object();
		add(e, "component", count(is->component));
		add(e, "main", json_object_new_boolean(is->main));
		add(e, "nodes", count(is->n_nodes));
		add(e, "length_km", ws_json_real(is->length_m / 1000, 3));
		add(e, "compounds", count(is->n_compounds));
		add(e, "centers", count(is->n_centers));
		json_object_array_add(islands, e);
	}
	add(net, "components_with_features", islands);
	add(net, "compounds_off_main", off_main_json(c->off_compounds, c->n_off_compounds, &st->compounds,
						     st->compound_id, c->compound_island_nodes));
	add(net, "centers_off_main", off_main_json(c->off_centers, c->n_off_centers, &st->centers,
						   st->center_id, c->center_island_nodes));
	add(doc, "network", net);

	struct json_object *snap = json_object_new_object();
	add(snap, "max_snap_m", ws_json_real(max_snap_m, 3));
	add(snap, "centers", stats_json(&c->center_snap));
	add(snap, "compound_access", stats_json(&c->access_snap));
	if (c->have_gate_snap)
		add(snap, "gates", stats_json(&c->gate_snap));
	add(doc, "snap", snap);
	add(doc, "entrances", ws_entrances_summary_json(st));

	struct json_object *dups = json_object_new_array();
	for (size_t g = 0; g < c->n_dup_groups; g++) {
		struct json_object *e = json_object_new_object(), *members = json_object_new_array();
		add(e, "name", json_object_new_string(name_of(&st->centers, c->dup_center[c->dup_first[g]])));
		for (size_t i = c->dup_first[g]; i < c->dup_first[g + 1]; i++) {
			struct json_object *m = json_object_new_object();
			add(m, "fid", count(c->dup_center[i]));
			add(m, "id", json_object_new_string(st->center_id[c->dup_center[i]]));
			json_object_array_add(members, m);
		}
		add(e, "centers", members);
		json_object_array_add(dups, e);
	}
	add(doc, "duplicate_centers", dups);
	add(doc, "repairs", ws_repairs_json(&c->repairs, st));

	struct json_object *warn = json_object_new_array();
	for (int w = 0; w < WS_WARN_COUNT; w++)
		if (ws_check_warns(c, (enum ws_check_warning)w))
			json_object_array_add(warn, json_object_new_string(ws_check_warning_key((enum ws_check_warning)w)));
	add(doc, "warnings", warn);
	return doc;
}
