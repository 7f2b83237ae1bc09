/*
 * cmd: one function per subcommand, cmd_NAME(argc, argv), with argv[0]
 * the subcommand's name.  Each returns the exit status (0 success, 1 a
 * negative result, 2 usage or system error; see DESIGN.md) and prints its
 * usage to stdout for -h/--help.
 *
 * Adding a subcommand, in one commit:
 *   1. src/cmd/NAME.c with the usage text on top and cmd_NAME();
 *   2. its declaration here and its row in the table in src/main.c;
 *   3. tests/cli/tNNNN-NAME.sh running it as a user would;
 *   4. its section in man/rustyc.1 and its line in README.md.
 */
#ifndef RY_CMD_CMD_H
#define RY_CMD_CMD_H

int cmd_thread_demo(int argc, char **argv);
int cmd_share_demo(int argc, char **argv);
int cmd_channel_demo(int argc, char **argv);
int cmd_barrier_demo(int argc, char **argv);
int cmd_ping_sweep(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_echo_client(int argc, char **argv);

#endif
