#include "handlers/admin_charts.hpp"

#include <algorithm>

#include "domain/text.hpp"

namespace leadgate::handlers::charts {

namespace {

constexpr int width = 640;
constexpr int font_size = 16;

// Fills told apart by shape as well as colour: solid, hatched, dotted.
constexpr int pattern_count = 3;

std::string pattern_id(std::string_view chart, int series) {
  return std::string(chart) + "-fill-" + std::to_string(series % pattern_count);
}

std::string fill_of(std::string_view chart, int series) {
  return series % pattern_count == 0 ? "#1d4ed8" : "url(#" + pattern_id(chart, series) + ")";
}

std::string pattern_defs(std::string_view chart) {
  return "<defs><pattern id=\"" + pattern_id(chart, 1) +
         "\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
         "<rect width=\"8\" height=\"8\" fill=\"#fde68a\"/><rect width=\"4\" height=\"8\" fill=\"#92400e\"/></pattern>"
         "<pattern id=\"" + pattern_id(chart, 2) +
         "\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
         "<rect width=\"8\" height=\"8\" fill=\"#d1fae5\"/><circle cx=\"4\" cy=\"4\" r=\"2.5\" fill=\"#065f46\"/></pattern></defs>";
}

// <svg role="img"> named by its <title>.
std::string open_svg(std::string_view id, std::string_view title, int height) {
  return "<svg class=\"chart\" role=\"img\" aria-labelledby=\"" + std::string(id) + "-title\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) + "\" font-size=\"" + std::to_string(font_size) +
         "\"><title id=\"" + std::string(id) + "-title\">" + escaped(title) + "</title>";
}

// The top of a scale for `largest`: 1, 2 or 5 times a power of ten.
std::int64_t scale_top(std::int64_t largest) {
  std::int64_t step = 1;
  while (true) {
    for (std::int64_t factor : {1, 2, 5}) {
      if (step * factor >= largest) return step * factor;
    }
    step *= 10;
  }
}

std::string number(double value) {
  auto text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string bar_chart(std::string_view id, std::string_view title, std::span<const Bar> bars) {
  constexpr int row = 30;
  constexpr int label_width = 190;
  constexpr int number_width = 60;
  constexpr int bar_area = width - label_width - number_width;
  int height = std::max<int>(1, static_cast<int>(bars.size())) * row + 8;
  std::string svg = open_svg(id, title, height);
  if (bars.empty()) return svg + "<text x=\"0\" y=\"24\" fill=\"#1d2330\">No data in this range.</text></svg>";
  std::int64_t largest = 0;
  for (const auto& bar : bars) largest = std::max(largest, bar.value);
  auto top = scale_top(std::max<std::int64_t>(largest, 1));
  int y = 4;
  for (const auto& bar : bars) {
    // A long label (a visitor's utm_source) is cut in the chart; the table
    // shows it whole.
    std::string label = domain::count_characters(bar.label) > 20
                            ? std::string(domain::first_characters(bar.label, 19)) + "…"
                            : bar.label;
    double length = static_cast<double>(bar.value) * bar_area / static_cast<double>(top);
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 20) + "\" fill=\"#1d2330\">" + escaped(label) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
           number(length) + "\" height=\"" + std::to_string(row - 8) + "\" fill=\"#1d4ed8\"/>";
    svg += "<text x=\"" + number(label_width + length + 6) + "\" y=\"" + std::to_string(y + 20) +
           "\" fill=\"#1d2330\">" + std::to_string(bar.value) + "</text>";
    y += row;
  }
  return svg + "</svg>";
}

std::string column_chart(std::string_view id, std::string_view title, std::span<const std::string> periods,
                         std::span<const Series> series) {
  constexpr int legend = 30;
  constexpr int plot_top = legend + 10;
  constexpr int plot_height = 200;
  constexpr int axis_width = 44;
  constexpr int label_height = 26;
  constexpr int height = plot_top + plot_height + label_height;
  constexpr int plot_width = width - axis_width;

  std::vector<std::int64_t> totals(periods.size(), 0);
  for (const auto& one : series) {
    for (std::size_t i = 0; i < periods.size() && i < one.values.size(); ++i) totals[i] += one.values[i];
  }
  auto largest = totals.empty() ? 0 : *std::max_element(totals.begin(), totals.end());
  auto top = scale_top(std::max<std::int64_t>(largest, 1));

  std::string svg = open_svg(id, title, height) + pattern_defs(id);
  // The legend: a swatch of each series' fill and its name.
  int x = axis_width;
  for (std::size_t s = 0; s < series.size(); ++s) {
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"6\" width=\"18\" height=\"18\" fill=\"" +
           fill_of(id, static_cast<int>(s)) + "\" stroke=\"#1d2330\"/>";
    svg += "<text x=\"" + std::to_string(x + 24) + "\" y=\"21\" fill=\"#1d2330\">" + escaped(series[s].name) + "</text>";
    x += 24 + static_cast<int>(series[s].name.size()) * 9 + 24;
  }
  // The scale: 0, half and the top, with lines across.
  for (auto value : {std::int64_t{0}, top / 2, top}) {
    if (value == top / 2 && top % 2 != 0) continue;
    double y = plot_top + plot_height - static_cast<double>(value) * plot_height / static_cast<double>(top);
    svg += "<line x1=\"" + std::to_string(axis_width) + "\" x2=\"" + std::to_string(width) + "\" y1=\"" + number(y) +
           "\" y2=\"" + number(y) + "\" stroke=\"#c4c9d4\" stroke-width=\"1\"/>";
    svg += "<text x=\"" + std::to_string(axis_width - 6) + "\" y=\"" + number(y + 5) +
           "\" text-anchor=\"end\" fill=\"#1d2330\">" + std::to_string(value) + "</text>";
  }
  if (periods.empty()) return svg + "</svg>";
  double slot = static_cast<double>(plot_width) / static_cast<double>(periods.size());
  double column = std::max(1.0, slot * 0.7);
  // At most about six labels under the columns, so that they do not overlap.
  std::size_t label_every = (periods.size() + 5) / 6;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    double left = axis_width + slot * static_cast<double>(i) + (slot - column) / 2;
    double bottom = plot_top + plot_height;
    std::string tip = periods[i] + ":";
    std::string stack;
    for (std::size_t s = 0; s < series.size(); ++s) {
      auto value = i < series[s].values.size() ? series[s].values[i] : 0;
      tip += " " + std::to_string(value) + " " + series[s].name + (s + 1 < series.size() ? "," : "");
      if (value == 0) continue;
      double length = static_cast<double>(value) * plot_height / static_cast<double>(top);
      bottom -= length;
      stack += "<rect x=\"" + number(left) + "\" y=\"" + number(bottom) + "\" width=\"" + number(column) +
               "\" height=\"" + number(length) + "\" fill=\"" + fill_of(id, static_cast<int>(s)) +
               "\" stroke=\"#1d2330\" stroke-width=\"0.5\"/>";
    }
    svg += "<g><title>" + escaped(tip) + "</title>" + stack + "</g>";
    if (i % label_every == 0) {
      // "2026-11-08" → "11-08": the year is in the range above the chart.
      auto label = periods[i].size() == 10 ? periods[i].substr(5) : periods[i];
      svg += "<text x=\"" + number(left + column / 2) + "\" y=\"" + std::to_string(height - 6) +
             "\" text-anchor=\"middle\" fill=\"#1d2330\">" + escaped(label) + "</text>";
    }
  }
  return svg + "</svg>";
}

}  // namespace leadgate::handlers::charts
