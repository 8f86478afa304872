/* Breakdown reports. Column names built from level and service names carry them as
 * given (UTF-8); CSV is the only format these tables are written in, so the 10-byte DBF
 * limit does not apply. */
#include "breakdown_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/jsonout.h"
#include "report/text.h"
#include "report/writers.h"

static const char *const status_name[] = {"covered", "uncovered", "unreachable", "unsnapped"};

static const char *field_text(const struct ws_layer *l, size_t f, const char *field)
{
	return ws_layer_value(l, f, ws_layer_field_index(l, field));
}

static double share(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : NAN;
}

static double wshare(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : NAN;
}

static double minutes_of(const struct ws_breakdown *b, double metres)
{
	return ws_audit_minutes(b->a, metres);
}

static const char *compound_label(const struct ws_breakdown *b, size_t c, char *buf, size_t size)
{
	const struct ws_study *st = b->a->st;
	const char *name = field_text(&st->compounds, c, "name");
	if (*name)
		snprintf(buf, size, "%s (%s)", name, st->compound_id[c]);
	else
		snprintf(buf, size, "id %s", st->compound_id[c]);
	return buf;
}

/* "  300 of 366  82.0 %   pop 81.2 %" */
static void print_tally(FILE *out, const struct ws_breakdown *b, const struct ws_tally *t)
{
	fprintf(out, "%5zu of %-5zu %5.1f %%", t->n, t->n_of, t->n_of ? share(t->n, t->n_of) : 0.0);
	if (b->have_weights) {
		double p = wshare(t->w, t->w_of);
		if (isnan(p))
			fprintf(out, "   pop     -");
		else
			fprintf(out, "   pop %5.1f %%", p);
	}
	fputc('\n', out);
}

static void print_levels(FILE *out, const struct ws_breakdown *b)
{
	fprintf(out, "\nLevels    nearest center of each level or above (%s > ...); %zu centers have no level\n",
		b->o->levels.n ? b->o->levels.name[0] : "", b->n_centers_no_level);
	fprintf(out, "  %-14s %7s %7s %7s   %s\n", "level", "centers", "minutes", "limit m", "compounds within the level's threshold");
	for (size_t l = 0; l < b->n_levels; l++) {
		const struct ws_level_result *r = &b->level[l];
		fputs("  ", out);
		ws_text_print_padded(out, b->o->levels.name[l], 14);
		fprintf(out, " %7zu %7g %7.0f   ", r->n_centers, r->minutes, r->limit_m);
		print_tally(out, b, &r->covered);
	}
}

static void print_services(FILE *out, const struct ws_breakdown *b)
{
	const struct ws_audit *a = b->a;
	size_t nk = a->cov.n_compounds;
	fprintf(out, "\nServices  %zu %s within %g min (%.0f m); %zu services in the catalogue\n", b->n_services,
		b->o->n_require ? "required" : "(all in the catalogue)", a->p.minutes, a->limit_m, b->cat.n_services);
	fprintf(out, "  %-24s %7s   %s\n", "service", "centers", "compounds that reach it");
	for (size_t k = 0; k < b->n_services; k++) {
		const struct ws_service_result *r = &b->service[k];
		fputs("  ", out);
		ws_text_print_padded(out, r->name, 24);
		fprintf(out, " %7zu   ", r->n_centers);
		print_tally(out, b, &r->covered);
		if (r->index < 0 && r->other_case)
			fprintf(out, "  %-24s (offered by no center; the catalogue has \"%s\": names are "
				"compared exactly, letter case included)\n", "", r->other_case);
		else if (r->index < 0)
			fprintf(out, "  %-24s (offered by no center)\n", "");
	}
	fprintf(out, "  %-24s %7s   ", "fully served", "");
	print_tally(out, b, &b->fully);
	/* the compounds missing the most services (ties by FID) */
	size_t listed = 0;
	for (size_t m = b->n_services; m > 0 && listed < 10; m--)
		for (size_t c = 0; c < nk && listed < 10; c++) {
			if (b->n_missing[c] != m)
				continue;
			char buf[512];
			if (listed++ == 0)
				fprintf(out, "  Most services out of reach:\n");
			fputs("    ", out);
			ws_text_print_padded(out, compound_label(b, c, buf, sizeof buf), 36);
			fprintf(out, " %zu:", m);
			size_t shown = 0;
			for (size_t k = 0; k < b->n_services; k++)
				if (!b->service[k].cov.compound[c].covered && shown++ < 6)
					fprintf(out, " %s", b->service[k].name);
			if (shown > 6)
				fprintf(out, " ...");
			fputc('\n', out);
		}
}

