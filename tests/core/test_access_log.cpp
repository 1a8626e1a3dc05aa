#include "core/access_log.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace ratelimit::test {

namespace {

// Feeds `text` in pieces of `piece` bytes (0: all at once) and finishes.
AccessLogParser parsed(const std::string& text, std::size_t piece = 0, LogFormat format = LogFormat::Auto) {
  AccessLogParser parser(format);
  if (piece == 0) {
    parser.feed(text);
  } else {
    for (std::size_t at = 0; at < text.size(); at += piece) parser.feed(std::string_view(text).substr(at, piece));
  }
  parser.finish();
  return parser;
}

std::vector<std::string> client_names(const AccessLogParser& parser) {
  std::vector<std::string> names;
  for (KeyId id : parser.clients()) names.emplace_back(parser.client_name(id));
  return names;
}

const std::string kCombined =
    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
    "\"http://www.example.com/start.html\" \"Mozilla/4.08\"\r\n"
    "10.0.0.2 - - [10/Oct/2000:13:55:37 -0700] \"GET / HTTP/1.0\" 200 10 \"-\" \"curl\"\r\n"
    "127.0.0.1 - - [10/Oct/2000:20:55:38 +0000] \"GET / HTTP/1.0\" 200 10 \"-\" \"curl\"\r\n";

}  // namespace

TEST_CASE("access log: times, in any zone, become epoch seconds") {
  CHECK(parse_log_time("10/Oct/2000:13:55:36 -0700") == 971211336.0);
  CHECK(parse_log_time("[10/Oct/2000:20:55:36 +0000]") == 971211336.0);
  CHECK(parse_log_time("2000-10-10T20:55:36Z") == 971211336.0);
  CHECK(parse_log_time("2000-10-10T22:55:36.250+02:00") == 971211336.25);
  CHECK(parse_log_time("10/Oct/2000:17:25:36 -0330") == 971211336.0);  // zones of half an hour
  CHECK(parse_log_time("2000-10-11T02:25:36+05:30") == 971211336.0);
  CHECK(parse_log_time("2000-10-10 20:55:36") == 971211336.0);  // no zone: UTC
  CHECK(parse_log_time("971211336") == 971211336.0);
  CHECK(parse_log_time("971211336.5") == 971211336.5);
  CHECK(parse_log_time("971211336500") == 971211336.5);          // milliseconds
  CHECK(parse_log_time("971211336500000") == 971211336.5);       // microseconds
  CHECK(parse_log_time("2024-02-29T00:00:00Z") == 1709164800.0);  // a leap day
  CHECK_FALSE(parse_log_time("yesterday"));
  CHECK_FALSE(parse_log_time("10/Foo/2000:13:55:36 -0700"));
  CHECK_FALSE(parse_log_time("2000-13-10T20:55:36Z"));
  CHECK_FALSE(parse_log_time("-5"));
}

TEST_CASE("access log: a day its month does not have is a bad line that says so, not another day") {
  CHECK_FALSE(parse_log_time("2024-02-30T10:00:00Z"));  // would be 1 March
  CHECK_FALSE(parse_log_time("31/Apr/2024:10:00:00 +0000"));
  CHECK_FALSE(parse_log_time("2023-02-29 10:00:00"));  // not a leap year
  CHECK(parse_log_time("2000-02-29T00:00:00Z"));       // a leap year, though divisible by 100
  constexpr const char* kNoSuchDay = "the date names a day its month does not have (such as 30 February or 31 April)";
  // Apache's documented combined line (httpd.apache.org/docs/current/logs.html), on 31 April.
  const std::string april_31 =
      "127.0.0.1 - frank [31/Apr/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
      "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"\n";
  const AccessLogParser later = parsed(kCombined + april_31);
  CHECK(later.times().size() == 3);
  REQUIRE(later.bad_samples().size() == 1);
  CHECK(later.bad_samples()[0].reason == kNoSuchDay);
  const AccessLogParser first = parsed(april_31 + kCombined);  // a first line that reads as no format decides none
  CHECK(first.times().size() == 3);
  CHECK(first.bad_lines() == 1);
  const AccessLogParser json = parsed("{\"ts\": \"2024-02-29T10:00:00Z\"}\n{\"ts\": \"2024-02-30T10:00:00Z\"}\n");
  CHECK(json.times() == std::vector<double>{1709200800});
  REQUIRE(json.bad_samples().size() == 1);
  CHECK(json.bad_samples()[0].reason == kNoSuchDay);
}

TEST_CASE("access log: Go's time.String() is read, its zone's name and monotonic clock skipped") {
  // "2006-01-02 15:04:05.999999999 -0700 MST", then " m=±<value>" when the time has a monotonic
  // reading (pkg.go.dev/time#Time.String); the playground's time.Now() prints the first below.
  CHECK(parse_log_time("2009-11-10 23:00:00 +0000 UTC m=+0.000000001") == 1257894000.0);
  CHECK(parse_log_time("2020-11-15 12:45:16.000000036 +0000 UTC") == doctest::Approx(1605444316.000000036));
  CHECK(parse_log_time("2009-11-11 00:00:00.5 +0100 CET") == 1257894000.5);
  CHECK(parse_log_time("2009-11-11 02:00:00 +0300 +03 m=-1.5") == 1257894000.0);  // a zone without a name
  CHECK_FALSE(parse_log_time("2009-11-10 23:00:00 UTC"));  // a name alone says no offset
  // Nothing else follows a time: a line of a time and a client is no time (the client would be
  // lost), nor is an ISO offset (with its colon) followed by a word, or a name that is no name.
  CHECK_FALSE(parse_log_time("2024-05-01T10:00:00+02:00 203.0.113.7"));
  CHECK_FALSE(parse_log_time("2024-05-01 10:00:00 +0200 203.0.113.7"));
  CHECK_FALSE(parse_log_time("2024-05-01 10:00:00 +0200 CEST garbage"));
  CHECK_FALSE(parse_log_time("2024-05-01 10:00:00 +0200 CEST m=+x"));
  const AccessLogParser json = parsed("{\"time\": \"2009-11-10 23:00:00 +0000 UTC m=+0.000000001\", \"ip\": \"203.0.113.7\"}\n");
  CHECK(json.times() == std::vector<double>{1257894000});
  CHECK(json.without_zone() == 0);
}

TEST_CASE("access log: whether a time names its zone") {
  const auto zoned = [](std::string_view text) {
    bool named = false;
    REQUIRE(parse_log_time(text, &named));
    return named;
  };
  CHECK(zoned("10/Oct/2000:13:55:36 -0700"));
  CHECK(zoned("2000-10-10T20:55:36Z"));
  CHECK(zoned("2000-10-10T22:55:36.250+02:00"));
  CHECK(zoned("971211336.5"));  // an epoch number is UTC by definition
  CHECK_FALSE(zoned("2000-10-10 20:55:36"));
  CHECK_FALSE(zoned("[10/Oct/2000 13:55:36]"));
}

TEST_CASE("access log: requests whose times name no zone are counted, per format") {
  const auto without_zone = [](const std::string& text) {
    const AccessLogParser parser = parsed(text);
    REQUIRE(parser.bad_lines() == 0);
    REQUIRE(!parser.times().empty());
    return parser.without_zone();
  };
  CHECK(without_zone(kCombined) == 0);
  CHECK(without_zone("127.0.0.1 - - [29/Nov/2026 09:00:00] \"GET / HTTP/1.1\" 200 -\n") == 1);  // Werkzeug
  CHECK(without_zone("{\"ts\": \"2024-05-01T10:00:00\"}\n{\"ts\": \"2024-05-01T10:00:01Z\"}\n{\"ts\": 1714557602}\n") ==
        1);
  CHECK(without_zone("time,ip\n2024-05-01 10:00:00,a\n") == 1);
  CHECK(without_zone("2024-05-01 10:00:00\n1714557601\n") == 1);
  CHECK(without_zone("#Fields: date time c-ip\n2024-05-01 10:00:00 203.0.113.5\n") == 0);  // W3C times are UTC
  CHECK(without_zone("h2 2024-05-01T10:00:02Z app/lb/1 203.0.113.5:1 10.0.0.1:80\n") == 0);
  CHECK(without_zone("[pid: 1|app: 0|req: 1/1] 1.2.3.4 () {1 vars in 1 bytes} [Sat Nov 29 09:00:00 2026] GET / => x\n") ==
        1);
  CHECK(without_zone("10.0.1.2:33318 [06/Feb/2009:12:14:15.000] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- "
                     "1/1/1/1/0 0/0 \"GET / HTTP/1.1\"\n") == 1);
}

TEST_CASE("access log: a combined log is detected; clients are the first field, ids in order of appearance") {
  const AccessLogParser parser = parsed(kCombined);
  CHECK(parser.format() == LogFormat::Combined);
  CHECK(parser.times() == std::vector<double>{971211336, 971211337, 971211338});
  CHECK(parser.clients() == std::vector<KeyId>{0, 1, 0});
  CHECK(parser.client_count() == 2);
  CHECK(client_names(parser) == std::vector<std::string>{"127.0.0.1", "10.0.0.2", "127.0.0.1"});
  CHECK(parser.bad_lines() == 0);
}

TEST_CASE("access log: Flask's development server (Werkzeug) writes the date with a space, without a zone") {
  const AccessLogParser parser = parsed(
      "127.0.0.1 - - [29/Nov/2026 09:00:00] \"GET /api HTTP/1.1\" 200 -\n"
      "127.0.0.1 - - [29/Nov/2026 09:00:01] \"GET /api HTTP/1.1\" 429 -\n");
  CHECK(parser.format() == LogFormat::Common);
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{1795942800, 1795942801});
}

