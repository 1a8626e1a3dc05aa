// ratelimit-sim: runs rate-limiting scenarios (JSON on stdin, docs: scenario-format.md) through
// the core and prints the results as JSON. Every decision is the core's; this file only picks
// the command, moves bytes and sets the exit status.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <iostream>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cli/json_text.hpp"
#include "cli/replay.hpp"
#include "cli/scenario_json.hpp"

namespace {

using ratelimit::cli::Json;

constexpr int kExitOk = 0;        // every scenario ran
constexpr int kExitFailed = 1;    // the simulator itself failed (out of memory, output closed)
constexpr int kExitRejected = 2;  // a scenario was rejected, or the input or arguments were bad

constexpr std::string_view kHelp = R"(usage: ratelimit-sim [--trace] < scenario.json
       ratelimit-sim --parse < rate-strings.json
       ratelimit-sim replay --rule RULE [--strategy NAME|all] [--key ip|none|field:NAME]
                            [--public-proxies N] [--path PATH] [--method METHOD[,METHOD...]]
                            [--format auto|common|combined|jsonl|csv|timestamps|w3c|
                                      elb|uwsgi|haproxy|heroku|envoy] [--json] FILE...
       ratelimit-sim --help

Simulates HTTP rate limiting as Flask-Limiter 3.3 (limits 2.8, in-memory storage,
headers_enabled=True) does it, on a simulated clock: a request at t happens at epoch + t.

Reads one scenario object, or a JSON array of them, on stdin and writes one result, or an
array of results in the same order, on stdout. A scenario that cannot run answers
{"error": "<field>: <problem>"}; the others still run.

