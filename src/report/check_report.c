/* The pre-flight report. Lists are cut at `LIST_MAX` lines with a count of the rest. */
#include "check_report.h"

#include <math.h>
#include <string.h>

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
	size_t warnings = 0;
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
	fprintf(out, "Working   %s (%s), unit metre\n", ws_crs_code(st->work_crs), ws_crs_name(st->work_crs));
	if (st->crs_accuracy_m >= 0)
		fprintf(out, "          roads -> working: %s; accuracy %g m\n", st->crs_operation,
			st->crs_accuracy_m);
	else
		fprintf(out, "          roads -> working: %s; accuracy unknown (bound it with --max-crs-error)\n",
			st->crs_operation);

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
		warnings++;
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
		warnings++;
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
	warnings += c->center_snap.n_unsnapped > 0;
	warnings += c->access_snap.n_unsnapped > 0;

	if (c->n_dup_groups) {
		warnings++;
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
		warnings++;
		ws_repairs_print(out, &c->repairs, st, LIST_MAX);
	} else {
		fprintf(out, "\nRepairs   none: every geometry was read as given\n");
	}
	fprintf(out, "\nNo errors; %zu warning%s.\n", warnings, warnings == 1 ? "" : "s");
	return warnings;
}
