#pragma once
// Role admin (SPEC §3):
//   GET    /v1/admin/subjects?email=…   everything held about the address
//   DELETE /v1/admin/subjects?email=…   erase it everywhere
//   GET    /v1/admin/audit?limit=&cursor=   exports and erasures, newest first

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

void subject_records(Services& services, const http::Request& request, const http::Responder& respond);
void erase_subject(Services& services, const http::Request& request, const http::Responder& respond);
void list_audit(Services& services, const http::Request& request, const http::Responder& respond);

}  // namespace leadgate::handlers