TEST_CASE("access log: Express's morgan, in its default format, writes the date as an HTTP date") {
  // morgan's `default` format, ':remote-addr - :remote-user [:date] ...', whose :date is
  // Date.toUTCString() ("web", RFC 1123: github.com/expressjs/morgan, HISTORY.md 1.5.0).
  const AccessLogParser parser = parsed(
      "::ffff:127.0.0.1 - - [Tue, 10 Oct 2000 13:55:36 GMT] \"GET / HTTP/1.1\" 200 2326 \"-\" \"curl/7.64.1\"\n"
      "::1 - - [Tue, 10 Oct 2000 13:55:37 GMT] \"GET /favicon.ico HTTP/1.1\" 404 150 \"http://localhost:3000/\" \"Mozilla/5.0\"\n");
  CHECK(parser.format() == LogFormat::Combined);
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{971186136, 971186137});
  CHECK(client_names(parser) == std::vector<std::string>{"::ffff:127.0.0.1", "::1"});
  CHECK(parser.without_zone() == 0);  // GMT is a zone
}

TEST_CASE("access log: a line split across chunks anywhere reads the same") {
  for (std::size_t piece : {1, 2, 7, 64, 1000}) {
    CAPTURE(piece);
    const AccessLogParser parser = parsed(kCombined, piece);
    CHECK(parser.times() == std::vector<double>{971211336, 971211337, 971211338});
    CHECK(client_names(parser) == std::vector<std::string>{"127.0.0.1", "10.0.0.2", "127.0.0.1"});
    CHECK(parser.lines() == 3);
  }
}

TEST_CASE("access log: a common log without a final newline") {
  const AccessLogParser parser = parsed("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5");
  CHECK(parser.format() == LogFormat::Common);
  CHECK(parser.times() == std::vector<double>{1704067200});
}

TEST_CASE("access log: JSON lines take the first known time and client fields; arrays, nulls and empties skipped") {
  const AccessLogParser parser = parsed(
      "{\"msg\": {\"a\": [1, \"}\"]}, \"@timestamp\": \"2024-01-01T00:00:01Z\", \"remote_addr\": \"9.9.9.9\"}\n"
      "{\"ts\": 1704067202000, \"key\": \"alice\", \"ip\": null, \"client\": \"\", \"extra\": null}\n"
      "{\"TIME\": 1704067203.5, \"ip\": [\"1.1.1.1\"]}\n");
  CHECK(parser.format() == LogFormat::JsonLines);
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{1704067201, 1704067202, 1704067203.5});
  CHECK(client_names(parser) == std::vector<std::string>{"9.9.9.9", "alice", ""});
  CHECK(parser.without_client() == 1);
}

TEST_CASE("access log: JSON fields are found in nested objects and by name without case or separators") {
  // Lines as Caddy, Google Cloud's load balancer, Traefik, Cloudflare and ECS write them
  // (shortened): the best-ranked name wins wherever it is.
  const AccessLogParser parser = parsed(
      "{\"level\":\"info\",\"ts\":1714557600.25,\"request\":{\"remote_ip\":\"10.0.0.1\",\"client_ip\":"
      "\"203.0.113.5\",\"headers\":{\"Date\":[\"x\"]}},\"user_id\":\"\",\"status\":200}\n"
      "{\"httpRequest\":{\"requestMethod\":\"GET\",\"remoteIp\":\"198.51.100.7\"},"
      "\"timestamp\":\"2024-05-01T10:00:00.5Z\"}\n"
      "{\"ClientAddr\":\"192.0.2.1:5432\",\"ClientHost\":\"192.0.2.1\",\"StartUTC\":\"2024-05-01T10:00:00.75Z\","
      "\"time\":\"2024-05-01T10:00:01Z\"}\n"
      "{\"ClientIP\":\"192.0.2.2\",\"EdgeStartTimestamp\":1714557601000000000,\"RayID\":\"7d1\"}\n"
      "{\"@timestamp\":\"2024-05-01T10:00:01.5Z\",\"client\":{\"ip\":\"192.0.2.3\"},\"source\":{\"port\":1}}\n");
  CHECK(parser.format() == LogFormat::JsonLines);
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{1714557600.25, 1714557600.5, 1714557600.75, 1714557601, 1714557601.5});
  CHECK(client_names(parser) ==
        std::vector<std::string>{"203.0.113.5", "198.51.100.7", "192.0.2.1", "192.0.2.2", "192.0.2.3"});
  CHECK(parser.without_client() == 0);
  // Of two fields with the same name, the first found wins: the line's own, not a nested one's.
  CHECK(client_names(parsed("{\"time\":1700000000,\"ip\":\"1.1.1.1\",\"upstream\":{\"ip\":\"10.0.0.8\"}}\n")) ==
        std::vector<std::string>{"1.1.1.1"});
}

TEST_CASE("access log: a JSON member of the server's side names no client, even when it comes first") {
  // Filebeat's nginx module writes ECS (an event of Filebeat 8.1.2, shortened:
  // gist.github.com/ebeahan/2edbc068cf4d589b33cfa980caaa47e4; www.elastic.co/guide/en/ecs/current/
  // ecs-destination.html); exported with its keys sorted, destination.ip comes before source.ip.
  const AccessLogParser ecs = parsed(
      "{\"@timestamp\":\"2022-03-31T18:48:35.000Z\",\"destination\":{\"address\":\"192.168.64.2\",\"ip\":\"192.168.64.2\"},"
      "\"ecs\":{\"version\":\"8.0.0\"},\"host\":{\"hostname\":\"test\",\"ip\":\"192.168.64.2\"},\"http\":{\"request\":"
      "{\"method\":\"GET\"},\"response\":{\"status_code\":200}},\"source\":{\"address\":\"192.168.64.1\",\"ip\":"
      "\"192.168.64.1\"},\"url\":{\"original\":\"/\",\"path\":\"/\"}}\n");
  CHECK(ecs.times() == std::vector<double>{1648752515});
  CHECK(client_names(ecs) == std::vector<std::string>{"192.168.64.1"});
  // Named so at any depth, for every client name: server.ip, observer.ip, upstream.addr.
  CHECK(client_names(parsed("{\"time\":1700000000,\"server\":{\"ip\":\"10.0.0.5\"},\"upstream\":{\"addr\":\"10.0.0.8\"},"
                            "\"request\":{\"remote_addr\":\"203.0.113.7\"}}\n")) == std::vector<std::string>{"203.0.113.7"});
  // With no other, it is still a client: better than none.
  CHECK(client_names(parsed("{\"time\":1700000000,\"host\":{\"ip\":\"10.0.0.5\"}}\n")) == std::vector<std::string>{"10.0.0.5"});
}

TEST_CASE("access log: JSON escapes in a client or path are read as the text they stand for") {
  // Python writes non-ASCII as \uXXXX (a pair of them past U+FFFF), PHP escapes slashes.
  AccessLogParser users(LogFormat::Auto, "user", RequestFilter{"/api", ""});
  users.feed("{\"ts\": 1700000000, \"user\": \"Jos\\u00e9\", \"uri\": \"\\/api\\/items\"}\n"
             "{\"ts\": 1700000001, \"user\": \"Jos\xC3\xA9\", \"uri\": \"/api/items?q=a\\u0026b\"}\n"  // raw UTF-8: the same user
             "{\"ts\": 1700000002, \"user\": \"\\ud83d\\ude00 \\\"q\\\" \\\\ \\t\", \"uri\": \"\\/apiary\"}\n"  // left out: another path
             "{\"ts\": 1700000003, \"user\": \"\\ud83d\\ude00 \\\"q\\\" \\\\ \\t\", \"uri\": \"\\/api\"}\n"
             "{\"ts\": 1700000004, \"user\": \"\\ud83d x \\ude00 \\u12G4 \\q\", \"uri\": \"/api\"}\n");  // halves, bad escapes
  users.finish();
  CHECK(users.left_out() == 1);
  CHECK(client_names(users) == std::vector<std::string>{"Jos\xC3\xA9", "Jos\xC3\xA9", "\xF0\x9F\x98\x80 \"q\" \\ \t",
                                                         "\xEF\xBF\xBD x \xEF\xBF\xBD \\u12G4 \\q"});
  CHECK(users.client_count() == 3);
}

TEST_CASE("access log: JSON nested deeper than the search is skipped, not read") {
  std::string deep = "{\"ts\": 1704067200, \"a\":";
  for (int i = 0; i < 20; ++i) deep += "{\"b\":";
  deep += "{\"ip\": \"deep\"}";
  for (int i = 0; i < 21; ++i) deep += "}";
  deep += "}\n";
  const AccessLogParser parser = parsed(deep + "{\"ts\": 1704067200, \"a\": {\"ip\": \"shallow\"}}\n");
  CHECK(parser.bad_lines() == 0);
  CHECK(client_names(parser) == std::vector<std::string>{"", "shallow"});
  // The search goes eight objects deep below the line's own.
  const auto nested = [](int levels) {
    std::string line = "{\"ts\": 1704067200";
    for (int i = 0; i < levels; ++i) line += ", \"a\": {\"b\": 1";
    line += ", \"ip\": \"found\"" + std::string(static_cast<std::size_t>(levels), '}') + "}\n";
    return client_names(parsed(line)).at(0);
  };
  CHECK(nested(8) == "found");
  CHECK(nested(9) == "");
}

