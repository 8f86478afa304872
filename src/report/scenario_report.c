/* Scenario reports. "before" is the baseline (existing centers), "after" the scenario. */
#include "scenario_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/audit_report.h"
#include "report/jsonout.h"
#include "report/site_report.h"
#include "report/text.h"
#include "report/writers.h"
#include "ws_config.h"

static const char *const change_name[] = {"uncovered", "gained", "lost", "covered"};

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

static const char *compound_name(const struct ws_scenario_run *r, size_t c)
{
	return ws_layer_value(&r->st->compounds, c, ws_layer_field_index(&r->st->compounds, "name"));
}

static void print_center(FILE *out, const struct ws_scenario_run *r, size_t i)
{
	const char *name = ws_scenario_center_name(r, i);
	if (*name)
		fprintf(out, "%s (%s)", name, ws_scenario_center_id(r, i));
	else
		fprintf(out, "id %s", ws_scenario_center_id(r, i));
}

void ws_scenario_print_summary(FILE *out, const struct ws_scenario_run *r, const char *dataset_label)
{
	size_t nk = r->before.n_compounds;
	fprintf(out, "walkshed %s: scenario against the baseline, %g-minute walk, %s\n\n", WS_VERSION, r->p.minutes,
		dataset_label);
	fprintf(out, "Closed    %zu center%s", r->n_closed, r->n_closed == 1 ? "" : "s");
	size_t shown = 0;
	for (size_t i = 0; i < r->n_old; i++)
		if (r->closed[i]) {
			fprintf(out, "%s", shown++ ? ", " : ": ");
			print_center(out, r, i);
		}
	fprintf(out, "\nAdded     %zu site%s", r->n_new, r->n_new == 1 ? "" : "s");
	for (size_t j = 0; j < r->n_new; j++) {
		fprintf(out, "%s", j ? ", " : ": ");
		print_center(out, r, r->n_old + j);
	}
	if (r->n_sites_unsnapped)
		fprintf(out, " (%zu farther than the max snap distance: they reach nothing)", r->n_sites_unsnapped);
	fprintf(out, "\n");
	if (r->p.level || r->p.service)
		fprintf(out, "Counting  only centers%s%s%s%s\n", r->p.level ? " of level " : "", r->p.level ? r->p.level : "",
			r->p.service ? " offering " : "", r->p.service ? r->p.service : "");
	size_t cb = r->n_change[WS_CHANGE_KEPT] + r->n_change[WS_CHANGE_LOST];
	size_t ca = r->n_change[WS_CHANGE_KEPT] + r->n_change[WS_CHANGE_GAINED];
	fprintf(out, "\nCompounds %zu\n", nk);
	fprintf(out, "  covered before %6zu  %5.1f %%\n", cb, pct((double)cb, (double)nk));
	fprintf(out, "  covered after  %6zu  %5.1f %%\n", ca, pct((double)ca, (double)nk));
	fprintf(out, "  newly covered  %6zu\n  coverage lost  %6zu\n", r->n_change[WS_CHANGE_GAINED],
		r->n_change[WS_CHANGE_LOST]);
	if (r->weighted) {
		double wb = r->weight_change[WS_CHANGE_KEPT] + r->weight_change[WS_CHANGE_LOST];
		double wa = r->weight_change[WS_CHANGE_KEPT] + r->weight_change[WS_CHANGE_GAINED];
		fprintf(out, "  %s: covered before %.0f (%.1f %%), after %.0f (%.1f %%), gained %.0f, lost %.0f\n",
			r->p.weight_field, wb, pct(wb, r->total_weight), wa, pct(wa, r->total_weight),
			r->weight_change[WS_CHANGE_GAINED], r->weight_change[WS_CHANGE_LOST]);
		if (r->n_weight_missing)
			fprintf(out, "  %zu compounds have no usable \"%s\" value (counted as 0)\n", r->n_weight_missing,
				r->p.weight_field);
	}
	if (r->n_groups) {
		fprintf(out, "\n  %-8s %-20s %8s %8s %8s %8s\n", "by", "value", "before", "after", "gained", "lost");
		for (size_t g = 0; g < r->n_groups; g++) {
			const struct ws_scenario_group *x = &r->groups[g];
			fprintf(out, "  %-8s ", x->kind);
			ws_text_print_padded(out, x->value, 20);
			fprintf(out, " %8zu %8zu %8zu %8zu\n", x->covered_before, x->covered_after, x->gained, x->lost);
		}
	}
	size_t listed = 0;
	for (int pass = 0; pass < 2; pass++) {
		enum ws_change want = pass == 0 ? WS_CHANGE_GAINED : WS_CHANGE_LOST;
		if (!r->n_change[want])
			continue;
		fprintf(out, "\n%s\n", pass == 0 ? "Newly covered (reach before -> after)" : "Coverage lost (reach before -> after)");
		listed = 0;
		for (size_t c = 0; c < nk && listed < 15; c++) {
			if (r->change[c] != want)
				continue;
			listed++;
			const char *name = compound_name(r, c);
			char label[300];
			if (*name)
				snprintf(label, sizeof label, "%s (%s)", name, r->st->compound_id[c]);
			else
				snprintf(label, sizeof label, "id %s", r->st->compound_id[c]);
			fprintf(out, "  ");
			ws_text_print_padded(out, label, 36);
			double b = r->before.compound[c].reach_m / r->m_per_min, a = r->after.compound[c].reach_m / r->m_per_min;
			char bs[32], as[32];
			snprintf(bs, sizeof bs, isinf(b) ? "unreached" : "%.2f min", b);
			snprintf(as, sizeof as, isinf(a) ? "unreached" : "%.2f min", a);
			fprintf(out, " %12s -> %-12s\n", bs, as);
		}
		if (listed < r->n_change[want])
			fprintf(out, "  ... %zu more in scenario.csv\n", r->n_change[want] - listed);
	}
}

