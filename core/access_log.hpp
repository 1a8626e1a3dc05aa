// A streaming reader of request logs: turns the bytes of an access log into the two columns a
// replay needs, client ids and times (epoch seconds). Fed in chunks of any size (a line may span
// chunks; LF or CRLF). Formats:
//   common / combined  `1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 ...`;
//                      the client is the first field (Flask's development server writes
//                      `[10/Oct/2000 13:55:36]`, local time without a zone: read as UTC; nginx's
//                      $time_iso8601 and morgan's default `[Tue, 10 Oct 2000 13:55:36 GMT]` are
//                      read too)
//   jsonl              one JSON object per line, nested objects searched too; the time is the
//                      first of `StartUTC` (Traefik), `EdgeStartTimestamp` (Cloudflare), `time`,
//                      `timestamp`, `ts`, `@timestamp`, `time_local`, `time_iso8601`, `date`,
//                      `datetime`, `msec`; the client (optional) the first of `ip`, `client`,
//                      `client_ip`, `remote_addr`, `remote_ip`, `ClientHost` (Traefik), `addr`,
//                      `key`, `user`, `user_id`, `c-ip`. Names match without regard to case or the
//                      separators _ - . @ (`remoteIp`, `ClientIP`), so Caddy's request.client_ip,
//                      Google Cloud's httpRequest.remoteIp and ECS's client.ip are found; a
//                      client named inside a `host`, `server`, `destination`, `observer` or
//                      `upstream` object ranks after all others (ECS's host.ip is the server's).
//   csv                a header row naming those columns, then one request per row; separated
//                      by semicolons when the header has more of them than commas; a time that
//                      is only a clock (10:00:00) is on the day of a `date` column
//   timestamps         one time per line, no client
//   w3c                W3C extended (IIS, Amazon CloudFront): a `#Fields:` directive names the
//                      space- or tab-separated columns; the time is `date` and `time` (UTC), the
//                      client `c-ip` ("-" for none)
//   elb                AWS load balancers: Application (`https 2024-05-01T10:00:00.186641Z
//                      app/name/id 203.0.113.5:2817 ...`) or Classic (the same without the
//                      type); the client is the address before its port, the time when the
//                      request came (an Application one's request_creation_time)
//   uwsgi              uWSGI's request log: `[pid: 11|app: 0|req: 1/1] 172.17.0.1 () {38 vars in
//                      700 bytes} [Wed Jan  5 12:00:00 2022] GET / => ...` (local time, read as UTC)
//   haproxy            HAProxy's HTTP log, with or without a syslog prefix: `... 10.0.1.2:33317
//                      [06/Feb/2009:12:14:14.655] http-in static/srv1 ...`; the client is the
//                      address before the accept date, without its port (local time, read as UTC)
//   heroku             Heroku's router log, as `heroku logs` (`2024-05-01T10:00:00.123456+00:00
//                      heroku[router]: at=info method=GET path="/" ... fwd="203.0.113.7" ...`) or
//                      a syslog drain (`<158>1 2024-05-01T10:00:00.123456+00:00 host heroku router
//                      - at=info ...`) writes it; the client is the one fwd (X-Forwarded-For)
//                      names (forwarded_client()); a key field is a pair's name (request_id)
//   envoy              Envoy's default access log: `[2016-04-15T20:17:00.310Z] "POST /api HTTP/2"
//                      204 - 154 0 226 100 "10.0.35.28" "user agent" ...`; the client is the one
//                      its X-Forwarded-For field (the quoted one after the durations) names; and
//                      Istio's, three fields more before the byte counts, where a request without
//                      X-Forwarded-For is its downstream remote address's (the 19th field)
// A time is epoch seconds (a number; above 1e11 it is read as milliseconds, above 1e14 as
// microseconds, above 1e17 as nanoseconds), ISO-8601 (`2024-05-01T12:00:00.250+02:00`, a space
// for the T is fine, no zone means UTC; Go's time.String() `2009-11-10 23:00:00 +0000 UTC
// m=+0.000000001` too) or the access-log form `10/Oct/2000:13:55:36 -0700`.
// `auto` takes the format of the first non-blank line that reads as one of them.
//
// Bad lines are counted, the first few kept with their line number and a plain reason, and
// skipped; nothing here throws for any input. Blank lines and lines starting with '#' are skipped
// without complaint (they still count for line numbers).
//
// Out-of-order times: logs written by several workers are slightly out of order (each logs a
// request when it ends). Every request keeps its own logged time: finish() stable-sorts the
// requests by time when any arrived out of order (reported as out_of_order()), so equal times
// keep file order. A sorted log, the usual case, costs nothing extra.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/algorithm.hpp"

