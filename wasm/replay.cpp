// Embind binding of log replay (core/access_log.hpp, core/replay.hpp): no logic here, only the
// mapping to JavaScript values. A Replay is fed a log in chunks of bytes, each copied once into
// a buffer the object owns (bufferFor, then feed), so no line ever crosses the boundary on its
// own; after finish() it can be replayed under any number of rules. Its owner must delete() it.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/access_log.hpp"
#include "core/rate.hpp"
#include "core/replay.hpp"

using emscripten::val;

namespace ratelimit {
namespace {

val count(std::uint64_t n) { return val(static_cast<double>(n)); }

val counts(const std::vector<std::uint64_t>& ns) {
  val out = val::array();
  for (std::uint64_t n : ns) out.call<void>("push", count(n));
  return out;
}

class JsReplay {
 public:
  // `format`: a name of log_format_name() (others read as auto); `key_field`: counted per that
  // field instead of the client's address (AccessLogParser), "" for the address; `path` and
  // `methods`: only the requests a limit on one route sees (RequestFilter), "" for all;
  // `public_proxies`: skipped in X-Forwarded-For (forwarded_client()).
  explicit JsReplay(const std::string& format, const std::string& key_field = "", const std::string& path = "",
                    const std::string& methods = "", int public_proxies = 0)
      : parser_(log_format_from_name(format).value_or(LogFormat::Auto), key_field, RequestFilter{path, methods},
                public_proxies) {}

  // The address of `bytes` bytes of wasm memory for the next chunk; valid until the next call.
  std::uintptr_t buffer_for(std::uint32_t bytes) {
    buffer_.resize(bytes);
    return reinterpret_cast<std::uintptr_t>(buffer_.data());
  }
  // Reads the first `bytes` of the buffer.
  void feed(std::uint32_t bytes) {
    parser_.feed(std::string_view(buffer_.data(), std::min<std::size_t>(bytes, buffer_.size())));
  }
  // Ends a file of a log in several (AccessLogParser::end_file()); finish() ends the last.
  void end_file() { parser_.end_file(); }
  // The rest of the file cannot be read, for `reason` (AccessLogParser::break_off()).
  void break_off(const std::string& reason) { parser_.break_off(reason); }
  void finish() {
    parser_.finish();
    std::vector<char>().swap(buffer_);
  }

  // {bytes, lines, requests, badLines, format}
  val progress() const {
    val out = val::object();
    out.set("bytes", count(parser_.bytes()));
    out.set("lines", count(parser_.lines()));
    out.set("requests", count(parser_.times().size()));
    out.set("badLines", count(parser_.bad_lines()));
    out.set("format", std::string(log_format_name(parser_.format())));
    return out;
  }

  // The replay under `rule` of `strategy` ("all" or an algorithm's name) with `key` "ip" or
  // "none": {format, lines, requests, clients, badLines, badSamples: [{file, line, reason, text}],
  // unread (AccessLogParser::unread(), as badSamples with text ''),
  // outOfOrder, withoutClient, withoutZone, path and methods (RequestFilter as applied), leftOut,
  // fields (field_names()), publicProxies (counted per X-Forwarded-For only: those skipped),
  // proxy (key "ip" only: {client, requests, loopback,
  // forwardedFor}, see proxy_like_client() and forwarded_for()) or else forwarded (key "ip"
  // only, when most requests carry X-Forwarded-For: {requests}, see mostly_forwarded()) or else
  // beyondPublicProxy (counted per X-Forwarded-For, when most requests name a public address
  // before the one counted: {requests, publicProxies: the count that would skip it}), start,
  // end, bucketSeconds, coarseTimes (ReplayResult::coarse_times), algorithms: [{algorithm, allowed, denied, clientsDenied, top: [{client,
  // requests, denied, timeline}], timeline: [denied per bucket], sameAs (when the figures are
  // another algorithm's, replay.hpp)}]}, or {error} when the rule or the options are not valid.
  val run(const std::string& rule, const std::string& strategy, const std::string& key, std::uint32_t buckets) const {
    val out = val::object();
    ReplayOptions options;
    options.buckets = buckets;
    std::vector<RateLimit> limits;
    if (!read_options(rule, strategy, key, limits, options, out)) return out;
    const ReplayResult result = replay(parser_.clients(), parser_.times(), parser_.client_count(), limits, options);
    out.set("format", std::string(log_format_name(parser_.format())));
    out.set("lines", count(parser_.lines()));
    out.set("requests", count(result.requests));
    out.set("clients", count(parser_.client_count()));
    out.set("badLines", count(parser_.bad_lines()));
    const auto bad_lines = [](const std::vector<BadLine>& lines) {
      val list = val::array();
      for (const BadLine& bad : lines) {
        val item = val::object();
        item.set("file", bad.file);
        item.set("line", count(bad.line));
        item.set("reason", bad.reason);
        item.set("text", bad.text);
        list.call<void>("push", item);
      }
      return list;
    };
    out.set("badSamples", bad_lines(parser_.bad_samples()));
    out.set("unread", bad_lines(parser_.unread()));
    out.set("outOfOrder", count(parser_.out_of_order()));
    out.set("withoutClient", count(parser_.without_client()));
    out.set("withoutZone", count(parser_.without_zone()));
    out.set("path", parser_.filter().path);
    out.set("methods", parser_.filter().methods);
    out.set("leftOut", count(parser_.left_out()));
    val fields = val::array();
    for (const std::string& name : parser_.field_names()) fields.call<void>("push", name);
    out.set("fields", fields);
    if (parser_.forwarded_key()) out.set("publicProxies", parser_.public_proxies());
    if (const auto proxy = parser_.proxy_like_client(); proxy && options.key == ReplayKey::PerClient) {
      val client = val::object();
      client.set("client", std::string(parser_.client_name(proxy->client)));
      client.set("requests", count(proxy->requests));
      client.set("loopback", proxy->loopback);
      client.set("forwardedFor", count(parser_.forwarded_for()));
      out.set("proxy", client);
    } else if (parser_.mostly_forwarded() && options.key == ReplayKey::PerClient) {
      val forwarded = val::object();
      forwarded.set("requests", count(parser_.forwarded_for()));
      out.set("forwarded", forwarded);
    } else if (parser_.beyond_public_proxy() && options.key == ReplayKey::PerClient) {
      val beyond = val::object();
      beyond.set("requests", count(parser_.forwarded_beyond()));
      beyond.set("publicProxies", parser_.public_proxies() + 1);
      out.set("beyondPublicProxy", beyond);
    }
    out.set("start", result.start);
    out.set("end", result.end);
    out.set("bucketSeconds", result.bucket_seconds);
    out.set("coarseTimes", result.coarse_times);
    val algorithms = val::array();
    for (const AlgorithmReplay& one : result.algorithms) {
      val item = val::object();
      item.set("algorithm", std::string(algorithm_name(one.algorithm)));
      if (one.same_as) item.set("sameAs", std::string(algorithm_name(*one.same_as)));
      item.set("allowed", count(one.allowed));
      item.set("denied", count(one.denied));
      item.set("clientsDenied", count(one.clients_denied));
      val top = val::array();
      for (const Offender& offender : one.top) {
        val entry = val::object();
        entry.set("client", std::string(parser_.client_name(offender.client)));
        entry.set("requests", count(offender.requests));
        entry.set("denied", count(offender.denied));
        entry.set("timeline", counts(offender.timeline));
        top.call<void>("push", entry);
      }
      item.set("top", top);
      item.set("timeline", counts(one.timeline));
      algorithms.call<void>("push", item);
    }
    out.set("algorithms", algorithms);
    return out;
  }

