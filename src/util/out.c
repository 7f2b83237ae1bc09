#include "util/out.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <stdatomic.h>

static atomic_int out_error;

void ry_buf_init(struct ry_buf *b)
{
	memset(b, 0, sizeof *b);
}

void ry_buf_destroy(struct ry_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void ry_buf_reset(struct ry_buf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->p)
		b->p[0] = '\0';
}

/* Room for extra more bytes and a NUL: true, or false (and b->oom)
 * when memory ran out. */
static bool grow(struct ry_buf *b, size_t extra)
{
	if (b->oom)
		return false;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = cap >= need ? realloc(b->p, cap) : NULL;
	if (!p) {
		b->oom = true;
		atomic_store(&out_error, -ENOMEM);
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

int ry_out_error(void)
{
	return atomic_load(&out_error);
}

/* A write to stdout failed with err (> 0): keep the first, except EPIPE
 * (the reader left on purpose). */
static int note_write_error(int err)
{
	int none = 0;

	if (err == EPIPE)
		return -EPIPE;
	atomic_compare_exchange_strong(&out_error, &none, -(err ? err : EIO));
	return atomic_load(&out_error);
}

void ry_out_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	errno = 0;
	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	if (n < 0)
		(void)note_write_error(errno);
}

int ry_out_flush(void)
{
	/* A write that failed inside printf left its errno; nothing since
	 * may have changed it (the lessons print with plain printf). */
	int before = errno;

	errno = 0;
	if (fflush(stdout) != 0)
		return note_write_error(errno);
	if (ferror(stdout))
		return note_write_error(before);
	return ry_out_error();
}

void ry_buf_add(struct ry_buf *b, const void *p, size_t n)
{
	if (!grow(b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void ry_buf_addf(struct ry_buf *b, const char *fmt, ...)
{
	char small[128];
	va_list ap;
	int n;

	/* Most pieces are short: format once on the stack, again only when
	 * the piece is longer. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		ry_buf_add(b, small, (size_t)n);
		return;
	}
	if (!grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void ry_buf_escape(struct ry_buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;

	/* Worst case four bytes out per byte in; written directly, as this
	 * runs for every line serve prints. */
	if (n > SIZE_MAX / 4 - 1 || !grow(b, 4 * n))
		return;
	char *o = b->p + b->len;
	for (size_t i = 0; i < n; i++)
		o += ry_escape_byte(s[i], o);
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid;
 * *cp gets its code point. */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *out)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80) {
		*out = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*out = cp;
	return len;
}

/* Code points that pass UTF-8 validation but steer a terminal or hide
 * text: the C1 controls (U+0080-U+009F: CSI, OSC, ...) and the
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069).  JSON escapes them as \uXXXX: still valid, nothing
 * lost, nothing a viewer acts on. */
/* Code points a JSON string keeps as \uXXXX (valid either way, but a
 * reader's terminal or JavaScript would act on them): C1 controls, the
 * Arabic letter mark, zero-width spaces and joiners, left-to-right and
 * right-to-left marks, the line and paragraph separators (which end a
 * line in JavaScript), bidi embeddings, overrides and isolates, the word
 * joiner and invisible operators, and the byte order mark. */
static bool risky(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

static void json_string(struct ry_buf *b, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	size_t i = 0, run = 0;	/* s[run..i) is copied as it is */

	ry_buf_add(b, "\"", 1);
	while (i < n) {
		unsigned char c = s[i];
		size_t len;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		uint32_t cp;
		if (c >= 0x80 && (len = utf8_len(s + i, n - i, &cp)) != 0) {
			if (!risky(cp)) {
				i += len;
				continue;
			}
			char u[7];
			snprintf(u, sizeof u, "\\u%04x", (unsigned)cp);
			ry_buf_add(b, s + run, i - run);
			ry_buf_add(b, u, 6);
			i += len;
			run = i;
			continue;
		}
		char e[6] = { '\\', (char)c, '0', '0', 0, 0 };
		size_t elen = 2;
		switch (c) {
		case '"':
		case '\\':
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\t':
			e[1] = 't';
			break;
		case '\r':
			e[1] = 'r';
			break;
		default:
			/* Other control bytes, DEL, and bytes that are not
			 * UTF-8: \u00NN keeps the byte's value, valid JSON. */
			e[1] = 'u';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			elen = 6;
		}
		ry_buf_add(b, s + run, i - run);
		ry_buf_add(b, e, elen);
		run = ++i;
	}
	ry_buf_add(b, s + run, i - run);
	ry_buf_add(b, "\"", 1);
}

void ry_buf_debug_str(struct ry_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	ry_buf_add(b, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t len = utf8_len(s + i, n - i, &cp);
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\0': e = "\\0"; break;
		default: break;
		}
		if (e) {
			ry_buf_add(b, e, strlen(e));
		} else if (len == 0) {
			ry_buf_addf(b, "\\x%02x", c);
			len = 1;
		} else if (cp < 0x20 || cp == 0x7f || risky(cp)) {
			ry_buf_addf(b, "\\u{%x}", (unsigned)cp);
		} else {
			ry_buf_add(b, s + i, len);
		}
		i += len ? len : 1;
	}
	ry_buf_add(b, "\"", 1);
}

void ry_json_begin(struct ry_buf *b)
{
	ry_buf_add(b, "{", 1);
	b->json_first = true;
}

void ry_json_end(struct ry_buf *b)
{
	ry_buf_add(b, "}", 1);
}

static void key(struct ry_buf *b, const char *k)
{
	if (!b->json_first)
		ry_buf_add(b, ",", 1);
	b->json_first = false;
	json_string(b, k, strlen(k));
	ry_buf_add(b, ":", 1);
}

void ry_json_str(struct ry_buf *b, const char *k, const void *s, size_t n)
{
	key(b, k);
	json_string(b, s, n);
}

void ry_json_cstr(struct ry_buf *b, const char *k, const char *s)
{
	if (!s) {
		ry_json_null(b, k);
		return;
	}
	ry_json_str(b, k, s, strlen(s));
}

void ry_json_int(struct ry_buf *b, const char *k, long long v)
{
	key(b, k);
	ry_buf_addf(b, "%lld", v);
}

void ry_json_bool(struct ry_buf *b, const char *k, bool v)
{
	key(b, k);
	ry_buf_addf(b, "%s", v ? "true" : "false");
}

void ry_json_null(struct ry_buf *b, const char *k)
{
	key(b, k);
	ry_buf_add(b, "null", 4);
}

void ry_json_array_begin(struct ry_buf *b, const char *k)
{
	key(b, k);
	ry_buf_add(b, "[", 1);
	b->json_first = true;
}

void ry_json_array_add(struct ry_buf *b, const char *s)
{
	ry_json_array_add_n(b, s, strlen(s));
}

void ry_json_array_add_n(struct ry_buf *b, const void *s, size_t n)
{
	if (!b->json_first)
		ry_buf_add(b, ",", 1);
	b->json_first = false;
	json_string(b, s, n);
}

void ry_json_array_end(struct ry_buf *b)
{
	ry_buf_add(b, "]", 1);
	b->json_first = false;	/* the array was a field of the object */
}

void ry_buf_put_line(const struct ry_buf *b)
{
	if (b->oom)
		return;		/* ry_out_error says so */
	flockfile(stdout);
	errno = 0;
	if (fwrite_unlocked(b->p ? b->p : "", 1, b->len, stdout) != b->len ||
	    putc_unlocked('\n', stdout) == EOF)
		(void)note_write_error(errno);
	funlockfile(stdout);
}

/* ---- records ---- */

void ry_rec_init(struct ry_rec *r, bool json)
{
	ry_buf_init(&r->b);
	r->json = json;
	r->any = false;
}

void ry_rec_destroy(struct ry_rec *r)
{
	ry_buf_destroy(&r->b);
}

void ry_rec_begin(struct ry_rec *r)
{
	ry_buf_reset(&r->b);
	r->any = false;
	if (r->json)
		ry_json_begin(&r->b);
}

/* Whether the field is written in this record's form; in the plain form
 * it also writes the separator. */
static bool field(struct ry_rec *r, unsigned how)
{
	if (r->json)
		return !(how & RY_REC_PLAIN);
	if (how & RY_REC_JSON)
		return false;
	if (r->any)
		ry_buf_add(&r->b, " ", 1);
	r->any = true;
	return true;
}

void ry_rec_str(struct ry_rec *r, const char *k, const void *s, size_t n, unsigned how)
{
	if (!field(r, how))
		return;
	if (r->json)
		ry_json_str(&r->b, k, s, n);
	else
		ry_buf_escape(&r->b, s, n);
}

void ry_rec_text(struct ry_rec *r, const char *k, const void *s, size_t n, unsigned how)
{
	const unsigned char *p = s;

	if (!field(r, how))
		return;
	if (r->json) {
		ry_json_str(&r->b, k, s, n);
		return;
	}
	/* Printable ASCII as it is, backslashes included: the text's own
	 * escapes stand; anything else is escaped as ry_buf_escape does. */
	for (size_t i = 0, start = 0; i <= n; i++) {
		if (i < n && p[i] >= 0x20 && p[i] < 0x7f)
			continue;
		ry_buf_add(&r->b, p + start, i - start);
		if (i < n) {
			char o[4];
			ry_buf_add(&r->b, o, ry_escape_byte(p[i], o));
		}
		start = i + 1;
	}
}

void ry_rec_utf8(struct ry_rec *r, const char *k, const void *s, size_t n, unsigned how)
{
	if (!field(r, how))
		return;
	if (r->json)
		ry_json_str(&r->b, k, s, n);
	else
		ry_buf_add(&r->b, s, n);
}

void ry_rec_cstr(struct ry_rec *r, const char *k, const char *s, unsigned how)
{
	if (!s) {
		if (r->json && !(how & RY_REC_PLAIN))
			ry_json_null(&r->b, k);
		return;
	}
	ry_rec_str(r, k, s, strlen(s), how);
}

void ry_rec_int(struct ry_rec *r, const char *k, long long v, unsigned how)
{
	if (!field(r, how))
		return;
	if (r->json)
		ry_json_int(&r->b, k, v);
	else
		ry_buf_addf(&r->b, "%lld", v);
}

void ry_rec_raw(struct ry_rec *r, const char *k, const char *json, size_t n)
{
	if (!r->json || !field(r, RY_REC_JSON))
		return;
	key(&r->b, k);
	ry_buf_add(&r->b, json, n);
}

void ry_rec_num(struct ry_rec *r, const char *k, double v, int prec, const char *unit,
		unsigned how)
{
	if (!field(r, how))
		return;
	if (r->json) {
		key(&r->b, k);
		ry_buf_addf(&r->b, "%.*f", prec, v);
	} else {
		ry_buf_addf(&r->b, "%.*f%s", prec, v, unit ? unit : "");
	}
}

void ry_rec_bool(struct ry_rec *r, const char *k, bool v, unsigned how)
{
	if (!field(r, how))
		return;
	if (r->json)
		ry_json_bool(&r->b, k, v);
	else
		ry_buf_add(&r->b, v ? "true" : "false", v ? 4 : 5);
}

void ry_rec_null(struct ry_rec *r, const char *k)
{
	if (r->json)
		ry_json_null(&r->b, k);
}

void ry_rec_list_begin(struct ry_rec *r, const char *k, unsigned how)
{
	r->skip_list = r->json ? (how & RY_REC_PLAIN) != 0 : (how & RY_REC_JSON) != 0;
	if (r->json && !r->skip_list)
		ry_json_array_begin(&r->b, k);
}

void ry_rec_list_add(struct ry_rec *r, const char *s)
{
	ry_rec_list_add_n(r, s, strlen(s));
}

void ry_rec_list_add_n(struct ry_rec *r, const void *s, size_t n)
{
	if (r->skip_list)
		return;
	if (r->json) {
		ry_json_array_add_n(&r->b, s, n);
		return;
	}
	if (r->any)
		ry_buf_add(&r->b, " ", 1);
	r->any = true;
	ry_buf_escape(&r->b, s, n);
}

void ry_rec_list_num(struct ry_rec *r, double v, int prec, bool null)
{
	char text[64];

	if (r->skip_list)
		return;
	if (null)
		snprintf(text, sizeof text, "%s", r->json ? "null" : "-");
	else
		snprintf(text, sizeof text, "%.*f", prec, v);
	if (r->json) {
		if (!r->b.json_first)
			ry_buf_add(&r->b, ",", 1);
		r->b.json_first = false;
	} else if (r->any) {
		ry_buf_add(&r->b, " ", 1);
	}
	r->any = true;
	ry_buf_add(&r->b, text, strlen(text));
}

void ry_rec_list_end(struct ry_rec *r)
{
	if (r->json && !r->skip_list)
		ry_json_array_end(&r->b);
	r->skip_list = false;
}

void ry_rec_end(struct ry_rec *r)
{
	if (r->json)
		ry_json_end(&r->b);
}

void ry_rec_put(struct ry_rec *r)
{
	ry_rec_end(r);
	ry_buf_put_line(&r->b);
}
