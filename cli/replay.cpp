#include "cli/replay.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <unistd.h>
#include <zlib.h>

#include "cli/json_text.hpp"
#include "core/access_log.hpp"
#include "core/civil_date.hpp"
#include "core/rate.hpp"
#include "core/replay.hpp"

namespace ratelimit::cli {

namespace {

// As in main.cpp.
constexpr int kExitOk = 0;
constexpr int kExitRejected = 2;

constexpr std::size_t kOffendersShown = 3;  // per algorithm in the text summary (JSON has all)

struct ReplayArguments {
  std::string rule;
  std::optional<Algorithm> algorithm;
  ReplayKey key = ReplayKey::PerClient;
  std::string key_field;  // --key field:NAME: counted per this field (AccessLogParser), not the address
  int public_proxies = 0; // --public-proxies N: skipped from the right in X-Forwarded-For
  RequestFilter filter;   // --path, --method: only the requests a limit on one route sees
  LogFormat format = LogFormat::Auto;
  bool json = false;
  std::vector<std::string> files;  // the files of one log ("-": stdin)
};

// The name a file is shown by: stdin for "-".
std::string shown(const std::string& file) { return file == "-" ? "stdin" : file; }

std::variant<ReplayArguments, std::string> parse_replay_arguments(const std::vector<std::string_view>& args) {
  ReplayArguments parsed;
  bool have_rule = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool takes_value = arg == "--rule" || arg == "--strategy" || arg == "--key" || arg == "--format" ||
                             arg == "--path" || arg == "--method" || arg == "--public-proxies";
    if (takes_value && i + 1 == args.size()) return std::string(arg) + " needs a value";
    if (arg == "--rule") {
      parsed.rule = std::string(args[++i]);
      have_rule = true;
    } else if (arg == "--strategy") {
      const std::string_view name = args[++i];
      if (name == "all") {
        parsed.algorithm.reset();
      } else if (auto algorithm = algorithm_from_name(name)) {
        parsed.algorithm = algorithm;
      } else {
        return "unknown strategy '" + std::string(name) + "' (all, fixed-window, moving-window, token-bucket, ...)";
      }
    } else if (arg == "--key") {
      const std::string_view name = args[++i];
      constexpr std::string_view kField = "field:";
      const bool field = name.substr(0, kField.size()) == kField && name.size() > kField.size();
      if (name != "ip" && name != "none" && !field) {
        return "--key is ip, none or field:NAME, not '" + std::string(name) + "'";
      }
      parsed.key = name == "none" ? ReplayKey::Shared : ReplayKey::PerClient;
      parsed.key_field = field ? std::string(name.substr(kField.size())) : "";
    } else if (arg == "--format") {
      const auto format = log_format_from_name(args[++i]);
      if (!format) {
        std::string names;
        for (LogFormat one : kLogFormats) {
          names += std::string(names.empty() ? "" : one == std::end(kLogFormats)[-1] ? " or " : ", ") +
                   std::string(log_format_name(one));
        }
        return "--format is " + names + ", not '" + std::string(args[i]) + "'";
      }
      parsed.format = *format;
    } else if (arg == "--path") {
      parsed.filter.path = std::string(args[++i]);
      if (parsed.filter.path.empty()) return std::string("--path needs a path, e.g. --path /login");
    } else if (arg == "--method") {
      parsed.filter.methods = std::string(args[++i]);
      if (parsed.filter.methods.find_first_not_of(", ") == std::string::npos) {
        return std::string("--method needs a method, e.g. --method POST");
      }
    } else if (arg == "--public-proxies") {
      const std::string_view count = args[++i];
      if (count.size() != 1 || count[0] < '0' || count[0] > '9') {
        return "--public-proxies is a count from 0 to 9, not '" + std::string(count) + "'";
      }
      parsed.public_proxies = count[0] - '0';
    } else if (arg == "--json") {
      parsed.json = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "'";
    } else {
      parsed.files.emplace_back(arg);
    }
  }
  if (!have_rule) return std::string("replay needs --rule, e.g. --rule 10/second");
  if (parsed.files.empty()) return std::string("replay needs a FILE (- for stdin)");
  if (parsed.public_proxies > 0 && !names_forwarded_for(parsed.key_field)) {
    return std::string("--public-proxies needs --key field:x-forwarded-for");
  }
  return parsed;
}

// Feeds the files (stdin for "-") to `parser`, one log in several (rotated ones, in any order,
// gzipped or not: zlib reads a file that is not gzip as it is). A gzip file that breaks off is
// read up to there (AccessLogParser::break_off()); the reason when a file cannot be read at all.
std::optional<std::string> read_log(const std::vector<std::string>& files, AccessLogParser& parser) {
  std::vector<char> buffer(std::size_t{1} << 20);
  for (const std::string& file : files) {
    if (&file != &files.front()) parser.end_file();
    // stdin through a copy of its descriptor, which gzclose closes instead of stdin itself.
    gzFile stream = file == "-" ? gzdopen(dup(fileno(stdin)), "rb") : gzopen(file.c_str(), "rb");
    if (!stream) return "cannot open '" + file + "': " + std::strerror(errno);
    gzbuffer(stream, 1u << 17);
    int got = 0;
    while ((got = gzread(stream, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0) {
      parser.feed({buffer.data(), static_cast<std::size_t>(got)});
    }
    int code = Z_OK;
    std::string_view problem = gzerror(stream, &code);
    if (const std::size_t named = problem.rfind(": "); named != std::string_view::npos) {
      problem.remove_prefix(named + 2);  // zlib names the file first
    }
    const int error = errno;
    const std::optional<std::string> failure =
        code == Z_ERRNO ? std::optional<std::string>("cannot read '" + shown(file) + "': " + std::strerror(error))
                        : std::nullopt;
    if (code != Z_OK && code != Z_ERRNO) parser.break_off(problem);
    gzclose(stream);
    if (failure) return failure;
  }
  parser.finish();
  return std::nullopt;
}

// 2024-05-01T12:00:00Z (whole seconds, UTC), without the Z when `utc` is false.
std::string clock_text(double epoch_seconds, bool utc) {
  const auto seconds = static_cast<std::int64_t>(std::floor(epoch_seconds));
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const auto [year, month, day] = civil_from_days(days);
  char text[40];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lld:%02lld:%02lld%s", static_cast<long long>(year), month,
                day, static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                static_cast<long long>(rest % 60), utc ? "Z" : "");
  return text;
}

// "1 request", "2 requests".
std::string counted(std::uint64_t count, std::string_view noun) {
  return std::to_string(count) + ' ' + std::string(noun) + (count == 1 ? "" : "s");
}

// `text` cut to `max_bytes` (shortened()) and safe to print on a terminal: control characters
// (C1 ones too) and bytes that are not UTF-8 become \xNN, since a log line may carry escape
// sequences (in a user agent, say) or be no text at all.
std::string printable(std::string_view text, std::size_t max_bytes) {
  const std::string cut = shortened(text, max_bytes);
  std::string out;
  for (std::size_t i = 0; i < cut.size();) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(cut[i + k]); };
    const unsigned char c = byte(0);
    const std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool fine = length > 0 && i + length <= cut.size() && (length > 1 || (c >= 0x20 && c != 0x7F));
    for (std::size_t k = 1; fine && k < length; ++k) fine = (byte(k) & 0xC0) == 0x80;
    if (fine && c == 0xC2) fine = byte(1) >= 0xA0;  // U+0080-U+009F: C1 controls
    if (fine) {
      out.append(cut, i, length);
      i += length;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
      ++i;
    }
  }
  return out;
}

