/* util/opt: whole numbers, decimal seconds and sizes, strictly. */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <string.h>

#include "util/diag.h"
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

	/* The option table: each kind stored where its row says, long-only
	 * options reached by name, operands counted, errors refused. */
	unsigned long jobs = 0, verbose = 0, size = 0;
	double secs = 0;
	bool flag = false, got_size = false;
	const char *name = NULL;
	int mode = -1, args = 0;
	static const char *const modes[] = { "fast", "slow", NULL };
	const struct ry_opt opts[] = {
		RY_OPT_N('j', "jobs", &jobs, "N", 1, 8, "jobs"),
		{ .short_name = 'v', .long_name = "verbose", .kind = RY_OPT_COUNT, .dest = &verbose,
		  .help = "more" },
		RY_OPT_SECS('t', "timeout", &secs, 0, 10, "secs"),
		{ .long_name = "size", .kind = RY_OPT_SIZE, .dest = &size, .arg = "SIZE", .min = 1,
		  .max = 1UL << 30, .given = &got_size, .help = "size" },
		RY_OPT_F(0, "flag", &flag, "flag"),
		RY_OPT_S('n', "name", &name, "NAME", "name"),
		RY_OPT_E(0, "mode", &mode, "M", modes, "mode"),
	};
	const struct ry_cmdline cl = { .synopsis = "X", .opts = opts, .nopts = sizeof opts / sizeof opts[0],
				       .min_args = 1, .max_args = 2, .missing = "no X given" };
	char *ok_argv[] = { (char *)"t", (char *)"-j3", (char *)"-vv", (char *)"--timeout", (char *)"500ms",
			    (char *)"--size=2K", (char *)"--flag", (char *)"-n", (char *)"abc",
			    (char *)"--mode", (char *)"slow", (char *)"-v", (char *)"op1", NULL };

	ry_diag_set_cmd("t");
	is_int(ry_opt_parse(&cl, 13, ok_argv, &args), -1, "table: a full command line parses");
	ok(jobs == 3 && verbose == 3 && secs == 0.5 && size == 2048 && got_size && flag &&
	   name && !strcmp(name, "abc") && mode == 1, "table: every kind stored where its row says");
	is_int(args, 12, "table: operands start after the options");
	char *bad_enum[] = { (char *)"t", (char *)"--mode", (char *)"medium", (char *)"x", NULL };
	is_int(ry_opt_parse(&cl, 4, bad_enum, &args), 2, "table: a value outside an enum is refused");
	char *bad_range[] = { (char *)"t", (char *)"-j", (char *)"9", (char *)"x", NULL };
	is_int(ry_opt_parse(&cl, 4, bad_range, &args), 2, "table: a number past max is refused");
	char *unknown[] = { (char *)"t", (char *)"--nope", (char *)"x", NULL };
	is_int(ry_opt_parse(&cl, 3, unknown, &args), 2, "table: an unknown option is refused");
	char *none[] = { (char *)"t", NULL };
	is_int(ry_opt_parse(&cl, 1, none, &args), 2, "table: too few operands is refused");
	char *many[] = { (char *)"t", (char *)"a", (char *)"b", (char *)"c", NULL };
	is_int(ry_opt_parse(&cl, 4, many, &args), 2, "table: too many operands is refused");

	/* A repeatable list: each occurrence, and commas, in order. */
	struct ry_optlist list = { 0 };
	const struct ry_opt lopts[] = { RY_OPT_L(0, "type", &list, "T", "types") };
	const struct ry_cmdline lcl = { .synopsis = "X", .opts = lopts, .nopts = 1, .max_args = -1 };
	char *lst[] = { (char *)"t", (char *)"--type", (char *)"MX", (char *)"--type=TXT,SOA", NULL };
	is_int(ry_opt_parse(&lcl, 4, lst, &args), -1, "list: repeated and comma-separated values parse");
	ok(list.n == 3 && !strcmp(list.v[0], "MX") && !strcmp(list.v[1], "TXT") && !strcmp(list.v[2], "SOA"),
	   "list: every value kept, in order");
	ry_optlist_free(&list);
	char *empty[] = { (char *)"t", (char *)"--type", (char *)"MX,,A", NULL };
	is_int(ry_opt_parse(&lcl, 3, empty, &args), 2, "list: an empty item is refused");
	ry_optlist_free(&list);
	return done_testing();
}
