/* SHA-256 of input files (OpenSSL's libcrypto), recorded in summary.json so that an
 * audit can be matched to the exact inputs it was run on. */
#ifndef WS_CHECKSUM_H
#define WS_CHECKSUM_H

#include <stdbool.h>

#include "util/error.h"

/* hex: 65 bytes (64 hex digits + NUL). */
bool ws_checksum_sha256_file(const char *path, char hex[65], struct ws_error *err);

#endif