TEST_CASE("access log: CSV with a header naming the columns, quoted fields included") {
  const AccessLogParser parser = parsed(
      "path,Client,timestamp\n"
      "/a,10.0.0.1,2024-01-01T00:00:00Z\n"
      "\"/b,c\",\"10.0.0.2\",1704067201\n"
      "/c,10.0.0.1\n"
      "\"/d?q=\"\"x\"\", y\",10.0.0.3,1704067202\n");  // "" is a quote inside a quoted field
  CHECK(parser.format() == LogFormat::Csv);
  CHECK(parser.times() == std::vector<double>{1704067200, 1704067201, 1704067202});
  CHECK(client_names(parser) == std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.3"});
  REQUIRE(parser.bad_samples().size() == 1);
  CHECK(parser.bad_samples()[0].line == 4);
  CHECK(parser.bad_samples()[0].reason == "fewer columns than the header: the row ends before its time");
}

TEST_CASE("access log: CSV separated by semicolons, as spreadsheets in much of Europe save it") {
  // Where the comma is the decimal sign, Excel saves CSV with semicolons (wiki.imacros.net/csv,
  // "In continental Europe ... Windows uses a comma (,) as decimal delimiter"): a time may have a
  // decimal comma, and a quoted field a comma of its own.
  const AccessLogParser parser = parsed(
      "Timestamp;IP;Method;Path\r\n"
      "2024-05-01 10:00:00;203.0.113.5;GET;/api/items\r\n"
      "1714557600,5;198.51.100.7;POST;\"/api/a,b\"\r\n");
  CHECK(parser.format() == LogFormat::Csv);
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{1714557600, 1714557600.5});
  CHECK(client_names(parser) == std::vector<std::string>{"203.0.113.5", "198.51.100.7"});
  CHECK(parser.field_names() == std::vector<std::string>{"Timestamp", "IP", "Method", "Path"});
}

TEST_CASE("access log: CSV with the date and the time in columns of their own") {
  // Log Parser's CSV output of IIS's W3C log keeps its date, time and c-ip columns (the sample of
  // documentation.help/Log-Parser/IISW3C.htm, with its time: LogParser -i:IISW3C -o:CSV
  // "SELECT date, time, c-ip, cs-uri-stem FROM ex031118.log").
  const AccessLogParser parser = parsed(
      "date,time,c-ip,cs-uri-stem\n"
      "2003-11-18,00:28:33,192.168.1.101,/Default.htm\n"
      "2003-11-18,00:28:34,192.168.1.104,/hitcount.asp\n");
  CHECK(parser.format() == LogFormat::Csv);
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{1069115313, 1069115314});
  CHECK(client_names(parser) == std::vector<std::string>{"192.168.1.101", "192.168.1.104"});
  // A time column that holds a whole time is read alone.
  CHECK(parsed("date,time\n2003-11-18,2003-11-18T00:28:33Z\n").times() == std::vector<double>{1069115313});
}

TEST_CASE("access log: a CSV row that ends early has its missing fields empty, whichever columns are read") {
  const std::string text =
      "time,ip,path,user_id\n"
      "1728561300,192.0.2.1,/a,alice\n"
      "1728561301,192.0.2.1,/a\n"  // no user_id: as empty
      "1728561302,192.0.2.1,/a,\n";
  CHECK(parsed(text).times().size() == 3);
  AccessLogParser per_user(LogFormat::Auto, "user_id");
  per_user.feed(text);
  per_user.finish();
  CHECK(per_user.times().size() == 3);
  CHECK(per_user.without_client() == 2);
  CHECK(per_user.bad_lines() == 0);
}

TEST_CASE("access log: one time per line, one anonymous client") {
  const AccessLogParser parser = parsed("1704067200\n2024-01-01T00:00:01Z\n1704067202500\n");
  CHECK(parser.format() == LogFormat::Timestamps);
  CHECK(parser.times() == std::vector<double>{1704067200, 1704067201, 1704067202.5});
  CHECK(parser.client_count() == 1);
  CHECK(parser.without_client() == 3);
}

TEST_CASE("access log: W3C extended, as IIS and CloudFront write it, is read by its #Fields directive") {
  const AccessLogParser iis = parsed(
      "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
      "#Fields: date time s-ip cs-method cs-uri-stem c-ip cs(User-Agent) sc-status time-taken\n"
      "2024-05-01 10:00:00 10.0.0.4 GET /api 203.0.113.5 Mozilla/5.0+(Windows) 200 15\n"
      "2024-05-01 10:00:00.5 10.0.0.4 GET /api - curl 200 15\n"
      "2024-05-01 10:00:01\n"
      "#Fields: time date c-ip\n"  // a restarted server may log new fields
      "10:00:02 2024-05-01 198.51.100.7\n");
  CHECK(iis.format() == LogFormat::W3c);
  CHECK(iis.times() == std::vector<double>{1714557600, 1714557600.5, 1714557602});
  CHECK(client_names(iis) == std::vector<std::string>{"203.0.113.5", "", "198.51.100.7"});
  CHECK(iis.without_client() == 1);
  REQUIRE(iis.bad_samples().size() == 1);
  CHECK(iis.bad_samples()[0].line == 6);
  CHECK(iis.bad_samples()[0].reason == "fewer fields than the #Fields directive names");
  const AccessLogParser cloudfront = parsed(
      "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method\n"
      "2024-05-01\t10:00:00\tLAX1\t392\t192.0.2.100\tGET\n");
  CHECK(cloudfront.format() == LogFormat::W3c);
  CHECK(client_names(cloudfront) == std::vector<std::string>{"192.0.2.100"});
  const AccessLogParser no_fields = parsed("2024-05-01 10:00:00 203.0.113.5\n", 0, LogFormat::W3c);
  REQUIRE(no_fields.bad_samples().size() == 1);
  CHECK(no_fields.bad_samples()[0].reason == "no #Fields directive naming date and time before this line");
}

TEST_CASE("access log: AWS load balancer logs, Application and Classic; the client without its port") {
  const AccessLogParser parser = parsed(
      "https 2024-05-01T10:00:00.186641Z app/my-lb/50dc6c495c0c9188 203.0.113.5:2817 10.0.0.1:80 0.000 0.001 "
      "0.000 200 200 34 366 \"GET https://example.com:443/ HTTP/1.1\" \"curl/7.46.0\" - -\n"
      "2024-05-01T10:00:01.5Z my-classic-lb [2001:db8::1]:2818 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "
      "\"GET http://example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -\n"
      "h2 2024-05-01T10:00:02Z app/my-lb/50dc6c495c0c9188 203.0.113.5 10.0.0.1:80\n");
  CHECK(parser.format() == LogFormat::Elb);
  CHECK(parser.times() == std::vector<double>{1714557600.186641, 1714557601.5});
  CHECK(client_names(parser) == std::vector<std::string>{"203.0.113.5", "2001:db8::1"});
  REQUIRE(parser.bad_samples().size() == 1);
  CHECK(parser.bad_samples()[0].reason == "the client is not address:port");
}

TEST_CASE("access log: an Application Load Balancer's request is timed by its request_creation_time") {
  // `time` is when the response was sent; request_creation_time, when the request arrived. The
  // line is AWS's documented example, as Vector's parse_aws_alb_log docs repeat it
  // (docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html,
  // docs.rs/crate/vrl/latest/source/docs/generated/parse_aws_alb_log.json).
  const AccessLogParser parser = parsed(
      "http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 "
      "0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - "
      "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
      "\"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0 2018-11-30T22:22:48.364000Z \"forward\" \"-\" \"-\" "
      "\"-\" \"-\" \"-\" \"-\"\n");
  CHECK(parser.format() == LogFormat::Elb);
  CHECK(parser.times() == std::vector<double>{1543616568.364});
  CHECK(client_names(parser) == std::vector<std::string>{"192.168.131.39"});
}

TEST_CASE("access log: uWSGI's request log, its ctime read as UTC") {
  const AccessLogParser parser = parsed(
      "*** Starting uWSGI 2.0.21 (64bit) on [Wed Jan  5 11:59:58 2022] ***\n"
      "[pid: 11|app: 0|req: 1/1] 172.17.0.1 () {38 vars in 700 bytes} [Wed Jan  5 12:00:00 2022] GET / => "
      "generated 13 bytes in 0 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)\n"
      "[pid: 12|app: 0|req: 1/2] 10.0.0.9 (alice) {40 vars in 760 bytes} [Wed Jan 12 12:00:01 2022] POST /api => "
      "generated 2 bytes in 3 msecs (HTTP/1.1 429) 2 headers in 79 bytes (1 switches on core 0)\n"
      "[pid: 12|app: 0|req: 2/3] 10.0.0.9 () {40 vars in 760 bytes} [Wed Jan 12 25:00:01 2022] GET / => ...\n",
      0, LogFormat::Uwsgi);
  CHECK(parser.times() == std::vector<double>{1641384000, 1641988801});
  CHECK(client_names(parser) == std::vector<std::string>{"172.17.0.1", "10.0.0.9"});
  REQUIRE(parser.bad_samples().size() == 2);
  CHECK(parser.bad_samples()[0].reason == "expected `[pid: ...] client () {...} [date] ...`");  // uWSGI's own lines
  CHECK(parser.bad_samples()[1].reason == "the [date] is not as uWSGI writes it (Wed Jan  5 12:00:00 2022)");
  CHECK(parsed("[pid: 1|app: 0|req: 1/1] 1.2.3.4 () {1 vars in 1 bytes} [Sat Nov 29 09:00:00 2026] GET / => x\n")
            .format() == LogFormat::Uwsgi);
}

TEST_CASE("access log: HAProxy's HTTP log, through syslog or not; the client without its port") {
  const AccessLogParser parser = parsed(
      "Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in "
      "static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} \"GET /index.html HTTP/1.1\"\n"
      "10.0.1.2:33318 [06/Feb/2009:12:14:15.000] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- "
      "1/1/1/1/0 0/0 \"GET / HTTP/1.1\"\n"
      "[2001:db8::7]:40000 [06/Feb/2009:12:14:16.5] http-in static/srv1 0/0/0/1/1 429 10 - - ---- 1/1/1/1/0 0/0 "
      "\"GET / HTTP/1.1\"\n");
  CHECK(parser.format() == LogFormat::Haproxy);
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{1233922454.655, 1233922455, 1233922456.5});
  CHECK(client_names(parser) == std::vector<std::string>{"10.0.1.2", "10.0.1.2", "2001:db8::7"});
  // A common log's field before the [date] is the user, never an address:port.
  CHECK(parsed(kCombined).format() == LogFormat::Combined);
}

