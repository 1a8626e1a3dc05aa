// The rate-string language of limits 2.8.0 (semantics doc §1) and the errors a learner sees.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/rate.hpp"

using namespace ratelimit;

namespace {

// "10 per 1 minute; 5 per 1 second", or "error: <message>" so a failure shows what happened.
std::string parsed(std::string_view text) {
  const ParseResult result = parse_rates(text);
  if (const auto* error = std::get_if<ParseError>(&result)) return "error: " + error->message;
  std::string out;
  for (const RateLimit& limit : std::get<std::vector<RateLimit>>(result)) {
    if (!out.empty()) out += "; ";
    out += limit.text();
  }
  return out;
}

ParseError error_of(std::string_view text) {
  const ParseResult result = parse_rates(text);
  const auto* error = std::get_if<ParseError>(&result);
  REQUIRE_MESSAGE(error != nullptr, "expected an error, got ", parsed(text));
  return *error;
}

struct Expected {
  std::size_t offset;
  std::size_t length;
  std::string message;
  std::string hint;
};

void check_error(std::string_view text, const Expected& expected) {
  CAPTURE(text);
  const ParseError error = error_of(text);
  CHECK(error.offset == expected.offset);
  CHECK(error.length == expected.length);
  CHECK(error.message == expected.message);
  CHECK(error.hint == expected.hint);
}

bool is_error(std::string_view text) { return std::holds_alternative<ParseError>(parse_rates(text)); }

double seconds_to_parse(std::string_view text) {
  const auto start = std::chrono::steady_clock::now();
  (void)parse_rates(text);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// ---------------------------------------------------------------- RateLimit

TEST_CASE("units have limits' names and lengths: a month is 30 days, a year 360") {
  CHECK(granularity_name(Granularity::Second) == "second");
  CHECK(granularity_name(Granularity::Minute) == "minute");
  CHECK(granularity_name(Granularity::Hour) == "hour");
  CHECK(granularity_name(Granularity::Day) == "day");
  CHECK(granularity_name(Granularity::Month) == "month");
  CHECK(granularity_name(Granularity::Year) == "year");
  CHECK(granularity_seconds(Granularity::Second) == 1);
  CHECK(granularity_seconds(Granularity::Minute) == 60);
  CHECK(granularity_seconds(Granularity::Hour) == 3600);
  CHECK(granularity_seconds(Granularity::Day) == 86400);
  CHECK(granularity_seconds(Granularity::Month) == 2592000);
  CHECK(granularity_seconds(Granularity::Year) == 31104000);
}

TEST_CASE("text() is Flask-Limiter's \"<amount> per <multiple> <unit>\", singular, multiple always written") {
  SUBCASE("second") { CHECK(RateLimit{5, 1, Granularity::Second}.text() == "5 per 1 second"); }
  SUBCASE("minute") { CHECK(RateLimit{10, 1, Granularity::Minute}.text() == "10 per 1 minute"); }
  SUBCASE("hour") { CHECK(RateLimit{1, 2, Granularity::Hour}.text() == "1 per 2 hour"); }
  SUBCASE("day") { CHECK(RateLimit{250, 7, Granularity::Day}.text() == "250 per 7 day"); }
  SUBCASE("month") { CHECK(RateLimit{0, 1, Granularity::Month}.text() == "0 per 1 month"); }
  SUBCASE("year") { CHECK(RateLimit{kMaxRateNumber, 3, Granularity::Year}.text() == "9007199254740991 per 3 year"); }
  SUBCASE("of a parsed plural") { CHECK(parsed("10/22 MINUTES") == "10 per 22 minute"); }
}

TEST_CASE("rule_text() writes a rule short, \"<amount>/[<multiple>]<unit>\" joined by ;, and parses back") {
  for (const char* rule : {"10/minute", "5 per second; 250 per 7 days", "0/month", "2/3 hours,1 per year"}) {
    const auto limits = std::get<std::vector<RateLimit>>(parse_rates(rule));
    const std::string text = rule_text(limits);
    CAPTURE(text);
    CHECK(std::get<std::vector<RateLimit>>(parse_rates(text)) == limits);
  }
  CHECK(rule_text(std::get<std::vector<RateLimit>>(parse_rates("5 per second; 250 per 7 days"))) == "5/second;250/7day");
}

TEST_CASE("window_seconds() is the multiple times the unit's length") {
  CHECK(RateLimit{1, 1, Granularity::Second}.window_seconds() == 1);
  CHECK(RateLimit{1, 90, Granularity::Second}.window_seconds() == 90);
  CHECK(RateLimit{1, 2, Granularity::Minute}.window_seconds() == 120);
  CHECK(RateLimit{1, 3, Granularity::Hour}.window_seconds() == 10800);
  CHECK(RateLimit{250, 7, Granularity::Day}.window_seconds() == 604800);
  CHECK(RateLimit{1, 2, Granularity::Month}.window_seconds() == 5184000);
  CHECK(RateLimit{1, 1, Granularity::Year}.window_seconds() == 31104000);
}

TEST_CASE("window_seconds() saturates at kMaxRateNumber instead of overflowing") {
  CHECK(RateLimit{1, kMaxRateNumber, Granularity::Year}.window_seconds() == kMaxRateNumber);
  CHECK(RateLimit{1, kMaxRateNumber, Granularity::Second}.window_seconds() == kMaxRateNumber);
}

TEST_CASE("limits compare by amount, multiple and unit, and order by the unit's length only") {
  CHECK(RateLimit{10, 1, Granularity::Minute} == RateLimit{10, 1, Granularity::Minute});
  CHECK(RateLimit{10, 1, Granularity::Minute} != RateLimit{1, 60, Granularity::Second});
  CHECK(unit_shorter(RateLimit{5, 90, Granularity::Second}, RateLimit{1, 1, Granularity::Minute}));
  CHECK_FALSE(unit_shorter(RateLimit{10, 2, Granularity::Minute}, RateLimit{20, 1, Granularity::Minute}));
}

// ---------------------------------------------------------------- what limits accepts (§1.7)

TEST_CASE("the valid rows of limits' edge-case table parse as limits 2.8.0 parses them") {
  SUBCASE("10/minute") { CHECK(parsed("10/minute") == "10 per 1 minute"); }
  SUBCASE("per, any case, plural, per touching the unit") {
    CHECK(parsed("10 per minute") == "10 per 1 minute");
    CHECK(parsed("10 PER MINUTE") == "10 per 1 minute");
    CHECK(parsed("10/Minutes") == "10 per 1 minute");
    CHECK(parsed("10perminute") == "10 per 1 minute");
    CHECK(parsed("10 PERminute") == "10 per 1 minute");
    CHECK(parsed("10Perminute") == "10 per 1 minute");
  }
  SUBCASE("1 per 2 hours") { CHECK(parsed("1 per 2 hours") == "1 per 2 hour"); }
  SUBCASE("a multiple may touch the unit") {
    CHECK(parsed("250/7days") == "250 per 7 day");
    CHECK(parsed("250/7 days") == "250 per 7 day");
    CHECK(parsed("10/22minute") == "10 per 22 minute");
  }
  SUBCASE("1/ 07 days") { CHECK(parsed("1/ 07 days") == "1 per 7 day"); }
  SUBCASE("010/minute") { CHECK(parsed("010/minute") == "10 per 1 minute"); }
  SUBCASE("whitespace around the parts") {
    CHECK(parsed("  10 / minute  ") == "10 per 1 minute");
    CHECK(parsed("\n10/minute") == "10 per 1 minute");
    CHECK(parsed("10/minute\n") == "10 per 1 minute");
    CHECK(parsed("10\t/\tminute") == "10 per 1 minute");
  }
  SUBCASE("the three separators") {
    CHECK(parsed("10/minute;5/second") == "10 per 1 minute; 5 per 1 second");
    CHECK(parsed("10/minute,5/second") == "10 per 1 minute; 5 per 1 second");
    CHECK(parsed("10/minute|5/second") == "10 per 1 minute; 5 per 1 second");
    CHECK(parsed("10/minute ; 5/second") == "10 per 1 minute; 5 per 1 second");
  }
  SUBCASE("10/minute:,5/second") { CHECK(parsed("10/minute:,5/second") == "10 per 1 minute; 5 per 1 second"); }
  SUBCASE("2/day;1/month;3/year") { CHECK(parsed("2/day;1/month;3/year") == "2 per 1 day; 1 per 1 month; 3 per 1 year"); }
  SUBCASE("1/second;2/second keeps both") { CHECK(parsed("1/second;2/second") == "1 per 1 second; 2 per 1 second"); }
  SUBCASE("0/second") { CHECK(parsed("0/second") == "0 per 1 second"); }
  SUBCASE("1/0 second, 1/00 second") {
    CHECK(parsed("1/0 second") == "1 per 1 second");
    CHECK(parsed("1/00 second") == "1 per 1 second");
  }
  SUBCASE("0/0 seconds") { CHECK(parsed("0/0 seconds") == "0 per 1 second"); }
  SUBCASE("1/hourſ: the long s as the plural") { CHECK(parsed("1/hour\u017F") == "1 per 1 hour"); }
}

TEST_CASE("the invalid rows of limits' edge-case table are errors") {
  for (const char* text :
       {"", " ", "10", "10 per", "10/", "/minute", "per minute", "10/min", "10/sec", "10/hr", "10/mins", "1/week",
        "1/fortnight", "-1/minute", "+1/minute", "1.5/minute", "1/1.5 minute", "1e3/minute", "ten/minute",
        "10/minute;", "10/minute,", "10/day|", ";10/minute", "10/minute;;5/second", "10/minute,,",
        "10/minute 5/second", "10/minute::,5/second", "1/second:", "10/minute:5/second", "10 / 2 / minute",
        "1/2/second", "10 per 2 per minute", "10/2 2 minute", "10 per per minute", "10/secondss", "10/second s",
        "10/minutes s", "10 pe r minute", "\u0661\u0660/second", "10/\u0661 minute", "\uFF11\uFF10/minute",
        "1/\u017Fecond", "1/m\u0131nute", "1/M\u0130NUTE", "99999999999999999999/second"}) {
    CAPTURE(text);
    CHECK(is_error(text));
  }
}

TEST_CASE("limits keep their input order, not their unit order") {
  CHECK(parsed("3/year|2/day,1/second;4/minute") == "3 per 1 year; 2 per 1 day; 1 per 1 second; 4 per 1 minute");
}

TEST_CASE("a multiple of 0 means 1, as in limits") {
  SUBCASE("0") { CHECK(parsed("5/0 hours") == "5 per 1 hour"); }
  SUBCASE("000") { CHECK(parsed("5 per 000 days") == "5 per 1 day"); }
  SUBCASE("missing") { CHECK(parsed("5/month") == "5 per 1 month"); }
}

TEST_CASE("an amount of 0 is allowed and leading zeros are ignored") {
  CHECK(parsed("0/minute") == "0 per 1 minute");
  CHECK(parsed("000/minute") == "0 per 1 minute");
  CHECK(parsed("007/0009 seconds") == "7 per 9 second");
}

TEST_CASE("the colon quirk: one ':' may sit right before a separator, nowhere else") {
  SUBCASE("accepted") {
    CHECK(parsed("10/minute:,5/second") == "10 per 1 minute; 5 per 1 second");
    CHECK(parsed("10/minute :;5/second:|1/day") == "10 per 1 minute; 5 per 1 second; 1 per 1 day");
  }
  SUBCASE("two colons") { check_error("10/minute::,5/second", {9, 1, "extra \":\"", "remove the \":\""}); }
  SUBCASE("a colon at the end") { check_error("1/second:", {8, 1, "the rule ends with \":\"", "remove the \":\""}); }
  SUBCASE("a colon alone between limits") {
    check_error("10/minute:5/second", {9, 1, "\":\" does not separate limits",
                                       "join limits with ; , or |, e.g. 10/minute; 5/second"});
  }
  SUBCASE("space between the colon and the separator") {
    check_error("10/minute: ;5/second", {9, 1, "unexpected \":\"", "remove the \":\""});
  }
}

TEST_CASE("every character Python's str.isspace() accepts may surround the parts of a limit") {
  for (const char* space : {"\t", "\n", "\v", "\f", "\r", "\x1C", "\x1D", "\x1E", "\x1F", " ", "\u0085", "\u00A0",
                            "\u1680", "\u2000", "\u2005", "\u200A", "\u2028", "\u2029", "\u202F", "\u205F",
                            "\u3000"}) {
    const std::string s = space;
    const std::string text = s + "10" + s + "per" + s + "2" + s + "minutes" + s + ";" + s + "1/day" + s;
    CAPTURE(text);
    CHECK(parsed(text) == "10 per 2 minute; 1 per 1 day");
  }
}

TEST_CASE("zero-width and other invisible characters are not whitespace") {
  SUBCASE("zero-width space") {
    check_error("10/minute\u200B", {9, 1, "unexpected invisible character U+200B",
                                    "delete it; invisible characters often come with copied text"});
  }
  SUBCASE("byte order mark") {
    check_error("\uFEFF10/minute", {0, 1, "unexpected invisible character U+FEFF",
                                    "delete it; invisible characters often come with copied text"});
  }
  SUBCASE("NUL") {
    check_error(std::string_view("10/\0minute", 10),
                {3, 1, "unexpected control character U+0000",
                 "delete it; invisible characters often come with copied text"});
  }
  SUBCASE("Mongolian vowel separator, whitespace in old Unicode only") { CHECK(is_error("10\u180E/minute")); }
}

TEST_CASE("letters match in any case, and ſ may be the plural s") {
  CHECK(parsed("1 PeR 2 HoUrS") == "1 per 2 hour");
  CHECK(parsed("1/SECONDS") == "1 per 1 second");
  CHECK(parsed("1/Year\u017F") == "1 per 1 year");
}

// ---------------------------------------------------------------- errors a learner sees

TEST_CASE("an empty or blank rule is an error at the start") {
  SUBCASE("empty") { check_error("", {0, 0, "the rule is empty", "write a limit such as 10/minute"}); }
  SUBCASE("blank") { check_error(" \t\n", {0, 0, "the rule is empty", "write a limit such as 10/minute"}); }
}

TEST_CASE("a missing amount is reported where it belongs, with an example") {
  SUBCASE("/minute") {
    check_error("/minute", {0, 0, "the amount is missing before \"/\"",
                            "start with the number of requests, e.g. 10/minute"});
  }
  SUBCASE("per minute") {
    check_error("per minute", {0, 0, "the amount is missing before \"per\"",
                               "start with the number of requests, e.g. 10 per minute"});
  }
  SUBCASE("a unit alone") {
    check_error("  hours", {2, 0, "the amount is missing before \"hours\"",
                            "start with the number of requests, e.g. 10/hour"});
  }
  SUBCASE("a number in words") { check_error("ten/minute", {0, 3, "\"ten\" is not a number", "use digits: 10/minute"}); }
  SUBCASE("something else") {
    check_error("x", {0, 1, "a limit starts with a whole number, not \"x\"",
                      "start with the number of requests, e.g. 10/minute"});
  }
}

TEST_CASE("a sign, decimal point or exponent in a number is an error with a whole-number hint") {
  SUBCASE("negative amount") {
    check_error("-1/minute", {0, 2, "the amount \"-1\" is negative",
                              "amounts start at 0, and 0/minute blocks every request"});
  }
  SUBCASE("plus sign") {
    check_error("+1/minute", {0, 2, "the amount \"+1\" has a \"+\" sign", "leave out the \"+\": 1/minute"});
  }
  SUBCASE("negative multiple") {
    check_error("1/-2 minutes", {2, 2, "the multiple \"-2\" is negative",
                                 "use a multiple of 1 or more, e.g. 1/2 minutes"});
  }
  SUBCASE("decimal amount") {
    check_error("1.5/minute", {0, 3, "the amount \"1.5\" is not a whole number",
                               "use whole numbers: 3/2 minutes is the same rate"});
  }
  SUBCASE("decimal amount with per, and a multiple") {
    check_error("2.5 per 3 hours", {0, 3, "the amount \"2.5\" is not a whole number",
                                    "use whole numbers: 5 per 6 hours is the same rate"});
  }
  SUBCASE("decimal without a leading digit") {
    check_error(".5/second", {0, 2, "the amount \".5\" is not a whole number",
                              "use whole numbers: 1/2 seconds is the same rate"});
  }
  SUBCASE("decimal multiple") {
    check_error("1/1.5 minute", {2, 3, "the multiple \"1.5\" is not a whole number",
                                 "use whole numbers: 2/3 minutes is the same rate"});
  }
  SUBCASE("decimal with no unit to compute the same rate") {
    check_error("1.5/", {0, 3, "the amount \"1.5\" is not a whole number",
                         "use whole numbers, e.g. 3/2 minutes instead of 1.5/minute"});
  }
  SUBCASE("exponent") {
    check_error("1e3/minute", {0, 3, "the amount \"1e3\" is not written in digits only",
                               "write it in full: 1000/minute"});
  }
  SUBCASE("exponent of zero with a huge power") {
    check_error("0e99999/minute", {0, 7, "the amount \"0e99999\" is not written in digits only",
                                   "write it in full: 0/minute"});
  }
  SUBCASE("thousands separator") {
    check_error("1,000/hour", {0, 5, "the amount \"1,000\" has a thousands separator",
                               "write 1000 without commas; a comma separates limits"});
  }
}

TEST_CASE("digits other than ASCII 0-9 are errors with the ASCII number in the hint") {
  SUBCASE("full-width") {
    check_error("\uFF11\uFF10/minute", {0, 2, "the amount \"\uFF11\uFF10\" is written with digits other than 0-9",
                                        "type it with the digits 0-9: 10"});
  }
  SUBCASE("Arabic-Indic") {
    check_error("\u0661\u0660/second", {0, 2, "the amount \"\u0661\u0660\" is written with digits other than 0-9",
                                        "type it with the digits 0-9: 10"});
  }
  SUBCASE("mixed with ASCII, in the multiple") {
    check_error("10/2\u0661 minute", {3, 2, "the multiple \"2\u0661\" is written with digits other than 0-9",
                                      "type it with the digits 0-9: 21"});
  }
}

TEST_CASE("a missing \"/\" or \"per\" is reported after the amount") {
  SUBCASE("nothing after the amount") {
    check_error("10", {2, 0, "\"/\" and a time unit are missing after \"10\"",
                       "add them, e.g. 10/minute or 10 per minute"});
  }
  SUBCASE("a unit right after the amount") {
    check_error("10 minute", {3, 0, "\"/\" or \"per\" is missing before \"minute\"",
                              "write 10/minute or 10 per minute"});
  }
  SUBCASE("an abbreviated unit right after the amount") {
    check_error("10 hrs", {3, 0, "\"/\" or \"per\" is missing before \"hrs\"", "write 10/hour or 10 per hour"});
  }
  SUBCASE("a misspelt per") {
    check_error("10 pe r minute", {3, 2, "expected \"/\" or \"per\" after 10, not \"pe\"", "did you mean \"per\"?"});
  }
  SUBCASE("a backslash") {
    check_error("10\\minute", {2, 1, "expected \"/\" or \"per\" after 10, not \"\\\"",
                               "use a forward slash: 10/minute"});
  }
}

TEST_CASE("a missing unit is reported right after what came last") {
  SUBCASE("after /") { check_error("10/", {3, 0, "the time unit is missing after \"/\"", "e.g. 10/minute"}); }
  SUBCASE("after per") {
    check_error("10 per ", {6, 0, "the time unit is missing after \"per\"", "e.g. 10 per minute"});
  }
  SUBCASE("after a multiple") {
    check_error("10/5;1/day", {4, 0, "the time unit is missing after \"5\"", "e.g. 10/5 minutes"});
  }
}

TEST_CASE("an unknown unit gets a did-you-mean hint that keeps the user's numbers") {
  struct Row {
    const char* text;
    const char* hint;
  };
  for (const Row& row : {
           Row{"10/s", "did you mean \"second\"? e.g. 10/second"},
           Row{"10/sec", "did you mean \"second\"? e.g. 10/second"},
           Row{"10/secs", "did you mean \"seconds\"? e.g. 10/seconds"},
           Row{"10/m", "did you mean \"minute\"? e.g. 10/minute"},
           Row{"10/min", "did you mean \"minute\"? e.g. 10/minute"},
           Row{"10/mins", "did you mean \"minutes\"? e.g. 10/minutes"},
           Row{"10/h", "did you mean \"hour\"? e.g. 10/hour"},
           Row{"10/hr", "did you mean \"hour\"? e.g. 10/hour"},
           Row{"10/hrs", "did you mean \"hours\"? e.g. 10/hours"},
           Row{"10/d", "did you mean \"day\"? e.g. 10/day"},
           Row{"10/mo", "did you mean \"month\"? e.g. 10/month"},
           Row{"10/mon", "did you mean \"month\"? e.g. 10/month"},
           Row{"10/y", "did you mean \"year\"? e.g. 10/year"},
           Row{"10/yr", "did you mean \"year\"? e.g. 10/year"},
           Row{"10/yrs", "did you mean \"years\"? e.g. 10/years"},
           Row{"10/minits", "did you mean \"minute\"? e.g. 10/minute"},
           Row{"10/secnod", "did you mean \"second\"? e.g. 10/second"},
           Row{"10/huor", "did you mean \"hour\"? e.g. 10/hour"},
       }) {
    CAPTURE(row.text);
    const ParseError error = error_of(row.text);
    CHECK(error.offset == 3);
    CHECK(error.length == std::string_view(row.text).size() - 3);
    CHECK(error.message == "unknown time unit \"" + std::string(row.text + 3) + "\"");
    CHECK(error.hint == row.hint);
  }
  SUBCASE("with per and a multiple") {
    check_error("5 per 3 mins", {8, 4, "unknown time unit \"mins\"", "did you mean \"minutes\"? e.g. 5 per 3 minutes"});
  }
  SUBCASE("nothing close") {
    check_error("10/foo", {3, 3, "unknown time unit \"foo\"", "the units are second, minute, hour, day, month and year"});
  }
}

TEST_CASE("weeks, fortnights and milliseconds point to the units that exist") {
  SUBCASE("week") {
    check_error("10/week", {3, 4, "unknown time unit \"week\"", "there is no week unit; write 7 days, e.g. 10/7 days"});
  }
  SUBCASE("weeks, wk, w") {
    for (const char* text : {"10/weeks", "10/wk", "10/w", "10/WKS"}) {
      CAPTURE(text);
      CHECK(error_of(text).hint == "there is no week unit; write 7 days, e.g. 10/7 days");
    }
  }
  SUBCASE("2 weeks") {
    check_error("10 per 2 weeks", {9, 5, "unknown time unit \"weeks\"",
                                   "there is no week unit; write 14 days, e.g. 10 per 14 days"});
  }
  SUBCASE("fortnight") {
    check_error("1/fortnight", {2, 9, "unknown time unit \"fortnight\"",
                                "there is no fortnight unit; write 14 days, e.g. 1/14 days"});
  }
  SUBCASE("milliseconds") {
    for (const char* text : {"10/ms", "10/millisecond", "10/milliseconds"}) {
      CAPTURE(text);
      CHECK(error_of(text).hint == "the shortest unit is a second, e.g. 10/second");
    }
  }
}

TEST_CASE("a unit with a look-alike letter is an error, as in limits (\"no granularity matched\")") {
  SUBCASE("long s") {
    check_error("1/\u017Fecond", {2, 6, "\"\u017Fecond\" contains a look-alike letter: \"\u017F\" is not \"s\"",
                                  "type \"second\" with plain letters: 1/second"});
  }
  SUBCASE("dotless i") {
    check_error("1/m\u0131nutes", {2, 7, "\"m\u0131nutes\" contains a look-alike letter: \"\u0131\" is not \"i\"",
                                   "type \"minute\" with plain letters: 1/minutes"});
  }
  SUBCASE("capital I with dot") {
    check_error("1/M\u0130NUTE", {2, 6, "\"M\u0130NUTE\" contains a look-alike letter: \"\u0130\" is not \"i\"",
                                  "type \"minute\" with plain letters: 1/minute"});
  }
}

TEST_CASE("the plural s comes once and touches the unit") {
  SUBCASE("doubled") { check_error("10/secondss", {3, 8, "\"secondss\" has too many \"s\"", "write 10/seconds"}); }
  SUBCASE("apart") {
    check_error("10/second s", {10, 1, "the plural \"s\" is apart from \"second\"",
                                "write \"seconds\" without a space"});
  }
  SUBCASE("once more after a plural") {
    check_error("10/minutes s", {11, 1, "extra \"s\" after \"minutes\"", "remove it"});
  }
}

TEST_CASE("extra parts inside a limit are errors") {
  SUBCASE("a second /") {
    check_error("10 / 2 / minute", {7, 1, "extra \"/\"", "a limit has one \"/\" or \"per\", e.g. 10/2 minutes"});
    check_error("1/2/second", {3, 1, "extra \"/\"", "a limit has one \"/\" or \"per\", e.g. 1/2 seconds"});
  }
  SUBCASE("a second per") {
    check_error("10 per per minute", {7, 3, "extra \"per\"", "a limit has one \"/\" or \"per\", e.g. 10 per minute"});
    check_error("10 per 2 per minute",
                {9, 3, "extra \"per\"", "a limit has one \"/\" or \"per\", e.g. 10 per 2 minutes"});
  }
  SUBCASE("a second multiple") {
    check_error("10/2 2 minute", {5, 1, "extra number \"2\"",
                                  "a limit has one number before \"/\" and at most one after it, e.g. 10/2 minutes"});
  }
  SUBCASE("a word after the unit") {
    check_error("10/minute please", {10, 6, "unexpected \"please\" after \"minute\"", "a limit ends with its time unit"});
  }
  SUBCASE("a stray character") {
    check_error("10/minute.", {9, 1, "unexpected \".\" after \"minute\"", "a limit ends with its time unit"});
    check_error("10/#minute", {3, 1, "expected a time unit, not \"#\"", "e.g. 10/minute"});
  }
}

TEST_CASE("separators sit between two limits") {
  SUBCASE("trailing") {
    check_error("10/minute;", {9, 1, "no limit after the last \";\"", "remove the \";\" at the end"});
    check_error("10/day| ", {6, 1, "no limit after the last \"|\"", "remove the \"|\" at the end"});
  }
  SUBCASE("leading") { check_error(" ;10/minute", {1, 1, "the rule starts with \";\"", "remove the \";\""}); }
  SUBCASE("doubled") {
    check_error("10/minute;;5/second", {10, 1, "no limit between \";\" and \";\"", "remove the extra \";\""});
    check_error("10/minute, ,", {11, 1, "no limit between \",\" and \",\"", "remove the extra \",\""});
  }
  SUBCASE("whitespace is not a separator") {
    check_error("10/minute 5/second", {9, 1, "whitespace does not separate limits",
                                       "join limits with ; , or |, e.g. 10/minute; 5/second"});
    check_error("10 per minute\n\n5 per second ", {13, 2, "whitespace does not separate limits",
                                                    "join limits with ; , or |, e.g. 10 per minute; 5 per second"});
  }
  SUBCASE("nothing between two limits") {
    check_error("10/minute5/second", {9, 0, "a separator is missing between two limits",
                                      "join limits with ; , or |, e.g. 10/minute; 5/second"});
  }
}

TEST_CASE("numbers above 2^53-1 are errors, a deliberate difference from limits") {
  SUBCASE("the largest amount and multiple are fine") {
    CHECK(parsed("9007199254740991/second") == "9007199254740991 per 1 second");
    CHECK(parsed("1/9007199254740991 seconds") == "1 per 9007199254740991 second");
  }
  SUBCASE("amount") {
    check_error("9007199254740992/second",
                {0, 16, "the amount \"9007199254740992\" is too large; the most is 9007199254740991", ""});
  }
  SUBCASE("multiple, quoted short") {
    check_error("1/99999999999999999999999999999 seconds",
                {2, 29, "the multiple \"99999999999999999999…\" is too large; the most is 9007199254740991", ""});
  }
}

TEST_CASE("a window longer than 2^53-1 seconds is an error") {
  const std::string most = "1/" + std::to_string(kMaxRateNumber / 31104000) + " years";
  CHECK(parsed(most) == "1 per 289583309 year");
  check_error("1/289583310 years",
              {2, 15, "the window \"289583310 years\" is too long; the most is 9007199254740991 seconds", ""});
}

TEST_CASE("numerals with more than 4300 digits are errors, as Python's int() refuses them") {
  CHECK(parsed(std::string(4299, '0') + "7/second") == "7 per 1 second");
  const ParseError error = error_of(std::string(4300, '0') + "7/second");
  CHECK(error.offset == 0);
  CHECK(error.length == 4301);
  CHECK(error.message == "the amount \"00000000000000000000…\" has more than 4300 digits");
  CHECK(error.hint == "leave out the leading zeros");
}

TEST_CASE("error offsets and lengths count characters, not bytes") {
  check_error("\u00A0\u00A010/min", {5, 3, "unknown time unit \"min\"", "did you mean \"minute\"? e.g. 10/minute"});
  check_error("10/min\u00FCte", {3, 6, "unknown time unit \"min\u00FCte\"", "did you mean \"minute\"? e.g. 10/minute"});
  check_error("\U0001F600", {0, 1, "a limit starts with a whole number, not \"\U0001F600\"",
                             "start with the number of requests, e.g. 10/minute"});
}

TEST_CASE("invalid UTF-8 is an error at the broken character") {
  const Expected broken{0, 1, "this character is not valid UTF-8 text",
                        "retype it; it may come from text in another encoding"};
  SUBCASE("a stray byte") { check_error("10/\xFFminute", {3, 1, broken.message, broken.hint}); }
  SUBCASE("position counts characters before it") { check_error("\u00E910\xFF", {3, 1, broken.message, broken.hint}); }
  SUBCASE("truncated at the end") { check_error("10/minute\xE2\x82", {9, 1, broken.message, broken.hint}); }
  SUBCASE("overlong") { check_error("\xC0\xAF", broken); }
  SUBCASE("surrogate") { check_error("\xED\xA0\x80", broken); }
  SUBCASE("above U+10FFFF") { check_error("\xF4\x90\x80\x80", broken); }
}

TEST_CASE("quotes of long user text are cut short") {
  const std::string word(40, 'q');
  check_error("10/" + word, {3, 40, "unknown time unit \"qqqqqqqqqqqqqqqqqqqq…\"",
                             "the units are second, minute, hour, day, month and year"});
}

// ---------------------------------------------------------------- hostile input

TEST_CASE("long and hostile inputs return quickly without crashing") {
  SUBCASE("longer than kMaxRuleLength bytes is refused before scanning") {
    const std::string separators(100000, ';');
    const ParseError error = error_of(separators);
    CHECK(error.message == "the rule is too long: 100000 bytes; the most is 10000");
    CHECK(error.offset == 10000);
    CHECK(error.length == 90000);
  }
  SUBCASE("10^5 digits") { CHECK(error_of(std::string(100000, '7')).offset == 10000); }
  SUBCASE("10 MB of digits and slashes") {
    std::string text;
    while (text.size() < 10'000'000) text += "1/2/";
    CHECK(seconds_to_parse(text) < 1.0);
    CHECK(error_of(text).length == text.size() - 10000);
  }
  SUBCASE("just under the limit") {
    CHECK(seconds_to_parse(std::string(kMaxRuleLength, ';')) < 1.0);
    check_error(std::string(kMaxRuleLength, ';'), {0, 1, "the rule starts with \";\"", "remove the \";\""});
    std::string many = "1/day";
    while (many.size() + 6 <= kMaxRuleLength) many += ",1/day";
    CHECK(seconds_to_parse(many) < 1.0);
    const ParseResult result = parse_rates(many);
    REQUIRE(std::holds_alternative<std::vector<RateLimit>>(result));
    CHECK(std::get<std::vector<RateLimit>>(result).size() == 1666);
  }
  SUBCASE("9990 digits in the multiple, which makes limits' regex backtrack") {
    const std::string text = "1/" + std::string(9990, '1') + "x";
    CHECK(seconds_to_parse(text) < 1.0);
    CHECK(error_of(text).offset == 2);
    CHECK(error_of(text).length == 9990);
  }
  SUBCASE("a word of 9999 letters") {
    const std::string text = "1/" + std::string(9998, 'm');
    CHECK(seconds_to_parse(text) < 1.0);
    CHECK(error_of(text).length == 9998);
  }
  SUBCASE("every byte alone is an error inside the input") {
    for (int byte = 0; byte < 256; ++byte) {
      CAPTURE(byte);
      const std::string text(1, static_cast<char>(byte));
      const ParseError error = error_of(text);
      CHECK(error.offset + error.length <= 1);
    }
  }
}
