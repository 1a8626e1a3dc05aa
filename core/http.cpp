#include "core/http.hpp"
#include "core/civil_date.hpp"

#include <string>

namespace ratelimit {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view status_phrase(int status) {
  switch (status) {
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    default: return "Error";
  }
}

std::string werkzeug_error_page(int status, std::string_view description_html) {
  const std::string code = std::to_string(status);
  const std::string_view phrase = status_phrase(status);
  std::string page = "<!doctype html>\n<html lang=en>\n<title>";
  page.append(code).append(" ").append(phrase).append("</title>\n<h1>").append(phrase);
  page.append("</h1>\n<p>").append(description_html).append("</p>\n");
  return page;
}

std::string werkzeug_redirect_page(std::string_view location) {
  const std::string url = html_escape(location);
  return "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
         "<p>You should be redirected automatically to the target URL: <a href=\"" +
         url + "\">" + url + "</a>. If not, click the link.\n";
}

std::string too_many_requests_page(std::string_view description) {
  std::string html;
  for (char c : html_escape(description)) {
    if (c == '\n') {
      html += "<br>";
    } else {
      html += c;
    }
  }
  return werkzeug_error_page(429, html);
}

std::string http_date(std::int64_t epoch_seconds) {
  static constexpr const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t days = epoch_seconds / 86400;
  std::int64_t seconds = epoch_seconds % 86400;
  if (seconds < 0) {
    seconds += 86400;
    days -= 1;
  }
  const auto [year, month, day] = civil_from_days(days);
  const auto weekday = static_cast<std::size_t>(((days % 7) + 7) % 7);
  // "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT", without printf (see format_number()).
  const auto padded = [](std::int64_t n, std::size_t width) {
    std::string digits = std::to_string(n);
    return std::string(digits.size() < width ? width - digits.size() : 0, '0') + digits;
  };
  return std::string(kWeekdays[weekday]) + ", " + padded(day, 2) + ' ' + kMonths[month - 1] + ' ' + padded(year, 4) +
         ' ' + padded(seconds / 3600, 2) + ':' + padded(seconds / 60 % 60, 2) + ':' + padded(seconds % 60, 2) + " GMT";
}

}  // namespace ratelimit
