/* net/idn: international names to the ASCII form DNS carries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"
#include "net/idn.h"
#include "tap.h"

static void converts(const char *in, const char *want, const char *desc)
{
	char *out = NULL;
	const char *why = NULL;

	is_int(ry_idn_to_ascii(in, &out, &why), 0, "%s: converted", desc);
	is_str(out ? out : "(null)", want, "%s", desc);
	free(out);
}

int main(void)
{
	const char *why = NULL;
	char *out = NULL;

	ok(!ry_idn_needed("example.org"), "an ASCII name needs no conversion");
	ok(ry_idn_needed("b\xc3\xbc" "cher.example"), "a name with a byte past ASCII does");
	converts("b\xc3\xbc" "cher.example", "xn--bcher-kva.example", "bücher.example, as getent and dig convert it");
	converts("B\xc3\x9c" "CHER.example", "xn--bcher-kva.example", "upper case maps to the same name");
	/* NFC: u + combining diaeresis is the same name as ü. */
	converts("bu\xcc\x88" "cher.example", "xn--bcher-kva.example", "decomposed input is normalised (NFC)");
	converts("fa\xc3\x9f" "ball.de", "xn--faball-cta.de", "ß is kept (non-transitional, as glibc)");
	is_int(ry_idn_to_ascii("\xff\xfe.example", &out, &why), RY_EBADADDR, "bytes that are not UTF-8 are refused");
	is_str(why, "not valid UTF-8 text", "with a reason");
	is_int(ry_idn_to_ascii("a\xe2\x80\xae" "b.example", &out, &why), RY_EBADADDR,
	       "a bidi override (U+202E) is refused");
	is_int(ry_hostname_check("b\xc3\xbc" "cher.example", &why), 0, "the host-name check takes an IDN name");
	is_int(ry_hostname_check("b\xc3\xbc" "cher ex.example", &why), RY_EBADADDR,
	       "and checks its ASCII form (a space is still not allowed)");
	return done_testing();
}
