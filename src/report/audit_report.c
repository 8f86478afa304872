/* Audit reports. Every figure printed or written comes from struct ws_audit; minutes are
 * metres / (speed * 1000 / 60), rounded to 0.01 only when formatted (SPEC 7). */
#include "audit_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"
#include "pipeline/repairs.h"
#include "report/entrances_report.h"
#include "report/repairs_report.h"
#include "report/jsonout.h"
#include "report/text.h"
#include "report/writers.h"
#include "ws_config.h"

static const char *const status_name[] = {"covered", "uncovered", "unreachable", "unsnapped"};

static const char *field_text(const struct ws_layer *l, size_t f, const char *field)
{
	return ws_layer_value(l, f, ws_layer_field_index(l, field));
}

static double pct(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void print_compound_label(FILE *out, const struct ws_audit *a, size_t c, size_t width)
{
	const char *name = field_text(&a->st->compounds, c, "name");
	char label[512];
	if (*name)
		snprintf(label, sizeof label, "%s (%s)", name, a->st->compound_id[c]);
	else
		snprintf(label, sizeof label, "id %s", a->st->compound_id[c]);
	ws_text_print_padded(out, label, width);
}

static const char *center_label(const struct ws_audit *a, size_t s, char *buf, size_t size)
{
	const char *name = field_text(&a->st->centers, s, "name");
	if (*name)
		snprintf(buf, size, "%s (%s)", name, a->st->center_id[s]);
	else
		snprintf(buf, size, "id %s", a->st->center_id[s]);
	return buf;
}

/* BAD_INPUTS 21: unreachable compounds grouped by the size of their network island
 * (island_n in compounds.csv), smallest island first, at most 5 lines. */
static void print_unreachable_islands(FILE *out, const struct ws_audit *a)
{
	size_t nk = a->cov.n_compounds, lines = 0;
	if (!a->n_status[WS_STATUS_UNREACHABLE])
		return;
	fprintf(out, "  unreachable, by network island:");
	uint32_t last = 0;
	for (;;) {
		/* next island size above `last` that holds an unreachable compound */
		uint32_t next = UINT32_MAX;
		size_t count = 0;
		for (size_t c = 0; c < nk; c++) {
			uint32_t n = a->compound_component_size[c];
			if (a->status[c] != WS_STATUS_UNREACHABLE || n <= last)
				continue;
			if (n < next) {
				next = n;
				count = 0;
			}
			count += n == next;
		}
		if (next == UINT32_MAX)
			break;
		if (lines++ == 5) {
			fprintf(out, " ...");
			break;
		}
		fprintf(out, "%s island of %u nodes: %zu compound%s", lines > 1 ? ";" : "", next, count,
			count == 1 ? "" : "s");
		last = next;
	}
	fputc('\n', out);
}

void ws_audit_print_summary(FILE *out, const struct ws_audit *a, const char *dataset_label)
{
	const struct ws_study *st = a->st;
	size_t nk = a->cov.n_compounds, nc = a->cov.n_centers;
	fprintf(out, "walkshed %s: %g-minute walking coverage audit of %s\n\n", WS_VERSION,
		a->p.minutes, dataset_label);
	fprintf(out, "Inputs    %zu road lines (%zu walkable: %u segments, %u nodes), %zu compounds, %zu centers\n",
		st->roads.geom.n_features, st->segs.n_walkable_features, st->segs.n_segments,
		st->segs.n_nodes, nk, nc);
	fprintf(out, "CRS       %s -> working %s (%s)\n", ws_crs_code(st->src_crs),
		ws_crs_code(st->work_crs), ws_crs_name(st->work_crs));
	if (st->crs_operation && st->crs_accuracy_m >= 0)
		fprintf(out, "          operation: %s; accuracy %g m\n", st->crs_operation, st->crs_accuracy_m);
	else if (st->crs_operation)
		fprintf(out, "          operation: %s; accuracy unknown (bound it with --max-crs-error)\n",
			st->crs_operation);
	ws_study_print_layer_operations(out, st);

	const struct ws_layer *layers[] = {&st->roads, &st->compounds, &st->centers,
					   &st->gates, &st->candidates, &st->zones};
	for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++)
		if (ws_layer_encoding_from_language_driver(layers[i]))
			fprintf(out, "Encoding  %s.dbf: no .cpg and not UTF-8: read as %s, the code page "
				"its language driver byte names\n", layers[i]->name, layers[i]->encoding);

	static const char *const access_text[] = {"one point on each compound's surface",
						  "the compounds' gates", "network nodes on or near each compound's boundary"};
	fprintf(out, "Model     %g min at %g km/h = %.0f m along the walking network; snap <= %g m; "
		"access: %s\n", a->p.minutes, a->p.speed_kmh, a->limit_m, a->p.max_snap_m,
		access_text[st->access_mode]);
	ws_entrances_print(out, st);
	fputc('\n', out);

	fprintf(out, "Compounds %zu\n", nk);
	static const char *const explain[] = {
		"within the threshold",
		"reachable, but beyond the threshold",
		"no center reaches their network island",
		"farther than the max snap distance from any walkable road",
	};
	static const char *const label[] = {"covered", "not covered", "unreachable", "unsnapped"};
	for (int s = 0; s < 4; s++)
		fprintf(out, "  %-12s %6zu  %5.1f %%   %s\n", label[s], a->n_status[s],
			pct(a->n_status[s], nk), explain[s]);

	print_unreachable_islands(out, a);

	size_t n_bad = nk - a->n_status[WS_STATUS_COVERED];
	size_t n_show = n_bad < 10 ? n_bad : 10;
	if (n_show) {
		fprintf(out, "\nWorst-served compounds\n   #  %-36s %10s  %s\n", "compound", "reach", "nearest center");
		for (size_t i = 0; i < n_show; i++) {
			size_t c = a->worst[i];
			const struct ws_compound_reach *r = &a->cov.compound[c];
			fprintf(out, "  %2zu  ", i + 1);
			print_compound_label(out, a, c, 36);
			char buf[512];
			if (a->status[c] == WS_STATUS_UNSNAPPED)
				fprintf(out, " %10s  -\n", "unsnapped");
			else if (a->status[c] == WS_STATUS_UNREACHABLE)
				fprintf(out, " %10s  - (island of %u nodes)\n", "unreached",
					a->compound_component_size[c]);
			else
				fprintf(out, " %6.2f min  %s\n", ws_audit_minutes(a, r->reach_m),
					center_label(a, r->nearest, buf, sizeof buf));
		}
	} else {
		fprintf(out, "\nEvery compound is within %g minutes of a center.\n", a->p.minutes);
	}

	fprintf(out, "\nCenters   %zu: %zu unsnapped, %zu reach no compound within %g min\n", nc,
		a->n_centers_unsnapped, a->n_centers_idle, a->p.minutes);
	size_t listed = 0;
	for (size_t s = 0; s < nc && listed < 10; s++) {
		char buf[512];
		if (st->centers_pts.node[s] == WS_NO_NODE) {
			fprintf(out, "  unsnapped      %s\n", center_label(a, s, buf, sizeof buf));
			listed++;
		}
	}
	for (size_t s = 0; s < nc && listed < 10; s++) {
		char buf[512];
		if (st->centers_pts.node[s] != WS_NO_NODE && a->center_reached[s] == 0) {
			fprintf(out, "  reaches none   %s\n", center_label(a, s, buf, sizeof buf));
			listed++;
		}
	}
	if (listed < a->n_centers_unsnapped + a->n_centers_idle)
		fprintf(out, "  ... %zu more in centers.csv\n", a->n_centers_unsnapped + a->n_centers_idle - listed);
	struct ws_repair_list repairs;
	struct ws_error rerr = {0};
	if (ws_repairs_collect(&repairs, st, &rerr)) {
		ws_repairs_print(out, &repairs, st, 10);
		ws_repairs_finish(&repairs);
	}
}

