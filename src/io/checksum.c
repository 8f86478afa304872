/* File checksums, streamed in 64 KiB blocks. */
#include "checksum.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

bool ws_checksum_sha256_file(const char *path, char hex[65], struct ws_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ws_error_set(err, errno == ENOENT ? WS_ERR_NOINPUT : WS_ERR_IO, "%s: %s", path,
				    strerror(errno));
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		fclose(f);
		return ws_error_set(err, WS_ERR_INTERNAL, "sha256 unavailable");
	}
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	bool read_ok = !ferror(f);
	fclose(f);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_DigestFinal_ex(ctx, md, &md_len);
	EVP_MD_CTX_free(ctx);
	if (!read_ok)
		return ws_error_set(err, WS_ERR_IO, "%s: read error", path);
	for (unsigned i = 0; i < md_len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	return true;
}
