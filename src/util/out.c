#include "util/out.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

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
	if (b->p)
		b->p[0] = '\0';
}

static void grow(struct ry_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		ry_err("out of memory for a %zu-byte line", cap);
		exit(2);
	}
	b->p = p;
	b->cap = cap;
}

void ry_buf_add(struct ry_buf *b, const void *p, size_t n)
{
	grow(b, n);
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
	grow(b, (size_t)n);
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
	grow(b, 4 * n);
	char *o = b->p + b->len;
	for (size_t i = 0; i < n; i++)
		o += ry_escape_byte(s[i], o);
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
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
	return len;
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
		if (c >= 0x80 && (len = utf8_len(s + i, n - i)) != 0) {
			i += len;
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
	if (!b->json_first)
		ry_buf_add(b, ",", 1);
	b->json_first = false;
	json_string(b, s, strlen(s));
}

void ry_json_array_end(struct ry_buf *b)
{
	ry_buf_add(b, "]", 1);
	b->json_first = false;	/* the array was a field of the object */
}

void ry_buf_put_line(const struct ry_buf *b)
{
	flockfile(stdout);
	fwrite_unlocked(b->p ? b->p : "", 1, b->len, stdout);
	putc_unlocked('\n', stdout);
	funlockfile(stdout);
}
