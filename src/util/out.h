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
 * A ry_rec is the one record emitter: a subcommand adds named, typed
 * fields and ry_rec_put writes them as a plain line (values separated
 * by one space, text escaped) or as one JSON object, so the two forms
 * of a result always hold the same fields.  A field may be for one form
 * only (RY_REC_JSON: a boolean a plain line says with a word instead).
 *
 * Thread safety: a buffer or record belongs to one thread; put from any
 * thread.  Allocation failure is sticky, as a stdio error is: the buffer
 * stops growing, the line is not written, and ry_out_error() reports
 * -ENOMEM, which main checks with stdout's own error before exiting.
 */
#ifndef RY_UTIL_OUT_H
#define RY_UTIL_OUT_H

#include <stdbool.h>
#include <stddef.h>

struct ry_buf {
	char *p;
	size_t len, cap;
	bool json_first;	/* no field yet in the current object */
	bool oom;		/* an allocation failed: the content is cut */
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

/* s as Rust's {:?} shows a str: in double quotes, with \" \\ \n \r \t
 * \0 escaped and other control characters as \u{N}; bytes that are not
 * UTF-8 as \xNN.  (The lessons print join results this way.) */
void ry_buf_debug_str(struct ry_buf *b, const char *s);

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
void ry_json_array_add_n(struct ry_buf *b, const void *s, size_t n);
void ry_json_array_end(struct ry_buf *b);

/* Writes the buffer and a newline to stdout as one line; a buffer whose
 * allocation failed is not written (see ry_out_error). */
void ry_buf_put_line(const struct ry_buf *b);

/* Flushes stdout, keeping the errno of a failed write: 0 or the first
 * error (as ry_out_error).  A reader that left (EPIPE) is not an error
 * to report, but it is returned. */
int ry_out_flush(void);

/* printf to stdout that keeps the errno of a failed write for
 * ry_out_error (errno is per thread: a lesson's threads print too). */
void ry_out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 0, or the first error writing results: -ENOMEM (a line could not be
 * built), -ENOSPC, -EIO, ... (stdout refused it; never -EPIPE).  Any
 * thread. */
int ry_out_error(void);

/* ---- records ---- */

#define RY_REC_JSON  1u		/* the field is in the JSON object only */
#define RY_REC_PLAIN 2u		/* the field is in the plain line only */

struct ry_rec {
	struct ry_buf b;
	bool json;
	bool any;		/* plain: a field was written (separator) */
	bool skip_list;		/* the open list is not in this form */
};

void ry_rec_init(struct ry_rec *r, bool json);
void ry_rec_destroy(struct ry_rec *r);
/* Starts a new record in r (what was there is dropped). */
void ry_rec_begin(struct ry_rec *r);
/* Text from anywhere (escaped in both forms). */
void ry_rec_str(struct ry_rec *r, const char *key, const void *s, size_t n, unsigned how);
/* Text in a presentation form whose escapes are its own (a DNS name or
 * TXT string as dig prints it: \" \\ \DDD): the plain line keeps its
 * printable ASCII as it is, backslashes included, and escapes any other
 * byte; JSON escapes it as any string. */
void ry_rec_text(struct ry_rec *r, const char *key, const void *s, size_t n, unsigned how);
/* Text the caller has checked to be printable UTF-8 with no control,
 * bidi or invisible characters (a name IDNA accepted): the plain line
 * writes it as it is; JSON escapes it as any string. */
void ry_rec_utf8(struct ry_rec *r, const char *key, const void *s, size_t n, unsigned how);
void ry_rec_cstr(struct ry_rec *r, const char *key, const char *s, unsigned how);
void ry_rec_int(struct ry_rec *r, const char *key, long long v, unsigned how);
/* A number with prec decimals; the plain form adds unit (" ms"). */
void ry_rec_num(struct ry_rec *r, const char *key, double v, int prec, const char *unit,
		unsigned how);
void ry_rec_bool(struct ry_rec *r, const char *key, bool v, unsigned how);
/* null in JSON; nothing in the plain line. */
void ry_rec_null(struct ry_rec *r, const char *key);
/* An array of strings: JSON ["a","b"]; plain, the elements separated
 * by spaces. */
void ry_rec_list_begin(struct ry_rec *r, const char *key, unsigned how);
void ry_rec_list_add(struct ry_rec *r, const char *s);
void ry_rec_list_add_n(struct ry_rec *r, const void *s, size_t n);
/* A number with prec decimals; null: JSON null, "-" in a plain line. */
void ry_rec_list_num(struct ry_rec *r, double v, int prec, bool null);
void ry_rec_list_end(struct ry_rec *r);
/* JSON only: a value already in JSON (json[0..n), the caller's, valid). */
void ry_rec_raw(struct ry_rec *r, const char *key, const char *json, size_t n);
/* Ends the record: r->b then holds the whole line, without a newline. */
void ry_rec_end(struct ry_rec *r);
/* Ends the record and writes it to stdout as one line. */
void ry_rec_put(struct ry_rec *r);

#endif
