/* Invariant: after recount(), cnt[c] is the number of chosen sites covering compound c,
 * owner[c] the position in `chosen` of its only coverer when cnt[c] == 1, and loss[p]
 * the weight (set covering: the number) of compounds only site p covers. Every accepted
 * move raises the covered weight by more than `tol` (maximal covering) or lowers the
 * number of sites (set covering). */
#include "siting_improve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
#define MAX_ROUNDS 100000

struct state {
	const struct ws_cover_sets *sets;
	const double *w;
	uint32_t *cnt, *owner;
	double *loss;
	bool *in;          /* per candidate: chosen */
	uint32_t *mark;    /* per compound: scratch stamps */
	uint32_t stamp;
	uint32_t *cmark;   /* per candidate: scratch stamps */
	uint32_t cstamp;
	size_t *inv_first; /* compound -> candidates covering it (CSR, increasing) */
	uint32_t *inv_cand;
	size_t work;       /* membership tests of the pair / triple phases */
};

static double weight_of(const struct state *s, uint32_t c)
{
	return s->w ? s->w[c] : 1.0;
}

static bool state_init(struct state *s, const struct ws_cover_sets *sets, const double *w, size_t cap,
		       struct ws_error *err)
{
	memset(s, 0, sizeof *s);
	s->sets = sets;
	s->w = w;
	size_t nk = sets->n_compounds, nj = sets->n_candidates;
	s->cnt = calloc(nk + 1, sizeof *s->cnt);
	s->owner = calloc(nk + 1, sizeof *s->owner);
	s->mark = calloc(nk + 1, sizeof *s->mark);
	s->loss = calloc(cap + 1, sizeof *s->loss);
	s->in = calloc(nj + 1, sizeof *s->in);
	if (!s->cnt || !s->owner || !s->mark || !s->loss || !s->in)
		return ws_error_nomem(err);
	return true;
}

static void state_finish(struct state *s)
{
	free(s->cnt);
	free(s->owner);
	free(s->mark);
	free(s->loss);
	free(s->in);
}

static uint32_t next_stamp(struct state *s)
{
	if (++s->stamp == 0) {
		memset(s->mark, 0, (s->sets->n_compounds + 1) * sizeof *s->mark);
		s->stamp = 1;
	}
	return s->stamp;
}

/* covered weight of the chosen sites; fills cnt, owner, loss, in */
static double recount(struct state *s, const uint32_t *chosen, size_t n)
{
	const struct ws_cover_sets *sets = s->sets;
	memset(s->cnt, 0, sets->n_compounds * sizeof *s->cnt);
	memset(s->in, 0, sets->n_candidates * sizeof *s->in);
	double total = 0;
	for (size_t p = 0; p < n; p++) {
		s->in[chosen[p]] = true;
		s->loss[p] = 0;
		for (size_t t = sets->first[chosen[p]]; t < sets->first[chosen[p] + 1]; t++) {
			uint32_t c = sets->compound[t];
			if (s->cnt[c]++ == 0) {
				s->owner[c] = (uint32_t)p;
				total += weight_of(s, c);
			}
		}
	}
	for (size_t p = 0; p < n; p++)
		for (size_t t = sets->first[chosen[p]]; t < sets->first[chosen[p] + 1]; t++) {
			uint32_t c = sets->compound[t];
			if (s->cnt[c] == 1)
				s->loss[p] += weight_of(s, c);
		}
	return total;
}

/* ---- maximal covering ---- */