// The name shown for the requests whose line names no client.
constexpr const char* kNoClient = "(no client field)";

std::string client_label(const AccessLogParser& parser, KeyId id) {
  const std::string_view name = parser.client_name(id);
  return name.empty() ? kNoClient : printable(name, 40);
}

// Eight heights of a bar, lowest first: the timeline as one line of text.
std::string sparkline(const std::vector<std::uint64_t>& counts) {
  static constexpr const char* kBars[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::uint64_t most = 0;
  for (auto count : counts) most = std::max(most, count);
  std::string line;
  for (auto count : counts) line += kBars[count == 0 ? 0 : 1 + (count - 1) * 7 / most];
  return line;
}

Json result_json(const ReplayArguments& args, const AccessLogParser& parser, const ReplayResult& result,
                 const std::vector<ScaledReplay>& scaled) {
  Json json = Json::object();
  json["rule"] = args.rule;
  json["key"] = args.key == ReplayKey::Shared ? "none" : args.key_field.empty() ? "ip" : "field:" + args.key_field;
  if (parser.forwarded_key()) json["public_proxies"] = args.public_proxies;
  if (!parser.filter().keeps_all()) {
    json["path"] = parser.filter().path;
    json["methods"] = parser.filter().methods;
    json["left_out"] = parser.left_out();
  }
  json["format"] = std::string(log_format_name(parser.format()));
  json["lines"] = parser.lines();
  json["requests"] = result.requests;
  json["clients"] = parser.client_count();
  json["bad_lines"] = parser.bad_lines();
  Json samples = Json::array();
  for (const BadLine& bad : parser.bad_samples()) {
    samples.push_back(Json{{"file", args.files[bad.file]}, {"line", bad.line}, {"reason", bad.reason}, {"text", bad.text}});
  }
  json["bad_samples"] = std::move(samples);
  Json unread = Json::array();
  for (const BadLine& rest : parser.unread()) {
    unread.push_back(Json{{"file", args.files[rest.file]}, {"line", rest.line}, {"reason", rest.reason}});
  }
  json["unread"] = std::move(unread);
  json["out_of_order"] = parser.out_of_order();
  json["without_client"] = parser.without_client();
  json["without_zone"] = parser.without_zone();
  json["fields"] = parser.field_names();
  const auto proxy = parser.proxy_like_client();
  if (proxy && args.key == ReplayKey::PerClient) {
    json["proxy"] = Json{{"client", std::string(parser.client_name(proxy->client))},
                         {"requests", proxy->requests},
                         {"loopback", proxy->loopback},
                         {"forwarded_for", parser.forwarded_for()}};
  } else if (parser.mostly_forwarded() && args.key == ReplayKey::PerClient) {
    json["forwarded"] = Json{{"requests", parser.forwarded_for()}};
  } else if (parser.beyond_public_proxy() && args.key == ReplayKey::PerClient) {
    json["beyond_public_proxy"] = Json{{"requests", parser.forwarded_beyond()}, {"public_proxies", parser.public_proxies() + 1}};
  }
  json["start"] = result.start;
  json["end"] = result.end;
  json["bucket_seconds"] = result.bucket_seconds;
  json["coarse_times"] = result.coarse_times;
  Json algorithms = Json::array();
  for (const AlgorithmReplay& one : result.algorithms) {
    Json top = Json::array();
    for (const Offender& offender : one.top) {
      top.push_back(Json{{"client", std::string(parser.client_name(offender.client))},
                         {"requests", offender.requests},
                         {"denied", offender.denied},
                         {"timeline", offender.timeline}});
    }
    Json item{{"algorithm", std::string(algorithm_name(one.algorithm))},
              {"allowed", one.allowed},
              {"denied", one.denied},
              {"clients_denied", one.clients_denied},
              {"top", std::move(top)},
              {"timeline", one.timeline}};
    if (one.same_as) item["same_as"] = std::string(algorithm_name(*one.same_as));
    algorithms.push_back(std::move(item));
  }
  json["algorithms"] = std::move(algorithms);
  if (args.algorithm) {
    Json rules = Json::array();
    for (const ScaledReplay& one : scaled) {
      rules.push_back(Json{{"rule", rule_text(one.limits)},
                           {"factor", one.factor},
                           {"denied", one.denied},
                           {"clients_denied", one.clients_denied}});
    }
    json["scaled"] = std::move(rules);
  }
  return json;
}

// Why a log gave no request, as the replay page says it (web/replay/element.js).
std::string nothing_read(const AccessLogParser& parser) {
  const std::uint64_t lines = parser.lines();
  const std::uint64_t bad = parser.bad_lines();
  if (lines == 0) return ": it holds no line";
  if (parser.left_out() > 0) return "; --path and --method left out " + counted(parser.left_out(), "request");
  if (bad == lines) return lines == 1 ? ": its only line is bad (above)" : ": all " + std::to_string(lines) + " of its lines are bad (above)";
  if (bad > 0) {
    return ": " + std::to_string(bad) + " of its " + std::to_string(lines) +
           " lines are bad (above), the others blank, headers or comments";
  }
  return lines == 1 ? ": its only line is blank, a header or a comment" : ": its lines are blank, headers or comments";
}

// The tables of a replay that read requests: totals, timelines, offenders, scaled rules.
void print_figures(const ReplayArguments& args, const AccessLogParser& parser, const ReplayResult& result,
                   const std::vector<ScaledReplay>& scaled, std::ostream& out) {
  out << '\n';
  // Per client, a last column: how many clients had a request denied, of how many.
  const bool per_client = args.key == ReplayKey::PerClient;
  char row[160];
  std::snprintf(row, sizeof row, "%-28s %10s %10s %8s%s\n", "algorithm", "allowed", "denied", "denied%",
                per_client ? "  clients denied" : "");
  out << row;
  for (const AlgorithmReplay& one : result.algorithms) {
    const double share = 100.0 * static_cast<double>(one.denied) / static_cast<double>(result.requests);
    std::snprintf(row, sizeof row, "%-28s %10llu %10llu %7.1f%%", std::string(algorithm_name(one.algorithm)).c_str(),
                  static_cast<unsigned long long>(one.allowed), static_cast<unsigned long long>(one.denied), share);
    out << row;
    if (per_client) out << "  " << one.clients_denied << " of " << parser.client_count();
    out << '\n';
  }
  // The bucket family's copies (same_as): one meter, said once, here.
  std::vector<const AlgorithmReplay*> same;
  for (const AlgorithmReplay& one : result.algorithms) {
    if (one.same_as) same.push_back(&one);
  }
  for (std::size_t i = 0; i < same.size(); ++i) {
    out << (i == 0 ? "" : i + 1 < same.size() ? ", " : " and ") << algorithm_name(same[i]->algorithm);
  }
  if (!same.empty()) {
    out << " admit the same requests as " << algorithm_name(*same.front()->same_as) << ": one meter, replayed once\n";
  }
  char width[32];
  std::snprintf(width, sizeof width, "%.3g", result.bucket_seconds);
  out << "\nrejections over time (" << result.algorithms.front().timeline.size() << " buckets of " << width
      << " s each)\n";
  for (const AlgorithmReplay& one : result.algorithms) {
    std::snprintf(row, sizeof row, "%-28s ", std::string(algorithm_name(one.algorithm)).c_str());
    out << row << '|' << sparkline(one.timeline) << "|\n";
  }
  if (args.key == ReplayKey::PerClient) {
    out << "\ntop offenders (denied of requests)\n";
    for (const AlgorithmReplay& one : result.algorithms) {
      std::snprintf(row, sizeof row, "%-28s ", std::string(algorithm_name(one.algorithm)).c_str());
      out << row;
      if (one.top.empty()) out << "none denied";
      for (std::size_t i = 0; i < one.top.size() && i < kOffendersShown; ++i) {
        out << (i ? ", " : "") << client_label(parser, one.top[i].client) << ' ' << one.top[i].denied << '/'
            << one.top[i].requests;
      }
      out << '\n';
    }
  }
  if (!scaled.empty()) {
    out << "\ntighter and looser rules (" << algorithm_name(*args.algorithm) << ")\n";
    std::snprintf(row, sizeof row, "%-28s %10s %8s%s\n", "rule", "denied", "denied%", per_client ? "  clients denied" : "");
    out << row;
    for (const ScaledReplay& one : scaled) {
      const double share = 100.0 * static_cast<double>(one.denied) / static_cast<double>(result.requests);
      std::snprintf(row, sizeof row, "%-28s %10llu %7.1f%%", rule_text(one.limits).c_str(),
                    static_cast<unsigned long long>(one.denied), share);
      out << row;
      if (per_client) out << "  " << one.clients_denied << " of " << parser.client_count();
      out << (one.factor == 1 ? "  (this rule)\n" : "\n");
    }
  }
}

void print_text(const ReplayArguments& args, const AccessLogParser& parser, const ReplayResult& result,
                const std::vector<ScaledReplay>& scaled, std::ostream& out) {
  out << "replay of " << shown(args.files.front());
  if (args.files.size() > 1) out << " and " << counted(args.files.size() - 1, "more file");
  out << " (" << log_format_name(parser.format())
      << " format): " << counted(result.requests, "request");
  if (args.key == ReplayKey::PerClient) out << " from " << counted(parser.client_count(), "client");
  out << '\n';
  if (result.requests > 0) {
    // Times without a zone were read as UTC; when no time names one, they are the log's own clock.
    const bool local = parser.without_zone() == result.requests;
    out << "from " << clock_text(result.start, !local) << " to " << clock_text(result.end, !local);
    if (local) {
      out << " (the log's own clock: its times name no zone)";
    } else if (parser.without_zone() > 0) {
      out << " (" << counted(parser.without_zone(), "request") << " with no zone in the time, read as UTC)";
    }
    out << '\n';
  }
  out << "rule " << args.rule << ", key "
      << (args.key == ReplayKey::Shared      ? "none (all requests share one key)"
          : args.key_field.empty() ? "ip (each client counted on its own)"
                                   : "field:" + args.key_field + " (each value counted on its own)");
  if (args.public_proxies > 0) {
    out << ", " << args.public_proxies << (args.public_proxies == 1 ? " public proxy" : " public proxies") << " skipped";
  }
  out << '\n';
  for (const BadLine& rest : parser.unread()) {
    out << shown(args.files[rest.file]) << " line " << rest.line << ": " << rest.reason << '\n';
  }
  if (const RequestFilter& filter = parser.filter(); !filter.keeps_all()) {
    out << "only " << (filter.methods.empty() ? "" : filter.methods + " ") << "requests"
        << (filter.path.empty() ? "" : " to " + filter.path + " and below it") << ": "
        << counted(parser.left_out(), "other request") << " left out\n";
  }
  if (args.key == ReplayKey::PerClient && parser.without_client() > 0) {
    const std::string field = args.key_field.empty() ? "" : "the field " + args.key_field;
    if (parser.without_client() == result.requests) {
      out << "no line has " << (field.empty() ? "a client (a field such as ip, client_ip or remote_addr)" : field)
          << ", so all requests count as one client, as with --key none\n";
      if (!field.empty() && !parser.field_names().empty()) {
        out << "the fields of this log:";
        const char* separator = " ";
        for (const std::string& name : parser.field_names()) {
          out << separator << name;
          separator = ", ";
        }
        out << '\n';
      }
    } else {
      out << "requests without " << (field.empty() ? "a client" : field) << ": " << parser.without_client()
          << "; they count together as one client, shown as \"" << kNoClient << "\"\n";
    }
  }
  const auto proxy = parser.proxy_like_client();
  if (proxy && args.key == ReplayKey::PerClient) {
    out << proxy->requests << " of " << counted(result.requests, "request") << " come from "
        << parser.client_name(proxy->client)
        << (proxy->loopback ? ", this machine itself: a proxy on the same machine (nginx in front of\n"
                              "gunicorn), or the app tried locally, as with Flask's development server.\n"
                              "Behind a proxy without ProxyFix,"
                            : ", a private address: probably a proxy in front of the server.\nWithout ProxyFix,")
        << " Flask-Limiter's get_remote_address counts every client as this one, and so\n";
    if (parser.forwarded_for() > 0) {
      out << "does this replay. " << counted(parser.forwarded_for(), "request")
          << (parser.forwarded_for() == 1 ? " carries" : " carry")
          << " X-Forwarded-For, which names the client behind the proxy:\n"
          << "--key field:x-forwarded-for counts per that client, as Flask-Limiter with ProxyFix does.\n";
    } else {
      out << "does this replay; the proxy's own log has the clients' addresses.\n";
    }
  } else if (parser.mostly_forwarded() && args.key == ReplayKey::PerClient) {
    out << parser.forwarded_for() << " of " << counted(result.requests, "request")
        << " carry X-Forwarded-For: they came through a proxy or CDN (Cloudflare, CloudFront,\n"
           "a load balancer), so the address on their lines is probably that proxy's, and this replay\n"
           "counts each proxy address as a client. --key field:x-forwarded-for counts per the client\n"
           "the header names, as Flask-Limiter with ProxyFix set for your proxies does.\n";
  } else if (parser.beyond_public_proxy() && args.key == ReplayKey::PerClient) {
    out << parser.forwarded_beyond() << " of " << counted(result.requests, "request")
        << " name a public address in X-Forwarded-For before the one counted\n"
           "(\"client, edge\"): the addresses counted are probably a public proxy's, such as a CDN's\n"
           "edges, which a load balancer behind the CDN appends. --public-proxies "
        << args.public_proxies + 1 << " skips "
        << (args.public_proxies == 0 ? "them" : "one more") << " and counts the clients.\n";
  }
  if (result.coarse_times) {
    out << "every time in this log is a whole second, and the rule has a window of "
        << kCoarseWindowSeconds << " s or less: where in\n"
           "its second each request came is lost, so requests logged in one second count as\n"
           "simultaneous, and the figures can differ from what the rule did. A log with\n"
           "sub-second times (nginx's $msec, JSON with milliseconds) replays exactly.\n";
  }
  if (parser.out_of_order() > 0) {
    const bool one = parser.out_of_order() == 1;
    out << counted(parser.out_of_order(), "request") << (one ? " was" : " were") << " out of time order in "
        << (args.files.size() == 1 ? "the file" : one ? "its file" : "their file") << " and "
        << (one ? "was replayed at its own time\n" : "were replayed at their own times\n");
  }
  if (result.requests > 0) print_figures(args, parser, result, scaled, out);
  out << '\n' << counted(parser.bad_lines(), "bad line");
  if (parser.bad_lines() > 0) {
    out << (parser.bad_lines() > parser.bad_samples().size() ? " (the first ones:)" : ":") << '\n';
    for (const BadLine& bad : parser.bad_samples()) {
      out << "  " << (args.files.size() > 1 ? shown(args.files[bad.file]) + " " : "") << "line " << bad.line << ": "
          << bad.reason << '\n';
      if (!bad.text.empty()) out << "    " << printable(bad.text, 100) << '\n';
    }
  } else {
    out << '\n';
  }
}

}  // namespace

