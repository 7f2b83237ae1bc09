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
	return done_testing();
}