  // The times (epoch seconds, in order) of the first `most` requests of the client named `name`,
  // as they were replayed, as a Float64Array: empty for a name no request has.
  val client_times(const std::string& name, std::uint32_t most) const {
    std::vector<double> times;
    for (KeyId id = 0; id < parser_.client_count(); ++id) {
      if (parser_.client_name(id) != name) continue;
      for (std::size_t i = 0; i < parser_.clients().size() && times.size() < most; ++i) {
        if (parser_.clients()[i] == id) times.push_back(parser_.times()[i]);
      }
      break;
    }
    return val::global("Float64Array").new_(val(emscripten::typed_memory_view(times.size(), times.data())));
  }

  // The same requests under the rule scaled from an eighth to eight times (replay_scaled), with
  // `strategy` (one algorithm's name) and `key` as run() reads them: {scaled: [{rule, factor,
  // denied, clientsDenied}]}, smallest first, or {error}.
  val scaled(const std::string& rule, const std::string& strategy, const std::string& key) const {
    val out = val::object();
    ReplayOptions options;
    std::vector<RateLimit> limits;
    if (!read_options(rule, strategy, key, limits, options, out)) return out;
    val rules = val::array();
    for (const ScaledReplay& one : replay_scaled(parser_.clients(), parser_.times(), parser_.client_count(), limits, options)) {
      val item = val::object();
      item.set("rule", rule_text(one.limits));
      item.set("factor", one.factor);
      item.set("denied", count(one.denied));
      item.set("clientsDenied", count(one.clients_denied));
      rules.call<void>("push", item);
    }
    out.set("scaled", rules);
    return out;
  }

 private:
  // Parses `rule` into `limits` and sets the algorithm and key of `options`; false, with `error`
  // set on `out`, when one of them is not valid.
  static bool read_options(const std::string& rule, const std::string& strategy, const std::string& key,
                           std::vector<RateLimit>& limits, ReplayOptions& options, val& out) {
    const ParseResult parsed = parse_rates(rule);
    if (const auto* error = std::get_if<ParseError>(&parsed)) {
      out.set("error", error->message + (error->hint.empty() ? "" : " (" + error->hint + ")"));
      return false;
    }
    limits = std::get<std::vector<RateLimit>>(parsed);
    if (strategy != "all") {
      options.algorithm = algorithm_from_name(strategy);
      if (!options.algorithm) {
        out.set("error", "unknown strategy \"" + strategy + "\"");
        return false;
      }
    }
    if (key != "ip" && key != "none") {
      out.set("error", "key is ip or none");
      return false;
    }
    options.key = key == "ip" ? ReplayKey::PerClient : ReplayKey::Shared;
    return true;
  }


  AccessLogParser parser_;
  std::vector<char> buffer_;
};

}  // namespace
}  // namespace ratelimit

EMSCRIPTEN_BINDINGS(replay) {
  emscripten::class_<ratelimit::JsReplay>("Replay")
      .constructor<std::string>()
      .constructor<std::string, std::string>()
      .constructor<std::string, std::string, std::string, std::string>()
      .constructor<std::string, std::string, std::string, std::string, int>()
      .function("bufferFor", &ratelimit::JsReplay::buffer_for)
      .function("feed", &ratelimit::JsReplay::feed)
      .function("endFile", &ratelimit::JsReplay::end_file)
      .function("clientTimes", &ratelimit::JsReplay::client_times)
      .function("breakOff", &ratelimit::JsReplay::break_off)
      .function("finish", &ratelimit::JsReplay::finish)
      .function("progress", &ratelimit::JsReplay::progress)
      .function("run", &ratelimit::JsReplay::run)
      .function("scaled", &ratelimit::JsReplay::scaled);
}
