/* Site reports. Percentages: of all compounds (or all weight) for coverage, of the
 * target weight for the share of the gap closed. Minutes are metres / (speed*1000/60). */
#include "site_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"
#include "report/audit_report.h"
#include "report/jsonout.h"
#include "report/table.h"
#include "report/text.h"
#include "report/writers.h"
#include "ws_config.h"

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

static const char *cand_field(const struct ws_site_run *r, size_t j, const char *field)
{
	if (r->generated)
		return "";
	return ws_layer_value(&r->st->candidates, j, ws_layer_field_index(&r->st->candidates, field));
}

static const char *compound_name(const struct ws_site_run *r, size_t c)
{
	return ws_layer_value(&r->st->compounds, c, ws_layer_field_index(&r->st->compounds, "name"));
}

static void print_compound(FILE *out, const struct ws_site_run *r, size_t c)
{
	const char *name = compound_name(r, c);
	if (*name)
		fprintf(out, "%s (%s)", name, r->st->compound_id[c]);
	else
		fprintf(out, "id %s", r->st->compound_id[c]);
}

static const char *search_name(enum ws_cover_search s)
{
	return s == WS_COVER_REVERSE ? "reverse" : s == WS_COVER_FORWARD ? "forward" : "auto";
}

static const char *ilp_status_name(enum ws_ilp_status s)
{
	static const char *const names[] = {"unavailable", "skipped", "optimal", "time_limit", "failed"};
	return names[s];
}

/* covered weight after the first i sites of s */
static double curve_weight_of(const struct ws_site_run *r, const struct ws_siting *s, size_t i)
{
	double w = r->covered_weight_base;
	for (size_t t = 0; t < s->new_first[i]; t++)
		w += r->weight[s->new_compound[t]];
	return w;
}

static double curve_weight(const struct ws_site_run *r, size_t i)
{
	return curve_weight_of(r, &r->answer, i);
}

static bool answer_is_greedy(const struct ws_site_run *r)
{
	if (r->answer.n_chosen != r->greedy.n_chosen)
		return false;
	for (size_t i = 0; i < r->answer.n_chosen; i++)
		if (r->answer.chosen[i] != r->greedy.chosen[i])
			return false;
	return true;
}

