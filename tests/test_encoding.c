/* Code page names and decoding. Expected bytes are hard-coded from the code page tables
 * (GBK 华 = BB AA, Latin-1 é = E9, CP1252 € = 80) so the decoder is not checked against
 * itself; iconv in the test only produces extra inputs. */
#include "tap.h"

#include <iconv.h>
#include <stdlib.h>

#include "io/encoding.h"

static void check_name(const char *cpg, const char *want)
{
	const char *got = ws_encoding_iconv_name(cpg);
	if (want)
		is_str(got, want, "cpg \"%s\" -> %s", cpg, want);
	else
		ok(got == NULL, "cpg \"%s\" is unknown", cpg);
}

/* Encodes UTF-8 text into `to` with the system iconv; caller frees. */
static char *encode(const char *to, const char *utf8, size_t *len)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t in_left = strlen(utf8), out_left = 4 * in_left + 8;
	char *out = malloc(out_left), *dst = out, *src = (char *)utf8;
	if (out && iconv(cd, &src, &in_left, &dst, &out_left) == (size_t)-1) {
		free(out);
		out = NULL;
	}
	iconv_close(cd);
	if (out)
		*len = (size_t)(dst - out);
	return out;
}

/* Decodes and compares; `want` NULL means decoding must fail with WS_ERR_FORMAT and a
 * message holding `msg_part`. */
static void check_decode(const char *code_page, const char *in, size_t len, const char *want,
			 const char *msg_part, const char *label)
{
	struct ws_error err = { 0 };
	struct ws_decoder *dec = ws_decoder_create(code_page, &err);
	if (!ok(dec != NULL, "%s: decoder for %s", label, code_page)) {
		diag("%s", err.msg);
		return;
	}
	char *got = ws_decoder_decode(dec, in, len, &err);
	if (want) {
		is_str(got, want, "%s: decoded", label);
	} else {
		ok(got == NULL && err.code == WS_ERR_FORMAT, "%s: rejected", label);
		if (!ok(strstr(err.msg, msg_part) != NULL, "%s: message names \"%s\"", label,
			msg_part))
			diag("message: %s", err.msg);
	}
	free(got);
	ws_decoder_destroy(dec);
}

int main(void)
{
	check_name("UTF-8", "UTF-8");
	check_name("utf8", "UTF-8");
	check_name("65001", "UTF-8");
	is_str(ws_encoding_iconv_name(" UTF-8\r\n"), "UTF-8", "cpg with blanks and CRLF");
	check_name("GBK", "GB18030");
	check_name("cp936", "GB18030");
	check_name("936", "GB18030");
	check_name("GB2312", "GB18030");
	check_name("GB18030", "GB18030");
	check_name("ISO-8859-1", "ISO-8859-1");
	check_name("88591", "ISO-8859-1");
	check_name("ISO 88591", "ISO-8859-1");
	check_name("latin1", "ISO-8859-1");
	check_name("1252", "CP1252");
	check_name("ANSI 1252", "CP1252");
	check_name("CP1252", "CP1252");
	check_name("1251", "CP1251");
	check_name("BIG5", "CP950");
	check_name("950", "CP950");
	check_name("SHIFT_JIS", "CP932");
	check_name("932", "CP932");
	check_name("EUC-KR", "CP949");
	check_name("949", "CP949");
	check_name("LDID/77", "GB18030");
	check_name("KLINGON", NULL);
	check_name("", NULL);
	check_name("   ", NULL);
	check_name(NULL, NULL);
	check_name("UTF-8 but with a very long tail that no code page has", NULL);

	/* every mapped name must be one this iconv really has */
	static const char *const all[] = { "UTF-8", "GBK", "ISO-8859-1", "1250", "1251", "1252",
					   "1253", "1254", "BIG5", "SJIS", "EUCKR", "437", "850",
					   "866", "KOI8-R", "ISO-8859-2", "ISO-8859-5", "ISO-8859-7",
					   "ISO-8859-9", "ISO-8859-15" };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		struct ws_error err = { 0 };
		struct ws_decoder *dec = ws_decoder_create(ws_encoding_iconv_name(all[i]), &err);
		ok(dec != NULL, "iconv opens the name mapped from %s", all[i]);
		ws_decoder_destroy(dec);
	}

	const char gbk_name[] = "\xbb\xaa\xc7\xc8\xc2\xb7\xd0\xa1\xc7\xf8";
	check_decode("GB18030", gbk_name, sizeof gbk_name - 1, "华侨路小区", NULL,
		     "GBK bytes of 华侨路小区");
	size_t len = 0;
	char *bytes = encode("GBK", "长发中心D座 科巷新寓", &len);
	ok(bytes != NULL, "system iconv encodes GBK");
	if (bytes)
		check_decode("GB18030", bytes, len, "长发中心D座 科巷新寓", NULL, "GBK round trip");
	free(bytes);
	/* a character outside GBK: why the GBK family decodes as GB18030 */
	check_decode("GB18030", "\x95\x35\xdb\x34", 4, "𡈼", NULL, "GB18030 four-byte char");
	ok(encode("GBK", "𡈼", &len) == NULL, "that character has no GBK encoding");
	check_decode("GB18030", "\xbb\xaa\xc7", 3, NULL, "byte 2", "GBK cut mid-character");
	check_decode("GB18030", "ab\xff\xff", 4, NULL, "byte 2", "invalid GB18030");

	check_decode("ISO-8859-1", "S\xe9", 2, "Sé", NULL, "Latin-1 é");
	check_decode("CP1252", "\x80 5", 3, "€ 5", NULL, "CP1252 euro sign");
	check_decode("CP1251", "\xcc\xee\xf1\xea\xe2\xe0", 6, "Москва", NULL, "CP1251 Москва");
	bytes = encode("BIG5", "臺北", &len);
	if (ok(bytes != NULL, "system iconv encodes Big5"))
		check_decode("CP950", bytes, len, "臺北", NULL, "Big5 臺北");
	free(bytes);
	check_decode("CP932", "\x93\x8c\x8b\x9e", 4, "東京", NULL, "Shift_JIS 東京");
	check_decode("CP949", "\xbc\xad\xbf\xef", 4, "서울", NULL, "EUC-KR 서울");

	check_decode("UTF-8", "plain", 5, "plain", NULL, "ASCII");
	check_decode("UTF-8", "", 0, "", NULL, "empty");
	check_decode("UTF-8", "na\xc3\xafve", 6, "naïve", NULL, "valid UTF-8");
	check_decode("UTF-8", "\xc0\x80", 2, NULL, "byte 0", "overlong NUL");
	check_decode("UTF-8", "ab\xff", 3, NULL, "byte 2", "0xFF");
	check_decode("UTF-8", "\xed\xa0\x80", 3, NULL, "UTF-8", "UTF-16 surrogate");
	check_decode("UTF-8", "x\xe5\x8d", 3, NULL, "byte 1", "cut UTF-8 sequence");
	check_decode("UTF-8", "a\0b", 3, NULL, "NUL", "embedded NUL");

	struct ws_error err = { 0 };
	ok(ws_decoder_create("NO-SUCH-CODEPAGE", &err) == NULL && err.code == WS_ERR_FORMAT,
	   "unknown iconv name refused");
	ok(strstr(err.msg, "NO-SUCH-CODEPAGE") != NULL, "message names it");
	ws_decoder_destroy(NULL);
	ok(true, "ws_decoder_destroy(NULL) is a no-op");
	return done();
}
