#pragma once
// Write-back: a booked meeting goes into its host's calendar (booking.hosts
// write_to) through the outbox, as jobs of kind "calendar" queued in the
// booking's own transaction, so a calendar outage delays them and loses
// none. Jobs of one booking run in the order they were queued
// (db/queries/calendar_jobs.sql, claim-calendar-jobs).

#include <pqxx/transaction_base.hxx>

#include <string>
#include <string_view>

namespace leadgate::store {

struct CalendarWrite {
  enum class Action { put, remove } action = Action::put;
  std::string booking_id;
  std::string host_id;  // the worker finds the host's write_to by it: no URL or credential is stored
  std::string uid;      // the invitation's UID; the resource is <uid>.ics in the collection
  std::string ics;      // for put: the VCALENDAR with the one VEVENT (no METHOD)
};

// The job's template: "calendar_put" or "calendar_delete".
std::string_view calendar_template(CalendarWrite::Action action);

// Queues it (and wakes the workers when the transaction commits); the
// caller queues writes only for a host with a write_to.
void queue_calendar_write(pqxx::transaction_base& transaction, const CalendarWrite& write);

}  // namespace leadgate::store
