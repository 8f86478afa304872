/* ws_decoder_keeps, the pass-through that lets the layer reader copy DBF text without
 * iconv. Each expectation is decided from RFC 3629 by hand (the table below says why);
 * whenever a value is kept, decoding it must give the same bytes, and whenever decoding
 * fails, it must not be kept. */
#include "tap.h"

#include <stdlib.h>

#include "io/encoding.h"

struct sample {
	const char *bytes;
	size_t len;
	bool keep_utf8, keep_gbk;
	const char *why;
};

static const struct sample samples[] = {
	{"Rua de Cedofeita", 16, true, true, "ASCII"},
	{"", 0, true, true, "empty"},
	{"Cl\xc3\xadnica", 8, true, false, "2-byte U+00ED"},
	{"\xe5\x8d\x8e\xe4\xbe\xa8", 6, true, false, "3-byte CJK (华侨)"},
	{"\xf0\x9f\x8f\xa0", 4, true, false, "4-byte U+1F3E0"},
	{"\xef\xbb\xbf" "A", 4, true, false, "BOM then A: iconv keeps the BOM"},
	{"\xef\xbf\xbe", 3, true, false, "U+FFFE, a noncharacter but well-formed"},
	{"\xf4\x8f\xbf\xbf", 4, true, false, "U+10FFFF, the last code point"},
	{"\xc0\xaf", 2, false, false, "overlong '/'"},
	{"\xe0\x80\xaf", 3, false, false, "overlong 3-byte"},
	{"\xed\xa0\x80", 3, false, false, "surrogate U+D800"},
	{"\xf4\x90\x80\x80", 4, false, false, "U+110000, beyond Unicode (left to iconv)"},
	{"\xe4\xb8", 2, false, false, "truncated 3-byte"},
	{"\x80", 1, false, false, "lone continuation byte"},
	{"a\0b", 3, false, false, "NUL inside"},
	{"\xbb\xaa", 2, false, false, "GBK 华 (not UTF-8)"},
};

static void check(struct ws_decoder *dec, const char *name, bool utf8)
{
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		const struct sample *s = &samples[i];
		bool want = utf8 ? s->keep_utf8 : s->keep_gbk;
		bool got = ws_decoder_keeps(dec, s->bytes, s->len);
		is_int(got, want, "%s: %s %s", name, s->why, want ? "kept" : "converted");
		struct ws_error err = {0};
		char *out = ws_decoder_decode(dec, s->bytes, s->len, &err);
		if (got)
			ok(out && strlen(out) == s->len && memcmp(out, s->bytes, s->len) == 0,
			   "%s: %s decodes to itself", name, s->why);
		else if (!out)
			ok(err.code == WS_ERR_FORMAT, "%s: %s is an error for the decoder too", name, s->why);
		free(out);
	}
}

int main(void)
{
	struct ws_error err = {0};
	struct ws_decoder *utf8 = ws_decoder_create("UTF-8", &err);
	struct ws_decoder *gbk = ws_decoder_create("GB18030", &err);
	if (!ok(utf8 && gbk, "decoders for UTF-8 and GB18030"))
		return done();
	check(utf8, "UTF-8", true);
	check(gbk, "GB18030", false);
	ws_decoder_destroy(utf8);
	ws_decoder_destroy(gbk);
	return done();
}