void ws_site_print_summary(FILE *out, const struct ws_site_run *r, const char *dataset_label)
{
	const struct ws_study *st = r->st;
	size_t nk = st->compound_src.n;
	const char *unit = r->weighted ? r->p.weight_field : "compounds";
	fprintf(out, "walkshed %s: %s for a %g-minute walk, %s\n\n", WS_VERSION,
		r->p.cover_all ? "fewest new sites covering every coverable compound (set covering)"
			       : "best new sites (maximal covering)",
		r->p.minutes, dataset_label);
	fprintf(out, "Existing  %zu of %zu centers count", r->n_centers_used, st->center_src.n);
	if (r->p.level)
		fprintf(out, " (level %s)", r->p.level);
	if (r->p.service)
		fprintf(out, " (service %s)", r->p.service);
	fprintf(out, "; they cover %zu of %zu compounds (%.1f %%)", r->n_covered_base, nk,
		pct((double)r->n_covered_base, (double)nk));
	if (r->weighted)
		fprintf(out, ", %.0f of %.0f %s (%.1f %%)", r->covered_weight_base, r->total_weight, unit,
			pct(r->covered_weight_base, r->total_weight));
	fprintf(out, "\nTargets   %zu compounds not covered and snapped", r->n_target);
	if (r->weighted)
		fprintf(out, " (%.0f %s)", r->target_weight, unit);
	if (r->n_unsnapped)
		fprintf(out, "; %zu unsnapped compounds cannot be served", r->n_unsnapped);
	fprintf(out, "\n");
	if (r->weighted && r->n_weight_missing) {
		fprintf(out, "Weights   %zu compounds have no usable \"%s\" value (counted as 0):", r->n_weight_missing,
			r->p.weight_field);
		for (size_t i = 0; i < r->n_weight_missing && i < 10; i++)
			fprintf(out, " %s", st->compound_id[r->weight_missing[i]]);
		fprintf(out, "%s\n", r->n_weight_missing > 10 ? " ..." : "");
	}
	if (r->generated)
		fprintf(out, "Candidates %zu generated along the walkable network every %g m (compounds' area + %.0f m)",
			r->cand->n, r->p.spacing_m, r->limit_m);
	else
		fprintf(out, "Candidates %zu from %s.shp", r->cand->n, st->candidates.name);
	fprintf(out, "; %zu snapped, %zu allowed, %zu cover some target\n", r->n_cand_snapped,
		r->n_cand_allowed, r->n_cand_useful);
	fprintf(out, "Search    %s: %zu bounded searches", search_name(r->sets.used), r->sets.n_searches);
	if (r->sets.n_rechecked)
		fprintf(out, " (%zu candidates re-checked forward at the limit)", r->sets.n_rechecked);
	fprintf(out, "\n\n");

	if (r->answer.n_chosen == 0) {
		fprintf(out, "No candidate covers any target compound.\n");
	} else {
		fprintf(out, "  #  %-28s %8s %10s %10s\n", "site", "gain", "cumulative", "coverage");
		double cum = 0;
		for (size_t i = 0; i < r->answer.n_chosen; i++) {
			uint32_t j = r->answer.chosen[i];
			const char *name = cand_field(r, j, "name");
			char label[300];
			if (*name)
				snprintf(label, sizeof label, "%s (%s)", name, r->cand_id[j]);
			else
				snprintf(label, sizeof label, "candidate %s", r->cand_id[j]);
			double g = r->p.cover_all ? (double)r->answer.gain_n[i] : r->answer.gain[i];
			cum += g;
			fprintf(out, " %2zu  ", i + 1);
			ws_text_print_padded(out, label, 28);
			double cw = curve_weight(r, i + 1);
			fprintf(out, " %8.0f %10.0f %8.1f %%\n", g, cum,
				pct(r->p.cover_all ? (double)(r->n_covered_base + r->answer.new_first[i + 1]) : cw,
				    r->p.cover_all ? (double)nk : r->total_weight));
		}
		fprintf(out, "\nNewly covered compounds (walk from the site)\n");
		size_t shown = 0;
		for (size_t i = 0; i < r->answer.n_chosen && shown < 30; i++)
			for (size_t t = r->answer.new_first[i]; t < r->answer.new_first[i + 1] && shown < 30; t++, shown++) {
				fprintf(out, " %2zu  ", i + 1);
				print_compound(out, r, r->answer.new_compound[t]);
				fprintf(out, "  %.2f min\n", r->new_reach_m[t] / r->m_per_min);
			}
		if (shown < r->answer.new_first[r->answer.n_chosen])
			fprintf(out, "  ... %zu more in site_compounds.csv\n",
				r->answer.new_first[r->answer.n_chosen] - shown);
	}
	if (r->n_unreachable) {
		fprintf(out, "\n%zu target compounds no candidate can reach within %g min:", r->n_unreachable, r->p.minutes);
		for (size_t i = 0; i < r->n_unreachable && i < 10; i++) {
			fprintf(out, "%s", i ? ", " : " ");
			print_compound(out, r, r->unreachable[i]);
		}
		fprintf(out, "%s\n", r->n_unreachable > 10 ? ", ..." : "");
	}
	fprintf(out, "\n");
	double greedy_obj = r->p.cover_all ? (double)r->greedy.n_chosen : r->greedy_weight;
	double answer_obj = r->p.cover_all ? (double)r->answer.n_chosen : r->answer_weight;
	const char *what = r->p.cover_all ? "sites" : unit;
	if (answer_is_greedy(r)) {
		fprintf(out, "Greedy    the sites above, in greedy order (%g %s); local improvement found no better set\n",
			greedy_obj, what);
	} else {
		const struct ws_siting_improvement *im = &r->improve;
		fprintf(out, "Greedy    %g %s; local improvement (", greedy_obj, what);
		if (r->p.cover_all)
			fprintf(out, "%zu dropped, %zu 2-for-1, %zu 3-for-2 or 4-for-3", im->n_drops, im->n_pair_swaps,
				im->n_triple_swaps);
		else
			fprintf(out, "%zu interchanges, %zu 2-for-2, %zu dropped", im->n_swaps, im->n_pair_swaps,
				im->n_drops);
		fprintf(out, ") gives the sites above: %g %s\n", answer_obj, what);
		fprintf(out, "  greedy order (coverage curve k = 1..%zu):", r->greedy.n_chosen);
		for (size_t i = 0; i < r->greedy.n_chosen && i < 40; i++)
			fprintf(out, " %s", r->cand_id[r->greedy.chosen[i]]);
		fprintf(out, "%s (in summary.json)\n", r->greedy.n_chosen > 40 ? " ..." : "");
	}
	switch (r->exact.status) {
	case WS_ILP_UNAVAILABLE:
		fprintf(out, "Exact check: not available (walkshed was built without GLPK)\n");
		break;
	case WS_ILP_SKIPPED:
		fprintf(out, "Exact check: skipped (--time-limit 0)\n");
		break;
	case WS_ILP_OPTIMAL:
		fprintf(out, "Exact check (GLPK, %zu x %zu model, %.2f s): optimum %g %s; greedy %g: gap %.2f %%; "
			"answer %g: gap %.2f %%\n",
			r->exact.n_rows, r->exact.n_cols, r->exact.time_s, r->exact.objective, what, greedy_obj,
			ws_site_gap_pct(r), answer_obj, ws_site_answer_gap_pct(r));
		if (ws_site_answer_gap_pct(r) > 0) {
			fprintf(out, "  the optimum's sites:");
			for (size_t i = 0; i < r->exact.n_chosen && i < 40; i++)
				fprintf(out, " %s", r->cand_id[r->exact.chosen[i]]);
			fprintf(out, "%s (in summary.json)\n", r->exact.n_chosen > 40 ? " ..." : "");
		}
		break;
	case WS_ILP_TIME_LIMIT:
		fprintf(out, "Exact check (GLPK): stopped at the %g s limit; best found %g %s, bound %g; greedy %g, answer %g\n",
			r->p.time_limit_s, r->exact.objective, what, r->exact.bound, greedy_obj, answer_obj);
		break;
	case WS_ILP_FAILED:
		fprintf(out, "Exact check (GLPK): %s\n", r->exact.note);
		break;
	}
}

