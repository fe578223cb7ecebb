#include "calendar/busy_time.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <utility>

namespace leadgate::calendar {

namespace {

using std::chrono::seconds;

// The bounds on one RRULE's expansion (the header says what happens past
// them). 10,000 instances is a weekday meeting for almost forty years;
// 200,000 candidate periods keep libical's search for a match under a
// second (about 3.5 microseconds each, measured with a zoned FREQ=SECONDLY
// that never matches).
constexpr long max_instances_per_rule = 10'000;
constexpr std::int64_t max_candidates_per_rule = 200'000;

struct ComponentFree {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using OwnedComponent = std::unique_ptr<icalcomponent, ComponentFree>;

struct IteratorFree {
  void operator()(icalrecur_iterator* iterator) const { icalrecur_iterator_free(iterator); }
};
using RuleIterator = std::unique_ptr<icalrecur_iterator, IteratorFree>;

OwnedComponent parse_calendar(const std::string& text) {
  // A truncated text (no END:VCALENDAR) parses to nothing, so a body cut
  // short in transit fails here rather than losing its last events.
  OwnedComponent root{icalparser_parse_string(text.c_str())};
  if (!root) throw Unreadable("not iCalendar text");
  if (icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT) throw Unreadable("not one VCALENDAR");
  return root;
}

std::string uid_of(icalcomponent* event) {
  const char* uid = icalcomponent_get_uid(event);
  return uid == nullptr ? std::string() : std::string(uid);
}

// For the message of an Unreadable: which event, without echoing a whole
// hostile line into the log.
std::string shown_uid(icalcomponent* event) {
  auto uid = uid_of(event);
  if (uid.size() > 80) uid = uid.substr(0, 80) + "...";
  return uid.empty() ? "an event without UID" : "event " + uid;
}

// libical drops a property whose value it cannot parse and leaves an
// X-LIC-ERROR naming it instead. Losing DTSTART, DTEND, DURATION, RRULE or
// RDATE would lose busy time, so such an event makes the calendar
// unreadable; other losses (a bad EXDATE, STATUS, LOCATION...) only ever
// make us more busy or change nothing.
void reject_lost_times(icalcomponent* event) {
  static constexpr std::string_view times[] = {"DTSTART property", "DTEND property", "DURATION property",
                                               "RRULE property", "RDATE property"};
  for (auto* error = icalcomponent_get_first_property(event, ICAL_XLICERROR_PROPERTY); error != nullptr;
       error = icalcomponent_get_next_property(event, ICAL_XLICERROR_PROPERTY)) {
    const char* text = icalproperty_get_xlicerror(error);
    if (text == nullptr) continue;
    for (auto name : times) {
      if (std::string_view(text).find(name) != std::string_view::npos) {
        throw Unreadable(shown_uid(event) + ": unreadable " + std::string(name.substr(0, name.find(' '))));
      }
    }
  }
}

// The zone a property's TZID names, looked up as libical looks up DTSTART's
// (icalproperty_get_datetime_with_component, which RDATE periods cannot
// use): the VCALENDAR's own VTIMEZONE of that name, else the built-in zone
// read from the system's tzdata. nullptr: no TZID, or one neither knows.
icaltimezone* zone_named_by(icalproperty* property, icalcomponent* event) {
  auto* parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
  const char* tzid = parameter == nullptr ? nullptr : icalparameter_get_tzid(parameter);
  if (tzid == nullptr || *tzid == '\0') return nullptr;
  for (auto* component = event; component != nullptr; component = icalcomponent_get_parent(component)) {
    if (auto* zone = icalcomponent_get_timezone(component, tzid)) return zone;
  }
  // libical opens and reads <zoneinfo>/<tzid> for a name it has not loaded,
  // so a TZID like ../../../dev/stdin would have it read (and wait on) that.
  if (std::string_view(tzid).find("..") != std::string_view::npos) return nullptr;
  if (auto* zone = icaltimezone_get_builtin_timezone_from_tzid(tzid)) return zone;
  return icaltimezone_get_builtin_timezone(tzid);
}

icaltimetype in_zone_of(icaltimetype time, icalproperty* property, icalcomponent* event) {
  if (time.is_date || icaltime_is_utc(time)) return time;
  if (auto* zone = zone_named_by(property, event)) return icaltime_set_timezone(&time, zone);
  return time;
}

// A DATE or DATE-TIME property's value with its zone (DTSTART, DTEND,
// EXDATE, RECURRENCE-ID; RDATE's date-time form).
icaltimetype time_of(icalproperty* property, icalcomponent* event) {
  return in_zone_of(icalvalue_get_datetimedate(icalproperty_get_value(property)), property, event);
}

date::local_days local_date(const icaltimetype& time) {
  return date::local_days{date::year{time.year} / time.month / time.day};
}

// How long each instance of an event lasts: `days` are nominal (the same
// wall-clock time that many days later, so a day across a DST change is
// 23 or 25 hours; for an all-day event, whole business-zone days), then
// `exact` seconds more.
struct Length {
  int days = 0;
  seconds exact{0};
};

// An upper bound in real time, for finding instances that start before
// the window and reach into it.
seconds longest(Length length) { return length.days * seconds{25 * 3600} + length.exact; }

// Turns iCalendar times into instants. Times with a zone go through
// libical's zone (an inline VTIMEZONE or a built-in one); UTC times are
// read as they are; floating times (and TZIDs nobody knows) and dates are
// read in the business zone.
class Times {
 public:
  explicit Times(const date::time_zone& business_zone) : business_zone_(business_zone) {}

