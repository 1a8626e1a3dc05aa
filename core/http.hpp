// The bits of Werkzeug 2.2 the simulated Flask app answers with: error pages, HTML escaping
// and HTTP dates, byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ratelimit {

// markupsafe.escape: & < > " ' become entities.
std::string html_escape(std::string_view text);
// Werkzeug's HTML page for an HTTP error; `description_html` goes inside <p>...</p> as is.
std::string werkzeug_error_page(int status, std::string_view description_html);
// The page of a 429 whose description is `description` (escaped, newlines become <br>).
std::string too_many_requests_page(std::string_view description);
std::string_view status_phrase(int status);  // "Too Many Requests"
// Werkzeug's 308 page for a strict-slashes redirect to `location` (it has no closing </p>).
std::string werkzeug_redirect_page(std::string_view location);
// werkzeug.http.http_date: "Tue, 14 Nov 2023 22:14:21 GMT".
std::string http_date(std::int64_t epoch_seconds);

}  // namespace ratelimit