/* The best 1-for-1 interchange (p = NONE: an addition while *n < k). */
static bool best_swap(struct state *s, const uint32_t *chosen, size_t n, size_t k, double tol,
		      double *extra, uint32_t *bj, uint32_t *bp)
{
	const struct ws_cover_sets *sets = s->sets;
	double best = tol;
	*bj = NONE;
	for (size_t j = 0; j < sets->n_candidates; j++) {
		if (s->in[j] || sets->first[j] == sets->first[j + 1])
			continue;
		double gain0 = 0;
		for (size_t p = 0; p < n; p++)
			extra[p] = 0;
		for (size_t t = sets->first[j]; t < sets->first[j + 1]; t++) {
			uint32_t c = sets->compound[t];
			if (s->cnt[c] == 0)
				gain0 += weight_of(s, c);
			else if (s->cnt[c] == 1)
				extra[s->owner[c]] += weight_of(s, c);
		}
		if (n < k && gain0 > best) {
			best = gain0;
			*bj = (uint32_t)j;
			*bp = NONE;
		}
		for (size_t p = 0; p < n; p++) {
			double d = gain0 + extra[p] - s->loss[p];
			if (d > best) {
				best = d;
				*bj = (uint32_t)j;
				*bp = (uint32_t)p;
			}
		}
	}
	(void)chosen;
	return *bj != NONE;
}

static bool build_inverse(struct state *s, struct ws_error *err)
{
	const struct ws_cover_sets *sets = s->sets;
	size_t nk = sets->n_compounds, nj = sets->n_candidates, nnz = sets->first[nj];
	s->inv_first = calloc(nk + 2, sizeof *s->inv_first);
	s->inv_cand = malloc((nnz + 1) * sizeof *s->inv_cand);
	s->cmark = calloc(nj + 1, sizeof *s->cmark);
	if (!s->inv_first || !s->inv_cand || !s->cmark)
		return ws_error_nomem(err);
	for (size_t t = 0; t < nnz; t++)
		s->inv_first[sets->compound[t] + 2]++;
	for (size_t c = 0; c < nk; c++)
		s->inv_first[c + 2] += s->inv_first[c + 1];
	for (size_t j = 0; j < nj; j++)
		for (size_t t = sets->first[j]; t < sets->first[j + 1]; t++)
			s->inv_cand[s->inv_first[sets->compound[t] + 1]++] = (uint32_t)j;
	return true;
}

static uint32_t next_cstamp(struct state *s)
{
	if (++s->cstamp == 0) {
		memset(s->cmark, 0, (s->sets->n_candidates + 1) * sizeof *s->cmark);
		s->cstamp = 1;
	}
	return s->cstamp;
}

/* Compounds that only the sites `out` cover: listed in freed (no repeats); cnt is left
 * lowered by the sites out (restore_counts undoes it). */
static size_t remove_sites(struct state *s, const uint32_t *out, size_t n_out, uint32_t *freed)
{
	const struct ws_cover_sets *sets = s->sets;
	for (size_t i = 0; i < n_out; i++)
		for (size_t t = sets->first[out[i]]; t < sets->first[out[i] + 1]; t++)
			s->cnt[sets->compound[t]]--;
	uint32_t st = next_stamp(s);
	size_t m = 0;
	for (size_t i = 0; i < n_out; i++)
		for (size_t t = sets->first[out[i]]; t < sets->first[out[i] + 1]; t++) {
			uint32_t c = sets->compound[t];
			if (s->cnt[c] == 0 && s->mark[c] != st) {
				s->mark[c] = st;
				freed[m++] = c;
			}
		}
	return m;
}

static void restore_counts(struct state *s, const uint32_t *out, size_t n_out)
{
	const struct ws_cover_sets *sets = s->sets;
	for (size_t i = 0; i < n_out; i++)
		for (size_t t = sets->first[out[i]]; t < sets->first[out[i] + 1]; t++)
			s->cnt[sets->compound[t]]++;
}

struct ranked {
	double gain;
	uint32_t j;
};

static int compare_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->gain != b->gain)
		return a->gain > b->gain ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

struct pair_scratch {
	double *gain0, *g;       /* per candidate */
	uint32_t *pos;           /* candidates with gain0 > 0, increasing */
	size_t n_pos;
	uint32_t *freed;         /* per compound */
	struct ranked *list;     /* per candidate */
};

/* The first improving 2-for-2 interchange, pairs out in position order (p1 < p2), the
 * best pair in for them (ties: the earlier pair in (gain desc, index asc) order).
 * *exhausted: the work bound was reached first. */
