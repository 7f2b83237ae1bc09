/*
 * rustyc completion bash: the bash completion script, made from the
 * option tables themselves (each subcommand prints its own branch when
 * called with --bash-completion; util/opt), so it never falls behind.
 * `make install` puts it where bash-completion looks.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"

int cmd_completion(int argc, char **argv)
{
	static const char *const shells[] = { "bash", NULL };
	int shell = 0, args, rc;
	const struct ry_cmdline cl = {
		.synopsis = "bash",
		.about =
"Prints a bash completion script for rustyc: subcommands, each\n"
"subcommand's options, and the values of options that take a known set.\n"
"  source <(rustyc completion bash)\n"
"or install it as /usr/share/bash-completion/completions/rustyc\n"
"(make install does).\n",
		.opts = NULL, .nopts = 0, .min_args = 1, .max_args = 1,
		.missing = "name the shell: bash",
	};

	if ((rc = ry_opt_parse(&cl, argc, argv, &args)) >= 0)
		return rc;
	if (strcmp(argv[args], shells[shell]) != 0) {
		ry_err("invalid shell '%s': only bash", ry_quote(argv[args]));
		return 2;
	}
	ry_out_printf("# bash completion for rustyc, made by 'rustyc completion bash'\n"
		      "_rustyc() {\n"
		      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts\n"
		      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
		      "\t\tCOMPREPLY=($(compgen -W '--help --version help");
	for (size_t i = 0; i < cmd_count; i++)
		ry_out_printf(" %s", cmd_table[i].name);
	ry_out_printf("' -- \"$cur\"))\n"
		      "\t\treturn\n"
		      "\tfi\n"
		      "\tcase ${COMP_WORDS[1]} in\n"
		      "\thelp)\n"
		      "\t\tCOMPREPLY=($(compgen -W '");
	for (size_t i = 0; i < cmd_count; i++)
		ry_out_printf("%s%s", i ? " " : "", cmd_table[i].name);
	ry_out_printf("' -- \"$cur\"))\n\t\treturn ;;\n");
	fflush(stdout);
	for (size_t i = 0; i < cmd_count; i++) {
		char name[64], flag[] = "--bash-completion";
		char *cargv[] = { name, flag, NULL };
		snprintf(name, sizeof name, "%s", cmd_table[i].name);
		ry_diag_set_cmd(cmd_table[i].name);
		if (cmd_table[i].fn == cmd_completion) {
			ry_out_printf("\tcompletion)\n\t\topts='-h --help'\n"
				      "\t\tCOMPREPLY=($(compgen -W 'bash' -- \"$cur\")) ;;\n");
			continue;
		}
		cmd_table[i].fn(2, cargv);
		fflush(stdout);
	}
	ry_diag_set_cmd("completion");
	ry_out_printf("\t*) return ;;\n"
		      "\tesac\n"
		      "\tif [[ $cur == -* ]]; then\n"
		      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
		      "\tfi\n"
		      "}\n"
		      "complete -F _rustyc rustyc\n");
	return 0;
}