  --trace   add to every Flask-mode result "trace": each limit the request met, in order:
            {"checkpoint": before_request|view|after_request,
             "source": application|default|route|shared, "limit": "10 per 1 minute",
             "key": storage key, "cost", "result": charged|breached|tested|deducted|
             not_deducted|skipped_method|skipped_empty_key|not_reached, "detail": why}
  --parse   stdin is a JSON array of rate strings; answers, per string,
            {"limits": [{"amount", "multiples", "granularity", "text", "window_seconds"}]}
            or {"error", "offset", "length", "hint"} (offset and length in characters).
            An invalid rate string is an answer, not a failure; a non-string element
            answers {"error": "expected a string"} and makes the exit status 2.
  --help    this text.

FLASK MODE ("mode": "flask", the default): an app, its routes and a list of requests.
  strategy                   "fixed-window" (default), "fixed-window-elastic-expiry",
                             "moving-window" (Flask-Limiter's three), or the tutorial's
                             "sliding-window-counter", "token-bucket", "leaky-bucket",
                             "leaky-queue", "gcra"
  strategy_options           {} (default); see EXTRA FIELDS
  epoch                      1700000000 (default): the clock at t = 0, in seconds
  default_limits             [] : rate strings, one per group ("200/day;50/hour"); per route
  application_limits         [] : rate strings shared by all routes (scope "global")
  default_limits_per_method  false
  default_limits_cost        1
  application_limits_cost    1 (extra field)
  fail_on_first_breach       true
  retry_after                null (whole seconds) or "http-date"
  key_prefix                 "" : prefix of every storage key
  error_handler              null (Werkzeug's 429 page) or "custom" ("rate limited: ...")
  routes (required)          [{"path": "/", "methods": ["GET"], "exempt": false,
                               "override_defaults": true, "limits": []}]
    limits[]                 a rate string, or an object (one @limiter.limit decorator, top
                             to bottom as written):
      limit (required)       rate string
      cost                   1
      override_defaults      the route's "override_defaults" (default true)
      per_method             false
      methods                [] (all methods are limited)
      error_message          null (the limit's text, e.g. "10 per 1 minute")
      key_func               "remote" (default: the client address), "const:TEXT",
                             "header:NAME"
      deduct_when_status     null, or the statuses after which the cost is deducted
      shared_scope           null, or the scope of @limiter.shared_limit
    override_defaults        on a route: the default for its limits that do not set their
                             own (string entries included)
    A route's endpoint, the scope in its storage keys, is its view function's name as the
    playground's app.py writes it: "index" for "/", else the path's letters and digits
    joined by "_" ("/api/items": "api_items"; "r_" before a leading digit).
  requests (required)        [{"t": 0, "key": "127.0.0.1", "path": "/", "method": "GET",
                               "headers": {}, "status": 200}]
    t: seconds after epoch, never decreasing; equal times run in list order. key: the
    client address; headers feed "header:" key functions; status: what the view returns
    (deduct_when_status looks at it).
Result: {"epoch": E, "results": [{"t", "status", "headers": {the rate-limit headers sent},
  "body", "limit": the limit the headers describe (left out when none), "delay": seconds
  a leaky queue held the request (only when > 0)}], "totals": {"requests": N,
  "by_status": {"200": n, "429": m}}}

LIMITS MODE ("mode": "limits"): one limit called directly, as the limits library would.
  strategy, strategy_options, epoch   as above
  limit (required)           one rate string, e.g. "10/minute"
  hits (required)            [{"t": 0, "key": "127.0.0.1", "cost": 1, "op": "hit"}]
                             key: the client; op: "hit", "test" or "clear"
Result: {"epoch": E, "results": [{"allowed": true|false|null (clear),
  "reset": whole epoch seconds (no +1), "remaining": n}]}

REPLAY: what a rule would have done to real traffic. FILE (- for stdin) is a common or
combined access log, JSON lines with a time field (time, timestamp, ts, @timestamp, ...)
and an optional client field (ip, client_ip, remote_addr, key, ...), found in nested
objects too (Caddy, Traefik, Google Cloud, Cloudflare and ECS logs read as they are), CSV
with a header row naming those columns, one time per line, W3C extended (IIS, CloudFront:
date, time and c-ip as a #Fields directive names them), an AWS load balancer's log
(Application or Classic), uWSGI's request log, HAProxy's HTTP log, Heroku's router log or
Envoy's or Istio's default access log (the client is the one fwd or X-Forwarded-For names);
times are epoch seconds (ms, us, ns by size), ISO-8601, Go's time.String(), HTTP dates
(Tue, 10 Oct 2000 13:55:36 GMT) or dd/Mon/yyyy:hh:mm:ss +zone; CSV may be separated by
semicolons and keep the date and the time in columns of their own. --format auto
(default) takes the format of the first line that reads as one. Every request costs 1 and
is replayed at its own time (lines out of order are sorted); bad lines are counted, the
first 10 shown, and skipped. Several FILEs are one log (rotated files, in any order);
gzipped ones are read as they are, and one that breaks off is read up to there; one
compressed otherwise (zstd, xz, bzip2, zip, ...) is one bad line that says so.
  --rule RULE        a rate string, e.g. "10/second;100/minute"
  --strategy NAME    one algorithm, or all (default); with one, the summary also shows the
                     same requests under tighter and looser rules: every amount scaled from
                     1/8 to 8 times
  --key ip|none|field:NAME
                     ip (default): each client on its own; none: one key for all requests;
                     field:NAME: each value of that field on its own, as a key function
                     reading a user or an API key (a JSON member, or a list's last
                     string, as Caddy logs headers; a CSV column, a W3C field, or user in
                     a common, combined or uWSGI log).
                     field:x-forwarded-for (any name ending so): the client behind your
                     proxies: the header's last address that is not private (those
                     before it are whatever the client wrote); in a common or combined
                     log, the quoted field after the user agent (nginx's default log
                     format ends with it)
  --public-proxies N with field:x-forwarded-for, also skip the last N public addresses:
                     1 behind a CDN whose edges a load balancer appends (CloudFront ->
                     ALB: "client, edge"); a header with fewer addresses counts as
                     its first one
  --path PATH        only the requests to PATH or below it, as a limit on one route or
                     blueprint sees them: /api takes /api and /api/items?page=2, not
                     /apiary (a URL's scheme and host are skipped); the others, and
                     lines without a path (a CSV column or JSON member named uri, path,
                     url, request_uri, ...; W3C cs-uri-stem), are left out and counted
  --method METHODS   only the requests made with one of these methods (POST, or GET,HEAD;
                     any case), as @limiter.limit(..., methods=[...]): read from the
                     request line, a method column or member, or W3C cs-method
  --json             {"rule", "key", "path", "methods" and "left_out" (with --path or
                      --method: the path with its leading /, the methods in upper case,
                      and how many requests they left out), "format", "lines", "requests", "clients", "bad_lines",
                      "bad_samples": [{"file", "line", "reason", "text"}] (the first 10),
                      "unread": [{"file", "line", "reason"}] (every bad line after which a
                      file was not read: a gzip file that breaks off, a file compressed
                      otherwise), "out_of_order",
                      "without_client" (requests whose line names no client),
                      "without_zone" (requests whose time names no zone: read as UTC),
                      "fields" (what field:NAME can name in this log, from the line that
                      decided the format),
                      "proxy" (--key ip, when the busiest client is a private address with
                      half the requests or more: {"client", "requests", "loopback",
                      "forwarded_for" (requests that carry X-Forwarded-For)}), or else
                      "forwarded" (--key ip, when half the requests or more carry
                      X-Forwarded-For, as behind a CDN: {"requests"}), or else
                      "beyond_public_proxy" (field:x-forwarded-for, when half the
                      requests or more name a public address before the one counted:
                      {"requests", "public_proxies" (the count that would skip it)}),
                      "public_proxies" (with field:x-forwarded-for), "start",
                      "end", "bucket_seconds", "algorithms": [{"algorithm", "allowed",
                      "denied", "clients_denied" (clients with a request denied; 0 for
                      --key none), "top": [{"client", "requests", "denied", "timeline"}]
                      (the 10 most denied, each with its own timeline), "timeline":
                      [denied per bucket, 60 buckets over the span],
                      "same_as" (leaky-bucket, leaky-queue and gcra: "token-bucket", whose
                      figures they share: the bucket family is one meter, replayed once)}],
                      "scaled" (with one --strategy): [{"rule", "factor", "denied",
                      "clients_denied"}], smallest first; factor 1 is --rule itself}
  Exit status 2 for bad arguments, an unreadable file or a log without one request.

EXTRA FIELDS (beyond scenario-format.md)
  application_limits_cost    the cost of every application limit (Flask-Limiter's own)
  strategy_options           for the bucket family (token-bucket, leaky-bucket,
                             leaky-queue, gcra), which runs "10/minute" as a bucket of 10
                             refilled at one request every 6 s: {"capacity": requests an
                             idle client may send at once (default: the limit's amount),
                             "delay": leaky-queue only, how many of a burst's excess
                             requests go through without waiting (nginx delay=, default 0),
                             "nodelay": leaky-queue only, serve the whole burst without
                             waiting (default false)}
  route "override_defaults"  see above

RULES
  Unknown fields are errors ("did you mean" for near misses), and so are wrong types.
  Whole-number fields take JSON integers only (2, not 2.0 or "2").
  Sizes, so that no input runs for long: at most 100000 requests or hits per scenario,
  1000 routes, 100 items in any other list or headers object, 10000 bytes per string
  (rate strings included); input at most 64 MiB, 100000 scenarios or --parse strings,
  nested at most 64 levels deep; at most 1000 limits in all of a scenario's rate strings.
  One run makes at most 1000000 limit checks in all (100000 with --trace), counted before
  each scenario runs as requests x (application + default limits + the most limits any
  route has), or as hits; a scenario over what the run has left is rejected.

EXIT STATUS
  0  every scenario ran
  2  a scenario was rejected, or the input (not JSON, empty) or the arguments were bad
  1  the simulator itself failed (out of memory, output closed)

EXAMPLES
  echo '{"routes": [{"path": "/", "limits": ["10/minute"]}],
         "requests": [{"t": 0}, {"t": 1}]}' | ratelimit-sim
  echo '{"mode": "limits", "strategy": "moving-window", "limit": "2/minute",
         "hits": [{"t": 0}, {"t": 1}, {"t": 2}, {"t": 61, "op": "test"}]}' | ratelimit-sim
  echo '["10/minute;100/day", "10/minits"]' | ratelimit-sim --parse
  ratelimit-sim replay --rule 10/second web/samples/access.log
)";

// Scenarios (or --parse strings) in one input: each answer costs some output at least.
constexpr std::size_t kMaxAnswers = 100000;

enum class Command { Simulate, Parse, Help };

struct Options {
  Command command = Command::Simulate;
  bool trace = false;
};

// The options, or the message for a bad argument. Words that are not options are reserved for
// subcommands: `replay` is dispatched before these options are read.
std::variant<Options, std::string> parse_arguments(const std::vector<std::string_view>& args) {
  Options options;
  bool parse = false;
  bool help = false;
  for (std::string_view arg : args) {
    if (arg == "--help" || arg == "-h") {
      help = true;
    } else if (arg == "--parse") {
      parse = true;
    } else if (arg == "--trace") {
      options.trace = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "'";
    } else {
      return "unknown command '" + std::string(arg) + "'";
    }
  }
  if (help) {
    options.command = Command::Help;
  } else if (parse) {
    if (options.trace) return std::string("--trace applies to scenarios, not to --parse");
    options.command = Command::Parse;
  }
  return options;
}

std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void print_error(std::ostream& out, const std::string& message) {
  out << ratelimit::cli::format_json(ratelimit::cli::error_result(message)) << '\n';
}

// What one scenario (or rate string) answered, and whether that answer rejects it.
struct Answer {
  Json result;
  bool rejected = false;
};

// One answer per element of `document` (or one for a lone object), each printed as soon as it
// exists so that memory holds one scenario's results at a time. Returns the exit status.
template <typename AnswerOne>
int answer_each(const Json& document, bool lone_object_allowed, AnswerOne answer_one, std::ostream& out) {
  if (document.is_array() && document.size() > kMaxAnswers) {
    print_error(out, "input holds " + std::to_string(document.size()) + " elements; the most is " +
                         std::to_string(kMaxAnswers));
    return kExitRejected;
  }
  if (lone_object_allowed && document.is_object()) {
    const Answer answer = answer_one(document);
    out << ratelimit::cli::format_json(answer.result) << '\n';
    return answer.rejected ? kExitRejected : kExitOk;
  }
  int status = kExitOk;
  out << '[';
  for (std::size_t i = 0; i < document.size(); ++i) {
    Answer answer;
    try {
      answer = answer_one(document[i]);
      if (answer.rejected && status == kExitOk) status = kExitRejected;
    } catch (const std::bad_alloc&) {
      answer.result = ratelimit::cli::error_result("internal error: out of memory");
      status = kExitFailed;
    }
    out << (i == 0 ? "\n  " : ",\n  ") << ratelimit::cli::format_json(answer.result, 2);
  }
  out << (document.empty() ? "]\n" : "\n]\n");
  return status;
}

// The JSON document on `in`, or nothing once the reason why not is printed on `out`.
std::optional<Json> read_document(std::istream& in, std::ostream& out) {
  auto parsed = ratelimit::cli::parse_json(read_all(in));
  if (auto* message = std::get_if<std::string>(&parsed)) {
    print_error(out, *message);
    return std::nullopt;
  }
  return std::move(std::get<Json>(parsed));
}

int simulate_command(const Options& options, std::istream& in, std::ostream& out) {
  const std::optional<Json> read = read_document(in, out);
  if (!read) return kExitRejected;
  const Json& document = *read;
  if (!document.is_object() && !document.is_array()) {
    print_error(out, "expected a scenario object or an array of scenarios, got " +
                         (document.is_string() ? std::string("a string") : document.dump()));
    return kExitRejected;
  }
  std::uint64_t checks_left =
      options.trace ? ratelimit::cli::kMaxTracedLimitChecks : ratelimit::cli::kMaxLimitChecks;
  return answer_each(
      document, true,
      [&](const Json& scenario) {
        Json result = ratelimit::cli::simulate(scenario, options.trace, checks_left);
        const bool rejected = ratelimit::cli::is_error_result(result);
        return Answer{std::move(result), rejected};
      },
      out);
}

int parse_command(std::istream& in, std::ostream& out) {
  const std::optional<Json> read = read_document(in, out);
  if (!read) return kExitRejected;
  const Json& document = *read;
  if (!document.is_array()) {
    print_error(out, "--parse reads a JSON array of rate strings");
    return kExitRejected;
  }
  // An invalid rate string is an answer; only an element that is not a string is rejected.
  return answer_each(
      document, false,
      [](const Json& text) {
        return Answer{ratelimit::cli::parse_answer(text), !text.is_string()};
      },
      out);
}

int run(const std::vector<std::string_view>& args) {
  if (!args.empty() && args.front() == "replay") {
    // `replay --help` is the one help text, which covers replay.
    const bool help = std::any_of(args.begin() + 1, args.end(), [](std::string_view arg) { return arg == "--help" || arg == "-h"; });
    int status = kExitOk;
    if (help) std::cout << kHelp;
    else status = ratelimit::cli::replay_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "ratelimit-sim: could not write the output\n";
      return kExitFailed;
    }
    return status;
  }
  auto parsed = parse_arguments(args);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    std::cerr << "ratelimit-sim: " << *message << " (see ratelimit-sim --help)\n";
    return kExitRejected;
  }
  const Options options = std::get<Options>(parsed);
  int status = kExitOk;
  switch (options.command) {
    case Command::Help: std::cout << kHelp; break;
    case Command::Parse: status = parse_command(std::cin, std::cout); break;
    case Command::Simulate: status = simulate_command(options, std::cin, std::cout); break;
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "ratelimit-sim: could not write the output\n";
    return kExitFailed;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::ios::sync_with_stdio(false);
    return run(std::vector<std::string_view>(argv + 1, argv + argc));
  } catch (const std::exception& error) {
    std::cerr << "ratelimit-sim: internal error: " << error.what() << '\n';
  } catch (...) {
    std::cerr << "ratelimit-sim: internal error\n";
  }
  return kExitFailed;
}
