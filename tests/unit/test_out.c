/* util/out: escaping of outside bytes, and JSON that always parses. */
#include <string.h>

#include "util/out.h"
#include "tap.h"

int main(void)
{
	struct ry_buf b;

	ry_buf_init(&b);
	ry_buf_escape(&b, "a\\b\n\x1b[31m\x00\xff", 11);
	is_str(b.p, "a\\\\b\\x0a\\x1b[31m\\x00\\xff", "escape: backslash, newline, ESC, NUL, 0xff");
	ok(!memchr(b.p, '\n', b.len) && !memchr(b.p, 0x1b, b.len), "escape: no newline or ESC survives");

	ry_buf_reset(&b);
	ry_json_begin(&b);
	ry_json_cstr(&b, "s", "q\"b\\n\n\t\x01");
	ry_json_int(&b, "i", -5);
	ry_json_bool(&b, "t", 1);
	ry_json_null(&b, "z");
	ry_json_end(&b);
	is_str(b.p, "{\"s\":\"q\\\"b\\\\n\\n\\t\\u0001\",\"i\":-5,\"t\":true,\"z\":null}",
	       "json: quotes, backslash, control characters, types");

	ry_buf_reset(&b);
	ry_json_begin(&b);
	ry_json_str(&b, "u", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9);
	ry_json_end(&b);
	is_str(b.p, "{\"u\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}", "json: valid UTF-8 passes through");

	ry_buf_reset(&b);
	ry_json_begin(&b);
	ry_json_str(&b, "x", "\xff\xc3(\xed\xa0\x80\xc0\xaf", 8);
	ry_json_end(&b);
	is_str(b.p, "{\"x\":\"\\u00ff\\u00c3(\\u00ed\\u00a0\\u0080\\u00c0\\u00af\"}",
	       "json: invalid UTF-8, surrogates and overlongs become \\u00NN");

	/* Runs of plain bytes between escapes, NUL, CR and DEL, and a
	 * truncated sequence at the very end. */
	ry_buf_reset(&b);
	ry_json_begin(&b);
	ry_json_str(&b, "r", "ab\0cd\r\x7f\xc3\xa9" "ef\xe2\x82", 13);
	ry_json_end(&b);
	is_str(b.p, "{\"r\":\"ab\\u0000cd\\r\\u007f\xc3\xa9" "ef\\u00e2\\u0082\"}",
	       "json: runs around NUL, CR, DEL and a cut-off sequence");
	ry_buf_destroy(&b);

	/* Valid UTF-8 that steers a terminal is escaped all the same: C1
	 * CSI (U+009B), NEL (U+0085), RLO (U+202E), an isolate (U+2066). */
	ry_buf_init(&b);
	ry_json_begin(&b);
	ry_json_str(&b, "c", "a\xc2\x9b" "31m\xc2\x85\xe2\x80\xae" "b\xe2\x81\xa6\xc2\xa0", 17);
	ry_json_end(&b);
	is_str(b.p, "{\"c\":\"a\\u009b31m\\u0085\\u202eb\\u2066\xc2\xa0\"}",
	       "json: C1 controls and bidi overrides as \\uXXXX; a plain U+00A0 passes");
	ry_buf_reset(&b);
	ry_json_begin(&b);
	ry_json_str(&b, "u", "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\x8f\xd8\x9c\xe2\x80\x8b\xef\xbb\xbf\xc3\xa9", 19);
	ry_json_end(&b);
	is_str(b.p, "{\"u\":\"\\u2028\\u2029\\u200f\\u061c\\u200b\\ufeff\xc3\xa9\"}",
	       "json: U+2028/2029, RLM, ALM, ZWSP and BOM as \\uXXXX; é passes");
	ry_buf_destroy(&b);

	/* The record emitter: one set of calls, two forms. */
	struct ry_rec plain, json;
	ry_rec_init(&plain, false);
	ry_rec_init(&json, true);
	for (int k = 0; k < 2; k++) {
		struct ry_rec *r = k ? &json : &plain;
		ry_rec_begin(r);
		ry_rec_cstr(r, "address", "198.51.100.1", 0);
		ry_rec_bool(r, "alive", true, RY_REC_JSON);
		ry_rec_cstr(r, "state", "up", RY_REC_PLAIN);
		ry_rec_num(r, "rtt_ms", 0.25, 3, " ms", 0);
		ry_rec_str(r, "peer", "a\nb", 3, 0);
		ry_rec_null(r, "error");
		ry_rec_list_begin(r, "names", 0);
		ry_rec_list_add(r, "x");
		ry_rec_list_add(r, "y");
		ry_rec_list_end(r);
		ry_rec_int(r, "n", 7, RY_REC_JSON);
		if (r->json)
			ry_json_end(&r->b);	/* what ry_rec_put adds before writing */
	}
	is_str(plain.b.p, "198.51.100.1 up 0.250 ms a\\x0ab x y", "record, plain: fields by spaces, text escaped");
	is_str(json.b.p, "{\"address\":\"198.51.100.1\",\"alive\":true,\"rtt_ms\":0.250,\"peer\":\"a\\nb\","
	       "\"error\":null,\"names\":[\"x\",\"y\"],\"n\":7}", "record, JSON: the same fields typed");
	/* Presentation text keeps its own escapes; a list item may hold a NUL. */
	for (int k = 0; k < 2; k++) {
		struct ry_rec *r = k ? &json : &plain;
		ry_rec_begin(r);
		ry_rec_text(r, "ptr", "a\\032b\\\"c\x1b", 10, 0);
		ry_rec_list_begin(r, "text", 0);
		ry_rec_list_add_n(r, "x\0y", 3);
		ry_rec_list_end(r);
		if (r->json)
			ry_json_end(&r->b);
	}
	is_str(plain.b.p, "a\\032b\\\"c\\x1b x\\x00y", "ry_rec_text, plain: backslashes stand, a control byte is escaped");
	is_str(json.b.p, "{\"ptr\":\"a\\\\032b\\\\\\\"c\\u001b\",\"text\":[\"x\\u0000y\"]}",
	       "ry_rec_text and ry_rec_list_add_n, JSON: escaped as any string, the NUL kept");
	ry_rec_destroy(&plain);
	ry_rec_destroy(&json);
	is_int(ry_out_error(), 0, "no allocation failed");
	return done_testing();
}