TEST_CASE("access log: Heroku's router log; the client is the last public address of fwd") {
  // Heroku Dev Center's examples (devcenter.heroku.com/articles/http-routing): an info line, an
  // error line (a request too, answered 503), and today's, with request_id and a quoted path, as
  // `heroku logs` or a syslog drain (RFC 5424) writes it. An app's own lines in the stream are bad.
  const AccessLogParser parser = parsed(
      "2012-10-11T03:47:20+00:00 heroku[router]: at=info method=GET path=/ host=myapp.herokuapp.com "
      "fwd=\"204.204.204.204\" dyno=web.1 connect=1ms service=18ms status=200 bytes=13\n"
      "2012-10-11T03:47:21+00:00 heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=/ "
      "host=myapp.herokuapp.com fwd=\"204.204.204.204\" dyno=web.1 connect= service=30000ms status=503 bytes=0\n"
      "2012-10-11T03:47:21.5+00:00 app[web.1]: Started GET \"/\" for 204.204.204.204\n"
      "<158>1 2012-10-11T03:47:22.000000+00:00 host heroku router - at=info method=POST path=\"/login?next=/a b\" "
      "host=myapp.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd=\"1.2.3.4, 198.51.100.9\" "
      "dyno=web.1 connect=0ms service=5ms status=302 bytes=0 protocol=https\n"
      // an HTTPS drain frames each line with its length in bytes (RFC 6587)
      "184 <158>1 2012-10-11T03:47:23+00:00 host heroku router - at=info method=GET path=/ "
      "host=myapp.herokuapp.com fwd=\"204.204.204.205\" dyno=web.1 connect=1ms service=18ms status=200 bytes=13\n");
  CHECK(log_format_name(parser.format()) == "heroku");
  CHECK(parser.times() == std::vector<double>{1349927240, 1349927241, 1349927242, 1349927243});
  CHECK(client_names(parser) == std::vector<std::string>{"204.204.204.204", "204.204.204.204", "198.51.100.9", "204.204.204.205"});
  REQUIRE(parser.bad_samples().size() == 1);
  CHECK(parser.bad_samples()[0].line == 3);
  AccessLogParser logins(LogFormat::Auto, "request_id", {"/login", "POST"});
  logins.feed("2012-10-11T03:47:22+00:00 heroku[router]: at=info method=POST path=\"/login?next=/a b\" "
              "host=myapp.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd=\"198.51.100.9\" "
              "dyno=web.1 connect=0ms service=5ms status=302 bytes=0 protocol=https\n"
              "2012-10-11T03:47:23+00:00 heroku[router]: at=info method=GET path=/ host=myapp.herokuapp.com "
              "fwd=\"204.204.204.204\" dyno=web.1 connect=1ms service=18ms status=200 bytes=13\n");
  logins.finish();
  CHECK(client_names(logins) == std::vector<std::string>{"8601b555-6a83-4c12-8269-97c8e32cdb22"});
  CHECK(logins.left_out() == 1);
  CHECK(logins.field_names().at(0) == "at");
}

TEST_CASE("access log: Envoy's default access log; the client is the one X-Forwarded-For names") {
  // The example of Envoy's default format string (envoyproxy.io/docs/envoy/latest/configuration/
  // observability/access_log/usage#default-format-string), then the same behind a CDN and with
  // no X-Forwarded-For at all.
  const AccessLogParser parser = parsed(
      "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100 \"10.0.35.28\" "
      "\"nsq2http\" \"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" \"tcp://10.0.2.1:80\"\n"
      "[2016-04-15T20:17:01.5Z] \"GET /api/v1/locations HTTP/1.1\" 200 - 0 42 3 2 \"203.0.113.7, 10.0.35.28\" "
      "\"Mozilla/5.0 (X11; Linux x86_64)\" \"dd21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" \"tcp://10.0.2.1:80\"\n"
      "[2016-04-15T20:17:02Z] \"GET / HTTP/1.1\" 200 - 0 42 3 2 \"-\" \"curl/7.46.0\" \"ee21d9b0\" \"locations\" \"-\"\n");
  CHECK(log_format_name(parser.format()) == "envoy");
  CHECK(parser.bad_lines() == 0);
  CHECK(parser.times() == std::vector<double>{1460751420.31, 1460751421.5, 1460751422});
  CHECK(client_names(parser) == std::vector<std::string>{"10.0.35.28", "203.0.113.7", ""});
  AccessLogParser posts(LogFormat::Auto, {}, {"/api", "POST"});
  posts.feed("[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100 \"10.0.35.28\" "
             "\"nsq2http\" \"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" \"tcp://10.0.2.1:80\"\n"
             "[2016-04-15T20:17:02Z] \"GET / HTTP/1.1\" 200 - 0 42 3 2 \"-\" \"curl/7.46.0\" \"ee21d9b0\" \"locations\" \"-\"\n");
  posts.finish();
  CHECK(posts.times().size() == 1);
  CHECK(posts.left_out() == 1);
}

TEST_CASE("access log: Istio's default access log; the client is X-Forwarded-For's, else the connection's") {
  // Istio's example (istio.io/latest/docs/tasks/observability/logs/access-log): three fields more
  // before the byte counts than Envoy's, so its 8th field is the bytes sent, not X-Forwarded-For;
  // then the same request through a proxy that adds X-Forwarded-For.
  const AccessLogParser parser = parsed(
      "[2020-11-25T21:26:18.409Z] \"GET /status/418 HTTP/1.1\" 418 - via_upstream - \"-\" 0 135 4 4 \"-\" "
      "\"curl/7.73.0-DEV\" \"84961386-6d84-929d-98bd-c5aee93b5c88\" \"httpbin:8000\" \"10.44.1.27:80\" "
      "outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default\n"
      "[2020-11-25T21:26:19.409Z] \"GET /status/418 HTTP/1.1\" 418 - via_upstream - \"-\" 0 135 4 4 \"203.0.113.7\" "
      "\"curl/7.73.0-DEV\" \"84961386-6d84-929d-98bd-c5aee93b5c89\" \"httpbin:8000\" \"10.44.1.27:80\" "
      "outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.9:46520 - default\n");
  CHECK(log_format_name(parser.format()) == "envoy");
  CHECK(parser.bad_lines() == 0);
  CHECK(client_names(parser) == std::vector<std::string>{"10.44.1.23", "203.0.113.7"});
  // A line of neither layout is bad, with why, rather than keyed by a byte count.
  AccessLogParser envoy(LogFormat::Envoy);
  envoy.feed("[2020-11-25T21:26:18.409Z] \"GET / HTTP/1.1\" 200 - 0 135 4 4 12 \"curl\"\n");
  envoy.finish();
  REQUIRE(envoy.bad_lines() == 1);
  CHECK(envoy.bad_samples()[0].reason == "no X-Forwarded-For field (addresses or -) where Envoy's or Istio's default format has it");
}

TEST_CASE("access log: bad lines are counted, the first ones kept with number and reason, never fatal") {
  std::string text = "# comment, skipped\n\nnot a log line\n";
  text += "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n";
  text += "1.2.3.4 - - [32/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n";
  text += "1.2.3.4 - - no date here\n";
  for (int i = 0; i < 20; ++i) text += "garbage\n";
  const AccessLogParser parser = parsed(text, 5);
  CHECK(parser.times().size() == 1);
  CHECK(parser.bad_lines() == 23);
  REQUIRE(parser.bad_samples().size() == AccessLogParser::kMaxBadSamples);
  CHECK(parser.bad_samples()[0].line == 3);
  CHECK(parser.bad_samples()[0].text == "not a log line");
  CHECK(parser.bad_samples()[0].reason.rfind("not a line of a known format", 0) == 0);
  CHECK(parser.bad_samples()[1].line == 5);  // once combined, a bad date says so
  CHECK(parser.bad_samples()[1].reason == "the [date] is not dd/Mon/yyyy:hh:mm:ss +zone, ISO 8601 or an HTTP date");
  CHECK(parser.bad_samples()[2].line == 6);
  CHECK(parser.bad_samples()[2].reason == "no [date] field");
  CHECK(parser.bad_samples()[9].line == 13);
}

TEST_CASE("access log: a forced format reads only that format") {
  const AccessLogParser parser = parsed("1704067200\n" + kCombined, 0, LogFormat::Combined);
  CHECK(parser.format() == LogFormat::Combined);
  CHECK(parser.times().size() == 3);
  REQUIRE(parser.bad_samples().size() == 1);
  CHECK(parser.bad_samples()[0].line == 1);
}

TEST_CASE("access log: out-of-order lines are counted and stable-sorted to their own times") {
  const AccessLogParser json = parsed(
      "{\"ts\": 1704067210, \"ip\": \"a\"}\n{\"ts\": 1704067212, \"ip\": \"b\"}\n{\"ts\": 1704067211, \"ip\": \"c\"}\n"
      "{\"ts\": 1704067212, \"ip\": \"d\"}\n{\"ts\": 1704067209, \"ip\": \"e\"}\n");
  CHECK(json.out_of_order() == 2);
  CHECK(json.times() == std::vector<double>{1704067209, 1704067210, 1704067211, 1704067212, 1704067212});
  CHECK(client_names(json) == std::vector<std::string>{"e", "a", "c", "b", "d"});  // equal times keep file order
}

