/* Fuzz the output escapers with any bytes: plain escaping leaves only
 * printable ASCII and unescapes back to the input; JSON strings are valid
 * JSON (checked by a strict little parser) and decode back to the input
 * where it was valid UTF-8. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/out.h"

static int hex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parses one JSON string at s (after the key), appends its bytes to out
 * (code points below 0x100 as one byte, others as their UTF-8 source). */
static const char *json_string(const char *s, uint8_t *out, size_t *n)
{
	if (*s++ != '"')
		abort();
	while (*s != '"') {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			abort();		/* raw control character */
		if (c != '\\') {
			out[(*n)++] = c;
			s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': out[(*n)++] = (uint8_t)*s; s++; break;
		case 'n': out[(*n)++] = '\n'; s++; break;
		case 't': out[(*n)++] = '\t'; s++; break;
		case 'r': out[(*n)++] = '\r'; s++; break;
		case 'u': {
			int v = 0;
			for (int i = 1; i <= 4; i++) {
				int h = hex(s[i]);
				if (h < 0)
					abort();
				v = v * 16 + h;
			}
			if (v > 0xff && v < 0x800) {
				/* A code point that steers a terminal (U+061C, the
				 * Arabic letter mark): its two-byte UTF-8. */
				out[(*n)++] = (uint8_t)(0xc0 | v >> 6);
				out[(*n)++] = (uint8_t)(0x80 | (v & 0x3f));
			} else if (v > 0xff) {
				/* ...and the others: their three-byte UTF-8. */
				out[(*n)++] = (uint8_t)(0xe0 | v >> 12);
				out[(*n)++] = (uint8_t)(0x80 | ((v >> 6) & 0x3f));
				out[(*n)++] = (uint8_t)(0x80 | (v & 0x3f));
			} else {
				out[(*n)++] = (uint8_t)v;	/* a byte, or a C1 code point */
			}
			s += 5;
			break;
		}
		default:
			abort();
		}
	}
	return s + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ry_buf b;
	uint8_t *back = malloc(size + 1);
	size_t n = 0;

	ry_buf_init(&b);
	ry_buf_escape(&b, data, size);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.p[i];
		if (c < 0x20 || c > 0x7e)
			abort();
		if (c == '\\') {
			if (b.p[i + 1] == '\\') {
				back[n++] = '\\';
				i++;
			} else if (b.p[i + 1] == 'x' && hex(b.p[i + 2]) >= 0 && hex(b.p[i + 3]) >= 0) {
				back[n++] = (uint8_t)(hex(b.p[i + 2]) * 16 + hex(b.p[i + 3]));
				i += 3;
			} else {
				abort();
			}
		} else {
			back[n++] = c;
		}
	}
	if (n != size || (size && memcmp(back, data, size) != 0))
		abort();			/* escaping must round-trip */

	ry_buf_reset(&b);
	ry_json_begin(&b);
	ry_json_str(&b, "k", data, size);
	ry_json_end(&b);
	if (strncmp(b.p, "{\"k\":", 5) != 0)
		abort();
	/* JSON writes a C1 control that came as valid UTF-8 (c2 80-9f) as
	 * \u0080-\u009f, as it writes a lone byte 80-9f that is not UTF-8:
	 * the decoded text has the byte for both. */
	uint8_t *want = malloc(size + 1);
	size_t wn = 0;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == 0xc2 && i + 1 < size && data[i + 1] >= 0x80 && data[i + 1] <= 0x9f)
			continue;	/* the next byte stands for the pair */
		want[wn++] = data[i];
	}
	n = 0;
	const char *end = json_string(b.p + 5, back, &n);
	if (strcmp(end, "}") != 0 || n != wn || (wn && memcmp(back, want, wn) != 0))
		abort();			/* JSON must parse and round-trip */
	free(want);

	/* ry_quote_n: the same escaping, cut to a bounded, printable line
	 * whose unescaped text is a prefix of the input. */
	const char *q = ry_quote_n(data, size);
	size_t qlen = strlen(q), m = 0;
	if (qlen > RY_QUOTE_MAX + 32)
		abort();
	char tail[48];
	size_t tlen = (size_t)snprintf(tail, sizeof tail, "... (%zu bytes)", size);
	int cut = qlen >= tlen && strcmp(q + qlen - tlen, tail) == 0 && size > RY_QUOTE_MAX / 4;
	size_t body = cut ? qlen - tlen : qlen;
	for (size_t i = 0; i < body; i++) {
		unsigned char c = (unsigned char)q[i];
		if (c < 0x20 || c > 0x7e)
			abort();
		if (c == '\\' && q[i + 1] == '\\') {
			back[m++] = '\\';
			i++;
		} else if (c == '\\' && q[i + 1] == 'x') {
			back[m++] = (uint8_t)(hex(q[i + 2]) * 16 + hex(q[i + 3]));
			i += 3;
		} else {
			back[m++] = c;
		}
	}
	if (m > size || (m && memcmp(back, data, m) != 0) || (m < size && !cut) ||
	    (size <= RY_QUOTE_MAX / 4 && m != size))
		abort();			/* a prefix; all of a short input; a cut says so */
	ry_buf_destroy(&b);
	free(back);
	return 0;
}