static void print_weights(FILE *out, const struct ws_breakdown *b)
{
	const struct ws_study *st = b->a->st;
	fprintf(out, "\nPopulation  --weight %s: %.10g over %zu compounds", b->o->weight_field, b->w.total,
		b->w.n - b->w.n_bad);
	if (!b->w.n_bad) {
		fprintf(out, "; every weight is valid\n");
		return;
	}
	fprintf(out, "\n  %zu compounds have no usable weight and are left out of every population share\n"
		"  (they still count as compounds):\n", b->w.n_bad);
	size_t listed = 0;
	for (size_t c = 0; c < b->w.n && listed < 10; c++) {
		if (b->w.state[c] == WS_WEIGHT_OK)
			continue;
		listed++;
		const char *v = field_text(&st->compounds, c, b->o->weight_field);
		fprintf(out, "    record %zu (id %s): %s%s%s%s\n", c, st->compound_id[c],
			ws_weight_state_name(b->w.state[c]), *v ? " \"" : "", v, *v ? "\"" : "");
	}
	if (listed < b->w.n_bad)
		fprintf(out, "    ... %zu more in summary.json\n", b->w.n_bad - listed);
}

static const char *zone_name(const struct ws_breakdown *b, size_t k)
{
	const struct ws_study *st = b->a->st;
	if (k == b->zoning.n_zones)
		return "(outside every zone)";
	const char *n = field_text(&st->zones, k, "name");
	return *n ? n : "(no name)";
}

static void print_zones(FILE *out, const struct ws_breakdown *b)
{
	const struct ws_audit *a = b->a;
	size_t nz = b->zoning.n_zones;
	fprintf(out, "\nZones     %zu zones%s; each compound counted in the zone holding its point on surface\n",
		b->n_zones_used, b->o->zone_level ? " at the chosen admin level" : "");
	if (b->zoning.n_multiple)
		fprintf(out, "  %zu compounds lie in more than one zone (shared boundary or overlapping zones):\n"
			"  counted in the first by FID%s\n", b->zoning.n_multiple,
			b->o->zone_level ? "" : "; --zone-level N keeps one admin level");
	fprintf(out, "  %-22s %9s %7s", "zone", "compounds", "cov %");
	if (b->have_weights)
		fprintf(out, " %7s", "pop %");
	for (size_t l = 0; l < b->n_levels; l++)
		fprintf(out, " %7.7s", b->o->levels.name[l]);
	if (b->have_services)
		fprintf(out, " %7s", "fully");
	fprintf(out, "  worst compound\n");
	for (size_t k = 0; k <= nz; k++) {
		const struct ws_zone_result *z = &b->zone[k];
		if (k < nz && !b->zone_used[k])
			continue;
		if (k == nz && z->n_compounds == 0)
			continue;
		fputs("  ", out);
		ws_text_print_padded(out, zone_name(b, k), 22);
		fprintf(out, " %9zu %7.1f", z->n_compounds, z->n_compounds ? share(z->covered.n, z->covered.n_of) : 0.0);
		if (b->have_weights) {
			double p = wshare(z->covered.w, z->covered.w_of);
			if (isnan(p))
				fprintf(out, " %7s", "-");
			else
				fprintf(out, " %7.1f", p);
		}
		for (size_t l = 0; l < b->n_levels; l++)
			fprintf(out, " %7.1f", z->n_compounds ? share(z->level[l].n, z->level[l].n_of) : 0.0);
		if (b->have_services)
			fprintf(out, " %7.1f", z->n_compounds ? share(z->fully.n, z->fully.n_of) : 0.0);
		if (z->worst != SIZE_MAX) {
			char buf[512];
			fprintf(out, "  %s, ", compound_label(b, z->worst, buf, sizeof buf));
			if (a->status[z->worst] == WS_STATUS_UNSNAPPED || a->status[z->worst] == WS_STATUS_UNREACHABLE)
				fprintf(out, "%s", status_name[a->status[z->worst]]);
			else
				fprintf(out, "%.2f min", minutes_of(b, a->cov.compound[z->worst].reach_m));
		}
		fputc('\n', out);
	}
}

