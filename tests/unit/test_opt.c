/* util/opt: whole numbers, decimal seconds and sizes, strictly. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "util/opt.h"
#include "tap.h"

int main(void)
{
	unsigned long u = 99;
	double d = -1;

	is_int(ry_parse_ulong("42", 0, 100, &u), 0, "ulong: 42");
	is_int(u, 42, "ulong: value 42");
	is_int(ry_parse_ulong("0", 0, 100, &u), 0, "ulong: 0 within [0,100]");
	is_int(ry_parse_ulong("101", 0, 100, &u), -ERANGE, "ulong: over max is -ERANGE");
	is_int(ry_parse_ulong("0", 1, 100, &u), -ERANGE, "ulong: under min is -ERANGE");
	is_int(ry_parse_ulong("-1", 0, 100, &u), RY_ENOTNUM, "ulong: a sign is not a whole number");
	is_int(ry_parse_ulong(" 1", 0, 100, &u), RY_ENOTNUM, "ulong: leading space rejected");
	is_int(ry_parse_ulong("1x", 0, 100, &u), RY_ENOTNUM, "ulong: trailing garbage rejected");
	is_int(ry_parse_ulong("", 0, 100, &u), RY_ENOTNUM, "ulong: empty rejected");
	is_int(ry_parse_ulong("99999999999999999999999", 0, (unsigned long)-1, &u), -ERANGE,
	       "ulong: overflow is -ERANGE");

	is_int(ry_parse_seconds("0.5", 0, 10, &d), 0, "seconds: 0.5");
	ok(d == 0.5, "seconds: value 0.5");
	is_int(ry_parse_seconds(".25", 0, 10, &d), 0, "seconds: .25");
	is_int(ry_parse_seconds("3", 0, 10, &d), 0, "seconds: 3");
	ok(d == 3, "seconds: value 3");
	is_int(ry_parse_seconds("nan", 0, 10, &d), RY_ENOTNUM, "seconds: nan rejected");
	is_int(ry_parse_seconds("inf", 0, 10, &d), RY_ENOTNUM, "seconds: inf rejected");
	is_int(ry_parse_seconds("1e3", 0, 1e9, &d), RY_ENOTNUM, "seconds: exponent rejected");
	is_int(ry_parse_seconds("-1", 0, 10, &d), RY_ENOTNUM, "seconds: negative rejected");
	is_int(ry_parse_seconds(".", 0, 10, &d), RY_ENOTNUM, "seconds: a lone point rejected");
	is_int(ry_parse_seconds("11", 0, 10, &d), -ERANGE, "seconds: over max is -ERANGE");
	is_int(ry_parse_seconds("0x10", 0, 100, &d), RY_ENOTNUM, "seconds: hex rejected");
	is_int(ry_parse_seconds("500ms", 0, 10, &d), 0, "seconds: 500ms");
	ok(d == 0.5, "seconds: 500ms is 0.5");
	is_int(ry_parse_seconds("2s", 0, 10, &d), 0, "seconds: 2s");
	ok(d == 2, "seconds: 2s is 2");
	is_int(ry_parse_seconds("1.5m", 0, 100, &d), 0, "seconds: 1.5m");
	ok(d == 90, "seconds: 1.5m is 90");
	is_int(ry_parse_seconds("250us", 0, 1, &d), 0, "seconds: 250us");
	ok(fabs(d - 0.00025) < 1e-12, "seconds: 250us is 0.00025");
	is_int(ry_parse_seconds("2h", 0, 3600, &d), -ERANGE, "seconds: 2h over an hour's max is -ERANGE");
	is_int(ry_parse_seconds("5x", 0, 10, &d), RY_ENOTNUM, "seconds: unknown unit rejected");
	is_int(ry_parse_seconds("ms", 0, 10, &d), RY_ENOTNUM, "seconds: a unit alone rejected");
	is_int(ry_parse_seconds("1 s", 0, 10, &d), RY_ENOTNUM, "seconds: a space before the unit rejected");

	is_int(ry_parse_size("4K", 0, 1UL << 30, &u), 0, "size: 4K");
	is_int(u, 4096, "size: 4K is 4096");
	is_int(ry_parse_size("2M", 0, 1UL << 30, &u), 0, "size: 2M");
	is_int(u, 2 * 1024 * 1024, "size: 2M is 2097152");
	is_int(ry_parse_size("1G", 0, 1UL << 30, &u), 0, "size: 1G");
	is_int(u, 1 << 30, "size: 1G is 1073741824");
	is_int(ry_parse_size("2T", 0, 1UL << 30, &u), RY_ENOTNUM, "size: unknown suffix rejected");
	is_int(ry_parse_size("2M", 0, 1000, &u), -ERANGE, "size: over max is -ERANGE");
	is_int(ry_parse_size("18014398509481984M", 0, (unsigned long)-1, &u), -ERANGE,
	       "size: overflow through the suffix is -ERANGE");
	char l1[] = "  name.test \t\r\n", l2[] = "   \n", l3[] = " # comment\n", l4[] = "a\0b\n";
	size_t n = 0;
	char *p = ry_list_line(l1, sizeof l1 - 1, &n);
	ok(p && n == 9 && !strncmp(p, "name.test", 9), "list line: blanks and CRLF trimmed");
	ok(!ry_list_line(l2, sizeof l2 - 1, &n), "list line: a blank line is skipped");
	ok(!ry_list_line(l3, sizeof l3 - 1, &n), "list line: a #comment is skipped");
	p = ry_list_line(l4, sizeof l4 - 1, &n);
	ok(p && n == 3, "list line: a NUL inside is kept for the caller to refuse");
	return done_testing();
}