static bool pair_swap(struct state *s, const uint32_t *chosen, size_t n, double tol, struct pair_scratch *x,
		      uint32_t out_pos[2], uint32_t in[2], bool *exhausted)
{
	const struct ws_cover_sets *sets = s->sets;
	size_t nj = sets->n_candidates;
	*exhausted = false;
	/* gains with every site in */
	x->n_pos = 0;
	for (size_t j = 0; j < nj; j++) {
		double g = 0;
		if (!s->in[j])
			for (size_t t = sets->first[j]; t < sets->first[j + 1]; t++)
				if (s->cnt[sets->compound[t]] == 0)
					g += weight_of(s, sets->compound[t]);
		x->gain0[j] = g;
		x->g[j] = g;
		if (g > 0)
			x->pos[x->n_pos++] = (uint32_t)j;
	}
	for (size_t p1 = 0; p1 < n; p1++)
		for (size_t p2 = p1 + 1; p2 < n; p2++) {
			if (s->work > WS_IMPROVE_PAIR_WORK) {
				*exhausted = true;
				return false;
			}
			uint32_t out[2] = {chosen[p1], chosen[p2]};
			size_t nf = remove_sites(s, out, 2, x->freed);
			double lost = 0;
			uint32_t cst = next_cstamp(s);
			size_t m = 0;
			for (size_t i = 0; i < nf; i++) {
				uint32_t c = x->freed[i];
				lost += weight_of(s, c);
				for (size_t t = s->inv_first[c]; t < s->inv_first[c + 1]; t++) {
					uint32_t j = s->inv_cand[t];
					if (s->in[j])
						continue;
					if (s->cmark[j] != cst) {
						s->cmark[j] = cst;
						x->g[j] = x->gain0[j];
					}
					x->g[j] += weight_of(s, c);
				}
				s->work += s->inv_first[c + 1] - s->inv_first[c];
			}
			for (size_t i = 0; i < x->n_pos; i++) {
				uint32_t j = x->pos[i];
				if (s->cmark[j] != cst)
					x->list[m++] = (struct ranked){x->gain0[j], j};
			}
			for (size_t i = 0; i < nf; i++)
				for (size_t t = s->inv_first[x->freed[i]]; t < s->inv_first[x->freed[i] + 1]; t++) {
					uint32_t j = s->inv_cand[t];
					if (!s->in[j] && s->cmark[j] == cst) {
						s->cmark[j] = cst - 1;   /* listed once */
						x->list[m++] = (struct ranked){x->g[j], j};
					}
				}
			qsort(x->list, m, sizeof *x->list, compare_ranked);
			double best = lost + tol;
			bool found = false;
			for (size_t i = 0; i + 1 < m && x->list[i].gain + x->list[i + 1].gain > best; i++) {
				uint32_t j1 = x->list[i].j;
				uint32_t st = next_stamp(s);
				for (size_t t = sets->first[j1]; t < sets->first[j1 + 1]; t++)
					if (s->cnt[sets->compound[t]] == 0)
						s->mark[sets->compound[t]] = st;
				for (size_t i2 = i + 1; i2 < m && x->list[i].gain + x->list[i2].gain > best; i2++) {
					uint32_t j2 = x->list[i2].j;
					double overlap = 0;
					for (size_t t = sets->first[j2]; t < sets->first[j2 + 1]; t++)
						if (s->mark[sets->compound[t]] == st)
							overlap += weight_of(s, sets->compound[t]);
					s->work += sets->first[j2 + 1] - sets->first[j2] + 1;
					double v = x->list[i].gain + x->list[i2].gain - overlap;
					if (v > best) {
						best = v;
						found = true;
						in[0] = j1;
						in[1] = j2;
					}
				}
			}
			restore_counts(s, out, 2);
			if (found) {
				out_pos[0] = (uint32_t)p1;
				out_pos[1] = (uint32_t)p2;
				return true;
			}
		}
	return false;
}