  Seconds instant(const icaltimetype& time) const {
    require_valid(time);
    if (time.is_date) return day_start(local_date(time));
    const auto local = local_date(time) + std::chrono::hours{time.hour} + std::chrono::minutes{time.minute} +
                       seconds{time.second};
    if (icaltime_is_utc(time)) return Seconds{local.time_since_epoch()};
    if (time.zone != nullptr) {
      return Seconds{seconds{icaltime_as_timet_with_zone(time, time.zone)}};
    }
    // A local time skipped by spring-forward maps to the transition, one
    // repeated by fall-back to its first pass (as in domain/slots.cpp).
    return business_zone_.to_sys(local, date::choose::earliest);
  }

  // `instant` written the way `like` is (a date, a zoned, UTC or floating
  // time), because libical compares times field by field unless both have
  // a zone; for a date, the business-zone date the instant falls on.
  icaltimetype in_frame_of(Seconds instant, const icaltimetype& like) const {
    if (like.zone != nullptr && !like.is_date) {
      return icaltime_from_timet_with_zone(instant.time_since_epoch().count(), 0, like.zone);
    }
    const auto local = business_zone_.to_local(instant);
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss clock{local - day};
    icaltimetype time = icaltime_null_time();
    time.year = static_cast<int>(ymd.year());
    time.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    time.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    time.is_date = like.is_date;
    if (!like.is_date) {
      time.hour = static_cast<int>(clock.hours().count());
      time.minute = static_cast<int>(clock.minutes().count());
      time.second = static_cast<int>(clock.seconds().count());
    }
    return time;
  }

  // When an instance starting at `start` ends.
  Seconds end_of(const icaltimetype& start, Length length) const {
    if (length.days == 0) return instant(start) + length.exact;
    icaltimetype later = start;
    icaltime_adjust(&later, length.days, 0, 0, 0);
    return instant(later) + length.exact;
  }

  Length length_between(const icaltimetype& start, const icaltimetype& end) const {
    if (start.is_date && end.is_date) {
      return {std::max(1, static_cast<int>((local_date(end) - local_date(start)).count())), seconds{0}};
    }
    return {0, std::max(instant(end) - instant(start), seconds{0})};
  }

 private:
  // libical keeps what it parsed (DTSTART:20260230T250000 stays as
  // written), and a time that does not exist has no instant.
  static void require_valid(const icaltimetype& time) {
    const date::year_month_day ymd{date::year{time.year} / time.month / time.day};
    if (icaltime_is_null_time(time) || time.year < 1 || !ymd.ok() || time.hour < 0 || time.hour > 23 ||
        time.minute < 0 || time.minute > 59 || time.second < 0 || time.second > 60) {
      throw Unreadable(std::string("a date or time that does not exist: ") + icaltime_as_ical_string(time));
    }
  }

  Seconds day_start(date::local_days day) const { return business_zone_.to_sys(day, date::choose::earliest); }

