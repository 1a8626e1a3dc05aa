#include "core/rate.hpp"

#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace ratelimit::test {

namespace {

using Triple = std::tuple<std::int64_t, std::int64_t, Granularity>;
using G = Granularity;

std::vector<Triple> parsed(const std::string& text) {
  const ParseResult result = parse_rates(text);
  if (const auto* error = std::get_if<ParseError>(&result)) {
    FAIL_CHECK("unexpected error for \"" << text << "\": " << error->message);
    return {};
  }
  std::vector<Triple> out;
  for (const RateLimit& l : std::get<std::vector<RateLimit>>(result)) out.emplace_back(l.amount, l.multiples, l.granularity);
  return out;
}

ParseError error_of(const std::string& text) {
  const ParseResult result = parse_rates(text);
  REQUIRE_MESSAGE(std::holds_alternative<ParseError>(result), "\"" << text << "\" parsed, but limits rejects it");
  return std::get<ParseError>(result);
}

}  // namespace

TEST_CASE("rate: text and window follow limits' RateLimitItem for every unit") {
  const struct { G unit; const char* name; std::int64_t seconds; } units[] = {
      {G::Second, "second", 1}, {G::Minute, "minute", 60},     {G::Hour, "hour", 3600},
      {G::Day, "day", 86400},   {G::Month, "month", 2592000}, {G::Year, "year", 31104000}};
  for (const auto& u : units) {
    CAPTURE(u.name);
    CHECK(granularity_name(u.unit) == u.name);
    CHECK(granularity_seconds(u.unit) == u.seconds);
    const RateLimit limit{10, 3, u.unit};
    CHECK(limit.text() == "10 per 3 " + std::string(u.name));  // singular, multiple always written
    CHECK(limit.window_seconds() == 3 * u.seconds);
  }
  CHECK(RateLimit{250, 7, G::Day}.text() == "250 per 7 day");
  CHECK(RateLimit{250, 7, G::Day}.window_seconds() == 604800);
}

TEST_CASE("rate: limits sort by the unit's length only, as limits orders RateLimitItems") {
  CHECK(unit_shorter(RateLimit{5, 90, G::Second}, RateLimit{1, 1, G::Minute}));
  CHECK_FALSE(unit_shorter(RateLimit{10, 2, G::Minute}, RateLimit{20, 1, G::Minute}));
  CHECK_FALSE(unit_shorter(RateLimit{20, 1, G::Minute}, RateLimit{10, 2, G::Minute}));
}

TEST_CASE("parser: the accepted spellings of the semantics document's edge-case table") {
  const std::vector<Triple> ten_minute{{10, 1, G::Minute}};
  for (const char* text : {"10/minute", "10 per minute", "10 PER MINUTE", "10/Minutes", "10perminute",
                           "  10 / minute  ", "\n10/minute", "10/minute\n", "10\t/\tminute", "010/minute"}) {
    CAPTURE(text);
    CHECK(parsed(text) == ten_minute);
  }
  CHECK(parsed("1 per 2 hours") == std::vector<Triple>{{1, 2, G::Hour}});
  CHECK(parsed("250/7days") == std::vector<Triple>{{250, 7, G::Day}});
  CHECK(parsed("250/7 days") == std::vector<Triple>{{250, 7, G::Day}});
  CHECK(parsed("10/22minute") == std::vector<Triple>{{10, 22, G::Minute}});
  CHECK(parsed("1/ 07 days") == std::vector<Triple>{{1, 7, G::Day}});
  CHECK(parsed("1 PeR 2 HoUrS") == std::vector<Triple>{{1, 2, G::Hour}});
  CHECK(parsed("2/day;1/month;3/year") == std::vector<Triple>{{2, 1, G::Day}, {1, 1, G::Month}, {3, 1, G::Year}});
  CHECK(parsed("1/second;2/second") == std::vector<Triple>{{1, 1, G::Second}, {2, 1, G::Second}});
}

TEST_CASE("parser: several limits keep their input order with any separator") {
  const std::vector<Triple> both{{10, 1, G::Minute}, {5, 1, G::Second}};
  for (const char* text : {"10/minute;5/second", "10/minute,5/second", "10/minute|5/second",
                           "10/minute ; 5/second", "10/minute:,5/second"}) {
    CAPTURE(text);
    CHECK(parsed(text) == both);
  }
}

TEST_CASE("parser: amounts of 0 are allowed and a multiple of 0 means 1, as in limits") {
  CHECK(parsed("0/second") == std::vector<Triple>{{0, 1, G::Second}});
  CHECK(parsed("1/0 second") == std::vector<Triple>{{1, 1, G::Second}});
  CHECK(parsed("1/00 second") == std::vector<Triple>{{1, 1, G::Second}});
  CHECK(parsed("0/0 seconds") == std::vector<Triple>{{0, 1, G::Second}});
}

TEST_CASE("parser: Unicode whitespace counts as whitespace, and ſ may be the plural s") {
  CHECK(parsed("10\u00a0per\u00a0minute") == std::vector<Triple>{{10, 1, G::Minute}});
  CHECK(parsed("10\u3000/\u2028minute\x1c") == std::vector<Triple>{{10, 1, G::Minute}});
  CHECK(parsed("1/hour\u017f") == std::vector<Triple>{{1, 1, G::Hour}});
}

