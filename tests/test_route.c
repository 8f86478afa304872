/* The routing engine against a brute-force Bellman-Ford on a random graph, bounded
 * searches, and thread-independence of ws_route_each_source. */
#include "net_fixture.h"
#include "tap.h"

struct collect {
	double *dist;   /* n_sources x n_nodes */
	uint32_t n_nodes;
};

static bool collect_visit(void *vctx, int thread, size_t source, const struct ws_route_workspace *ws,
			  size_t n, const uint32_t *nodes, const double *dist, struct ws_error *err)
{
	(void)thread, (void)ws, (void)err;
	struct collect *c = vctx;
	for (uint32_t v = 0; v < c->n_nodes; v++)
		c->dist[source * c->n_nodes + v] = INFINITY;
	for (size_t i = 0; i < n; i++)
		c->dist[source * c->n_nodes + nodes[i]] = dist[i];
	return true;
}

static bool side_count(void *ctx, struct ws_error *err)
{
	(void)err;
	++*(int *)ctx;
	return true;
}

static bool side_fail(void *ctx, struct ws_error *err)
{
	(void)ctx;
	return ws_error_set(err, WS_ERR_INTERNAL, "side job failed");
}

int main(void)
{
	struct fixture f;
	fixture_init(&f);
	srand(11);
	/* a 12 x 12 grid with jittered vertices and some missing links */
	double px[144], py[144];
	for (int i = 0; i < 144; i++) {
		px[i] = (i % 12) * 50 + rand() % 20;
		py[i] = (i / 12) * 50 + rand() % 20;
	}
	for (int i = 0; i < 144; i++) {
		if (i % 12 < 11 && rand() % 5)
			fixture_line(&f, (double[]){px[i], py[i], px[i + 1], py[i + 1], END});
		if (i / 12 < 11 && rand() % 5)
			fixture_line(&f, (double[]){px[i], py[i], px[i + 12], py[i + 12], END});
	}
	for (int s = 0; s < 8; s++)
		fixture_point(&f, rand() % 600, rand() % 600);
	ok(fixture_build(&f, 300), "random grid builds");

	/* Bellman-Ford from each source */
	uint32_t n = f.g.n_nodes;
	size_t pts[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	struct fixture_sources fs;
	fixture_sources(&f, &fs, pts, 8);
	double *bf = malloc(sizeof(double) * n * 8);
	for (size_t s = 0; s < 8; s++) {
		double *d = bf + s * n;
		for (uint32_t v = 0; v < n; v++)
			d[v] = INFINITY;
		for (size_t k = fs.first[s]; k < fs.first[s + 1]; k++)
			d[fs.seeds[k].node] = fmin(d[fs.seeds[k].node], fs.seeds[k].offset_m);
		for (uint32_t it = 0; it < n; it++)
			for (uint32_t u = 0; u < n; u++)
				for (uint32_t a = f.g.first_out[u]; a < f.g.first_out[u + 1]; a++)
					if (d[u] + f.g.length_m[a] < d[f.g.head[a]])
						d[f.g.head[a]] = d[u] + f.g.length_m[a];
	}
	struct collect col = {malloc(sizeof(double) * n * 8), n};
	struct ws_error err = {0};
	ok(ws_route_each_source(&f.g, &fs.src, INFINITY, 1, collect_visit, &col, &err), "unbounded searches run");
	int same = 0;
	for (size_t i = 0; i < (size_t)n * 8; i++)
		same += (isinf(bf[i]) && isinf(col.dist[i])) || fabs(bf[i] - col.dist[i]) < 1e-9;
	is_int(same, (int)n * 8, "Dijkstra equals Bellman-Ford on every node from every source");

	/* bounded at 300 m: exactly the nodes with distance <= 300 */
	ok(ws_route_each_source(&f.g, &fs.src, 300, 1, collect_visit, &col, &err), "bounded searches run");
	int bounded_ok = 0;
	for (size_t i = 0; i < (size_t)n * 8; i++)
		bounded_ok += bf[i] <= 300 ? col.dist[i] == bf[i] || fabs(col.dist[i] - bf[i]) < 1e-9 : isinf(col.dist[i]);
	is_int(bounded_ok, (int)n * 8, "bounded search settles exactly the nodes within 300 m");

	/* thread independence: 1, 2 and 7 threads give identical bits */
	double *one = malloc(sizeof(double) * n * 8);
	ws_route_each_source(&f.g, &fs.src, 400, 1, collect_visit, &col, &err);
	memcpy(one, col.dist, sizeof(double) * n * 8);
	ws_route_each_source(&f.g, &fs.src, 400, 2, collect_visit, &col, &err);
	ok(!memcmp(one, col.dist, sizeof(double) * n * 8), "2 threads: byte-identical");
	ws_route_each_source(&f.g, &fs.src, 400, 7, collect_visit, &col, &err);
	ok(!memcmp(one, col.dist, sizeof(double) * n * 8), "7 threads: byte-identical");

	/* a side job runs exactly once beside the searches, for any thread count, and its
	 * failure is the one reported */
	int runs = 0;
	for (int t = 1; t <= 7; t += 3)
		ws_route_each_source_beside(&f.g, &fs.src, 400, t, collect_visit, &col, side_count, &runs, &err);
	is_int(runs, 3, "side job: once per run with 1, 4 and 7 threads");
	ok(!memcmp(one, col.dist, sizeof(double) * n * 8), "searches beside a side job: byte-identical");
	struct ws_error side_err = {0};
	ok(!ws_route_each_source_beside(&f.g, &fs.src, 400, 2, collect_visit, &col, side_fail, NULL,
					&side_err) && !strcmp(side_err.msg, "side job failed"),
	   "a failing side job fails the run with its own message");

	/* nearest-source search equals the per-source minimum */
	double *nd = malloc(sizeof(double) * n);
	uint32_t *ns = malloc(sizeof(uint32_t) * n);
	ok(ws_route_nearest(&f.g, &fs.src, NULL, INFINITY, nd, ns, &err), "nearest runs");
	int nearest_ok = 0;
	for (uint32_t v = 0; v < n; v++) {
		double best = INFINITY;
		uint32_t arg = UINT32_MAX;
		for (uint32_t s = 0; s < 8; s++)
			if (bf[s * n + v] < best) {
				best = bf[s * n + v];
				arg = s;
			}
		nearest_ok += (isinf(best) ? isinf(nd[v]) : fabs(nd[v] - best) < 1e-9) && arg == ns[v];
	}
	is_int(nearest_ok, (int)n, "multi-source distance and label equal the per-source minimum");
	free(bf), free(col.dist), free(one), free(nd), free(ns);
	fixture_finish(&f);

	/* Nearest search with targets, worked by hand. Nodes in order of first appearance:
	 * 0 (0,0), 1 (100,0), 2 (300,0), 3 (600,0) on one line, 4 (0,1000), 5 (50,1000) on an
	 * island. Centers at nodes 0 and 3 (sources 0 and 1, snap 0), targets at node 1 (given
	 * twice) and node 4. The island has no center, so node 4 is dropped before searching;
	 * the heap then settles (0, src 0), (0, src 1), (100, src 0) = node 1, the last target,
	 * and stops: node 2 (300 m from both centers) is never settled. The full search gives
	 * node 2 300 m from source 0 (the tie goes to the lower index). */
	struct fixture h;
	fixture_init(&h);
	fixture_line(&h, (double[]){0, 0, 100, 0, 300, 0, 600, 0, END});
	fixture_line(&h, (double[]){0, 1000, 50, 1000, END});
	fixture_point(&h, 0, 0);
	fixture_point(&h, 600, 0);
	fixture_point(&h, 100, 0);
	fixture_point(&h, 0, 1000);
	ok(fixture_build(&h, 300), "path with an island builds");
	struct fixture_sources hc, ht;
	fixture_sources(&h, &hc, (size_t[]){0, 1}, 2);
	fixture_sources(&h, &ht, (size_t[]){2, 3, 2}, 3);
	double hd[6];
	uint32_t hs[6];
	ok(ws_route_nearest_targets(&h.g, &hc.src, NULL, INFINITY, &ht.src, hd, hs, &err),
	   "nearest with targets runs");
	is_double(hd[1], 100, 0, "target node 1: 100 m");
	is_int((int)hs[1], 0, "target node 1: from center 0");
	ok(isinf(hd[4]) && hs[4] == UINT32_MAX, "island target: unreached");
	ok(isinf(hd[2]) && hs[2] == UINT32_MAX, "search stopped before node 2");
	ok(ws_route_nearest(&h.g, &hc.src, NULL, INFINITY, hd, hs, &err), "full nearest runs");
	is_double(hd[2], 300, 0, "full search: node 2 at 300 m");
	is_int((int)hs[2], 0, "full search: tie at node 2 goes to center 0");
	is_double(hd[1], 100, 0, "full search: node 1 as with targets");
	fixture_finish(&h);
	return done();
}