enum scen_col { C_FID, C_ID, C_NAME, C_WEIGHT, C_BEFORE_MIN, C_AFTER_MIN, C_DELTA_MIN, C_COV_BEFORE, C_COV_AFTER,
		C_CHANGE, C_NEAR_BEFORE, C_NEAR_AFTER, C_N_BEFORE, C_N_AFTER, C_COUNT };

bool ws_scenario_compound_table(struct ws_table *t, const struct ws_scenario_run *r, struct ws_error *err)
{
	size_t nk = r->before.n_compounds;
	if (!ws_table_init(t, nk, C_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, C_FID, "fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, C_ID, "id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, C_NAME, "name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, C_WEIGHT, "weight", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, C_BEFORE_MIN, "before_min", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, C_AFTER_MIN, "after_min", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, C_DELTA_MIN, "delta_min", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, C_COV_BEFORE, "cov_before", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, C_COV_AFTER, "cov_after", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, C_CHANGE, "change", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, C_NEAR_BEFORE, "near_before", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, C_NEAR_AFTER, "near_after", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, C_N_BEFORE, "n_before", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, C_N_AFTER, "n_after", WS_COL_INT, 0, err);
	for (size_t c = 0; ok && c < nk; c++) {
		const struct ws_compound_reach *b = &r->before.compound[c], *a = &r->after.compound[c];
		ws_table_set_int(t, c, C_FID, (int64_t)c);
		ok = ws_table_set_text(t, c, C_ID, r->st->compound_id[c], err) &&
		     ws_table_set_text(t, c, C_NAME, compound_name(r, c), err) &&
		     ws_table_set_text(t, c, C_CHANGE, change_name[r->change[c]], err);
		if (r->weighted)
			ws_table_set_real(t, c, C_WEIGHT, r->weight[c]);
		double bm = b->reach_m / r->m_per_min, am = a->reach_m / r->m_per_min;
		ws_table_set_real(t, c, C_BEFORE_MIN, bm);
		ws_table_set_real(t, c, C_AFTER_MIN, am);
		/* the difference of the rounded figures, so that the columns add up */
		if (isfinite(bm) && isfinite(am))
			ws_table_set_real(t, c, C_DELTA_MIN, round(am * 100) / 100 - round(bm * 100) / 100);
		ws_table_set_bool(t, c, C_COV_BEFORE, b->covered);
		ws_table_set_bool(t, c, C_COV_AFTER, a->covered);
		if (ok && b->nearest != WS_NO_CENTER)
			ok = ws_table_set_text(t, c, C_NEAR_BEFORE, ws_scenario_center_id(r, b->nearest), err);
		if (ok && a->nearest != WS_NO_CENTER)
			ok = ws_table_set_text(t, c, C_NEAR_AFTER, ws_scenario_center_id(r, a->nearest), err);
		ws_table_set_int(t, c, C_N_BEFORE, b->n_within);
		ws_table_set_int(t, c, C_N_AFTER, a->n_within);
	}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

bool ws_scenario_write_outputs(const struct ws_outdir *out, const struct ws_scenario_run *r,
			       struct ws_error *err)
{
	struct ws_table t = {0}, sub = {0};
	struct ws_shapes work = {0}, src = {0};
	size_t nk = r->before.n_compounds, n = 0;
	size_t *rows = malloc((nk + 1) * sizeof *rows);
	char *path = NULL;
	bool ok = rows ? ws_scenario_compound_table(&t, r, err) : ws_error_nomem(err);
	if (ok) {
		path = ws_outdir_path(out, "scenario.csv");
		ok = path ? ws_write_csv(path, &t, err) : ws_error_nomem(err);
		free(path);
	}
	/* the map layer: every compound, so that a planner can style by `change` */
	for (size_t c = 0; ok && c < nk; c++)
		rows[n++] = c;
	ok = ok && ws_shapes_subset(&work, &r->st->compounds_work, rows, n, err) &&
	     ws_shapes_subset(&src, &r->st->compounds.geom, rows, n, err) &&
	     ws_write_layer_pair(out, "scenario", &t, &work, &src, &r->st->compounds, r->st, err);
	free(rows);
	ws_table_finish(&t);
	ws_table_finish(&sub);
	ws_shapes_finish(&work);
	ws_shapes_finish(&src);
	return ok;
}

static struct json_object *center_json(const struct ws_scenario_run *r, size_t i)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(ws_scenario_center_id(r, i)));
	json_object_object_add(o, "name", json_object_new_string(ws_scenario_center_name(r, i)));
	if (i >= r->n_old) {
		size_t j = i - r->n_old;
		json_object_object_add(o, "x", ws_json_real(r->sites->xy_src[2 * j], 7));
		json_object_object_add(o, "y", ws_json_real(r->sites->xy_src[2 * j + 1], 7));
		json_object_object_add(o, "level", json_object_new_string(r->sites->level[j]));
		json_object_object_add(o, "services", json_object_new_string(r->sites->services[j]));
		size_t e = r->st->extra_pts.n - r->n_new + j;
		bool snapped = r->st->extra_pts.node[e] != WS_NO_NODE;
		json_object_object_add(o, "snapped", json_object_new_boolean(snapped));
		json_object_object_add(o, "snap_m", snapped ? ws_json_real(r->st->extra_pts.snap[e].dist_m, 1) : NULL);
	}
	return o;
}

struct json_object *ws_scenario_summary_json(const struct ws_scenario_run *r, struct ws_error *err)
{
	struct json_object *doc = json_object_new_object();
	if (!doc) {
		ws_error_nomem(err);
		return NULL;
	}
	size_t nk = r->before.n_compounds;
	json_object_object_add(doc, "tool", json_object_new_string("walkshed"));
	json_object_object_add(doc, "version", json_object_new_string(WS_VERSION));
	json_object_object_add(doc, "command", json_object_new_string("scenario"));
	json_object_object_add(doc, "model", json_object_new_string("SPEC v1 (docs/model.md, docs/scenario.md)"));
	struct json_object *par = json_object_new_object();
	json_object_object_add(par, "scenario_file", ws_json_text(r->sites->spec->path));
	json_object_object_add(par, "minutes", ws_json_real(r->p.minutes, 2));
	json_object_object_add(par, "speed_kmh", ws_json_real(r->p.speed_kmh, 3));
	json_object_object_add(par, "limit_m", ws_json_real(r->limit_m, 3));
	json_object_object_add(par, "weight", ws_json_text(r->p.weight_field));
	json_object_object_add(par, "level", ws_json_text(r->p.level));
	json_object_object_add(par, "service", ws_json_text(r->p.service));
	json_object_object_add(doc, "parameters", par);
	ws_report_add_inputs_json(doc, r->st);
	struct json_object *closed = json_object_new_array(), *added = json_object_new_array();
	for (size_t i = 0; i < r->n_old; i++)
		if (r->closed[i])
			json_object_array_add(closed, center_json(r, i));
	for (size_t j = 0; j < r->n_new; j++)
		json_object_array_add(added, center_json(r, r->n_old + j));
	json_object_object_add(doc, "closed", closed);
	json_object_object_add(doc, "added", added);

	struct json_object *tot = json_object_new_object();
	size_t cb = r->n_change[WS_CHANGE_KEPT] + r->n_change[WS_CHANGE_LOST];
	size_t ca = r->n_change[WS_CHANGE_KEPT] + r->n_change[WS_CHANGE_GAINED];
	json_object_object_add(tot, "compounds", json_object_new_int64((int64_t)nk));
	json_object_object_add(tot, "covered_before", json_object_new_int64((int64_t)cb));
	json_object_object_add(tot, "covered_after", json_object_new_int64((int64_t)ca));
	json_object_object_add(tot, "covered_before_pct", ws_json_real(pct((double)cb, (double)nk), 2));
	json_object_object_add(tot, "covered_after_pct", ws_json_real(pct((double)ca, (double)nk), 2));
	json_object_object_add(tot, "gained", json_object_new_int64((int64_t)r->n_change[WS_CHANGE_GAINED]));
	json_object_object_add(tot, "lost", json_object_new_int64((int64_t)r->n_change[WS_CHANGE_LOST]));
	if (r->weighted) {
		double wb = r->weight_change[WS_CHANGE_KEPT] + r->weight_change[WS_CHANGE_LOST];
		double wa = r->weight_change[WS_CHANGE_KEPT] + r->weight_change[WS_CHANGE_GAINED];
		json_object_object_add(tot, "weight_total", ws_json_real(r->total_weight, 2));
		json_object_object_add(tot, "weight_before", ws_json_real(wb, 2));
		json_object_object_add(tot, "weight_after", ws_json_real(wa, 2));
		json_object_object_add(tot, "weight_gained", ws_json_real(r->weight_change[WS_CHANGE_GAINED], 2));
		json_object_object_add(tot, "weight_lost", ws_json_real(r->weight_change[WS_CHANGE_LOST], 2));
		json_object_object_add(tot, "weight_missing", json_object_new_int64((int64_t)r->n_weight_missing));
	}
	json_object_object_add(doc, "totals", tot);
	struct json_object *groups = json_object_new_array();
	for (size_t g = 0; g < r->n_groups; g++) {
		const struct ws_scenario_group *x = &r->groups[g];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "by", json_object_new_string(x->kind));
		json_object_object_add(o, "value", json_object_new_string(x->value));
		json_object_object_add(o, "centers_before", json_object_new_int64((int64_t)x->centers_before));
		json_object_object_add(o, "centers_after", json_object_new_int64((int64_t)x->centers_after));
		json_object_object_add(o, "covered_before", json_object_new_int64((int64_t)x->covered_before));
		json_object_object_add(o, "covered_after", json_object_new_int64((int64_t)x->covered_after));
		json_object_object_add(o, "gained", json_object_new_int64((int64_t)x->gained));
		json_object_object_add(o, "lost", json_object_new_int64((int64_t)x->lost));
		if (r->weighted) {
			json_object_object_add(o, "weight_before", ws_json_real(x->weight_before, 2));
			json_object_object_add(o, "weight_after", ws_json_real(x->weight_after, 2));
		}
		json_object_array_add(groups, o);
	}
	json_object_object_add(doc, "groups", groups);
	struct json_object *changed = json_object_new_array();
	for (size_t c = 0; c < nk; c++) {
		if (r->change[c] != WS_CHANGE_GAINED && r->change[c] != WS_CHANGE_LOST)
			continue;
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "fid", json_object_new_int64((int64_t)c));
		json_object_object_add(o, "id", json_object_new_string(r->st->compound_id[c]));
		json_object_object_add(o, "name", json_object_new_string(compound_name(r, c)));
		json_object_object_add(o, "change", json_object_new_string(change_name[r->change[c]]));
		json_object_object_add(o, "before_min", ws_json_real(r->before.compound[c].reach_m / r->m_per_min, 2));
		json_object_object_add(o, "after_min", ws_json_real(r->after.compound[c].reach_m / r->m_per_min, 2));
		json_object_array_add(changed, o);
	}
	json_object_object_add(doc, "changed", changed);
	return doc;
}