enum site_col { S_RANK, S_FID, S_ID, S_NAME, S_SOURCE, S_LEVEL, S_SNAP, S_GAIN_N, S_GAIN_W, S_CUM_N,
		S_CUM_W, S_COV_N, S_COV_PCT, S_COV_W_PCT, S_GAP_PCT, S_NEW, S_CAPACITY, S_COST, S_COUNT };

static bool site_table(struct ws_table *t, const struct ws_site_run *r, struct ws_error *err)
{
	size_t n = r->answer.n_chosen, nk = r->st->compound_src.n;
	if (!ws_table_init(t, n, S_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, S_RANK, "rank", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, S_FID, "cand_fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, S_ID, "cand_id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, S_NAME, "name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, S_SOURCE, "source", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, S_LEVEL, "level", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, S_SNAP, "snap_m", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, S_GAIN_N, "gain_n", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, S_GAIN_W, "gain_w", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, S_CUM_N, "cum_n", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, S_CUM_W, "cum_w", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, S_COV_N, "cov_n", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, S_COV_PCT, "cov_pct", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, S_COV_W_PCT, "cov_w_pct", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, S_GAP_PCT, "gap_closed", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, S_NEW, "new_ids", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, S_CAPACITY, "capacity", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, S_COST, "cost", WS_COL_TEXT, 0, err);
	double cum_w = 0;
	for (size_t i = 0; ok && i < n; i++) {
		uint32_t j = r->answer.chosen[i];
		ws_table_set_int(t, i, S_RANK, (int64_t)i + 1);
		ws_table_set_int(t, i, S_FID, j);
		ok = ws_table_set_text(t, i, S_ID, r->cand_id[j], err) &&
		     ws_table_set_text(t, i, S_NAME, cand_field(r, j, "name"), err) &&
		     ws_table_set_text(t, i, S_SOURCE, r->generated ? "generated" : "layer", err) &&
		     ws_table_set_text(t, i, S_LEVEL, cand_field(r, j, "level"), err) &&
		     ws_table_set_text(t, i, S_CAPACITY, cand_field(r, j, "capacity"), err) &&
		     ws_table_set_text(t, i, S_COST, cand_field(r, j, "cost"), err);
		ws_table_set_real(t, i, S_SNAP, r->cand->snap[j].dist_m);
		double gw = 0;
		size_t len = 1;
		for (size_t k = r->answer.new_first[i]; k < r->answer.new_first[i + 1]; k++) {
			gw += r->weight[r->answer.new_compound[k]];
			len += strlen(r->st->compound_id[r->answer.new_compound[k]]) + 1;
		}
		cum_w += gw;
		size_t cum_n = r->answer.new_first[i + 1];
		ws_table_set_int(t, i, S_GAIN_N, (int64_t)r->answer.gain_n[i]);
		ws_table_set_real(t, i, S_GAIN_W, gw);
		ws_table_set_int(t, i, S_CUM_N, (int64_t)cum_n);
		ws_table_set_real(t, i, S_CUM_W, cum_w);
		ws_table_set_int(t, i, S_COV_N, (int64_t)(r->n_covered_base + cum_n));
		ws_table_set_real(t, i, S_COV_PCT, pct((double)(r->n_covered_base + cum_n), (double)nk));
		ws_table_set_real(t, i, S_COV_W_PCT, pct(r->covered_weight_base + cum_w, r->total_weight));
		ws_table_set_real(t, i, S_GAP_PCT, pct(cum_w, r->target_weight));
		char *ids = malloc(len);
		if (!ids) {
			ok = ws_error_nomem(err);
			break;
		}
		ids[0] = 0;
		for (size_t k = r->answer.new_first[i]; k < r->answer.new_first[i + 1]; k++) {
			if (k > r->answer.new_first[i])
				strcat(ids, ";");
			strcat(ids, r->st->compound_id[r->answer.new_compound[k]]);
		}
		ok = ok && ws_table_set_text(t, i, S_NEW, ids, err);
		free(ids);
	}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

enum newc_col { N_RANK, N_SITE, N_FID, N_ID, N_NAME, N_WEIGHT, N_REACH_MIN, N_REACH_M, N_BEFORE_MIN, N_COUNT };

static bool new_table(struct ws_table *t, const struct ws_site_run *r, struct ws_error *err)
{
	size_t n = r->answer.new_first[r->answer.n_chosen];
	if (!ws_table_init(t, n, N_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, N_RANK, "rank", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, N_SITE, "cand_id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, N_FID, "fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, N_ID, "id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, N_NAME, "name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, N_WEIGHT, "weight", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, N_REACH_MIN, "reach_min", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, N_REACH_M, "reach_m", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, N_BEFORE_MIN, "before_min", WS_COL_REAL, 2, err);
	for (size_t i = 0; ok && i < r->answer.n_chosen; i++)
		for (size_t k = r->answer.new_first[i]; ok && k < r->answer.new_first[i + 1]; k++) {
			uint32_t c = r->answer.new_compound[k];
			ws_table_set_int(t, k, N_RANK, (int64_t)i + 1);
			ws_table_set_int(t, k, N_FID, c);
			ok = ws_table_set_text(t, k, N_SITE, r->cand_id[r->answer.chosen[i]], err) &&
			     ws_table_set_text(t, k, N_ID, r->st->compound_id[c], err) &&
			     ws_table_set_text(t, k, N_NAME, compound_name(r, c), err);
			ws_table_set_real(t, k, N_WEIGHT, r->weight[c]);
			ws_table_set_real(t, k, N_REACH_MIN, r->new_reach_m[k] / r->m_per_min);
			ws_table_set_real(t, k, N_REACH_M, r->new_reach_m[k]);
			ws_table_set_real(t, k, N_BEFORE_MIN, r->base.compound[c].reach_m / r->m_per_min);
		}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

bool ws_report_points_to_source(struct ws_shapes *out, const struct ws_shapes *work,
				const struct ws_study *st, struct ws_error *err)
{
	struct ws_crs *dst = NULL;
	if (st->compounds.prj_wkt && !(dst = ws_crs_create(st->compounds.prj_wkt, "compounds.prj", err)))
		return false;
	struct ws_transform *tr =
		ws_transform_create_within(st->work_crs, dst ? dst : st->src_crs, -1, ws_study_extent(st), err);
	ws_crs_destroy(dst);
	if (!tr)
		return false;
	size_t bad;
	bool ok = ws_shapes_copy(out, work, err) &&
		  ws_transform_points(tr, out->xy, out->n_points, 1, &bad, err);
	ws_transform_destroy(tr);
	return ok;
}

static bool write_csv(const struct ws_outdir *out, const char *name, const struct ws_table *t,
		      struct ws_error *err)
{
	char *path = ws_outdir_path(out, name);
	bool ok = path ? ws_write_csv(path, t, err) : ws_error_nomem(err);
	free(path);
	return ok;
}

bool ws_site_write_outputs(const struct ws_outdir *out, const struct ws_site_run *r, struct ws_error *err)
{
	struct ws_table sites = {0}, newc = {0};
	struct ws_shapes work = {0}, src = {0};
	bool ok = site_table(&sites, r, err) && new_table(&newc, r, err) &&
		  ws_shapes_init(&work, WS_GEOM_POINT, err);
	for (size_t i = 0; ok && i < r->answer.n_chosen; i++) {
		uint32_t j = r->answer.chosen[i];
		ok = ws_shapes_begin_feature(&work, err) && ws_shapes_begin_part(&work, err) &&
		     ws_shapes_add_point(&work, r->cand->xy[2 * j], r->cand->xy[2 * j + 1], err);
	}
	ok = ok && ws_report_points_to_source(&src, &work, r->st, err) &&
	     write_csv(out, "sites.csv", &sites, err) && write_csv(out, "site_compounds.csv", &newc, err) &&
	     ws_write_layer_pair(out, "sites", &sites, &work, &src, NULL, r->st, err);
	ws_table_finish(&sites);
	ws_table_finish(&newc);
	ws_shapes_finish(&work);
	ws_shapes_finish(&src);
	return ok;
}

void ws_report_add_inputs_json(struct json_object *doc, const struct ws_study *st)
{
	struct json_object *crs = json_object_new_object();
	json_object_object_add(crs, "source", json_object_new_string(ws_crs_code(st->src_crs)));
	json_object_object_add(crs, "working", json_object_new_string(ws_crs_code(st->work_crs)));
	json_object_object_add(crs, "working_name", json_object_new_string(ws_crs_name(st->work_crs)));
	json_object_object_add(doc, "crs", crs);
	json_object_object_add(doc, "inputs", ws_study_inputs_json(st));
}

static struct json_object *compound_ref(const struct ws_site_run *r, size_t c)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "fid", json_object_new_int64((int64_t)c));
	json_object_object_add(o, "id", json_object_new_string(r->st->compound_id[c]));
	json_object_object_add(o, "name", json_object_new_string(compound_name(r, c)));
	return o;
}

struct json_object *ws_site_summary_json(const struct ws_site_run *r, struct ws_error *err)
{
	const struct ws_study *st = r->st;
	size_t nk = st->compound_src.n;
	struct json_object *doc = json_object_new_object();
	if (!doc) {
		ws_error_nomem(err);
		return NULL;
	}
	json_object_object_add(doc, "tool", json_object_new_string("walkshed"));
	json_object_object_add(doc, "version", json_object_new_string(WS_VERSION));
	json_object_object_add(doc, "command", json_object_new_string("site"));
	json_object_object_add(doc, "model", json_object_new_string("SPEC v1 (docs/model.md, docs/siting.md)"));
	struct json_object *par = json_object_new_object();
	json_object_object_add(par, "minutes", ws_json_real(r->p.minutes, 2));
	json_object_object_add(par, "speed_kmh", ws_json_real(r->p.speed_kmh, 3));
	json_object_object_add(par, "limit_m", ws_json_real(r->limit_m, 3));
	json_object_object_add(par, "problem", json_object_new_string(r->p.cover_all ? "set_covering" : "maximal_covering"));
	json_object_object_add(par, "k", r->p.cover_all ? NULL : json_object_new_int64((int64_t)r->p.k));
	json_object_object_add(par, "weight", ws_json_text(r->p.weight_field));
	json_object_object_add(par, "level", ws_json_text(r->p.level));
	json_object_object_add(par, "service", ws_json_text(r->p.service));
	json_object_object_add(par, "time_limit_s", ws_json_real(r->p.time_limit_s, 3));
	json_object_object_add(doc, "parameters", par);
	ws_report_add_inputs_json(doc, st);

	struct json_object *base = json_object_new_object();
	json_object_object_add(base, "compounds", json_object_new_int64((int64_t)nk));
	json_object_object_add(base, "centers_counted", json_object_new_int64((int64_t)r->n_centers_used));
	json_object_object_add(base, "covered", json_object_new_int64((int64_t)r->n_covered_base));
	json_object_object_add(base, "targets", json_object_new_int64((int64_t)r->n_target));
	json_object_object_add(base, "unsnapped", json_object_new_int64((int64_t)r->n_unsnapped));
	json_object_object_add(base, "total_weight", ws_json_real(r->total_weight, 2));
	json_object_object_add(base, "covered_weight", ws_json_real(r->covered_weight_base, 2));
	json_object_object_add(base, "target_weight", ws_json_real(r->target_weight, 2));
	struct json_object *miss = json_object_new_array();
	for (size_t i = 0; i < r->n_weight_missing; i++)
		json_object_array_add(miss, compound_ref(r, r->weight_missing[i]));
	json_object_object_add(base, "weight_missing", miss);
	json_object_object_add(doc, "baseline", base);

	struct json_object *cand = json_object_new_object();
	json_object_object_add(cand, "source", json_object_new_string(r->generated ? "generated" : "layer"));
	if (r->generated)
		json_object_object_add(cand, "spacing_m", ws_json_real(r->p.spacing_m, 3));
	json_object_object_add(cand, "total", json_object_new_int64((int64_t)r->cand->n));
	json_object_object_add(cand, "snapped", json_object_new_int64((int64_t)r->n_cand_snapped));
	json_object_object_add(cand, "allowed", json_object_new_int64((int64_t)r->n_cand_allowed));
	json_object_object_add(cand, "covering_a_target", json_object_new_int64((int64_t)r->n_cand_useful));
	json_object_object_add(cand, "search", json_object_new_string(search_name(r->sets.used)));
	json_object_object_add(cand, "searches", json_object_new_int64((int64_t)r->sets.n_searches));
	json_object_object_add(cand, "rechecked", json_object_new_int64((int64_t)r->sets.n_rechecked));
	json_object_object_add(doc, "candidates", cand);

	struct json_object *sites = json_object_new_array();
	for (size_t i = 0; i < r->answer.n_chosen; i++) {
		uint32_t j = r->answer.chosen[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "rank", json_object_new_int64((int64_t)i + 1));
		json_object_object_add(o, "cand_fid", json_object_new_int64(j));
		json_object_object_add(o, "cand_id", json_object_new_string(r->cand_id[j]));
		json_object_object_add(o, "gain_n", json_object_new_int64((int64_t)r->answer.gain_n[i]));
		double gw = 0;
		struct json_object *nc = json_object_new_array();
		for (size_t k = r->answer.new_first[i]; k < r->answer.new_first[i + 1]; k++) {
			gw += r->weight[r->answer.new_compound[k]];
			json_object_array_add(nc, json_object_new_string(st->compound_id[r->answer.new_compound[k]]));
		}
		json_object_object_add(o, "gain_w", ws_json_real(gw, 2));
		json_object_object_add(o, "covered_n", json_object_new_int64((int64_t)(r->n_covered_base + r->answer.new_first[i + 1])));
		json_object_object_add(o, "covered_w", ws_json_real(curve_weight(r, i + 1), 2));
		json_object_object_add(o, "covered_pct",
				       ws_json_real(pct((double)(r->n_covered_base + r->answer.new_first[i + 1]), (double)nk), 2));
		json_object_object_add(o, "newly_covered", nc);
		json_object_array_add(sites, o);
	}
	json_object_object_add(doc, "sites", sites);

	/* plain greedy: its order is the coverage curve k = 1..N; then the improvement */
	struct json_object *gr = json_object_new_object();
	json_object_object_add(gr, "objective",
			       ws_json_real(r->p.cover_all ? (double)r->greedy.n_chosen : r->greedy_weight, 2));
	struct json_object *curve = json_object_new_array();
	for (size_t i = 0; i < r->greedy.n_chosen; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "rank", json_object_new_int64((int64_t)i + 1));
		json_object_object_add(o, "cand_id", json_object_new_string(r->cand_id[r->greedy.chosen[i]]));
		json_object_object_add(o, "gain_n", json_object_new_int64((int64_t)r->greedy.gain_n[i]));
		json_object_object_add(o, "gain_w", ws_json_real(r->greedy.gain[i], 2));
		json_object_object_add(o, "covered_n",
				       json_object_new_int64((int64_t)(r->n_covered_base + r->greedy.new_first[i + 1])));
		json_object_object_add(o, "covered_w", ws_json_real(curve_weight_of(r, &r->greedy, i + 1), 2));
		json_object_array_add(curve, o);
	}
	json_object_object_add(gr, "curve", curve);
	json_object_object_add(doc, "greedy", gr);
	const struct ws_siting_improvement *im = &r->improve;
	struct json_object *imp = json_object_new_object();
	json_object_object_add(imp, "before", ws_json_real(im->before, 2));
	json_object_object_add(imp, "after", ws_json_real(r->p.cover_all ? (double)r->answer.n_chosen : r->answer_weight, 2));
	json_object_object_add(imp, "interchanges", json_object_new_int64((int64_t)im->n_swaps));
	json_object_object_add(imp, r->p.cover_all ? "two_for_one" : "two_for_two", json_object_new_int64((int64_t)im->n_pair_swaps));
	if (r->p.cover_all)
		json_object_object_add(imp, "three_or_four_for_fewer", json_object_new_int64((int64_t)im->n_triple_swaps));
	json_object_object_add(imp, "dropped", json_object_new_int64((int64_t)im->n_drops));
	json_object_object_add(imp, "rounds", json_object_new_int64((int64_t)im->n_rounds));
	json_object_object_add(imp, "larger_neighbourhood_complete", json_object_new_boolean(im->pairs_tried));
	json_object_object_add(doc, "improvement", imp);
	struct json_object *unr = json_object_new_array();
	for (size_t i = 0; i < r->n_unreachable; i++)
		json_object_array_add(unr, compound_ref(r, r->unreachable[i]));
	json_object_object_add(doc, "unreachable_by_any_candidate", unr);

	struct json_object *ex = json_object_new_object();
	json_object_object_add(ex, "status", json_object_new_string(ilp_status_name(r->exact.status)));
	json_object_object_add(ex, "greedy", ws_json_real(r->p.cover_all ? (double)r->greedy.n_chosen : r->greedy_weight, 2));
	json_object_object_add(ex, "answer", ws_json_real(r->p.cover_all ? (double)r->answer.n_chosen : r->answer_weight, 2));
	bool solved = r->exact.status == WS_ILP_OPTIMAL || r->exact.status == WS_ILP_TIME_LIMIT;
	json_object_object_add(ex, "objective", solved ? ws_json_real(r->exact.objective, 2) : NULL);
	json_object_object_add(ex, "bound", solved ? ws_json_real(r->exact.bound, 2) : NULL);
	json_object_object_add(ex, "gap_pct", ws_json_real(ws_site_gap_pct(r), 3));
	json_object_object_add(ex, "answer_gap_pct", ws_json_real(ws_site_answer_gap_pct(r), 3));
	if (solved) {
		struct json_object *ch = json_object_new_array();
		for (size_t i = 0; i < r->exact.n_chosen; i++)
			json_object_array_add(ch, json_object_new_string(r->cand_id[r->exact.chosen[i]]));
		json_object_object_add(ex, "sites", ch);
	}
	json_object_object_add(doc, "exact", ex);
	return doc;
}
