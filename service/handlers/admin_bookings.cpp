#include "handlers/admin_bookings.hpp"

#include <array>

#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_records.hpp"

namespace leadgate::handlers {

void list_bookings(Services& services, const http::Request& request, const http::Responder& respond) {
  with_actor(services, request, store::Role::sales, respond, [&services, respond, request](store::Actor) {
    static constexpr std::array<std::string_view, 2> periods = {"upcoming", "past"};
    AdminQuery query(request);
    auto list = query.list();
    auto when = query.choice("when", periods).value_or("upcoming");
    query.check();
    services.listing.page(when == "past" ? "list-bookings-past" : "list-bookings-upcoming", {list.from, list.to},
                          list.cursor,
                          list.limit, [respond](store::Outcome<store::Page> outcome) { respond(page_response(outcome)); });
  });
}

}  // namespace leadgate::handlers