enum compound_col { KC_FID, KC_ID, KC_NAME, KC_STATUS, KC_REACH_MIN, KC_REACH_M, KC_NEAR_FID,
		    KC_NEAR_ID, KC_NEAR_NAME, KC_N_WITHIN, KC_COVERED, KC_SNAPPED, KC_SNAP_M,
		    KC_ISLAND, KC_COUNT };

bool ws_audit_compound_table(struct ws_table *t, const struct ws_audit *a, struct ws_error *err)
{
	const struct ws_study *st = a->st;
	size_t nk = a->cov.n_compounds;
	/* with gates or boundary entrances, two columns say how each compound was entered
	 * (point access keeps the table of SPEC 5 unchanged) */
	bool entrances = st->access_mode != WS_ACCESS_POINT;
	if (!ws_table_init(t, nk, KC_COUNT + (entrances ? 2 : 0), err))
		return false;
	bool ok = ws_table_set_column(t, KC_FID, "fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, KC_ID, "id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, KC_NAME, "name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, KC_STATUS, "status", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, KC_REACH_MIN, "reach_min", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, KC_REACH_M, "reach_m", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, KC_NEAR_FID, "near_fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, KC_NEAR_ID, "near_id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, KC_NEAR_NAME, "near_name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, KC_N_WITHIN, "n_within", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, KC_COVERED, "covered", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, KC_SNAPPED, "snapped", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, KC_SNAP_M, "snap_m", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, KC_ISLAND, "island_n", WS_COL_INT, 0, err) &&
		  (!entrances || (ws_table_set_column(t, KC_COUNT, "access", WS_COL_TEXT, 0, err) &&
				  ws_table_set_column(t, KC_COUNT + 1, "entrances", WS_COL_INT, 0, err)));
	for (size_t c = 0; ok && c < nk; c++) {
		const struct ws_compound_reach *r = &a->cov.compound[c];
		ws_table_set_int(t, c, KC_FID, (int64_t)c);
		ok = ws_table_set_text(t, c, KC_ID, st->compound_id[c], err) &&
		     ws_table_set_text(t, c, KC_NAME, field_text(&st->compounds, c, "name"), err) &&
		     ws_table_set_text(t, c, KC_STATUS, status_name[a->status[c]], err);
		if (!ok)
			break;
		ws_table_set_real(t, c, KC_REACH_MIN, ws_audit_minutes(a, r->reach_m));
		ws_table_set_real(t, c, KC_REACH_M, r->reach_m);
		if (r->nearest != WS_NO_CENTER) {
			ws_table_set_int(t, c, KC_NEAR_FID, r->nearest);
			ok = ws_table_set_text(t, c, KC_NEAR_ID, st->center_id[r->nearest], err) &&
			     ws_table_set_text(t, c, KC_NEAR_NAME, field_text(&st->centers, r->nearest, "name"), err);
		}
		ws_table_set_int(t, c, KC_N_WITHIN, r->n_within);
		ws_table_set_bool(t, c, KC_COVERED, r->covered);
		bool snapped = a->status[c] != WS_STATUS_UNSNAPPED;
		ws_table_set_bool(t, c, KC_SNAPPED, snapped);
		if (snapped) {
			/* the seed that gave the reach (its offset is its snap distance) */
			size_t k = st->compound_first[c] + r->access;
			if (k < st->compound_first[c + 1])
				ws_table_set_real(t, c, KC_SNAP_M, st->compound_seeds[k].offset_m);
			ws_table_set_int(t, c, KC_ISLAND, a->compound_component_size[c]);
		}
		if (entrances) {
			/* as in compound_areas.csv: the mode, or the surface point it fell back to */
			ok = ws_table_set_text(t, c, KC_COUNT,
					       st->compound_access[c] == st->access_mode
						       ? ws_access_mode_name(st->access_mode)
						       : "point (fallback)",
					       err);
			ws_table_set_int(t, c, KC_COUNT + 1,
					 (int64_t)(st->compound_first[c + 1] - st->compound_first[c]));
		}
	}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

enum center_col { SC_FID, SC_ID, SC_NAME, SC_LEVEL, SC_REACHED, SC_SNAPPED, SC_SNAP_M, SC_COUNT };

bool ws_audit_center_table(struct ws_table *t, const struct ws_audit *a, struct ws_error *err)
{
	const struct ws_study *st = a->st;
	size_t nc = a->cov.n_centers;
	if (!ws_table_init(t, nc, SC_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, SC_FID, "fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, SC_ID, "id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, SC_NAME, "name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, SC_LEVEL, "level", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, SC_REACHED, "reached", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, SC_SNAPPED, "snapped", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, SC_SNAP_M, "snap_m", WS_COL_REAL, 1, err);
	for (size_t s = 0; ok && s < nc; s++) {
		ws_table_set_int(t, s, SC_FID, (int64_t)s);
		ok = ws_table_set_text(t, s, SC_ID, st->center_id[s], err) &&
		     ws_table_set_text(t, s, SC_NAME, field_text(&st->centers, s, "name"), err) &&
		     ws_table_set_text(t, s, SC_LEVEL, field_text(&st->centers, s, "level"), err);
		ws_table_set_int(t, s, SC_REACHED, (int64_t)a->center_reached[s]);
		bool snapped = st->centers_pts.node[s] != WS_NO_NODE;
		ws_table_set_bool(t, s, SC_SNAPPED, snapped);
		if (snapped)
			ws_table_set_real(t, s, SC_SNAP_M, st->centers_pts.snap[s].dist_m);
	}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

static struct json_object *repairs_json(const struct ws_layer *l)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "null_shapes", json_object_new_int64((int64_t)l->repairs.null_shapes));
	json_object_object_add(o, "unclosed_rings", json_object_new_int64((int64_t)l->repairs.unclosed_rings));
	json_object_object_add(o, "dropped_rings", json_object_new_int64((int64_t)l->repairs.dropped_rings));
	json_object_object_add(o, "empty_parts", json_object_new_int64((int64_t)l->repairs.empty_parts));
	return o;
}

static struct json_object *compound_json(const struct ws_audit *a, size_t c)
{
	const struct ws_compound_reach *r = &a->cov.compound[c];
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "fid", json_object_new_int64((int64_t)c));
	json_object_object_add(o, "id", json_object_new_string(a->st->compound_id[c]));
	json_object_object_add(o, "name", json_object_new_string(field_text(&a->st->compounds, c, "name")));
	json_object_object_add(o, "status", json_object_new_string(status_name[a->status[c]]));
	json_object_object_add(o, "reach_min", ws_json_real(ws_audit_minutes(a, r->reach_m), 2));
	json_object_object_add(o, "nearest_center_fid",
			       r->nearest == WS_NO_CENTER ? NULL : json_object_new_int64(r->nearest));
	json_object_object_add(o, "nearest_center_name",
			       r->nearest == WS_NO_CENTER ? NULL
							  : json_object_new_string(field_text(&a->st->centers, r->nearest, "name")));
	return o;
}

void ws_study_print_layer_operations(FILE *out, const struct ws_study *st)
{
	for (size_t i = 0; i < st->n_layer_ops; i++) {
		const struct ws_layer_operation *op = &st->layer_ops[i];
		fprintf(out, "          %s -> working (own CRS): %s; accuracy ", op->layer, op->operation);
		if (op->accuracy_m >= 0)
			fprintf(out, "%g m\n", op->accuracy_m);
		else
			fputs("unknown (bound it with --max-crs-error)\n", out);
	}
}

static struct json_object *accuracy_json(double accuracy_m)
{
	return accuracy_m >= 0 ? ws_json_real(accuracy_m, 3) : NULL;
}

struct json_object *ws_study_crs_json(const struct ws_study *st)
{
	struct json_object *crs = json_object_new_object();
	json_object_object_add(crs, "source", json_object_new_string(ws_crs_code(st->src_crs)));
	json_object_object_add(crs, "source_name", json_object_new_string(ws_crs_name(st->src_crs)));
	json_object_object_add(crs, "working", json_object_new_string(ws_crs_code(st->work_crs)));
	json_object_object_add(crs, "working_name", json_object_new_string(ws_crs_name(st->work_crs)));
	json_object_object_add(crs, "operation", ws_json_text(st->crs_operation));
	json_object_object_add(crs, "accuracy_m", accuracy_json(st->crs_accuracy_m));
	struct json_object *ops = json_object_new_array();
	for (size_t i = 0; i < st->n_layer_ops; i++) {
		const struct ws_layer_operation *op = &st->layer_ops[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "layer", json_object_new_string(op->layer));
		json_object_object_add(o, "operation", json_object_new_string(op->operation));
		json_object_object_add(o, "accuracy_m", accuracy_json(op->accuracy_m));
		json_object_array_add(ops, o);
	}
	json_object_object_add(crs, "layer_operations", ops);
	return crs;
}

struct json_object *ws_study_inputs_json(const struct ws_study *st)
{
	struct json_object *inputs = json_object_new_array();
	for (size_t i = 0; i < st->n_inputs; i++) {
		struct json_object *f = json_object_new_object();
		json_object_object_add(f, "path", json_object_new_string(st->inputs[i].path));
		json_object_object_add(f, "sha256", json_object_new_string(st->inputs[i].sha256));
		json_object_array_add(inputs, f);
	}
	return inputs;
}

struct json_object *ws_audit_summary_json(const struct ws_audit *a, const char *command,
					  struct ws_error *err)
{
	const struct ws_study *st = a->st;
	size_t nk = a->cov.n_compounds, nc = a->cov.n_centers;
	struct json_object *doc = json_object_new_object();
	if (!doc) {
		ws_error_nomem(err);
		return NULL;
	}
	json_object_object_add(doc, "tool", json_object_new_string("walkshed"));
	json_object_object_add(doc, "version", json_object_new_string(WS_VERSION));
	json_object_object_add(doc, "command", json_object_new_string(command));
	json_object_object_add(doc, "model", json_object_new_string("SPEC v1 (docs/model.md)"));

	struct json_object *par = json_object_new_object();
	json_object_object_add(par, "minutes", ws_json_real(a->p.minutes, 2));
	json_object_object_add(par, "speed_kmh", ws_json_real(a->p.speed_kmh, 3));
	json_object_object_add(par, "limit_m", ws_json_real(a->limit_m, 3));
	json_object_object_add(par, "max_snap_m", ws_json_real(a->p.max_snap_m, 3));
	json_object_object_add(par, "access", json_object_new_string(ws_access_mode_name(st->access_mode)));
	json_object_object_add(par, "id_field", json_object_new_string(st->id_field_used));
	json_object_object_add(doc, "parameters", par);

	json_object_object_add(doc, "crs", ws_study_crs_json(st));

	json_object_object_add(doc, "inputs", ws_study_inputs_json(st));

	struct json_object *net = json_object_new_object();
	json_object_object_add(net, "road_features", json_object_new_int64((int64_t)st->roads.geom.n_features));
	json_object_object_add(net, "walkable_features", json_object_new_int64((int64_t)st->segs.n_walkable_features));
	json_object_object_add(net, "excluded_features", json_object_new_int64((int64_t)st->segs.n_excluded_features));
	json_object_object_add(net, "segments", json_object_new_int64(st->segs.n_segments));
	json_object_object_add(net, "nodes", json_object_new_int64(st->segs.n_nodes));
	json_object_object_add(net, "graph_nodes", json_object_new_int64(st->graph.n_nodes));
	json_object_object_add(net, "graph_arcs", json_object_new_int64(st->graph.n_arcs));
	json_object_object_add(net, "self_loops_dropped", json_object_new_int64((int64_t)st->segs.n_self_loops));
	json_object_object_add(net, "zero_length_segments", json_object_new_int64((int64_t)st->segs.n_zero_length));
	json_object_object_add(net, "parallel_segments", json_object_new_int64((int64_t)st->segs.n_parallel));
	json_object_object_add(doc, "network", net);

	struct json_object *comp = json_object_new_object();
	json_object_object_add(comp, "total", json_object_new_int64((int64_t)nk));
	for (int s = 0; s < 4; s++) {
		char key[40];
		json_object_object_add(comp, status_name[s], json_object_new_int64((int64_t)a->n_status[s]));
		snprintf(key, sizeof key, "%s_pct", status_name[s]);
		json_object_object_add(comp, key, ws_json_real(pct(a->n_status[s], nk), 1));
	}
	struct json_object *worst = json_object_new_array();
	size_t n_bad = nk - a->n_status[WS_STATUS_COVERED];
	for (size_t i = 0; i < n_bad && i < 10; i++)
		json_object_array_add(worst, compound_json(a, a->worst[i]));
	json_object_object_add(comp, "worst", worst);
	struct json_object *unreach = json_object_new_array();
	for (size_t c = 0; c < nk; c++)
		if (a->status[c] == WS_STATUS_UNREACHABLE) {
			struct json_object *o = json_object_new_object();
			json_object_object_add(o, "fid", json_object_new_int64((int64_t)c));
			json_object_object_add(o, "id", json_object_new_string(st->compound_id[c]));
			json_object_object_add(o, "island_n", json_object_new_int64(a->compound_component_size[c]));
			json_object_array_add(unreach, o);
		}
	json_object_object_add(comp, "unreachable_list", unreach);
	json_object_object_add(doc, "compounds", comp);

	struct json_object *cen = json_object_new_object();
	json_object_object_add(cen, "total", json_object_new_int64((int64_t)nc));
	json_object_object_add(cen, "unsnapped", json_object_new_int64((int64_t)a->n_centers_unsnapped));
	json_object_object_add(cen, "reach_no_compound", json_object_new_int64((int64_t)a->n_centers_idle));
	struct json_object *uns = json_object_new_array(), *idle = json_object_new_array();
	for (size_t s = 0; s < nc; s++) {
		bool snapped = st->centers_pts.node[s] != WS_NO_NODE;
		if (snapped && a->center_reached[s])
			continue;
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "fid", json_object_new_int64((int64_t)s));
		json_object_object_add(o, "id", json_object_new_string(st->center_id[s]));
		json_object_object_add(o, "name", json_object_new_string(field_text(&st->centers, s, "name")));
		json_object_array_add(snapped ? idle : uns, o);
	}
	json_object_object_add(cen, "unsnapped_list", uns);
	json_object_object_add(cen, "reach_no_compound_list", idle);
	json_object_object_add(doc, "centers", cen);

	struct json_object *rep = json_object_new_object();
	json_object_object_add(rep, "roads", repairs_json(&st->roads));
	struct json_object *crep = repairs_json(&st->compounds);
	size_t made_valid = 0, orphan = 0, empty = 0;
	for (size_t c = 0; c < nk; c++) {
		made_valid += st->access.repair[c].made_valid;
		orphan += st->access.repair[c].orphan_holes;
		empty += st->access.empty[c];
	}
	json_object_object_add(crep, "made_valid", json_object_new_int64((int64_t)made_valid));
	json_object_object_add(crep, "holes_outside_shell", json_object_new_int64((int64_t)orphan));
	json_object_object_add(crep, "no_area", json_object_new_int64((int64_t)empty));
	json_object_object_add(rep, "compounds", crep);
	json_object_object_add(rep, "centers", repairs_json(&st->centers));
	struct ws_repair_list list;
	if (!ws_repairs_collect(&list, st, err)) {
		json_object_put(rep);
		json_object_put(doc);
		return NULL;
	}
	json_object_object_add(rep, "repaired_records", ws_repairs_json(&list, st));
	ws_repairs_finish(&list);
	json_object_object_add(doc, "repairs", rep);
	return doc;
}