namespace ratelimit {

enum class LogFormat { Auto, Common, Combined, JsonLines, Csv, Timestamps, W3c, Elb, Uwsgi, Haproxy, Heroku, Envoy };
inline constexpr LogFormat kLogFormats[] = {LogFormat::Auto,       LogFormat::Common, LogFormat::Combined,
                                            LogFormat::JsonLines,  LogFormat::Csv,    LogFormat::Timestamps,
                                            LogFormat::W3c,        LogFormat::Elb,    LogFormat::Uwsgi,
                                            LogFormat::Haproxy,    LogFormat::Heroku, LogFormat::Envoy};

std::string_view log_format_name(LogFormat format);  // "auto", "common", "combined", "jsonl", ...
std::optional<LogFormat> log_format_from_name(std::string_view name);

// A time as described above, in epoch seconds; nothing when `text` is not one, or names a day its
// month does not have (2024-02-30: a bad line, never 1 March). `zoned`, when given, is set to
// whether the time says where it is: a zone or Z, or an epoch number.
std::optional<double> parse_log_time(std::string_view text, bool* zoned = nullptr);

// Whether `name` is a private, loopback or link-local address (10/8, 172.16/12, 192.168/16,
// 127/8, 169.254/16; ::1, fc00::/7, fe80::/10): one a proxy or load balancer of yours may have,
// never a client's on the internet.
bool is_private_address(std::string_view name);
// Whether a log's client `name`, with `requests` of all `total` requests, looks like a proxy or
// load balancer in front of the server rather than a client: a private address with at least half
// of the requests. Behind one without ProxyFix, Flask-Limiter's get_remote_address sees only that
// address: one key, one shared limit, for everyone.
bool looks_like_proxy(std::string_view name, std::uint64_t requests, std::uint64_t total);
// Whether `name` is a loopback address (127/8, ::1): this machine itself. In a log, a proxy on the
// same machine (nginx in front of gunicorn) or someone trying the app locally, as with Flask's
// development server.
bool is_loopback(std::string_view name);
// The client an X-Forwarded-For value ("203.0.113.7, 10.0.0.5") names, as your own proxies saw
// it: each proxy appends the address it was reached from, so from the right, the first address
// that is not private (is_private_address()), after skipping `public_proxies` public ones as well
// (a CDN's edges, which a load balancer behind the CDN appends: 1); the furthest one when there
// are not so many. The addresses before it are whatever the client sent, which anyone can forge.
// `public_before`, when given, is set to whether a public address comes before the client (it
// wrote the header itself, or it is a public proxy). Empty for "-" and for an empty value.
std::string_view forwarded_client(std::string_view value, int public_proxies = 0, bool* public_before = nullptr);
// Whether a key field's name ends in X-Forwarded-For, as names compare (case and _ - . @ ignored):
// x-forwarded-for, http_x_forwarded_for (nginx), request_X-Forwarded-For (Traefik).
bool names_forwarded_for(std::string_view field);

// Whether a request's `target` (its path, or URL: the scheme and host are skipped, and so are the
// query and fragment) is `path` or below it, as a route or a blueprint's prefix takes it: /api
// takes /api and /api/items?page=2, not /apiary. `path` starts with '/'.
bool path_within(std::string_view target, std::string_view path);

// Which requests a replay keeps, as a limit on one route sees them: those to `path` or below it
// (path_within(); a path without a leading '/' is given one, and one with a query string or a
// fragment is its path alone, as a route sees every query) and made with one of `methods`
// (comma-separated, in any case: "POST", "get, head"). Empty keeps all.
struct RequestFilter {
  std::string path;
  std::string methods;
  bool keeps_all() const { return path.empty() && methods.empty(); }
};

// A request's method and path (or URL), as a log line names them: GET and /items?page=2 in
// "GET /items?page=2 HTTP/1.1". Empty where the line has none.
struct RequestLine {
  std::string_view method;
  std::string_view target;
};

struct BadLine {
  std::uint64_t line = 0;  // 1-based, in its file
  std::string reason;      // e.g. "no [date] field"
  std::string text;        // the line, cut to kBadLineExcerpt bytes
  std::uint32_t file = 0;  // which file: 0 for the first, 1 after one end_file(), ...
};

class AccessLogParser {
 public:
  static constexpr std::size_t kMaxBadSamples = 10;
  static constexpr std::size_t kBadLineExcerpt = 120;
  static constexpr std::size_t kMaxLineBytes = 64 * 1024;  // longer lines are bad, not buffered

