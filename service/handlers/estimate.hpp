#pragma once
// POST /v1/forms/estimate — "Get a free estimate" (SPEC §2).

#include "handlers/form_echo.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

class EstimateHandler {
 public:
  explicit EstimateHandler(Services& services);

  void operator()(const http::Request& request, http::Responder respond) const;

 private:
  Services& services_;
  domain::EstimateOptions options_;
  std::vector<FieldSpec> fields_;  // for showing the form again with its errors
};

}  // namespace leadgate::handlers