bool ws_shapes_subset(struct ws_shapes *out, const struct ws_shapes *src, const size_t *rows,
		      size_t n, struct ws_error *err)
{
	if (!ws_shapes_init(out, src->kind, err))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ws_shapes_append_feature(out, src, rows[i], err))
			goto fail;
	return true;
fail:
	ws_shapes_finish(out);
	return false;
}

static bool table_subset(struct ws_table *out, const struct ws_table *src, const size_t *rows,
			 size_t n, struct ws_error *err)
{
	if (!ws_table_init(out, n, src->n_cols, err))
		return false;
	for (size_t j = 0; j < src->n_cols; j++)
		if (!ws_table_set_column(out, j, src->cols[j].name, src->cols[j].type, src->cols[j].decimals, err))
			goto fail;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < src->n_cols; j++) {
			size_t k = rows[i] * src->n_cols + j;
			if (src->is_null[k])
				continue;
			union ws_cell cell = src->cells[k];
			switch (src->cols[j].type) {
			case WS_COL_TEXT:
				if (!ws_table_set_text(out, i, j, cell.text, err))
					goto fail;
				break;
			case WS_COL_INT: ws_table_set_int(out, i, j, cell.integer); break;
			case WS_COL_REAL: ws_table_set_real(out, i, j, cell.real); break;
			case WS_COL_BOOL: ws_table_set_bool(out, i, j, cell.boolean); break;
			}
		}
	return true;