static void print_sensitivity(FILE *out, const struct ws_breakdown *b)
{
	const struct ws_audit *a = b->a;
	fprintf(out, "\nSensitivity  %zu combinations from one search per center to %.0f m\n", b->n_combos,
		b->cov_max.limit_m);
	fprintf(out, "  %7s %7s %8s   %s\n", "km/h", "minutes", "limit m", "covered compounds");
	for (size_t x = 0; x < b->n_combos; x++) {
		const struct ws_sens_combo *cb = &b->combo[x];
		fprintf(out, "  %7g %7g %8.0f   ", cb->speed_kmh, cb->minutes, cb->limit_m);
		print_tally(out, b, &cb->covered);
	}
	if (!b->n_flipped) {
		fprintf(out, "  No compound changes status between the combinations.\n");
		return;
	}
	fprintf(out, "  %zu compounds change status (covered in some combinations only):\n", b->n_flipped);
	for (size_t i = 0; i < b->n_flipped && i < 15; i++) {
		size_t c = b->flipped[i];
		char buf[512];
		fputs("    ", out);
		ws_text_print_padded(out, compound_label(b, c, buf, sizeof buf), 36);
		fprintf(out, " %7.1f m, covered at:", a->cov.compound[c].reach_m);
		for (size_t x = 0; x < b->n_combos; x++)
			if (b->combo[x].covered_c[c])
				fprintf(out, " %g km/h %g min;", b->combo[x].speed_kmh, b->combo[x].minutes);
		fputc('\n', out);
	}
	if (b->n_flipped > 15)
		fprintf(out, "    ... %zu more in sensitivity.csv\n", b->n_flipped - 15);
}

void ws_breakdown_print(FILE *out, const struct ws_breakdown *b)
{
	if (b->have_weights) {
		print_weights(out, b);
		fprintf(out, "  covered (any center)    ");
		print_tally(out, b, &b->covered);
	}
	if (b->have_levels)
		print_levels(out, b);
	if (b->have_services)
		print_services(out, b);
	if (b->have_zones)
		print_zones(out, b);
	if (b->have_sensitivity)
		print_sensitivity(out, b);
}

/* ---- tables ---- */

struct cols {
	struct ws_table *t;
	size_t next;
	bool ok;
	struct ws_error *err;
};

static size_t col(struct cols *c, const char *name, enum ws_col_type type, int decimals)
{
	if (c->ok)
		c->ok = ws_table_set_column(c->t, c->next, name, type, decimals, c->err);
	return c->next++;
}

static size_t col2(struct cols *c, const char *prefix, const char *suffix, enum ws_col_type type, int decimals)
{
	size_t n = strlen(prefix) + strlen(suffix) + 1;
	char *name = malloc(n);
	if (!name) {
		if (c->ok)
			c->ok = ws_error_nomem(c->err);
		return c->next++;
	}
	snprintf(name, n, "%s%s", prefix, suffix);
	size_t j = col(c, name, type, decimals);
	free(name);
	return j;
}

static bool compound_columns(struct cols *c, const struct ws_breakdown *b, size_t row, size_t comp)
{
	const struct ws_study *st = b->a->st;
	ws_table_set_int(c->t, row, 0, (int64_t)comp);
	bool ok = ws_table_set_text(c->t, row, 1, st->compound_id[comp], c->err) &&
		  ws_table_set_text(c->t, row, 2, field_text(&st->compounds, comp, "name"), c->err);
	if (b->have_weights && b->w.state[comp] == WS_WEIGHT_OK)
		ws_table_set_real(c->t, row, 3, b->w.value[comp]);
	return ok;
}

