#include "core/http.hpp"

#include <doctest/doctest.h>

namespace ratelimit::test {

TEST_CASE("http: HTML escaping follows markupsafe") {
  CHECK(html_escape("a <b> & \"c\" 'd'") == "a &lt;b&gt; &amp; &#34;c&#34; &#39;d&#39;");
  CHECK(html_escape("") == "");
}

TEST_CASE("http: the 429 page escapes the description and turns newlines into <br>") {
  CHECK(too_many_requests_page("a <b>\nc") ==
        "<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n<h1>Too Many Requests</h1>\n"
        "<p>a &lt;b&gt;<br>c</p>\n");
}

TEST_CASE("http: HTTP dates are werkzeug's, across days, months, leap years and the epoch") {
  CHECK(http_date(1700000061) == "Tue, 14 Nov 2023 22:14:21 GMT");
  CHECK(http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(http_date(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(http_date(4102444799) == "Thu, 31 Dec 2099 23:59:59 GMT");
  CHECK(http_date(9999999999) == "Sat, 20 Nov 2286 17:46:39 GMT");
}

}  // namespace ratelimit::test
