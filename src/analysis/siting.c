/* Invariant: bound[j] >= the true current gain of j at all times; a popped candidate
 * whose recomputed gain still ranks first against every other bound is the greedy
 * choice. */
#include "siting.h"

#include <stdlib.h>
#include <string.h>

struct queue {
	uint32_t *heap;
	size_t n;
	const double *bound;
};

static bool ranks_before(const struct queue *q, uint32_t a, uint32_t b)
{
	return q->bound[a] > q->bound[b] || (q->bound[a] == q->bound[b] && a < b);
}

static void sift_down(struct queue *q, size_t i)
{
	uint32_t v = q->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && ranks_before(q, q->heap[c + 1], q->heap[c]))
			c++;
		if (!ranks_before(q, q->heap[c], v))
			break;
		q->heap[i] = q->heap[c];
		i = c;
	}
	q->heap[i] = v;
}

static double gain_of(const struct ws_cover_sets *sets, const double *weight, const bool *covered,
		      size_t j, size_t *n_new)
{
	double g = 0;
	size_t n = 0;
	for (size_t k = sets->first[j]; k < sets->first[j + 1]; k++) {
		uint32_t c = sets->compound[k];
		if (covered[c])
			continue;
		g += weight ? weight[c] : 1.0;
		n++;
	}
	if (n_new)
		*n_new = n;
	return g;
}

void ws_siting_finish(struct ws_siting *s)
{
	if (!s)
		return;
	free(s->chosen);
	free(s->gain);
	free(s->gain_n);
	free(s->new_first);
	free(s->new_compound);
	memset(s, 0, sizeof *s);
}

static bool greedy(struct ws_siting *s, const struct ws_cover_sets *sets, const double *weight, size_t k,
		   const bool *among, struct ws_error *err)
{
	memset(s, 0, sizeof *s);
	size_t nj = sets->n_candidates, nk = sets->n_compounds;
	size_t cap = k < nj ? k : nj;
	double *bound = malloc((nj + 1) * sizeof *bound);
	bool *covered = calloc(nk + 1, sizeof *covered);
	struct queue q = {malloc((nj + 1) * sizeof *q.heap), 0, bound};
	s->chosen = malloc((cap + 1) * sizeof *s->chosen);
	s->gain = malloc((cap + 1) * sizeof *s->gain);
	s->gain_n = malloc((cap + 1) * sizeof *s->gain_n);
	s->new_first = calloc(cap + 2, sizeof *s->new_first);
	s->new_compound = malloc((nk + 1) * sizeof *s->new_compound);
	if (!bound || !covered || !q.heap || !s->chosen || !s->gain || !s->gain_n || !s->new_first ||
	    !s->new_compound) {
		free(bound);
		free(covered);
		free(q.heap);
		ws_siting_finish(s);
		return ws_error_nomem(err);
	}
	for (size_t j = 0; j < nj; j++) {
		if (among && !among[j]) {
			bound[j] = 0;
			continue;
		}
		bound[j] = gain_of(sets, weight, covered, j, NULL);
		s->n_evaluations++;
		if (bound[j] > 0)
			q.heap[q.n++] = (uint32_t)j;
	}
	for (size_t i = q.n / 2; i-- > 0;)
		sift_down(&q, i);
	size_t n_new_total = 0;
	while (s->n_chosen < cap && q.n > 0) {
		uint32_t j = q.heap[0];
		size_t n_new;
		double g = gain_of(sets, weight, covered, j, &n_new);
		s->n_evaluations++;
		if (g != bound[j]) {
			/* stale: lower the bound and let it sink */
			bound[j] = g;
			if (g > 0) {
				sift_down(&q, 0);
			} else {
				q.heap[0] = q.heap[--q.n];
				if (q.n)
					sift_down(&q, 0);
			}
			continue;
		}
		q.heap[0] = q.heap[--q.n];
		if (q.n)
			sift_down(&q, 0);
		size_t r = s->n_chosen++;
		s->chosen[r] = j;
		s->gain[r] = g;
		s->gain_n[r] = n_new;
		for (size_t t = sets->first[j]; t < sets->first[j + 1]; t++) {
			uint32_t c = sets->compound[t];
			if (!covered[c]) {
				covered[c] = true;
				s->new_compound[n_new_total++] = c;
			}
		}
		s->new_first[r + 1] = n_new_total;
	}
	free(bound);
	free(covered);
	free(q.heap);
	return true;
}

bool ws_siting_greedy(struct ws_siting *s, const struct ws_cover_sets *sets, const double *weight,
		      size_t k, struct ws_error *err)
{
	return greedy(s, sets, weight, k, NULL, err);
}

bool ws_siting_order(struct ws_siting *s, const struct ws_cover_sets *sets, const double *weight,
		     const uint32_t *sites, size_t n, struct ws_error *err)
{
	bool *among = calloc(sets->n_candidates + 1, sizeof *among);
	if (!among)
		return ws_error_nomem(err);
	for (size_t i = 0; i < n; i++)
		among[sites[i]] = true;
	bool ok = greedy(s, sets, weight, n, among, err);
	free(among);
	return ok;
}

double ws_siting_covered_weight(const struct ws_cover_sets *sets, const double *weight,
				const uint32_t *chosen, size_t n)
{
	bool *covered = calloc(sets->n_compounds + 1, sizeof *covered);
	if (!covered)
		return -1;
	double total = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t t = sets->first[chosen[i]]; t < sets->first[chosen[i] + 1]; t++) {
			uint32_t c = sets->compound[t];
			if (!covered[c]) {
				covered[c] = true;
				total += weight ? weight[c] : 1.0;
			}
		}
	free(covered);
	return total;
}