  const date::time_zone& business_zone_;
};

Length length_of_duration(const icaldurationtype& duration, bool all_day) {
  if (duration.is_neg) return {all_day ? 1 : 0, seconds{0}};
  // In 64 bits, and days capped at a century (more than any window):
  // libical's fields are unsigned ints that a hostile DURATION can fill.
  const std::int64_t days = std::int64_t{duration.weeks} * 7 + duration.days;
  Length length{static_cast<int>(std::min<std::int64_t>(days, 36'525)),
                seconds{std::int64_t{duration.hours} * 3600 + std::int64_t{duration.minutes} * 60 + duration.seconds}};
  // An all-day event blocks whole days: P1DT2H is two of them.
  if (all_day) return {std::max(1, length.days + (length.exact > seconds{0} ? 1 : 0)), seconds{0}};
  return length;
}

// RFC 5545 §3.6.1: DTEND, else DURATION, else one day for a date and no
// time at all for a date-time. (With both, which is invalid, DTEND wins.)
Length length_of(icalcomponent* event, const icaltimetype& start, const Times& times) {
  if (auto* end = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY)) {
    return times.length_between(start, time_of(end, event));
  }
  if (auto* duration = icalcomponent_get_first_property(event, ICAL_DURATION_PROPERTY)) {
    return length_of_duration(icalproperty_get_duration(duration), start.is_date);
  }
  return {start.is_date ? 1 : 0, seconds{0}};
}

// TRANSP:TRANSPARENT ("show as free") and STATUS:CANCELLED are the ways an
// event says it blocks nothing. TENTATIVE blocks: the host may still go
// (libical's own icalcomponent_foreach_recurrence counts it as free).
bool blocks_time(icalcomponent* event) {
  if (icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED) return false;
  auto* transp = icalcomponent_get_first_property(event, ICAL_TRANSP_PROPERTY);
  if (transp == nullptr) return true;
  const auto value = icalproperty_get_transp(transp);
  return value != ICAL_TRANSP_TRANSPARENT && value != ICAL_TRANSP_TRANSPARENTNOCONFLICT;
}

// One VEVENT's start and the length of each of its instances.
struct Event {
  icalcomponent* component;
  icaltimetype start;
  Length length;
};

Event read_event(icalcomponent* component, const Times& times) {
  reject_lost_times(component);
  auto* start = icalcomponent_get_first_property(component, ICAL_DTSTART_PROPERTY);
  if (start == nullptr) throw Unreadable(shown_uid(component) + ": no DTSTART");
  Event event{component, time_of(start, component), {}};
  event.length = length_of(component, event.start, times);
  return event;
}

// The instances a recurring event does not have: its EXDATEs and the ones
// its overrides replace, compared as instants (RECURRENCE-ID may be written
// in another zone than DTSTART). A date-only EXDATE removes every instance
// on that date, as libical's own expansion does.
class Exclusions {
 public:
  void add(Seconds instant) { instants_.insert(instant); }
  void add(date::local_days day) { days_.insert(day); }

  bool contain(const icaltimetype& start, Seconds instant) const {
    return instants_.contains(instant) || days_.contains(local_date(start));
  }

 private:
  std::set<Seconds> instants_;
  std::set<date::local_days> days_;
};

Exclusions exclusions_of(const Event& event, const std::set<Seconds>& overridden, const Times& times) {
  Exclusions exclusions;
  for (auto instant : overridden) exclusions.add(instant);
  for (auto* exdate = icalcomponent_get_first_property(event.component, ICAL_EXDATE_PROPERTY); exdate != nullptr;
       exdate = icalcomponent_get_next_property(event.component, ICAL_EXDATE_PROPERTY)) {
    const auto time = time_of(exdate, event.component);
    if (time.is_date) {
      exclusions.add(local_date(time));
    } else {
      exclusions.add(times.instant(time));
    }
  }
  return exclusions;
}

// libical 3.0.16's icalrecur_iterator_set_start cannot honour COUNT (the
// count runs from DTSTART), and for HOURLY, MINUTELY and SECONDLY rules it
// loses instances (FREQ=HOURLY;INTERVAL=5 from 10:00 gave 04:00, 09:00...
// instead of 03:00, 08:00...; FREQ=HOURLY;BYHOUR=9,10;BYDAY=MO started
// at a Monday's midnight lost that day's 09:00). Those start at DTSTART.
bool can_start_late(const icalrecurrencetype& rule) {
  return rule.count == 0 && rule.freq >= ICAL_DAILY_RECURRENCE && rule.freq <= ICAL_YEARLY_RECURRENCE;
}

// How many periods of the rule's frequency lie in [from, to]: what
// libical may step through looking for matches (a FREQ=SECONDLY rule whose
// BYMONTHDAY=30 and BYMONTH=2 never match steps through every second).
std::int64_t candidates(const icalrecurrencetype& rule, Seconds from, Seconds to) {
  static constexpr std::int64_t period[] = {1, 60, 3600, 86400, 7 * 86400, 28 * 86400, 365 * 86400};
  if (to <= from || rule.freq < ICAL_SECONDLY_RECURRENCE || rule.freq > ICAL_YEARLY_RECURRENCE) return 0;
  return (to - from).count() / (period[rule.freq] * std::max<std::int64_t>(1, rule.interval));
}

// The VEVENTs of one UID: the masters (normally one; the same event may
// come from two calendars) and the overrides that replace single instances.
struct Series {
  std::vector<icalcomponent*> masters;
  std::vector<icalcomponent*> overrides;
};

std::vector<Series> series_of(const std::vector<OwnedComponent>& calendars,
                              const std::function<bool(std::string_view uid)>& skip) {
  std::map<std::string, Series> by_uid;
  std::vector<Series> series;
  for (const auto& calendar : calendars) {
    for (auto* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT); event != nullptr;
         event = icalcomponent_get_next_component(calendar.get(), ICAL_VEVENT_COMPONENT)) {
      const bool is_override = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY) != nullptr;
      auto uid = uid_of(event);
      if (!uid.empty() && skip && skip(uid)) continue;
      // Without a UID nothing can override it, nor can it override anything.
      if (uid.empty()) {
        series.push_back(Series{{event}, {}});
      } else {
        auto& group = by_uid[uid];
        (is_override ? group.overrides : group.masters).push_back(event);
      }
    }
  }
  for (auto& [uid, group] : by_uid) series.push_back(std::move(group));
  return series;
}

// The busy intervals of VEVENTs, kept only where they overlap the window.
class Busy {
 public:
  Busy(Window window, const date::time_zone& business_zone) : window_(window), times_(business_zone) {}

