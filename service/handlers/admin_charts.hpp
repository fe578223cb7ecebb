#pragma once
// The dashboard's charts as inline SVG markup, drawn on the server: no
// script, no style attributes (the admin page's CSP), only presentation
// attributes. Each is an image with a title for screen readers; every bar
// carries its number as text and each series its own pattern, so a chart
// reads without colour. The numbers are also in a table beside each chart.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::handlers::charts {

struct Bar {
  std::string label;
  std::int64_t value = 0;
};

// One horizontal bar per row: the label, the bar, its number.
std::string bar_chart(std::string_view id, std::string_view title, std::span<const Bar> bars);

struct Series {
  std::string name;
  std::vector<std::int64_t> values;  // one per period
};

// One column per period (labelled by `periods`), stacked by series, each
// series in its own pattern and named in a legend.
std::string column_chart(std::string_view id, std::string_view title, std::span<const std::string> periods,
                         std::span<const Series> series);

// Text for XML and HTML: & < > " ' escaped.
std::string escaped(std::string_view text);

}  // namespace leadgate::handlers::charts
