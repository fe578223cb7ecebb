#include "handlers/admin_bookings.hpp"

#include <array>

#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_records.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::array<std::string_view, 2> periods = {"upcoming", "past"};

}  // namespace

async::Task<http::Response> list_bookings(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::sales);
  AdminQuery query(request);
  auto list = query.list();
  domain::BookingFilter filter{query.choice("when", periods) == std::optional<std::string>("past"), list.from, list.to};
  query.check();
  co_return page_response(co_await services.listing.bookings(std::move(filter), list.cursor, list.limit));
}

}  // namespace leadgate::handlers