TEST_CASE("access log: a path keeps the requests to it and below, as a route's or blueprint's prefix") {
  for (const char* target : {"/api", "/api/", "/api/items?page=2", "/api?x=1", "/api#top", "https://example.com:443/api/items",
                             "http://example.com/api"}) {
    CAPTURE(target);
    CHECK(path_within(target, "/api"));
  }
  for (const char* target : {"/apiary", "/", "/v2/api", "", "https://api.example.com/", "-", "*"}) {
    CAPTURE(target);
    CHECK_FALSE(path_within(target, "/api"));
  }
  CHECK(path_within("/api/items", "/api/"));
  CHECK_FALSE(path_within("/api", "/api/"));
  CHECK(path_within("/anything", "/"));
}

TEST_CASE("access log: a path and methods are found in every format that has them; others are left out and counted") {
  struct Case {
    const char* format;
    std::string log;
  };
  const std::vector<Case> cases = {
      {"combined", "1.2.3.4 - - [01/May/2024:10:00:00 +0000] \"GET /login HTTP/1.1\" 200 5 \"-\" \"curl\"\n"
                   "1.2.3.4 - - [01/May/2024:10:00:01 +0000] \"GET /static/a.css HTTP/1.1\" 200 5 \"-\" \"curl\"\n"
                   "1.2.3.4 - - [01/May/2024:10:00:02 +0000] \"-\" 400 0 \"-\" \"-\"\n"
                   "1.2.3.4 - - [01/May/2024:10:00:03 +0000] \"POST /login?next=/ HTTP/1.1\" 302 5 \"-\" \"curl\"\n"},
      {"jsonl", "{\"ts\": 1714557600, \"request\": {\"client_ip\": \"1.2.3.4\", \"method\": \"GET\", \"uri\": \"/login\"}}\n"
                "{\"ts\": 1714557601, \"request\": {\"client_ip\": \"1.2.3.4\", \"method\": \"GET\", \"uri\": \"/static/a.css\"}}\n"
                "{\"ts\": 1714557602, \"ip\": \"1.2.3.4\"}\n"
                "{\"ts\": 1714557603, \"httpRequest\": {\"remoteIp\": \"1.2.3.4\", \"requestMethod\": \"POST\", "
                "\"requestUrl\": \"https://x.io/login\"}}\n"},
      {"csv", "time,ip,method,path\n1714557600,1.2.3.4,GET,/login\n1714557601,1.2.3.4,GET,/static/a.css\n1714557602,1.2.3.4,,\n"
              "1714557603,1.2.3.4,post,/login/\n"},
      {"w3c", "#Fields: date time c-ip cs-method cs-uri-stem\n2024-05-01 10:00:00 1.2.3.4 GET /login\n"
              "2024-05-01 10:00:01 1.2.3.4 GET /static/a.css\n2024-05-01 10:00:02 1.2.3.4 - -\n"
              "2024-05-01 10:00:03 1.2.3.4 POST /login\n"},
      {"elb", "https 2024-05-01T10:00:00Z app/lb/1 1.2.3.4:1 10.0.0.1:80 0 0 0 200 200 34 366 \"GET https://x.io:443/login HTTP/1.1\" \"c\"\n"
              "https 2024-05-01T10:00:01Z app/lb/1 1.2.3.4:1 10.0.0.1:80 0 0 0 200 200 34 366 \"GET https://x.io:443/static/a.css HTTP/1.1\" \"c\"\n"
              "https 2024-05-01T10:00:02Z app/lb/1 1.2.3.4:1 10.0.0.1:80 0 0 0 400 - 34 366 \"- - - \" \"c\"\n"
              "https 2024-05-01T10:00:03Z app/lb/1 1.2.3.4:1 10.0.0.1:80 0 0 0 200 200 34 366 \"POST https://x.io:443/login HTTP/1.1\" \"c\"\n"},
      {"uwsgi", "[pid: 1|app: 0|req: 1/1] 1.2.3.4 () {38 vars in 700 bytes} [Wed May  1 10:00:00 2024] GET /login => x\n"
                "[pid: 1|app: 0|req: 2/2] 1.2.3.4 () {38 vars in 700 bytes} [Wed May  1 10:00:01 2024] GET /static/a.css => x\n"
                "[pid: 1|app: 0|req: 3/3] 1.2.3.4 () {38 vars in 700 bytes} [Wed May  1 10:00:02 2024]\n"
                "[pid: 1|app: 0|req: 4/4] 1.2.3.4 () {38 vars in 700 bytes} [Wed May  1 10:00:03 2024] POST /login => x\n"},
      {"haproxy", "1.2.3.4:1 [01/May/2024:10:00:00.000] fe be/s 0/0/0/1/1 200 5 - - ---- 1/1/1/1/0 0/0 \"GET /login HTTP/1.1\"\n"
                  "1.2.3.4:1 [01/May/2024:10:00:01.000] fe be/s 0/0/0/1/1 200 5 - - ---- 1/1/1/1/0 0/0 \"GET /static/a.css HTTP/1.1\"\n"
                  "1.2.3.4:1 [01/May/2024:10:00:02.000] fe be/s -1/-1/-1/-1/0 400 0 - - CR-- 1/1/1/1/0 0/0 \"<BADREQ>\"\n"
                  "1.2.3.4:1 [01/May/2024:10:00:03.000] fe be/s 0/0/0/1/1 200 5 - - ---- 1/1/1/1/0 0/0 \"POST /login HTTP/1.1\"\n"},
  };
  for (const Case& one : cases) {
    const std::string format = one.format;
    CAPTURE(format);
    AccessLogParser parser(LogFormat::Auto, {}, {"login", ""});  // given a leading '/'
    parser.feed(one.log);
    parser.finish();
    CHECK(log_format_name(parser.format()) == one.format);
    CHECK(parser.bad_lines() == 0);
    CHECK(parser.times() == std::vector<double>{1714557600, 1714557603});  // /static and the line without a path left out
    CHECK(parser.left_out() == 2);
    CHECK(parser.lines() == (std::string(one.format) == "csv" || std::string(one.format) == "w3c" ? 5u : 4u));
    AccessLogParser posts(LogFormat::Auto, {}, {"/login", " Post, put "});  // as @limiter.limit(..., methods=[...])
    posts.feed(one.log);
    posts.finish();
    CHECK(posts.times() == std::vector<double>{1714557603});
    CHECK(posts.left_out() == 3);
    AccessLogParser any_path(LogFormat::Auto, {}, {"", "get"});
    any_path.feed(one.log);
    any_path.finish();
    CHECK(any_path.times() == std::vector<double>{1714557600, 1714557601});
    const AccessLogParser all = parsed(one.log);
    CHECK(all.times().size() == 4);
    CHECK(all.left_out() == 0);
  }
  AccessLogParser timestamps(LogFormat::Auto, {}, {"/login", ""});  // no request line in the format: all left out
  timestamps.feed("1714557600\n1714557601\n");
  timestamps.finish();
  CHECK(timestamps.times().empty());
  CHECK(timestamps.left_out() == 2);
  CHECK(timestamps.filter().path == "/login");
  CHECK(AccessLogParser(LogFormat::Auto, {}, {"api", " post,, Get "}).filter().methods == "POST,GET");
  CHECK(AccessLogParser(LogFormat::Auto, {}, {"/search?q=a#top", ""}).filter().path == "/search");  // a route sees every query
}

TEST_CASE("access log: a log in several files, as logrotate leaves it, in any order") {
  // access.log.1 (the older one, starting with a byte order mark) given after access.log.
  const std::string newer = "203.0.113.1 - - [01/May/2024:10:00:02 +0000] \"GET / HTTP/1.1\" 200 5\n"
                            "203.0.113.1 - - [01/May/2024:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n"
                            "garbage";  // no newline: ends with its file, not merged with the next one's line
  const std::string older = "\xEF\xBB\xBF" "203.0.113.2 - - [01/May/2024:09:59:00 +0000] \"GET / HTTP/1.1\" 200 5\n"
                            "more garbage";
  AccessLogParser parser;
  parser.feed(newer);
  parser.end_file();
  parser.feed(older);
  parser.finish();
  CHECK(parser.times() == std::vector<double>{1714557540, 1714557601, 1714557602});  // sorted across files
  CHECK(client_names(parser) == std::vector<std::string>{"203.0.113.2", "203.0.113.1", "203.0.113.1"});
  CHECK(parser.out_of_order() == 1);  // within access.log; the older file coming second is no disorder
  CHECK(parser.lines() == 5);
  REQUIRE(parser.bad_samples().size() == 2);
  CHECK(parser.bad_samples()[0].file == 0);
  CHECK(parser.bad_samples()[0].line == 3);
  CHECK(parser.bad_samples()[0].text == "garbage");
  CHECK(parser.bad_samples()[1].file == 1);  // its own file's line number
  CHECK(parser.bad_samples()[1].line == 2);
  CHECK(parser.bad_samples()[1].text == "more garbage");

  // CSV: every file starts with its header, which is read as one, not as a bad row.
  AccessLogParser csv;
  csv.feed("time,ip\n1700000000,10.0.0.1\n");
  csv.end_file();
  csv.feed("ip,time\n10.0.0.2,1700000001\n");
  csv.end_file();
  csv.feed("time\n1700000002\n");  // no client column: none taken from the files before
  csv.finish();
  CHECK(csv.bad_lines() == 0);
  CHECK(client_names(csv) == std::vector<std::string>{"10.0.0.1", "10.0.0.2", ""});
}

