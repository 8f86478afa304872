/* Scenario -> report. Counts are the scenario run's own (as scenario.csv and summary.json
 * "totals"); the median reach is over compounds some counted center reaches. */
#include "report/report_scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"
#include "report/report_breakdown.h"
#include "report/strbuf.h"

static const char *center_label(struct ws_report_audit *rep, const struct ws_scenario_run *r, size_t i)
{
	const char *name = ws_scenario_center_name(r, i), *id = ws_scenario_center_id(r, i);
	return name && *name ? ws_report_audit_printf(rep, "%s (%s)", name, id) : ws_report_audit_printf(rep, "id %s", id);
}

struct figures {
	size_t covered;
	double pop, median_min;
};

static bool figures(struct figures *f, const struct ws_scenario_run *r, const struct ws_coverage *cov,
		    struct ws_error *err)
{
	size_t nk = cov->n_compounds, n = 0;
	double *reach = malloc((nk + 1) * sizeof *reach);
	if (!reach)
		return ws_error_nomem(err);
	*f = (struct figures){0, 0, NAN};
	for (size_t c = 0; c < nk; c++) {
		const struct ws_compound_reach *cr = &cov->compound[c];
		f->covered += cr->covered;
		if (cr->covered && r->weighted)
			f->pop += r->weight[c];
		if (r->st->compound_first[c + 1] > r->st->compound_first[c] && isfinite(cr->reach_m))
			reach[n++] = cr->reach_m / r->m_per_min;
	}
	f->median_min = ws_report_median(reach, n);
	free(reach);
	return true;
}

static void row(struct ws_report_scenario_page *x, const char *label, double before, double after, int decimals,
		const char *unit, bool lower_is_better)
{
	x->rows[x->table.n++] = (struct ws_report_scenario_row){label, before, after, decimals, unit, lower_is_better};
}

static bool add_table(struct ws_report_scenario_page *x, const struct ws_scenario_run *r, struct ws_error *err)
{
	struct ws_report_audit *rep = &x->rep;
	size_t nk = rep->in.n_compounds;
	struct figures b, a;
	x->rows = calloc(8 + 2 * r->n_groups, sizeof *x->rows);
	if (!x->rows)
		return ws_error_nomem(err);
	if (!figures(&b, r, &r->before, err) || !figures(&a, r, &r->after, err))
		return false;
	size_t centers_before = 0, centers_after = 0;
	for (size_t i = 0; i < r->n_old + r->n_new; i++) {
		centers_before += r->use_before[i];
		centers_after += r->use_after[i];
	}
	double pct_b = nk ? 100.0 * (double)b.covered / (double)nk : NAN, pct_a = nk ? 100.0 * (double)a.covered / (double)nk : NAN;
	row(x, "Centers counted", (double)centers_before, (double)centers_after, 0, "", false);
	row(x, "Compounds covered", (double)b.covered, (double)a.covered, 0, "", false);
	row(x, "Share of compounds covered", pct_b, pct_a, 1, "%", false);
	if (r->weighted && r->total_weight > 0) {
		row(x, "Population covered", b.pop, a.pop, 0, "", false);
		row(x, "Share of population covered", 100 * b.pop / r->total_weight, 100 * a.pop / r->total_weight, 1, "%",
		    false);
	}
	row(x, "Median reach (compounds reached)", b.median_min, a.median_min, 2, "min", true);
	for (size_t g = 0; g < r->n_groups; g++) {
		const struct ws_scenario_group *gr = &r->groups[g];
		const char *label = ws_report_audit_printf(rep, "%s %s: compounds covered",
							   !strcmp(gr->kind, "level") ? "Level" : "Service", gr->value);
		if (!label)
			return ws_error_nomem(err);
		row(x, label, (double)gr->covered_before, (double)gr->covered_after, 0, "", false);
	}
	/* "Closed: A (id), B (id); added: Flores (new1). 3 compounds newly covered, 1 lost." */
	struct ws_strbuf d;
	ws_strbuf_init(&d);
	ws_strbuf_printf(&d, "Closed: %s", r->n_closed ? "" : "none");
	for (size_t i = 0, k = 0; i < r->n_old; i++) {
		if (!r->closed[i])
			continue;
		const char *l = center_label(rep, r, i);
		ws_strbuf_printf(&d, "%s%s", k++ ? ", " : "", l ? l : "");
	}
	ws_strbuf_printf(&d, "; added: %s", r->n_new ? "" : "none");
	for (size_t j = 0; j < r->n_new; j++) {
		const char *l = center_label(rep, r, r->n_old + j);
		ws_strbuf_printf(&d, "%s%s", j ? ", " : "", l ? l : "");
	}
	ws_strbuf_printf(&d, ". %zu compounds newly covered, %zu lost.", r->n_change[WS_CHANGE_GAINED],
			 r->n_change[WS_CHANGE_LOST]);
	bool ok = ws_strbuf_ok(&d);
	char *desc = ok ? d.s : NULL;
	if (!ok || !ws_report_audit_adopt(rep, desc)) {
		if (!ok)
			ws_strbuf_finish(&d);
		return ws_error_nomem(err);
	}
	x->table.description = desc;
	x->table.row = x->rows;
	rep->in.scenario = &x->table;

	double pop_total = r->weighted ? r->total_weight : NAN;
	/* the card shows the first row: the state the map shows */
	x->headlines[0] = (struct ws_report_headline){"After the scenario", a.covered, nk, r->weighted ? a.pop : NAN, pop_total};
	x->headlines[1] = (struct ws_report_headline){"Before the scenario", b.covered, nk, r->weighted ? b.pop : NAN, pop_total};
	rep->in.headlines = x->headlines;
	rep->in.n_headlines = 2;
	return true;
}