fail:
	ws_table_finish(out);
	return false;
}

bool ws_write_layer_files(const struct ws_outdir *out, const char *stem, const struct ws_table *table,
			  const struct ws_shapes *shapes_wgs84, const struct ws_shapes *shapes_src,
			  const struct ws_layer *src_layer, const struct ws_study *st, struct ws_error *err)
{
	char *prj = NULL, *name = NULL, *path = NULL;
	size_t len = strlen(stem) + 16;
	name = malloc(len);
	bool ok = name != NULL || ws_error_nomem(err);
	if (ok) {
		snprintf(name, len, "%s.geojson", stem);
		path = ws_outdir_path(out, name);
		ok = path ? ws_write_geojson(path, table, shapes_wgs84, err) : ws_error_nomem(err);
		free(path);
	}
	if (ok) {
		path = ws_outdir_path(out, stem);
		ok = path != NULL || ws_error_nomem(err);
	}
	if (ok) {
		/* the .prj of the CRS shapes_src is in: that layer's as read, written back
		 * untouched so QGIS sees the same CRS; with --src-crs (or no .prj) that CRS */
		const struct ws_layer *layer = src_layer ? src_layer : &st->roads;
		const char *src_prj = st->src_crs_given ? NULL : layer->prj_wkt;
		if (!src_prj)
			ok = (prj = ws_crs_to_prj(st->src_crs, err)) != NULL;
		ok = ok && ws_write_shapefile(path, table, shapes_src, src_prj ? src_prj : prj, err);
	}
	free(path);
	free(name);
	free(prj);
	return ok;
}

