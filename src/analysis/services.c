/* The catalogue is built in two passes: collect (center, service name) pairs, sort the
 * distinct names, then fill the per-center CSR with sorted unique indices. */
#include "services.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pair {
	uint32_t center;
	char *service;   /* borrowed from the names collected */
};

void ws_catalogue_finish(struct ws_catalogue *cat)
{
	if (!cat)
		return;
	for (size_t i = 0; i < cat->n_services; i++)
		free(cat->service[i]);
	free(cat->service);
	free(cat->center_first);
	free(cat->center_service);
	memset(cat, 0, sizeof *cat);
}

bool ws_services_split(const char *list, char ***items, size_t *n, struct ws_error *err)
{
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ";,|");
		const char *s = p, *e = p + len;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s) {
			char **grown = realloc(*items, (*n + 1) * sizeof **items);
			if (!grown)
				return ws_error_nomem(err);
			*items = grown;
			if (!(grown[*n] = strndup(s, (size_t)(e - s))))
				return ws_error_nomem(err);
			(*n)++;
		}
		p += len;
		if (*p)
			p++;
	}
	return true;
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int ws_catalogue_find(const struct ws_catalogue *cat, const char *service)
{
	if (!cat->n_services)
		return -1;
	char **hit = bsearch(&service, cat->service, cat->n_services, sizeof *cat->service, compare_str);
	return hit ? (int)(hit - cat->service) : -1;
}

int ws_catalogue_find_other_case(const struct ws_catalogue *cat, const char *service)
{
	for (size_t k = 0; k < cat->n_services; k++)
		if (strcasecmp(cat->service[k], service) == 0 && strcmp(cat->service[k], service) != 0)
			return (int)k;
	return -1;
}

bool ws_catalogue_offers(const struct ws_catalogue *cat, size_t s, size_t k)
{
	for (size_t i = cat->center_first[s]; i < cat->center_first[s + 1]; i++)
		if (cat->center_service[i] == k)
			return true;
	return false;
}

/* names: n_pairs owned strings (moved into the catalogue or freed). */
static bool build(struct ws_catalogue *cat, size_t n_centers, struct pair *pairs, size_t n_pairs,
		  struct ws_error *err)
{
	memset(cat, 0, sizeof *cat);
	cat->n_centers = n_centers;
	cat->center_first = calloc(n_centers + 1, sizeof *cat->center_first);
	cat->service = malloc((n_pairs + 1) * sizeof *cat->service);
	cat->center_service = malloc((n_pairs + 1) * sizeof *cat->center_service);
	if (!cat->center_first || !cat->service || !cat->center_service) {
		for (size_t i = 0; i < n_pairs; i++)
			free(pairs[i].service);
		free(cat->service);
		cat->service = NULL;
		ws_catalogue_finish(cat);
		return ws_error_nomem(err);
	}
	for (size_t i = 0; i < n_pairs; i++)
		cat->service[i] = pairs[i].service;
	qsort(cat->service, n_pairs, sizeof *cat->service, compare_str);
	size_t n = 0;
	for (size_t i = 0; i < n_pairs; i++)
		if (n == 0 || strcmp(cat->service[n - 1], cat->service[i]))
			cat->service[n++] = cat->service[i];
	cat->n_services = n;
	/* one copy per distinct name is kept; the other copies are freed below */
	for (size_t i = 0; i < n_pairs; i++) {
		int k = ws_catalogue_find(cat, pairs[i].service);
		cat->center_service[i] = (uint32_t)k;
		cat->center_first[pairs[i].center + 1]++;
	}
	for (size_t i = 0; i < n_pairs; i++)
		if (cat->service[cat->center_service[i]] != pairs[i].service)
			free(pairs[i].service);
	/* CSR by center (counts, then offsets) */
	for (size_t s = 0; s < n_centers; s++)
		cat->center_first[s + 1] += cat->center_first[s];
	uint32_t *tmp = malloc((n_pairs + 1) * sizeof *tmp);
	size_t *fill = calloc(n_centers + 1, sizeof *fill);
	if (!tmp || !fill) {
		free(tmp);
		free(fill);
		ws_catalogue_finish(cat);
		return ws_error_nomem(err);
	}
	for (size_t i = 0; i < n_pairs; i++) {
		uint32_t s = pairs[i].center;
		tmp[cat->center_first[s] + fill[s]++] = cat->center_service[i];
	}
	/* sort and deduplicate each center's services, compacting the CSR */
	size_t out = 0;
	for (size_t s = 0; s < n_centers; s++) {
		size_t a = cat->center_first[s], b = cat->center_first[s + 1];
		qsort(tmp + a, b - a, sizeof *tmp, compare_u32);
		cat->center_first[s] = out;
		for (size_t i = a; i < b; i++)
			if (i == a || tmp[i] != tmp[i - 1])
				cat->center_service[out++] = tmp[i];
	}
	cat->center_first[n_centers] = out;
	free(tmp);
	free(fill);
	return true;
}