static void compound_headers(struct cols *c, const struct ws_breakdown *b)
{
	col(c, "fid", WS_COL_INT, 0);
	col(c, "id", WS_COL_TEXT, 0);
	col(c, "name", WS_COL_TEXT, 0);
	if (b->have_weights)
		col(c, "weight", WS_COL_REAL, 3);
}

bool ws_breakdown_level_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err)
{
	size_t nk = b->a->cov.n_compounds, base = 3 + b->have_weights;
	if (!ws_table_init(t, nk, base + 3 * b->n_levels, err))
		return false;
	struct cols c = {t, 0, true, err};
	compound_headers(&c, b);
	for (size_t l = 0; l < b->n_levels; l++) {
		const char *n = b->o->levels.name[l];
		col2(&c, n, "_min", WS_COL_REAL, 2);
		col2(&c, n, "_or_above_min", WS_COL_REAL, 2);
		col2(&c, n, "_covered", WS_COL_BOOL, 0);
	}
	for (size_t k = 0; c.ok && k < nk; k++) {
		c.ok = compound_columns(&c, b, k, k);
		for (size_t l = 0; c.ok && l < b->n_levels; l++) {
			const struct ws_level_result *r = &b->level[l];
			ws_table_set_real(t, k, base + 3 * l, minutes_of(b, r->exact.compound[k].reach_m));
			ws_table_set_real(t, k, base + 3 * l + 1, minutes_of(b, r->up.compound[k].reach_m));
			ws_table_set_bool(t, k, base + 3 * l + 2, r->up.compound[k].covered);
		}
	}
	if (!c.ok)
		ws_table_finish(t);
	return c.ok;
}

bool ws_breakdown_service_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err)
{
	size_t nk = b->a->cov.n_compounds, base = 3 + b->have_weights, ns = b->n_services;
	if (!ws_table_init(t, nk, base + ns + 3, err))
		return false;
	struct cols c = {t, 0, true, err};
	compound_headers(&c, b);
	for (size_t k = 0; k < ns; k++)
		col2(&c, b->service[k].name, "_min", WS_COL_REAL, 2);
	col(&c, "n_out_of_reach", WS_COL_INT, 0);
	col(&c, "out_of_reach", WS_COL_TEXT, 0);
	col(&c, "fully_served", WS_COL_BOOL, 0);
	char *missing = NULL;
	size_t cap = 0;
	for (size_t row = 0; c.ok && row < nk; row++) {
		c.ok = compound_columns(&c, b, row, row);
		size_t len = 0;
		for (size_t k = 0; c.ok && k < ns; k++) {
			const struct ws_compound_reach *r = &b->service[k].cov.compound[row];
			ws_table_set_real(t, row, base + k, minutes_of(b, r->reach_m));
			if (r->covered)
				continue;
			size_t need = len + strlen(b->service[k].name) + 3;
			if (need > cap) {
				char *grown = realloc(missing, cap = 2 * need);
				if (!grown) {
					c.ok = ws_error_nomem(err);
					break;
				}
				missing = grown;
			}
			len += (size_t)snprintf(missing + len, cap - len, "%s%s", len ? "; " : "", b->service[k].name);
		}
		if (!c.ok)
			break;
		ws_table_set_int(t, row, base + ns, b->n_missing[row]);
		c.ok = ws_table_set_text(t, row, base + ns + 1, len ? missing : "", err);
		ws_table_set_bool(t, row, base + ns + 2, b->n_missing[row] == 0);
	}
	free(missing);
	if (!c.ok)
		ws_table_finish(t);
	return c.ok;
}

/* share columns: count pct and, with weights, pop pct */
static void share_headers(struct cols *c, const struct ws_breakdown *b, const char *what)
{
	col2(c, what, "_pct", WS_COL_REAL, 1);
	if (b->have_weights)
		col2(c, what, "_pop_pct", WS_COL_REAL, 1);
}