TEST_CASE("parser: errors point at the offending characters, in code points") {
  struct Case { const char* text; std::size_t offset; std::size_t length; const char* message; };
  const Case cases[] = {
      {"", 0, 0, "the rule is empty"},
      {"10", 2, 0, "\"/\" and a time unit are missing after \"10\""},
      {"10 minute", 3, 0, "\"/\" or \"per\" is missing before \"minute\""},
      {"10/", 3, 0, "the time unit is missing after \"/\""},
      {"10 per", 6, 0, "the time unit is missing after \"per\""},
      {"/minute", 0, 0, "the amount is missing before \"/\""},
      {"ten/minute", 0, 3, "\"ten\" is not a number"},
      {"-1/minute", 0, 2, "the amount \"-1\" is negative"},
      {"1.5/minute", 0, 3, "the amount \"1.5\" is not a whole number"},
      {"1/1.5 minute", 2, 3, "the multiple \"1.5\" is not a whole number"},
      {"1e3/minute", 0, 3, "the amount \"1e3\" is not written in digits only"},
      {"\uff11\uff10/minute", 0, 2, "the amount \"\uff11\uff10\" is written with digits other than 0-9"},
      {"10/minits", 3, 6, "unknown time unit \"minits\""},
      {"\u00a0\u300010/minits", 5, 6, "unknown time unit \"minits\""},  // 2 characters, 5 bytes
      {"10/secondss", 3, 8, "\"secondss\" has too many \"s\""},
      {"10 / 2 / minute", 7, 1, "extra \"/\""},
      {"10 per per minute", 7, 3, "extra \"per\""},
      {"10/minute;", 9, 1, "no limit after the last \";\""},
      {";10/minute", 0, 1, "the rule starts with \";\""},
      {"10/minute;;5/second", 10, 1, "no limit between \";\" and \";\""},
      {"10/minute 5/second", 9, 1, "whitespace does not separate limits"},
      {"10/minute::,5/second", 9, 1, "extra \":\""},
      {"1/second:", 8, 1, "the rule ends with \":\""},
      {"10/minute:5/second", 9, 1, "\":\" does not separate limits"},
      {"1/\u017fecond", 2, 6, "\"\u017fecond\" contains a look-alike letter: \"\u017f\" is not \"s\""},
      {"1/\u200bminute", 2, 1, "unexpected invisible character U+200B"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const ParseError e = error_of(c.text);
    CHECK(e.message == c.message);
    CHECK(e.offset == c.offset);
    CHECK(e.length == c.length);
  }
}

TEST_CASE("parser: hints suggest the fix in the user's own numbers") {
  CHECK(error_of("10/minits").hint == "did you mean \"minute\"? e.g. 10/minute");
  CHECK(error_of("10/min").hint == "did you mean \"minute\"? e.g. 10/minute");
  CHECK(error_of("5/hrs").hint == "did you mean \"hours\"? e.g. 5/hours");
  CHECK(error_of("1/week").hint == "there is no week unit; write 7 days, e.g. 1/7 days");
  CHECK(error_of("1/fortnight").hint == "there is no fortnight unit; write 14 days, e.g. 1/14 days");
  CHECK(error_of("1/ms").hint == "the shortest unit is a second, e.g. 1/second");
  CHECK(error_of("1.5/minute").hint == "use whole numbers: 3/2 minutes is the same rate");
  CHECK(error_of("ten/minute").hint == "use digits: 10/minute");
  CHECK(error_of("10/minute 5/second").hint == "join limits with ; , or |, e.g. 10/minute; 5/second");
  CHECK(error_of("10 pe r minute").hint == "did you mean \"per\"?");
}

TEST_CASE("parser: numbers beyond 2^53 - 1 are errors here (limits accepts any size)") {
  const ParseError amount = error_of("99999999999999999999/second");
  CHECK(amount.message == "the amount \"99999999999999999999\" is too large; the most is 9007199254740991");
  CHECK(parsed("9007199254740991/second") == std::vector<Triple>{{9007199254740991, 1, G::Second}});
  CHECK(error_of("1/9007199254740992 seconds").message.find("too large") != std::string::npos);
  CHECK(error_of("1/9007199254740991 days").message ==
        "the window \"9007199254740991 days\" is too long; the most is 9007199254740991 seconds");
}

TEST_CASE("parser: everything limits rejects is rejected") {
  for (const char* text : {" ", "10 per", "per minute", "10/sec", "10/hr", "10/mins", "1/fortnight", "+1/minute",
                           "1/1.5 minute", "10/minute,", "10/day|", "10/minute,,", "1/2/second",
                           "10 per 2 per minute", "10/2 2 minute", "10/second s", "10/minutes s", "10 pe r minute",
                           "\u0661\u0660/second", "10/\u0661 minute", "1/m\u0131nute", "1/M\u0130NUTE", "\xff/second"}) {
    CAPTURE(text);
    CHECK(std::holds_alternative<ParseError>(parse_rates(text)));
  }
}

TEST_CASE("parser: hostile input is answered and never crashes (the scanner is linear)") {
  SUBCASE("a rule longer than the limit is refused before scanning") {
    const ParseError e = error_of(std::string(kMaxRuleLength + 1, '1'));
    CHECK(e.message.find("too long") != std::string::npos);
  }
  SUBCASE("limits' catastrophic-backtracking input is linear here") {
    CHECK(std::holds_alternative<ParseError>(parse_rates("1/" + std::string(9000, '1') + "x")));
  }
  SUBCASE("thousands of limits") {
    std::string many;
    for (int i = 0; i < 1000; ++i) many += "1/second;";
    many += "1/second";
    const ParseResult result = parse_rates(many);
    REQUIRE(std::holds_alternative<std::vector<RateLimit>>(result));
    CHECK(std::get<std::vector<RateLimit>>(result).size() == 1001);
  }
  SUBCASE("every single byte") {
    for (int b = 0; b < 256; ++b) (void)parse_rates(std::string(1, static_cast<char>(b)));
  }
}

}  // namespace ratelimit::test
