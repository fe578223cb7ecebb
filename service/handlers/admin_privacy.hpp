#pragma once
// Role admin (docs/sales-api.md, "Privacy" and "Audit log"):
//   GET    /v1/admin/subjects?email=…   everything held about the address
//   DELETE /v1/admin/subjects?email=…   erase it everywhere
//   GET    /v1/admin/audit?limit=&cursor=   exports, erasures and job
//                                           retries, newest first

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

async::Task<http::Response> subject_records(Services& services, const http::Request& request);
async::Task<http::Response> erase_subject(Services& services, const http::Request& request);
async::Task<http::Response> list_audit(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
