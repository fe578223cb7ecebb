#include "domain/booking_uid.hpp"

#include <algorithm>
#include <cctype>

#include "domain/ids.hpp"

namespace leadgate::domain {

namespace {

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view("localhost") : address.substr(at + 1);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

}  // namespace

std::string booking_uid(std::string_view booking_id, std::string_view from_address) {
  std::string uid(booking_id);
  uid += '@';
  uid += domain_of(from_address);
  return uid;
}

bool is_booking_uid(std::string_view uid, std::string_view from_address) {
  constexpr std::size_t uuid_length = 36;
  return uid.size() > uuid_length && is_uuid(uid.substr(0, uuid_length)) && uid[uuid_length] == '@' &&
         equal_ignoring_case(uid.substr(uuid_length + 1), domain_of(from_address));
}

}  // namespace leadgate::domain