int replay_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err) {
  auto parsed_args = parse_replay_arguments(args);
  if (auto* message = std::get_if<std::string>(&parsed_args)) {
    err << "ratelimit-sim replay: " << *message << " (see ratelimit-sim --help)\n";
    return kExitRejected;
  }
  const ReplayArguments& arguments = std::get<ReplayArguments>(parsed_args);
  auto rule = parse_rates(arguments.rule);
  if (auto* error = std::get_if<ParseError>(&rule)) {
    err << "ratelimit-sim replay: --rule '" << arguments.rule << "': " << error->message
        << (error->hint.empty() ? "" : " (" + error->hint + ")") << '\n';
    return kExitRejected;
  }
  const auto& limits = std::get<std::vector<RateLimit>>(rule);
  if (limits.empty()) {
    err << "ratelimit-sim replay: --rule is empty\n";
    return kExitRejected;
  }
  auto parser = std::make_unique<AccessLogParser>(arguments.format, arguments.key_field, arguments.filter,
                                                  arguments.public_proxies);
  if (auto problem = read_log(arguments.files, *parser)) {
    err << "ratelimit-sim replay: " << *problem << '\n';
    return kExitRejected;
  }
  ReplayOptions options;
  options.algorithm = arguments.algorithm;
  options.key = arguments.key;
  const ReplayResult result = replay(parser->clients(), parser->times(), parser->client_count(), limits, options);
  // With one algorithm, also the same requests under tighter and looser rules.
  const std::vector<ScaledReplay> scaled =
      arguments.algorithm && result.requests > 0
          ? replay_scaled(parser->clients(), parser->times(), parser->client_count(), limits, options)
          : std::vector<ScaledReplay>{};
  if (arguments.json) {
    out << format_json(result_json(arguments, *parser, result, scaled)) << '\n';
  } else {
    print_text(arguments, *parser, result, scaled, out);
  }
  if (result.requests == 0) {
    err << "ratelimit-sim replay: no request could be read from '" << arguments.files.front() << "'"
        << (arguments.files.size() > 1 ? " and the other files" : "")
        << nothing_read(*parser) << '\n';
    return kExitRejected;
  }
  return kExitOk;
}

}  // namespace ratelimit::cli