  void add(const Series& series) {
    std::set<Seconds> overridden;
    for (auto* replacement : series.overrides) {
      auto* recurrence_id = icalcomponent_get_first_property(replacement, ICAL_RECURRENCEID_PROPERTY);
      overridden.insert(times_.instant(time_of(recurrence_id, replacement)));
      add_single(replacement);
    }
    for (auto* master : series.masters) add_recurring(master, overridden);
  }

  std::vector<Interval> merged() && {
    std::sort(intervals_.begin(), intervals_.end(),
              [](const Interval& a, const Interval& b) { return a.start < b.start; });
    std::vector<Interval> merged;
    for (const auto& interval : intervals_) {
      if (!merged.empty() && interval.start <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, interval.end);
      } else {
        merged.push_back(interval);
      }
    }
    return merged;
  }

 private:
  // A master, without the instants its overrides replace.
  void add_recurring(icalcomponent* component, const std::set<Seconds>& overridden) {
    if (!blocks_time(component)) return;
    const auto event = read_event(component, times_);
    const auto excluded = exclusions_of(event, overridden, times_);
    // DTSTART is always an instance (RFC 5545 §3.8.5.3), even when the
    // rule would not produce it.
    add_instance(event, event.start, excluded);
    for (auto* rrule = icalcomponent_get_first_property(component, ICAL_RRULE_PROPERTY); rrule != nullptr;
         rrule = icalcomponent_get_next_property(component, ICAL_RRULE_PROPERTY)) {
      add_rule(event, icalproperty_get_rrule(rrule), excluded);
    }
    for (auto* rdate = icalcomponent_get_first_property(component, ICAL_RDATE_PROPERTY); rdate != nullptr;
         rdate = icalcomponent_get_next_property(component, ICAL_RDATE_PROPERTY)) {
      add_rdate(event, rdate, excluded);
    }
  }