static size_t share_cells(struct ws_table *t, const struct ws_breakdown *b, size_t row, size_t j,
			  const struct ws_tally *tl)
{
	ws_table_set_real(t, row, j++, share(tl->n, tl->n_of));
	if (b->have_weights)
		ws_table_set_real(t, row, j++, wshare(tl->w, tl->w_of));
	return j;
}

bool ws_breakdown_zone_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err)
{
	const struct ws_audit *a = b->a;
	const struct ws_study *st = a->st;
	size_t nz = b->zoning.n_zones, rows = 0;
	for (size_t k = 0; k <= nz; k++)
		rows += k < nz ? b->zone_used[k] : b->zone[nz].n_compounds > 0;
	size_t per_share = 1 + b->have_weights;
	size_t n_cols = 5 + b->have_weights + per_share * (1 + b->n_levels + b->n_services + b->have_services) + 4;
	if (!ws_table_init(t, rows, n_cols, err))
		return false;
	struct cols c = {t, 0, true, err};
	col(&c, "fid", WS_COL_INT, 0);
	col(&c, "id", WS_COL_TEXT, 0);
	col(&c, "name", WS_COL_TEXT, 0);
	col(&c, "compounds", WS_COL_INT, 0);
	if (b->have_weights)
		col(&c, "population", WS_COL_REAL, 3);
	col(&c, "covered", WS_COL_INT, 0);
	share_headers(&c, b, "covered");
	for (size_t l = 0; l < b->n_levels; l++)
		share_headers(&c, b, b->o->levels.name[l]);
	for (size_t k = 0; k < b->n_services; k++)
		share_headers(&c, b, b->service[k].name);
	if (b->have_services)
		share_headers(&c, b, "fully_served");
	col(&c, "worst_id", WS_COL_TEXT, 0);
	col(&c, "worst_name", WS_COL_TEXT, 0);
	col(&c, "worst_status", WS_COL_TEXT, 0);
	col(&c, "worst_reach_min", WS_COL_REAL, 2);
	size_t row = 0;
	for (size_t k = 0; c.ok && k <= nz; k++) {
		const struct ws_zone_result *z = &b->zone[k];
		if ((k < nz && !b->zone_used[k]) || (k == nz && z->n_compounds == 0))
			continue;
		size_t j = 0;
		if (k < nz) {
			ws_table_set_int(t, row, j, (int64_t)k);
			c.ok = ws_table_set_text(t, row, j + 1, st->zone_id[k], err) &&
			       ws_table_set_text(t, row, j + 2, field_text(&st->zones, k, "name"), err);
		} else {
			c.ok = ws_table_set_text(t, row, j + 2, zone_name(b, k), err);
		}
		j += 3;
		ws_table_set_int(t, row, j++, (int64_t)z->n_compounds);
		if (b->have_weights)
			ws_table_set_real(t, row, j++, z->covered.w_of);
		ws_table_set_int(t, row, j++, (int64_t)z->covered.n);
		j = share_cells(t, b, row, j, &z->covered);
		for (size_t l = 0; l < b->n_levels; l++)
			j = share_cells(t, b, row, j, &z->level[l]);
		for (size_t s = 0; s < b->n_services; s++)
			j = share_cells(t, b, row, j, &z->service[s]);
		if (b->have_services)
			j = share_cells(t, b, row, j, &z->fully);
		if (c.ok && z->worst != SIZE_MAX) {
			size_t w = z->worst;
			c.ok = ws_table_set_text(t, row, j, st->compound_id[w], err) &&
			       ws_table_set_text(t, row, j + 1, field_text(&st->compounds, w, "name"), err) &&
			       ws_table_set_text(t, row, j + 2, status_name[a->status[w]], err);
			ws_table_set_real(t, row, j + 3, minutes_of(b, a->cov.compound[w].reach_m));
		}
		row++;
	}
	if (!c.ok)
		ws_table_finish(t);
	return c.ok;
}

static void combo_name(const struct ws_sens_combo *cb, char *buf, size_t size)
{
	snprintf(buf, size, "covered_%gkmh_%gmin", cb->speed_kmh, cb->minutes);
}