static void remove_position(uint32_t *chosen, size_t *n, size_t p)
{
	memmove(chosen + p, chosen + p + 1, (*n - p - 1) * sizeof *chosen);
	(*n)--;
}

bool ws_siting_improve_max_cover(uint32_t *chosen, size_t *n, const struct ws_cover_sets *sets,
				 const double *weight, size_t k, struct ws_siting_improvement *imp,
				 struct ws_error *err)
{
	memset(imp, 0, sizeof *imp);
	size_t nj = sets->n_candidates, cap = k < nj ? k : nj;
	struct state s;
	struct pair_scratch x = {0};
	double *extra = malloc((cap + 1) * sizeof *extra);
	bool ok = state_init(&s, sets, weight, cap, err) && build_inverse(&s, err);
	if (ok && extra) {
		x.gain0 = malloc((nj + 1) * sizeof *x.gain0);
		x.g = malloc((nj + 1) * sizeof *x.g);
		x.pos = malloc((nj + 1) * sizeof *x.pos);
		x.freed = malloc((sets->n_compounds + 1) * sizeof *x.freed);
		x.list = malloc((nj + 1) * sizeof *x.list);
	}
	if (ok && (!extra || !x.gain0 || !x.g || !x.pos || !x.freed || !x.list))
		ok = ws_error_nomem(err);
	if (!ok)
		goto done;
	double total = 0;
	for (size_t c = 0; c < sets->n_compounds; c++)
		total += weight ? weight[c] : 1.0;
	double tol = 1e-9 * (1 + total);
	double value = recount(&s, chosen, *n);
	imp->before = value;
	bool pairs_done = false;
	while (imp->n_rounds < MAX_ROUNDS) {
		imp->n_rounds++;
		uint32_t j, p, out_pos[2], in[2];
		bool exhausted = false;
		if (best_swap(&s, chosen, *n, k, tol, extra, &j, &p)) {
			if (p == NONE)
				chosen[(*n)++] = j;
			else
				chosen[p] = j;
			imp->n_swaps++;
		} else if (!pairs_done && pair_swap(&s, chosen, *n, tol, &x, out_pos, in, &exhausted)) {
			chosen[out_pos[0]] = in[0];
			chosen[out_pos[1]] = in[1];
			imp->n_pair_swaps++;
		} else {
			imp->pairs_tried = !pairs_done && !exhausted;
			pairs_done = true;
			break;
		}
		if (exhausted)
			pairs_done = true;
		double v = recount(&s, chosen, *n);
		if (!(v > value)) {   /* cannot happen beyond rounding: stop */
			ok = ws_error_set(err, WS_ERR_INTERNAL, "siting improvement did not improve (%.17g -> %.17g)", value, v);
			goto done;
		}
		value = v;
	}
	imp->capped = imp->n_rounds >= MAX_ROUNDS;
	/* sites that add nothing (their compounds are covered by others) are dropped */
	for (size_t p = *n; p-- > 0;) {
		recount(&s, chosen, *n);
		if (s.loss[p] == 0) {
			remove_position(chosen, n, p);
			imp->n_drops++;
		}
	}
	imp->after = recount(&s, chosen, *n);
done:
	free(extra);
	free(x.gain0);
	free(x.g);
	free(x.pos);
	free(x.freed);
	free(x.list);
	free(s.inv_first);
	free(s.inv_cand);
	free(s.cmark);
	state_finish(&s);
	return ok;
}

/* ---- set covering ---- */

#define MAX_OUT 4   /* r-for-(r-1) replacements for r = 2 .. MAX_OUT */

/* Candidates (not chosen), at most depth, covering all of u[0..nu): depth-first, branching
 * on the compound with the fewest covering candidates (the first such in u), candidates
 * in increasing index; the first cover found is returned in picks. buf: scratch for
 * depth lists of n_compounds entries. */
