#include "store/calendar_jobs.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace leadgate::store {

std::string_view calendar_template(CalendarWrite::Action action) {
  return action == CalendarWrite::Action::put ? "calendar_put" : "calendar_delete";
}

void queue_calendar_write(pqxx::transaction_base& transaction, const CalendarWrite& write) {
  nlohmann::json payload = {{"booking_id", write.booking_id}, {"host", write.host_id}, {"uid", write.uid}};
  if (write.action == CalendarWrite::Action::put) payload["ics"] = write.ics;
  transaction.exec_prepared("queue-calendar-write", std::string(calendar_template(write.action)), write.host_id,
                            payload.dump(), write.booking_id);
  // Delivered when the transaction commits (and not at all if it rolls
  // back), whichever path queued the write: the calendar lane starts at
  // once instead of at its next poll.
  transaction.exec_prepared("notify-jobs");
}

}  // namespace leadgate::store
