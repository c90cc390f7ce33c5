/* `ourvoice report`: prints the dialogue report of an area or office and period to PDF —
 * the same page as /dashboard/report.html, so the paper and the screen never disagree. It
 * starts this program's own server on a free loopback port over the given database, has
 * headless Chromium print the page (A4, the page's print stylesheet), and stops the server.
 * Chromium is found at --chromium, else OURVOICE_CHROMIUM, else /usr/bin/chromium. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "domain/geography.h"
#include "domain/public_stats.h"
#include "core/banned.h"

extern char **environ;

static const char usage[] =
    "usage: ourvoice report --db FILE|URL (--area CODE | --office ID) [--from YYYY-MM]\n"
    "                       [--to YYYY-MM] --out FILE.pdf [--chromium PATH]\n"
    "\n"
    "Prints the dialogue report (figures, charts, frequent issues, approved quotations) to\n"
    "an A4 PDF. --area \"\" is the whole nation. Needs Chromium (env OURVOICE_CHROMIUM).\n";

struct report_opts {
    const char *db, *area, *office, *from, *to, *out, *chromium, *web;
};

/* Starts `ourvoice serve` on a free port; *url gets its address. */
static pid_t start_server(const struct report_opts *o, char *url, size_t url_size)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    char *argv[] = {"ourvoice", "serve",  "--db",         (char *)o->db, "--port",
                    "0",        "--bind", "127.0.0.1",    "--loops",     "1",
                    "--quiet",  "--web",  (char *)o->web, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return -1;
    }
    FILE *in = fdopen(fds[0], "r");
    char line[512];
    bool found = false;
    while (in && !found && fgets(line, sizeof line, in)) {
        char *at = strstr(line, "listening on ");
        if (at) {
            snprintf(url, url_size, "%s", at + strlen("listening on "));
            url[strcspn(url, " \r\n")] = '\0';
            found = true;
        }
    }
    if (in)
        fclose(in);
    if (!found) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

static int print_pdf(const struct report_opts *o, const char *page)
{
    char out_arg[4200], profile[] = "/tmp/ourvoice-report-XXXXXX", profile_arg[64];
    snprintf(out_arg, sizeof out_arg, "--print-to-pdf=%s", o->out);
    if (!mkdtemp(profile))
        return -1;
    snprintf(profile_arg, sizeof profile_arg, "--user-data-dir=%s", profile);
    char *argv[] = {(char *)o->chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--no-pdf-header-footer",
                    "--run-all-compositor-stages-before-draw",
                    "--virtual-time-budget=20000",
                    profile_arg,
                    out_arg,
                    (char *)page,
                    NULL};
    pid_t pid;
    int status = -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawn(&pid, o->chromium, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc == 0)
        waitpid(pid, &status, 0);
    char *rm[] = {"rm", "-rf", profile, NULL};
    if (posix_spawnp(&pid, "rm", NULL, NULL, rm, environ) == 0)
        waitpid(pid, NULL, 0);
    return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int report(const struct report_opts *o)
{
    char url[256];
    pid_t server = start_server(o, url, sizeof url);
    if (server < 0) {
        fprintf(stderr, "ourvoice: the report server did not start (is --db initialised?)\n");
        return 1;
    }
    struct buf page;
    buf_init(&page, 4096);
    buf_addf(&page, "%s/dashboard/report.html?", url);
    if (o->office)
        buf_addf(&page, "office=%s", o->office);
    else
        buf_addf(&page, "area=%s", o->area);
    if (o->from)
        buf_addf(&page, "&from=%s", o->from);
    if (o->to)
        buf_addf(&page, "&to=%s", o->to);
    unlink(o->out);
    int rc = buf_failed(&page) ? -1 : print_pdf(o, buf_cstr(&page));
    buf_release(&page);
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    struct stat st;
    if (rc < 0 || stat(o->out, &st) < 0 || st.st_size == 0) {
        fprintf(stderr, "ourvoice: Chromium (%s) could not print the report\n", o->chromium);
        return 1;
    }
    printf("report written to %s (%lld bytes)\n", o->out, (long long)st.st_size);
    return 0;
}

static int check(const struct report_opts *o)
{
    if (!o->db || !o->out)
        return opt_fail(!o->db ? "--db is required" : "--out FILE.pdf is required", NULL);
    if (!o->area == !o->office)
        return opt_fail("give one of --area CODE or --office ID", NULL);
    if (o->area && *o->area && !geo_code_valid(o->area))
        return opt_fail("--area is not a gazetteer code", o->area);
    if (o->office && strspn(o->office, "0123456789") != strlen(o->office))
        return opt_fail("--office is an office id (a number)", o->office);
    if ((o->from && stats_month_parse(o->from) < 0) || (o->to && stats_month_parse(o->to) < 0))
        return opt_fail("--from and --to are months, YYYY-MM", NULL);
    if (access(o->chromium, X_OK) < 0)
        return opt_fail("Chromium is needed to print (--chromium PATH)", o->chromium);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},       {"area", required_argument, NULL, 'a'},
        {"office", required_argument, NULL, 'o'},   {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},       {"out", required_argument, NULL, 'O'},
        {"chromium", required_argument, NULL, 'c'}, {"web", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    struct report_opts o = {.db = opt_env("OURVOICE_DB", NULL),
                            .chromium = opt_env("OURVOICE_CHROMIUM", "/usr/bin/chromium"),
                            .web = opt_env("OURVOICE_WEB", DEFAULT_WEB_DIR)};
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            o.db = optarg;
            break;
        case 'a':
            o.area = optarg;
            break;
        case 'o':
            o.office = optarg;
            break;
        case 'f':
            o.from = optarg;
            break;
        case 't':
            o.to = optarg;
            break;
        case 'O':
            o.out = optarg;
            break;
        case 'c':
            o.chromium = optarg;
            break;
        case 'w':
            o.web = optarg;
            break;
        default:
            fputs(usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    int bad = check(&o);
    return bad ? bad : report(&o);
}