static bool cover_dfs(struct state *s, const uint32_t *u, size_t nu, size_t depth, uint32_t *picks,
		      size_t *n_picks, uint32_t *buf)
{
	const struct ws_cover_sets *sets = s->sets;
	if (nu == 0)
		return true;
	if (depth == 0 || s->work > WS_IMPROVE_PAIR_WORK)
		return false;
	uint32_t c0 = u[0];
	for (size_t i = 1; i < nu; i++)
		if (s->inv_first[u[i] + 1] - s->inv_first[u[i]] < s->inv_first[c0 + 1] - s->inv_first[c0])
			c0 = u[i];
	uint32_t *rest = buf;
	for (size_t t = s->inv_first[c0]; t < s->inv_first[c0 + 1]; t++) {
		uint32_t j = s->inv_cand[t];
		if (s->in[j])
			continue;
		uint32_t st = next_stamp(s);
		for (size_t v = sets->first[j]; v < sets->first[j + 1]; v++)
			s->mark[sets->compound[v]] = st;
		size_t nr = 0;
		for (size_t i = 0; i < nu; i++)
			if (s->mark[u[i]] != st)
				rest[nr++] = u[i];
		s->work += nu + sets->first[j + 1] - sets->first[j];
		picks[*n_picks] = j;
		(*n_picks)++;
		if (cover_dfs(s, rest, nr, depth - 1, picks, n_picks, buf + sets->n_compounds))
			return true;
		(*n_picks)--;
	}
	return false;
}

/* adj[p * n + q]: some unchosen candidate covers a compound of site p and one of site q */
static bool build_adjacency(struct state *s, const uint32_t *chosen, size_t n, bool *adj, uint32_t *pos_mark,
			    uint32_t *touch, struct ws_error *err)
{
	const struct ws_cover_sets *sets = s->sets;
	size_t nk = sets->n_compounds;
	size_t *cf = calloc(nk + 2, sizeof *cf);
	uint32_t *cp = NULL;
	if (!cf)
		return ws_error_nomem(err);
	for (size_t p = 0; p < n; p++)
		for (size_t t = sets->first[chosen[p]]; t < sets->first[chosen[p] + 1]; t++)
			cf[sets->compound[t] + 2]++;
	for (size_t c = 0; c < nk; c++)
		cf[c + 2] += cf[c + 1];
	if (!(cp = malloc((cf[nk + 1] + 1) * sizeof *cp))) {
		free(cf);
		return ws_error_nomem(err);
	}
	for (size_t p = 0; p < n; p++)
		for (size_t t = sets->first[chosen[p]]; t < sets->first[chosen[p] + 1]; t++)
			cp[cf[sets->compound[t] + 1]++] = (uint32_t)p;
	memset(adj, 0, n * n * sizeof *adj);
	memset(pos_mark, 0, (n + 1) * sizeof *pos_mark);
	for (size_t j = 0; j < sets->n_candidates; j++) {
		if (s->in[j])
			continue;
		size_t m = 0;
		for (size_t t = sets->first[j]; t < sets->first[j + 1]; t++)
			for (size_t v = cf[sets->compound[t]]; v < cf[sets->compound[t] + 1]; v++)
				if (pos_mark[cp[v]] != j + 1) {
					pos_mark[cp[v]] = (uint32_t)j + 1;
					touch[m++] = cp[v];
				}
		for (size_t a = 0; a < m; a++)
			for (size_t b = 0; b < m; b++)
				adj[touch[a] * n + touch[b]] = true;
	}
	free(cf);
	free(cp);
	return true;
}

static bool connected(const bool *adj, size_t n, const size_t *q, size_t r)
{
	bool seen[MAX_OUT] = {true};
	size_t stack[MAX_OUT] = {0}, top = 1, n_seen = 1;
	while (top) {
		size_t a = stack[--top];
		for (size_t b = 0; b < r; b++)
			if (!seen[b] && adj[q[a] * n + q[b]]) {
				seen[b] = true;
				stack[top++] = b;
				n_seen++;
			}
	}
	return n_seen == r;
}

/* The first r-for-(r-1) replacement: connected sets of r positions in lexicographic
 * order, each tried with cover_dfs. *exhausted: the work bound was reached. */
