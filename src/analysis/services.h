/* Service catalogue: which services each center offers. Built either from each center's
 * delimited list (a DBF field, separators ';' ',' '|') or from (center id, service)
 * pairs (a catalogue CSV). Service names are UTF-8 compared byte for byte after trimming
 * blanks, so Chinese names work as given; the catalogue lists them in byte order.
 * Algorithms only: the CSV is read by io/catalogue.h. */
#ifndef WS_SERVICES_H
#define WS_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct ws_catalogue {
	size_t n_services;
	char **service;            /* owned, sorted by strcmp, unique */
	size_t n_centers;
	size_t *center_first;      /* n_centers + 1 offsets into center_service */
	uint32_t *center_service;  /* per center: its services, increasing, unique */
};

/* From each center's list ("" = offers nothing). */
bool ws_catalogue_from_lists(struct ws_catalogue *cat, const char *const *lists, size_t n_centers,
			     struct ws_error *err);
/* From pairs: pair_center[i] is a center id (matched against center_id, every center with
 * that id gets the service); an id no center has is an error naming `what` and
 * pair_line[i]. */
bool ws_catalogue_from_pairs(struct ws_catalogue *cat, char *const *center_id, size_t n_centers,
			     const char *const *pair_center, const char *const *pair_service,
			     const size_t *pair_line, size_t n_pairs, const char *what,
			     struct ws_error *err);
void ws_catalogue_finish(struct ws_catalogue *cat);

/* Index of `service`, -1 when no center offers it. */
int ws_catalogue_find(const struct ws_catalogue *cat, const char *service);
/* Index of the first catalogue service (byte order) equal to `service` when ASCII letter
 * case is ignored but not byte for byte, -1 when none: for the hint that names compare
 * exactly ("police" required, "Police" offered). */
int ws_catalogue_find_other_case(const struct ws_catalogue *cat, const char *service);
/* Whether center s offers service k. */
bool ws_catalogue_offers(const struct ws_catalogue *cat, size_t s, size_t k);

/* Splits a ';' ',' '|' separated list into trimmed non-empty items, appending copies to
 * *items (grown with realloc; *n counts them). Used for --require and the lists. */
bool ws_services_split(const char *list, char ***items, size_t *n, struct ws_error *err);

#endif
