/* Bars of issue 3: all isochrones of a dataset (bands 5, 10, 15 min) on 2 cores, porto
 * under 1 s, porto_metro under 3 s. Times the isochrone and service-area phases of the
 * exact construction (walk_off.c) against the general GEOS one on the same loaded study,
 * alternating, best of N each, so the ratio comes from one run. Run from the source root:
 *   build/benches/bench_isochrones [DATASET_DIR] [runs] [threads] */
#include <stdio.h>
#include <stdlib.h>

#include "pipeline/isochrones.h"
#include "pipeline/study.h"

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "geodata/porto";
	int runs = argc > 2 ? atoi(argv[2]) : 3;
	int threads = argc > 3 ? atoi(argv[3]) : 2;
	struct ws_error err = {0};
	struct ws_study_options so = {0};
	so.dataset_dir = dir;
	so.max_snap_m = 300;
	so.max_crs_error_m = -1;
	so.threads = threads;
	ws_walk_filter_init_default(&so.filter, &err);
	struct ws_study st;
	double t0 = ws_now_s();
	if (!ws_study_load(&st, &so, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	double load_s = ws_now_s() - t0;
	double best[2][2] = {{1e9, 1e9}, {1e9, 1e9}}; /* [general][isochrones, service area] */
	size_t n_general[2] = {0, 0}, n_poly = 0;
	for (int i = 0; i < runs; i++)
		for (int general = 0; general < 2; general++) {
			struct ws_isochrone_run_params p = {{0}, 0, 15, 4.0, 50, threads, general};
			struct ws_isochrone_run r;
			if (!ws_isochrone_parse_bands(&p, "5,10,15", &err) || !ws_isochrone_run(&r, &st, &p, &err)) {
				fprintf(stderr, "%s\n", err.msg);
				return 1;
			}
			if (r.time_isochrones_s < best[general][0])
				best[general][0] = r.time_isochrones_s;
			if (r.time_union_s < best[general][1])
				best[general][1] = r.time_union_s;
			n_general[general] = r.n_general;
			n_poly = r.iso.poly.n_features;
			ws_isochrone_run_finish(&r);
		}
	printf("%s: %zu isochrones, %d threads, load %.3f s; best of %d, alternating:\n", dir, n_poly, threads,
	       load_s, runs);
	printf("  exact construction:   isochrones %.3f s, service area %.3f s (%zu polygons by the general one)\n",
	       best[0][0], best[0][1], n_general[0]);
	printf("  general construction: isochrones %.3f s, service area %.3f s\n", best[1][0], best[1][1]);
	printf("  ratio general / exact: isochrones %.1fx, service area %.1fx\n", best[1][0] / best[0][0],
	       best[1][1] / best[0][1]);
	ws_study_finish(&st);
	ws_walk_filter_finish(&so.filter);
	return 0;
}