static bool replace_some(struct state *s, const uint32_t *chosen, size_t n, size_t r, const bool *adj,
			 uint32_t *freed, uint32_t *buf, size_t *q, uint32_t *picks, size_t *n_picks,
			 bool *exhausted)
{
	*exhausted = false;
	if (r > n)
		return false;
	for (size_t i = 0; i < r; i++)
		q[i] = i;
	for (;;) {
		if (connected(adj, n, q, r)) {
			if (s->work > WS_IMPROVE_PAIR_WORK) {
				*exhausted = true;
				return false;
			}
			uint32_t out[MAX_OUT];
			for (size_t i = 0; i < r; i++)
				out[i] = chosen[q[i]];
			size_t nf = remove_sites(s, out, r, freed);
			*n_picks = 0;
			bool found = cover_dfs(s, freed, nf, r - 1, picks, n_picks, buf);
			restore_counts(s, out, r);
			if (found)
				return true;
		}
		size_t i = r;
		while (i-- > 0 && q[i] == n - r + i)
			;
		if (i == SIZE_MAX)
			return false;
		q[i]++;
		for (size_t t = i + 1; t < r; t++)
			q[t] = q[t - 1] + 1;
	}
}

bool ws_siting_improve_set_cover(uint32_t *chosen, size_t *n, const struct ws_cover_sets *sets,
				 struct ws_siting_improvement *imp, struct ws_error *err)
{
	memset(imp, 0, sizeof *imp);
	imp->before = (double)*n;
	size_t n0 = *n, nk = sets->n_compounds;
	struct state s;
	uint32_t *freed = NULL, *buf = NULL, *pos_mark = NULL, *touch = NULL;
	bool *adj = NULL;
	bool ok = state_init(&s, sets, NULL, n0, err) && build_inverse(&s, err);
	if (ok) {
		freed = malloc((nk + 1) * sizeof *freed);
		buf = malloc((MAX_OUT * nk + 1) * sizeof *buf);
		pos_mark = malloc((n0 + 1) * sizeof *pos_mark);
		touch = malloc((n0 + 1) * sizeof *touch);
		adj = malloc((n0 * n0 + 1) * sizeof *adj);
		if (!freed || !buf || !pos_mark || !touch || !adj)
			ok = ws_error_nomem(err);
	}
	if (!ok)
		goto done;
	bool complete = true;
	while (imp->n_rounds < MAX_ROUNDS) {
		imp->n_rounds++;
		recount(&s, chosen, *n);
		bool dropped = false;
		for (size_t p = *n; p-- > 0;)
			if (s.loss[p] == 0) {
				remove_position(chosen, n, p);
				recount(&s, chosen, *n);
				imp->n_drops++;
				dropped = true;
			}
		if (dropped)
			continue;
		if (!(ok = build_adjacency(&s, chosen, *n, adj, pos_mark, touch, err)))
			goto done;
		size_t q[MAX_OUT], n_picks = 0, r;
		uint32_t picks[MAX_OUT];
		bool found = false, exhausted = false;
		for (r = 2; r <= MAX_OUT && !found && !exhausted; r++)
			found = replace_some(&s, chosen, *n, r, adj, freed, buf, q, picks, &n_picks, &exhausted);
		if (!found) {
			complete = !exhausted;
			break;
		}
		r--;
		/* the r sites at q (increasing) leave; the n_picks < r picks take the first places */
		for (size_t i = 0; i < n_picks; i++)
			chosen[q[i]] = picks[i];
		for (size_t i = r; i-- > n_picks;)
			remove_position(chosen, n, q[i]);
		if (r == 2)
			imp->n_pair_swaps++;
		else
			imp->n_triple_swaps++;
	}
	imp->pairs_tried = complete;
	imp->capped = imp->n_rounds >= MAX_ROUNDS;
	imp->after = (double)*n;
done:
	free(freed);
	free(buf);
	free(pos_mark);
	free(touch);
	free(adj);
	free(s.inv_first);
	free(s.inv_cand);
	free(s.cmark);
	state_finish(&s);
	return ok;
}
