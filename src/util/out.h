/*
 * out: building result lines, plain and JSON Lines.
 *
 * A ry_buf is a growable byte buffer owned by its caller (init/destroy).
 * Helpers append text, escaped bytes from outside (ry_buf_escape: \\,
 * \xNN for anything not printable ASCII, so no peer can forge a line or a
 * terminal escape), and JSON values (ry_json_*: a JSON object built field
 * by field, strings escaped per RFC 8259, bytes that are not valid UTF-8
 * written as \u00NN of the byte so the output always parses).
 * ry_buf_put_line() writes the buffer plus a newline to stdout in one
 * stdio call, so lines from several threads never interleave.
 *
 * Thread safety: a buffer belongs to one thread; put_line from any thread.
 * Allocation failure prints a diagnostic and exits with status 2: a
 * result line that cannot be built has no useful fallback.
 */
#ifndef RY_UTIL_OUT_H
#define RY_UTIL_OUT_H

#include <stdbool.h>
#include <stddef.h>

struct ry_buf {
	char *p;
	size_t len, cap;
	bool json_first;	/* no field yet in the current object */
};

void ry_buf_init(struct ry_buf *b);
void ry_buf_destroy(struct ry_buf *b);
void ry_buf_reset(struct ry_buf *b);
void ry_buf_add(struct ry_buf *b, const void *p, size_t n);
void ry_buf_addf(struct ry_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ry_buf_escape(struct ry_buf *b, const void *p, size_t n);

/* The escaping of one byte, as ry_buf_escape does it: writes 1, 2 or 4
 * characters to o and returns how many. */
static inline size_t ry_escape_byte(unsigned char c, char *o)
{
	static const char hex[] = "0123456789abcdef";

	if (c == '\\') {
		o[0] = o[1] = '\\';
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		o[0] = (char)c;
		return 1;
	}
	o[0] = '\\';
	o[1] = 'x';
	o[2] = hex[c >> 4];
	o[3] = hex[c & 15];
	return 4;
}

void ry_json_begin(struct ry_buf *b);
void ry_json_end(struct ry_buf *b);
void ry_json_str(struct ry_buf *b, const char *key, const void *s, size_t n);
void ry_json_cstr(struct ry_buf *b, const char *key, const char *s);
void ry_json_int(struct ry_buf *b, const char *key, long long v);
void ry_json_bool(struct ry_buf *b, const char *key, bool v);
void ry_json_null(struct ry_buf *b, const char *key);

/* An array of strings as one field: begin, one add per element, end. */
void ry_json_array_begin(struct ry_buf *b, const char *key);
void ry_json_array_add(struct ry_buf *b, const char *s);
void ry_json_array_end(struct ry_buf *b);

/* Writes the buffer and a newline to stdout as one line. */
void ry_buf_put_line(const struct ry_buf *b);

#endif