  // An override stands for one instance, whatever RRULE it may repeat.
  void add_single(icalcomponent* component) {
    if (!blocks_time(component)) return;
    const auto event = read_event(component, times_);
    add_interval(times_.instant(event.start), times_.end_of(event.start, event.length));
  }

  void add_interval(Seconds start, Seconds end) {
    if (start < end && start < window_.to && window_.from < end) intervals_.push_back({start, end});
  }

  // Fail closed: what we would not expand counts as busy wherever it could
  // fall within the window.
  void add_unexpanded(Seconds start, Seconds end) {
    add_interval(std::max(start, window_.from), std::min(end, window_.to));
  }

  void add_instance(const Event& event, const icaltimetype& start, const Exclusions& excluded) {
    const auto at = times_.instant(start);
    if (!excluded.contain(start, at)) add_interval(at, times_.end_of(start, event.length));
  }

  void add_rule(const Event& event, icalrecurrencetype rule, const Exclusions& excluded) {
    rule.until = until_within_window(rule.until, event.start);
    RuleIterator iterator{icalrecur_iterator_new(rule, event.start)};
    if (!iterator) throw Unreadable(shown_uid(event.component) + ": an RRULE libical cannot expand");
    const auto first = times_.instant(event.start);
    const auto last_end = times_.instant(rule.until) + longest(event.length);
    const auto from = start_near_window(iterator.get(), rule, event);
    if (candidates(rule, from, times_.instant(rule.until)) > max_candidates_per_rule) {
      add_unexpanded(first, last_end);
      return;
    }
    for (long count = 0;; ++count) {
      const auto start = icalrecur_iterator_next(iterator.get());
      if (icaltime_is_null_time(start)) return;
      if (count == max_instances_per_rule) {
        add_unexpanded(times_.instant(start), last_end);
        return;
      }
      add_instance(event, start, excluded);
    }
  }

  // Nothing past the window matters, and an UNTIL there also ends
  // libical's search for a match (it otherwise runs on to the year 2582).
  icaltimetype until_within_window(const icaltimetype& until, const icaltimetype& dtstart) const {
    const auto bound = times_.in_frame_of(window_.to, dtstart);
    return icaltime_is_null_time(until) || icaltime_compare(until, bound) > 0 ? bound : until;
  }

  // Moves the expansion on to the first instance that can reach into the
  // window, where libical can do that right; returns where it now starts.
  Seconds start_near_window(icalrecur_iterator* iterator, const icalrecurrencetype& rule, const Event& event) const {
    const auto first = times_.instant(event.start);
    const auto earliest = window_.from - longest(event.length);
    if (!can_start_late(rule) || earliest <= first) return first;
    icalrecur_iterator_set_start(iterator, times_.in_frame_of(earliest, event.start));
    return earliest;
  }

  // An RDATE is a date, a date-time (lasting as long as the event) or a
  // period with its own end (which libical's own expansion skips).
  void add_rdate(const Event& event, icalproperty* rdate, const Exclusions& excluded) {
    const auto value = icalproperty_get_rdate(rdate);
    if (!icaltime_is_null_time(value.time)) {
      add_instance(event, in_zone_of(value.time, rdate, event.component), excluded);
      return;
    }
    const auto start = in_zone_of(value.period.start, rdate, event.component);
    const auto at = times_.instant(start);
    if (excluded.contain(start, at)) return;
    if (icaltime_is_null_time(value.period.end)) {
      add_interval(at, times_.end_of(start, length_of_duration(value.period.duration, start.is_date)));
    } else {
      add_interval(at, times_.instant(in_zone_of(value.period.end, rdate, event.component)));
    }
  }

  Window window_;
  Times times_;
  std::vector<Interval> intervals_;
};

}  // namespace

std::vector<Interval> busy_intervals(std::span<const std::string> calendars, Window window,
                                     const date::time_zone& business_zone,
                                     const std::function<bool(std::string_view uid)>& skip) {
  // Every text is read before any is expanded: one unreadable calendar
  // fails the whole sync.
  std::vector<OwnedComponent> parsed;
  for (const auto& text : calendars) parsed.push_back(parse_calendar(text));
  if (window.to <= window.from) return {};
  Busy busy(window, business_zone);
  for (const auto& series : series_of(parsed, skip)) busy.add(series);
  return std::move(busy).merged();
}

}  // namespace leadgate::calendar