  // `key_field`, when given, is what a request is counted per instead of the client's address, as
  // a Flask-Limiter key function may read a user or an API key: a JSON member (searched as the
  // time and client are; of a list, its last string, as Caddy logs a header's values; a JSON
  // client, key or path is read with its escapes decoded, "Jos\u00e9" as "José"), a CSV
  // column, a W3C #Fields name, a Heroku router line's pair (request_id), or `user` in a common,
  // combined or uWSGI log (the authenticated user); other formats have no such field. Names
  // compare as field names do (case and _ - . @ ignored). A line without the field names no client (without_client()).
  // A field whose name ends in X-Forwarded-For (x-forwarded-for; http_x_forwarded_for, as nginx
  // names it; Traefik's request_X-Forwarded-For) counts per the client it names
  // (forwarded_client(), skipping `public_proxies` public addresses from the right); in a common
  // or combined log it is the quoted field after the user agent, where nginx's default log format
  // puts it.
  // `filter` keeps only the requests a limit on one route would see (RequestFilter); the others,
  // and those whose line names no path or method when one is asked for, are counted (left_out())
  // and left out.
  explicit AccessLogParser(LogFormat format = LogFormat::Auto, std::string_view key_field = {},
                           const RequestFilter& filter = {}, int public_proxies = 0);

  void feed(std::string_view chunk);
  // Ends a file, for a log in several (rotated ones, in any order): its last line is read even
  // without a newline, and the next one is the next file's first line (its header, in CSV).
  void end_file();
  // The rest of the current file cannot be read (a gzip file that breaks off, as one copied while
  // it was written does): the line cut off there is one bad line, saying so with `reason` (the
  // decompressor's words; at its first line, that the file cannot be read); the lines before it
  // stay read. Then end_file() or finish().
  void break_off(std::string_view reason);
  // Ends the last file and puts the requests in time order. Call once, last.
  void finish();

  // `Auto` until a line decided it.
  LogFormat format() const { return format_; }
  // Per request, in time order after finish().
  const std::vector<KeyId>& clients() const { return clients_; }
  const std::vector<double>& times() const { return times_; }
  // The client each id stands for ("" when the format has no client).
  std::string_view client_name(KeyId id) const {
    return std::string_view(names_).substr(name_starts_[id], name_starts_[id + 1] - name_starts_[id]);
  }
  std::size_t client_count() const { return name_starts_.size() - 1; }

