#include "store/calendar_jobs.hpp"

namespace leadgate::store {

void queue_calendar_write(pqxx::transaction_base&, const CalendarWrite&) {}

}  // namespace leadgate::store