bool ws_breakdown_flip_table(struct ws_table *t, const struct ws_breakdown *b, struct ws_error *err)
{
	const struct ws_audit *a = b->a;
	size_t base = 3 + b->have_weights;
	if (!ws_table_init(t, b->n_flipped, base + 2 + b->n_combos, err))
		return false;
	struct cols c = {t, 0, true, err};
	compound_headers(&c, b);
	col(&c, "reach_m", WS_COL_REAL, 1);
	col(&c, "status", WS_COL_TEXT, 0);
	for (size_t x = 0; x < b->n_combos; x++) {
		char name[96];
		combo_name(&b->combo[x], name, sizeof name);
		col(&c, name, WS_COL_BOOL, 0);
	}
	for (size_t i = 0; c.ok && i < b->n_flipped; i++) {
		size_t k = b->flipped[i];
		c.ok = compound_columns(&c, b, i, k) &&
		       ws_table_set_text(t, i, base + 1, status_name[a->status[k]], err);
		ws_table_set_real(t, i, base, a->cov.compound[k].reach_m);
		for (size_t x = 0; x < b->n_combos; x++)
			ws_table_set_bool(t, i, base + 2 + x, b->combo[x].covered_c[k]);
	}
	if (!c.ok)
		ws_table_finish(t);
	return c.ok;
}

/* ---- summary.json ---- */

static struct json_object *tally_json(const struct ws_breakdown *b, const struct ws_tally *t)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "compounds", json_object_new_int64((int64_t)t->n));
	json_object_object_add(o, "of", json_object_new_int64((int64_t)t->n_of));
	json_object_object_add(o, "pct", ws_json_real(share(t->n, t->n_of), 1));
	if (b->have_weights) {
		json_object_object_add(o, "population", ws_json_real(t->w, 3));
		json_object_object_add(o, "population_of", ws_json_real(t->w_of, 3));
		json_object_object_add(o, "population_pct", ws_json_real(wshare(t->w, t->w_of), 1));
	}
	return o;
}

static struct json_object *compound_ref(const struct ws_breakdown *b, size_t c)
{
	const struct ws_study *st = b->a->st;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "fid", json_object_new_int64((int64_t)c));
	json_object_object_add(o, "id", json_object_new_string(st->compound_id[c]));
	json_object_object_add(o, "name", json_object_new_string(field_text(&st->compounds, c, "name")));
	return o;
}

static struct json_object *levels_json(const struct ws_breakdown *b)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "field", json_object_new_string(b->o->level_field));
	json_object_object_add(o, "centers_without_level", json_object_new_int64((int64_t)b->n_centers_no_level));
	struct json_object *arr = json_object_new_array();
	for (size_t l = 0; l < b->n_levels; l++) {
		const struct ws_level_result *r = &b->level[l];
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "level", json_object_new_string(b->o->levels.name[l]));
		json_object_object_add(e, "rank", json_object_new_int64((int64_t)l + 1));
		json_object_object_add(e, "centers", json_object_new_int64((int64_t)r->n_centers));
		json_object_object_add(e, "minutes", ws_json_real(r->minutes, 2));
		json_object_object_add(e, "limit_m", ws_json_real(r->limit_m, 3));
		json_object_object_add(e, "covered_or_above", tally_json(b, &r->covered));
		size_t exact = 0;
		for (size_t c = 0; c < r->exact.n_compounds; c++)
			exact += r->exact.compound[c].covered;
		json_object_object_add(e, "covered_by_this_level_only", json_object_new_int64((int64_t)exact));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "levels", arr);
	return o;
}