  std::uint64_t lines() const { return lines_; }
  std::uint64_t bad_lines() const { return bad_count_; }
  const std::vector<BadLine>& bad_samples() const { return bad_samples_; }
  // The bad lines that stand for the rest of a file, unread (break_off(), a compressed file):
  // every one, without its text, since bad_samples() may have been full before them.
  const std::vector<BadLine>& unread() const { return unread_; }
  // Requests earlier than one before them in their file (as several workers write them); files
  // may come in any order. All are replayed at their own times.
  std::uint64_t out_of_order() const { return out_of_order_; }
  // Requests whose line names no client: they all share the client "" (every request of a
  // timestamps log; in JSON or CSV, lines without a client field or with an empty one).
  std::uint64_t without_client() const { return without_client_; }
  // The names a key field could take in this log, as the line that decided its format has them:
  // a JSON line's member names (nested ones too), a CSV header's columns, a W3C #Fields
  // directive's fields, a Heroku router line's pair names; user (and x-forwarded-for, when that
  // line carries one) in a common or combined log, user in uWSGI's; none in the other formats.
  // Each once, in order.
  const std::vector<std::string>& field_names() const { return field_names_; }
  // The filter as applied: the path with its leading '/', the methods in upper case, comma-separated
  // ("" for all); and how many requests it left out (their lines were read: see lines()).
  const RequestFilter& filter() const { return filter_; }
  std::uint64_t left_out() const { return left_out_; }
  // Requests whose access-log line also carries an X-Forwarded-For value, in a quoted field after
  // the user agent (nginx's default log format ends so), while counted per address: the key field
  // x-forwarded-for would count them per the client behind the proxies instead.
  std::uint64_t forwarded_for() const { return forwarded_for_; }
  // Whether at least half the requests carry X-Forwarded-For: they came through a proxy or CDN,
  // so the address on their lines is probably that proxy's, even where it is public (Cloudflare,
  // CloudFront) and many, which proxy_like_client() cannot tell from clients.
  bool mostly_forwarded() const { return forwarded_for_ > 0 && forwarded_for_ * 2 >= times_.size(); }
  // Whether the key field is X-Forwarded-For (names_forwarded_for()): counted per the client it names.
  bool forwarded_key() const { return forwarded_; }
  // Counted per X-Forwarded-For: requests whose value names a public address before the one
  // counted ("198.51.100.7, 130.176.12.4"), as a client behind a CDN has it when a load balancer
  // appends the CDN's edge, and as a client that wrote the header itself has it.
  std::uint64_t forwarded_beyond() const { return forwarded_beyond_; }
  int public_proxies() const { return public_proxies_; }
  // Whether at least half the requests are so: the addresses counted are probably a public
  // proxy's (a CDN's edges), and skipping one more public proxy would count the clients.
  bool beyond_public_proxy() const { return forwarded_beyond_ > 0 && forwarded_beyond_ * 2 >= times_.size(); }
  // Requests whose time names no zone and was read as UTC: every one from Flask's development
  // server, uWSGI and HAProxy, which log local time, and any other time written without a zone.
  std::uint64_t without_zone() const { return without_zone_; }
  // The client with the most requests (the lowest id of those tied), when it looks like a proxy
  // (looks_like_proxy()), and its requests; nothing otherwise. After finish().
  struct ClientRequests {
    KeyId client = 0;
    std::uint64_t requests = 0;
    bool loopback = false;  // is_loopback()
  };
  std::optional<ClientRequests> proxy_like_client() const;
  std::uint64_t bytes() const { return bytes_; }

 private:
  void line(std::string_view text);
  // The line kept in carry_ was longer than kMaxLineBytes: one bad line.
  void overlong_line();
  // Whether a file cannot be a text log: its first line starts as a compressed file does (zstd,
  // xz, ...) or as UTF-16 text does, or holds control characters, or one of its first lines holds
  // a NUL byte, as a binary file's do. If so, that is one bad line, which says why (and how to
  // read it), and the rest of the file is skipped.
  bool unreadable_file(std::string_view line);
  // Reads one line in the decided format; the reason it is bad, or nullptr when it was taken.
  const char* read(std::string_view text);
  const char* read_access_log(std::string_view text);
  const char* read_json(std::string_view text);
  const char* read_csv_header(std::string_view text);
  const char* read_csv_row(std::string_view text);
  const char* read_timestamp(std::string_view text);
  const char* read_w3c_fields(std::string_view names);
  const char* read_w3c(std::string_view text);
  const char* read_elb(std::string_view text);
  const char* read_uwsgi(std::string_view text);
  const char* read_haproxy(std::string_view text);
  const char* read_heroku(std::string_view text);
  const char* read_envoy(std::string_view text);
  void take(std::string_view client, double time, bool zoned);
  // Whether the filter leaves out `request`, counting it if so. Readers ask only when
  // filtering(): finding the request line costs.
  bool filtering() const { return !filter_.keeps_all(); }
  bool outside(const RequestLine& request);
  // A column a row must have for the filter: none when not filtering.
  std::size_t filter_column(std::size_t column) const;
  // The request in a CSV or W3C row read up to its method and path columns.
  RequestLine row_request(const std::string_view* fields) const;
  // Notes field_names() from `text`, the first line read in the decided format.
  void note_fields(std::string_view text);
  void bad(std::string_view text, std::string_view reason);
  // bad() for a line after which the file is not read; noted in unread() too.
  void bad_rest(std::string_view text, const std::string& reason);
  KeyId intern(std::string_view client);

