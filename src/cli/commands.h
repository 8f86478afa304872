/* The walkshed subcommands. Each parses its own arguments, runs, prints its report, and
 * returns false with `err` set on failure; main.c alone prints the error and exits. */
#ifndef WS_COMMANDS_H
#define WS_COMMANDS_H

#include <stdbool.h>

#include "util/error.h"

bool ws_cmd_audit(int argc, char **argv, struct ws_error *err);
bool ws_cmd_site(int argc, char **argv, struct ws_error *err);
bool ws_cmd_scenario(int argc, char **argv, struct ws_error *err);

bool ws_cmd_check(int argc, char **argv, struct ws_error *err);

bool ws_cmd_isochrones(int argc, char **argv, struct ws_error *err);

#endif