static struct json_object *services_json(const struct ws_breakdown *b)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "source", json_object_new_string(b->o->catalogue_path ? b->o->catalogue_path : b->o->services_field));
	json_object_object_add(o, "from", json_object_new_string(b->o->catalogue_path ? "catalogue" : "field"));
	json_object_object_add(o, "catalogue_services", json_object_new_int64((int64_t)b->cat.n_services));
	json_object_object_add(o, "minutes", ws_json_real(b->a->p.minutes, 2));
	struct json_object *arr = json_object_new_array();
	for (size_t k = 0; k < b->n_services; k++) {
		const struct ws_service_result *r = &b->service[k];
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "service", json_object_new_string(r->name));
		json_object_object_add(e, "centers", json_object_new_int64((int64_t)r->n_centers));
		if (r->other_case)
			json_object_object_add(e, "catalogue_other_case", json_object_new_string(r->other_case));
		json_object_object_add(e, "served", tally_json(b, &r->covered));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "required", arr);
	json_object_object_add(o, "fully_served", tally_json(b, &b->fully));
	return o;
}

static struct json_object *weights_json(const struct ws_breakdown *b)
{
	const struct ws_study *st = b->a->st;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "field", json_object_new_string(b->o->weight_field));
	json_object_object_add(o, "total", ws_json_real(b->w.total, 3));
	json_object_object_add(o, "valid", json_object_new_int64((int64_t)(b->w.n - b->w.n_bad)));
	json_object_object_add(o, "invalid", json_object_new_int64((int64_t)b->w.n_bad));
	struct json_object *arr = json_object_new_array();
	for (size_t c = 0; c < b->w.n; c++) {
		if (b->w.state[c] == WS_WEIGHT_OK)
			continue;
		struct json_object *e = compound_ref(b, c);
		json_object_object_add(e, "problem", json_object_new_string(ws_weight_state_name(b->w.state[c])));
		json_object_object_add(e, "value", json_object_new_string(field_text(&st->compounds, c, b->o->weight_field)));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "invalid_list", arr);
	json_object_object_add(o, "covered", tally_json(b, &b->covered));
	return o;
}

static struct json_object *zones_json(const struct ws_breakdown *b)
{
	const struct ws_study *st = b->a->st;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "rule", json_object_new_string(
		"compound in the zone containing its PointOnSurface; boundary counts as inside; lowest FID first"));
	json_object_object_add(o, "zone_level", ws_json_text(b->o->zone_level));
	json_object_object_add(o, "zones", json_object_new_int64((int64_t)b->n_zones_used));
	json_object_object_add(o, "compounds_outside", json_object_new_int64((int64_t)b->zoning.n_outside));
	json_object_object_add(o, "compounds_in_several", json_object_new_int64((int64_t)b->zoning.n_multiple));
	json_object_object_add(o, "compounds_without_point", json_object_new_int64((int64_t)b->zoning.n_no_point));
	struct json_object *arr = json_object_new_array();
	size_t nz = b->zoning.n_zones;
	for (size_t k = 0; k <= nz; k++) {
		const struct ws_zone_result *z = &b->zone[k];
		if ((k < nz && !b->zone_used[k]) || (k == nz && z->n_compounds == 0))
			continue;
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "fid", k < nz ? json_object_new_int64((int64_t)k) : NULL);
		json_object_object_add(e, "name", json_object_new_string(k < nz ? field_text(&st->zones, k, "name") : zone_name(b, k)));
		json_object_object_add(e, "compounds", json_object_new_int64((int64_t)z->n_compounds));
		json_object_object_add(e, "covered", tally_json(b, &z->covered));
		struct json_object *lv = json_object_new_object();
		for (size_t l = 0; l < b->n_levels; l++)
			json_object_object_add(lv, b->o->levels.name[l], tally_json(b, &z->level[l]));
		json_object_object_add(e, "levels", lv);
		struct json_object *sv = json_object_new_object();
		for (size_t s = 0; s < b->n_services; s++)
			json_object_object_add(sv, b->service[s].name, tally_json(b, &z->service[s]));
		json_object_object_add(e, "services", sv);
		if (b->have_services)
			json_object_object_add(e, "fully_served", tally_json(b, &z->fully));
		json_object_object_add(e, "worst", z->worst == SIZE_MAX ? NULL : compound_ref(b, z->worst));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "table", arr);
	return o;
}