TEST_CASE("access log: a file that breaks off keeps the lines before it, the cut one is bad") {
  // access.log.2.gz copied while logrotate was writing it, then access.log.1.
  AccessLogParser parser;
  parser.feed("203.0.113.1 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n"
              "203.0.113.1 - - [01/May/2024:10:00:01 +0000] \"GET / HTT");
  parser.break_off("unexpected end of file");
  parser.end_file();
  parser.feed("203.0.113.2 - - [01/May/2024:10:00:02 +0000] \"GET / HTTP/1.1\" 200 5\n");
  parser.finish();
  CHECK(parser.times() == std::vector<double>{1714557600, 1714557602});  // the cut line is not read
  CHECK(parser.lines() == 3);
  CHECK(parser.bad_lines() == 1);
  REQUIRE(parser.bad_samples().size() == 1);
  CHECK(parser.bad_samples()[0].file == 0);
  CHECK(parser.bad_samples()[0].line == 2);
  CHECK(parser.bad_samples()[0].text == "203.0.113.1 - - [01/May/2024:10:00:01 +0000] \"GET / HTT");
  CHECK(parser.bad_samples()[0].reason ==
        "the file breaks off here (unexpected end of file); the lines before it were read");

  REQUIRE(parser.unread().size() == 1);  // every such line, for a summary
  CHECK(parser.unread()[0].file == 0);
  CHECK(parser.unread()[0].line == 2);
  CHECK(parser.unread()[0].reason == parser.bad_samples()[0].reason);

  AccessLogParser after_many;  // the samples are full by the time it breaks off: unread() has it
  for (std::size_t i = 0; i <= AccessLogParser::kMaxBadSamples; ++i) after_many.feed("bad\n");
  after_many.break_off("unexpected end of file");
  after_many.finish();
  CHECK(after_many.bad_samples().size() == AccessLogParser::kMaxBadSamples);
  REQUIRE(after_many.unread().size() == 1);
  CHECK(after_many.unread()[0].line == after_many.lines());

  AccessLogParser unreadable;  // not gzip at all, after its first two bytes
  unreadable.break_off("invalid block type");
  unreadable.finish();
  CHECK(unreadable.bad_lines() == 1);
  REQUIRE(unreadable.bad_samples().size() == 1);
  CHECK(unreadable.bad_samples()[0].line == 1);
  CHECK(unreadable.bad_samples()[0].reason == "the file cannot be read (invalid block type)");
}

TEST_CASE("access log: a compressed file is one bad line that says how to read it, not garbage") {
  AccessLogParser parser;
  parser.feed("\x28\xb5\x2f\xfd binary\n\x01\x02\n\x03\n");  // access.log.1.zst
  parser.end_file();
  // access.log.2.xz, whose first line runs past kMaxLineBytes
  parser.feed("\xfd" "7zXZ" + std::string(AccessLogParser::kMaxLineBytes + 10, 'x') + "\n\x04\n");
  parser.end_file();
  parser.feed("1700000000\n");
  parser.finish();
  CHECK(parser.times() == std::vector<double>{1700000000});
  CHECK(parser.lines() == 3);  // the first line of each compressed file, and the last file's
  CHECK(parser.bad_lines() == 2);
  REQUIRE(parser.bad_samples().size() == 2);
  CHECK(parser.bad_samples()[0].file == 0);
  CHECK(parser.bad_samples()[0].line == 1);
  CHECK(parser.bad_samples()[0].reason == "the file is compressed with zstd: decompress it first, or compress it with gzip instead");
  CHECK(parser.bad_samples()[0].text.empty());
  CHECK(parser.bad_samples()[1].file == 1);
  CHECK(parser.bad_samples()[1].reason == "the file is compressed with xz: decompress it first, or compress it with gzip instead");
  REQUIRE(parser.unread().size() == 2);
  CHECK(parser.unread()[1].file == 1);
  CHECK(parser.unread()[1].reason == parser.bad_samples()[1].reason);
  // only a file's first bytes say so: the same bytes later in a file are an ordinary bad line
  const AccessLogParser later = parsed("1700000000\nBZh9 ...\n", 4);
  REQUIRE(later.bad_samples().size() == 1);
  CHECK(later.bad_samples()[0].text == "BZh9 ...");
}

TEST_CASE("access log: the client is the third word before the date, whatever a setup writes before it") {
  // Apache's vhost_combined, a syslog header, a container runtime's prefix, Python logging's.
  const std::string text =
      "www.example.com:443 203.0.113.5 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n"
      "May  1 12:00:01 web1 nginx: 203.0.113.6 - - [01/May/2024:12:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n"
      "2024-05-01T12:00:02.123456789Z stdout F 203.0.113.7 - alice [01/May/2024:12:00:02 +0000] \"GET / HTTP/1.1\" 200 5\n"
      "INFO:werkzeug:127.0.0.1 - - [01/May/2024:12:00:03 +0000] \"GET / HTTP/1.1\" 200 -\n";
  CHECK(client_names(parsed(text)) == std::vector<std::string>{"203.0.113.5", "203.0.113.6", "203.0.113.7", "127.0.0.1"});
  AccessLogParser users(LogFormat::Auto, "user");
  users.feed(text);
  users.finish();
  CHECK(users.without_client() == 3);  // only alice is logged in
}

TEST_CASE("access log: a client's port is dropped; an IPv4-mapped address is private as its IPv4 one") {
  const AccessLogParser json = parsed(
      "{\"ts\": 1704067200, \"remote_addr\": \"203.0.113.5:54321\"}\n"
      "{\"ts\": 1704067201, \"remote_addr\": \"203.0.113.5:54322\"}\n"
      "{\"ts\": 1704067202, \"remote_addr\": \"[2001:db8::1]:443\"}\n"
      "{\"ts\": 1704067203, \"remote_addr\": \"2001:db8::1\"}\n");
  CHECK(client_names(json) == std::vector<std::string>{"203.0.113.5", "203.0.113.5", "2001:db8::1", "2001:db8::1"});
  AccessLogParser forwarded(LogFormat::Auto, "x-forwarded-for");
  forwarded.feed("{\"ts\": 1704067200, \"ip\": \"10.0.0.1\", \"x-forwarded-for\": \"203.0.113.5:50001\"}\n"
                 "{\"ts\": 1704067201, \"ip\": \"10.0.0.1\", \"x-forwarded-for\": \"203.0.113.5:50002\"}\n");
  forwarded.finish();
  CHECK(client_names(forwarded) == std::vector<std::string>{"203.0.113.5", "203.0.113.5"});
  // A key field's value is not an address: its colon stays.
  AccessLogParser keyed(LogFormat::Auto, "user");
  keyed.feed("{\"ts\": 1704067200, \"user\": \"team.a:42\"}\n");
  keyed.finish();
  CHECK(client_names(keyed) == std::vector<std::string>{"team.a:42"});
  CHECK(is_private_address("::ffff:10.0.0.2"));
  CHECK(is_loopback("::FFFF:127.0.0.1"));
  CHECK_FALSE(is_private_address("::ffff:203.0.113.5"));
}

TEST_CASE("access log: X-Forwarded-For is a field that lists addresses, not any quoted number") {
  // nginx's upstream timings after the user agent: uct="0.001" is no address.
  const AccessLogParser timings = parsed(
      "203.0.113.5 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 12 \"-\" \"curl/8\" rt=0.004 uct=\"0.001\" uht=\"0.003\"\n");
  CHECK(timings.forwarded_for() == 0);
  const AccessLogParser forwarded = parsed(
      "10.0.0.9 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 12 \"-\" \"curl/8\" \"203.0.113.5, [2001:db8::7]:443\"\n");
  CHECK(forwarded.forwarded_for() == 1);
}

TEST_CASE("access log: werkzeug's coloured request line still names its method") {
  AccessLogParser gets(LogFormat::Auto, {}, {"", "GET"});
  gets.feed("127.0.0.1 - - [01/May/2024:12:00:00 +0000] \"\x1b[33mGET /missing HTTP/1.1\x1b[0m\" 404 -\n"
            "127.0.0.1 - - [01/May/2024:12:00:01 +0000] \"GET / HTTP/1.1\" 200 -\n");
  gets.finish();
  CHECK(gets.times().size() == 2);
  CHECK(gets.left_out() == 0);
}

TEST_CASE("access log: a JSON number too small to be a log's time is a duration, not the time") {
  const AccessLogParser parser = parsed("{\"timestamp\": \"2024-05-01T10:00:00.100Z\", \"time\": 0.012, \"ip\": \"a\"}\n");
  CHECK(parser.times() == std::vector<double>{1714557600.1});
}

TEST_CASE("access log: nginx's JSON $request, AWS WAF's httpMethod and nginx's $time_iso8601 are read") {
  AccessLogParser api(LogFormat::Auto, {}, {"/api", "GET"});
  api.feed("{\"time_local\": \"01/May/2024:12:00:00 +0200\", \"remote_addr\": \"203.0.113.5\", \"request\": \"GET /api/items?x=1 HTTP/1.1\"}\n"
           "{\"time_local\": \"01/May/2024:12:00:01 +0200\", \"remote_addr\": \"203.0.113.5\", \"request\": \"POST /api/items HTTP/1.1\"}\n"
           "{\"time_local\": \"01/May/2024:12:00:02 +0200\", \"remote_addr\": \"203.0.113.5\", \"request\": \"GET /health HTTP/1.1\", \"uri\": \"/api/x\"}\n");
  api.finish();
  CHECK(api.times() == std::vector<double>{1714557600, 1714557602});  // a member named uri wins over $request
  CHECK(api.left_out() == 1);
  AccessLogParser waf(LogFormat::Auto, {}, {"", "POST"});
  waf.feed("{\"timestamp\": 1714557600000, \"httpRequest\": {\"clientIp\": \"203.0.113.5\", \"httpMethod\": \"POST\", \"uri\": \"/login\"}}\n"
           "{\"timestamp\": 1714557601000, \"httpRequest\": {\"clientIp\": \"203.0.113.5\", \"httpMethod\": \"GET\", \"uri\": \"/\"}}\n");
  waf.finish();
  CHECK(waf.times() == std::vector<double>{1714557600});
  const AccessLogParser iso = parsed("203.0.113.5 - - [2024-05-01T12:00:00+02:00] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n");
  CHECK(iso.format() == LogFormat::Combined);
  CHECK(iso.times() == std::vector<double>{1714557600});
}