bool ws_write_layer_pair(const struct ws_outdir *out, const char *stem, const struct ws_table *table,
			 const struct ws_shapes *shapes_work, const struct ws_shapes *shapes_src,
			 const struct ws_layer *src_layer, const struct ws_study *st, struct ws_error *err)
{
	struct ws_shapes wgs = {0};
	size_t bad = 0;
	bool ok = ws_shapes_copy(&wgs, shapes_work, err) &&
		  ws_transform_points(st->to_wgs84, wgs.xy, wgs.n_points, 1, &bad, err) &&
		  ws_write_layer_files(out, stem, table, &wgs, shapes_src, src_layer, st, err);
	ws_shapes_finish(&wgs);
	return ok;
}

bool ws_audit_write_outputs(const struct ws_outdir *out, const struct ws_audit *a,
			    struct ws_error *err)
{
	const struct ws_study *st = a->st;
	struct ws_table compounds = {0}, centers = {0}, uncovered = {0};
	struct ws_shapes unc_work = {0}, unc_src = {0};
	size_t *rows = NULL;
	char *path = NULL;
	bool ok = ws_audit_compound_table(&compounds, a, err) && ws_audit_center_table(&centers, a, err);
	if (ok) {
		path = ws_outdir_path(out, "compounds.csv");
		ok = path ? ws_write_csv(path, &compounds, err) : ws_error_nomem(err);
		free(path);
	}
	if (ok) {
		path = ws_outdir_path(out, "centers.csv");
		ok = path ? ws_write_csv(path, &centers, err) : ws_error_nomem(err);
		free(path);
	}
	size_t nk = a->cov.n_compounds, n_unc = 0;
	rows = malloc((nk + 1) * sizeof *rows);
	if (ok && !rows)
		ok = ws_error_nomem(err);
	for (size_t c = 0; ok && c < nk; c++)
		if (a->status[c] != WS_STATUS_COVERED)
			rows[n_unc++] = c;
	ok = ok && table_subset(&uncovered, &compounds, rows, n_unc, err) &&
	     ws_shapes_subset(&unc_work, &st->compounds_work, rows, n_unc, err) &&
	     ws_shapes_subset(&unc_src, &st->compounds.geom, rows, n_unc, err) &&
	     ws_write_layer_pair(out, "uncovered", &uncovered, &unc_work, &unc_src, &st->compounds, st, err);
	free(rows);
	ws_table_finish(&compounds);
	ws_table_finish(&centers);
	ws_table_finish(&uncovered);
	ws_shapes_finish(&unc_work);
	ws_shapes_finish(&unc_src);
	return ok;
}