bool ws_catalogue_from_lists(struct ws_catalogue *cat, const char *const *lists, size_t n_centers,
			     struct ws_error *err)
{
	struct pair *pairs = NULL;
	size_t n_pairs = 0;
	char **items = NULL;
	size_t n_items = 0;
	bool ok = true;
	for (size_t s = 0; ok && s < n_centers; s++) {
		n_items = 0;
		ok = ws_services_split(lists[s], &items, &n_items, err);
		struct pair *grown = ok ? realloc(pairs, (n_pairs + n_items + 1) * sizeof *pairs) : NULL;
		if (ok && !grown)
			ok = ws_error_nomem(err);
		if (!ok) {
			for (size_t i = 0; i < n_items; i++)
				free(items[i]);
			break;
		}
		pairs = grown;
		for (size_t i = 0; i < n_items; i++)
			pairs[n_pairs++] = (struct pair){(uint32_t)s, items[i]};
	}
	free(items);
	if (ok)
		ok = build(cat, n_centers, pairs, n_pairs, err);
	else
		for (size_t i = 0; i < n_pairs; i++)
			free(pairs[i].service);
	free(pairs);
	return ok;
}

struct id_index {
	const char *id;
	uint32_t center;
};

static int compare_id(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->center < y->center ? -1 : x->center > y->center);
}

static int compare_pair_center(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	return x->center < y->center ? -1 : x->center > y->center;
}

bool ws_catalogue_from_pairs(struct ws_catalogue *cat, char *const *center_id, size_t n_centers,
			     const char *const *pair_center, const char *const *pair_service,
			     const size_t *pair_line, size_t n_pairs, const char *what,
			     struct ws_error *err)
{
	struct id_index *idx = malloc((n_centers + 1) * sizeof *idx);
	struct pair *pairs = NULL;
	size_t n_out = 0, cap = 0;
	bool ok = idx != NULL || ws_error_nomem(err);
	for (size_t s = 0; ok && s < n_centers; s++)
		idx[s] = (struct id_index){center_id[s], (uint32_t)s};
	if (ok)
		qsort(idx, n_centers, sizeof *idx, compare_id);
	for (size_t i = 0; ok && i < n_pairs; i++) {
		/* first index entry with this id */
		size_t lo = 0, hi = n_centers;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(idx[mid].id, pair_center[i]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == n_centers || strcmp(idx[lo].id, pair_center[i])) {
			ok = ws_error_set(err, WS_ERR_FORMAT, "%s: line %zu: no center has id \"%s\"", what,
					  pair_line[i], pair_center[i]);
			break;
		}
		for (size_t j = lo; ok && j < n_centers && !strcmp(idx[j].id, pair_center[i]); j++) {
			if (n_out == cap) {
				cap = cap ? 2 * cap : 64;
				struct pair *grown = realloc(pairs, cap * sizeof *pairs);
				if (!grown) {
					ok = ws_error_nomem(err);
					break;
				}
				pairs = grown;
			}
			char *name = strdup(pair_service[i]);
			if (!name) {
				ok = ws_error_nomem(err);
				break;
			}
			pairs[n_out++] = (struct pair){idx[j].center, name};
		}
	}
	free(idx);
	if (ok) {
		/* qsort is not stable, but build() sorts each center's services anyway */
		if (n_out)
			qsort(pairs, n_out, sizeof *pairs, compare_pair_center);
		ok = build(cat, n_centers, pairs, n_out, err);
	} else {
		for (size_t i = 0; i < n_out; i++)
			free(pairs[i].service);
	}
	free(pairs);
	return ok;
}