TEST_CASE("access log: a binary or UTF-16 file is one bad line that says so, not pages of garbage") {
  const auto reason = [](const std::string& text) {
    const AccessLogParser parser = parsed(text);
    CHECK(parser.lines() == 1);
    REQUIRE(parser.bad_samples().size() == 1);
    return parser.bad_samples()[0].reason;
  };
  CHECK(reason(std::string("\x7f" "ELF\x02\x01\x01\0\0\0\n\x03\x00\x3e\n\x01\n", 16)) ==
        "the file is binary, not a text log (its first line holds control characters)");
  CHECK(reason("\xFF\xFE" + std::string("1\0" "7\0\n\0", 6)) == "the file is UTF-16 text: save it as UTF-8 first");
  // A PNG's first line is "\x89PNG\r": its third holds NUL bytes.
  const AccessLogParser png = parsed(std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\n\x01\n", 18));
  CHECK(png.lines() == 3);
  CHECK(png.bad_lines() == 3);
  CHECK(png.unread().at(0).reason == "the file is binary, not a text log (line 3 holds a NUL byte)");
  // A tab (and the ESC of a coloured console log) is text; later control bytes are an ordinary
  // bad line.
  const AccessLogParser text = parsed("{\"ts\":\t1704067200, \"msg\": \"\x1b[33mok\"}\n{\"ts\": 1704067201\x01}\n");
  CHECK(text.times() == std::vector<double>{1704067200});
  CHECK(text.bad_lines() == 1);
}

TEST_CASE("access log: a line longer than the limit is one bad line, not a buffer") {
  std::string text = "1704067200\n" + std::string(AccessLogParser::kMaxLineBytes + 10, 'x') + "\n1704067201\n";
  const AccessLogParser parser = parsed(text, 4096);
  CHECK(parser.times() == std::vector<double>{1704067200, 1704067201});
  CHECK(parser.bad_lines() == 1);
  REQUIRE(parser.bad_samples().size() == 1);
  CHECK(parser.bad_samples()[0].line == 2);
  CHECK(parser.bad_samples()[0].text.size() == AccessLogParser::kBadLineExcerpt);
  // A line of exactly the limit is read.
  std::string longest = "{\"ts\": 1704067200, \"pad\": \"\"}";
  longest.insert(longest.size() - 2, AccessLogParser::kMaxLineBytes - longest.size(), 'x');
  const AccessLogParser at_limit = parsed(longest + "\n" + longest, 4096);
  CHECK(at_limit.bad_lines() == 0);
  CHECK(at_limit.times().size() == 2);
}

TEST_CASE("access log: a private address with half the requests or more looks like a proxy") {
  for (const char* name : {"10.0.0.2", "127.0.0.1", "172.16.0.1", "172.31.255.9", "192.168.1.10", "169.254.0.7",
                           "::1", "fd00::2", "FC00::1", "fe80::1%eth0"}) {
    CAPTURE(name);
    CHECK(looks_like_proxy(name, 50, 100));
    CHECK_FALSE(looks_like_proxy(name, 49, 100));  // fewer than half: a client among others
  }
  for (const char* name : {"203.0.113.5", "172.32.0.1", "172.15.0.1", "192.169.0.1", "11.0.0.1", "2001:db8::1",
                           "fe00::1", "alice", "", "10", "10.0"}) {
    CAPTURE(name);
    CHECK_FALSE(looks_like_proxy(name, 100, 100));
  }
  CHECK_FALSE(looks_like_proxy("10.0.0.2", 0, 0));
  for (const char* name : {"127.0.0.1", "127.1.2.3", "::1"}) CHECK(is_loopback(name));
  for (const char* name : {"10.0.0.2", "127", "127.", "1270.0.0.1", "::2", "fd00::1", "localhost"}) {
    CAPTURE(name);
    CHECK_FALSE(is_loopback(name));
  }
}

TEST_CASE("access log: X-Forwarded-For names the client as your own proxies saw it") {
  CHECK(forwarded_client("203.0.113.7") == "203.0.113.7");
  // Each proxy appends the address it was reached from: the load balancer's own is skipped.
  CHECK(forwarded_client("203.0.113.7, 10.0.0.5") == "203.0.113.7");
  CHECK(forwarded_client(" 203.0.113.7 ,10.0.0.5 , 192.168.1.2 ") == "203.0.113.7");
  // What the client wrote itself comes first, and is not believed: 1.2.3.4 is a forgery or a proxy of theirs.
  CHECK(forwarded_client("1.2.3.4, 198.51.100.9, 10.0.0.5") == "198.51.100.9");
  CHECK(forwarded_client("2001:db8::7, fd00::1") == "2001:db8::7");
  CHECK(forwarded_client("10.1.2.3, 10.0.0.5") == "10.1.2.3");  // all private: the furthest one
  CHECK(forwarded_client("-").empty());
  CHECK(forwarded_client("").empty());
  CHECK(forwarded_client(" , ").empty());
  bool public_before = true;
  CHECK(forwarded_client("203.0.113.7, 10.0.0.5", 0, &public_before) == "203.0.113.7");
  CHECK_FALSE(public_before);
  CHECK(forwarded_client("1.2.3.4, 10.9.9.9, 198.51.100.9, 10.0.0.5", 0, &public_before) == "198.51.100.9");
  CHECK(public_before);  // 1.2.3.4, past a private one
  CHECK(forwarded_client("-", 0, &public_before).empty());
  CHECK_FALSE(public_before);
  // Behind a CDN and a load balancer, which appends the CDN edge's address: one public proxy to skip.
  CHECK(forwarded_client("203.0.113.7, 130.176.12.4", 1, &public_before) == "203.0.113.7");
  CHECK_FALSE(public_before);
  CHECK(forwarded_client("203.0.113.7, 130.176.12.4, 10.0.0.5", 1) == "203.0.113.7");  // private ones are not counted
  CHECK(forwarded_client("1.2.3.4, 203.0.113.7, 130.176.12.4", 1, &public_before) == "203.0.113.7");
  CHECK(public_before);
  // Fewer addresses than proxies to skip (a request that came to the load balancer directly): the furthest.
  CHECK(forwarded_client("203.0.113.7", 1) == "203.0.113.7");
  CHECK(forwarded_client("203.0.113.7, 10.0.0.5", 2) == "203.0.113.7");
  CHECK(is_private_address("10.0.0.5"));
  CHECK_FALSE(is_private_address("203.0.113.7"));
}

TEST_CASE("access log: counted per X-Forwarded-For, in nginx's default format and in named fields") {
  // nginx's "main" log_format: combined, then "$http_x_forwarded_for". An escaped quote in the
  // request does not shift the fields.
  const std::string nginx =
      "10.0.0.5 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"203.0.113.7\"\n"
      "10.0.0.5 - - [01/May/2024:10:00:01 +0000] \"GET /?q=\\\"x\\\" HTTP/1.1\" 200 5 \"-\" \"a \\\"b\\\"\" "
      "\"1.2.3.4, 198.51.100.9\"\n"
      "10.0.0.5 - - [01/May/2024:10:00:02 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"-\"\n"
      "10.0.0.5 - - [01/May/2024:10:00:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"rt=0.002\"\n"
      "10.0.0.5 - - [01/May/2024:10:00:04 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n";
  for (const char* name : {"x-forwarded-for", "X_Forwarded_For", "http_x_forwarded_for"}) {
    CAPTURE(name);
    AccessLogParser parser(LogFormat::Auto, name);
    parser.feed(nginx);
    parser.finish();
    CHECK(client_names(parser) == std::vector<std::string>{"203.0.113.7", "198.51.100.9", "", "", ""});
    CHECK(parser.without_client() == 3);  // "-", a field that is no address list, and no field
  }
  // Counted per address, the lines that carry one are counted, for the proxy notice.
  const AccessLogParser by_address = parsed(nginx);
  CHECK(client_names(by_address) == std::vector<std::string>(5, "10.0.0.5"));
  CHECK(by_address.forwarded_for() == 2);
  // Counted per some other key field, they are not: the notice would be beside the point.
  AccessLogParser by_key(LogFormat::Auto, "api_key");
  by_key.feed(nginx);
  by_key.finish();
  CHECK(by_key.forwarded_for() == 0);
  CHECK(by_address.mostly_forwarded() == false);  // 2 of 5
  CHECK(parsed(kCombined).forwarded_for() == 0);
  CHECK(parsed(kCombined).mostly_forwarded() == false);
  // Behind a CDN: every line from one of its public edges, each carrying the client it names.
  // No address looks like a proxy, but most requests came through one.
  const AccessLogParser cdn = parsed(
      "162.158.1.1 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"203.0.113.7\"\n"
      "172.70.2.2 - - [01/May/2024:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"198.51.100.9\"\n"
      "198.51.100.20 - - [01/May/2024:10:00:02 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"-\"\n");
  CHECK_FALSE(cdn.proxy_like_client().has_value());
  CHECK(cdn.forwarded_for() == 2);
  CHECK(cdn.mostly_forwarded());

  // Behind a CDN and a load balancer: the edges are counted as clients, unless skipped.
  const std::string cdn_alb =
      "10.0.0.5 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"203.0.113.7, 130.176.12.4\"\n"
      "10.0.0.5 - - [01/May/2024:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"198.51.100.9, 130.176.12.4\"\n"
      "10.0.0.5 - - [01/May/2024:10:00:02 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"192.0.2.1\"\n";
  AccessLogParser edges(LogFormat::Auto, "x-forwarded-for");
  edges.feed(cdn_alb);
  edges.finish();
  CHECK(client_names(edges) == std::vector<std::string>{"130.176.12.4", "130.176.12.4", "192.0.2.1"});
  CHECK(edges.forwarded_beyond() == 2);
  CHECK(edges.beyond_public_proxy());  // 2 of 3
  AccessLogParser skipped(LogFormat::Auto, "x-forwarded-for", {}, 1);
  skipped.feed(cdn_alb);
  skipped.finish();
  CHECK(client_names(skipped) == std::vector<std::string>{"203.0.113.7", "198.51.100.9", "192.0.2.1"});
  CHECK(skipped.forwarded_beyond() == 0);
  CHECK_FALSE(skipped.beyond_public_proxy());
  CHECK_FALSE(parsed(cdn_alb).beyond_public_proxy());  // counted per address, not asked

  AccessLogParser json(LogFormat::Auto, "X-Forwarded-For");
  json.feed("{\"ts\": 1700000000, \"ip\": \"10.0.0.5\", \"request_X-Forwarded-For\": \"1.2.3.4, 203.0.113.7\"}\n"
            "{\"ts\": 1700000001, \"ip\": \"10.0.0.5\", \"x_forwarded_for\": \"198.51.100.9, 10.0.0.4\"}\n");
  json.finish();
  // A member named so is read, and so is one whose name ends so (Traefik's request_X-Forwarded-For).
  CHECK(client_names(json) == std::vector<std::string>{"203.0.113.7", "198.51.100.9"});
  AccessLogParser traefik(LogFormat::Auto, "request_X-Forwarded-For");
  traefik.feed("{\"ts\": 1700000000, \"ip\": \"10.0.0.5\", \"request_X-Forwarded-For\": \"1.2.3.4, 203.0.113.7\"}\n");
  traefik.finish();
  CHECK(client_names(traefik) == std::vector<std::string>{"203.0.113.7"});
  // Caddy logs each request header as the list of its values.
  AccessLogParser caddy(LogFormat::Auto, "X-Forwarded-For");
  caddy.feed("{\"ts\":1700000000,\"request\":{\"client_ip\":\"10.0.0.5\",\"headers\":{\"Accept\":[\"*/*\"],"
             "\"X-Forwarded-For\":[\"1.2.3.4, 203.0.113.7\"]}}}\n");
  caddy.finish();
  CHECK(client_names(caddy) == std::vector<std::string>{"203.0.113.7"});
  AccessLogParser csv(LogFormat::Auto, "xff-is-not-it");
  csv.feed("time,ip,xff-is-not-it\n1700000000,10.0.0.5,\"1.2.3.4, 203.0.113.7\"\n");
  csv.finish();
  CHECK(client_names(csv) == std::vector<std::string>{"1.2.3.4, 203.0.113.7"});  // any other field: as written
}

TEST_CASE("access log: the fields a key could name, from the line that decided the format") {
  auto names = [](const std::string& text) {
    const AccessLogParser parser = parsed(text, 5);
    return parser.field_names();
  };
  using Names = std::vector<std::string>;
  // JSON: every member not holding an object, nested ones too, each once, in order; later lines
  // add none.
  CHECK(names("{\"ts\": 1700000000, \"request\": {\"client_ip\": \"10.0.0.1\", \"headers\": "
              "{\"X-Api-Key\": [\"k\"], \"ts\": 1}}, \"user_id\": null}\n"
              "{\"ts\": 1700000001, \"other\": 1}\n") == Names{"ts", "client_ip", "X-Api-Key", "user_id"});
  CHECK(names("time,ip,user\n1700000000,10.0.0.1,alice\n") == Names{"time", "ip", "user"});
  CHECK(names("#Version: 1.0\n#Fields: date time c-ip cs-username\n2024-05-01 10:00:00 10.0.0.4 alice\n") ==
        Names{"date", "time", "c-ip", "cs-username"});
  CHECK(names(kCombined) == Names{"user"});
  CHECK(names("10.0.0.5 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"203.0.113.7\"\n") ==
        Names{"user", "x-forwarded-for"});
  CHECK(names("[pid: 12|app: 0|req: 1/2] 10.0.0.9 (alice) {40 vars in 760 bytes} [Wed Jan 12 12:00:01 2022] GET / => x\n") ==
        Names{"user"});
  CHECK(names("1700000000\n").empty());
  CHECK(names("not a log\n{\"ts\": 1700000000, \"ip\": \"10.0.0.1\"}\n") == Names{"ts", "ip"});  // a bad line first
}

TEST_CASE("access log: the busiest client is named when it looks like a proxy") {
  const std::string line = " - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n";
  const AccessLogParser behind = parsed("203.0.113.9" + line + "10.0.0.2" + line + "10.0.0.2" + line);
  const auto proxy = behind.proxy_like_client();
  REQUIRE(proxy);
  CHECK(behind.client_name(proxy->client) == "10.0.0.2");
  CHECK(proxy->requests == 2);
  CHECK_FALSE(proxy->loopback);
  const auto local = parsed("127.0.0.1" + line).proxy_like_client();  // as Flask's development server logs a local try
  REQUIRE(local);
  CHECK(local->loopback);
  CHECK_FALSE(parsed("203.0.113.9" + line + "10.0.0.2" + line + "203.0.113.9" + line).proxy_like_client());
  CHECK_FALSE(parsed("").proxy_like_client());  // no requests, no client to name
}

TEST_CASE("access log: requests counted per a key field instead of the address") {
  SUBCASE("JSON: a member anywhere, by its name as fields compare") {
    AccessLogParser parser(LogFormat::Auto, "API-Key");
    parser.feed("{\"ts\": 1700000000, \"ip\": \"10.0.0.1\", \"request\": {\"api_key\": \"k1\"}}\n"
                "{\"ts\": 1700000001, \"ip\": \"10.0.0.1\", \"apiKey\": \"k2\"}\n"
                "{\"ts\": 1700000002, \"ip\": \"10.0.0.2\"}\n");
    parser.finish();
    CHECK(client_names(parser) == std::vector<std::string>{"k1", "k2", ""});
    CHECK(parser.without_client() == 1);
  }
  SUBCASE("JSON: a list's last string, as Caddy logs a header's values") {
    AccessLogParser parser(LogFormat::Auto, "X-Api-Key");
    parser.feed("{\"ts\":1700000000,\"request\":{\"headers\":{\"Accept\":[\"*/*\"],\"X-Api-Key\":[\"k1\"]}}}\n"
                "{\"ts\":1700000001,\"request\":{\"headers\":{\"X-Api-Key\":[ \"k0\" , \"k2\" ]}}}\n"
                "{\"ts\":1700000002,\"request\":{\"headers\":{\"X-Api-Key\":[]}}}\n"
                "{\"ts\":1700000003,\"request\":{\"headers\":{\"X-Api-Key\":[7, \"k3\"]}}}\n");
    parser.finish();
    CHECK(client_names(parser) == std::vector<std::string>{"k1", "k2", "", ""});
    CHECK(parser.bad_lines() == 0);
  }
  SUBCASE("CSV: the column; W3C: the #Fields name; common and uWSGI logs: user") {
    AccessLogParser csv(LogFormat::Auto, "user");
    csv.feed("time,ip,user\n1700000000,10.0.0.1,alice\n1700000001,10.0.0.1,bob\n");
    csv.finish();
    CHECK(client_names(csv) == std::vector<std::string>{"alice", "bob"});
    AccessLogParser two(LogFormat::Auto, "userid");  // two columns compare equal to it: the first
    two.feed("time,user_id,userId\n1700000000,alice,bob\n1700000001,alice,carol\n");
    two.finish();
    CHECK(client_names(two) == std::vector<std::string>{"alice", "alice"});
    AccessLogParser w3c(LogFormat::Auto, "cs-username");
    w3c.feed("#Fields: date time c-ip cs-username\n2024-05-01 10:00:00 10.0.0.4 alice\n2024-05-01 10:00:01 10.0.0.4 -\n");
    w3c.finish();
    CHECK(client_names(w3c) == std::vector<std::string>{"alice", ""});
    AccessLogParser common(LogFormat::Auto, "user");
    common.feed(kCombined);
    common.finish();
    CHECK(client_names(common) == std::vector<std::string>{"frank", "", ""});  // "-" is no user
    AccessLogParser uwsgi(LogFormat::Auto, "user");
    uwsgi.feed("[pid: 12|app: 0|req: 1/2] 10.0.0.9 (alice) {40 vars in 760 bytes} [Wed Jan 12 12:00:01 2022] GET / => x\n"
               "[pid: 12|app: 0|req: 2/3] 10.0.0.9 () {40 vars in 760 bytes} [Wed Jan 12 12:00:02 2022] GET / => x\n");
    uwsgi.finish();
    CHECK(client_names(uwsgi) == std::vector<std::string>{"alice", ""});  // "()" is no user
  }
  SUBCASE("a format without such a field: no request names a client") {
    AccessLogParser elb(LogFormat::Auto, "user");
    elb.feed("https 2024-05-01T10:00:00Z app/lb/1 203.0.113.5:2817 10.0.0.1:80\n");
    elb.finish();
    CHECK(elb.times().size() == 1);
    CHECK(elb.without_client() == 1);
    AccessLogParser common(LogFormat::Auto, "api_key");
    common.feed(kCombined);
    common.finish();
    CHECK(common.without_client() == 3);
  }
}

}  // namespace ratelimit::test
