#pragma once
// POST /v1/forms/estimate — "Get a free estimate" (docs/api-behaviour.md,
// "Form posts").

#include "async/task.hpp"
#include "domain/estimate.hpp"
#include "handlers/form_submission.hpp"
#include "handlers/services.hpp"
#include "http/message.hpp"

namespace leadgate::handlers {

class EstimateHandler {
 public:
  explicit EstimateHandler(Services& services);

  async::Task<http::Response> handle(const http::Request& request) const;

 private:
  Services& services_;
  domain::EstimateOptions options_;
  FormPipeline form_;
};

}  // namespace leadgate::handlers