static bool add_sites(struct ws_report_scenario_page *x, const struct ws_scenario_run *r, struct ws_error *err)
{
	struct ws_report_audit *rep = &x->rep;
	const struct ws_points *extra = &r->st->extra_pts;
	size_t extra0 = extra->n - r->n_new;
	x->sites = calloc(r->n_new + 1, sizeof *x->sites);
	if (!x->sites)
		return ws_error_nomem(err);
	if (!ws_shapes_init(&x->site_shapes, WS_GEOM_POINT, err))
		return false;
	for (size_t j = 0; j < r->n_new; j++) {
		bool snapped = extra->node[extra0 + j] != WS_NO_NODE;
		size_t reached = r->after.center_first[r->n_old + j + 1] - r->after.center_first[r->n_old + j];
		const char *note = snapped ? ws_report_audit_printf(rep, "added site: %zu compounds within the threshold", reached)
					   : "added site, unsnapped: farther than the max snap distance from the network";
		if (!note)
			return ws_error_nomem(err);
		x->sites[j] = (struct ws_report_center){r->sites->id[j], r->sites->name[j], r->sites->level[j], true, note,
							false};
		if (!ws_shapes_begin_feature(&x->site_shapes, err) || !ws_shapes_begin_part(&x->site_shapes, err) ||
		    !ws_shapes_add_point(&x->site_shapes, extra->xy[2 * (extra0 + j)], extra->xy[2 * (extra0 + j) + 1], err))
			return false;
	}
	size_t bad = 0;
	if (!ws_transform_points(r->st->to_wgs84, x->site_shapes.xy, x->site_shapes.n_points, 1, &bad, err))
		return false;
	rep->in.sites = x->sites;
	rep->in.n_sites = r->n_new;
	rep->in.site_shapes = &x->site_shapes;
	rep->in.sites_title = "Added sites";
	rep->in.site_legend = "added site";
	rep->in.changed_legend = "coverage changed by the scenario";
	for (size_t i = 0; i < r->n_old; i++)
		if (r->closed[i]) {
			rep->centers[i].closed = true;
			rep->centers[i].note = "closed by the scenario";
		}
	return true;
}

bool ws_report_scenario_build(struct ws_report_scenario_page *x, const struct ws_scenario_run *r,
			      const char *dataset_label, double max_snap_m, const char *tiles_url,
			      struct ws_error *err)
{
	memset(x, 0, sizeof *x);
	struct ws_audit_params ap = {r->p.minutes, r->p.speed_kmh, max_snap_m, r->p.threads};
	bool ok = ws_audit_view(&x->view, r->st, &ap, &r->after, err) &&
		  ws_report_audit_build(&x->rep, &x->view, dataset_label, tiles_url, err);
	struct ws_report_audit *rep = &x->rep;
	for (size_t c = 0; ok && c < rep->in.n_compounds; c++) {
		struct ws_report_compound *rc = &rep->compounds[c];
		uint32_t near = r->after.compound[c].nearest;
		if (near != WS_NO_CENTER && near >= r->n_old && !(rc->nearest = center_label(rep, r, near)))
			ok = ws_error_nomem(err);
		if (r->weighted)
			rc->population = r->weight[c];
		enum ws_change ch = r->change[c];
		if (ok && (ch == WS_CHANGE_GAINED || ch == WS_CHANGE_LOST)) {
			rc->changed = true;
			double before = r->before.compound[c].reach_m / r->m_per_min;
			rc->change_note = isfinite(before)
						  ? ws_report_audit_printf(rep, "%s (before %.2f min)",
									   ch == WS_CHANGE_GAINED ? "newly covered" : "coverage lost", before)
						  : ws_report_audit_printf(rep, "%s (before: unreached)",
									   ch == WS_CHANGE_GAINED ? "newly covered" : "coverage lost");
			if (!rc->change_note)
				ok = ws_error_nomem(err);
		}
	}
	for (size_t i = 0; ok && r->weighted && i < r->n_weight_missing; i++)
		rep->compounds[r->weight_missing[i]].population = NAN;
	if (ok) {
		rep->in.command = "scenario";
		rep->in.title = "Scenario: closing and adding centers";
		ok = add_sites(x, r, err) && add_table(x, r, err);
	}
	if (!ok)
		ws_report_scenario_finish(x);
	return ok;
}

void ws_report_scenario_finish(struct ws_report_scenario_page *x)
{
	if (!x)
		return;
	ws_report_audit_finish(&x->rep);
	ws_audit_finish(&x->view);
	free(x->rows);
	free(x->sites);
	ws_shapes_finish(&x->site_shapes);
	memset(x, 0, sizeof *x);
}