static struct json_object *sensitivity_json(const struct ws_breakdown *b)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "search_limit_m", ws_json_real(b->cov_max.limit_m, 3));
	struct json_object *arr = json_object_new_array();
	for (size_t x = 0; x < b->n_combos; x++) {
		const struct ws_sens_combo *cb = &b->combo[x];
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "speed_kmh", ws_json_real(cb->speed_kmh, 3));
		json_object_object_add(e, "minutes", ws_json_real(cb->minutes, 2));
		json_object_object_add(e, "limit_m", ws_json_real(cb->limit_m, 3));
		for (int s = 0; s < 4; s++)
			json_object_object_add(e, status_name[s], json_object_new_int64((int64_t)cb->n_status[s]));
		json_object_object_add(e, "covered_share", tally_json(b, &cb->covered));
		if (b->have_levels) {
			struct json_object *lv = json_object_new_object();
			for (size_t l = 0; l < b->n_levels; l++)
				json_object_object_add(lv, b->o->levels.name[l], tally_json(b, &cb->level[l]));
			json_object_object_add(e, "levels", lv);
		}
		if (b->have_services) {
			struct json_object *sv = json_object_new_object();
			for (size_t s = 0; s < b->n_services; s++)
				json_object_object_add(sv, b->service[s].name, tally_json(b, &cb->service[s]));
			json_object_object_add(e, "services", sv);
			json_object_object_add(e, "fully_served", tally_json(b, &cb->fully));
		}
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "combinations", arr);
	struct json_object *fl = json_object_new_array();
	for (size_t i = 0; i < b->n_flipped; i++) {
		size_t c = b->flipped[i];
		struct json_object *e = compound_ref(b, c);
		json_object_object_add(e, "reach_m", ws_json_real(b->a->cov.compound[c].reach_m, 1));
		struct json_object *cv = json_object_new_array();
		for (size_t x = 0; x < b->n_combos; x++)
			json_object_array_add(cv, json_object_new_boolean(b->combo[x].covered_c[c]));
		json_object_object_add(e, "covered", cv);
		json_object_array_add(fl, e);
	}
	json_object_object_add(o, "flipped", fl);
	return o;
}

bool ws_breakdown_summary_json(struct json_object *doc, const struct ws_breakdown *b, struct ws_error *err)
{
	(void)err;
	if (b->have_levels)
		json_object_object_add(doc, "levels", levels_json(b));
	if (b->have_services)
		json_object_object_add(doc, "services", services_json(b));
	if (b->have_weights)
		json_object_object_add(doc, "weights", weights_json(b));
	if (b->have_zones)
		json_object_object_add(doc, "zones", zones_json(b));
	if (b->have_sensitivity)
		json_object_object_add(doc, "sensitivity", sensitivity_json(b));
	return true;
}

static bool write_table(const struct ws_outdir *out, const char *name, const struct ws_table *t,
			char *written, size_t size, struct ws_error *err)
{
	char *path = ws_outdir_path(out, name);
	bool ok = path ? ws_write_csv(path, t, err) : ws_error_nomem(err);
	free(path);
	if (ok) {
		size_t len = strlen(written);
		snprintf(written + len, size - len, ", %s", name);
	}
	return ok;
}

bool ws_breakdown_write_outputs(const struct ws_outdir *out, const struct ws_breakdown *b,
				char *written, size_t size, struct ws_error *err)
{
	struct ws_table t = {0};
	bool ok = true;
	if (ok && b->have_levels) {
		ok = ws_breakdown_level_table(&t, b, err) && write_table(out, "levels.csv", &t, written, size, err);
		ws_table_finish(&t);
	}
	if (ok && b->have_services) {
		ok = ws_breakdown_service_table(&t, b, err) && write_table(out, "services.csv", &t, written, size, err);
		ws_table_finish(&t);
	}
	if (ok && b->have_zones) {
		ok = ws_breakdown_zone_table(&t, b, err) && write_table(out, "zones.csv", &t, written, size, err);
		ws_table_finish(&t);
	}
	if (ok && b->have_sensitivity) {
		ok = ws_breakdown_flip_table(&t, b, err) && write_table(out, "sensitivity.csv", &t, written, size, err);
		ws_table_finish(&t);
	}
	return ok;
}
