/* Bar of issue 4: porto with 10 services over its 90 centers, 3 levels, 3 speeds, under
 * 0.5 s. Times the whole pipeline (read .. breakdown) and the audit + breakdown part alone,
 * best of N runs. Run from the source root: build/benches/bench_breakdown [runs]. */
#include <stdio.h>
#include <stdlib.h>

#include "pipeline/breakdown.h"

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 10;
	double best_all = 1e9, best_analysis = 1e9;
	for (int i = 0; i < runs; i++) {
		struct ws_error err = {0};
		struct ws_study_options so = {0};
		so.dataset_dir = "geodata/porto";
		so.max_snap_m = 300;
		so.max_crs_error_m = -1;
		ws_walk_filter_init_default(&so.filter, &err);
		struct ws_breakdown_options o = {0};
		ws_levels_init_default(&o.levels, &err);
		o.level_field = "level";
		o.catalogue_path = "tests/data/porto_catalogue.csv";
		o.speeds[0] = 4;
		o.speeds[1] = 3.2;
		o.speeds[2] = 5.1;
		o.n_speeds = 3;
		struct ws_study st;
		struct ws_audit a;
		struct ws_breakdown b;
		struct ws_audit_params p = {15, 4, 300, argc > 2 ? atoi(argv[2]) : 0};
		so.threads = p.threads;
		double t0 = ws_now_s();
		if (!ws_study_load(&st, &so, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		double t1 = ws_now_s();
		if (!ws_audit_run(&a, &st, &p, &err) || !ws_breakdown_run(&b, &a, &o, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		double t2 = ws_now_s();
		if (i == 0)
			printf("porto: %zu centers, %zu levels with centers, %zu services, %zu combinations, %zu flips\n",
			       a.cov.n_centers, b.n_levels, b.n_services, b.n_combos, b.n_flipped);
		if (t2 - t0 < best_all)
			best_all = t2 - t0;
		if (t2 - t1 < best_analysis)
			best_analysis = t2 - t1;
		ws_breakdown_finish(&b);
		ws_audit_finish(&a);
		ws_study_finish(&st);
		ws_levels_finish(&o.levels);
		ws_walk_filter_finish(&so.filter);
	}
	printf("best of %d: load+audit+breakdown %.3f s; audit+breakdown %.3f s (bar: 0.5 s)\n", runs, best_all,
	       best_analysis);
	return 0;
}