  // A reader's client: its address, or nothing when the requests are counted per a key field
  // that the format does not have.
  std::string_view address_or_none(std::string_view address) const {
    return key_field_.empty() ? address : std::string_view();
  }

  LogFormat format_;
  std::string key_field_;  // lower case, no separators (same_name()); empty: the address
  bool forwarded_ = false;  // key_field_ is X-Forwarded-For: its values are reduced to the client
  int public_proxies_ = 0;  // public addresses skipped from the right in X-Forwarded-For
  RequestFilter filter_;
  std::vector<std::string> methods_;  // filter_.methods, one by one
  std::uint64_t left_out_ = 0;
  bool overlong_ = false;  // inside a line longer than kMaxLineBytes
  bool skip_file_ = false;  // the file is compressed (its first line said so): the rest is not read
  std::string carry_;      // the start of a line the previous chunk cut
  std::string json_client_, json_path_;  // a JSON line's client and path, when escapes were decoded
  std::uint64_t lines_ = 0;
  std::uint64_t file_line_ = 0;  // the line being read, 1-based in its file
  std::uint32_t file_ = 0;
  std::uint64_t bad_count_ = 0;
  std::uint64_t out_of_order_ = 0;  // requests earlier than one before them in their file
  std::uint64_t without_client_ = 0;
  std::uint64_t without_zone_ = 0;
  std::uint64_t forwarded_for_ = 0;
  std::uint64_t forwarded_beyond_ = 0;
  std::vector<std::string> field_names_;
  bool fields_noted_ = false;
  double file_max_time_ = -std::numeric_limits<double>::infinity();  // the latest in the file so far
  double max_time_ = -std::numeric_limits<double>::infinity();       // in all files
  bool sorted_ = true;        // whether the times are in order as read
  std::uint64_t bytes_ = 0;
  std::vector<BadLine> bad_samples_;
  std::vector<BadLine> unread_;
  std::vector<KeyId> clients_;
  std::vector<double> times_;
  // Interning: ids are dense, in order of first appearance; the names are stored end to end in
  // one string, and an open-addressing table of ids finds them, so a lookup allocates nothing
  // and a new client costs its bytes. (Smaller in WebAssembly than std::unordered_map too.)
  std::string names_;
  std::vector<std::size_t> name_starts_{0};  // id's name is [name_starts_[id], name_starts_[id + 1])
  std::vector<KeyId> slots_;                 // kNoSlot or an id; size a power of two
  KeyId last_id_ = 0;                        // most lines repeat a recent client: skip the hash then
  // CSV and W3C: which columns hold the time, the date (W3C; in CSV, a `date` column besides the
  // time's, for times that are only a clock) and the client (npos: none),
  // once the header row or the #Fields directive has named them.
  std::size_t time_column_ = std::string_view::npos;
  std::size_t date_column_ = std::string_view::npos;
  std::size_t client_column_ = std::string_view::npos;
  std::size_t path_column_ = std::string_view::npos;    // CSV, W3C: the request's path
  std::size_t method_column_ = std::string_view::npos;  // and its method
  bool columns_named_ = false;
  char csv_separator_ = ',';  // ';' when the CSV header has more of them than commas
};

}  // namespace ratelimit
